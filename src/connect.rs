//! A real mutual-TLS handshake that says why the server refused
//! (feature `rustls`).
//!
//! [`connect`] presents a client identity (the chain leaf first, without the
//! root, and its key) to a server, checks the server's certificate against
//! the server side's CAs, and returns a [`Connection`]: what was negotiated,
//! what the server sent and asked for, and how it ended. Nothing about the
//! network is an error: a name that does not resolve, a refused port, a
//! timeout, a peer that is not TLS and a server's alert are all data, judged
//! by [`Connection::handshake_outcome`], [`Connection::server_trust_outcome`]
//! and [`Connection::client_ca_outcome`].
//!
//! Two choices differ from an ordinary TLS client, so that one attempt
//! answers every question:
//! - an untrusted server certificate does not end the handshake: its
//!   verdict is recorded and the handshake goes on, so the server still says
//!   whether it accepts the client. (The handshake signatures are checked as
//!   usual, and no application data is sent.)
//! - the client certificate is sent even when the server names CAs it is
//!   not under, so the server's own answer is heard.
//!
//! Under TLS 1.3 a server refuses a client certificate after the client has
//! finished, so after the handshake the client waits for the server's first
//! record, at most 1 s within the timeout: a fatal alert then is a refusal;
//! silence or data means accepted.
//!
//! ```no_run
//! use std::time::Duration;
//! use certbundle::connect::{connect, ConnectRequest, Outcome};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut options = certbundle::Options::default();
//! let pool = certbundle::load_paths(&["client.p12"], &options)?;
//! let validation = certbundle::validate(&pool, &options);
//! let server_ca = certbundle::load_paths(&["server-ca.pem"], &options)?;
//! let request = ConnectRequest::new("api.example.com:443")
//!     .timeout(Duration::from_secs(5))
//!     .client_identity(validation.tls_chain(), validation.tls_key())
//!     .server_cas(server_ca.certificates().iter().map(|c| c.der().to_vec().into()).collect());
//! let connection = connect(&request);
//! if let Outcome::Fail { problem, fix, .. } = connection.handshake_outcome() {
//!     println!("{problem}; {fix}");
//! }
//! # Ok(())
//! # }
//! ```

mod drive;
mod observe;

use std::time::Duration;

use rustls_pki_types::{CertificateDer, PrivateKeyDer};

pub use crate::connection::{Alert, Cause, Connection, Outcome, ServerCertProblem};

/// The timeout when none is given: one bound on connecting, the handshake
/// and the first read after it.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// What to connect to and what to present.
///
/// Built with [`ConnectRequest::new`] and the builder methods. Its `Debug`
/// never shows the key.
#[non_exhaustive]
pub struct ConnectRequest {
    /// `HOST:PORT`; an IPv6 host in brackets (`[::1]:443`).
    pub address: String,
    /// The name the server's certificate must carry; `None`: HOST.
    pub server_name: Option<String>,
    /// One bound on connecting, the handshake and the first read.
    pub timeout: Duration,
    /// The chain to present, leaf first, without the root.
    pub client_chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key.
    pub client_key: Option<PrivateKeyDer<'static>>,
    /// The trust anchors for the server's certificate (the server side).
    pub server_cas: Vec<CertificateDer<'static>>,
}

impl std::fmt::Debug for ConnectRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectRequest")
            .field("address", &self.address)
            .field("server_name", &self.server_name)
            .field("timeout", &self.timeout)
            .field("client_chain", &self.client_chain.len())
            .field("client_key", &self.client_key.as_ref().map(|_| "(hidden)"))
            .field("server_cas", &self.server_cas.len())
            .finish()
    }
}

impl ConnectRequest {
    /// A request to connect to `address` (`HOST:PORT`) with the default
    /// timeout, no identity and no server CAs.
    pub fn new(address: impl Into<String>) -> Self {
        ConnectRequest {
            address: address.into(),
            server_name: None,
            timeout: DEFAULT_TIMEOUT,
            client_chain: Vec::new(),
            client_key: None,
            server_cas: Vec::new(),
        }
    }

    /// The name the server's certificate must carry, instead of HOST.
    pub fn server_name(mut self, name: impl Into<String>) -> Self {
        self.server_name = Some(name.into());
        self
    }

