//! No key or password ever appears in any output (issue 4): Debug of the
//! pool and its keys, error messages, JSON and text reports, for every key
//! format and the PKCS#12 files.

mod common;

use certbundle::Input;
use common::{options, read};

const KEY_PASSWORD: &str = "test1234";
const P12_PASSWORD: &str = "changeit";

/// (key file, password, the bundle it belongs to, the same key unencrypted)
fn cases() -> Vec<(&'static str, Option<&'static str>, &'static str, &'static str)> {
    let rsa = ("rsa/bundle-root-last.pem", "keys/rsa-leaf.key");
    let ec = ("ec/bundle.pem", "keys/ec-leaf.key");
    let ed = ("ed25519/bundle.pem", "keys/ed-leaf.key");
    let plain: [(&str, (&str, &str)); 10] = [
        ("rsa/keys/key-pkcs8.pem", rsa),
        ("rsa/keys/key-pkcs8.der", rsa),
        ("rsa/keys/key-pkcs1.pem", rsa),
        ("rsa/keys/key-pkcs1.der", rsa),
        ("ec/keys/key-sec1.pem", ec),
        ("ec/keys/key-sec1-params.pem", ec),
        ("ec/keys/key-sec1.der", ec),
        ("ec/keys/key-pkcs8.pem", ec),
        ("ed25519/keys/key-pkcs8.pem", ed),
        (
            "bad/rsa1024-key.pem",
            ("bad/rsa1024-leaf.pem", "keys/rsa-leaf-rsa1024.key"),
        ),
    ];
    let encrypted: [(&str, &str, (&str, &str)); 18] = [
        ("rsa/PRIVATEKEY.key", KEY_PASSWORD, rsa),
        ("rsa/keys/key-pkcs8-aes128.pem", KEY_PASSWORD, rsa),
        ("rsa/keys/key-pkcs8-aes256.pem", KEY_PASSWORD, rsa),
        ("rsa/keys/key-pkcs8-des3.pem", KEY_PASSWORD, rsa),
        ("rsa/keys/key-pkcs8-scrypt.pem", KEY_PASSWORD, rsa),
        ("rsa/keys/key-pkcs8-enc.der", KEY_PASSWORD, rsa),
        ("rsa/keys/key-trad-aes128.pem", KEY_PASSWORD, rsa),
        ("rsa/keys/key-trad-aes256.pem", KEY_PASSWORD, rsa),
        ("rsa/keys/key-trad-des3.pem", KEY_PASSWORD, rsa),
        ("ec/keys/key-pkcs8-aes256.pem", KEY_PASSWORD, ec),
        ("ec/keys/key-trad-aes256.pem", KEY_PASSWORD, ec),
        ("ed25519/keys/key-pkcs8-aes256.pem", KEY_PASSWORD, ed),
        ("rsa/p12/client-openssl3.p12", P12_PASSWORD, rsa),
        ("rsa/p12/client-legacy.p12", P12_PASSWORD, rsa),
        ("rsa/p12/client-keytool.p12", P12_PASSWORD, rsa),
        ("ec/client.p12", P12_PASSWORD, ec),
        ("jks/client.jks", P12_PASSWORD, rsa),
        ("jks/client.jceks", P12_PASSWORD, rsa),
    ];
    let mut cases: Vec<_> = plain
        .iter()
        .map(|&(f, (bundle, key))| (f, None, bundle, key))
        .collect();
    cases.extend(
        encrypted
            .iter()
            .map(|&(f, pw, (bundle, key))| (f, Some(pw), bundle, key)),
    );
    cases
}

/// The unencrypted PKCS#8 DER of a `keys/*.key` fixture.
fn plain_der(file: &str) -> Vec<u8> {
    ::pem::parse(read(file)).unwrap().into_contents()
}

/// Every 16-byte window of `secret`, as raw bytes and as lowercase hex.
fn assert_no_window(text: &str, secret: &[u8], what: &str) {
    for window in secret.windows(16).step_by(8) {
        let hex: String = window.iter().map(|b| format!("{b:02x}")).collect();
        assert!(!text.contains(&hex), "{what}: key bytes (hex) leaked");
        assert!(
            !text.as_bytes().windows(16).any(|w| w == window),
            "{what}: key bytes leaked"
        );
    }
}

fn assert_clean(text: &str, password: Option<&str>, key: &[u8], what: &str) {
    if let Some(password) = password {
        assert!(!text.contains(password), "{what}: password leaked: {text}");
    }
    assert_no_window(text, key, what);
}

#[test]
fn keys_and_passwords_never_appear_in_debug_reports_or_errors() {
    for (file, password, bundle, plain) in cases() {
        let key = plain_der(plain);
        let mut opts = options(password);
        let inputs = [Input::from_bytes(file, read(file)), common::input(bundle)];
        let pool = certbundle::load(&inputs, &opts).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(pool.keys().len(), 1, "{file}");
        assert_clean(&format!("{pool:?}"), password, &key, file);
        assert_clean(&format!("{:?}", pool.keys()[0]), password, &key, file);
        let validation = certbundle::validate(&pool, &opts);
        assert_eq!(
            validation.report().checks["key.match"],
            certbundle::report::Status::Pass,
            "{file}"
        );
        assert_clean(&validation.report().to_json(), password, &key, file);
        assert_clean(&validation.report().to_text(false), password, &key, file);
        assert_clean(&format!("{opts:?}"), password, &key, file);
        // A wrong password: the error names the file, not either password.
        if password.is_some() {
            opts.passwords = vec![certbundle::Password::new("Wr0ng-Passw0rd")];
            let error = certbundle::load(&inputs, &opts).expect_err(file);
            let message = format!("{error} / {error:?}");
            assert!(message.contains(file), "{message}");
            assert!(!message.contains("Wr0ng-Passw0rd"), "{message}");
            assert_clean(&message, password, &key, file);
        }
    }
}
