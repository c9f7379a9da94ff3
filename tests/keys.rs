//! Private keys in every form: algorithm, encoding, match with the leaf
//! certificate, password handling, and that no secret leaks into errors or
//! Debug output. Fixtures: `testdata/` (password `test1234`).

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use certbundle::model::{Curve, KeyAlgorithm, KeyEncoding, Pool, PublicKey};
use certbundle::{decode, Error, ErrorKind, Input, Limits, Password};

const PASSWORD: &str = "test1234";

fn path(rel: &str) -> String {
    format!("{}/testdata/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn decode_with(rel: &str, password: Option<&str>, limits: &Limits) -> Result<Pool, Error> {
    let input = Input::from_bytes(path(rel), std::fs::read(path(rel)).unwrap());
    decode(&input, limits, password.map(Password::new).as_ref())
}

fn decode_file(rel: &str, password: Option<&str>) -> Result<Pool, Error> {
    decode_with(rel, password, &Limits::default())
}

fn decode_bytes(name: &str, bytes: Vec<u8>, password: Option<&str>) -> Result<Pool, Error> {
    decode(
        &Input::from_bytes(name, bytes),
        &Limits::default(),
        password.map(Password::new).as_ref(),
    )
}

fn leaf(name: &str) -> PublicKey {
    let pool = decode_file(&format!("certs/{name}"), None).unwrap();
    pool.certificates()[0].public_key().clone()
}

const RSA: KeyAlgorithm = KeyAlgorithm::Rsa { bits: 2048 };

/// Decodes `rel`, which must hold exactly one key, and checks it.
fn assert_key(
    rel: &str,
    password: Option<&str>,
    algorithm: &KeyAlgorithm,
    encoding: KeyEncoding,
    leaf_cert: &str,
) {
    let pool = decode_file(rel, password).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(pool.keys().len(), 1, "{rel}");
    let key = &pool.keys()[0];
    assert_eq!(key.algorithm(), algorithm, "{rel}");
    assert_eq!(key.encoding(), encoding, "{rel}");
    assert!(
        key.public_key().same_key(&leaf(leaf_cert)),
        "{rel} does not match {leaf_cert}"
    );
}

/// Every password-protected key fixture.
const ENCRYPTED: &[&str] = &[
    "rsa/PRIVATEKEY.key",
    "rsa/keys/key-pkcs8-aes128.pem",
    "rsa/keys/key-pkcs8-aes256.pem",
    "rsa/keys/key-pkcs8-des3.pem",
    "rsa/keys/key-pkcs8-scrypt.pem",
    "rsa/keys/key-pkcs8-sha1prf.pem",
    "rsa/keys/key-pkcs8-enc.der",
    "rsa/keys/key-trad-aes128.pem",
    "rsa/keys/key-trad-aes192.pem",
    "rsa/keys/key-trad-aes256.pem",
    "rsa/keys/key-trad-des3.pem",
    "ec/keys/key-pkcs8-aes256.pem",
    "ec/keys/key-trad-aes256.pem",
    "ed25519/keys/key-pkcs8-aes256.pem",
];

#[test]
fn plain_pkcs8_rsa_key_pem_and_der_match_leaf() {
    for rel in ["rsa/keys/key-pkcs8.pem", "rsa/keys/key-pkcs8.der"] {
        assert_key(rel, None, &RSA, KeyEncoding::Pkcs8, "rsa-leaf.crt");
    }
}

#[test]
fn encrypted_pkcs8_rsa_keys_decrypt_with_every_scheme_and_match_leaf() {
    for rel in [
        "rsa/keys/key-pkcs8-aes128.pem",
        "rsa/keys/key-pkcs8-aes256.pem",
        "rsa/keys/key-pkcs8-des3.pem",
        "rsa/keys/key-pkcs8-scrypt.pem",
        "rsa/keys/key-pkcs8-sha1prf.pem",
        "rsa/keys/key-pkcs8-enc.der",
    ] {
        assert_key(
            rel,
            Some(PASSWORD),
            &RSA,
            KeyEncoding::EncryptedPkcs8,
            "rsa-leaf.crt",
        );
    }
}

#[test]
fn openssl_req_keyout_key_decrypts_as_encrypted_pkcs8_rsa_2048_and_matches_leaf() {
    assert_key(
        "rsa/PRIVATEKEY.key",
        Some(PASSWORD),
        &RSA,
        KeyEncoding::EncryptedPkcs8,
        "rsa-leaf.crt",
    );
}

#[test]
fn pkcs1_rsa_key_pem_and_der_match_leaf() {
    for rel in ["rsa/keys/key-pkcs1.pem", "rsa/keys/key-pkcs1.der"] {
        assert_key(rel, None, &RSA, KeyEncoding::Pkcs1, "rsa-leaf.crt");
    }
}

#[test]
fn traditional_encrypted_rsa_keys_decrypt_with_every_cipher_and_match_leaf() {
    for cipher in ["aes128", "aes192", "aes256", "des3"] {
        let rel = format!("rsa/keys/key-trad-{cipher}.pem");
        assert_key(
            &rel,
            Some(PASSWORD),
            &RSA,
            KeyEncoding::OpenSslEncrypted,
            "rsa-leaf.crt",
        );
    }
}

#[test]
fn sec1_ec_keys_with_and_without_parameters_block_match_leaf() {
    let p256 = KeyAlgorithm::Ec { curve: Curve::P256 };
    for rel in [
        "ec/keys/key-sec1.pem",
        "ec/keys/key-sec1-params.pem",
        "ec/keys/key-sec1.der",
    ] {
        assert_key(rel, None, &p256, KeyEncoding::Sec1, "ec-leaf.crt");
    }
}

#[test]
fn pkcs8_ec_keys_plain_and_encrypted_match_leaf() {
    let p256 = KeyAlgorithm::Ec { curve: Curve::P256 };
    assert_key(
        "ec/keys/key-pkcs8.pem",
        None,
        &p256,
        KeyEncoding::Pkcs8,
        "ec-leaf.crt",
    );
    assert_key(
        "ec/keys/key-pkcs8-aes256.pem",
        Some(PASSWORD),
        &p256,
        KeyEncoding::EncryptedPkcs8,
        "ec-leaf.crt",
    );
}

#[test]
fn traditional_aes256_ec_key_decrypts_and_matches_leaf() {
    let p256 = KeyAlgorithm::Ec { curve: Curve::P256 };
    assert_key(
        "ec/keys/key-trad-aes256.pem",
        Some(PASSWORD),
        &p256,
        KeyEncoding::OpenSslEncrypted,
        "ec-leaf.crt",
    );
}

#[test]
fn ed25519_keys_plain_and_encrypted_match_leaf() {
    let ed = KeyAlgorithm::Ed25519;
    assert_key(
        "ed25519/keys/key-pkcs8.pem",
        None,
        &ed,
        KeyEncoding::Pkcs8,
        "ed-leaf.crt",
    );
    assert_key(
        "ed25519/keys/key-pkcs8-aes256.pem",
        Some(PASSWORD),
        &ed,
        KeyEncoding::EncryptedPkcs8,
        "ed-leaf.crt",
    );
}

#[test]
fn wrong_password_gives_wrong_password_naming_the_file() {
    for rel in ENCRYPTED {
        let err = decode_file(rel, Some("not-the-password")).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::WrongPassword { .. }),
            "{rel}: {err}"
        );
        let file = rel.rsplit('/').next().unwrap();
        assert!(err.to_string().contains(file), "{err}");
    }
}

