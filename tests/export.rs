//! Exports re-read: by the library itself, and by `openssl` and `keytool`
//! when they are installed (skipped with a note otherwise).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use certbundle::export::{self, ExportError, ExportOptions, Pkcs12Encryption};
use certbundle::model::Pool;
use certbundle::report::Status;
use certbundle::{Options, Password};

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
}

/// A fresh scratch directory per test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certbundle-export-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn options(password: Option<&str>) -> Options {
    let mut options = Options::default();
    options.passwords = password.map(Password::new).into_iter().collect();
    options.at = Some(certbundle::Time::parse("2026-12-01T00:00:00Z").unwrap());
    options
}

fn load(paths: &[PathBuf], password: Option<&str>) -> Pool {
    certbundle::load_paths(paths, &options(password)).unwrap_or_else(|e| panic!("{paths:?}: {e}"))
}

fn export_options(password: Option<&str>, encryption: Pkcs12Encryption) -> ExportOptions {
    let mut options = ExportOptions::default();
    options.password = password.map(Password::new);
    options.encryption = encryption;
    options
}

/// The bundle every export starts from: PEM chain + the leaf's key.
fn bundle() -> Pool {
    load(
        &[
            fixture("rsa/bundle-root-last.pem"),
            fixture("rsa/keys/key-pkcs8.pem"),
        ],
        None,
    )
}

fn fingerprints(pool: &Pool) -> Vec<String> {
    let validation = certbundle::validate(pool, &options(None));
    validation
        .chain()
        .certificates()
        .iter()
        .map(|c| c.sha256_hex())
        .collect()
}

/// Runs a tool; `None` (with a note) when it is not installed.
fn tool(program: &str, args: &[&str]) -> Option<std::process::Output> {
    match Command::new(program).args(args).output() {
        Ok(output) => Some(output),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("note: `{program}` is not installed; that check is skipped");
            None
        }
        Err(e) => panic!("{program}: {e}"),
    }
}

/// stdout + stderr of a successful run.
fn stdout_ok(program: &str, args: &[&str]) -> Option<String> {
    let output = tool(program, args)?;
    assert!(
        output.status.success(),
        "{program} {args:?}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr))
}

/// `openssl pkcs12 [-legacy] -info -nokeys` of a file with password `changeit`.
fn openssl_pkcs12_info(file: &Path, legacy: bool) -> Option<String> {
    let mut args = vec!["pkcs12"];
    if legacy {
        args.push("-legacy");
    }
    args.extend(["-info", "-nokeys", "-in", s(file), "-passin", "pass:changeit"]);
    stdout_ok("openssl", &args)
}

/// `keytool -list` of a PKCS#12 key store with password `changeit`.
fn keytool_list(file: &Path) -> Option<String> {
    stdout_ok(
        "keytool",
        &[
            "-list",
            "-storetype",
            "PKCS12",
            "-keystore",
            s(file),
            "-storepass",
            "changeit",
        ],
    )
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn write_p12(dir: &Path, encryption: Pkcs12Encryption) -> (PathBuf, Vec<String>) {
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(None));
    let file = dir.join("client.p12");
    export::write_pkcs12(&validation, &file, &export_options(Some("changeit"), encryption)).unwrap();
    (file, fingerprints(&pool))
}

fn reread_p12(file: &Path, expected: &[String]) {
    let pool = load(&[file.to_path_buf()], Some("changeit"));
    let validation = certbundle::validate(&pool, &options(Some("changeit")));
    assert_eq!(fingerprints(&pool), expected, "same chain, leaf first");
    assert_eq!(validation.report().checks["key.match"], Status::Pass);
}

#[cfg(unix)]
fn assert_private(file: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", file.display());
}

#[cfg(not(unix))]
fn assert_private(_: &Path) {}

#[test]
fn p12_is_reread_by_the_library_openssl_and_keytool() {
    let dir = scratch("p12");
    let (file, expected) = write_p12(&dir, Pkcs12Encryption::Modern);
    assert_private(&file);
    if let Some(out) = openssl_pkcs12_info(&file, false) {
        assert_eq!(out.matches("BEGIN CERTIFICATE").count(), 3, "{out}");
        assert!(out.contains("MAC: sha256"), "{out}");
        assert!(out.contains("PBES2, PBKDF2, AES-256-CBC"), "{out}");
    }
    if let Some(out) = keytool_list(&file) {
        assert!(out.contains("PrivateKeyEntry"), "{out}");
    }
    reread_p12(&file, &expected);
}

#[test]
fn legacy_p12_is_reread_by_the_library_and_openssl_legacy() {
    let dir = scratch("p12-legacy");
    let (file, expected) = write_p12(&dir, Pkcs12Encryption::Legacy);
    if let Some(out) = openssl_pkcs12_info(&file, true) {
        assert_eq!(out.matches("BEGIN CERTIFICATE").count(), 3, "{out}");
        assert!(out.contains("MAC: sha1"), "{out}");
        assert!(out.contains("pbeWithSHA1And3-KeyTripleDES-CBC"), "{out}");
    }
    reread_p12(&file, &expected);
}

#[test]
fn p12_without_a_password_is_refused_naming_the_file() {
    let dir = scratch("p12-nopw");
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(None));
    let file = dir.join("client.p12");
    let error = export::write_pkcs12(
        &validation,
        &file,
        &export_options(None, Pkcs12Encryption::Modern),
    )
    .unwrap_err();
    assert!(matches!(error, ExportError::PasswordRequired { .. }), "{error:?}");
    assert!(error.to_string().contains(s(&file)), "{error}");
    assert!(!file.exists());
}

