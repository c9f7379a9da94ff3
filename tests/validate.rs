//! Every fixture validates with the statuses it should (issue 3): one case
//! per fixture, each naming the checks it pins and the verdict.

mod common;

use certbundle::report::Status;
use certbundle::{Profile, Report, Verdict};
use common::{options, path};

const LEAF: &str = "C=US, O=Example Corp, CN=MTF XBS";
const SUB: &str = "C=US, O=Example Payments, CN=Test XBS Issuing CA 1";
const ROOT: &str = "C=US, O=Example Payments, CN=Test XBS Root CA";

struct Case {
    files: &'static [&'static str],
    password: Option<&'static str>,
    profile: Profile,
    verdict: Verdict,
    /// Checks whose status is pinned; every other check must pass or skip.
    statuses: &'static [(&'static str, Status)],
    /// Expected chain subjects, leaf first (empty: not pinned).
    chain: &'static [&'static str],
    /// A fragment every listed check's finding message must contain.
    messages: &'static [(&'static str, &'static str)],
}

const fn case(files: &'static [&'static str], verdict: Verdict) -> Case {
    Case {
        files,
        password: None,
        profile: Profile::Generic,
        verdict,
        statuses: &[],
        chain: &[],
        messages: &[],
    }
}

fn run(case: &Case) -> Report {
    let mut options = options(case.password);
    options.profile = case.profile;
    let paths: Vec<_> = case.files.iter().map(|f| path(f)).collect();
    certbundle::report_paths(&paths, &options)
}

fn assert_case(case: &Case) {
    let report = run(case);
    let name = case.files.join(" + ");
    assert_eq!(report.verdict, case.verdict, "{name}: {}", report.to_text(false));
    for (id, status) in &report.checks {
        let expected = case
            .statuses
            .iter()
            .find(|(i, _)| *i == id.as_str())
            .map(|(_, s)| *s);
        match expected {
            Some(want) => assert_eq!(status, want, "{name}: {id}\n{}", report.to_text(false)),
            None => assert!(
                matches!(status, Status::Pass | Status::Skip),
                "{name}: {id} is {status:?}\n{}",
                report.to_text(false)
            ),
        }
    }
    if !case.chain.is_empty() {
        let chain: Vec<_> = report.chain.iter().map(|e| e.cert.subject.as_str()).collect();
        assert_eq!(chain, case.chain, "{name}");
    }
    for (check, fragment) in case.messages {
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.check.as_str() == *check && f.message.contains(fragment)),
            "{name}: no {check} finding containing {fragment:?}\n{}",
            report.to_text(false)
        );
    }
}

