//! JKS and JCEKS keystores through the public API, against the keytool-made
//! fixtures of `testdata/jks/` (store password `changeit`) and stores built
//! here byte by byte for the failure paths.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::time::{Duration, Instant};

use certbundle::model::{Format, KeyEncoding, Pool};
use certbundle::report::Status;
use certbundle::{Error, Input, Limits, Password};
use common::{decode, decode_ok, fingerprint, options};

const PW: &str = "changeit";

fn fingerprints(pool: &Pool) -> Vec<String> {
    pool.certificates().iter().map(|c| c.sha256_hex()).collect()
}

fn subjects(pool: &Pool) -> Vec<&str> {
    pool.certificates().iter().map(|c| c.subject().as_str()).collect()
}

fn sources(pool: &Pool) -> Vec<String> {
    pool.certificates()
        .iter()
        .map(|c| c.source().to_string())
        .collect()
}

fn err(result: Result<Pool, Error>) -> Error {
    result.expect_err("expected an error")
}

const LEAF: &str = "C=US, O=Example Corp, CN=MTF XBS";
const SUB: &str = "C=US, O=Example Payments, CN=Test XBS Issuing CA 1";
const ROOT: &str = "C=US, O=Example Payments, CN=Test XBS Root CA";

/// A key store's identity: the chain of three, the key under the alias, matching the leaf.
fn assert_identity(rel: &str, pool: &Pool) {
    let want: Vec<String> = ["rsa-leaf", "rsa-sub", "rsa-root"]
        .iter()
        .map(|n| fingerprint(n))
        .collect();
    assert_eq!(fingerprints(pool), want);
    assert_eq!(subjects(pool), [LEAF, SUB, ROOT]);
    let entry = format!("{rel}!mtf xbs");
    assert_eq!(sources(pool), [entry.clone(), entry.clone(), entry.clone()]);
    assert_eq!(pool.keys().len(), 1);
    let key = &pool.keys()[0];
    assert_eq!(key.algorithm().to_string(), "RSA-2048");
    assert_eq!(key.encoding(), KeyEncoding::Jks);
    assert_eq!(key.source().to_string(), entry);
    assert!(key.public_key().same_key(pool.certificates()[0].public_key()));
    assert_eq!(pool.inputs()[0].format(), Format::Jks);
    assert_eq!(pool.inputs()[0].format().as_str(), "jks");
}

#[test]
fn jks_keystore_yields_the_chain_and_the_key_under_its_alias() {
    let pool = decode_ok("jks/client.jks", Some(PW));
    assert_identity("jks/client.jks", &pool);
}

#[test]
fn jceks_keystore_key_opens_with_pbe_md5_triple_des() {
    let pool = decode_ok("jks/client.jceks", Some(PW));
    assert_identity("jks/client.jceks", &pool);
}

#[test]
fn the_keystore_key_matches_the_leaf_in_validation() {
    for rel in ["jks/client.jks", "jks/client.jceks"] {
        let pool = decode_ok(rel, Some(PW));
        let options = options(Some(PW));
        let validation = certbundle::validate(&pool, &options);
        assert_eq!(validation.report().checks["key.match"], Status::Pass, "{rel}");
        assert_eq!(validation.chain().len(), 3, "{rel}");
        assert!(validation.key().is_some(), "{rel}");
    }
}

#[test]
fn truststore_yields_both_trusted_certificates_with_their_aliases() {
    let pool = decode_ok("jks/truststore.jks", Some(PW));
    let mut got: Vec<(String, String)> = pool
        .certificates()
        .iter()
        .map(|c| (c.source().to_string(), c.sha256_hex()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "jks/truststore.jks!server-root".to_owned(),
                fingerprint("server-root")
            ),
            (
                "jks/truststore.jks!server-sub".to_owned(),
                fingerprint("server-sub")
            ),
        ]
    );
    assert!(pool.keys().is_empty());
}

#[test]
fn truststore_opens_without_a_password_skipping_the_integrity_check() {
    let with = decode_ok("jks/truststore.jks", Some(PW));
    let without = decode_ok("jks/truststore.jks", None);
    assert_eq!(fingerprints(&with), fingerprints(&without));
}