#[test]
fn export_without_a_key_is_refused_naming_the_file() {
    let dir = scratch("nokey");
    let pool = load(&[fixture("rsa/bundle-root-last.pem")], None);
    let validation = certbundle::validate(&pool, &options(None));
    let file = dir.join("client.key");
    let error = export::write_key(&validation, &file, &plain()).unwrap_err();
    assert!(matches!(error, ExportError::NoKey { .. }), "{error:?}");
    assert!(
        !error.to_string().contains("--"),
        "library words, no CLI flag: {error}"
    );
    assert!(error.to_string().starts_with(s(&file)), "{error}");
}

/// Options for an unencrypted key.
fn plain() -> ExportOptions {
    ExportOptions::default().with_unencrypted_key()
}

fn key_reread(file: &Path, password: Option<&str>) {
    let pool = load(
        &[fixture("rsa/bundle-root-last.pem"), file.to_path_buf()],
        password,
    );
    let validation = certbundle::validate(&pool, &options(password));
    assert_eq!(validation.report().checks["key.match"], Status::Pass);
}

#[test]
fn plain_key_pem_rereads_and_matches() {
    let dir = scratch("key-plain");
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(None));
    let file = dir.join("client.key");
    let written = export::write_key(&validation, &file, &plain()).unwrap();
    assert_eq!(written.encryption, export::Encryption::None);
    assert!(written.key);
    assert_private(&file);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{text}");
    key_reread(&file, None);
}

#[test]
fn encrypted_key_pem_rereads_and_matches() {
    let dir = scratch("key-enc");
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(None));
    let file = dir.join("client.key");
    export::write_key(
        &validation,
        &file,
        &export_options(Some("test1234"), Pkcs12Encryption::Modern),
    )
    .unwrap();
    assert_private(&file);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"),
        "{text}"
    );
    key_reread(&file, Some("test1234"));
    if let Some(out) = stdout_ok("openssl", &["asn1parse", "-in", s(&file)]) {
        for what in ["PBES2", "PBKDF2", "aes-256-cbc", "hmacWithSHA256"] {
            assert!(out.contains(what), "{what}: {out}");
        }
    }
    if let Some(out) = stdout_ok(
        "openssl",
        &[
            "pkey",
            "-in",
            s(&file),
            "-passin",
            "pass:test1234",
            "-noout",
            "-text",
        ],
    ) {
        assert!(out.contains("Private-Key: (2048 bit"), "{out}");
    }
}

#[test]
fn truststore_from_the_zip_extra_ca_chain_lists_trusted_entries_in_keytool() {
    let dir = scratch("truststore-zip");
    let pool = load(&[fixture("rsa/mtls.zip")], None);
    let validation = certbundle::validate(&pool, &options(None));
    let extra: Vec<String> = pool
        .extra_ca()
        .iter()
        .flat_map(|c| c.certificates())
        .map(|c| c.sha256_hex())
        .collect();
    assert!(!extra.is_empty());
    let anchors: Vec<String> = export::trust_anchors(&validation)
        .iter()
        .map(|c| c.sha256_hex())
        .collect();
    assert_eq!(anchors, extra);

    let pem = dir.join("truststore.pem");
    export::write_truststore(&validation, &pem, &ExportOptions::default()).unwrap();
    let reread = load(std::slice::from_ref(&pem), None);
    let reread: Vec<String> = reread.certificates().iter().map(|c| c.sha256_hex()).collect();
    assert_eq!(reread, extra);

    let p12 = dir.join("truststore.p12");
    export::write_truststore(
        &validation,
        &p12,
        &export_options(Some("changeit"), Pkcs12Encryption::Modern),
    )
    .unwrap();
    if let Some(out) = keytool_list(&p12) {
        assert_eq!(out.matches("trustedCertEntry").count(), extra.len(), "{out}");
        assert!(!out.contains("PrivateKeyEntry"), "{out}");
    }
}

