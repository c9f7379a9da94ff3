//! `certbundle::connect` against real peers on 127.0.0.1: `openssl s_server`
//! (accepting, refusing, TLS 1.2 or 1.3 only, not asking for a client
//! certificate), a rustls server with `WebPkiClientVerifier`, and plain TCP
//! listeners that are not TLS or never answer; plus a closed port and a name
//! that does not resolve. Every server is started here on a free port and
//! stopped by its PID when the test ends; every attempt is bounded.
#![cfg(feature = "rustls")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::ffi::OsString;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

mod common;

use certbundle::connect::{connect, Cause, ConnectRequest, Connection, Outcome, ServerCertProblem};
use certbundle::report::{CheckId, Status};
use certbundle::Options;
use common::path as fixture;
use common::s_server::{fixture_identity, SServer};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

const ROOT: &str = "C=US, O=Example Payments, CN=Test XBS Root CA";
const SUB: &str = "C=US, O=Example Payments, CN=Test XBS Issuing CA 1";
const SERVER_ROOT: &str = "C=US, O=Example Network, CN=Test XBS Server Root CA";
const SERVER_SUB: &str = "C=US, O=Example Network, CN=Test XBS Server Issuing CA";
const SERVER_LEAF: &str = "C=US, O=Example Network, CN=localhost";

/// Each attempt's bound; the loopback peers answer in milliseconds.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The identity `files` hold, as `validate` hands it to TLS (real clock:
/// the handshakes run on it).
fn identity(files: &[&str]) -> (Vec<CertificateDer<'static>>, Option<PrivateKeyDer<'static>>) {
    let options = Options::default();
    let paths: Vec<PathBuf> = files.iter().map(|f| fixture(f)).collect();
    let pool = certbundle::load_paths(&paths, &options).unwrap();
    let validation = certbundle::validate(&pool, &options);
    (validation.tls_chain(), validation.tls_key())
}

fn cert(rel: &str) -> CertificateDer<'static> {
    CertificateDer::from_pem_file(fixture(rel)).unwrap()
}

const GOOD: [&str; 2] = ["rsa/bundle-root-last.pem", "rsa/keys/key-pkcs8.pem"];

/// A request to `address` presenting `files`, trusting the server root.
fn request(address: &str, files: &[&str]) -> ConnectRequest {
    let (chain, key) = identity(files);
    ConnectRequest::new(address)
        .timeout(TIMEOUT)
        .client_identity(chain, key)
        .server_cas(vec![cert("certs/server-root.crt")])
}

