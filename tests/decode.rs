//! Every portal download decodes to exactly what it holds (issue 2):
//! counts, subjects in file order, fingerprints, provenance, extra CA chains.

mod common;

use certbundle::model::{Format, KeyAlgorithm};
use common::{decode, decode_ok, fingerprint, kind, subjects};

const ROOT: &str = "C=US, O=Example Payments, CN=Test XBS Root CA";
const SUB: &str = "C=US, O=Example Payments, CN=Test XBS Issuing CA 1";
const LEAF: &str = "C=US, O=Example Corp, CN=MTF XBS";
const SERVER_ROOT: &str = "C=US, O=Example Network, CN=Test XBS Server Root CA";
const SERVER_SUB: &str = "C=US, O=Example Network, CN=Test XBS Server Issuing CA";

fn fingerprints(pool: &certbundle::model::Pool) -> Vec<String> {
    pool.certificates().iter().map(|c| c.sha256_hex()).collect()
}

fn rsa_chain_fingerprints(order: &[&str]) -> Vec<String> {
    order.iter().map(|name| fingerprint(name)).collect()
}

#[test]
fn root_last_pem_decodes_leaf_sub_root_with_block_provenance() {
    let pool = decode_ok("rsa/bundle-root-last.pem", None);
    assert_eq!(subjects(&pool), [LEAF, SUB, ROOT]);
    assert_eq!(
        fingerprints(&pool),
        rsa_chain_fingerprints(&["rsa-leaf", "rsa-sub", "rsa-root"])
    );
    let blocks: Vec<_> = pool
        .certificates()
        .iter()
        .map(|c| c.source().to_string())
        .collect();
    assert_eq!(
        blocks,
        [
            "rsa/bundle-root-last.pem (PEM block 1)",
            "rsa/bundle-root-last.pem (PEM block 2)",
            "rsa/bundle-root-last.pem (PEM block 3)"
        ]
    );
    assert_eq!(pool.inputs()[0].format(), Format::Pem);
}

#[test]
fn root_first_pem_keeps_file_order() {
    let pool = decode_ok("rsa/bundle-root-first.pem", None);
    assert_eq!(subjects(&pool), [ROOT, SUB, LEAF]);
}

#[test]
fn openssl_text_between_blocks_is_skipped() {
    let pool = decode_ok("rsa/bundle-openssl-text.pem", None);
    assert_eq!(pool.certificates().len(), 3);
    let mut fps = fingerprints(&pool);
    fps.sort();
    let mut expected = rsa_chain_fingerprints(&["rsa-leaf", "rsa-sub", "rsa-root"]);
    expected.sort();
    assert_eq!(fps, expected);
}

#[test]
fn bom_crlf_and_trailing_blanks_decode_all_three() {
    let pool = decode_ok("rsa/bundle-crlf-bom.pem", None);
    assert_eq!(subjects(&pool), [LEAF, SUB, ROOT]);
}

#[test]
fn der_p7b_keeps_file_order_sub_leaf_root() {
    let pool = decode_ok("rsa/bundle.p7b", None);
    assert_eq!(subjects(&pool), [SUB, LEAF, ROOT]);
    assert_eq!(
        fingerprints(&pool),
        rsa_chain_fingerprints(&["rsa-sub", "rsa-leaf", "rsa-root"])
    );
    assert_eq!(pool.inputs()[0].format(), Format::Pkcs7);
}

#[test]
fn pem_armoured_p7b_decodes_like_der() {
    let pool = decode_ok("rsa/bundle-pem.p7b", None);
    assert_eq!(subjects(&pool), [SUB, LEAF, ROOT]);
    assert_eq!(pool.inputs()[0].format(), Format::Pem);
}