#[test]
fn keystore_without_a_password_names_the_key_entry_it_cannot_open() {
    let e = err(decode("jks/client.jks", None));
    assert_eq!(e.kind().as_str(), "password-required");
    assert_eq!(e.location().to_string(), "jks/client.jks!mtf xbs");
    assert!(
        e.to_string()
            .starts_with("jks/client.jks!mtf xbs: keystore private key entry is password-protected"),
        "{e}"
    );
}

#[test]
fn jceks_secret_key_entry_is_skipped_and_listed_as_ignored() {
    let pool = decode_ok("jks/secret.jceks", Some(PW));
    assert_eq!(fingerprints(&pool), [fingerprint("server-root")]);
    assert_eq!(sources(&pool), ["jks/secret.jceks!server-root"]);
    let entries = pool.inputs()[0].entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].name(), entries[0].format()),
        ("aes-key", Format::Ignored)
    );
}

#[test]
fn wrong_store_password_is_a_wrong_password_error() {
    for (rel, kind) in [
        ("jks/client.jks", "JKS"),
        ("jks/client.jceks", "JCEKS"),
        ("jks/truststore.jks", "JKS"),
    ] {
        let e = err(decode(rel, Some("wrong-pw")));
        assert_eq!(e.kind().as_str(), "wrong-password");
        assert_eq!(
            e.to_string(),
            format!(
                "{rel}: wrong password for {kind} keystore (or the keystore is corrupted: \
                 its integrity digest does not match)"
            )
        );
    }
}

#[test]
fn key_password_that_differs_from_the_store_password_is_needed_for_the_key() {
    // The store opens with `changeit`; the key entry needs `keypass1`.
    let e = err(decode("jks/client-keypass.jks", Some(PW)));
    assert_eq!(e.kind().as_str(), "wrong-password");
    assert_eq!(
        e.to_string(),
        "jks/client-keypass.jks!mtf xbs: wrong password for keystore private key entry"
    );
}

#[test]
fn a_flipped_byte_fails_the_integrity_check() {
    let mut bytes = common::read("jks/client.jks");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    let e = err(open("flipped.jks", bytes, Some(PW)));
    assert_eq!(
        e.to_string(),
        "flipped.jks: wrong password for JKS keystore (or the keystore is corrupted: \
         its integrity digest does not match)"
    );
}

fn open(name: &str, bytes: Vec<u8>, password: Option<&str>) -> Result<Pool, Error> {
    certbundle::decode(
        &Input::from_bytes(name, bytes),
        &Limits::default(),
        password.map(Password::new).as_ref(),
    )
}

#[test]
fn truncated_keystores_say_what_was_expected_and_what_was_found() {
    let bytes = common::read("jks/truststore.jks");
    // Without a password the last 20 bytes are taken as the digest unchecked,
    // so the parser meets the cut 20 bytes early.
    let cases = [
        (10, "truncated: expected at least 32 bytes (magic, version, entry count, 20-byte digest), found 10"),
        (32, "entry 1 of 2: truncated: expected the entry tag (4 bytes), found 0 bytes"),
        (36, "entry 1 of 2: truncated: expected the alias (2 bytes), found 0 bytes"),
        (100, "entry 1 of 2 (alias `server-sub`): truncated: expected the certificate (891 bytes), found 33 bytes"),
    ];
    for (len, detail) in cases {
        let e = err(open("cut.jks", bytes[..len].to_vec(), None));
        assert_eq!(e.kind().as_str(), "malformed", "{len}");
        assert_eq!(
            e.to_string(),
            format!("cut.jks: malformed JKS keystore: {detail}"),
            "{len}"
        );
    }
    // Every other cut is an error too, never a panic, and never the input's bytes.
    for len in 0..bytes.len() {
        let e = err(open("cut.jks", bytes[..len].to_vec(), None));
        assert!(
            ["malformed", "empty", "unrecognised-format"].contains(&e.kind().as_str()),
            "{len}: {e}"
        );
        let with = err(open("cut.jks", bytes[..len].to_vec(), Some(PW)));
        assert!(
            ["malformed", "wrong-password", "empty", "unrecognised-format"].contains(&with.kind().as_str()),
            "{len}: {with}"
        );
    }
}

/// A store of `magic` with `count` declared and `body` as its entries, its
/// digest made with `password`.
fn store(magic: [u8; 4], count: u32, body: &[u8], password: &str) -> Vec<u8> {
    let mut out = magic.to_vec();
    out.extend(2u32.to_be_bytes());
    out.extend(count.to_be_bytes());
    out.extend_from_slice(body);
    let mut ctx = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY);
    let pw: Vec<u8> = password.encode_utf16().flat_map(u16::to_be_bytes).collect();
    ctx.update(&pw);
    ctx.update(b"Mighty Aphrodite");
    ctx.update(&out);
    out.extend_from_slice(ctx.finish().as_ref());
    out
}