/// Connects, asserting the attempt stayed within its bound.
fn attempt(request: &ConnectRequest) -> Connection {
    let started = Instant::now();
    let connection = connect(request);
    assert!(
        started.elapsed() < request.timeout + Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    println!("{}", serde_json::to_string_pretty(&connection).unwrap());
    connection
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `openssl s_server` with the fixture server identity and `args`.
fn s_server(args: &[&str]) -> SServer {
    let mut all: Vec<OsString> = fixture_identity().into_iter().map(Into::into).collect();
    all.extend(args.iter().map(OsString::from));
    SServer::start(all).expect("openssl s_server")
}

/// s_server requiring a client certificate under `ca` (a fixture path).
fn requiring(ca: &str, more: &[&str]) -> SServer {
    let mut all: Vec<OsString> = fixture_identity().into_iter().map(Into::into).collect();
    all.extend(common::s_server::requiring(ca).into_iter().map(Into::into));
    all.extend(more.iter().map(OsString::from));
    SServer::start(all).expect("openssl s_server")
}

fn fail(outcome: Outcome) -> (Cause, String, String) {
    match outcome {
        Outcome::Fail { cause, problem, fix } => (cause, problem, fix),
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn skip_info(outcome: Outcome) -> String {
    match outcome {
        Outcome::Skip { info: Some(info) } => info,
        other => panic!("expected a skip with info, got {other:?}"),
    }
}

fn names(connection: &Connection) -> Vec<String> {
    connection
        .acceptable_client_cas
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn server_subjects(connection: &Connection) -> Vec<String> {
    connection
        .server_chain
        .iter()
        .map(|c| c.subject.to_string())
        .collect()
}

#[test]
fn openssl_accepts_the_right_identity_and_every_check_passes() {
    let peer = requiring("certs/rsa-root.crt", &[]);
    let connection = attempt(&request(&peer.address(), &GOOD));
    assert_eq!(connection.handshake_outcome(), Outcome::Pass);
    assert_eq!(connection.server_trust_outcome(), Outcome::Pass);
    assert_eq!(connection.client_ca_outcome(), Outcome::Pass);
    assert!(connection.client_auth_requested);
    assert_eq!(names(&connection), [ROOT]);
    assert_eq!(connection.sent_certificates, 2, "leaf + issuing CA, no root");
    assert_eq!(connection.protocol, Some("TLSv1.3"));
    assert!(
        connection.cipher.as_deref().unwrap().starts_with("TLS_AES_"),
        "{:?}",
        connection.cipher
    );
    assert_eq!(server_subjects(&connection), [SERVER_LEAF, SERVER_SUB]);
    assert_eq!(connection.alert, None);
    assert_eq!(connection.error, None);
    assert_eq!(connection.server_name, "127.0.0.1");

    let text = serde_json::to_string(&connection).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json.as_object().unwrap().len(), 10, "{text}");
    let at = |key: &str| {
        text.find(&format!("\"{key}\":"))
            .unwrap_or_else(|| panic!("{key}: {text}"))
    };
    let fields = [
        "address",
        "server_name",
        "protocol",
        "cipher",
        "server_chain",
        "client_auth_requested",
        "acceptable_client_cas",
        "sent_certificates",
        "alert",
        "error",
    ];
    assert!(
        fields.windows(2).all(|w| at(w[0]) < at(w[1])),
        "the contract's order: {text}"
    );
    assert_eq!(json["acceptable_client_cas"][0], ROOT);
    assert_eq!(json["server_chain"][0]["issuer"], SERVER_SUB);
    assert_eq!(json["server_chain"][0]["serial"], "5100");
    assert_eq!(json["server_chain"][0]["not_after"], "2040-01-01T00:00:00Z");
}

#[test]
fn openssl_under_another_ca_refuses_and_client_ca_names_both() {
    let peer = requiring("certs/server-root.crt", &[]);
    let connection = attempt(&request(&peer.address(), &GOOD));
    let (cause, problem, fix) = fail(connection.client_ca_outcome());
    assert_eq!(cause, Cause::ClientCaNotNamed);
    assert_eq!(
        problem,
        format!("the server accepts client certificates under `{SERVER_ROOT}`; the chain you sent ends at `{ROOT}`")
    );
    assert!(
        fix.starts_with(&format!(
            "present a client certificate issued under `{SERVER_ROOT}`"
        )),
        "{fix}"
    );
    let (cause, problem, _) = fail(connection.handshake_outcome());
    // OpenSSL: "unable to get local issuer certificate" is unknown_ca.
    assert_eq!(cause, Cause::Alert(48));
    assert!(
        problem.starts_with("the server refused the handshake with alert 48 unknown_ca: it cannot link"),
        "{problem}"
    );
    let alert = connection.alert.unwrap();
    assert_eq!((alert.code, alert.name), (48, "unknown_ca"));
    // The server's own certificate is still fine.
    assert_eq!(connection.server_trust_outcome(), Outcome::Pass);
}

#[test]
fn chain_without_its_intermediate_is_refused_and_client_ca_says_where_it_ends() {
    // The DER download alone: invalid offline, presented anyway.
    let peer = requiring("certs/rsa-root.crt", &[]);
    let connection = attempt(&request(
        &peer.address(),
        &["rsa/leaf.cer", "rsa/keys/key-pkcs8.pem"],
    ));
    assert_eq!(connection.sent_certificates, 1);
    let (cause, problem, fix) = fail(connection.handshake_outcome());
    assert_eq!(cause, Cause::Alert(48));
    assert!(
        problem.contains("an intermediate CA certificate is missing"),
        "{problem}"
    );
    assert!(
        fix.starts_with("send the client certificate followed by every intermediate CA certificate"),
        "{fix}"
    );
    let (cause, problem, _) = fail(connection.client_ca_outcome());
    assert_eq!(cause, Cause::ClientCaNotNamed);
    assert_eq!(
        problem,
        format!("the server accepts client certificates under `{ROOT}`; the chain you sent ends at `{SUB}`")
    );
}

#[test]
fn expired_client_certificate_is_refused_with_certificate_expired() {
    let peer = requiring("certs/rsa-root.crt", &[]);
    let connection = attempt(&request(
        &peer.address(),
        &["bad/expired.pem", "rsa/keys/key-pkcs8.pem"],
    ));
    let (cause, problem, fix) = fail(connection.handshake_outcome());
    assert_eq!(cause, Cause::Alert(45));
    assert!(
        problem.contains("alert 45 certificate_expired: a certificate of the chain sent is expired"),
        "{problem}"
    );
    assert!(fix.starts_with("renew the expired certificate"), "{fix}");
    // It is under the right CA: only its dates are wrong.
    assert_eq!(connection.client_ca_outcome(), Outcome::Pass);
}

#[test]
fn server_not_under_the_given_server_ca_fails_trust_naming_the_ca_it_needs() {
    let peer = requiring("certs/rsa-root.crt", &[]);
    let request = request(&peer.address(), &GOOD).server_cas(vec![cert("certs/rsa-root.crt")]);
    let connection = attempt(&request);
    let (cause, problem, fix) = fail(connection.server_trust_outcome());
    assert_eq!(cause, Cause::ServerCertificate(ServerCertProblem::UnknownIssuer));
    assert_eq!(
        problem,
        format!("the server's chain ends at `{SERVER_SUB}`, issued by `{SERVER_ROOT}`, which is not a given server CA")
    );
    assert_eq!(
        fix,
        format!("give the certificate of `{SERVER_ROOT}` as the server's CA")
    );
    // The handshake went on, and the server accepted the client.
    assert_eq!(connection.handshake_outcome(), Outcome::Pass);
    assert_eq!(connection.client_ca_outcome(), Outcome::Pass);
}

#[test]
fn no_server_ca_fails_trust_in_library_words() {
    let peer = requiring("certs/rsa-root.crt", &[]);
    let connection = attempt(&request(&peer.address(), &GOOD).server_cas(Vec::new()));
    let (cause, problem, fix) = fail(connection.server_trust_outcome());
    assert_eq!(cause, Cause::ServerCertificate(ServerCertProblem::NoServerCa));
    assert_eq!(
        problem,
        "the server's certificate cannot be trusted: no server CA was given"
    );
    assert!(fix.starts_with("give the server's CA certificate"), "{fix}");
    assert!(!fix.contains("--"), "{fix}");
    assert_eq!(connection.handshake_outcome(), Outcome::Pass);
    assert_eq!(server_subjects(&connection), [SERVER_LEAF, SERVER_SUB]);
}

#[test]
fn server_name_the_certificate_does_not_carry_fails_trust_listing_its_names() {
    let peer = requiring("certs/rsa-root.crt", &[]);
    let connection = attempt(&request(&peer.address(), &GOOD).server_name("api.example.com"));
    assert_eq!(connection.server_name, "api.example.com");
    let (cause, problem, _) = fail(connection.server_trust_outcome());
    assert_eq!(
        cause,
        Cause::ServerCertificate(ServerCertProblem::NotValidForName {
            presented: vec!["localhost".to_owned(), "127.0.0.1".to_owned()]
        })
    );
    assert_eq!(
        problem,
        format!("the server's certificate `{SERVER_LEAF}` does not carry the name `api.example.com`; it carries `localhost`, `127.0.0.1`")
    );
    assert_eq!(connection.handshake_outcome(), Outcome::Pass);
}

#[test]
fn localhost_server_name_is_checked_by_default() {
    let peer = requiring("certs/rsa-root.crt", &[]);
    let port = peer.port();
    let connection = attempt(&request(&format!("localhost:{port}"), &GOOD));
    assert_eq!(connection.server_name, "localhost");
    assert_eq!(connection.server_trust_outcome(), Outcome::Pass);
    assert_eq!(connection.handshake_outcome(), Outcome::Pass);
}

#[test]
fn server_that_asks_for_no_client_certificate_skips_client_ca() {
    let peer = s_server(&[]);
    let connection = attempt(&request(&peer.address(), &GOOD));
    assert_eq!(connection.handshake_outcome(), Outcome::Pass);
    assert!(!connection.client_auth_requested);
    assert_eq!(connection.sent_certificates, 0);
    assert_eq!(
        skip_info(connection.client_ca_outcome()),
        "the server did not ask for a client certificate"
    );
    assert_eq!(connection.server_trust_outcome(), Outcome::Pass);
}

#[test]
fn tls12_only_server_accepts_and_reports_tls12() {
    let peer = requiring("certs/rsa-root.crt", &["-tls1_2"]);
    let connection = attempt(&request(&peer.address(), &GOOD));
    assert_eq!(connection.protocol, Some("TLSv1.2"));
    assert_eq!(
        connection.cipher.as_deref(),
        Some("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")
    );
    assert_eq!(connection.handshake_outcome(), Outcome::Pass);
    assert_eq!(connection.client_ca_outcome(), Outcome::Pass);
    assert_eq!(names(&connection), [ROOT]);
}

#[test]
fn tls12_refusal_arrives_during_the_handshake_and_is_mapped() {
    let peer = requiring("certs/server-root.crt", &["-tls1_2"]);
    let connection = attempt(&request(&peer.address(), &GOOD));
    assert_eq!(connection.protocol, Some("TLSv1.2"));
    assert_eq!(fail(connection.handshake_outcome()).0, Cause::Alert(48));
    assert_eq!(fail(connection.client_ca_outcome()).0, Cause::ClientCaNotNamed);
}

#[test]
fn tls13_only_server_accepts_and_reports_tls13() {
    let peer = requiring("certs/rsa-root.crt", &["-tls1_3"]);
    let connection = attempt(&request(&peer.address(), &GOOD));
    assert_eq!(connection.protocol, Some("TLSv1.3"));
    assert_eq!(connection.cipher.as_deref(), Some("TLS_AES_256_GCM_SHA384"));
    assert_eq!(connection.handshake_outcome(), Outcome::Pass);
}

/// A plain TCP listener on a free port, run by `serve` on its own thread.
fn tcp_peer(serve: impl FnOnce(std::net::TcpStream) + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            serve(stream);
        }
    });
    address
}

#[test]
fn plain_http_listener_is_not_tls() {
    let address = tcp_peer(|mut stream| {
        let mut hello = [0u8; 64];
        let _ = stream.read(&mut hello);
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        thread::sleep(Duration::from_millis(500));
    });
    let connection = attempt(&request(&address, &GOOD));
    let (cause, problem, fix) = fail(connection.handshake_outcome());
    assert_eq!(cause, Cause::NotTls);
    assert_eq!(
        problem,
        format!("{address} answered with something that is not TLS")
    );
    assert!(fix.starts_with("check the port"), "{fix}");
    assert_eq!(connection.protocol, None);
    assert_eq!(
        skip_info(connection.server_trust_outcome()),
        "the server sent no certificate: the attempt ended before it"
    );
    assert_eq!(
        skip_info(connection.client_ca_outcome()),
        "the attempt ended before the server asked for a client certificate"
    );
}

#[test]
fn listener_that_sends_a_banner_and_closes_is_not_tls() {
    let address = tcp_peer(|mut stream| {
        let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n");
    });
    let connection = attempt(&request(&address, &GOOD));
    assert_eq!(fail(connection.handshake_outcome()).0, Cause::NotTls);
}

#[test]
fn closed_port_is_a_refused_connection() {
    let address = format!("127.0.0.1:{}", free_port());
    let connection = attempt(&request(&address, &GOOD));
    let (cause, problem, _) = fail(connection.handshake_outcome());
    assert_eq!(cause, Cause::ConnectionRefused);
    assert_eq!(
        problem,
        format!("{address} refused the connection: nothing listens on that port")
    );
    assert_eq!(connection.error.as_deref(), Some(problem.as_str()));
}

#[test]
fn name_that_does_not_resolve_is_a_handshake_failure() {
    let connection = attempt(&request("no-such-host.invalid:443", &GOOD));
    let (cause, problem, _) = fail(connection.handshake_outcome());
    assert_eq!(cause, Cause::NameNotResolved);
    assert_eq!(problem, "the name `no-such-host.invalid` does not resolve");
    assert_eq!(connection.server_name, "no-such-host.invalid");
}

#[test]
fn address_without_a_port_is_refused_without_connecting() {
    let connection = attempt(&request("127.0.0.1", &GOOD));
    let (cause, problem, _) = fail(connection.handshake_outcome());
    assert_eq!(cause, Cause::InvalidAddress);
    assert_eq!(problem, "`127.0.0.1` is not HOST:PORT");
}

#[test]
fn listener_that_never_answers_times_out_within_the_bound() {
    let (stop, stopped) = mpsc::channel::<()>();
    let address = tcp_peer(move |_stream| {
        // Hold the connection open, silent, until the test ends.
        let _ = stopped.recv_timeout(Duration::from_secs(30));
    });
    let started = Instant::now();
    let connection = attempt(&request(&address, &GOOD).timeout(Duration::from_secs(2)));
    let took = started.elapsed();
    drop(stop);
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(4),
        "{took:?}"
    );
    let (cause, problem, _) = fail(connection.handshake_outcome());
    assert_eq!(cause, Cause::TimedOut);
    assert_eq!(
        problem,
        format!("the TLS handshake with {address} took longer than the timeout")
    );
}

