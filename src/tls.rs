//! rustls values from a validation: the chain a TLS client sends, its key,
//! and a ready [`ClientConfig`] for mutual TLS.
//!
//! Only `rustls` and `rustls-pki-types` types appear here; the key bytes go
//! straight from the pool's zeroizing buffer into a [`PrivateKeyDer`], which
//! zeroizes itself on drop and never prints its contents.

use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::connect::ConnectRequest;
use crate::model::PrivateKey;
use crate::validate::{InvalidBundle, Validation};

/// Why a [`ClientConfig`] could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// Checks failed and the caller did not accept the bundle explicitly
    /// ([`Validation::accept_invalid`]).
    #[error("no client configuration: {0}")]
    Invalid(#[from] InvalidBundle),
    /// The pool holds no certificate, so there is no leaf to present.
    #[error("no client certificate: the inputs hold no certificate to present")]
    NoCertificate,
    /// The pool holds no private key.
    #[error("no private key: give the leaf's key file, or a PKCS#12 file that holds it")]
    NoKey,
    /// rustls refused the configuration; a key that does not belong to the
    /// leaf is [`rustls::Error::InconsistentKeys`] with
    /// [`rustls::InconsistentKeys::KeyMismatch`].
    #[error("rustls refused the client configuration: {0}")]
    Rustls(#[from] rustls::Error),
}

impl PrivateKey {
    /// The key as rustls takes it: PKCS#8, whatever format it was read
    /// from. The returned value zeroizes itself on drop.
    pub fn to_pki_der(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.pkcs8_der().to_vec()))
    }
}

impl Validation<'_> {
    /// The certificates a TLS client sends: the chain, leaf first, without
    /// the root (the server holds its trust anchor). A chain that does not
    /// end in a root is returned whole; so is a lone self-signed leaf.
    pub fn tls_chain(&self) -> Vec<CertificateDer<'static>> {
        self.chain()
            .presented()
            .iter()
            .map(|c| CertificateDer::from(c.der().to_vec()))
            .collect()
    }

    /// A connection attempt that presents this validation's identity (the
    /// chain as TLS sends it and the leaf's key) and trusts the zip
    /// download's extra CA chains for the server; add more server CAs with
    /// [`ConnectRequest::add_server_cas`]. Run it with [`crate::connect::connect`]
    /// and add the outcome to the report with [`Validation::record_connection`].
    /// It is made whatever the verdict (the server's answer is worth having
    /// for an invalid bundle too); with nothing to present, the attempt does
    /// not connect and its handshake check fails saying so.
    pub fn connect_request(&self, address: impl Into<String>) -> ConnectRequest {
        let server_cas = self
            .pool()
            .extra_ca()
            .iter()
            .flat_map(|chain| chain.certificates())
            .map(|c| CertificateDer::from(c.der().to_vec()))
            .collect();
        ConnectRequest::new(address)
            .client_identity(self.tls_chain(), self.tls_key())
            .server_cas(server_cas)
    }

    /// The private key that belongs to the leaf, as PKCS#8 (see
    /// [`PrivateKey::to_pki_der`]); `None` when no key in the pool matches.
    pub fn tls_key(&self) -> Option<PrivateKeyDer<'static>> {
        self.key().map(PrivateKey::to_pki_der)
    }

    /// A rustls client configuration that presents [`tls_chain`](Self::tls_chain)
    /// and the leaf's key, and trusts `server_roots` for the server's
    /// certificate. Uses the aws-lc-rs provider and rustls' safe default
    /// protocol versions (TLS 1.2 and 1.3).
    ///
    /// When no key in the pool matches the leaf, the pool's first key is
    /// handed to rustls anyway, so the error is rustls' own
    /// `InconsistentKeys(KeyMismatch)`: the same refusal a rustls user would
    /// meet.
    ///
    /// An invalid validation is refused ([`TlsError::Invalid`]) unless it
    /// was accepted with [`Validation::accept_invalid`]; a failing
    /// `chain.order` alone is no refusal (the chain is sent leaf first).
    ///
    /// # Errors
    /// [`TlsError::Invalid`] naming the failing checks;
    /// [`TlsError::NoCertificate`] and [`TlsError::NoKey`] when there is
    /// nothing to present; [`TlsError::Rustls`] when rustls refuses the
    /// certificate or key (for a key that is not the leaf's:
    /// [`rustls::InconsistentKeys::KeyMismatch`]).
    pub fn client_config(
        &self,
        server_roots: impl Into<Arc<RootCertStore>>,
    ) -> Result<ClientConfig, TlsError> {
        self.usable()?;
        let chain = self.tls_chain();
        if chain.is_empty() {
            return Err(TlsError::NoCertificate);
        }
        let key = self
            .key()
            .or_else(|| self.pool().keys().first())
            .ok_or(TlsError::NoKey)?
            .to_pki_der();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        Ok(ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(server_roots)
            .with_client_auth_cert(chain, key)?)
    }
}
