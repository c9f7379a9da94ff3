//! The three checks of a connection attempt, judged from a [`Connection`]:
//! did the handshake complete and the server accept the client, is the
//! server's chain trusted, and is the chain sent under a CA the server names.

use super::{alert, Connection};
use crate::model::Name;

/// The verdict of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The check holds.
    Pass,
    /// It does not: why, in a typed cause and in words, and how to fix it.
    Fail {
        /// What went wrong, for programs.
        cause: Cause,
        /// What went wrong, in words.
        problem: String,
        /// What to do about it, in words.
        fix: String,
    },
    /// It could not be judged, with what is known instead.
    Skip {
        /// Why it was skipped, when there is something to say.
        info: Option<String>,
    },
}

/// Why a check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// No client certificate or no key: nothing was presented, nothing sent.
    NoIdentity,
    /// rustls refused the chain or key (e.g. a key that is not the leaf's).
    UnusableIdentity,
    /// The address is not `HOST:PORT`.
    InvalidAddress,
    /// The server name is neither a DNS name nor an IP address.
    InvalidServerName,
    /// HOST does not resolve.
    NameNotResolved,
    /// Nothing listens on the port (TCP refused).
    ConnectionRefused,
    /// The address cannot be reached (no route, network down).
    Unreachable,
    /// Connecting or the handshake took longer than the timeout.
    TimedOut,
    /// The peer does not speak TLS (it sent something else).
    NotTls,
    /// The server ended the handshake with this fatal alert.
    Alert(u8),
    /// The server closed the connection without an alert.
    Closed,
    /// The TLS handshake failed on this side (no common version or cipher
    /// suite, a bad handshake signature, a malformed message).
    Tls,
    /// The server's chain was not accepted (`tls.server-trust`).
    ServerCertificate(ServerCertProblem),
    /// No CA the server names is in or above the chain sent
    /// (`tls.client-ca`).
    ClientCaNotNamed,
}

/// What webpki found wrong with the server's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerCertProblem {
    /// No server CA was given, so nothing can be trusted.
    NoServerCa,
    /// The chain does not lead to a given server CA.
    UnknownIssuer,
    /// The certificate does not carry the server name; the names it does.
    NotValidForName {
        /// The DNS names and IP addresses the certificate carries.
        presented: Vec<String>,
    },
    /// A certificate in the chain is expired.
    Expired,
    /// A certificate in the chain is not valid yet.
    NotYetValid,
    /// A certificate in the chain is revoked.
    Revoked,
    /// A signature in the chain does not verify.
    BadSignature,
    /// The certificate is not for server authentication.
    InvalidPurpose,
    /// Another refusal, in rustls' words.
    Other(String),
}