#[test]
fn no_identity_fails_without_connecting() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (chain, _) = identity(&["rsa/bundle-root-last.pem"]);
    for request in [
        ConnectRequest::new(&address).client_identity(chain, None),
        ConnectRequest::new(&address),
    ] {
        let connection = attempt(&request);
        let (cause, problem, _) = fail(connection.handshake_outcome());
        assert_eq!(cause, Cause::NoIdentity);
        assert_eq!(
            problem,
            "no client certificate and key to present; nothing was sent"
        );
        assert_eq!(connection.sent_certificates, 0);
    }
    assert_eq!(
        listener.accept().unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock,
        "nothing connected"
    );
}

#[test]
fn key_that_is_not_the_leafs_is_unusable_without_connecting() {
    let (chain, _) = identity(&["rsa/bundle-root-last.pem"]);
    let key = PrivateKeyDer::from_pem_file(fixture("bad/wrong-key.pem")).unwrap();
    let request = ConnectRequest::new(format!("127.0.0.1:{}", free_port())).client_identity(chain, Some(key));
    let connection = attempt(&request);
    let (cause, problem, fix) = fail(connection.handshake_outcome());
    assert_eq!(cause, Cause::UnusableIdentity);
    assert!(
        problem.starts_with("the client certificate and key cannot be presented: "),
        "{problem}"
    );
    assert_eq!(fix, "give the private key that belongs to the client certificate");
}

