//! The exports of issue 11 points 4 and 5 through the library: the server
//! side in trust stores and keystores, aliases, JKS, updating an existing
//! trust store, the consumer presets; read back by the library and, where
//! installed, by keytool and openssl (skipped with a note; under CI=true a
//! missing tool fails).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use certbundle::export::{self, Consumer, Encryption, ExportError, ExportOptions, StoreFormat, WrittenKind};
use certbundle::model::Pool;
use certbundle::report::Status;
use certbundle::{Options, Password};
use common::{path, AT};

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certbundle-stores-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn server_cas() -> Vec<certbundle::model::Certificate> {
    let pool = certbundle::load_paths(&[path("rsa/server-ca-chain.pem")], &Options::default()).unwrap();
    pool.certificates().to_vec()
}

fn options(server: bool) -> Options {
    let mut options = Options::default();
    options.at = Some(certbundle::Time::parse(AT).unwrap());
    if server {
        options.server_cas = server_cas();
    }
    options
}

/// The PEM chain + key: a valid bundle.
fn bundle() -> Pool {
    certbundle::load_paths(
        &[path("rsa/bundle-root-last.pem"), path("rsa/keys/key-pkcs8.pem")],
        &Options::default().with_password(Password::new("test1234")),
    )
    .unwrap()
}

