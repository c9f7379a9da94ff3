//! The `request` example, run as a process (issue 11 point 2): the key and
//! CSR it writes are read by OpenSSL (the independent reader) and by the
//! `validate` example, and every refusal writes nothing. Like tests/cli.rs,
//! this runs the example binaries: `cargo test` builds them first;
//! `cargo test --test request` alone does not (build them with
//! `cargo build --examples`).

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{entries, example, path, scratch};

const SUBJECT: &str = "C=US, O=Example Corp, CN=MTF XBS";
const PASSPHRASE: &str = "correct horse 1234";

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs `request` in `dir` under umask 0 (so the modes it sets are its
/// own), with stdin not a terminal and `PW` set to [`PASSPHRASE`].
fn request(dir: &Path, args: &[&str]) -> Output {
    request_after(dir, "umask 000", args)
}

/// [`request`] after the shell commands `setup` (umask, ulimit, trap).
fn request_after(dir: &Path, setup: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("{setup}; exec \"$0\" \"$@\""))
        .arg(example("request"))
        .args(args)
        .current_dir(dir)
        .env("PW", PASSPHRASE)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn guide_args<'a>(profile: &'a str, subject: &'a str) -> Vec<&'a str> {
    vec![
        "--profile",
        profile,
        "--subject",
        subject,
        "--key-out",
        "PRIVATEKEY.key",
        "--csr-out",
        "MYCSR.csr",
        "--password-env",
        "PW",
    ]
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs openssl and returns stdout + stderr; panics when it fails.
fn openssl(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(out.status.success(), "openssl {args:?}: {all}");
    all
}

/// `openssl pkey -text` of the key in `dir` with `-passin pass:PASSIN`.
fn openssl_key_text(dir: &Path, passin: &str) -> String {
    openssl(
        dir,
        &[
            "pkey",
            "-in",
            "PRIVATEKEY.key",
            "-passin",
            &format!("pass:{passin}"),
            "-noout",
            "-text",
        ],
    )
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Makes the guide's key and CSR in `dir`.
fn make_guide_request(dir: &Path) -> Output {
    let out = request(dir, &guide_args("kmp-mtf", SUBJECT));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    out
}

/// SHA-256 of the CSR's SubjectPublicKeyInfo, as OpenSSL computes it.
fn openssl_spki_sha256(dir: &Path) -> String {
    let pubkey = dir.join("pub.pem");
    openssl(
        dir,
        &["req", "-in", "MYCSR.csr", "-pubkey", "-noout", "-out", s(&pubkey)],
    );
    let der = dir.join("pub.der");
    openssl(
        dir,
        &[
            "pkey",
            "-pubin",
            "-in",
            s(&pubkey),
            "-outform",
            "DER",
            "-out",
            s(&der),
        ],
    );
    let out = openssl(dir, &["dgst", "-sha256", "-r", s(&der)]);
    let hex = out.split_whitespace().next().unwrap().to_owned();
    std::fs::remove_file(pubkey).unwrap();
    std::fs::remove_file(der).unwrap();
    hex
}

#[test]
fn the_guide_command_writes_a_key_openssl_opens_and_a_csr_openssl_verifies() {
    let dir = scratch("request-guide");
    let out = make_guide_request(&dir);
    assert_eq!(entries(&dir), ["MYCSR.csr", "PRIVATEKEY.key"]);
    assert_eq!(
        mode(&dir.join("PRIVATEKEY.key")),
        0o600,
        "umask 0 does not widen the key"
    );
    assert_eq!(mode(&dir.join("MYCSR.csr")), 0o644);
    let stdout = text(&out.stdout);
    let spki = openssl_spki_sha256(&dir);
    assert_eq!(
        stdout,
        format!(
            "wrote PRIVATEKEY.key: RSA-2048 private key, encrypted (PKCS#8 PBES2, PBKDF2-HMAC-SHA256 \
             (600000 iterations), AES-256-CBC), mode 0600\n\
             wrote MYCSR.csr: certificate request (PKCS#10, signed with sha256WithRSAEncryption)\n  \
             subject       C=US, O=Example Corp, CN=MTF XBS\n  \
             key           RSA-2048\n  \
             SPKI SHA-256  {spki}\n\
             checked: both files read back; the request is for this key and its signature verifies\n"
        )
    );

    let verified = openssl(
        &dir,
        &["req", "-verify", "-in", "MYCSR.csr", "-noout", "-subject"],
    );
    assert!(verified.contains("self-signature verify OK"), "{verified}");
    assert!(
        verified.contains("subject=C = US, O = Example Corp, CN = MTF XBS"),
        "{verified}"
    );
    let parsed = openssl(&dir, &["req", "-in", "MYCSR.csr", "-noout", "-text"]);
    assert!(
        parsed.contains("Signature Algorithm: sha256WithRSAEncryption"),
        "{parsed}"
    );
    assert!(parsed.contains("Public-Key: (2048 bit)"), "{parsed}");

    let key = std::fs::read_to_string(dir.join("PRIVATEKEY.key")).unwrap();
    assert!(
        key.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"),
        "{key}"
    );
    let asn1 = openssl(&dir, &["asn1parse", "-in", "PRIVATEKEY.key"]);
    for what in [
        ":PBES2",
        ":PBKDF2",
        ":hmacWithSHA256",
        ":aes-256-cbc",
        "INTEGER           :0927C0",
    ] {
        assert!(asn1.contains(what), "{what}: {asn1}");
    }
    let opened = openssl_key_text(&dir, PASSPHRASE);
    assert!(opened.contains("Private-Key: (2048 bit, 2 primes)"), "{opened}");
    let wrong = Command::new("openssl")
        .args(["pkey", "-in", "PRIVATEKEY.key", "-passin", "pass:wrong", "-noout"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!wrong.status.success(), "the key opens only with its passphrase");
}

#[test]
fn validate_matches_the_written_key_and_csr() {
    let dir = scratch("request-validate");
    make_guide_request(&dir);
    let out = Command::new(example("validate"))
        .args([
            "MYCSR.csr",
            "--key",
            "PRIVATEKEY.key",
            "--password-env",
            "PW",
            "--format",
            "json",
        ])
        .current_dir(&dir)
        .env("PW", PASSPHRASE)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["checks"]["csr.match"], "pass", "{report}");
    // No certificate to compare the key with (issue 10.3).
    assert_eq!(report["checks"]["key.match"], "skip", "{report}");
    // A request alone is validated as a request (issue 11.1): the chain
    // checks do not apply, and the report describes the request.
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report["checks"]["chain.complete"], "skip", "{report}");
    assert_eq!(
        report["request"]["subject"], "C=US, O=Example Corp, CN=MTF XBS",
        "{report}"
    );
    assert_eq!(report["request"]["key"], "RSA-2048", "{report}");
    // And with no FILE at all: --key and --csr are enough.
    let out = Command::new(example("validate"))
        .args([
            "--key",
            "PRIVATEKEY.key",
            "--csr",
            "MYCSR.csr",
            "--password-env",
            "PW",
            "--profile",
            "kmp-mtf",
        ])
        .current_dir(&dir)
        .env("PW", PASSPHRASE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn a_certificate_issued_for_the_csr_by_a_test_ca_validates_with_the_key() {
    let dir = scratch("request-issued");
    make_guide_request(&dir);
    let ext = dir.join("leaf.ext");
    std::fs::write(
        &ext,
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n\
         extendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n",
    )
    .unwrap();
    let (ca, ca_key) = (path("certs/rsa-sub.crt"), path("keys/rsa-sub.key"));
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "MYCSR.csr",
            "-CA",
            s(&ca),
            "-CAkey",
            s(&ca_key),
            "-set_serial",
            "4242",
            "-days",
            "30",
            "-sha256",
            "-extfile",
            s(&ext),
            "-out",
            "issued.pem",
        ],
    );
    let root = path("certs/rsa-root.crt");
    let out = Command::new(example("validate"))
        .args([
            "issued.pem",
            s(&ca),
            s(&root),
            "--key",
            "PRIVATEKEY.key",
            "--csr",
            "MYCSR.csr",
        ])
        .args(["--password-env", "PW", "--profile", "kmp-mtf", "--format", "json"])
        .current_dir(&dir)
        .env("PW", PASSPHRASE)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report["verdict"], "valid");
    for check in [
        "key.match",
        "csr.match",
        "dn.profile",
        "chain.links",
        "crypto.strength",
    ] {
        assert_eq!(report["checks"][check], "pass", "{check}: {report}");
    }
    assert_eq!(report["chain"][0]["subject"], SUBJECT);
    assert_eq!(report["chain"][0]["serial"], "1092");
}

#[test]
fn an_existing_target_is_refused_with_exit_2_and_both_files_are_untouched() {
    for existing in ["MYCSR.csr", "PRIVATEKEY.key"] {
        let dir = scratch(&format!("request-exists-{existing}"));
        std::fs::write(dir.join(existing), b"theirs").unwrap();
        let out = request(&dir, &guide_args("kmp-mtf", SUBJECT));
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            text(&out.stderr),
            format!(
                "request: {existing}: the file exists and was left unchanged; nothing was written; \
                 choose another --key-out / --csr-out\n"
            )
        );
        assert_eq!(entries(&dir), [existing]);
        assert_eq!(std::fs::read(dir.join(existing)).unwrap(), b"theirs");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_subject_the_profile_rejects_exits_1_naming_the_rule_and_writes_nothing() {
    let dir = scratch("request-profile");
    let out = request(&dir, &guide_args("kmp-mtf", "C=US, O=Example Corp, CN=Foo"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "request: refused by the kmp-mtf profile: rule \"the CN of the environment\": the subject has CN \
         `Foo`; the kmp-mtf profile (the portal's test environment) needs CN `MTF XBS` exactly \
         (nothing was written)\n"
    );
    let out = request(&dir, &guide_args("kmp-mtf", "C=USA, O=Example Corp, CN=MTF XBS"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "request: refused by the kmp-mtf profile: rule \"a country is two letters\": C is 3 characters \
         long (`USA`); a country is its two-letter ISO 3166 code, like C=US (nothing was written)\n"
    );
    let out = request(&dir, &guide_args("kmp-prod", SUBJECT));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("CN `MTF XBS` is the test (MTF) environment's"),
        "{}",
        text(&out.stderr)
    );
    assert!(entries(&dir).is_empty());
}

#[test]
fn bad_syntax_unknown_bits_and_no_passphrase_exit_2_and_write_nothing() {
    let dir = scratch("request-errors");
    let cases: [(Vec<&str>, &str); 5] = [
        (
            guide_args("kmp-mtf", "C=US, Org=Example Corp, CN=MTF XBS"),
            "request: --subject: the subject, at character 7: unknown attribute name; expected one of C, \
             ST, L, O, OU, CN, emailAddress\n",
        ),
        (
            [guide_args("generic", SUBJECT), vec!["--bits", "1024"]].concat(),
            "request: --bits 1024: expected 2048, 3072 or 4096\n",
        ),
        (
            guide_args("generic", SUBJECT)[..8].to_vec(),
            "request: no passphrase for the key: give --password-env VAR or --password-file F (or run \
             in a terminal to be asked), or --no-encrypt for an unencrypted key\n",
        ),
        (
            [guide_args("generic", SUBJECT), vec!["--no-encrypt"]].concat(),
            "request: --no-encrypt writes the key without a passphrase; drop --password-env / \
             --password-file\n",
        ),
        (
            [
                &guide_args("generic", SUBJECT)[..8],
                &["--password-env", "UNSET_VARIABLE_FOR_TEST"][..],
            ]
            .concat(),
            "request: --password-env: environment variable UNSET_VARIABLE_FOR_TEST is not set\n",
        ),
    ];
    for (args, stderr) in cases {
        let out = request(&dir, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&out.stderr), stderr, "{args:?}");
        assert!(entries(&dir).is_empty(), "{args:?}");
    }
}

#[test]
fn no_encrypt_writes_an_unencrypted_pkcs8_key_openssl_reads_without_a_passphrase() {
    let dir = scratch("request-no-encrypt");
    let mut args = guide_args("generic", "/C=US/O=Example Corp/CN=MTF XBS");
    args.truncate(8);
    args.push("--no-encrypt");
    let out = request(&dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout)
            .starts_with("wrote PRIVATEKEY.key: RSA-2048 private key, unencrypted PKCS#8, mode 0600\n"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(
        text(&out.stderr),
        "request: warning: PRIVATEKEY.key is not encrypted: whoever can read the file has the key\n"
    );
    assert_eq!(mode(&dir.join("PRIVATEKEY.key")), 0o600);
    let key = std::fs::read_to_string(dir.join("PRIVATEKEY.key")).unwrap();
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{key}");
    let opened = openssl_key_text(&dir, "");
    assert!(opened.contains("Private-Key: (2048 bit, 2 primes)"), "{opened}");
    let verified = openssl(
        &dir,
        &["req", "-verify", "-in", "MYCSR.csr", "-noout", "-subject"],
    );
    assert!(
        verified.contains("subject=C = US, O = Example Corp, CN = MTF XBS"),
        "{verified}"
    );
}

#[test]
fn a_password_file_and_3072_bits() {
    let dir = scratch("request-password-file");
    let secret = std::env::temp_dir().join(format!("certbundle-request-pw-{}", std::process::id()));
    std::fs::write(&secret, format!("{PASSPHRASE}\nignored second line\n")).unwrap();
    let mut args = guide_args("kmp-prod", "C=DE, O=Example\\, GmbH, CN=PROD XBS");
    args.truncate(8);
    args.extend(["--password-file", s(&secret), "--bits", "3072"]);
    let out = request(&dir, &args);
    std::fs::remove_file(&secret).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("  key           RSA-3072\n"),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stdout).contains("  subject       C=DE, O=Example, GmbH, CN=PROD XBS\n"));
    let opened = openssl_key_text(&dir, PASSPHRASE);
    assert!(opened.contains("Private-Key: (3072 bit, 2 primes)"), "{opened}");
    let subject = openssl(
        &dir,
        &[
            "req",
            "-in",
            "MYCSR.csr",
            "-noout",
            "-subject",
            "-nameopt",
            "RFC2253",
        ],
    );
    assert_eq!(subject, "subject=CN=PROD XBS,O=Example\\, GmbH,C=DE\n");
}

/// Runs `request` under a pseudo-terminal (tests/pty_prompt.py) answering
/// its prompts; `None`, with a note, where python3 is missing (a failure
/// under CI=true, where it must run).
fn request_with_prompt(dir: &Path, first: &str, again: &str) -> Option<Output> {
    let mut args = guide_args("kmp-mtf", SUBJECT);
    args.truncate(8);
    let driver = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/pty_prompt.py");
    match Command::new("python3")
        .arg(driver)
        .arg(example("request"))
        .args(args)
        .current_dir(dir)
        .env("PROMPT_ANSWER1", first)
        .env("PROMPT_ANSWER2", again)
        .output()
    {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "python3 is needed under CI"
            );
            println!("note: python3 is not installed; the prompt test is skipped");
            None
        }
        Err(e) => panic!("python3: {e}"),
    }
}

