//! One certificate: its DER, fingerprint, provenance and the parsed fields
//! the chain builder and the checks use. Parsed once, at decode time.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use x509_parser::certificate::{TbsCertificate, X509Certificate};
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::FromDer;

use super::algorithm::{PublicKey, SignatureAlgorithm, Signed};
use super::name::{Name, NameTable};
use super::source::Source;
use super::span::Span;
use crate::asn1::shape;
use crate::error::{Error, ErrorKind};
use crate::timestamp::Time;

/// A certificate with its raw DER, SHA-256 fingerprint and provenance.
///
/// Byte fields (serial, key identifiers, signature) are kept as spans of the
/// DER rather than copies: a pool may hold many thousands of certificates.
#[derive(Clone)]
pub struct Certificate {
    der: Arc<[u8]>,
    sha256: [u8; 32],
    source: Source,
    version: u32,
    serial: Span,
    subject: Name,
    issuer: Name,
    not_before: Time,
    not_after: Time,
    public_key: PublicKey,
    signed: Signed,
    basic_constraints: Option<BasicConstraints>,
    key_usage: Option<KeyUsage>,
    extended_key_usage: Option<ExtendedKeyUsage>,
    subject_key_id: Option<Span>,
    authority_key_id: Option<Span>,
    /// Critical extensions certbundle does not process, as dotted OIDs.
    unprocessed_critical: Box<[String]>,
}

/// The basicConstraints extension (RFC 5280 section 4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicConstraints {
    /// cA: the key may sign certificates.
    pub ca: bool,
    /// pathLenConstraint: most non-self-issued intermediates that may follow.
    pub path_len: Option<u32>,
    /// Whether the extension is marked critical (RFC 5280 requires it in CA certificates).
    pub critical: bool,
}

/// The keyUsage extension (RFC 5280 section 4.2.1.3), as its bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyUsage(u16);

impl KeyUsage {
    /// digitalSignature.
    pub fn digital_signature(self) -> bool {
        self.0 & 1 != 0
    }
    /// keyCertSign.
    pub fn key_cert_sign(self) -> bool {
        self.0 & (1 << 5) != 0
    }
    /// The usages set, by RFC 5280 name.
    pub fn names(self) -> Vec<&'static str> {
        const NAMES: [&str; 9] = [
            "digitalSignature",
            "nonRepudiation",
            "keyEncipherment",
            "dataEncipherment",
            "keyAgreement",
            "keyCertSign",
            "cRLSign",
            "encipherOnly",
            "decipherOnly",
        ];
        NAMES
            .iter()
            .enumerate()
            .filter(|(bit, _)| self.0 & (1 << bit) != 0)
            .map(|(_, name)| *name)
            .collect()
    }
}

/// The extendedKeyUsage extension (RFC 5280 section 4.2.1.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtendedKeyUsage {
    /// Which of [`NAMED_PURPOSES`] are present, one bit each.
    named: u8,
    /// The other purposes, as dotted OIDs.
    other: Box<[String]>,
}

/// The purposes x509-parser names, in report order.
const NAMED_PURPOSES: [&str; 7] = [
    "anyExtendedKeyUsage",
    "serverAuth",
    "clientAuth",
    "codeSigning",
    "emailProtection",
    "timeStamping",
    "OCSPSigning",
];

impl ExtendedKeyUsage {
    fn from_x509(eku: &x509_parser::extensions::ExtendedKeyUsage<'_>) -> Self {
        let set = [
            eku.any,
            eku.server_auth,
            eku.client_auth,
            eku.code_signing,
            eku.email_protection,
            eku.time_stamping,
            eku.ocsp_signing,
        ];
        ExtendedKeyUsage {
            named: set
                .iter()
                .enumerate()
                .filter(|(_, on)| **on)
                .fold(0, |bits, (i, _)| bits | 1 << i),
            other: eku.other.iter().map(|oid| oid.to_id_string()).collect(),
        }
    }

    /// anyExtendedKeyUsage.
    pub fn any(&self) -> bool {
        self.has(0)
    }

    /// id-kp-serverAuth.
    pub fn server_auth(&self) -> bool {
        self.has(1)
    }

    /// id-kp-clientAuth.
    pub fn client_auth(&self) -> bool {
        self.has(2)
    }

    /// Whether purpose `index` of [`NAMED_PURPOSES`] is present.
    fn has(&self, index: usize) -> bool {
        self.named & (1 << index) != 0
    }