macro_rules! cases {
    ($($name:ident: $case:expr;)*) => {
        $(#[test] fn $name() { assert_case(&$case); })*
    };
}

use Status::{Fail, Pass, Warn};

cases! {
    portal_pem_with_key_and_csr_passes_every_check_under_kmp_mtf: Case {
        files: &["rsa/bundle-root-last.pem", "rsa/keys/key-pkcs8.pem", "rsa/MYCSR.csr"],
        profile: Profile::KmpMtf,
        statuses: &[("key.match", Pass), ("csr.match", Pass), ("dn.profile", Pass), ("chain.order", Pass)],
        chain: &[LEAF, SUB, ROOT],
        ..case(&[], Verdict::Valid)
    };
    root_first_pem_fails_chain_order_naming_the_readers_that_refuse_it: Case {
        statuses: &[("chain.order", Fail)],
        chain: &[LEAF, SUB, ROOT],
        messages: &[
            ("chain.order", "rsa/bundle-root-first.pem lists the leaf `C=US, O=Example Corp, CN=MTF XBS` as certificate 3 (PEM block 3), after `C=US, O=Example Payments, CN=Test XBS Root CA`"),
            ("chain.order", "curl (\"unable to set private key file\"), `openssl s_client -cert` (\"key values mismatch\")"),
            ("chain.order", "write the chain leaf first (every export does)"),
        ],
        ..case(&["rsa/bundle-root-first.pem"], Verdict::Invalid)
    };
    root_first_pem_entry_of_a_zip_fails_chain_order: Case {
        statuses: &[("chain.order", Fail)],
        chain: &[LEAF, SUB, ROOT],
        messages: &[("chain.order", "rsa/mtls-root-first.zip!MTF_XBS/certificate.pem lists the leaf")],
        ..case(&["rsa/mtls-root-first.zip"], Verdict::Invalid)
    };
    openssl_text_pem_root_first_fails_chain_order: Case {
        statuses: &[("chain.order", Fail)],
        messages: &[("chain.order", "as certificate 3 (PEM block 3)")],
        ..case(&["rsa/bundle-openssl-text.pem"], Verdict::Invalid)
    };
    leaf_first_pem_with_the_rest_out_of_order_only_warns: Case {
        statuses: &[("chain.order", Warn)],
        chain: &[LEAF, SUB, ROOT],
        messages: &[("chain.order", "in no defined order")],
        ..case(&["rsa/bundle-leaf-root-sub.pem"], Verdict::Valid)
    };
    leaf_first_in_its_own_der_file_before_a_root_first_pem_still_fails: Case {
        statuses: &[("chain.order", Fail), ("bundle.extra", Warn)],
        messages: &[("chain.order", "rsa/bundle-root-first.pem lists the leaf")],
        ..case(&["rsa/leaf.cer", "rsa/bundle-root-first.pem"], Verdict::Invalid)
    };
    pkcs7_in_pem_armour_in_no_order_only_warns: Case {
        statuses: &[("chain.order", Warn)],
        chain: &[LEAF, SUB, ROOT],
        messages: &[("chain.order", "in no defined order")],
        ..case(&["rsa/bundle-pem.p7b"], Verdict::Valid)
    };
    p7b_in_no_order_builds_the_same_chain: Case {
        statuses: &[("chain.order", Warn)],
        chain: &[LEAF, SUB, ROOT],
        messages: &[("chain.order", "in no defined order")],
        ..case(&["rsa/bundle.p7b"], Verdict::Valid)
    };
    der_download_alone_lacks_the_ca_chain: Case {
        statuses: &[("chain.complete", Fail)],
        chain: &[LEAF],
        messages: &[("chain.complete", "the DER download carries only the end-entity certificate")],
        ..case(&["rsa/leaf.cer"], Verdict::Invalid)
    };
    p12_without_its_ca_chain_says_so_and_how_to_rebuild_it: Case {
        password: Some("changeit"),
        statuses: &[("chain.complete", Fail), ("key.match", Pass)],
        chain: &[LEAF],
        messages: &[("chain.complete", "the CA chain of the leaf `C=US, O=Example Corp, CN=MTF XBS` is missing: no certificate for its issuer `C=US, O=Example Payments, CN=Test XBS Issuing CA 1`: the PKCS#12 file was made without the CA chain: give the CA chain files (the PEM or PKCS#7 download) alongside it, and export a new PKCS#12 from them, which includes the chain")],
        ..case(&["rsa/p12/client-no-chain.p12"], Verdict::Invalid)
    };
    pem_leaf_alone_is_not_called_the_der_download: Case {
        statuses: &[("chain.complete", Fail)],
        chain: &[LEAF],
        messages: &[("chain.complete", "is missing: no certificate for its issuer `C=US, O=Example Payments, CN=Test XBS Issuing CA 1`: the PEM file carries only the end-entity certificate: add the CA chain file, or use the portal's PEM or PKCS#7 download, which include it")],
        ..case(&["certs/rsa-leaf.crt"], Verdict::Invalid)
    };
    der_download_plus_chain_file_is_complete: Case {
        statuses: &[("bundle.extra", Warn)],
        chain: &[LEAF, SUB, ROOT],
        ..case(&["rsa/leaf.cer", "rsa/bundle.p7b"], Verdict::Valid)
    };
    mtls_zip_is_valid_and_its_server_chain_is_not_extra: Case {
        chain: &[LEAF, SUB, ROOT],
        ..case(&["rsa/mtls.zip"], Verdict::Valid)
    };
    encrypted_key_from_openssl_req_matches_the_leaf: Case {
        password: Some("test1234"),
        statuses: &[("key.match", Pass)],
        ..case(&["rsa/bundle-root-last.pem", "rsa/PRIVATEKEY.key"], Verdict::Valid)
    };
    ec_chain_with_sec1_key_is_valid: Case {
        statuses: &[("key.match", Pass)],
        ..case(&["ec/bundle.pem", "ec/keys/key-sec1.pem"], Verdict::Valid)
    };
    ed25519_chain_with_key_is_valid: Case {
        statuses: &[("key.match", Pass)],
        ..case(&["ed25519/bundle.pem", "ed25519/keys/key-pkcs8.pem"], Verdict::Valid)
    };
    openssl3_p12_is_valid_with_its_key: Case {
        password: Some("changeit"),
        statuses: &[("key.match", Pass)],
        chain: &[LEAF, SUB, ROOT],
        ..case(&["rsa/p12/client-openssl3.p12"], Verdict::Valid)
    };
    expired_leaf_fails_validity: Case {
        statuses: &[("validity", Fail)],
        messages: &[("validity", "expired on 2025-01-01T00:00:00Z")],
        ..case(&["bad/expired.pem"], Verdict::Invalid)
    };
    not_yet_valid_leaf_fails_validity: Case {
        statuses: &[("validity", Fail)],
        messages: &[("validity", "is not valid yet: valid from 2030-01-01T00:00:00Z")],
        ..case(&["bad/not-yet-valid.pem"], Verdict::Invalid)
    };
    leaf_expiring_within_30_days_warns: Case {
        statuses: &[("validity", Warn)],
        messages: &[("validity", "expires on 2026-12-15T00:00:00Z, in 14 days")],
        ..case(&["bad/expiring-soon.pem"], Verdict::Valid)
    };
    missing_root_warns_naming_the_root_the_server_must_trust: Case {
        statuses: &[("chain.complete", Warn)],
        chain: &[LEAF, SUB],
        messages: &[("chain.complete", "the chain ends at the CA `C=US, O=Example Payments, CN=Test XBS Issuing CA 1`, issued by `C=US, O=Example Payments, CN=Test XBS Root CA`, which is not in the bundle: a TLS client need not send the root (RFC 8446 4.4.2), so the chain works where the server trusts `C=US, O=Example Payments, CN=Test XBS Root CA`: give the root CA certificate the server trusts as a trust anchor to confirm that the chain ends at it")],
        ..case(&["bad/missing-root.pem"], Verdict::Valid)
    };
    missing_intermediate_is_named_by_its_issuer_name: Case {
        statuses: &[("chain.complete", Fail), ("bundle.extra", Warn)],
        chain: &[LEAF],
        messages: &[("chain.complete", "an intermediate CA is missing: no certificate for `C=US, O=Example Payments, CN=Test XBS Issuing CA 1`")],
        ..case(&["bad/missing-intermediate.pem"], Verdict::Invalid)
    };
    intermediate_with_the_right_name_but_another_key_breaks_the_link: Case {
        statuses: &[("chain.links", Fail)],
        chain: &[LEAF, SUB, ROOT],
        messages: &[("chain.links", "does not verify with the key of")],
        ..case(&["bad/wrong-intermediate.pem"], Verdict::Invalid)
    };
    lookalike_intermediate_loses_to_the_one_whose_signature_verifies: Case {
        statuses: &[("bundle.extra", Warn)],
        chain: &[LEAF, SUB, ROOT],
        messages: &[("bundle.extra", "look-alike")],
        ..case(&["bad/lookalike-intermediate.pem"], Verdict::Valid)
    };
    leaf_without_client_auth_fails_usage: Case {
        statuses: &[("leaf.usage", Fail)],
        messages: &[("leaf.usage", "serverAuth without clientAuth")],
        ..case(&["bad/no-clientauth.pem"], Verdict::Invalid)
    };
    empty_extended_key_usage_is_named_as_such_rfc5280_4_2_1_12: Case {
        statuses: &[("leaf.usage", Fail)],
        messages: &[("leaf.usage", "the leaf `C=US, O=Example Corp, CN=MTF XBS` is not for TLS client authentication: it has an empty extendedKeyUsage, which allows no purpose: request a client")],
        ..case(&["bad/eku-empty.pem"], Verdict::Invalid)
    };
    leaf_without_digital_signature_fails_usage: Case {
        statuses: &[("leaf.usage", Fail)],
        messages: &[("leaf.usage", "lacks digitalSignature")],
        ..case(&["bad/no-digitalsignature.pem"], Verdict::Invalid)
    };
    issuer_that_is_not_a_ca_fails_constraints: Case {
        statuses: &[("ca.constraints", Fail)],
        messages: &[("ca.constraints", "but is not a CA")],
        ..case(&["bad/issuer-not-ca.pem"], Verdict::Invalid)
    };
    issuer_without_key_cert_sign_fails_constraints: Case {
        statuses: &[("ca.constraints", Fail)],
        messages: &[("ca.constraints", "does not allow keyCertSign")],
        ..case(&["bad/issuer-no-keycertsign.pem"], Verdict::Invalid)
    };
    path_length_exceeded_fails_constraints: Case {
        statuses: &[("ca.constraints", Fail)],
        messages: &[("ca.constraints", "pathLenConstraint 0")],
        ..case(&["bad/pathlen-exceeded.pem"], Verdict::Invalid)
    };
    sha1_signed_leaf_warns_under_generic: Case {
        statuses: &[("crypto.strength", Warn)],
        messages: &[("crypto.strength", "SHA-1")],
        ..case(&["bad/sha1-leaf.pem"], Verdict::Valid)
    };
    sha1_signed_leaf_fails_under_the_portal_profile: Case {
        profile: Profile::KmpMtf,
        statuses: &[("crypto.strength", Fail)],
        ..case(&["bad/sha1-leaf.pem"], Verdict::Invalid)
    };
    md5_signature_cannot_be_verified_and_is_a_failure_not_a_pass: Case {
        statuses: &[("chain.links", Fail), ("crypto.strength", Warn)],
        messages: &[("chain.links", "RSA PKCS#1 v1.5 with MD5 (issuer key RSA-2048) is not supported")],
        ..case(&["bad/md5-leaf.pem"], Verdict::Invalid)
    };
    rsa_pss_signed_leaf_verifies: Case {
        chain: &[LEAF, SUB, ROOT],
        ..case(&["bad/pss-leaf.pem"], Verdict::Valid)
    };
    rsa_1024_leaf_warns_and_its_key_matches: Case {
        statuses: &[("crypto.strength", Warn), ("key.match", Pass)],
        messages: &[("crypto.strength", "weak RSA-1024 key")],
        ..case(&["bad/rsa1024-leaf.pem", "bad/rsa1024-key.pem"], Verdict::Valid)
    };
    duplicate_certificate_warns: Case {
        statuses: &[("bundle.extra", Warn)],
        chain: &[LEAF, SUB, ROOT],
        messages: &[("bundle.extra", "appears more than once")],
        ..case(&["bad/duplicate.pem"], Verdict::Valid)
    };
    unrelated_certificates_warn: Case {
        statuses: &[("bundle.extra", Warn)],
        chain: &[LEAF, SUB, ROOT],
        messages: &[("bundle.extra", "another end-entity certificate"), ("bundle.extra", "is unrelated to the chain")],
        ..case(&["bad/unrelated.pem"], Verdict::Valid)
    };
    wrong_key_fails_key_match: Case {
        statuses: &[("key.match", Fail)],
        messages: &[("key.match", "the certificate was issued for the CSR of another key")],
        ..case(&["rsa/bundle-root-last.pem", "bad/wrong-key.pem"], Verdict::Invalid)
    };
    wrong_csr_fails_csr_match: Case {
        statuses: &[("csr.match", Fail)],
        messages: &[("csr.match", "is for another key than the leaf")],
        ..case(&["rsa/bundle-root-last.pem", "bad/wrong-csr.csr"], Verdict::Invalid)
    };
    production_cn_fails_the_mtf_profile: Case {
        profile: Profile::KmpMtf,
        statuses: &[("dn.profile", Fail)],
        messages: &[("dn.profile", "CN `PROD XBS` is the production environment's")],
        ..case(&["bad/prod-cn.pem"], Verdict::Invalid)
    };
    production_cn_passes_the_prod_profile: Case {
        profile: Profile::KmpProd,
        statuses: &[("dn.profile", Pass)],
        ..case(&["bad/prod-cn.pem"], Verdict::Valid)
    };
    issuer_name_differing_in_case_and_spaces_links_per_rfc5280: Case {
        chain: &[LEAF, SUB, ROOT],
        ..case(&["bad/name-case.pem"], Verdict::Valid)
    };
    cross_signed_alternative_is_not_used_when_its_root_is_absent: Case {
        statuses: &[("bundle.extra", Warn)],
        chain: &[LEAF, SUB, ROOT],
        messages: &[("bundle.extra", "cross-signed alternative")],
        ..case(&["cross/cross-signed.pem"], Verdict::Valid)
    };
    cross_signed_path_to_the_second_root_is_valid: Case {
        chain: &[LEAF, SUB, "C=US, O=Example Payments, CN=Test XBS Root CA G2"],
        ..case(&["cross/cross-g2.pem"], Verdict::Valid)
    };
    ca_certificates_alone_are_not_a_client_certificate: Case {
        statuses: &[("leaf.usage", Fail)],
        chain: &["C=US, O=Example Network, CN=Test XBS Server Issuing CA", "C=US, O=Example Network, CN=Test XBS Server Root CA"],
        messages: &[("leaf.usage", "the input holds no client certificate, only CA certificates")],
        ..case(&["rsa/server-ca-chain.pem"], Verdict::Invalid)
    };
    cross_certified_loop_terminates_without_a_root: Case {
        statuses: &[("chain.complete", Fail)],
        ..case(&["cross/loop.pem"], Verdict::Invalid)
    };
}

#[test]
fn unreadable_input_reports_error_with_every_check_skipped() {
    let report = run(&case(&["bad/truncated.pem"], Verdict::Error));
    assert_eq!(report.verdict, Verdict::Error);
    let error = report.error.as_ref().unwrap();
    assert_eq!(error.kind, "truncated");
    assert!(report.checks.iter().all(|(_, s)| s == Status::Skip));
}

#[test]
fn wrong_p12_password_is_an_input_error_naming_the_file() {
    let mut c = case(&["rsa/p12/client-openssl3.p12"], Verdict::Error);
    c.password = Some("nope");
    let report = run(&c);
    let error = report.error.unwrap();
    assert_eq!(error.kind, "wrong-password");
    assert!(
        error.message.contains("rsa/p12/client-openssl3.p12"),
        "{}",
        error.message
    );
    assert!(!error.message.contains("nope"));
}

fn with_anchors(files: &[&str], anchors: &[&str]) -> Report {
    let mut options = options(None);
    let anchor_paths: Vec<_> = anchors.iter().map(|f| path(f)).collect();
    options.trust_anchors = certbundle::load_paths(&anchor_paths, &options)
        .unwrap()
        .certificates()
        .to_vec();
    let paths: Vec<_> = files.iter().map(|f| path(f)).collect();
    certbundle::report_paths(&paths, &options)
}

#[test]
fn trusted_root_completes_a_chain_sent_without_its_root() {
    let report = with_anchors(&["bad/missing-root.pem"], &["certs/rsa-root.crt"]);
    assert_eq!(report.verdict, Verdict::Valid, "{}", report.to_text(false));
    assert_eq!(report.checks["chain.complete"], Status::Pass);
}

#[test]
fn chain_under_another_root_fails_against_the_trusted_roots() {
    let report = with_anchors(&["rsa/bundle-root-last.pem"], &["certs/server-root.crt"]);
    assert_eq!(report.verdict, Verdict::Invalid);
    assert_eq!(report.checks["chain.complete"], Status::Fail);
    let finding = report
        .findings
        .iter()
        .find(|f| f.check.as_str() == "chain.complete")
        .unwrap();
    assert_eq!(
        finding.message,
        "the chain ends at `C=US, O=Example Payments, CN=Test XBS Root CA`, which is none of the trusted roots \
         (`C=US, O=Example Network, CN=Test XBS Server Root CA`): the peer will refuse it as issued by an unknown \
         CA: use the certificate issued under the trusted root, or check that the trusted CA file is the right one"
    );
}

#[test]
fn trusted_root_with_the_right_name_but_another_key_does_not_complete_the_chain() {
    // The impostor CA has the issuing CA's name; it did not issue the leaf.
    let report = with_anchors(&["rsa/leaf.cer"], &["certs/rsa-sub-impostor.crt"]);
    assert_eq!(report.checks["chain.complete"], Status::Fail);
    let report = with_anchors(&["rsa/leaf.cer"], &["certs/rsa-sub.crt"]);
    assert_eq!(report.checks["chain.complete"], Status::Pass);
}

#[test]
fn streamed_reports_are_the_in_memory_ones_and_write_errors_surface() {
    let report = certbundle::report_paths(&[path("bad/unrelated.pem")], &options(None));
    let mut json = Vec::new();
    report.write_json(&mut json).unwrap();
    assert_eq!(String::from_utf8(json).unwrap(), report.to_json() + "\n");
    let mut text = Vec::new();
    report.write_text(&mut text, false).unwrap();
    assert_eq!(String::from_utf8(text).unwrap(), report.to_text(false));

    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    assert_eq!(
        report.write_text(Full, false).unwrap_err().kind(),
        std::io::ErrorKind::StorageFull
    );
    assert_eq!(
        report.write_json(Full).unwrap_err().kind(),
        std::io::ErrorKind::StorageFull
    );
}

#[test]
fn each_keeps_the_order_files_were_given_in() {
    let files = [
        "rsa/bundle-root-last.pem",
        "bad/missing-root.pem",
        "rsa/leaf.cer",
        "rsa/bundle-root-first.pem",
        "bad/unrelated.pem",
    ]
    .map(path);
    let reports = certbundle::report_each(&files, &options(None));
    let order: Vec<_> = reports.iter().map(|(file, _)| file.clone()).collect();
    assert_eq!(order, files);
    // Each report is its own bundle's: the DER download alone lacks its chain.
    assert_eq!(reports[2].1.checks["chain.complete"], Status::Fail);
    assert_eq!(reports[3].1.checks["chain.order"], Status::Fail);
}

/// `key.match` passes only when a key was compared with a certificate: a key
/// alone, or with only a request, is `skip` (issue 10.3), and the report
/// names no matched key.
#[test]
fn key_without_a_certificate_is_skipped_never_passed() {
    for files in [
        &["rsa/keys/key-pkcs8.pem"][..],
        &["rsa/keys/key-pkcs8.pem", "rsa/MYCSR.csr"],
    ] {
        let report = run(&case(files, Verdict::Invalid));
        assert_eq!(report.checks["key.match"], Status::Skip, "{files:?}");
        assert_eq!(report.key, None, "{files:?}");
        assert!(
            report.findings.iter().all(|f| f.check.as_str() != "key.match"),
            "{files:?}"
        );
    }
}

/// With several keys, the report's `key` names the one whose public key is
/// the leaf's: its file, PEM block (null for a PKCS#12 bag) and algorithm.
#[test]
fn report_names_the_key_that_matched_the_leaf() {
    let report = run(&case(
        &[
            "bad/wrong-key.pem",
            "rsa/bundle-root-last.pem",
            "rsa/keys/key-pkcs8.pem",
        ],
        Verdict::Valid,
    ));
    assert_eq!(report.checks["key.match"], Status::Pass);
    let json = serde_json::to_value(&report).unwrap();
    let root = format!("{}/", path("").display().to_string().trim_end_matches('/'));
    assert_eq!(
        json["key"],
        serde_json::json!({
            "source": format!("{root}rsa/keys/key-pkcs8.pem"),
            "block": 1,
            "algorithm": "RSA-2048"
        })
    );
    let mut p12 = case(&["rsa/p12/client-openssl3.p12"], Verdict::Valid);
    p12.password = Some("changeit");
    let json = serde_json::to_value(run(&p12)).unwrap();
    assert_eq!(json["key"]["block"], serde_json::Value::Null);
    assert_eq!(json["key"]["algorithm"], "RSA-2048");
    let none = serde_json::to_value(run(&case(&["rsa/bundle-root-last.pem"], Verdict::Valid))).unwrap();
    assert_eq!(none["key"], serde_json::Value::Null);
}