    /// The one bound on connecting, the handshake and the first read.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The identity to present: the chain leaf first without the root (as
    /// [`Validation::tls_chain`](crate::Validation::tls_chain) gives it) and
    /// the leaf's key.
    pub fn client_identity(
        mut self,
        chain: Vec<CertificateDer<'static>>,
        key: Option<PrivateKeyDer<'static>>,
    ) -> Self {
        self.client_chain = chain;
        self.client_key = key;
        self
    }

    /// The CA certificates the server's certificate must lead to (replacing
    /// any set before).
    pub fn server_cas(mut self, cas: Vec<CertificateDer<'static>>) -> Self {
        self.server_cas = cas;
        self
    }

    /// Adds CA certificates the server's certificate may lead to.
    pub fn add_server_cas(mut self, cas: impl IntoIterator<Item = CertificateDer<'static>>) -> Self {
        self.server_cas.extend(cas);
        self
    }

    /// HOST: the address without its port (and without IPv6 brackets).
    fn host(&self) -> &str {
        let host = self
            .address
            .rsplit_once(':')
            .map_or(self.address.as_str(), |(host, _)| host);
        host.strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host)
    }

    /// The name the server's certificate is checked for.
    fn effective_server_name(&self) -> String {
        self.server_name.clone().unwrap_or_else(|| self.host().to_owned())
    }
}

/// Connects to `request.address`, presents the client identity and reports
/// what happened. Never panics and never fails for network reasons: every
/// outcome is in the [`Connection`]. Takes at most about `request.timeout`
/// (a name lookup that hangs is abandoned at the deadline).
///
/// With no chain or no key there is nothing to present: it does not
/// connect, and the handshake outcome fails saying so.
pub fn connect(request: &ConnectRequest) -> Connection {
    let mut connection = Connection::new(
        request.address.clone(),
        request.effective_server_name(),
        request.client_chain.iter().map(|der| der.as_ref()),
        !request.server_cas.is_empty(),
    );
    let (Some(key), false) = (&request.client_key, request.client_chain.is_empty()) else {
        connection.fail(
            Cause::NoIdentity,
            "no client certificate and key to present; nothing was sent".to_owned(),
        );
        return connection;
    };
    let seen = observe::Seen::default();
    let config = match observe::client_config(request, key.clone_key(), &seen) {
        Ok(config) => config,
        Err(error) => {
            connection.fail(
                Cause::UnusableIdentity,
                format!("the client certificate and key cannot be presented: {error}"),
            );
            return connection;
        }
    };
    let session = drive::run(request, &connection.server_name, config);
    connection.protocol = session.protocol;
    connection.cipher = session.cipher;
    if let Err((cause, error)) = session.result {
        connection.fail(cause, error);
    }
    let observed = seen.take();
    connection.set_server_chain(observed.server_chain.iter().map(|der| der.as_ref()));
    connection.server_verdict = observed.server_verdict;
    connection.client_auth_requested = observed.client_auth_requested;
    connection.acceptable_client_cas = observed.acceptable_client_cas;
    connection.sent_certificates = observed.sent_certificates;
    connection
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_is_the_address_without_port_or_ipv6_brackets() {
        for (address, host) in [
            ("api.example.com:443", "api.example.com"),
            ("127.0.0.1:8443", "127.0.0.1"),
            ("[::1]:443", "::1"),
            ("no-port", "no-port"),
        ] {
            assert_eq!(ConnectRequest::new(address).host(), host, "{address}");
        }
        let named = ConnectRequest::new("10.0.0.1:443").server_name("api.example.com");
        assert_eq!(named.effective_server_name(), "api.example.com");
    }

    #[test]
    fn debug_of_a_request_hides_the_key() {
        let key = PrivateKeyDer::Pkcs8(vec![0x30, 0x42, 0x13, 0x37].into());
        let request = ConnectRequest::new("h:1").client_identity(Vec::new(), Some(key));
        let shown = format!("{request:?}");
        assert!(shown.contains("client_key: Some(\"(hidden)\")"), "{shown}");
        assert!(!shown.contains("66, 19, 55"), "{shown}");
    }
}
