//! The state one input is decoded with: the format modules each read their
//! part of the bytes and hand what they find to it.

use crate::error::{Error, ErrorKind};
use crate::input::{Limits, Password};
use crate::model::{
    Certificate, CertificateRequest, EntrySummary, Format, InputSummary, KeyEncoding, NameTable, Opened,
    Pool, PrivateKey, Source,
};

use super::kdf_cost::KdfMeter;
use super::run::{CertificateCache, Run};
use super::sniff::{self, DerKind, Sniffed};
use super::{jks, keys, pem, pkcs12, pkcs7, zip};

/// State shared by the decoders while one input is read.
pub(crate) struct Decoder<'a> {
    pub(super) limits: &'a Limits,
    /// Every password given, tried in turn by each encrypted item.
    passwords: &'a [Password],
    /// The candidate being tried (see [`Decoder::with_passwords`]).
    pub(super) password: Option<&'a Password>,
    /// The encrypted items opened, with the (1-based) password that did.
    opened: Vec<Opened>,
    /// KDF parameters checked and work charged, for this input and its run.
    pub(super) kdf: KdfMeter<'a>,
    pub(super) pool: Pool,
    /// Uncompressed bytes read from zip entries so far (all depths).
    pub(super) zip_bytes: u64,
    /// Zip entries seen, for the input summary.
    pub(super) entries: Vec<EntrySummary>,
    /// Issuer names seen, shared among the certificates.
    issuers: NameTable,
    /// CA certificates parsed before, in a batch.
    parsed: Option<&'a CertificateCache>,
}

impl<'a> Decoder<'a> {
    /// A decoder for one input of `run`.
    pub(super) fn new(limits: &'a Limits, passwords: &'a [Password], run: &'a Run) -> Self {
        Decoder {
            limits,
            passwords,
            password: None,
            opened: Vec::new(),
            kdf: KdfMeter::new(limits, &run.kdf),
            pool: Pool::new(),
            zip_bytes: 0,
            entries: Vec::new(),
            issuers: NameTable::default(),
            parsed: run.certificates.as_ref(),
        }
    }

    /// The pool decoded, with the summary of the input `path` read as `format`.
    pub(super) fn into_pool(self, path: &str, format: Format) -> Pool {
        let mut pool = self.pool;
        pool.opened = self.opened;
        pool.inputs.push(InputSummary {
            path: path.to_owned(),
            format,
            entries: self.entries,
        });
        pool
    }

    /// Sniffs and decodes `bytes`; `depth` counts enclosing zip archives.
    pub(super) fn bytes(&mut self, bytes: &[u8], source: &Source, depth: u32) -> Result<Format, Error> {
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

    /// [`Decoder::bytes`] into a pool of their own, returned with the
    /// format: a zip entry is judged apart (is it the chain, or the extra
    /// CA chain beside it?) before it joins the pool. Budgets, passwords and
    /// what was opened stay shared with this decoder.
    pub(super) fn bytes_apart(
        &mut self,
        bytes: &[u8],
        source: &Source,
        depth: u32,
    ) -> (Result<Format, Error>, Pool) {
        let outer = std::mem::take(&mut self.pool);
        let format = self.bytes(bytes, source, depth);
        (format, std::mem::replace(&mut self.pool, outer))
    }

    /// Decodes one DER structure of a known kind.
    pub(super) fn der(&mut self, kind: DerKind, der: &[u8], source: &Source) -> Result<(), Error> {
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
    pub(super) fn certificate(&mut self, der: Vec<u8>, source: &Source) -> Result<(), Error> {
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
        let mut certificate = match self.parsed {
            Some(parsed) => parsed.certificate(der, source)?,
            None => Certificate::from_der(der, source.clone())?,
        };
        certificate.share_issuer(&mut self.issuers);
        self.pool.certificates.push(certificate);
        Ok(())
    }

    pub(super) fn key(&mut self, key: PrivateKey) {
        self.pool.keys.push(key);
    }
}
