//! No key or password ever appears in any output (issue 4): Debug of the
//! pool and its keys, error messages, JSON and text reports, for every key
//! format and the PKCS#12 files.

mod common;

use certbundle::Input;
use common::{options, read};

const KEY_PASSWORD: &str = "test1234";
const P12_PASSWORD: &str = "changeit";

/// (file, password, unencrypted PKCS#8 DER of the same key)
fn cases() -> Vec<(&'static str, Option<&'static str>, &'static str)> {
    let rsa = "rsa/keys/key-pkcs8.der";
    let mut cases: Vec<(&str, Option<&str>, &str)> = [
        "rsa/keys/key-pkcs8.pem",
        "rsa/keys/key-pkcs8.der",
        "rsa/keys/key-pkcs1.pem",
        "rsa/keys/key-pkcs1.der",
    ]
    .into_iter()
    .map(|f| (f, None, rsa))
    .collect();
    for f in [
        "rsa/PRIVATEKEY.key",
        "rsa/keys/key-pkcs8-aes128.pem",
        "rsa/keys/key-pkcs8-aes256.pem",
        "rsa/keys/key-pkcs8-des3.pem",
        "rsa/keys/key-pkcs8-scrypt.pem",
        "rsa/keys/key-pkcs8-enc.der",
        "rsa/keys/key-trad-aes128.pem",
        "rsa/keys/key-trad-aes256.pem",
        "rsa/keys/key-trad-des3.pem",
    ] {
        cases.push((f, Some(KEY_PASSWORD), rsa));
    }
    for f in [
        "rsa/p12/client-openssl3.p12",
        "rsa/p12/client-legacy.p12",
        "rsa/p12/client-keytool.p12",
    ] {
        cases.push((f, Some(P12_PASSWORD), rsa));
    }
    cases
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
    for (file, password, plain) in cases() {
        let key = read(plain);
        let mut opts = options(password);
        let inputs = [
            Input::from_bytes(file, read(file)),
            common::input("rsa/bundle-root-last.pem"),
        ];
        let pool = certbundle::load(&inputs, &opts).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(pool.keys().len(), 1, "{file}");
        assert_clean(&format!("{pool:?}"), password, &key, file);
        assert_clean(&format!("{:?}", pool.keys()[0]), password, &key, file);
        let validation = certbundle::validate(&pool, &opts);
        assert_eq!(
            validation.report().checks["key.match"],
            certbundle::Status::Pass,
            "{file}"
        );
        assert_clean(&validation.report().to_json(), password, &key, file);
        assert_clean(&validation.report().to_text(false), password, &key, file);
        assert_clean(&format!("{opts:?}"), password, &key, file);
        // A wrong password: the error names the file, not either password.
        if password.is_some() {
            opts.password = Some(certbundle::Password::new("Wr0ng-Passw0rd"));
            let error = certbundle::load(&inputs, &opts).expect_err(file);
            let message = format!("{error} / {error:?}");
            assert!(message.contains(file), "{message}");
            assert!(!message.contains("Wr0ng-Passw0rd"), "{message}");
            assert_clean(&message, password, &key, file);
        }
    }
}
