//! Decoding: bytes in, material into a [`Pool`]. The format is sniffed from
//! the bytes (never the file name); one module per format.

pub(crate) mod jks;
mod kdf;
mod keys;
mod pem;
mod pkcs12;
mod pkcs7;
mod sniff;
mod zip;

use crate::error::{Error, ErrorKind};
use crate::input::{Input, Limits, Password};
use crate::model::{
    Certificate, CertificateRequest, Format, InputSummary, NameTable, Pool, PrivateKey, Source,
};

use sniff::{DerKind, Sniffed};

/// Decodes one input into a pool holding everything it carries.
///
/// `password` opens PKCS#12 files, Java keystores and encrypted private keys.
///
/// # Errors
/// Any [`ErrorKind`]: unreadable or unrecognised bytes, a wrong or missing
/// password, a limit exceeded. The error names the file, zip entry and PEM
/// block.
pub fn decode(input: &Input, limits: &Limits, password: Option<&Password>) -> Result<Pool, Error> {
    let source = Source::file(input.name());
    if let Some(password) = password {
        password.check(limits, &source)?;
    }
    let mut decoder = Decoder {
        limits,
        password,
        pool: Pool::new(),
        zip_bytes: 0,
        entries: Vec::new(),
        issuers: NameTable::default(),
    };
    let format = decoder.bytes(input.bytes(), &source, 0)?;
    let mut pool = decoder.pool;
    pool.inputs.push(InputSummary {
        path: input.name().to_owned(),
        format,
        entries: decoder.entries,
    });
    Ok(pool)
}

/// State shared by the decoders while one input is read.
pub(crate) struct Decoder<'a> {
    limits: &'a Limits,
    password: Option<&'a Password>,
    pool: Pool,
    /// Uncompressed bytes read from zip entries so far (all depths).
    zip_bytes: u64,
    /// Zip entries seen, for the input summary.
    entries: Vec<crate::model::EntrySummary>,
    /// Issuer names seen, shared among the certificates.
    issuers: NameTable,
}

impl Decoder<'_> {
    /// Sniffs and decodes `bytes`; `depth` counts enclosing zip archives.
    fn bytes(&mut self, bytes: &[u8], source: &Source, depth: u32) -> Result<Format, Error> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match sniff::sniff(bytes) {
            Sniffed::Empty => Err(Error::new(source, ErrorKind::Empty)),
            Sniffed::Zip => {
                zip::decode(self, bytes, source, depth)?;
                Ok(Format::Zip)
            }
            Sniffed::Jks => {
                // Another engineer makes passwords repeatable; until then one candidate.
                let passwords: Vec<&Password> = self.password.into_iter().collect();
                jks::decode(self, bytes, source, &passwords)?;
                Ok(Format::Jks)
            }
            Sniffed::Pem => {
                pem::decode(self, bytes, source)?;
                Ok(Format::Pem)
            }
            Sniffed::Der(kind) => {
                self.der(kind, bytes, source)?;
                Ok(kind.format())
            }
            Sniffed::Truncated { declared, present } => Err(Error::new(
                source,
                ErrorKind::malformed(
                    "DER structure",
                    format!(
                        "truncated: the outer SEQUENCE declares {declared} bytes but only {present} follow"
                    ),
                ),
            )),
            Sniffed::Unknown(found) => Err(Error::new(source, ErrorKind::UnrecognisedFormat { found })),
        }
    }

    /// Decodes one DER structure of a known kind.
    fn der(&mut self, kind: DerKind, der: &[u8], source: &Source) -> Result<(), Error> {
        match kind {
            DerKind::Certificate => self.certificate(der.to_vec(), source),
            DerKind::ContentInfo => pkcs7::decode(self, der, source),
            DerKind::Pfx => pkcs12::decode(self, der, source),
            DerKind::CertificationRequest => {
                let request = CertificateRequest::from_der(der.to_vec(), source.clone())?;
                self.pool.requests.push(request);
                Ok(())
            }
            DerKind::Key(form) => {
                let key = keys::decode(der, form, source, self.password, self.limits)?;
                self.key(key);
                Ok(())
            }
        }
    }

    /// Adds a certificate, enforcing the pool size limit.
    fn certificate(&mut self, der: Vec<u8>, source: &Source) -> Result<(), Error> {
        let limit = self.limits.max_certificates;
        if self.pool.certificate_count() >= limit {
            return Err(Error::new(
                source,
                ErrorKind::limit(
                    "number of certificates",
                    u64::try_from(limit).unwrap_or(u64::MAX),
                    u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1),
                ),
            ));
        }
        let mut certificate = Certificate::from_der(der, source.clone())?;
        certificate.share_issuer(&mut self.issuers);
        self.pool.certificates.push(certificate);
        Ok(())
    }

    fn key(&mut self, key: PrivateKey) {
        self.pool.keys.push(key);
    }
}
