//! Properties (issue 3 and 4): PEM/DER round trips, order independence of
//! chain building, and no panic on any corruption of any fixture.

mod common;

use certbundle::report::{CheckId, Status};
use certbundle::{Input, Limits, Verdict};
use common::{options, read};
use proptest::prelude::*;

const CHAIN: [&str; 3] = ["certs/rsa-leaf.crt", "certs/rsa-sub.crt", "certs/rsa-root.crt"];

fn der_of(file: &str) -> Vec<u8> {
    let pool = common::decode_ok(file, None);
    pool.certificates()[0].der().to_vec()
}

fn pem_of(der: &[u8], crlf: bool) -> String {
    let pem = ::pem::encode(&::pem::Pem::new("CERTIFICATE", der.to_vec()));
    if crlf {
        pem.replace('\n', "\r\n")
    } else {
        pem
    }
}

fn validate_pem(text: &str) -> certbundle::Report {
    let pool = certbundle::load(
        &[Input::from_bytes("p.pem", text.as_bytes().to_vec())],
        &options(None),
    )
    .unwrap();
    certbundle::validate(&pool, &options(None)).into_report()
}

fn fixtures() -> Vec<&'static str> {
    vec![
        "rsa/bundle-root-last.pem",
        "rsa/bundle.p7b",
        "rsa/bundle-ber.p7b",
        "rsa/leaf.cer",
        "rsa/mtls.zip",
        "rsa/MYCSR.csr",
        "rsa/keys/key-pkcs8.der",
        "rsa/keys/key-trad-aes128.pem",
        "rsa/p12/client-openssl3.p12",
        "rsa/p12/client-legacy.p12",
        "ec/keys/key-sec1.der",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// DER -> PEM (with any text around it, CRLF or LF, BOM or not) -> DER is the identity.
    #[test]
    fn pem_der_round_trip(which in 0..3usize, crlf: bool, bom: bool, junk in "[a-zA-Z =:]{0,40}") {
        let der = der_of(CHAIN[which]);
        let mut text = String::new();
        if bom { text.push('\u{feff}'); }
        text.push_str(&junk);
        text.push('\n');
        text.push_str(&pem_of(&der, crlf));
        text.push_str(&junk);
        let pool = certbundle::decode(&Input::from_bytes("x.pem", text.into_bytes()), &Limits::default(), None).unwrap();
        prop_assert_eq!(pool.certificates().len(), 1);
        prop_assert_eq!(pool.certificates()[0].der(), &der[..]);
    }

    /// Any order and any duplication of a valid chain builds the same chain;
    /// only chain.order and bundle.extra may differ, and the verdict is valid
    /// exactly when the PEM lists the leaf first (issue 10.1: readers take
    /// a PEM file's first certificate as the client certificate).
    #[test]
    fn permutation_and_duplication_give_the_same_chain(
        order in Just(vec![0usize, 1, 2]).prop_shuffle(),
        extra in proptest::collection::vec(0..3usize, 0..4),
    ) {
        let ders: Vec<Vec<u8>> = CHAIN.iter().map(|f| der_of(f)).collect();
        let canonical = validate_pem(&ders.iter().map(|d| pem_of(d, false)).collect::<String>());
        let text: String = order.iter().chain(&extra).map(|&i| pem_of(&ders[i], false)).collect();
        let report = validate_pem(&text);
        let leaf_first = order[0] == 0;
        prop_assert_eq!(report.verdict, if leaf_first { Verdict::Valid } else { Verdict::Invalid });
        prop_assert_eq!(report.checks["chain.order"] == Status::Fail, !leaf_first);
        let fps = |r: &certbundle::Report| r.chain.iter().map(|c| c.cert.sha256).collect::<Vec<_>>();
        prop_assert_eq!(fps(&report), fps(&canonical));
        for (id, status) in &report.checks {
            if id != CheckId::ChainOrder && id != CheckId::BundleExtra {
                prop_assert_eq!(status, canonical.checks[id], "{}", id);
            }
        }
        let expected_extra = if extra.is_empty() { Status::Pass } else { Status::Warn };
        prop_assert_eq!(report.checks["bundle.extra"], expected_extra);
    }

    /// Flipping any byte or truncating at any offset of any fixture gives an
    /// error or a report, never a panic.
    #[test]
    fn corruption_anywhere_never_panics(which in 0..11usize, offset: prop::sample::Index, flip in 1..=255u8, cut: bool) {
        let file = fixtures()[which];
        let mut bytes = read(file);
        let at = offset.index(bytes.len());
        if cut { bytes.truncate(at) } else { bytes[at] ^= flip }
        let mut opts = options(Some(if file.contains("p12") { "changeit" } else { "test1234" }));
        opts.limits.max_kdf_iterations = 10_000;
        if let Ok(pool) = certbundle::load(&[Input::from_bytes(file, bytes)], &opts) {
            let _ = certbundle::validate(&pool, &opts).report().to_text(false);
        }
    }

    /// A flipped byte in the leaf's signature never validates.
    #[test]
    fn flipped_signature_never_validates(back in 1..200usize, flip in 1..=255u8) {
        let mut leaf = der_of(CHAIN[0]);
        // The signature BIT STRING is the certificate's last element.
        let at = leaf.len() - back.min(200);
        leaf[at] ^= flip;
        let ders = [leaf, der_of(CHAIN[1]), der_of(CHAIN[2])];
        let text: String = ders.iter().map(|d| pem_of(d, false)).collect();
        let pool = certbundle::load(&[Input::from_bytes("p.pem", text.into_bytes())], &options(None));
        if let Ok(pool) = pool {
            let report = certbundle::validate(&pool, &options(None)).into_report();
            prop_assert_eq!(report.verdict, Verdict::Invalid);
            prop_assert_eq!(report.checks["chain.links"], Status::Fail);
        }
    }
}
