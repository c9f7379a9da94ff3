//! PKCS#12 decoding through the public API, against the fixtures in
//! `testdata/` (password `changeit` unless the name says otherwise).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use certbundle::model::{Certificate, Pool};
use certbundle::{decode, Error, ErrorKind, Input, Limits, Password};

const PASSWORD: &str = "changeit";

fn path(rel: &str) -> String {
    format!("{}/testdata/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn open_bytes(name: &str, bytes: Vec<u8>, password: Option<&str>) -> Result<Pool, Error> {
    let password = password.map(Password::new);
    decode(
        &Input::from_bytes(name, bytes),
        &Limits::default(),
        password.as_ref(),
    )
}

fn open(rel: &str, password: Option<&str>) -> Result<Pool, Error> {
    open_bytes(rel, read(rel), password)
}

/// The single certificate in a `.crt` fixture.
fn crt(name: &str) -> Certificate {
    let pool = open(&format!("certs/{name}.crt"), None).unwrap();
    assert_eq!(pool.certificates().len(), 1, "{name}.crt");
    pool.certificates()[0].clone()
}

fn fingerprints(pool: &Pool) -> Vec<String> {
    pool.certificates().iter().map(Certificate::sha256_hex).collect()
}

/// Asserts the pool holds exactly these certificates (by SHA-256, in this
/// order) and `keys` keys, each matching the first certificate's key.
fn assert_contents(pool: &Pool, expected: &[&str], keys: usize) {
    let want: Vec<String> = expected.iter().map(|name| crt(name).sha256_hex()).collect();
    assert_eq!(fingerprints(pool), want, "certificates (by SHA-256) in bag order");
    let subjects: Vec<&str> = pool.certificates().iter().map(|c| c.subject().as_str()).collect();
    let want_subjects: Vec<String> = expected
        .iter()
        .map(|n| crt(n).subject().as_str().to_owned())
        .collect();
    assert_eq!(subjects, want_subjects);
    assert_eq!(pool.keys().len(), keys, "key count");
    for key in pool.keys() {
        assert!(
            key.public_key().same_key(pool.certificates()[0].public_key()),
            "key matches the leaf"
        );
        assert_eq!(key.encoding(), certbundle::model::KeyEncoding::Pkcs12);
    }
}

fn error(result: Result<Pool, Error>) -> Error {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(err) => err,
    }
}

const RSA_CHAIN: &[&str] = &["rsa-leaf", "rsa-sub", "rsa-root"];

#[test]
fn openssl3_aes_p12_yields_key_and_three_certs() {
    let pool = open("rsa/p12/client-openssl3.p12", Some(PASSWORD)).unwrap();
    assert_contents(&pool, RSA_CHAIN, 1);
    assert_eq!(
        pool.certificates()[0].subject().as_str(),
        crt("rsa-leaf").subject().as_str()
    );
}

#[test]
fn legacy_rc2_3des_p12_yields_key_and_three_certs() {
    let pool = open("rsa/p12/client-legacy.p12", Some(PASSWORD)).unwrap();
    assert_contents(&pool, RSA_CHAIN, 1);
}

#[test]
fn nomac_p12_yields_key_and_three_certs() {
    let pool = open("rsa/p12/client-nomac.p12", Some(PASSWORD)).unwrap();
    assert_contents(&pool, RSA_CHAIN, 1);
}

#[test]
fn keytool_p12_yields_key_and_its_chain() {
    let pool = open("rsa/p12/client-keytool.p12", Some(PASSWORD)).unwrap();
    assert_contents(&pool, RSA_CHAIN, 1);
}

#[test]
fn keytool_legacy_p12_yields_key_and_its_chain() {
    let pool = open("rsa/p12/client-keytool-legacy.p12", Some(PASSWORD)).unwrap();
    assert_contents(&pool, RSA_CHAIN, 1);
}

