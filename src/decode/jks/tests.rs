//! The reader with several candidate passwords (what repeatable passwords
//! will give it): the store and the key may each open with a different one.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::decode::run::Run;
use crate::model::Pool;

fn fixture(rel: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel);
    std::fs::read(&path).unwrap()
}

fn run(rel: &str, passwords: &[&str]) -> Result<Pool, Error> {
    let limits = Limits::default();
    let passwords: Vec<Password> = passwords.iter().map(|p| Password::new(*p)).collect();
    let candidates: Vec<&Password> = passwords.iter().collect();
    let run = Run::bundle();
    let mut dec = Decoder::new(&limits, &[], &run);
    decode(&mut dec, &fixture(rel), &Source::file(rel), &candidates)?;
    Ok(dec.pool)
}

#[test]
fn store_and_key_passwords_are_each_found_among_the_candidates() {
    for order in [["keypass1", "changeit"], ["changeit", "keypass1"]] {
        let pool = run("jks/client-keypass.jks", &order).unwrap();
        assert_eq!(pool.certificates().len(), 3, "{order:?}");
        assert_eq!(pool.keys().len(), 1, "{order:?}");
        assert!(pool.keys()[0]
            .public_key()
            .same_key(pool.certificates()[0].public_key()));
    }
}

#[test]
fn no_candidate_for_the_key_is_a_wrong_password_naming_the_alias() {
    let err = run("jks/client-keypass.jks", &["nope", "changeit"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "jks/client-keypass.jks!mtf xbs: wrong password for keystore private key entry"
    );
}

#[test]
fn no_candidate_for_the_store_is_a_wrong_password_or_corruption() {
    let err = run("jks/client.jceks", &["nope", "keypass1"]).unwrap_err();
    assert_eq!(err.kind().as_str(), "wrong-password");
}
