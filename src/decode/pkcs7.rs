//! PKCS#7 / CMS SignedData (RFC 5652 section 5.1) as a certificate bag: the
//! `.p7b` download, DER or BER, certificates in no defined order.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
//! SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
//!     certificates [0] IMPLICIT CertificateSet OPTIONAL, crls [1] ..., signerInfos }
//! ```

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::{Decode, Encode};

use crate::error::{Error, ErrorKind};
use crate::model::Source;

use super::Decoder;

const EXPECTED: &str = "PKCS#7 SignedData";
/// id-signedData; evaluated at compile time.
const SIGNED_DATA: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");

pub(super) fn decode(dec: &mut Decoder<'_>, ber: &[u8], source: &Source) -> Result<(), Error> {
    let malformed = |detail: String| Error::new(source, ErrorKind::malformed(EXPECTED, detail));
    // BER at both levels: indefinite lengths occur (`openssl cms -stream`),
    // and DER decoding would re-sort the SET OF certificates.
    let info = ContentInfo::from_ber(ber).map_err(|e| malformed(e.to_string()))?;
    if info.content_type != SIGNED_DATA {
        return Err(Error::new(
            source,
            ErrorKind::Unsupported {
                what: "PKCS#7 content type",
                found: format!("{} (expected signedData 1.2.840.113549.1.7.2)", info.content_type),
            },
        ));
    }
    let content = info.content.to_der().map_err(|e| malformed(e.to_string()))?;
    let signed = SignedData::from_ber(&content).map_err(|e| malformed(e.to_string()))?;
    let Some(certificates) = signed.certificates else {
        return Ok(());
    };
    for choice in certificates.0.iter() {
        if let CertificateChoices::Certificate(cert) = choice {
            let der = cert.to_der().map_err(|e| malformed(e.to_string()))?;
            dec.certificate(der, source)?;
        }
    }
    Ok(())
}