fn pw() -> ExportOptions {
    ExportOptions::default().with_password(Password::new("changeit"))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs a tool; `None` with a note when it is not installed (a failure under CI=true).
fn tool(program: &str, args: &[&str]) -> Option<String> {
    match Command::new(program).args(args).output() {
        Ok(out) => {
            let text =
                String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{program} {args:?}: {text}");
            Some(text)
        }
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

fn keytool_list(file: &Path, storetype: &str) -> Option<String> {
    tool(
        "keytool",
        &[
            "-list",
            "-storetype",
            storetype,
            "-keystore",
            s(file),
            "-storepass",
            "changeit",
        ],
    )
}

#[test]
fn server_side_is_the_zip_extra_chain_and_the_server_cas_each_once() {
    let pool = certbundle::load_paths(&[path("rsa/mtls.zip")], &Options::default()).unwrap();
    let validation = certbundle::validate(&pool, &options(true));
    let side: Vec<String> = validation
        .server_side()
        .iter()
        .map(|c| c.subject().to_string())
        .collect();
    // The zip carries SSUB and SROOT; --server-ca gives them again: each once.
    assert_eq!(
        side,
        [
            "C=US, O=Example Network, CN=Test XBS Server Issuing CA",
            "C=US, O=Example Network, CN=Test XBS Server Root CA"
        ]
    );
    let report = validation.report();
    assert_eq!(report.server_ca.len(), 2);
    assert!(report.unrelated.is_empty(), "server CAs are never unrelated");
    assert_eq!(report.checks["bundle.extra"], Status::Pass);
}

#[test]
fn a_server_ca_that_is_no_ca_is_a_bundle_extra_warning_naming_it() {
    let pool = bundle();
    let mut opts = options(false);
    opts.server_cas = certbundle::load_paths(&[path("certs/rsa-leaf-expired.crt")], &Options::default())
        .unwrap()
        .certificates()
        .to_vec();
    let report = certbundle::validate(&pool, &opts).into_report();
    assert_eq!(report.checks["bundle.extra"], Status::Warn);
    let finding = report
        .findings
        .iter()
        .find(|f| f.check.as_str() == "bundle.extra")
        .unwrap();
    assert!(
        finding
            .message
            .starts_with("the server-side certificate `C=US, O=Example Corp, CN=MTF XBS` ("),
        "{}",
        finding.message
    );
    assert!(
        finding.message.contains("is not a CA certificate"),
        "{}",
        finding.message
    );
}

#[test]
fn warn_days_sets_the_expiry_window() {
    let pool = certbundle::load_paths(
        &[
            path("certs/rsa-leaf-expiring-soon.crt"),
            path("certs/rsa-sub.crt"),
            path("certs/rsa-root.crt"),
        ],
        &Options::default(),
    )
    .unwrap();
    // Expires 2026-12-15, validated 2026-12-01: 14 days.
    let warn = certbundle::validate(&pool, &options(false).with_warn_days(15)).into_report();
    assert_eq!(warn.checks["validity"], Status::Warn);
    let quiet = certbundle::validate(&pool, &options(false).with_warn_days(14)).into_report();
    assert_eq!(quiet.checks["validity"], Status::Pass);
}

#[test]
fn keystore_holds_the_identity_under_the_alias_and_the_server_cas_as_trusted_entries() {
    let dir = scratch("keystore");
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(true));
    let file = dir.join("keystore.p12");
    let written = export::write_keystore(&validation, &file, &pw().with_alias("payments")).unwrap();
    assert_eq!(
        (
            written.kind,
            written.format,
            written.certificates,
            written.trusted,
            written.key,
            written.encryption
        ),
        (
            WrittenKind::Keystore,
            StoreFormat::Pkcs12,
            5,
            2,
            true,
            Encryption::Aes256Cbc
        )
    );
    if let Some(out) = keytool_list(&file, "PKCS12") {
        assert!(
            out.contains("payments, ") && out.contains("PrivateKeyEntry"),
            "{out}"
        );
        assert_eq!(out.matches("trustedCertEntry").count(), 2, "{out}");
        assert!(out.contains("test xbs server root ca, "), "{out}");
    }
}

#[test]
fn keystore_as_jks_is_listed_by_keytool() {
    let dir = scratch("keystore-jks");
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(true));
    let file = dir.join("keystore.jks");
    let written = export::write_keystore(&validation, &file, &pw()).unwrap();
    assert_eq!(
        (written.format, written.encryption),
        (StoreFormat::Jks, Encryption::JksKeyProtector)
    );
    if let Some(out) = keytool_list(&file, "JKS") {
        assert!(
            out.contains("mtf xbs, ") && out.contains("PrivateKeyEntry"),
            "{out}"
        );
        assert_eq!(out.matches("trustedCertEntry").count(), 2, "{out}");
    }
    // Our own reader opens it too: key and five certificates.
    let reread = certbundle::load_paths(
        &[&file],
        &Options::default().with_password(Password::new("changeit")),
    )
    .unwrap();
    assert_eq!(reread.keys().len(), 1);
    assert_eq!(reread.certificates().len(), 5);
}

#[test]
fn keystore_to_pem_and_without_a_server_side_are_refused_writing_nothing() {
    let dir = scratch("keystore-refused");
    let pool = bundle();
    let with = certbundle::validate(&pool, &options(true));
    let pem = dir.join("keystore.pem");
    let error = export::write_keystore(&with, &pem, &pw()).unwrap_err();
    assert!(matches!(error, ExportError::Unsupported { .. }), "{error:?}");
    let without = certbundle::validate(&pool, &options(false));
    let p12 = dir.join("keystore.p12");
    let error = export::write_keystore(&without, &p12, &pw()).unwrap_err();
    assert!(matches!(error, ExportError::NoServerSide { .. }), "{error:?}");
    assert!(common_entries(&dir).is_empty());
}

fn common_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn an_invalid_validation_is_refused_unless_asked_naming_the_failing_checks() {
    let dir = scratch("invalid");
    let pool = certbundle::load_paths(
        &[path("rsa/bundle-root-last.pem"), path("bad/wrong-key.pem")],
        &Options::default(),
    )
    .unwrap();
    let validation = certbundle::validate(&pool, &options(true));
    let file = dir.join("chain.pem");
    let error = export::write_chain(&validation, &file, &ExportOptions::default()).unwrap_err();
    assert!(error.is_invalid_bundle(), "{error:?}");
    assert!(error.to_string().contains("(key.match)"), "{error}");
    assert!(!file.exists());
    let accepted = validation.accept_invalid();
    let written = export::write_chain(&accepted, &file, &ExportOptions::default()).unwrap();
    assert_eq!(written.certificates, 3);
}

#[test]
fn a_root_first_download_exports_leaf_first() {
    let dir = scratch("root-first");
    let pool = certbundle::load_paths(&[path("rsa/bundle-root-first.pem")], &Options::default()).unwrap();
    let validation = certbundle::validate(&pool, &options(false));
    // Warn today, fail once a PEM holding the leaf root first fails chain.order
    // (issue 10 point 1): an export repairs it either way.
    assert_ne!(validation.report().checks["chain.order"], Status::Pass);
    let file = dir.join("chain.pem");
    export::write_chain(&validation, &file, &ExportOptions::default()).unwrap();
    let reread = certbundle::load_paths(&[&file], &Options::default()).unwrap();
    assert_eq!(
        reread.certificates()[0].subject().to_string(),
        "C=US, O=Example Corp, CN=MTF XBS"
    );
}

#[test]
fn write_chain_with_no_chain_writes_nothing_and_leaves_the_target() {
    let dir = scratch("no-chain");
    let pool = certbundle::load_paths(
        &[path("rsa/keys/key-pkcs8.pem")],
        &Options::default().with_password(Password::new("test1234")),
    )
    .unwrap();
    let validation = certbundle::validate(&pool, &options(false)).accept_invalid();
    let file = dir.join("chain.pem");
    std::fs::write(&file, b"theirs").unwrap();
    let error = export::write_chain(&validation, &file, &ExportOptions::default().replacing()).unwrap_err();
    assert!(matches!(error, ExportError::NoCertificate { .. }), "{error:?}");
    assert_eq!(std::fs::read(&file).unwrap(), b"theirs");
    assert_eq!(common_entries(&dir), ["chain.pem"]);
}

#[test]
fn add_to_truststore_keeps_every_entry_adds_no_duplicate_and_checks_the_password() {
    let dir = scratch("add");
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(true));
    // PKCS#12 made by keytool with both server CAs: nothing to add, both kept.
    let p12 = dir.join("truststore.p12");
    std::fs::copy(path("rsa/p12/truststore-keytool.p12"), &p12).unwrap();
    let written = export::add_to_truststore(&validation, &p12, &pw()).unwrap();
    assert_eq!((written.certificates, written.format), (2, StoreFormat::Pkcs12));
    if let Some(out) = keytool_list(&p12, "PKCS12") {
        assert_eq!(out.matches("trustedCertEntry").count(), 2, "{out}");
        assert!(
            out.contains("server-root, ") && out.contains("server-sub, "),
            "{out}"
        );
    }
    // A PEM store with one unrelated CA: kept byte for byte, two added.
    let pem = dir.join("cacerts.pem");
    let old = std::fs::read(path("certs/rsa-root.crt")).unwrap();
    std::fs::write(&pem, &old).unwrap();
    let written = export::add_to_truststore(&validation, &pem, &ExportOptions::default()).unwrap();
    assert_eq!(written.certificates, 3);
    assert!(std::fs::read(&pem).unwrap().starts_with(&old));
    let again = export::add_to_truststore(&validation, &pem, &ExportOptions::default()).unwrap();
    assert_eq!(again.certificates, 3, "no duplicate on a second run");
    // JKS made by keytool: opened with its password, entries kept.
    let jks = dir.join("truststore.jks");
    std::fs::copy(path("jks/truststore.jks"), &jks).unwrap();
    let before = std::fs::read(&jks).unwrap();
    let wrong = ExportOptions::default().with_password(Password::new("wrong"));
    let error = export::add_to_truststore(&validation, &jks, &wrong).unwrap_err();
    assert!(error.to_string().contains("wrong store password"), "{error}");
    assert!(error.to_string().ends_with("it was left unchanged"), "{error}");
    assert_eq!(std::fs::read(&jks).unwrap(), before);
    export::add_to_truststore(&validation, &jks, &pw()).unwrap();
    let reread = certbundle::load_paths(
        &[&jks],
        &Options::default().with_password(Password::new("changeit")),
    )
    .unwrap();
    let names: Vec<String> = reread
        .certificates()
        .iter()
        .map(|c| c.source().entry().unwrap().to_owned())
        .collect();
    assert!(names.len() >= 2, "{names:?}");
    // An absent store is created.
    let fresh = dir.join("new.pem");
    assert_eq!(
        export::add_to_truststore(&validation, &fresh, &ExportOptions::default())
            .unwrap()
            .certificates,
        2
    );
}

