//! Decoding: bytes in, material into a [`Pool`]. The format is sniffed from
//! the bytes (never the file name); one module per format.

pub(crate) mod jks;
mod kdf_cost;
mod keys;
mod oid;
mod pbe;
mod pem;
mod pkcs12;
mod pkcs7;
mod sniff;
mod zip;

use crate::error::{Error, ErrorKind};
use crate::input::{Input, Limits, Password};
use crate::model::{
    Certificate, CertificateRequest, Format, InputSummary, KeyEncoding, NameTable, Opened, Pool, PrivateKey,
    Source,
};

use kdf_cost::KdfMeter;
pub(crate) use kdf_cost::RunMeter;
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
    let passwords: Vec<Password> = password.into_iter().cloned().collect();
    decode_in_run(input, limits, &passwords, &RunMeter::default())
}

/// [`decode`] as one input of a run (a bundle) whose KDF work `run` sums;
/// each encrypted item tries each of `passwords` in turn.
pub(crate) fn decode_in_run(
    input: &Input,
    limits: &Limits,
    passwords: &[Password],
    run: &RunMeter,
) -> Result<Pool, Error> {
    let source = Source::file(input.name());
    for password in passwords {
        password.check(limits, &source)?;
    }
    let mut decoder = Decoder {
        limits,
        passwords,
        password: None,
        opened: Vec::new(),
        kdf: KdfMeter::new(limits, run),
        pool: Pool::new(),
        zip_bytes: 0,
        entries: Vec::new(),
        issuers: NameTable::default(),
    };
    let format = decoder.bytes(input.bytes(), &source, 0)?;
    let mut pool = decoder.pool;
    pool.opened = decoder.opened;
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
    /// Every password given, tried in turn by each encrypted item.
    passwords: &'a [Password],
    /// The candidate being tried (see [`Decoder::with_passwords`]).
    password: Option<&'a Password>,
    /// The encrypted items opened, with the (1-based) password that did.
    opened: Vec<Opened>,
    /// KDF parameters checked and work charged, for this input and its run.
    kdf: KdfMeter<'a>,
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
                // A store and its keys may each have their own password: the
                // decoder tries every candidate itself.
                let passwords: Vec<&Password> = self.passwords.iter().collect();
                if let Some(index) = jks::decode(self, bytes, source, &passwords)? {
                    self.record_opened(source, index);
                }
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
            DerKind::Pfx => self.with_passwords(source, |dec| pkcs12::decode(dec, der, source)),
            DerKind::CertificationRequest => {
                let request = CertificateRequest::from_der(der.to_vec(), source.clone())?;
                self.pool.requests.push(request);
                Ok(())
            }
            DerKind::Key(form) => {
                let key = if form == KeyEncoding::EncryptedPkcs8 {
                    self.with_passwords(source, |dec| {
                        keys::decode(der, form, source, dec.password, &dec.kdf, dec.limits)
                    })?
                } else {
                    keys::decode(der, form, source, None, &self.kdf, self.limits)?
                };
                self.key(key);
                Ok(())
            }
        }
    }

    /// Runs `attempt` with each given password in turn (with none when none
    /// was given) until one is not refused as wrong, and records which one
    /// opened `source`. Attempts leave nothing behind: the decoders add to
    /// the pool only once an item is open.
    pub(crate) fn with_passwords<T>(
        &mut self,
        source: &Source,
        mut attempt: impl FnMut(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let passwords = self.passwords;
        let mut refused = None;
        for (index, password) in passwords.iter().enumerate() {
            self.password = Some(password);
            let result = attempt(self);
            self.password = None;
            match result {
                Ok(value) => {
                    self.record_opened(source, index);
                    return Ok(value);
                }
                Err(error) if matches!(error.kind(), ErrorKind::WrongPassword { .. }) => {
                    refused = Some(error)
                }
                Err(error) => return Err(error),
            }
        }
        match refused {
            Some(error) => Err(error),
            None => attempt(self),
        }
    }

    /// Notes that the password at `index` (0-based) opened `source`.
    fn record_opened(&mut self, source: &Source, index: usize) {
        let opened = Opened {
            path: source.file_and_entry(),
            password: index.saturating_add(1),
        };
        if !self.opened.contains(&opened) {
            self.opened.push(opened);
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