    /// Every purpose, by name or dotted OID.
    pub fn purposes(&self) -> Vec<Cow<'_, str>> {
        NAMED_PURPOSES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.has(*i))
            .map(|(_, name)| Cow::Borrowed(*name))
            .chain(self.other.iter().map(|oid| Cow::Borrowed(oid.as_str())))
            .collect()
    }
}

/// RFC 5280 section 4.2: "A certificate MUST NOT include more than one
/// instance of a particular extension"; OpenSSL refuses such a certificate,
/// and x509-parser only notices for a few OIDs. The error is the defect.
fn no_repeated_extension(tbs: &TbsCertificate<'_>) -> Result<(), String> {
    let mut oids = std::collections::HashSet::new();
    match tbs
        .extensions()
        .iter()
        .find(|ext| !oids.insert(ext.oid.as_bytes()))
    {
        Some(twice) => Err(format!(
            "two extensions with OID {} (RFC 5280 section 4.2 allows one of each)",
            twice.oid.to_id_string()
        )),
        None => Ok(()),
    }
}

/// What the checks read from a certificate's extensions.
#[derive(Default)]
struct Extensions {
    basic_constraints: Option<BasicConstraints>,
    key_usage: Option<KeyUsage>,
    extended_key_usage: Option<ExtendedKeyUsage>,
    subject_key_id: Option<Span>,
    authority_key_id: Option<Span>,
    unprocessed_critical: Vec<String>,
}

impl Extensions {
    /// Reads them from `tbs`, a part of `der`. The error is the defect.
    fn read(tbs: &TbsCertificate<'_>, der: &[u8]) -> Result<Self, String> {
        let span = |field: &[u8]| {
            Span::within(der, field).ok_or_else(|| "a field outside the certificate".to_owned())
        };
        let mut read = Extensions::default();
        for ext in tbs.extensions() {
            if ext.critical {
                let oid = ext.oid.to_id_string();
                if !super::critical::is_processed(&oid) {
                    read.unprocessed_critical.push(oid);
                }
            }
            match ext.parsed_extension() {
                ParsedExtension::BasicConstraints(bc) => {
                    read.basic_constraints = Some(BasicConstraints {
                        ca: bc.ca,
                        path_len: bc.path_len_constraint,
                        critical: ext.critical,
                    })
                }
                ParsedExtension::KeyUsage(ku) => read.key_usage = Some(KeyUsage(ku.flags)),
                ParsedExtension::ExtendedKeyUsage(eku) => {
                    read.extended_key_usage = Some(ExtendedKeyUsage::from_x509(eku))
                }
                ParsedExtension::SubjectKeyIdentifier(ski) => read.subject_key_id = Some(span(ski.0)?),
                ParsedExtension::AuthorityKeyIdentifier(aki) => {
                    read.authority_key_id = aki.key_identifier.as_ref().map(|k| span(k.0)).transpose()?
                }
                ParsedExtension::ParseError { .. } => {
                    return Err(format!(
                        "the value of extension {} ({} bytes) does not decode as its definition requires",
                        ext.oid.to_id_string(),
                        ext.value.len()
                    ))
                }
                _ => {}
            }
        }
        Ok(read)
    }
}

impl Certificate {
    /// Parses a DER certificate; `source` says where it came from.
    ///
    /// # Errors
    /// [`ErrorKind::Malformed`] when the bytes are not one well-formed
    /// certificate (trailing bytes included).
    pub fn from_der(der: Vec<u8>, source: Source) -> Result<Self, Error> {
        let sha256 = crate::digest::fingerprint(&der);
        Certificate::from_der_hashed(der, sha256, source)
    }

    /// [`Certificate::from_der`] for a caller that has hashed the DER
    /// already (the batch's certificate cache keys on it): `sha256` must be
    /// the SHA-256 of `der`.
    pub(crate) fn from_der_hashed(der: Vec<u8>, sha256: [u8; 32], source: Source) -> Result<Self, Error> {
        // Shared with the public key, which is a view of it.
        let der: Arc<[u8]> = der.into();
        let malformed = |detail: String| Error::new(&source, ErrorKind::malformed("certificate", detail));
        let cert: X509Certificate<'_> =
            shape::parse_whole(&der, &shape::CERTIFICATE, "certificate").map_err(malformed)?;
        let tbs = &cert.tbs_certificate;
        no_repeated_extension(tbs).map_err(malformed)?;
        let span = |field: &[u8]| {
            Span::within(&der, field).ok_or_else(|| malformed("a field outside the certificate".to_owned()))
        };
        let signed = Signed::new(
            &der,
            tbs.as_ref(),
            &cert.signature_algorithm,
            &cert.signature_value.data,
        )
        .ok_or_else(|| malformed("signature fields outside the certificate".to_owned()))?;
        let Extensions {
            basic_constraints,
            key_usage,
            extended_key_usage,
            subject_key_id,
            authority_key_id,
            unprocessed_critical,
        } = Extensions::read(tbs, &der).map_err(malformed)?;
        let certificate = Certificate {
            sha256,
            version: tbs.version.0.saturating_add(1),
            serial: span(tbs.raw_serial())?,
            subject: Name::from_x509(tbs.subject()),
            issuer: Name::from_x509(tbs.issuer()),
            not_before: Time::from_unix(tbs.validity().not_before.timestamp()),
            not_after: Time::from_unix(tbs.validity().not_after.timestamp()),
            public_key: PublicKey::from_spki(tbs.public_key(), &der),
            signed,
            basic_constraints,
            key_usage,
            extended_key_usage,
            subject_key_id,
            authority_key_id,
            unprocessed_critical: unprocessed_critical.into(),
            source,
            der,
        };
        Ok(certificate)
    }