#[test]
fn indefinite_length_ber_p7b_decodes() {
    let pool = decode_ok("rsa/bundle-ber.p7b", None);
    let mut got = subjects(&pool);
    got.sort();
    let mut want = vec![LEAF.to_owned(), SUB.to_owned(), ROOT.to_owned()];
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn der_cer_is_the_leaf_alone() {
    let pool = decode_ok("rsa/leaf.cer", None);
    assert_eq!(subjects(&pool), [LEAF]);
    assert_eq!(fingerprints(&pool), [fingerprint("rsa-leaf")]);
    assert_eq!(pool.inputs()[0].format(), Format::Der);
}

#[test]
fn format_is_sniffed_from_bytes_not_the_file_name() {
    let pem_in_cer = decode_ok("rsa/pem-named.cer", None);
    assert_eq!(subjects(&pem_in_cer), [LEAF, SUB, ROOT]);
    assert_eq!(pem_in_cer.inputs()[0].format(), Format::Pem);
    let der_in_pem = decode_ok("rsa/der-named.pem", None);
    assert_eq!(subjects(&der_in_pem), [LEAF]);
    assert_eq!(der_in_pem.inputs()[0].format(), Format::Der);
}

#[test]
fn mtls_zip_keeps_the_server_ca_chain_apart() {
    let pool = decode_ok("rsa/mtls.zip", None);
    assert_eq!(subjects(&pool), [LEAF, SUB, ROOT]);
    let sources: Vec<_> = pool
        .certificates()
        .iter()
        .map(|c| c.source().file_and_entry())
        .collect();
    assert!(
        sources
            .iter()
            .all(|s| s == "rsa/mtls.zip!MTF_XBS/certificate.pem"),
        "{sources:?}"
    );
    assert_eq!(pool.extra_ca().len(), 1);
    let extra = &pool.extra_ca()[0];
    assert_eq!(
        extra.source().file_and_entry(),
        "rsa/mtls.zip!MTF_XBS/ca-chain/server-ca-chain.pem"
    );
    let extra_subjects: Vec<_> = extra
        .certificates()
        .iter()
        .map(|c| c.subject().to_string())
        .collect();
    assert_eq!(extra_subjects, [SERVER_SUB, SERVER_ROOT]);
    assert_eq!(extra.certificates()[1].sha256_hex(), fingerprint("server-root"));
    let input = &pool.inputs()[0];
    assert_eq!(input.format(), Format::Zip);
    let entries: Vec<_> = input
        .entries()
        .iter()
        .map(|e| (e.name().to_owned(), e.format()))
        .collect();
    assert_eq!(
        entries,
        [
            ("MTF_XBS/certificate.pem".to_owned(), Format::Pem),
            ("MTF_XBS/ca-chain/server-ca-chain.pem".to_owned(), Format::Pem)
        ]
    );
}

#[test]
fn mixed_zip_of_der_and_p7b_entries_decodes_every_entry() {
    let pool = decode_ok("rsa/mtls-mixed.zip", None);
    let mut got = subjects(&pool);
    got.sort();
    assert_eq!(got, [LEAF, SUB, ROOT]);
    assert_eq!(pool.extra_ca().len(), 1);
    assert_eq!(pool.extra_ca()[0].source().entry(), Some("extra/server-ca.p7b"));
    let formats: Vec<_> = pool.inputs()[0].entries().iter().map(|e| e.format()).collect();
    assert_eq!(formats, [Format::Der, Format::Pkcs7, Format::Pkcs7]);
}

#[test]
fn csr_decodes_in_pem_new_label_and_der() {
    for file in ["rsa/MYCSR.csr", "rsa/MYCSR-new.csr", "rsa/MYCSR.der"] {
        let pool = decode_ok(file, None);
        assert_eq!(pool.requests().len(), 1, "{file}");
        let csr = &pool.requests()[0];
        assert_eq!(csr.subject().to_string(), LEAF, "{file}");
        let leaf = decode_ok("certs/rsa-leaf.crt", None);
        assert!(
            csr.public_key().same_key(leaf.certificates()[0].public_key()),
            "{file}"
        );
    }
}

#[test]
fn ec_and_ed25519_chains_decode_with_their_key_types() {
    let ec = decode_ok("ec/bundle.pem", None);
    assert_eq!(
        subjects(&ec),
        [
            "C=US, O=Example Corp, CN=MTF XBS EC",
            "C=US, O=Example Payments, CN=Test XBS EC Issuing CA",
            "C=US, O=Example Payments, CN=Test XBS EC Root CA"
        ]
    );
    let keys: Vec<_> = ec
        .certificates()
        .iter()
        .map(|c| c.public_key().algorithm().to_string())
        .collect();
    assert_eq!(keys, ["EC P-256", "EC P-256", "EC P-384"]);
    let ed = decode_ok("ed25519/bundle.pem", None);
    assert!(ed
        .certificates()
        .iter()
        .all(|c| *c.public_key().algorithm() == KeyAlgorithm::Ed25519));
    assert_eq!(
        ed.certificates()[0].subject().common_name(),
        Some("MTF XBS Ed25519")
    );
}

#[test]
fn inputs_merge_into_one_pool_in_order() {
    let pool = certbundle::load(
        &[common::input("rsa/leaf.cer"), common::input("rsa/bundle.p7b")],
        &common::options(None),
    )
    .unwrap();
    assert_eq!(subjects(&pool), [LEAF, SUB, LEAF, ROOT]);
    assert_eq!(pool.inputs().len(), 2);
}

#[test]
fn broken_inputs_get_their_error_kinds_and_name_the_file() {
    let cases = [
        (
            "bad/truncated.pem",
            "truncated",
            "bad/truncated.pem (PEM block 3): ",
        ),
        (
            "bad/corrupt.p7b",
            "malformed",
            "bad/corrupt.p7b: malformed PKCS#7 SignedData: ",
        ),
        (
            "bad/not-a-cert.pem",
            "malformed",
            "bad/not-a-cert.pem (PEM block 1): malformed certificate: ",
        ),
        ("bad/empty.pem", "empty", "bad/empty.pem: empty input"),
        (
            "bad/garbage.bin",
            "unrecognised-format",
            "bad/garbage.bin: unrecognised format",
        ),
        (
            "hostile/traversal.zip",
            "unsafe-zip-entry-name",
            "hostile/traversal.zip!../../x.pem: unsafe",
        ),
        (
            "hostile/absolute.zip",
            "unsafe-zip-entry-name",
            "hostile/absolute.zip!/etc/x.pem: unsafe",
        ),
        (
            "hostile/encrypted.zip",
            "encrypted-zip-entry",
            "hostile/encrypted.zip!",
        ),
        (
            "hostile/nested-deep.zip",
            "limit-exceeded",
            "hostile/nested-deep.zip!",
        ),
    ];
    for (file, expected_kind, prefix) in cases {
        let error = decode(file, None).expect_err(file);
        assert_eq!(kind(&error), expected_kind, "{file}: {error}");
        assert!(error.to_string().starts_with(prefix), "{file}: {error}");
    }
}

#[test]
fn zip_nested_once_is_read_through() {
    let pool = decode_ok("hostile/nested.zip", None);
    assert_eq!(subjects(&pool), [LEAF, SUB, ROOT]);
    let source = pool.certificates()[0].source().file_and_entry();
    assert!(source.starts_with("hostile/nested.zip!inner.zip!"), "{source}");
}
