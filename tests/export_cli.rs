//! The export options of `validate` (issues 10.5, 11.4-6, 15.6), run as a
//! process, with independent readers: keytool, a Java program compiled at
//! test time, Python's ssl, Node's tls, openssl. A missing tool skips its
//! check with a note; under CI=true it fails. A plain `cargo test` builds
//! the example first.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::s_server::SServer;
use common::{example, path, scratch, AT};
use serde_json::Value;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The valid bundle with its key, validated at [`AT`], plus `args`.
fn run(args: &[&str]) -> Output {
    Command::new(example("validate"))
        .current_dir(path(""))
        .args([
            "--at",
            AT,
            "rsa/bundle-root-last.pem",
            "--key",
            "rsa/keys/key-pkcs8.pem",
        ])
        .args(["--password", "test1234"])
        .args(args)
        .output()
        .unwrap()
}

/// `run` with `--format json`: exit code, report, stderr.
fn json(args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (
        out.status.code().unwrap(),
        value,
        String::from_utf8(out.stderr).unwrap(),
    )
}

const SERVER_CA: &str = "rsa/server-ca-chain.pem";

/// Runs a tool; `None` with a note when it is not installed (a failure under CI=true).
fn tool(program: &str, args: &[&str]) -> Option<Output> {
    match Command::new(program).args(args).output() {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{program} is missing under CI=true"
            );
            println!("note: `{program}` is not installed; that check is skipped");
            None
        }
        Err(e) => panic!("{program}: {e}"),
    }
}

fn tool_ok(program: &str, args: &[&str]) -> Option<String> {
    let out = tool(program, args)?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{program} {args:?}: {text}");
    Some(text)
}

/// `openssl pkcs12 -info` of a store under `changeit` (with `-legacy` for
/// the legacy algorithms), or `None` where openssl is missing.
fn p12_info(p12: &Path, legacy: bool) -> Option<String> {
    let mut args = vec!["pkcs12"];
    if legacy {
        args.push("-legacy");
    }
    args.extend(["-info", "-nokeys", "-in", s(p12), "-passin", "pass:changeit"]);
    tool_ok("openssl", &args)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

const JAVA_CHECK: &str = r#"
import java.io.FileInputStream;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.*;

public class CheckStore {
    public static void main(String[] a) throws Exception {
        KeyStore ks = KeyStore.getInstance(a[1]);
        try (FileInputStream in = new FileInputStream(a[0])) { ks.load(in, a[2].toCharArray()); }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        for (X509Certificate c : tm.getAcceptedIssuers()) System.out.println("anchor " + c.getSubjectX500Principal().getName());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, a[2].toCharArray());
        X509KeyManager km = (X509KeyManager) kmf.getKeyManagers()[0];
        X509Certificate[] chain = km.getCertificateChain(a[3]);
        System.out.println("chain " + (chain == null ? 0 : chain.length));
        System.out.println("key " + (km.getPrivateKey(a[3]) != null));
    }
}
"#;

/// Compiles and runs [`JAVA_CHECK`] on a store; `None` without javac.
fn java_check(dir: &Path, store: &Path, storetype: &str, alias: &str) -> Option<String> {
    std::fs::write(dir.join("CheckStore.java"), JAVA_CHECK).unwrap();
    tool_ok("javac", &["-d", s(dir), s(&dir.join("CheckStore.java"))])?;
    tool_ok(
        "java",
        &[
            "-cp",
            s(dir),
            "CheckStore",
            s(store),
            storetype,
            "changeit",
            alias,
        ],
    )
}