#[test]
fn missing_password_gives_password_required() {
    for rel in ENCRYPTED {
        let err = decode_file(rel, None).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::PasswordRequired { .. }),
            "{rel}: {err}"
        );
    }
}

#[test]
fn truncated_der_key_inside_pem_is_malformed() {
    for rel in [
        "rsa/keys/key-pkcs8.der",
        "rsa/keys/key-pkcs1.der",
        "ec/keys/key-sec1.der",
    ] {
        let der = std::fs::read(path(rel)).unwrap();
        let label = if rel.contains("pkcs8") {
            "PRIVATE KEY"
        } else if rel.contains("pkcs1") {
            "RSA PRIVATE KEY"
        } else {
            "EC PRIVATE KEY"
        };
        let cut = &der[..der.len() - 20];
        let pem = format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            base64(cut)
        );
        let err = decode_bytes("cut.pem", pem.into_bytes(), None).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Malformed { .. }), "{rel}: {err}");
    }
}

#[test]
fn truncated_der_key_file_is_malformed() {
    let der = std::fs::read(path("rsa/keys/key-pkcs8.der")).unwrap();
    let err = decode_bytes("cut.der", der[..der.len() - 20].to_vec(), None).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Malformed { .. }), "{err}");
}

#[test]
fn rsa_key_with_corrupted_modulus_is_malformed_without_key_bytes() {
    let der = std::fs::read(path("rsa/keys/key-pkcs1.der")).unwrap();
    let mut bad = der.clone();
    // Inside n: the RSAPrivateKey starts 30 82 LL LL 02 01 00 02 82 01 01 00 <n...>.
    bad[40] ^= 0x01;
    let err = decode_bytes("bad.der", bad, None).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Malformed { .. }), "{err}");
    assert_no_secret(&err.to_string());
}