#[test]
fn an_entry_count_above_the_limit_is_refused_before_reading_entries() {
    let bytes = store([0xfe, 0xed, 0xfe, 0xed], u32::MAX, &[], PW);
    let e = err(open("many.jks", bytes, Some(PW)));
    assert_eq!(
        e.to_string(),
        "many.jks: number of keystore entries exceeds the limit: 4294967295 > 10000"
    );
}

#[test]
fn a_chain_length_above_the_limit_is_refused() {
    let mut entry = 1u32.to_be_bytes().to_vec();
    entry.extend([0, 1, b'k']); // alias "k"
    entry.extend([0; 8]); // timestamp
    entry.extend([0, 0, 0, 2, 0x30, 0x00]); // a 2-byte protected key
    entry.extend(0x0fff_ffffu32.to_be_bytes());
    let e = err(open(
        "chain.jks",
        store([0xfe, 0xed, 0xfe, 0xed], 1, &entry, PW),
        Some(PW),
    ));
    assert_eq!(
        e.to_string(),
        "chain.jks: certificates in a keystore key entry exceeds the limit: 268435455 > 100"
    );
}

#[test]
fn a_certificate_length_beyond_the_input_is_truncated_not_allocated() {
    let mut entry = 2u32.to_be_bytes().to_vec();
    entry.extend([0, 1, b'c']);
    entry.extend([0; 8]);
    entry.extend([0, 5, b'X', b'.', b'5', b'0', b'9']);
    entry.extend(0x000f_0000u32.to_be_bytes());
    entry.extend([0x30, 0x82]);
    let e = err(open(
        "big.jks",
        store([0xfe, 0xed, 0xfe, 0xed], 1, &entry, PW),
        Some(PW),
    ));
    assert_eq!(
        e.to_string(),
        "big.jks: malformed JKS keystore: entry 1 of 1 (alias `c`): truncated: expected the certificate (983040 bytes), found 2 bytes"
    );
}

/// DER TLV with a short or two-byte length.
fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    if value.len() < 128 {
        out.push(value.len() as u8);
    } else {
        out.extend([0x82, (value.len() >> 8) as u8, value.len() as u8]);
    }
    out.extend_from_slice(value);
    out
}

#[test]
fn jceks_iteration_count_above_the_limit_is_refused_before_any_kdf() {
    // PBEWithMD5AndTripleDES (1.3.6.1.4.1.42.2.19.1) asking for 2^31 iterations.
    let oid = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x13, 0x01];
    let params = tlv(
        0x30,
        &[tlv(0x04, &[1; 8]), tlv(0x02, &[0x00, 0x80, 0, 0, 0])].concat(),
    );
    let alg = tlv(0x30, &[tlv(0x06, &oid), params].concat());
    let protected = tlv(0x30, &[alg, tlv(0x04, &[0; 16])].concat());
    let chain = common::read("certs/rsa-leaf.crt");
    let leaf = certbundle::decode(&Input::from_bytes("leaf", chain), &Limits::default(), None).unwrap();
    let leaf = leaf.certificates()[0].der().to_vec();
    let mut entry = 1u32.to_be_bytes().to_vec();
    entry.extend([0, 4, b's', b'l', b'o', b'w']);
    entry.extend([0; 8]);
    entry.extend((protected.len() as u32).to_be_bytes());
    entry.extend(&protected);
    entry.extend(1u32.to_be_bytes());
    entry.extend([0, 5, b'X', b'.', b'5', b'0', b'9']);
    entry.extend((leaf.len() as u32).to_be_bytes());
    entry.extend(&leaf);
    let bytes = store([0xce, 0xce, 0xce, 0xce], 1, &entry, PW);
    let start = Instant::now();
    let e = err(open("slow.jceks", bytes, Some(PW)));
    assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());
    assert_eq!(e.kind().as_str(), "limit-exceeded");
    assert_eq!(
        e.to_string(),
        "slow.jceks!slow: KDF iteration count exceeds the limit: 2147483648 > 1000000 \
         (raise Limits::max_kdf_iterations if this file is trusted)"
    );
}
