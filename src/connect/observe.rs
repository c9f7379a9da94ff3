//! The client's two listening posts inside rustls: a server certificate
//! verifier that records webpki's verdict and lets the handshake go on, and
//! a client certificate resolver that records what the server asked for.

use std::sync::{Arc, Mutex, MutexGuard};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ResolvesClientCert, WebPkiServerVerifier};
use rustls::crypto::CryptoProvider;
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};

use rustls::CertificateError;

use super::ConnectRequest;
use crate::connection::ServerCertProblem;
use crate::model::Name;

/// What the verifier and the resolver saw during one handshake.
#[derive(Debug, Default)]
pub(super) struct Observed {
    /// The server's certificates, end entity first.
    pub(super) server_chain: Vec<CertificateDer<'static>>,
    /// webpki's verdict on them; `None` until they arrived.
    pub(super) server_verdict: Option<Result<(), ServerCertProblem>>,
    /// Whether the server sent a CertificateRequest.
    pub(super) client_auth_requested: bool,
    /// The CAs it named, decoded.
    pub(super) acceptable_client_cas: Vec<Name>,
    /// How many certificates went back.
    pub(super) sent_certificates: usize,
}

/// [`Observed`], shared with the callbacks rustls holds.
#[derive(Debug, Clone, Default)]
pub(super) struct Seen(Arc<Mutex<Observed>>);

impl Seen {
    fn lock(&self) -> MutexGuard<'_, Observed> {
        // A callback that panicked left nothing half-written that matters.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What was seen, leaving the record empty.
    pub(super) fn take(&self) -> Observed {
        std::mem::take(&mut *self.lock())
    }
}

/// The client configuration of one attempt: rustls' safe defaults (TLS 1.2
/// and 1.3, aws-lc-rs), the recording verifier and resolver.
///
/// # Errors
/// rustls' refusal of the chain or key (e.g. a key that is not the leaf's).
pub(super) fn client_config(
    request: &ConnectRequest,
    key: PrivateKeyDer<'static>,
    seen: &Seen,
) -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let identity = Arc::new(CertifiedKey::from_der(
        request.client_chain.clone(),
        key,
        &provider,
    )?);
    let mut roots = RootCertStore::empty();
    // A CA rustls cannot use as an anchor is simply not one; the verdict
    // then says the server's issuer is unknown.
    let _ = roots.add_parsable_certificates(request.server_cas.iter().cloned());
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
        .build()
        .ok();
    let verifier = Recorder {
        webpki,
        provider: Arc::clone(&provider),
        seen: seen.clone(),
    };
    let presenter = Presenter {
        identity,
        seen: seen.clone(),
    };
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_client_cert_resolver(Arc::new(presenter)))
}

/// Records webpki's verdict on the server's chain and accepts it either way;
/// handshake signatures are still verified for real.
#[derive(Debug)]
struct Recorder {
    /// `None` when there is no server CA to verify against.
    webpki: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
    seen: Seen,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = match &self.webpki {
            Some(webpki) => webpki
                .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
                .map(|_| ())
                .map_err(|e| server_cert_problem(&e, end_entity)),
            None => Err(ServerCertProblem::NoServerCa),
        };
        let mut seen = self.seen.lock();
        seen.server_chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.clone().into_owned())
            .collect();
        seen.server_verdict = Some(verdict);
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Presents the identity whatever CAs the server names, and records that it
/// was asked, the names, and how many certificates went back.
#[derive(Debug)]
struct Presenter {
    identity: Arc<CertifiedKey>,
    seen: Seen,
}

impl ResolvesClientCert for Presenter {
    fn resolve(
        &self,
        root_hint_subjects: &[&[u8]],
        sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        let mut seen = self.seen.lock();
        seen.client_auth_requested = true;
        seen.acceptable_client_cas = root_hint_subjects
            .iter()
            .filter_map(|der| Name::from_der(der))
            .collect();
        // rustls sends an empty Certificate message when the key can make
        // none of the signatures the server accepts; count what really goes.
        if self.identity.key.choose_scheme(sigschemes).is_some() {
            seen.sent_certificates = self.identity.cert.len();
            Some(Arc::clone(&self.identity))
        } else {
            None
        }
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// The problem behind rustls' verdict `error` on the chain whose end
/// entity is `end_entity` (DER).
fn server_cert_problem(error: &rustls::Error, end_entity: &[u8]) -> ServerCertProblem {
    let rustls::Error::InvalidCertificate(cert) = error else {
        return ServerCertProblem::Other(error.to_string());
    };
    match cert {
        CertificateError::UnknownIssuer => ServerCertProblem::UnknownIssuer,
        // webpki's own list is Debug text; read the names instead.
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            ServerCertProblem::NotValidForName {
                presented: subject_alt_names(end_entity),
            }
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => ServerCertProblem::Expired,
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            ServerCertProblem::NotYetValid
        }
        CertificateError::Revoked => ServerCertProblem::Revoked,
        CertificateError::BadSignature => ServerCertProblem::BadSignature,
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            ServerCertProblem::InvalidPurpose
        }
        _ => ServerCertProblem::Other(error.to_string()),
    }
}

/// The DNS names and IP addresses of a certificate's subjectAltName, in
/// its order (RFC 5280 section 4.2.1.6); none when it does not parse.
fn subject_alt_names(der: &[u8]) -> Vec<String> {
    use x509_parser::extensions::GeneralName;
    use x509_parser::prelude::FromDer;
    let Ok((_, cert)) = x509_parser::certificate::X509Certificate::from_der(der) else {
        return Vec::new();
    };
    let Ok(Some(san)) = cert.subject_alternative_name() else {
        return Vec::new();
    };
    san.value
        .general_names
        .iter()
        .filter_map(|name| match name {
            GeneralName::DNSName(dns) => Some((*dns).to_owned()),
            GeneralName::IPAddress(bytes) => match *bytes {
                [a, b, c, d] => Some(std::net::Ipv4Addr::from([*a, *b, *c, *d]).to_string()),
                bytes => <[u8; 16]>::try_from(bytes)
                    .ok()
                    .map(|v6| std::net::Ipv6Addr::from(v6).to_string()),
            },
            _ => None,
        })
        .collect()
}