#[test]
fn wrong_key_does_not_match_rsa_leaf() {
    let pool = decode_file("bad/wrong-key.pem", None).unwrap();
    let key = &pool.keys()[0];
    assert!(matches!(key.algorithm(), KeyAlgorithm::Rsa { .. }));
    assert!(!key.public_key().same_key(&leaf("rsa-leaf.crt")));
}

#[test]
fn rsa_1024_key_is_read_for_the_weak_key_check() {
    let pool = decode_file("bad/rsa1024-key.pem", None).unwrap();
    assert_eq!(pool.keys()[0].algorithm(), &KeyAlgorithm::Rsa { bits: 1024 });
}

/// A throwaway Ed25519 key (`openssl genpkey -algorithm ed25519`) and the same
/// key as `openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES` / `PBE-SHA1-2DES`
/// (password `test1234`).
const ED_PLAIN: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEICBWtaIFl1WGLWYwjm1AEwet6+BJb/2AnoUzUbM5zLQs
-----END PRIVATE KEY-----
";
const ED_PBE_3DES: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----
MFgwHAYKKoZIhvcNAQwBAzAOBAiOjK3YwFyewAICCAAEOO47kJEyJ8MtIbH4diyk
W9dwh/0KRcoHuYh/cBa3m6bAASaM94Md0t5dai/N7w83U6LxPLBGmd6E
-----END ENCRYPTED PRIVATE KEY-----
";
const ED_PBE_2DES: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----
MFgwHAYKKoZIhvcNAQwBBDAOBAhO4AUldMTG/AICCAAEOAMdkTk3n5c7HuwBbnSf
d5GPsRMXGYgBdVCs2iazFaB40Hi/NMfYhNvTgzJ6sA2alFYkYQvBz/5m
-----END ENCRYPTED PRIVATE KEY-----
";
/// The 3DES one with its OID changed to pbeWithSHAAnd40BitRC2-CBC (…12.1.6).
const ED_PBE_RC2: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----
MFgwHAYKKoZIhvcNAQwBBjAOBAgVok2nEWCbowICCAAEONjLMF1L5Jz+dAp5mPan
4SXFhEs0VXUuFMuaTVubw7euzvfD7Rl0MCChkjM/8+t7enbUVAYfSgGQ
-----END ENCRYPTED PRIVATE KEY-----
";

#[test]
fn pkcs12_pbe_sha1_3des_encrypted_pkcs8_decrypts_to_the_same_key() {
    let plain = decode_bytes("plain.pem", ED_PLAIN.into(), None).unwrap();
    for (name, pem) in [("3des.pem", ED_PBE_3DES), ("2des.pem", ED_PBE_2DES)] {
        let pool = decode_bytes(name, pem.into(), Some(PASSWORD)).unwrap();
        let key = &pool.keys()[0];
        assert_eq!(key.algorithm(), &KeyAlgorithm::Ed25519);
        assert_eq!(key.encoding(), KeyEncoding::EncryptedPkcs8);
        assert!(key.public_key().same_key(plain.keys()[0].public_key()), "{name}");
        let err = decode_bytes(name, pem.into(), Some("wrong")).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::WrongPassword { .. }), "{err}");
        let err = decode_bytes(name, pem.into(), None).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::PasswordRequired { .. }), "{err}");
    }
}

#[test]
fn pkcs12_pbe_rc2_encrypted_pkcs8_is_unsupported_with_conversion_hint() {
    let err = decode_bytes("old-java.pem", ED_PBE_RC2.into(), Some(PASSWORD)).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Unsupported { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("openssl pkcs8 -topk8 -v2 aes-256-cbc"), "{text}");
    assert!(text.contains("1.2.840.113549.1.12.1.6"), "{text}");
}

#[test]
fn kdf_iteration_limit_is_enforced_before_decryption() {
    let mut limits = Limits::default();
    limits.max_kdf_iterations = 100;
    let err = decode_with("rsa/keys/key-pkcs8-aes256.pem", Some(PASSWORD), &limits).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::LimitExceeded { .. }), "{err}");
}