#[test]
fn ec_p12_yields_ec_key_matching_the_leaf() {
    let pool = open("ec/client.p12", Some(PASSWORD)).unwrap();
    assert_eq!(pool.certificates()[0].sha256_hex(), crt("ec-leaf").sha256_hex());
    assert_eq!(pool.keys().len(), 1);
    assert!(pool.keys()[0].public_key().same_key(crt("ec-leaf").public_key()));
}

#[test]
fn keytool_truststore_yields_two_trusted_certs_and_no_key() {
    let pool = open("rsa/p12/truststore-keytool.p12", Some(PASSWORD)).unwrap();
    let mut got = fingerprints(&pool);
    let mut want = vec![crt("server-root").sha256_hex(), crt("server-sub").sha256_hex()];
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert!(pool.keys().is_empty());
}

#[test]
fn openssl_certs_only_p12_yields_three_certs_and_no_key() {
    // p12-keystore's KeyStore policies return nothing here (no Java trust
    // attribute); the raw bag view must not.
    let pool = open("rsa/p12/certs-only-openssl.p12", Some(PASSWORD)).unwrap();
    assert_contents(&pool, RSA_CHAIN, 0);
}

#[test]
fn empty_password_p12_opens_with_no_password_and_with_an_empty_one() {
    for password in [None, Some("")] {
        let pool = open("rsa/p12/client-emptypw.p12", password).unwrap();
        assert_contents(&pool, RSA_CHAIN, 1);
    }
    let err = error(open("rsa/p12/client-emptypw.p12", Some("nope")));
    assert!(matches!(err.kind(), ErrorKind::WrongPassword { .. }), "{err}");
}

const PROTECTED: &[&str] = &[
    "rsa/p12/client-openssl3.p12",
    "rsa/p12/client-legacy.p12",
    "rsa/p12/client-nomac.p12",
    "rsa/p12/client-keytool.p12",
    "rsa/p12/client-keytool-legacy.p12",
    "rsa/p12/truststore-keytool.p12",
    "rsa/p12/certs-only-openssl.p12",
    "ec/client.p12",
];

#[test]
fn wrong_password_is_wrong_password_naming_the_file_and_not_the_password() {
    let secret = "hunter2-Sekrit";
    for file in PROTECTED {
        let err = error(open(file, Some(secret)));
        let message = err.to_string();
        assert!(
            matches!(err.kind(), ErrorKind::WrongPassword { what: "PKCS#12 file" }),
            "{message}"
        );
        assert!(!format!("{err:?}").contains(secret));
        assert!(message.contains(file), "{message}");
        assert!(!message.contains(secret), "{message}");
    }
}

#[test]
fn no_password_on_a_protected_p12_is_password_required() {
    for file in PROTECTED {
        let err = error(open(file, None));
        let message = err.to_string();
        assert!(
            matches!(err.kind(), ErrorKind::PasswordRequired { what: "PKCS#12 file" }),
            "{message}"
        );
        assert!(message.contains(file), "{message}");
    }
}

#[test]
fn empty_password_on_a_protected_p12_is_wrong_password() {
    let err = error(open("rsa/p12/client-openssl3.p12", Some("")));
    assert!(matches!(err.kind(), ErrorKind::WrongPassword { .. }), "{err}");
}

#[test]
fn correct_password_never_appears_in_errors() {
    let bytes = read("rsa/p12/client-openssl3.p12");
    // Corrupt the tail (inside the MAC digest): the MAC no longer verifies.
    let mut corrupt = bytes.clone();
    let last = corrupt.len() - 20;
    corrupt[last] ^= 0xff;
    let cut = bytes[..bytes.len() / 2].to_vec();
    for (name, variant) in [("corrupt.p12", corrupt), ("cut.p12", cut)] {
        let err = error(open_bytes(name, variant, Some(PASSWORD)));
        assert!(!err.to_string().contains(PASSWORD), "{err}");
        assert!(!format!("{err:?}").contains(PASSWORD), "{err:?}");
    }
}

