//! Decoding: bytes in, material into a [`Pool`]. The format is sniffed from
//! the bytes (never the file name); one module per format, all driven by
//! one [`Decoder`](decoder::Decoder) per input.

mod decoder;
pub(crate) mod jks;
mod kdf_cost;
mod keys;
mod oid;
mod pbe;
mod pem;
mod pkcs12;
mod pkcs7;
mod run;
mod sniff;
mod zip;

use crate::error::Error;
use crate::input::{Input, Limits, Password};
use crate::model::{Pool, Source};

use decoder::Decoder;
pub(crate) use run::Run;

/// Decodes one input into a pool holding everything it carries.
///
/// `password` opens PKCS#12 files, Java keystores and encrypted private keys.
///
/// # Errors
/// Any [`ErrorKind`](crate::ErrorKind): unreadable or unrecognised bytes, a
/// wrong or missing password, a limit exceeded. The error names the file,
/// zip entry and PEM block.
pub fn decode(input: &Input, limits: &Limits, password: Option<&Password>) -> Result<Pool, Error> {
    let passwords: Vec<Password> = password.into_iter().cloned().collect();
    decode_in_run(input, limits, &passwords, &Run::bundle())
}

/// [`decode`] as one input of `run` (a bundle, or a batch of them); each
/// encrypted item tries each of `passwords` in turn.
pub(crate) fn decode_in_run(
    input: &Input,
    limits: &Limits,
    passwords: &[Password],
    run: &Run,
) -> Result<Pool, Error> {
    let source = Source::file(input.name());
    for password in passwords {
        password.check(limits, &source)?;
    }
    let mut decoder = Decoder::new(limits, passwords, run);
    let format = decoder.bytes(input.bytes(), &source, 0)?;
    Ok(decoder.into_pool(input.name(), format))
}