#[test]
fn truststore_never_holds_the_clients_own_root_without_a_server_side() {
    let dir = scratch("truststore-root");
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(None));
    let pem = dir.join("root.PEM");
    let error = export::write_truststore(&validation, &pem, &ExportOptions::default()).unwrap_err();
    assert!(matches!(error, ExportError::NoServerSide { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!(
            "{}: no server CA to trust: give the server's CA certificate or the zip download that carries it \
             (the client's own root is not the server's)",
            pem.display()
        )
    );
    assert!(!pem.exists());
}

#[test]
fn an_existing_target_is_refused_and_left_unchanged_unless_replacing_is_asked() {
    let dir = scratch("exists");
    let pool = bundle();
    let validation = certbundle::validate(&pool, &options(None));
    let file = dir.join("client.key");
    std::fs::write(&file, b"theirs").unwrap();
    let error = export::write_key(&validation, &file, &plain()).unwrap_err();
    assert!(
        matches!(&error, ExportError::Exists { file: f } if f == &file),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!("{}: the file exists and was left unchanged", file.display())
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"theirs");
    let p12 = dir.join("client.p12");
    std::fs::write(&p12, b"theirs").unwrap();
    let error = export::write_pkcs12(
        &validation,
        &p12,
        &export_options(Some("changeit"), Pkcs12Encryption::Modern),
    )
    .unwrap_err();
    assert!(matches!(error, ExportError::Exists { .. }), "{error:?}");
    assert_eq!(std::fs::read(&p12).unwrap(), b"theirs");

    export::write_key(&validation, &file, &plain().replacing()).unwrap();
    assert_private(&file);
    key_reread(&file, None);
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
}

/// The library refuses what the CLI refuses (issue 10.8): no export from an
/// invalid validation, the error naming the file and the failing checks and
/// nothing written, unless the caller accepts the bundle explicitly.
#[test]
fn invalid_bundle_is_exported_only_when_accepted_explicitly() {
    let dir = scratch("invalid");
    let pool = load(
        &[fixture("bad/expired.pem"), fixture("rsa/keys/key-pkcs8.pem")],
        None,
    );
    let p12 = dir.join("client.p12");
    let key = dir.join("client.key");
    let trust = dir.join("trust.pem");
    let with_pw = export_options(Some("changeit"), Pkcs12Encryption::Modern);
    let validation = certbundle::validate(&pool, &options(None));
    assert_eq!(
        validation.blocking_failures(),
        [certbundle::report::CheckId::Validity]
    );
    let refusals = [
        export::write_pkcs12(&validation, &p12, &with_pw).unwrap_err(),
        export::write_key(&validation, &key, &ExportOptions::default()).unwrap_err(),
        export::write_truststore(&validation, &trust, &ExportOptions::default()).unwrap_err(),
    ];
    for (error, file) in refusals.iter().zip([&p12, &key, &trust]) {
        assert!(matches!(error, ExportError::Invalid { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            format!(
                "{}: not written: the bundle is invalid (validity); fix it first, or accept it explicitly \
                 (Validation::accept_invalid) to export it anyway",
                s(file)
            )
        );
        assert!(!file.exists(), "{}", file.display());
    }
    let accepted = validation.accept_invalid();
    assert_eq!(
        accepted.report().verdict,
        certbundle::Verdict::Invalid,
        "the report is unchanged"
    );
    export::write_pkcs12(&accepted, &p12, &with_pw).unwrap();
    let mut unencrypted = ExportOptions::default();
    unencrypted.unencrypted_key = true;
    export::write_key(&accepted, &key, &unencrypted).unwrap();
    export::write_chain(&accepted, &trust, &ExportOptions::default()).unwrap();
    assert!(p12.exists() && key.exists() && trust.exists());
}

/// A failing chain.order alone is no refusal: every export writes the chain
/// leaf first, which repairs it.
#[test]
fn root_first_pem_exports_leaf_first_without_being_accepted() {
    let dir = scratch("root-first");
    let pool = load(
        &[
            fixture("rsa/bundle-root-first.pem"),
            fixture("rsa/keys/key-pkcs8.pem"),
        ],
        None,
    );
    let validation = certbundle::validate(&pool, &options(None));
    assert_eq!(validation.report().checks["chain.order"], Status::Fail);
    assert!(validation.blocking_failures().is_empty());
    let file = dir.join("client.p12");
    export::write_pkcs12(
        &validation,
        &file,
        &export_options(Some("changeit"), Pkcs12Encryption::Modern),
    )
    .unwrap();
    let reread = load(&[file], Some("changeit"));
    let order = certbundle::validate(&reread, &options(Some("changeit")));
    assert_eq!(
        order.chain().certificates().first().unwrap().sha256(),
        validation.chain().certificates().first().unwrap().sha256(),
        "the leaf comes first"
    );
    assert_eq!(order.report().verdict, certbundle::Verdict::Valid);
}