#[test]
fn truncated_p12_is_malformed_not_wrong_password() {
    let err = error(open("bad/truncated.p12", Some(PASSWORD)));
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Malformed {
                expected: "PKCS#12 PFX",
                ..
            }
        ),
        "{err}"
    );
    let bytes = read("rsa/p12/client-openssl3.p12");
    for len in [bytes.len() - 1, bytes.len() - 40, bytes.len() / 2, 40] {
        let err = error(open_bytes("cut.p12", bytes[..len].to_vec(), Some(PASSWORD)));
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Malformed {
                    expected: "PKCS#12 PFX",
                    ..
                }
            ),
            "cut at {len}: {err}"
        );
    }
}

/// Minimal DER for the test: (tag, contents, rest).
fn tlv(input: &[u8]) -> (u8, &[u8], &[u8]) {
    let tag = input[0];
    let (len, header) = match input[1] {
        n if n < 0x80 => (usize::from(n), 2),
        n => {
            let count = usize::from(n & 0x7f);
            let len = input[2..2 + count]
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            (len, 2 + count)
        }
    };
    (tag, &input[header..header + len], &input[header + len..])
}

fn encode(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|&b| b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(contents);
    out
}

/// Re-encodes a PFX with its MacData iteration count replaced (`None`:
/// kept as it is).
fn with_mac_iterations(pfx: &[u8], iterations: Option<&[u8]>) -> Vec<u8> {
    let (tag, contents, _) = tlv(pfx);
    assert_eq!(tag, 0x30);
    let (_, _, after_version) = tlv(contents);
    let (_, _, mac_tlv) = tlv(after_version);
    let head = &contents[..contents.len() - mac_tlv.len()];
    let (mac_tag, mac, _) = tlv(mac_tlv);
    assert_eq!(mac_tag, 0x30, "the fixture has a MacData");
    let (_, _, after_digest) = tlv(mac);
    let (_, _, iterations_tlv) = tlv(after_digest);
    let (int_tag, original, _) = tlv(iterations_tlv);
    assert_eq!(int_tag, 0x02, "MacData iterations INTEGER");
    let iterations = iterations.unwrap_or(original);
    let mut new_mac = mac[..mac.len() - iterations_tlv.len()].to_vec();
    new_mac.extend(encode(0x02, iterations));
    let mut new_contents = head.to_vec();
    new_contents.extend(encode(0x30, &new_mac));
    encode(0x30, &new_contents)
}

#[test]
fn mac_iteration_count_of_2_to_the_31_is_refused_before_any_kdf() {
    let original = read("rsa/p12/client-openssl3.p12");
    // The re-encoding itself is faithful: the real count still opens.
    let same = with_mac_iterations(&original, None);
    assert!(open_bytes("same.p12", same, Some(PASSWORD)).is_ok());

    let hostile = with_mac_iterations(&original, Some(&[0x7f, 0xff, 0xff, 0xff]));
    let started = Instant::now();
    let err = error(open_bytes("hostile.p12", hostile, Some(PASSWORD)));
    let elapsed = started.elapsed();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::LimitExceeded {
                found: 0x7fff_ffff,
                ..
            }
        ),
        "{err}"
    );
    assert!(elapsed < Duration::from_millis(100), "took {elapsed:?}");
    assert!(err.to_string().starts_with("hostile.p12: "), "{err}");
}

/// Issue 13.6: a legacy RC2-40/3DES PKCS#12 under a zero-length password
/// (`openssl pkcs12 -export -legacy -passout pass:`, made by
/// `testdata/gen-legacy-emptypw.sh`) opens with no password and with "".
#[test]
fn legacy_rc2_3des_p12_under_an_empty_password_opens_with_no_password_and_with_an_empty_one() {
    for password in [None, Some("")] {
        let pool = open("rsa/p12/client-legacy-emptypw.p12", password).unwrap();
        assert_contents(&pool, RSA_CHAIN, 1);
    }
    let err = error(open("rsa/p12/client-legacy-emptypw.p12", Some("nope")));
    assert!(
        matches!(err.kind(), ErrorKind::WrongPassword { what: "PKCS#12 file" }),
        "{err}"
    );
}