#[test]
fn presets_write_their_files_and_reread_them() {
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(true));
    let cases: &[(Consumer, &[&str], Encryption)] = &[
        (Consumer::Java8, &["client.p12"], Encryption::TripleDes),
        (Consumer::Dotnet, &["client.p12"], Encryption::TripleDes),
        (Consumer::Java17, &["client.p12"], Encryption::Aes256Cbc),
        (
            Consumer::Node,
            &["client.p12", "server-ca.pem"],
            Encryption::Aes256Cbc,
        ),
        (
            Consumer::Python,
            &["client-chain.pem", "client-key.pem", "server-ca.pem"],
            Encryption::None,
        ),
        (
            Consumer::Curl,
            &["client-chain.pem", "client-key.pem", "server-ca.pem"],
            Encryption::None,
        ),
        (
            Consumer::Go,
            &["client-chain.pem", "client-key.pem", "server-ca.pem"],
            Encryption::None,
        ),
    ];
    for (consumer, names, key_encryption) in cases {
        let dir = scratch(consumer.as_str());
        let written = export::write_for(&validation, *consumer, &dir, &pw()).unwrap();
        let paths: Vec<String> = written
            .iter()
            .map(|w| w.path.file_name().unwrap().to_str().unwrap().to_owned())
            .collect();
        assert_eq!(paths, *names, "{consumer:?}");
        assert_eq!(common_entries(&dir), {
            let mut sorted: Vec<String> = names.iter().map(|n| n.to_string()).collect();
            sorted.sort();
            sorted
        });
        let keyed = written.iter().find(|w| w.key).unwrap();
        assert_eq!(keyed.encryption, *key_encryption, "{consumer:?}");
    }
}