/// A rustls server (the second, independent TLS stack) on a free port that
/// requires client certificates under `client_root`; serves one connection,
/// answering a read with "hello".
fn rustls_server(client_root: &str) -> String {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert(client_root)).unwrap();
    let verifier =
        rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .unwrap();
    let key = PrivateKeyDer::from_pem_file(fixture("server/server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![cert("server/server.crt"), cert("certs/server-sub.crt")], key)
        .unwrap();
    tcp_peer(move |tcp| {
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let conn = rustls::ServerConnection::new(Arc::new(config)).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        let mut buf = [0u8; 1];
        let _ = tls.read(&mut buf);
    })
}

#[test]
fn rustls_server_accepts_the_right_identity() {
    let address = rustls_server("certs/rsa-root.crt");
    let connection = attempt(&request(&address, &GOOD));
    assert_eq!(connection.handshake_outcome(), Outcome::Pass);
    assert_eq!(connection.server_trust_outcome(), Outcome::Pass);
    assert_eq!(connection.client_ca_outcome(), Outcome::Pass);
    assert_eq!(names(&connection), [ROOT]);
    assert_eq!(connection.sent_certificates, 2);
    assert_eq!(connection.protocol, Some("TLSv1.3"));
}

#[test]
fn rustls_server_refusal_after_the_tls13_finished_is_heard() {
    let address = rustls_server("certs/server-root.crt");
    let connection = attempt(&request(&address, &GOOD));
    assert_eq!(connection.protocol, Some("TLSv1.3"));
    let (cause, problem, _) = fail(connection.handshake_outcome());
    // rustls answers an unknown issuer with unknown_ca.
    assert_eq!(cause, Cause::Alert(48));
    assert!(
        problem.starts_with("the server refused the handshake with alert 48 unknown_ca"),
        "{problem}"
    );
    assert_eq!(
        fail(connection.client_ca_outcome()).1,
        format!("the server accepts client certificates under `{SERVER_ROOT}`; the chain you sent ends at `{ROOT}`")
    );
}

/// The alert OpenSSL answers `files` with, as the connection maps it.
fn openssl_alert(files: &[&str], more: &[&str]) -> (Cause, String, String, Connection) {
    let peer = requiring("certs/rsa-root.crt", more);
    let connection = attempt(&request(&peer.address(), files));
    let (cause, problem, fix) = fail(connection.handshake_outcome());
    (cause, problem, fix, connection)
}

#[test]
fn client_certificate_without_client_auth_usage_is_unsupported_certificate() {
    let (cause, problem, fix, _) = openssl_alert(&["bad/no-clientauth.pem", "rsa/keys/key-pkcs8.pem"], &[]);
    assert_eq!(cause, Cause::Alert(43));
    assert!(
        problem.contains("alert 43 unsupported_certificate: it does not accept this kind of certificate"),
        "{problem}"
    );
    assert!(fix.contains("clientAuth extended key usage"), "{fix}");
}

#[test]
fn client_certificate_not_valid_yet_is_bad_certificate() {
    let (cause, problem, fix, _) = openssl_alert(&["bad/not-yet-valid.pem", "rsa/keys/key-pkcs8.pem"], &[]);
    assert_eq!(cause, Cause::Alert(42));
    assert!(
        problem.contains("alert 42 bad_certificate: it could not verify the client certificate"),
        "{problem}"
    );
    assert!(problem.contains("not valid yet"), "{problem}");
    assert!(fix.starts_with("check the chain sent"), "{fix}");
}

#[test]
fn key_that_can_make_no_signature_the_server_accepts_sends_nothing_and_is_certificate_required() {
    // An RSA identity, a TLS 1.3 server that takes ECDSA signatures only.
    let (cause, problem, fix, connection) = openssl_alert(&GOOD, &["-client_sigalgs", "ECDSA+SHA256"]);
    assert_eq!(connection.sent_certificates, 0);
    assert!(connection.client_auth_requested);
    assert_eq!(cause, Cause::Alert(116));
    assert_eq!(
        problem,
        "the server refused the handshake with alert 116 certificate_required: it requires a client certificate and received none, because the client's key can make none of the signature algorithms the server accepts"
    );
    assert_eq!(fix, "use a client certificate whose key type the server accepts");
}

#[test]
fn server_that_offers_only_tls11_is_protocol_version() {
    let (cause, problem, fix, connection) =
        openssl_alert(&GOOD, &["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]);
    assert_eq!(cause, Cause::Alert(70));
    assert!(
        problem.contains("it supports no TLS version this client offers (TLS 1.2 and 1.3)"),
        "{problem}"
    );
    assert!(fix.starts_with("the server must enable TLS 1.2 or 1.3"), "{fix}");
    assert_eq!(connection.protocol, None);
    assert_eq!(
        skip_info(connection.client_ca_outcome()),
        "the attempt ended before the server asked for a client certificate"
    );
}

#[test]
fn self_signed_client_certificate_ends_at_itself_for_client_ca() {
    let peer = requiring("certs/rsa-root.crt", &[]);
    let own = |rel: &str| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/tls-server")
            .join(rel)
    };
    let chain = vec![CertificateDer::from_pem_file(own("server.crt")).unwrap()];
    let key = PrivateKeyDer::from_pem_file(own("server.key")).unwrap();
    let request = ConnectRequest::new(peer.address())
        .timeout(TIMEOUT)
        .client_identity(chain, Some(key))
        .server_cas(vec![cert("certs/server-root.crt")]);
    let connection = attempt(&request);
    let (cause, problem, fix) = fail(connection.client_ca_outcome());
    assert_eq!(cause, Cause::ClientCaNotNamed);
    assert_eq!(
        problem,
        format!("the server accepts client certificates under `{ROOT}`; the chain you sent ends at `CN=localhost`")
    );
    assert_eq!(fix, format!("present a client certificate issued under `{ROOT}`"));
    assert!(matches!(fail(connection.handshake_outcome()).0, Cause::Alert(_)));
}

/// The report carries the attempt: its `connection` object and the three
/// `tls.*` checks, which decide the verdict with the offline checks.
#[test]
fn validation_records_an_accepted_attempt_in_its_report() {
    let peer = requiring("certs/rsa-root.crt", &[]);
    let options = Options::default();
    let paths: Vec<PathBuf> = GOOD.iter().map(|f| fixture(f)).collect();
    let pool = certbundle::load_paths(&paths, &options).unwrap();
    let mut validation = certbundle::validate(&pool, &options);
    let request = validation
        .connect_request(peer.address().as_str())
        .timeout(TIMEOUT)
        .add_server_cas([cert("certs/server-root.crt")]);
    validation.record_connection(attempt(&request));
    let report = validation.into_report();
    assert_eq!(
        report.verdict,
        certbundle::Verdict::Valid,
        "{}",
        report.to_text(false)
    );
    for id in [
        CheckId::TlsHandshake,
        CheckId::TlsServerTrust,
        CheckId::TlsClientCa,
    ] {
        assert_eq!(report.checks[id], Status::Pass, "{id}");
    }
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["connection"]["sent_certificates"], 2);
    assert_eq!(json["connection"]["acceptable_client_cas"][0], ROOT);
    assert_eq!(json["checks"]["tls.handshake"], "pass");
}

#[test]
fn validation_records_a_refusal_as_an_invalid_verdict_with_the_alert_explained() {
    let peer = requiring("certs/server-root.crt", &[]);
    let options = Options::default();
    let paths: Vec<PathBuf> = GOOD.iter().map(|f| fixture(f)).collect();
    let pool = certbundle::load_paths(&paths, &options).unwrap();
    let mut validation = certbundle::validate(&pool, &options);
    let request = validation
        .connect_request(peer.address().as_str())
        .timeout(TIMEOUT);
    validation.record_connection(attempt(&request));
    let report = validation.into_report();
    assert_eq!(report.verdict, certbundle::Verdict::Invalid);
    assert_eq!(report.checks[CheckId::TlsHandshake], Status::Fail);
    assert_eq!(report.checks[CheckId::TlsClientCa], Status::Fail);
    // No server CA was given: trust fails with the typed fix a front end words.
    assert_eq!(report.checks[CheckId::TlsServerTrust], Status::Fail);
    let trust = common::finding(&report, CheckId::TlsServerTrust);
    assert_eq!(trust.fix, Some(certbundle::report::Fix::GiveServerCa));
    let handshake = common::finding(&report, CheckId::TlsHandshake);
    assert!(
        handshake
            .message
            .starts_with("the server refused the handshake with alert 48 unknown_ca"),
        "{}",
        handshake.message
    );
}