#[test]
fn export_keystore_has_the_alias_and_java_trusts_the_server_ca_from_it() {
    let dir = scratch("keystore");
    let file = dir.join("keystore.p12");
    let (code, report, _) = json(&[
        "--server-ca",
        SERVER_CA,
        "--export-keystore",
        s(&file),
        "--export-alias",
        "payments",
        "--export-password",
        "changeit",
    ]);
    assert_eq!(code, 0, "{report}");
    let written = &report["written"][0];
    assert_eq!(written["kind"], "keystore");
    assert_eq!(written["format"], "pkcs12");
    assert_eq!(
        (written["certificates"].as_u64(), written["trusted"].as_u64()),
        (Some(5), Some(2))
    );
    assert_eq!(written["encryption"], "aes-256-cbc");
    assert_eq!(report["server_ca"].as_array().unwrap().len(), 2);
    if let Some(out) = tool_ok(
        "keytool",
        &["-list", "-keystore", s(&file), "-storepass", "changeit"],
    ) {
        assert!(
            out.contains("payments, ") && out.contains("PrivateKeyEntry"),
            "{out}"
        );
        assert_eq!(out.matches("trustedCertEntry").count(), 2, "{out}");
    }
    if let Some(out) = java_check(&dir, &file, "PKCS12", "payments") {
        assert!(
            out.contains("anchor CN=Test XBS Server Root CA,O=Example Network,C=US"),
            "{out}"
        );
        assert!(
            out.contains("anchor CN=Test XBS Server Issuing CA,O=Example Network,C=US"),
            "{out}"
        );
        assert!(out.contains("chain 3") && out.contains("key true"), "{out}");
    }
}