#[test]
fn a_preset_that_needs_the_server_side_writes_nothing_without_it() {
    let dir = scratch("preset-none");
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(false));
    let error = export::write_for(&validation, Consumer::Python, &dir, &pw()).unwrap_err();
    assert!(matches!(error, ExportError::NoServerSide { .. }), "{error:?}");
    assert!(common_entries(&dir).is_empty());
    // Java needs none: the identity alone.
    let written = export::write_for(&validation, Consumer::Java17, &dir, &pw()).unwrap();
    assert_eq!((written[0].kind, written[0].trusted), (WrittenKind::Identity, 0));
}

#[test]
fn a_preset_makes_its_missing_folder_but_not_a_missing_parent_nor_over_a_file() {
    let base = scratch("preset-folder");
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(true));

    let made = base.join("java");
    let written = export::write_for(&validation, Consumer::Java17, &made, &pw()).unwrap();
    assert_eq!(written[0].path, made.join("client.p12"));
    assert_eq!(common_entries(&made), ["client.p12"]);

    let orphan = base.join("no-such-parent").join("py");
    let error = export::write_for(&validation, Consumer::Python, &orphan, &pw()).unwrap_err();
    assert!(matches!(error, ExportError::Folder { .. }), "{error:?}");
    assert_eq!(error.file(), orphan);
    assert!(!base.join("no-such-parent").exists());

    let file = base.join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let error = export::write_for(&validation, Consumer::Python, &file, &pw()).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}: cannot use it as the folder to write into: it exists and is not a folder",
            file.display()
        )
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}
