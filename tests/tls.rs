//! Real mutual-TLS handshakes on loopback TCP with the chain and key the
//! library hands out, one per download format and key format; and the
//! refusals (wrong key, unknown issuer, expired leaf) that `validate` had
//! already reported.
#![cfg(feature = "rustls")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use certbundle::report::Status;
use certbundle::{Options, Password, TlsError, Validation};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::server::WebPkiClientVerifier;
use rustls::{
    CertificateError, ClientConfig, ClientConnection, RootCertStore, ServerConfig, ServerConnection,
    StreamOwned,
};

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn fixture(rel: &str) -> PathBuf {
    path("testdata").join(rel)
}

fn options(password: Option<&str>) -> Options {
    let mut options = Options::default();
    options.passwords = password.map(Password::new).into_iter().collect();
    // The handshakes run against the real clock; so does validation here.
    options
}

fn load(files: &[&str], password: Option<&str>) -> certbundle::model::Pool {
    let paths: Vec<PathBuf> = files.iter().map(|f| fixture(f)).collect();
    certbundle::load_paths(&paths, &options(password)).unwrap_or_else(|e| panic!("{files:?}: {e}"))
}

/// The DER of the first certificate of a fixture, whatever its format.
fn cert_der(rel: &str) -> CertificateDer<'static> {
    let pool = load(&[rel], None);
    CertificateDer::from(pool.certificates()[0].der().to_vec())
}

/// Roots the client trusts: the self-signed test server certificate.
fn server_trust() -> RootCertStore {
    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(path("tests/tls-server/server.crt")).unwrap())
        .unwrap();
    roots
}

/// A rustls server that requires a client certificate under `client_root`.
fn server(client_root: &str) -> Arc<ServerConfig> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots = RootCertStore::empty();
    roots.add(cert_der(client_root)).unwrap();
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .unwrap();
    let cert = CertificateDer::from_pem_file(path("tests/tls-server/server.crt")).unwrap();
    let key = PrivateKeyDer::from_pem_file(path("tests/tls-server/server.key")).unwrap();
    Arc::new(
        ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![cert], key)
            .unwrap(),
    )
}

/// What each side saw.
struct Outcome {
    /// The client certificates the server received, or why it refused.
    server: Result<usize, rustls::Error>,
    /// Whether the client exchanged its bytes.
    client: Result<(), std::io::Error>,
}

fn rustls_error(e: std::io::Error) -> rustls::Error {
    match e.into_inner().map(|inner| inner.downcast::<rustls::Error>()) {
        Some(Ok(e)) => *e,
        other => panic!("not a rustls error: {other:?}"),
    }
}

/// One handshake on 127.0.0.1, then "hello" from the client and "world"
/// back from the server.
fn handshake(client: ClientConfig, server: Arc<ServerConfig>) -> Outcome {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server_side = thread::spawn(move || -> Result<usize, rustls::Error> {
        let (tcp, _) = listener.accept().unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut tls = StreamOwned::new(ServerConnection::new(server).unwrap(), tcp);
        let mut buf = [0u8; 5];
        tls.read_exact(&mut buf).map_err(rustls_error)?;
        assert_eq!(&buf, b"hello");
        tls.write_all(b"world").map_err(rustls_error)?;
        tls.flush().map_err(rustls_error)?;
        let presented = tls.conn.peer_certificates().map_or(0, <[_]>::len);
        tls.conn.send_close_notify();
        let _ = tls.flush();
        Ok(presented)
    });
    let client_side = (|| {
        let tcp = TcpStream::connect(addr)?;
        tcp.set_read_timeout(Some(Duration::from_secs(20)))?;
        let name = ServerName::try_from("localhost").map_err(std::io::Error::other)?;
        let conn = ClientConnection::new(Arc::new(client), name).map_err(std::io::Error::other)?;
        let mut tls = StreamOwned::new(conn, tcp);
        tls.write_all(b"hello")?;
        tls.flush()?;
        let mut buf = [0u8; 5];
        tls.read_exact(&mut buf)?;
        assert_eq!(&buf, b"world");
        Ok(())
    })();
    Outcome {
        server: server_side.join().unwrap(),
        client: client_side,
    }
}

fn status(validation: &Validation<'_>, check: &str) -> Status {
    validation.report().checks[check]
}

/// Loads, validates (must be valid with the key matched), builds the client
/// config from the library's values and completes a handshake with a server
/// that requires client certificates under the RSA fixture root.
fn handshake_ok(files: &[&str], password: Option<&str>) {
    handshake_ok_under(files, password, "certs/rsa-root.crt");
}

/// [`handshake_ok`] against a server trusting `client_root`.
fn handshake_ok_under(files: &[&str], password: Option<&str>, client_root: &str) {
    let pool = load(files, password);
    let validation = certbundle::validate(&pool, &options(password));
    assert_eq!(
        validation.report().verdict,
        certbundle::Verdict::Valid,
        "{files:?}: {:#?}",
        validation.report().findings
    );
    handshake_presenting(&validation, files, client_root);
}