#[test]
fn for_java8_writes_a_legacy_p12_that_openssl_reads_only_with_legacy_and_java_reads() {
    let dir = scratch("java8");
    let (code, report, _) = json(&[
        "--server-ca",
        SERVER_CA,
        "--for",
        "java8",
        "--export-dir",
        s(&dir),
        "--export-password",
        "changeit",
    ]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(entries(&dir), ["client.p12"]);
    assert_eq!(report["written"][0]["encryption"], "3des");
    let p12 = dir.join("client.p12");
    if let Some(out) = p12_info(&p12, true) {
        assert!(
            out.contains("pbeWithSHA1And3-KeyTripleDES-CBC") && out.contains("MAC: sha1"),
            "{out}"
        );
    }
    if let Some(out) = java_check(&dir, &p12, "PKCS12", "mtf xbs") {
        assert!(out.contains("anchor CN=Test XBS Server Root CA"), "{out}");
        assert!(out.contains("key true"), "{out}");
    }
}

#[test]
fn for_java17_and_node_write_modern_p12_that_openssl_reads_without_legacy() {
    let mut node_dir = None;
    for consumer in ["java17", "node"] {
        let dir = scratch(consumer);
        let (code, report, _) = json(&[
            "--server-ca",
            SERVER_CA,
            "--for",
            consumer,
            "--export-dir",
            s(&dir),
            "--export-password",
            "changeit",
        ]);
        assert_eq!(code, 0, "{report}");
        let p12 = dir.join("client.p12");
        if let Some(out) = p12_info(&p12, false) {
            assert!(
                out.contains("PBES2, PBKDF2, AES-256-CBC") && out.contains("MAC: sha256"),
                "{out}"
            );
        }
        node_dir = Some(dir);
    }
    // Node's folder (the last): its p12 and its server CAs apart.
    let dir = node_dir.unwrap();
    assert_eq!(entries(&dir), ["client.p12", "server-ca.pem"]);
    let script = "const fs=require('fs'),tls=require('tls');\
        tls.createSecureContext({pfx:fs.readFileSync(process.argv[1]),passphrase:'changeit',ca:fs.readFileSync(process.argv[2])});\
        console.log('node ok');";
    if let Some(out) = tool_ok(
        "node",
        &[
            "-e",
            script,
            s(&dir.join("client.p12")),
            s(&dir.join("server-ca.pem")),
        ],
    ) {
        assert!(out.contains("node ok"), "{out}");
    }
}

#[test]
fn for_python_writes_pem_files_python_ssl_loads() {
    let dir = scratch("python");
    let (code, report, stderr) = {
        let out = run(&[
            "--server-ca",
            SERVER_CA,
            "--for",
            "python",
            "--export-dir",
            s(&scratch("python")),
        ]);
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    assert_eq!(code, 0, "{report}{stderr}");
    assert_eq!(
        entries(&dir),
        ["client-chain.pem", "client-key.pem", "server-ca.pem"]
    );
    assert!(
        stderr.contains(&format!(
            "validate: wrote {}: key, PEM, 0 certificates, key (none)",
            s(&dir.join("client-key.pem"))
        )),
        "{stderr}"
    );
    assert!(stderr.contains("holds the private key unencrypted"), "{stderr}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("client-key.pem"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    let script = "import ssl,sys\nc=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\nc.load_cert_chain(sys.argv[1],sys.argv[2])\n\
        c.load_verify_locations(sys.argv[3])\nprint('python ok', len(c.get_ca_certs()))";
    if let Some(out) = tool_ok(
        "python3",
        &[
            "-c",
            script,
            s(&dir.join("client-chain.pem")),
            s(&dir.join("client-key.pem")),
            s(&dir.join("server-ca.pem")),
        ],
    ) {
        assert!(out.contains("python ok 2"), "{out}");
    }
}

#[test]
fn add_to_truststore_with_a_wrong_password_exits_2_and_leaves_the_store() {
    let dir = scratch("add-wrong");
    let store = dir.join("truststore.p12");
    std::fs::copy(path("rsa/p12/truststore-keytool.p12"), &store).unwrap();
    let before = std::fs::read(&store).unwrap();
    let (code, report, _) = json(&[
        "--server-ca",
        SERVER_CA,
        "--add-to-truststore",
        s(&store),
        "--export-password",
        "nope",
    ]);
    assert_eq!(code, 2, "{report}");
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["error"]["kind"], "export");
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .contains("wrong store password"),
        "{report}"
    );
    assert_eq!(std::fs::read(&store).unwrap(), before);
    assert_eq!(entries(&dir), ["truststore.p12"]);
}

#[test]
fn add_to_truststore_follows_a_named_symlink_once_and_keeps_the_mode() {
    let dir = scratch("add-link");
    let real = dir.join("real.pem");
    std::fs::copy(path("certs/rsa-root.crt"), &real).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink("real.pem", dir.join("cacerts")).unwrap();
        let (code, report, _) = json(&[
            "--server-ca",
            SERVER_CA,
            "--add-to-truststore",
            s(&dir.join("cacerts")),
            "--store-type",
            "pem",
        ]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(report["written"][0]["certificates"], 3);
        assert!(std::fs::symlink_metadata(dir.join("cacerts"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(
            std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(
            std::fs::read_to_string(&real)
                .unwrap()
                .matches("BEGIN CERTIFICATE")
                .count(),
            3
        );
    }
}

#[test]
fn an_existing_target_is_refused_without_force_and_replaced_with_it() {
    let dir = scratch("force");
    let file = dir.join("chain.pem");
    std::fs::write(&file, b"theirs").unwrap();
    let (code, report, _) = json(&["--write-chain", s(&file)]);
    assert_eq!(code, 2, "{report}");
    assert_eq!(report["error"]["kind"], "export");
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .ends_with("left unchanged (--force replaces it)"),
        "{report}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"theirs");
    let (code, report, _) = json(&["--write-chain", s(&file), "--force"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        std::fs::read_to_string(&file)
            .unwrap()
            .matches("BEGIN CERTIFICATE")
            .count(),
        3
    );
    assert_eq!(entries(&dir), ["chain.pem"]);
}

#[test]
fn an_unknown_consumer_is_a_usage_error() {
    let out = run(&["--for", "cobol"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("invalid value 'cobol' for '--for <CONSUMER>'"),
        "{stderr}"
    );
}

#[test]
fn a_trust_store_without_a_server_side_is_exit_2_naming_server_ca() {
    let dir = scratch("no-server");
    let file = dir.join("truststore.pem");
    let (code, report, _) = json(&["--export-truststore", s(&file)]);
    assert_eq!(code, 2, "{report}");
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["error"]["kind"], "export");
    let message = report["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("give the server's CA certificate or the zip download that carries it"),
        "{message}"
    );
    assert!(message.ends_with("(--server-ca FILE)"), "{message}");
    assert!(entries(&dir).is_empty());
}

#[test]
fn export_key_without_any_password_is_refused_exit_2() {
    let dir = scratch("key-nopw");
    let file = dir.join("client.key");
    let out = Command::new(example("validate"))
        .current_dir(path(""))
        .args([
            "--at",
            AT,
            "--format",
            "json",
            "rsa/bundle-root-last.pem",
            "--key",
            "rsa/keys/key-pkcs8.pem",
        ])
        .args(["--export-key", s(&file)])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "valid");
    assert_eq!(out.status.code(), Some(2), "{report}");
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .contains("needs a password"),
        "{report}"
    );
    assert!(!file.exists());
}

#[test]
fn export_key_uses_the_input_password_by_default() {
    let dir = scratch("key-inputpw");
    let file = dir.join("client.key");
    let (code, report, _) = json(&["--export-key", s(&file)]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["written"][0]["encryption"], "aes-256-cbc");
    if let Some(out) = tool_ok(
        "openssl",
        &["pkey", "-in", s(&file), "-passin", "pass:test1234", "-noout"],
    ) {
        assert!(!out.contains("error"), "{out}");
    }
}

#[test]
fn an_invalid_bundle_refuses_every_export_and_export_invalid_writes_them() {
    let dir = scratch("invalid");
    let chain = dir.join("chain.pem");
    let key = dir.join("key.pem");
    let args = |extra: &[&str]| -> Output {
        Command::new(example("validate"))
            .current_dir(path(""))
            .args([
                "--at",
                AT,
                "--format",
                "json",
                "rsa/bundle-root-last.pem",
                "bad/wrong-key.pem",
            ])
            .args([
                "--write-chain",
                s(&chain),
                "--export-key",
                s(&key),
                "--no-encrypt",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = args(&[]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let refused: Vec<&str> = report["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(refused, [s(&chain), s(&key)]);
    assert!(
        report["refused"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("key.match"),
        "{report}"
    );
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains(&format!("validate: refused {}:", s(&chain))));
    assert!(entries(&dir).is_empty(), "nothing written");
    // --export-invalid: the chain is written, the key has none matching (exit 2 then).
    let out = args(&["--export-invalid"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "invalid");
    assert_eq!(report["written"][0]["path"], s(&chain));
    assert_eq!(report["error"]["kind"], "export");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(entries(&dir), ["chain.pem"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_at_the_target_is_never_followed() {
    let dir = scratch("symlink");
    let victim = dir.join("victim");
    std::fs::write(&victim, b"precious").unwrap();
    let link = dir.join("chain.pem");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let (code, _, _) = json(&["--write-chain", s(&link)]);
    assert_eq!(code, 2);
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    let (code, _, _) = json(&["--write-chain", s(&link), "--force"]);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read(&victim).unwrap(),
        b"precious",
        "--force replaces the link, not its target"
    );
    assert!(!std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    // A device at the target is an existing file: refused, never written through.
    let (code, report, _) = json(&["--write-chain", "/dev/null"]);
    assert_eq!(code, 2, "{report}");
    assert_eq!(
        report["error"]["message"],
        "/dev/null: the file exists and was left unchanged (--force replaces it)"
    );
}

#[cfg(unix)]
#[test]
fn a_file_of_another_user_in_a_sticky_dir_is_neither_reused_nor_chmodded() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = scratch("sticky");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let file = dir.join("client.key");
    std::fs::write(&file, b"theirs").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let chown = Command::new("chown").args(["nobody", s(&file)]).status();
    if !matches!(chown, Ok(st) if st.success()) {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "chown failed under CI=true"
        );
        println!("note: cannot change the owner here; the other-user case is skipped");
        return;
    }
    let owner = std::fs::metadata(&file).unwrap().uid();
    let (code, _, _) = json(&["--export-key", s(&file)]);
    assert_eq!(code, 2);
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!((meta.uid(), meta.permissions().mode() & 0o777), (owner, 0o644));
    assert_eq!(std::fs::read(&file).unwrap(), b"theirs");
    assert_eq!(entries(&dir), ["client.key"]);
}

#[cfg(unix)]
#[test]
fn a_write_that_fails_midway_leaves_no_partial_file() {
    let dir = scratch("efbig");
    let file = dir.join("client.p12");
    // A 1-block (512-byte) file size limit: the PKCS#12 (about 4 KB) cannot be
    // written; SIGXFSZ ignored, so the write fails with EFBIG.
    let cmd = format!(
        "trap '' XFSZ; ulimit -f 1; exec '{}' --at {AT} --format json rsa/bundle-root-last.pem --key rsa/keys/key-pkcs8.pem \
         --password test1234 --export-p12 '{}'",
        example("validate").display(),
        file.display()
    );
    let out = Command::new("sh")
        .current_dir(path(""))
        .args(["-c", &cmd])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot write file"),
        "{report}"
    );
    assert!(entries(&dir).is_empty(), "{:?}", entries(&dir));
}

#[test]
fn write_chain_with_no_chain_leaves_the_target_unchanged() {
    let dir = scratch("nochain");
    let file = dir.join("chain.pem");
    std::fs::write(&file, b"theirs").unwrap();
    let out = Command::new(example("validate"))
        .current_dir(path(""))
        .args([
            "--at",
            AT,
            "--format",
            "json",
            "rsa/keys/key-pkcs8.pem",
            "--password",
            "test1234",
        ])
        .args(["--write-chain", s(&file), "--force", "--export-invalid"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&file).unwrap(), b"theirs");
    assert_eq!(entries(&dir), ["chain.pem"]);
}

/// An `openssl s_server -www` that requires a client certificate under the
/// client's root; killed on drop.
#[test]
fn for_curl_files_complete_a_mutual_tls_request_with_curl() {
    let dir = scratch("curl");
    let (code, report, _) = json(&["--server-ca", SERVER_CA, "--for", "curl", "--export-dir", s(&dir)]);
    assert_eq!(code, 0, "{report}");
    let server = SServer::start([
        "-www".into(),
        "-Verify".into(),
        "2".into(),
        "-cert".into(),
        path("server/server.crt"),
        "-key".into(),
        path("server/server.key"),
        "-CAfile".into(),
        path("certs/rsa-root.crt"),
    ]);
    let Some(server) = server else {
        return;
    };
    let port = server.port();
    let url = format!("https://127.0.0.1:{port}/");
    let Some(out) = tool(
        "curl",
        &[
            "-sS",
            "--max-time",
            "10",
            "--cert",
            s(&dir.join("client-chain.pem")),
            "--key",
            s(&dir.join("client-key.pem")),
            "--cacert",
            s(&dir.join("server-ca.pem")),
            &url,
        ],
    ) else {
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // s_server -www answers with its status page, which names the client's certificate.
    assert!(text.contains("Client certificate"), "{text}");
}

#[test]
fn for_dotnet_writes_a_legacy_p12() {
    let dir = scratch("dotnet");
    let dir_arg = s(&dir).to_owned();
    let (code, report, _) = json(&[
        "--server-ca",
        SERVER_CA,
        "--for",
        "dotnet",
        "--export-dir",
        &dir_arg,
        "--export-password",
        "changeit",
    ]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(entries(&dir), ["client.p12"]);
    let p12 = dir.join("client.p12");
    if let Some(out) = p12_info(&p12, true) {
        assert!(
            out.contains("pbeWithSHA1And3-KeyTripleDES-CBC") && out.contains("MAC: sha1"),
            "{out}"
        );
        assert_eq!(out.matches("BEGIN CERTIFICATE").count(), 5, "{out}");
    }
}

#[test]
fn export_truststore_to_jks_lists_trusted_entries_in_keytool() {
    let dir = scratch("jks-trust");
    let file = dir.join("truststore.jks");
    let (code, report, _) = json(&[
        "--server-ca",
        SERVER_CA,
        "--export-truststore",
        s(&file),
        "--export-password",
        "changeit",
    ]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["written"][0]["format"], "jks");
    let args = [
        "-list",
        "-storetype",
        "JKS",
        "-keystore",
        s(&file),
        "-storepass",
        "changeit",
    ];
    if let Some(out) = tool_ok("keytool", &args) {
        assert_eq!(out.matches("trustedCertEntry").count(), 2, "{out}");
        assert!(!out.contains("PrivateKeyEntry"), "{out}");
    }
}
