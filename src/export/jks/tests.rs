//! The JKS writer, proved by our reader and by Java's keytool (and openssl
//! on what keytool converts it to). Without keytool the keytool test prints
//! a note and passes, except under `CI=true`, where it fails.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;
use crate::input::{Input, Limits};
use crate::model::Pool;

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata").join(rel)
}

fn decode(name: &str, bytes: &[u8], password: &str) -> Result<Pool, crate::Error> {
    let password = Password::new(password);
    crate::decode(
        &Input::from_bytes(name, bytes.to_vec()),
        &Limits::default(),
        Some(&password),
    )
}

/// The PKCS#12 fixture: LEAF, SUB, ROOT and LEAF's key.
fn identity() -> Pool {
    let bytes = std::fs::read(testdata("rsa/p12/client-openssl3.p12")).unwrap();
    decode("client.p12", &bytes, "changeit").unwrap()
}

fn server_root() -> Vec<u8> {
    let bytes = std::fs::read(testdata("certs/server-root.crt")).unwrap();
    decode("server-root.crt", &bytes, "").unwrap().certificates()[0]
        .der()
        .to_vec()
}

/// A keystore of the identity under `MTF XBS` and the server root as `server-root`.
fn keystore(store_password: &str, key_password: &str) -> Zeroizing<Vec<u8>> {
    let pool = identity();
    let chain: Vec<&[u8]> = pool.certificates().iter().map(|c| c.der()).collect();
    let root = server_root();
    let entries = [
        JksEntry::PrivateKey {
            alias: "MTF XBS",
            pkcs8: pool.keys()[0].pkcs8_der(),
            chain: &chain,
        },
        JksEntry::Trusted {
            alias: "server-root",
            certificate: &root,
        },
    ];
    encode_jks(
        &entries,
        &Password::new(store_password),
        &Password::new(key_password),
    )
    .unwrap()
}

#[test]
fn round_trip_through_the_reader_keeps_chain_key_and_trusted_entry() {
    let bytes = keystore("changeit", "changeit");
    let pool = decode("out.jks", &bytes, "changeit").unwrap();
    let original = identity();
    let root = server_root();
    let want: Vec<&[u8]> = original
        .certificates()
        .iter()
        .map(|c| c.der())
        .chain([&root[..]])
        .collect();
    let got: Vec<&[u8]> = pool.certificates().iter().map(|c| c.der()).collect();
    assert_eq!(got, want);
    let sources: Vec<String> = pool
        .certificates()
        .iter()
        .map(|c| c.source().to_string())
        .collect();
    assert_eq!(
        sources,
        [
            "out.jks!mtf xbs",
            "out.jks!mtf xbs",
            "out.jks!mtf xbs",
            "out.jks!server-root"
        ]
    );
    assert_eq!(pool.keys().len(), 1);
    assert_eq!(pool.keys()[0].pkcs8_der(), original.keys()[0].pkcs8_der());
    assert_eq!(pool.keys()[0].source().to_string(), "out.jks!mtf xbs");
}

#[test]
fn a_separate_key_password_is_needed_for_the_key_only() {
    let bytes = keystore("storepass", "keypass1");
    let err = decode("out.jks", &bytes, "storepass").unwrap_err();
    assert_eq!(
        err.to_string(),
        "out.jks!mtf xbs: wrong password for keystore private key entry"
    );
    let err = decode("out.jks", &bytes, "keypass1").unwrap_err();
    assert_eq!(err.kind().as_str(), "wrong-password");
}

#[test]
fn two_entries_with_one_alias_up_to_case_are_refused() {
    let root = server_root();
    let entries = [
        JksEntry::Trusted {
            alias: "CA",
            certificate: &root,
        },
        JksEntry::Trusted {
            alias: "ca",
            certificate: &root,
        },
    ];
    let err = encode_jks(&entries, &Password::new("a"), &Password::new("a")).unwrap_err();
    assert_eq!(err, JksError::DuplicateAlias("ca".to_owned()));
}

#[test]
fn a_key_entry_without_a_chain_is_refused() {
    let entries = [JksEntry::PrivateKey {
        alias: "k",
        pkcs8: &[0x30, 0x00],
        chain: &[],
    }];
    let err = encode_jks(&entries, &Password::new("a"), &Password::new("a")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the private key entry `k` has no certificate chain"
    );
}

#[test]
fn aliases_are_written_in_modified_utf8() {
    let mut out = Vec::new();
    write_utf(&mut out, "a\u{0}é€😀", "alias").unwrap();
    // a | C0 80 | C3 A9 | E2 82 AC | ED A0 BD ED B8 80 (U+1F600 as its two surrogates)
    assert_eq!(crate::digest::hex(&out), "000e61c080c3a9e282aceda0bdedb880");
}

/// keytool's name, or `None` after a note (a failure under `CI=true`).
fn keytool() -> Option<&'static str> {
    if Command::new("keytool").arg("-help").output().is_ok() {
        return Some("keytool");
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "keytool is required under CI=true"
    );
    eprintln!("note: keytool not found: skipping the keytool check of the JKS writer");
    None
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{program} {args:?}: {text}");
    text
}

#[test]
fn keytool_lists_a_private_key_entry_with_its_chain_and_a_trusted_entry() {
    let Some(keytool) = keytool() else { return };
    let dir = tempdir();
    let file = dir.join("out.jks");
    std::fs::write(&file, keystore("changeit", "keypass1")).unwrap();
    let file = file.to_str().unwrap();
    let list = run(
        keytool,
        &[
            "-list",
            "-v",
            "-storetype",
            "JKS",
            "-keystore",
            file,
            "-storepass",
            "changeit",
        ],
    );
    assert!(list.contains("Your keystore contains 2 entries"), "{list}");
    assert!(list.contains("Alias name: mtf xbs\n"), "{list}");
    assert!(
        list.contains("Entry type: PrivateKeyEntry\nCertificate chain length: 3\n"),
        "{list}"
    );
    assert!(list.contains("Alias name: server-root\n"), "{list}");
    assert!(list.contains("Entry type: trustedCertEntry\n"), "{list}");
    assert!(list.contains("Owner: CN=MTF XBS, O=Example Corp, C=US"), "{list}");

    // keytool opens the key with its own password: to PKCS#12, then openssl reads the key.
    let p12 = dir.join("out.p12");
    let p12 = p12.to_str().unwrap();
    run(
        keytool,
        &[
            "-importkeystore",
            "-noprompt",
            "-srckeystore",
            file,
            "-srcstoretype",
            "JKS",
            "-srcstorepass",
            "changeit",
            "-srckeypass",
            "keypass1",
            "-srcalias",
            "mtf xbs",
            "-destkeystore",
            p12,
            "-deststoretype",
            "PKCS12",
            "-deststorepass",
            "p12pass1",
        ],
    );
    let out = run(
        "openssl",
        &[
            "pkcs12",
            "-in",
            p12,
            "-nocerts",
            "-nodes",
            "-passin",
            "pass:p12pass1",
        ],
    );
    let pem = out
        .find("-----BEGIN PRIVATE KEY-----")
        .map(|i| &out[i..])
        .expect("a key");
    let key = decode("key.pem", pem.as_bytes(), "").unwrap();
    assert!(key.keys()[0]
        .public_key()
        .same_key(identity().certificates()[0].public_key()));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh directory for one test's files.
fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certbundle-jks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
