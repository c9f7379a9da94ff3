//! PKCS#12 / PFX. (Being written: placeholder.)

use crate::error::{Error, ErrorKind};
use crate::model::Source;

use super::Decoder;

pub(super) fn decode(_dec: &mut Decoder<'_>, _der: &[u8], source: &Source) -> Result<(), Error> {
    Err(Error::new(
        source,
        ErrorKind::Unsupported {
            what: "PKCS#12",
            found: "pending".to_owned(),
        },
    ))
}