#[test]
fn on_a_terminal_the_passphrase_is_asked_twice_without_echo() {
    let dir = scratch("request-prompt");
    let Some(out) = request_with_prompt(&dir, PASSPHRASE, PASSPHRASE) else {
        return;
    };
    let shown = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(
        shown.starts_with(
            "Passphrase for the new key: \r\nThe same passphrase again: \r\nwrote PRIVATEKEY.key: "
        ),
        "{shown}"
    );
    assert!(!shown.contains(PASSPHRASE), "the passphrase was echoed: {shown}");
    assert!(openssl_key_text(&dir, PASSPHRASE).contains("Private-Key: (2048 bit, 2 primes)"));
}

#[test]
fn two_different_passphrases_at_the_prompt_exit_2_and_write_nothing() {
    let dir = scratch("request-prompt-differ");
    let Some(out) = request_with_prompt(&dir, PASSPHRASE, "something else") else {
        return;
    };
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stdout).ends_with("request: the two passphrases differ; nothing was written\r\n"),
        "{}",
        text(&out.stdout)
    );
    assert!(entries(&dir).is_empty());
}

#[test]
fn a_write_that_fails_midway_exits_2_and_leaves_no_file_or_temporary_file() {
    let dir = scratch("request-write-fails");
    // A file size limit of one block (512 or 1,024 bytes, by shell) with
    // SIGXFSZ ignored, so write() fails with EFBIG: the key's temporary file
    // (1,886 bytes) cannot be written whole.
    let out = request_after(&dir, "trap '' XFSZ; ulimit -f 1", &guide_args("kmp-mtf", SUBJECT));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "request: PRIVATEKEY.key: cannot write file: File too large (os error 27); nothing was written\n"
    );
    assert!(entries(&dir).is_empty(), "{:?}", entries(&dir));
}
