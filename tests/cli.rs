//! The `validate` example, run as a process: exit codes and JSON fields of
//! the CLI contract (issue 3). A plain `cargo test` builds the examples
//! first; `cargo test --test cli` alone does not, and would run a stale
//! binary after a change to `examples/validate.rs`.

mod common;

use std::process::{Command, Output};

use common::{example, fingerprint, path, AT};
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    let mut cmd = Command::new(example("validate"));
    cmd.current_dir(path(""));
    if !args.contains(&"--at") {
        cmd.args(["--at", AT]);
    }
    cmd.args(args);
    cmd.output()
        .unwrap_or_else(|e| panic!("run {:?}: {e}", example("validate")))
}

fn json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (out.status.code().unwrap(), value)
}

#[test]
fn valid_bundle_exits_0_with_the_contract_fields() {
    let (code, report) = json(&["rsa/bundle-root-last.pem", "--key", "rsa/keys/key-pkcs8.pem"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["input_order"], "leaf-first");
    assert_eq!(report["error"], Value::Null);
    let roles: Vec<_> = report["chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["leaf", "intermediate", "root"]);
    let leaf = &report["chain"][0];
    assert_eq!(leaf["subject"], "C=US, O=Example Corp, CN=MTF XBS");
    assert_eq!(
        leaf["issuer"],
        "C=US, O=Example Payments, CN=Test XBS Issuing CA 1"
    );
    assert_eq!(leaf["serial"], "3001");
    assert_eq!(leaf["sha256"], fingerprint("rsa-leaf"));
    assert_eq!(leaf["not_after"], "2027-06-01T00:00:00Z");
    assert_eq!(leaf["source"], "rsa/bundle-root-last.pem");
    let checks = report["checks"].as_object().unwrap();
    assert_eq!(checks.len(), 14);
    assert_eq!(checks["key.match"], "pass");
    // Without --connect, the connection checks do not apply.
    for id in ["tls.handshake", "tls.server-trust", "tls.client-ca"] {
        assert_eq!(checks[id], "skip", "{id}");
    }
    assert!(report.get("connection").is_none());
    assert_eq!(checks["csr.match"], "skip");
    assert_eq!(checks["dn.profile"], "skip");
    assert_eq!(report["inputs"][0]["format"], "pem");
    assert_eq!(report["inputs"][1]["format"], "pem");
}

/// Issue 10 point 2: the download without its root is a warning (exit 0)
/// pointing at the CA the chain ends at, not a failure.
#[test]
fn missing_root_exits_0_with_a_warning_that_points_at_the_chain_entry() {
    let (code, report) = json(&["bad/missing-root.pem"]);
    assert_eq!(code, 0);
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["checks"]["chain.complete"], "warn");
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "chain.complete")
        .unwrap();
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["cert"], 1);
    assert!(finding["message"].as_str().unwrap().contains(
        "so the chain works where the server trusts `C=US, O=Example Payments, CN=Test XBS Root CA`"
    ));
}

