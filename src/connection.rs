//! A connection attempt as data: what the server said and did, and the
//! judgement of the three `tls.*` checks from it. The attempt itself is the
//! `connect` module's (feature `rustls`); this part has no dependency on it,
//! so a report's shape does not change with the features.

// The attempt (feature `rustls`) names alerts' causes; the judgement only their fixes.
#[cfg_attr(not(feature = "rustls"), allow(dead_code))]
pub(crate) mod alert;
mod outcome;

use serde::Serialize;

use crate::finding::{CheckId, Finding, Fix, Severity, Status};
use crate::model::{Certificate, Name, Source};
use crate::report::CertSummary;

pub use outcome::{Cause, Outcome, ServerCertProblem};

/// A fatal alert the server sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// The alert number (RFC 8446 section 6).
    pub code: u8,
    /// Its IANA name, e.g. `unknown_ca`.
    pub name: &'static str,
}

impl Alert {
    /// The alert with number `code`.
    pub fn new(code: u8) -> Self {
        Alert {
            code,
            name: alert::name(code),
        }
    }
}

/// How a connection attempt went: the report's `connection` object.
///
/// The serialised fields are the contract's; the outcome methods judge the
/// three checks from them and from what was presented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Connection {
    /// The address as given (`HOST:PORT`).
    pub address: String,
    /// The name the server's certificate was checked for.
    pub server_name: String,
    /// The negotiated protocol (`TLSv1.3`, `TLSv1.2`), once the server chose.
    pub protocol: Option<&'static str>,
    /// The negotiated cipher suite, IANA name
    /// (`TLS_AES_256_GCM_SHA384`), once the server chose.
    pub cipher: Option<String>,
    /// The certificates the server sent, in its order.
    pub server_chain: Vec<CertSummary>,
    /// Whether the server asked for a client certificate.
    pub client_auth_requested: bool,
    /// The CAs the server said it accepts client certificates under
    /// (`certificate_authorities`); names that do not decode are left out.
    pub acceptable_client_cas: Vec<Name>,
    /// How many certificates were sent to the server.
    pub sent_certificates: usize,
    /// The fatal alert the server sent, if any.
    pub alert: Option<Alert>,
    /// What ended the attempt, in words; `None` when the server accepted.
    pub error: Option<String>,
    /// Why the handshake failed; `None` when it passed.
    #[serde(skip)]
    failure: Option<Cause>,
    /// The webpki verdict on the server's chain, once it was seen.
    #[serde(skip)]
    pub(crate) server_verdict: Option<Result<(), ServerCertProblem>>,
    /// Whether the request had any server CA.
    #[serde(skip)]
    has_server_cas: bool,
    /// Subject and issuer of each certificate of the chain presented.
    #[serde(skip)]
    presented: Vec<(Name, Name)>,
}

// Made and filled only by the `connect` module (feature `rustls`).
#[cfg_attr(not(feature = "rustls"), allow(dead_code))]
impl Connection {
    /// An attempt on `address`, checking the server for `server_name`,
    /// presenting `chain` (DER, leaf first), with or without server CAs.
    pub(crate) fn new<'d>(
        address: String,
        server_name: String,
        chain: impl Iterator<Item = &'d [u8]>,
        has_server_cas: bool,
    ) -> Self {
        let source = Source::file(address.clone());
        let presented = chain
            .filter_map(|der| Certificate::from_der(der.to_vec(), source.clone()).ok())
            .map(|c| (c.subject().clone(), c.issuer().clone()))
            .collect();
        Connection {
            address,
            server_name,
            protocol: None,
            cipher: None,
            server_chain: Vec::new(),
            client_auth_requested: false,
            acceptable_client_cas: Vec::new(),
            sent_certificates: 0,
            alert: None,
            error: None,
            failure: None,
            server_verdict: None,
            has_server_cas,
            presented,
        }
    }

    /// Records why the handshake failed.
    pub(crate) fn fail(&mut self, cause: Cause, error: String) {
        if let Cause::Alert(code) = cause {
            self.alert = Some(Alert::new(code));
        }
        self.failure = Some(cause);
        self.error = Some(error);
    }

    /// The server's chain as it sent it, summarised; certificates that do
    /// not parse are left out.
    pub(crate) fn set_server_chain<'d>(&mut self, chain: impl Iterator<Item = &'d [u8]>) {
        let source = Source::file(self.address.clone());
        self.server_chain = chain
            .filter_map(|der| Certificate::from_der(der.to_vec(), source.clone()).ok())
            .map(|c| CertSummary::of(&c))
            .collect();
    }
}

impl Connection {
    /// The three `tls.*` checks judged from this attempt: status and
    /// findings of each.
    pub(crate) fn checks(&self) -> [(CheckId, Status, Option<Finding>); 3] {
        [
            (CheckId::TlsHandshake, self.handshake_outcome()),
            (CheckId::TlsServerTrust, self.server_trust_outcome()),
            (CheckId::TlsClientCa, self.client_ca_outcome()),
        ]
        .map(|(id, outcome)| match outcome {
            Outcome::Pass => (id, Status::Pass, None),
            Outcome::Skip { info } => (
                id,
                Status::Skip,
                info.map(|info| Finding::new(id, Severity::Info, None, info, None)),
            ),
            Outcome::Fail { cause, problem, fix } => {
                let fix = match cause {
                    Cause::ServerCertificate(ServerCertProblem::NoServerCa) => Fix::GiveServerCa,
                    _ => Fix::Connection { advice: fix },
                };
                (
                    id,
                    Status::Fail,
                    Some(Finding::new(id, Severity::Error, None, problem, Some(fix))),
                )
            }
        })
    }
}