/// Builds the client config from the library's values (key matched, leaf
/// first, root left out) and completes a handshake with a server that
/// requires client certificates under `client_root`.
fn handshake_presenting(validation: &Validation<'_>, files: &[&str], client_root: &str) {
    assert_eq!(status(validation, "key.match"), Status::Pass, "{files:?}");
    let chain = validation.tls_chain();
    assert_eq!(chain.len(), 2, "{files:?}: leaf + intermediate, root left out");
    assert_eq!(
        chain[0].as_ref(),
        validation.chain().certificates()[0].der(),
        "{files:?}: leaf first"
    );
    assert!(
        matches!(validation.tls_key(), Some(PrivateKeyDer::Pkcs8(_))),
        "{files:?}"
    );
    let client = validation.client_config(server_trust()).unwrap();
    let outcome = handshake(client, server(client_root));
    assert_eq!(
        outcome.server.unwrap(),
        2,
        "{files:?}: the server saw leaf + intermediate"
    );
    outcome.client.unwrap();
    println!("{files:?}: mutual TLS handshake OK, bytes exchanged");
}

const KEY: &str = "rsa/keys/key-pkcs8.pem";

#[test]
fn pem_root_last_handshakes() {
    handshake_ok(&["rsa/bundle-root-last.pem", KEY], None);
}

/// A root-first PEM fails `chain.order` (curl and OpenSSL refuse it as a
/// client certificate file, tests/peer_pem_order.rs), but the library sends
/// its chain leaf first, so a config built from it handshakes: a failing
/// `chain.order` alone does not make `client_config` refuse.
#[test]
fn pem_root_first_fails_chain_order_yet_the_library_chain_handshakes() {
    let files = ["rsa/bundle-root-first.pem", KEY];
    let pool = load(&files, None);
    let validation = certbundle::validate(&pool, &options(None));
    assert_eq!(validation.report().verdict, certbundle::Verdict::Invalid);
    let failing: Vec<_> = validation
        .report()
        .checks
        .iter()
        .filter(|(_, s)| *s == Status::Fail)
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(failing, ["chain.order"]);
    handshake_presenting(&validation, &files, "certs/rsa-root.crt");
}

#[test]
fn p7b_handshakes() {
    handshake_ok(&["rsa/bundle.p7b", KEY], None);
}

#[test]
fn der_leaf_plus_chain_file_handshakes() {
    handshake_ok(
        &["rsa/leaf.cer", "certs/rsa-sub.crt", "certs/rsa-root.crt", KEY],
        None,
    );
}

#[test]
fn zip_handshakes() {
    handshake_ok(&["rsa/mtls.zip", KEY], None);
}

#[test]
fn p12_openssl3_handshakes() {
    handshake_ok(&["rsa/p12/client-openssl3.p12"], Some("changeit"));
}

#[test]
fn p12_legacy_handshakes() {
    handshake_ok(&["rsa/p12/client-legacy.p12"], Some("changeit"));
}

#[test]
fn p12_keytool_handshakes() {
    handshake_ok(&["rsa/p12/client-keytool.p12"], Some("changeit"));
}

#[test]
fn openssl_req_key_handshakes() {
    handshake_ok(
        &["rsa/bundle-root-last.pem", "rsa/PRIVATEKEY.key"],
        Some("test1234"),
    );
}