/// A throwaway SEC1 P-384 key (`openssl ecparam -name secp384r1 -genkey
/// -noout`) followed by a self-signed certificate for it.
const P384_KEY_AND_CERT: &str = "-----BEGIN EC PRIVATE KEY-----
MIGkAgEBBDAq7lsyvGhiiocWmTUWjSBWJQeiqGcU8Fyz0+uSmzSrTAiZvN6xSXNp
r2W1MLcw8AKgBwYFK4EEACKhZANiAASjIYW7iX3GYlQmGyTElW3P207BaGXx+6yn
ESHpOeoTc04SjDFflKmeRedMybgzi90Vw9Bw/mdArDziykyuZaytI2v4OZb3EBQp
ybQoIHAguV7KRhhDgeaX7mdJLVj2YH4=
-----END EC PRIVATE KEY-----
-----BEGIN CERTIFICATE-----
MIIBsDCCATagAwIBAgIUOqSKV/hM69EuUd4G4nePDfkNkC8wCgYIKoZIzj0EAwIw
DzENMAsGA1UEAwwEcDM4NDAeFw0yNjExMjkwNDA3NTNaFw0yNjEyMDIwNDA3NTNa
MA8xDTALBgNVBAMMBHAzODQwdjAQBgcqhkjOPQIBBgUrgQQAIgNiAASjIYW7iX3G
YlQmGyTElW3P207BaGXx+6ynESHpOeoTc04SjDFflKmeRedMybgzi90Vw9Bw/mdA
rDziykyuZaytI2v4OZb3EBQpybQoIHAguV7KRhhDgeaX7mdJLVj2YH6jUzBRMB0G
A1UdDgQWBBRAdKc17Rp9z8/GSz5MdVMyPluKWTAfBgNVHSMEGDAWgBRAdKc17Rp9
z8/GSz5MdVMyPluKWTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA2gAMGUC
MQCCoxSozzd99LZMtggjD7wx+L2Vp3sZnyYuLyG4+3XTUw4aKowpQ6h3eEjvk1I+
3osCMAYou4QGA1V3lMwuUsTEM+G2k+5fUzdemxp4EbKfdJFqL/xl7sn79DIC0knO
ScHTrg==
-----END CERTIFICATE-----
";

#[test]
fn sec1_p384_key_is_read_and_matches_its_certificate() {
    let pool = decode_bytes("p384.pem", P384_KEY_AND_CERT.into(), None).unwrap();
    let key = &pool.keys()[0];
    assert_eq!(key.algorithm(), &KeyAlgorithm::Ec { curve: Curve::P384 });
    assert_eq!(key.encoding(), KeyEncoding::Sec1);
    assert!(key.public_key().same_key(pool.certificates()[0].public_key()));
}

/// A throwaway secp256k1 key (`openssl ecparam -name secp256k1 -genkey -noout`).
const SECP256K1_KEY: &str = "-----BEGIN EC PRIVATE KEY-----
MHQCAQEEIJJ+TDuQOA52bFkqONhurqxCoFehE+JDpd6F9lHfxCEuoAcGBSuBBAAK
oUQDQgAEHATfEysperbilNF+44LeEQaHJ62s8kQgW+0529LhW05FkTTqOrp37cxJ
cgTeSg8mmlu9LlDZqGlcQRRL10w/rA==
-----END EC PRIVATE KEY-----
";

#[test]
fn key_on_unsupported_curve_is_unsupported_and_names_the_curve() {
    let err = decode_bytes("k1.pem", SECP256K1_KEY.into(), None).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Unsupported { .. }), "{err}");
    assert!(err.to_string().contains("secp256k1 (1.3.132.0.10)"), "{err}");
}

/// The decrypted key bytes of the RSA fixtures.
fn pkcs8_der() -> Vec<u8> {
    std::fs::read(path("rsa/keys/key-pkcs8.der")).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Fails if `text` holds the password or any 16-byte window of the key
/// (raw or as hex).
fn assert_no_secret(text: &str) {
    assert!(!text.contains(PASSWORD), "password leaked: {text}");
    let lower = text.to_lowercase();
    for window in pkcs8_der().windows(16) {
        assert!(
            !text.as_bytes().windows(16).any(|w| w == window),
            "key bytes leaked: {text}"
        );
        assert!(!lower.contains(&hex(window)), "key bytes leaked as hex: {text}");
    }
}

#[test]
fn debug_output_and_error_strings_hold_no_password_or_key_bytes() {
    let pool = decode_file("rsa/keys/key-trad-aes256.pem", Some(PASSWORD)).unwrap();
    assert_no_secret(&format!("{:?}", pool.keys()[0]));
    assert_no_secret(&format!("{pool:?}"));
    for rel in ENCRYPTED {
        for password in [None, Some("wrong"), Some("test12345")] {
            let err = decode_file(rel, password).unwrap_err();
            assert_no_secret(&err.to_string());
            assert_no_secret(&format!("{err:?}"));
        }
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
        if out.len() % 77 == 76 {
            out.push('\n');
        }
    }
    out
}
