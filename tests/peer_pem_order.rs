//! `chain.order` agrees with real TLS clients (issue 10.1): a PEM file that
//! lists the root first is refused by curl and `openssl s_client` as a
//! client certificate file against an `openssl s_server -Verify 2` on
//! 127.0.0.1, the leaf-first file and the chain the library writes from the
//! root-first one complete the handshake. Every process run is bounded and
//! the server is killed by its own handle.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use certbundle::report::Status;
use certbundle::Options;
use common::path;
use common::s_server::SServer;

const ROOT_FIRST: &str = "rsa/bundle-root-first.pem";
const LEAF_FIRST: &str = "rsa/bundle-root-last.pem";
const KEY: &str = "rsa/keys/key-pkcs8.pem";
const BOUND: Duration = Duration::from_secs(20);

fn server_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tls-server")
        .join(name)
}

/// Whether `program` runs; a missing tool skips the test, except under `CI=true`.
fn available(program: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "{program} is required under CI"
        );
        println!("note: `{program}` is not installed; this test is skipped");
    }
    found
}

/// Runs `cmd` to completion within [`BOUND`], killing it past that.
fn bounded(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > BOUND {
            child.kill().unwrap();
            panic!("{cmd:?} ran longer than {BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// An `openssl s_server` that requires a client certificate under the RSA
/// fixture root (`-Verify 2`) and answers HTTP (`-www`).
fn server() -> SServer {
    let args: [PathBuf; 8] = [
        "-Verify".into(),
        "2".into(),
        "-www".into(),
        "-cert".into(),
        server_file("server.crt"),
        "-key".into(),
        server_file("server.key"),
        "-CAfile".into(),
    ];
    SServer::start(args.into_iter().chain([path("certs/rsa-root.crt")])).expect("openssl s_server")
}

/// curl presenting `cert` + the key; the HTTP status or curl's error.
fn curl(server: &SServer, cert: &Path) -> Result<String, String> {
    let mut cmd = Command::new("curl");
    cmd.args([
        "-sS",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "--max-time",
        "15",
        "--cacert",
    ])
    .arg(server_file("server.crt"))
    .arg("--cert")
    .arg(cert)
    .arg("--key")
    .arg(path(KEY))
    .arg(format!("https://127.0.0.1:{}/", server.port()));
    let out = bounded(cmd);
    match out.status.success() {
        true => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
        false => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
    }
}

/// `openssl s_client -cert` with the key; its combined output and success.
fn s_client(server: &SServer, cert: &Path) -> (bool, String) {
    let mut cmd = Command::new("openssl");
    cmd.args(["s_client", "-connect", &format!("127.0.0.1:{}", server.port())])
        .args(["-verify_return_error", "-CAfile"])
        .arg(server_file("server.crt"))
        .arg("-cert")
        .arg(cert)
        .arg("-cert_chain")
        .arg(cert)
        .arg("-key")
        .arg(path(KEY));
    let out = bounded(cmd);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.success() && text.contains("Verify return code: 0 (ok)"),
        text,
    )
}

fn order_status(files: &[&str]) -> Status {
    let paths: Vec<PathBuf> = files.iter().map(|f| path(f)).collect();
    let mut options = Options::default();
    options.at = Some(certbundle::Time::parse(common::AT).unwrap());
    certbundle::report_paths(&paths, &options).checks["chain.order"]
}

#[test]
fn root_first_pem_fails_chain_order_and_real_clients_refuse_it() {
    if !available("openssl") || !available("curl") {
        return;
    }
    assert_eq!(order_status(&[ROOT_FIRST, KEY]), Status::Fail);
    assert_eq!(order_status(&[LEAF_FIRST, KEY]), Status::Pass);
    let server = server();

    let refused = curl(&server, &path(ROOT_FIRST)).unwrap_err();
    assert!(refused.contains("unable to set private key file"), "{refused}");
    assert_eq!(curl(&server, &path(LEAF_FIRST)).unwrap(), "200");

    let (ok, text) = s_client(&server, &path(ROOT_FIRST));
    assert!(!ok && text.contains("key values mismatch"), "{text}");
    let (ok, text) = s_client(&server, &path(LEAF_FIRST));
    assert!(ok, "{text}");
}

/// The repair the finding names: the chain the library writes from the
/// root-first file is leaf first, and curl presents it.
#[test]
fn chain_written_from_the_root_first_pem_is_accepted_by_curl() {
    if !available("openssl") || !available("curl") {
        return;
    }
    let pool = certbundle::load_paths(&[path(ROOT_FIRST), path(KEY)], &Options::default()).unwrap();
    let validation = certbundle::validate(&pool, &Options::default());
    let written = std::env::temp_dir().join(format!("certbundle-order-{}.pem", std::process::id()));
    std::fs::write(&written, validation.chain_pem()).unwrap();
    let server = server();
    let answer = curl(&server, &written);
    std::fs::remove_file(&written).unwrap();
    assert_eq!(answer.unwrap(), "200");
}