#[test]
fn unreadable_input_exits_2_with_the_error_object() {
    let (code, report) = json(&["bad/truncated.pem"]);
    assert_eq!(code, 2);
    assert_eq!(report["verdict"], "error");
    assert_eq!(report["error"]["kind"], "truncated");
    assert!(report["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("bad/truncated.pem (PEM block 3)"));
}

#[test]
fn wrong_password_exits_2_and_never_prints_the_password() {
    let out = run(&[
        "--format",
        "json",
        "--password",
        "s3cret-guess",
        "rsa/p12/client-openssl3.p12",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let all = [out.stdout, out.stderr].concat();
    let text = String::from_utf8_lossy(&all);
    assert!(text.contains("wrong-password"), "{text}");
    assert!(!text.contains("s3cret-guess"));
}

#[test]
fn password_comes_from_env_or_file() {
    let out = Command::new(example("validate"))
        .current_dir(path(""))
        .args([
            "--at",
            AT,
            "--password-env",
            "CB_TEST_PW",
            "rsa/bundle-root-last.pem",
            "--key",
            "rsa/PRIVATEKEY.key",
        ])
        .env("CB_TEST_PW", "test1234")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let dir = std::env::temp_dir().join(format!("certbundle-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pw = dir.join("pw.txt");
    std::fs::write(&pw, "test1234\n").unwrap();
    let (code, report) = json(&[
        "--password-file",
        pw.to_str().unwrap(),
        "--key",
        "rsa/PRIVATEKEY.key",
        "rsa/bundle.p7b",
    ]);
    assert_eq!(report["checks"]["key.match"], "pass");
    assert_eq!(code, 0);
}

#[test]
fn csr_and_profile_options_reach_their_checks() {
    let (code, report) = json(&[
        "--csr",
        "rsa/MYCSR.csr",
        "--profile",
        "kmp-prod",
        "rsa/bundle-root-last.pem",
    ]);
    assert_eq!(code, 1);
    assert_eq!(report["profile"], "kmp-prod");
    assert_eq!(report["checks"]["csr.match"], "pass");
    assert_eq!(report["checks"]["dn.profile"], "fail");
}

#[test]
fn at_option_moves_the_validation_time() {
    let out = Command::new(example("validate"))
        .current_dir(path(""))
        .args([
            "--format",
            "json",
            "--at",
            "2028-01-01T00:00:00Z",
            "rsa/bundle-root-last.pem",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["validated_at"], "2028-01-01T00:00:00Z");
    assert_eq!(report["checks"]["validity"], "fail");
}

#[test]
fn write_chain_writes_the_root_first_input_leaf_first() {
    let dir = std::env::temp_dir().join(format!("certbundle-chain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_file = dir.join("chain.pem");
    let out = run(&[
        "rsa/bundle-root-first.pem",
        "--write-chain",
        out_file.to_str().unwrap(),
    ]);
    // Root first in a PEM fails chain.order (exit 1); writing the chain is its repair.
    assert_eq!(out.status.code(), Some(1));
    let written = certbundle::decode(
        &certbundle::Input::from_bytes("chain.pem", std::fs::read(&out_file).unwrap()),
        &certbundle::Limits::default(),
        None,
    )
    .unwrap();
    let fps: Vec<_> = written.certificates().iter().map(|c| c.sha256_hex()).collect();
    assert_eq!(
        fps,
        [
            fingerprint("rsa-leaf"),
            fingerprint("rsa-sub"),
            fingerprint("rsa-root")
        ]
    );
}

#[test]
fn each_mode_prints_one_json_line_per_bundle_and_exits_with_the_worst() {
    let dir = std::env::temp_dir().join(format!("certbundle-each-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::copy(path("rsa/bundle-root-last.pem"), dir.join("a.pem")).unwrap();
    std::fs::copy(path("rsa/leaf.cer"), dir.join("sub/b.pem")).unwrap();
    let out = run(&["--each", "--format", "json", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let verdicts: Vec<_> = lines.iter().map(|r| r["verdict"].as_str().unwrap()).collect();
    assert_eq!(verdicts, ["valid", "invalid"]);
    std::fs::write(dir.join("sub/c.pem"), "").unwrap();
    assert_eq!(run(&["--each", dir.to_str().unwrap()]).status.code(), Some(2));
}

#[test]
fn text_report_has_a_verdict_header_one_line_per_certificate_and_no_colour_in_a_pipe() {
    let out = run(&["rsa/bundle-root-first.pem"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("INVALID: 1 error(s), 0 warning(s) at 2026-12-01T00:00:00Z (profile generic)"),
        "{text}"
    );
    assert!(
        text.contains("[0] leaf         C=US, O=Example Corp, CN=MTF XBS  (RSA-2048, expires 2027-06-01)"),
        "{text}"
    );
    assert!(
        text.contains("[2] root         C=US, O=Example Payments, CN=Test XBS Root CA  (RSA-4096"),
        "{text}"
    );
    assert!(text.contains("error   chain.order"), "{text}");
    assert!(
        text.contains(
            "take a PEM file's first certificate as the client certificate and refuse the key: write it leaf \
             first with --write-chain FILE (every --export-* writes it so)"
        ),
        "{text}"
    );
    assert!(!text.contains('\x1b'));
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(run(&["--profile", "nope", "x.pem"]).status.code(), Some(2));
    assert_eq!(run(&["--at", "yesterday", "rsa/leaf.cer"]).status.code(), Some(2));
}

#[test]
fn each_mode_refuses_single_bundle_options() {
    for extra in [
        ["--key", "rsa/keys/key-pkcs8.pem"],
        ["--write-chain", "/dev/null"],
    ] {
        let mut args = vec!["--each", "rsa"];
        args.extend(extra);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with --each"));
    }
}

#[test]
fn trust_option_checks_the_chain_against_the_given_roots() {
    let (code, report) = json(&["--trust", "certs/server-root.crt", "rsa/bundle-root-last.pem"]);
    assert_eq!(code, 1);
    assert_eq!(report["checks"]["chain.complete"], "fail");
    let (code, report) = json(&["--trust", "certs/rsa-root.crt", "bad/missing-root.pem"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["checks"]["chain.complete"], "pass");
}

/// `--connect` to a port where nothing listens is a failed handshake (exit
/// 1, `tls.handshake` fail, the `connection` object), never an input error.
#[cfg(feature = "rustls")]
#[test]
fn connect_to_a_closed_port_exits_1_with_the_handshake_failed() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("127.0.0.1:{port}");
    let bundle = path("rsa/mtls.zip").display().to_string();
    let key = path("rsa/keys/key-pkcs8.pem").display().to_string();
    let (code, report) = json(&[&bundle, &key, "--connect", &address, "--connect-timeout", "3"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["checks"]["tls.handshake"], "fail");
    assert_eq!(report["connection"]["address"], address.as_str());
    assert_eq!(report["connection"]["sent_certificates"], 0);
    let message = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "tls.handshake")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("refused"), "{message}");
}

/// `--each` with `--connect` connects to nothing: exit 2, and in JSON mode
/// an error report naming both options.
#[cfg(feature = "rustls")]
#[test]
fn connect_with_each_is_refused_as_an_error_report() {
    let dir = path("rsa").display().to_string();
    let (code, report) = json(&["--each", &dir, "--connect", "127.0.0.1:9"]);
    assert_eq!(code, 2);
    assert_eq!(report["verdict"], "error");
    assert_eq!(report["error"]["kind"], "usage");
    let message = report["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("--connect") && message.contains("--each"),
        "{message}"
    );
}

/// A build without rustls cannot connect, and says so: exit 2, no report.
#[cfg(not(feature = "rustls"))]
#[test]
fn connect_without_rustls_exits_2_saying_the_build_has_no_tls() {
    let out = run(&["rsa/mtls.zip", "--connect", "127.0.0.1:9"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "validate: --connect needs TLS: this build of certbundle has no `rustls` feature\n"
    );
    assert!(out.stdout.is_empty());
}

/// A PKCS#12 without its CA chain is named as such, and the CLI words its
/// rebuild with its own option (issue 10.6).
#[test]
fn p12_without_chain_exits_1_and_the_fix_names_export_p12() {
    let (code, report) = json(&["rsa/p12/client-no-chain.p12", "--password", "changeit"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["checks"]["chain.complete"], "fail");
    assert_eq!(report["checks"]["key.match"], "pass");
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "chain.complete")
        .unwrap();
    assert_eq!(
        finding["fix"],
        "the PKCS#12 file was made without the CA chain: give the CA chain files (the PEM or PKCS#7 download) \
         alongside it, and write a new one with --export-p12 FILE, which includes the chain"
    );
    assert!(!finding["message"].as_str().unwrap().contains("DER download"));
}

/// The report names the key matched to the leaf (issue 10.3): JSON `key`
/// and a text line; a key alone is `skip`, with `key` null.
#[test]
fn report_names_the_matched_key_and_a_lone_key_is_skipped() {
    let (code, report) = json(&[
        "rsa/bundle-root-last.pem",
        "bad/wrong-key.pem",
        "--key",
        "rsa/keys/key-pkcs8.pem",
    ]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        report["key"],
        serde_json::json!({ "source": "rsa/keys/key-pkcs8.pem", "block": 1, "algorithm": "RSA-2048" })
    );
    let text =
        String::from_utf8(run(&["rsa/bundle-root-last.pem", "--key", "rsa/keys/key-pkcs8.pem"]).stdout)
            .unwrap();
    assert!(
        text.contains("\nkey: RSA-2048 matches the leaf  rsa/keys/key-pkcs8.pem block 1\n"),
        "{text}"
    );
    // (Its exit code is the "no certificate or request" rule's, not pinned here.)
    let (_, alone) = json(&["rsa/keys/key-pkcs8.pem"]);
    assert_eq!(alone["checks"]["key.match"], "skip");
    assert_eq!(alone["key"], Value::Null);
}

/// The guide's own case (issue 10.4): the PKCS#12 under one password, the
/// key `openssl req` wrote under another. Each encrypted input tries every
/// password given, in order; the report says which opened what (by
/// position), and no output carries a password.
#[test]
fn several_passwords_open_each_input_with_its_own_and_the_report_says_which() {
    let (p12, key) = ("rsa/p12/client-openssl3.p12", "rsa/PRIVATEKEY.key");
    let file = std::env::temp_dir().join(format!("certbundle-pw-{}", std::process::id()));
    std::fs::write(&file, "changeit\n").unwrap();
    let out = Command::new(example("validate"))
        .current_dir(path(""))
        .args([
            "--at",
            AT,
            "--format",
            "json",
            "--password-env",
            "CB_KEY_PW",
            p12,
            key,
        ])
        .args(["--password-file", file.to_str().unwrap()])
        .env("CB_KEY_PW", "test1234")
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["checks"]["key.match"], "pass");
    // --password-env came first on the command line, --password-file second.
    assert_eq!(
        report["opened"],
        serde_json::json!([
            { "path": "rsa/p12/client-openssl3.p12", "password": 2 },
            { "path": "rsa/PRIVATEKEY.key", "password": 1 },
        ])
    );
    for secret in ["test1234", "changeit"] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{secret} leaked"
        );
    }
}

/// A keystore whose key has its own password opens with both given.
#[test]
fn a_jks_key_password_that_differs_from_the_store_password_is_found_among_those_given() {
    let store = path("jks/client-keypass.jks").display().to_string();
    let (code, report) = json(&["--password", "changeit", "--password", "keypass1", &store]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["checks"]["key.match"], "pass");
    assert_eq!(report["opened"][0]["password"], 1);
    let (code, report) = json(&["--password", "changeit", &store]);
    assert_eq!(code, 2, "{report}");
    assert_eq!(report["error"]["kind"], "wrong-password");
}