    /// The DER encoding, as read.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// SHA-256 of the DER.
    pub fn sha256(&self) -> &[u8; 32] {
        &self.sha256
    }

    /// SHA-256 of the DER as lowercase hex.
    pub fn sha256_hex(&self) -> String {
        crate::digest::hex(&self.sha256)
    }

    /// Where the certificate was found.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// X.509 version (1, 2 or 3).
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The serial number as big-endian bytes (as encoded).
    pub fn serial(&self) -> &[u8] {
        self.field(self.serial)
    }

    /// The serial number as lowercase hex.
    pub fn serial_hex(&self) -> String {
        crate::digest::hex(self.serial())
    }

    /// The subject name.
    pub fn subject(&self) -> &Name {
        &self.subject
    }

    /// The issuer name.
    pub fn issuer(&self) -> &Name {
        &self.issuer
    }

    /// notBefore: the certificate is not valid before it.
    pub fn not_before(&self) -> Time {
        self.not_before
    }

    /// notAfter: the certificate is not valid after it.
    pub fn not_after(&self) -> Time {
        self.not_after
    }

    /// The subject public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// How the certificate is signed.
    pub fn signature_algorithm(&self) -> &SignatureAlgorithm {
        &self.signed.algorithm
    }

    /// The subject's attributes in order, as (short name, value) pairs,
    /// re-read from the DER (only the profile rules need them).
    pub(crate) fn subject_attributes(&self) -> Vec<(String, String)> {
        X509Certificate::from_der(self.der())
            .map(|(_, cert)| super::name::attributes(cert.subject()))
            .unwrap_or_default()
    }

    pub(crate) fn signed(&self) -> &Signed {
        &self.signed
    }

    /// basicConstraints, when present.
    pub fn basic_constraints(&self) -> Option<BasicConstraints> {
        self.basic_constraints
    }

    /// keyUsage, when present.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.key_usage
    }

    /// extendedKeyUsage, when present.
    pub fn extended_key_usage(&self) -> Option<&ExtendedKeyUsage> {
        self.extended_key_usage.as_ref()
    }

    /// subjectKeyIdentifier, when present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.subject_key_id.map(|s| self.field(s))
    }

    /// The critical extensions certbundle does not process (dotted OIDs, in
    /// certificate order): RFC 5280 4.2 requires rejecting the certificate
    /// when it is on the chain.
    pub fn unprocessed_critical_extensions(&self) -> &[String] {
        &self.unprocessed_critical
    }

    /// The keyIdentifier of authorityKeyIdentifier, when present.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.authority_key_id.map(|s| self.field(s))
    }

    /// A field, by its span of the DER (checked at parse time).
    fn field(&self, span: Span) -> &[u8] {
        span.of(&self.der).unwrap_or_default()
    }

    /// This certificate as read from `source` (a batch's bundles share one parse).
    pub(crate) fn with_source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    /// Shares the issuer name with the other certificates `table` has seen.
    pub(crate) fn share_issuer(&mut self, table: &mut NameTable) {
        table.share(&mut self.issuer);
    }

    /// Whether basicConstraints says cA.
    pub fn is_ca(&self) -> bool {
        self.basic_constraints.is_some_and(|bc| bc.ca)
    }

    /// Whether subject and issuer are the same name (RFC 5280 7.1).
    pub fn is_self_issued(&self) -> bool {
        self.subject.matches(&self.issuer)
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject.as_str())
            .field("issuer", &self.issuer.as_str())
            .field("serial", &self.serial_hex())
            .field("sha256", &self.sha256_hex())
            .field("source", &self.source.to_string())
            .finish_non_exhaustive()
    }
}