/// `` `A`, `B` `` for a list of names.
fn quoted(names: &[Name]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Connection {
    /// `tls.handshake`: the handshake completed and the server accepted what
    /// was presented (or asked for no client certificate).
    pub fn handshake_outcome(&self) -> Outcome {
        let Some(cause) = &self.failure else {
            return Outcome::Pass;
        };
        let mut problem = self.error.clone().unwrap_or_default();
        let fix = match cause {
            // Asked, and an identity was there, yet nothing went: the key
            // fits none of the server's signature algorithms.
            Cause::Alert(116)
                if self.client_auth_requested
                    && self.sent_certificates == 0
                    && !self.presented.is_empty() =>
            {
                problem.push_str(
                    ", because the client's key can make none of the signature algorithms the server accepts",
                );
                "use a client certificate whose key type the server accepts"
            }
            Cause::Alert(code) => alert::fix(*code),
            other => handshake_fix(other),
        };
        Outcome::Fail {
            cause: cause.clone(),
            problem,
            fix: fix.to_owned(),
        }
    }

    /// `tls.server-trust`: the server's chain leads to a given server CA and
    /// carries the server name. Fails without any server CA; skipped when
    /// the server sent no certificate.
    pub fn server_trust_outcome(&self) -> Outcome {
        let problem = if self.has_server_cas {
            match &self.server_verdict {
                None => {
                    return Outcome::Skip {
                        info: Some("the server sent no certificate: the attempt ended before it".to_owned()),
                    }
                }
                Some(Ok(())) => return Outcome::Pass,
                Some(Err(problem)) => problem.clone(),
            }
        } else {
            ServerCertProblem::NoServerCa
        };
        let (problem_text, fix) = self.server_trust_words(&problem);
        Outcome::Fail {
            cause: Cause::ServerCertificate(problem),
            problem: problem_text,
            fix,
        }
    }

    fn server_trust_words(&self, problem: &ServerCertProblem) -> (String, String) {
        let leaf = self
            .server_chain
            .first()
            .map_or(String::new(), |c| c.subject.to_string());
        match problem {
            ServerCertProblem::NoServerCa => (
                "the server's certificate cannot be trusted: no server CA was given".to_owned(),
                "give the server's CA certificate (the CA chain for the server, which the portal may ship beside the client certificate)".to_owned(),
            ),
            ServerCertProblem::UnknownIssuer => match self.server_chain.last() {
                Some(top) if top.subject.matches(&top.issuer) => (
                    format!("the server's chain ends at `{}`, which is not a given server CA", top.subject),
                    format!("give the certificate of `{}` as the server's CA, if you trust it", top.subject),
                ),
                Some(top) => (
                    format!(
                        "the server's chain ends at `{}`, issued by `{}`, which is not a given server CA",
                        top.subject, top.issuer
                    ),
                    format!("give the certificate of `{}` as the server's CA", top.issuer),
                ),
                None => (
                    "the server's chain does not lead to a given server CA".to_owned(),
                    "give the CA certificate that issued the server's certificate".to_owned(),
                ),
            },
            ServerCertProblem::NotValidForName { presented } => (
                format!(
                    "the server's certificate `{leaf}` does not carry the name `{}`; it carries {}",
                    self.server_name,
                    if presented.is_empty() { "no DNS name or IP address".to_owned() } else { presented.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ") }
                ),
                "connect with a server name the certificate carries, or ask the server's operator for a certificate that carries this one".to_owned(),
            ),
            ServerCertProblem::Expired | ServerCertProblem::NotYetValid => {
                let when = self.server_chain.first().map_or(String::new(), |c| {
                    format!(" (valid {} to {})", c.not_before, c.not_after)
                });
                let state = if *problem == ServerCertProblem::Expired { "expired" } else { "not valid yet" };
                (
                    format!("a certificate in the server's chain is {state}; its certificate `{leaf}`{when}"),
                    "the server's operator must renew it; check this machine's clock too".to_owned(),
                )
            }
            ServerCertProblem::Revoked => (
                "a certificate in the server's chain is revoked".to_owned(),
                "do not trust this server until its operator replaces the certificate".to_owned(),
            ),
            ServerCertProblem::BadSignature => (
                "a signature in the server's chain does not verify".to_owned(),
                "check that the given server CA is the one that issued the server's chain".to_owned(),
            ),
            ServerCertProblem::InvalidPurpose => (
                format!("the server's certificate `{leaf}` is not for server authentication (its extended key usage)"),
                "the server's operator needs a certificate with the serverAuth extended key usage".to_owned(),
            ),
            ServerCertProblem::Other(detail) => (
                format!("the server's chain is not trusted: {detail}"),
                "check the server's chain against the given server CA".to_owned(),
            ),
        }
    }

    /// `tls.client-ca`: a CA the server names is the subject of a
    /// certificate of the chain presented, or the issuer of its top one.
    /// Skipped when the server asked for no client certificate or named no
    /// CA.
    pub fn client_ca_outcome(&self) -> Outcome {
        let skip = |info: &str| Outcome::Skip {
            info: Some(info.to_owned()),
        };
        if !self.client_auth_requested {
            return match self.failure {
                None => skip("the server did not ask for a client certificate"),
                Some(_) => skip("the attempt ended before the server asked for a client certificate"),
            };
        }
        if self.acceptable_client_cas.is_empty() {
            return skip("the server asked for a client certificate without naming the CAs it accepts");
        }
        let Some((top_subject, top_issuer)) = self.presented.last() else {
            return skip("the chain presented holds no certificate that could be read");
        };
        let named = |name: &Name| self.acceptable_client_cas.iter().any(|ca| ca.matches(name));
        if named(top_issuer) || self.presented.iter().any(|(subject, _)| named(subject)) {
            return Outcome::Pass;
        }
        let cas = quoted(&self.acceptable_client_cas);
        // A chain that ends at a self-issued certificate can lead nowhere
        // else; one that ends at an issuer may lack the links above it.
        let (end, fix) = if top_subject.matches(top_issuer) {
            (
                top_subject,
                format!("present a client certificate issued under {cas}"),
            )
        } else {
            (
                top_issuer,
                format!("present a client certificate issued under {cas}, or, if `{top_issuer}` is itself under one of them, send the intermediate CA certificates that link it there"),
            )
        };
        Outcome::Fail {
            cause: Cause::ClientCaNotNamed,
            problem: format!(
                "the server accepts client certificates under {cas}; the chain you sent ends at `{end}`"
            ),
            fix,
        }
    }
}

/// How to fix a handshake that failed for `cause` (alerts have their own).
fn handshake_fix(cause: &Cause) -> &'static str {
    match cause {
        Cause::NoIdentity => "give the client certificate together with its private key",
        Cause::UnusableIdentity => "give the private key that belongs to the client certificate",
        Cause::InvalidAddress => "give the address as HOST:PORT (an IPv6 host in brackets)",
        Cause::InvalidServerName => "give a DNS name or an IP address as the server name",
        Cause::NameNotResolved => "check the host name: it must resolve from this machine (DNS or the hosts file)",
        Cause::ConnectionRefused => "check the port, and that the server is running and listening on it",
        Cause::Unreachable => "check the address and the network path to it (routes, firewalls)",
        Cause::TimedOut => {
            "check that the address is a TLS server reachable from here (a firewall that drops packets looks like this), or allow more time"
        }
        Cause::NotTls => "check the port: it must be the server's TLS port, not a plain-text service",
        Cause::Closed => {
            "look at the server's log for why it dropped the connection; servers that refuse a client certificate without an alert do this"
        }
        Cause::Tls => "check that the server offers TLS 1.2 or 1.3 with current cipher suites and signature algorithms",
        Cause::Alert(_) | Cause::ServerCertificate(_) | Cause::ClientCaNotNamed => {
            "look at the server's log for why it refused the handshake"
        }
    }
}