#[test]
fn every_key_format_handshakes() {
    let mut keys: Vec<String> = std::fs::read_dir(fixture("rsa/keys"))
        .unwrap()
        .map(|e| format!("rsa/keys/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    keys.sort();
    assert!(keys.len() >= 5, "{keys:?}");
    for key in &keys {
        handshake_ok(&["rsa/bundle-root-last.pem", key], Some("test1234"));
    }
}

#[test]
fn ec_chain_handshakes_with_every_ec_key_format() {
    let mut keys: Vec<String> = std::fs::read_dir(fixture("ec/keys"))
        .unwrap()
        .map(|e| format!("ec/keys/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    keys.sort();
    assert_eq!(keys.len(), 6, "{keys:?}");
    for key in &keys {
        handshake_ok_under(&["ec/bundle.pem", key], Some("test1234"), "certs/ec-root.crt");
    }
    handshake_ok_under(&["ec/client.p12"], Some("changeit"), "certs/ec-root.crt");
}

#[test]
fn ed25519_chain_handshakes_with_plain_and_encrypted_keys() {
    for key in ["ed25519/keys/key-pkcs8.pem", "ed25519/keys/key-pkcs8-aes256.pem"] {
        handshake_ok_under(
            &["ed25519/bundle.pem", key],
            Some("test1234"),
            "certs/ed-root.crt",
        );
    }
}

/// The library refuses what the CLI refuses (issue 10.8): an invalid
/// validation gives no client configuration, the error naming the failing
/// checks; accepted explicitly, the wrong key meets rustls' own refusal.
#[test]
fn wrong_key_is_refused_by_client_config() {
    let pool = load(&["rsa/bundle-root-last.pem", "bad/wrong-key.pem"], None);
    let validation = certbundle::validate(&pool, &options(None));
    assert_eq!(status(&validation, "key.match"), Status::Fail);
    assert!(validation.tls_key().is_none());
    match validation.client_config(server_trust()) {
        Err(TlsError::Invalid(invalid)) => {
            assert_eq!(invalid.failing(), [certbundle::report::CheckId::KeyMatch]);
            assert_eq!(
                TlsError::Invalid(invalid).to_string(),
                "no client configuration: the bundle is invalid: key.match failed; it is used only when \
                 accepted explicitly (Validation::accept_invalid)"
            );
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    let validation = validation.accept_invalid();
    match validation.client_config(server_trust()) {
        Err(TlsError::Rustls(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch))) => {}
        other => panic!("expected KeyMismatch, got {other:?}"),
    }
}

/// Handshakes a bundle the server must refuse (accepted explicitly, since
/// validation found it invalid); returns the server's error.
fn handshake_refused(files: &[&str], client_root: &str) -> rustls::Error {
    let pool = load(files, None);
    let validation = certbundle::validate(&pool, &options(None)).accept_invalid();
    let client = validation.client_config(server_trust()).unwrap();
    let outcome = handshake(client, server(client_root));
    assert!(
        outcome.client.is_err(),
        "{files:?}: the client must not get its bytes back"
    );
    let error = outcome.server.expect_err("the server must refuse");
    println!("{files:?}: server refused: {error}");
    error
}

/// Validates `files` (with `anchors` as trusted roots when given), asserts
/// `check` failed, then returns why a server trusting `client_root` refused
/// the handshake.
fn reported_then_refused(files: &[&str], anchors: &[&str], check: &str, client_root: &str) -> rustls::Error {
    let pool = load(files, None);
    let mut opts = options(None);
    opts.trust_anchors = load(anchors, None).certificates().to_vec();
    let validation = certbundle::validate(&pool, &opts);
    assert_eq!(status(&validation, check), Status::Fail, "{files:?}: {check}");
    handshake_refused(files, client_root)
}

#[test]
fn chain_from_another_root_is_refused_with_unknown_issuer() {
    // The server trusts only the server CA's root; the client chain is
    // complete, but under rsa-root. Told what the server trusts, validate
    // says so beforehand.
    let server_root = "certs/server-root.crt";
    let files = ["rsa/bundle-root-last.pem", KEY];
    let error = reported_then_refused(&files, &[server_root], "chain.complete", server_root);
    assert!(
        matches!(
            error,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        ),
        "{error:?}"
    );
}

#[test]
fn missing_intermediate_is_reported_then_refused_with_unknown_issuer() {
    let files = ["bad/missing-intermediate.pem", KEY];
    let error = reported_then_refused(&files, &[], "chain.complete", "certs/rsa-root.crt");
    assert!(
        matches!(
            error,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        ),
        "{error:?}"
    );
}

#[test]
fn wrong_intermediate_is_reported_then_refused() {
    let files = ["bad/wrong-intermediate.pem", KEY];
    let error = reported_then_refused(&files, &[], "chain.links", "certs/rsa-root.crt");
    assert!(
        matches!(
            error,
            rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer | CertificateError::BadSignature
            )
        ),
        "{error:?}"
    );
}

#[test]
fn expired_leaf_is_reported_then_refused_as_expired() {
    let files = ["bad/expired.pem", KEY];
    let error = reported_then_refused(&files, &[], "validity", "certs/rsa-root.crt");
    assert!(
        matches!(
            error,
            rustls::Error::InvalidCertificate(
                CertificateError::Expired | CertificateError::ExpiredContext { .. }
            )
        ),
        "{error:?}"
    );
}

/// Validates `files`, asserts `check` failed, and returns why rustls
/// (webpki, which rustls servers verify client certificates with) will not
/// take the leaf: it refuses it already when the client is configured.
fn reported_then_refused_by_webpki(files: &[&str], check: &str) -> String {
    let pool = load(files, None);
    let validation = certbundle::validate(&pool, &options(None));
    assert_eq!(status(&validation, check), Status::Fail, "{files:?}: {check}");
    // Accepted explicitly: what matters here is what rustls says of it.
    let error = validation
        .accept_invalid()
        .client_config(server_trust())
        .unwrap_err();
    format!("{error:?}")
}

/// RFC 5280 4.1.2.1: a version 1 leaf is reported (`leaf.usage`), and
/// webpki refuses it, as the message says.
#[test]
fn v1_leaf_is_reported_then_refused_by_webpki() {
    let error = reported_then_refused_by_webpki(&["path/leaf-v1.pem", KEY], "leaf.usage");
    assert!(error.contains("UnsupportedCertVersion"), "{error}");
}

/// RFC 5280 4.2: a leaf with an unknown critical extension is reported
/// (`leaf.usage`), and webpki refuses it, as the message says.
#[test]
fn unknown_critical_extension_on_the_leaf_is_reported_then_refused_by_webpki() {
    let error = reported_then_refused_by_webpki(&["path/critical-unknown-leaf.pem", KEY], "leaf.usage");
    assert!(error.contains("UnsupportedCriticalExtension"), "{error}");
}
