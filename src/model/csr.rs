//! PKCS#10 certificate requests.

use std::sync::Arc;

use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::prelude::FromDer;

use super::algorithm::{PublicKey, Signed};
use super::name::Name;
use super::source::Source;
use crate::asn1::shape;
use crate::error::{Error, ErrorKind};

/// A PKCS#10 certification request (RFC 2986).
#[derive(Debug, Clone)]
pub struct CertificateRequest {
    der: Arc<[u8]>,
    subject: Name,
    public_key: PublicKey,
    signed: Signed,
    source: Source,
}

impl CertificateRequest {
    /// Parses a DER request.
    ///
    /// # Errors
    /// [`ErrorKind::Malformed`] when the bytes are not one well-formed request.
    pub fn from_der(der: Vec<u8>, source: Source) -> Result<Self, Error> {
        let der: Arc<[u8]> = der.into();
        let malformed = |detail: String| {
            Error::new(
                &source,
                ErrorKind::malformed("certificate request (PKCS#10)", detail),
            )
        };
        let csr: X509CertificationRequest<'_> =
            shape::parse_whole(&der, &shape::CERTIFICATE_REQUEST, "request").map_err(malformed)?;
        let info = &csr.certification_request_info;
        let signed = Signed::new(
            &der,
            info.raw,
            &csr.signature_algorithm,
            &csr.signature_value.data,
        )
        .ok_or_else(|| malformed("signature fields outside the request".to_owned()))?;
        Ok(CertificateRequest {
            subject: Name::from_x509(&info.subject),
            public_key: PublicKey::from_spki(&info.subject_pki, &der),
            signed,
            source,
            der,
        })
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The requested subject.
    pub fn subject(&self) -> &Name {
        &self.subject
    }

    /// The public key to be certified.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// Where the request came from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The subject's attributes in order, as (short name, value) pairs,
    /// re-read from the DER (only the profile rules need them).
    pub(crate) fn subject_attributes(&self) -> Vec<(String, String)> {
        X509CertificationRequest::from_der(&self.der)
            .map(|(_, csr)| super::name::attributes(&csr.certification_request_info.subject))
            .unwrap_or_default()
    }

    pub(crate) fn signed(&self) -> &Signed {
        &self.signed
    }
}
