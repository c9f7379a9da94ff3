//! A CSR with no certificate is validated as a request, before it is
//! uploaded (issue 11.1): its signature, its subject under the profile, its
//! key and signature hash, and that the key given is its key. Every other
//! check is skipped.

mod common;

use std::path::PathBuf;
use std::process::Command;

use certbundle::report::{CheckId, Fix, Status};
use certbundle::{Profile, Verdict};
use common::{options, path};

fn validate(files: &[PathBuf], profile: Profile, password: Option<&str>) -> certbundle::Report {
    let mut options = options(password);
    options.profile = profile;
    certbundle::report_paths(files, &options)
}

/// A CSR made by openssl in a scratch folder: `args` after `req -new`.
fn openssl_csr(name: &str, args: &[&str]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certbundle-csr-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csr = dir.join("req.csr");
    let out = Command::new("openssl")
        .args(["req", "-new", "-nodes", "-keyout"])
        .arg(dir.join("req.key"))
        .arg("-out")
        .arg(&csr)
        .args(args)
        .output()
        .expect("openssl");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    csr
}

#[test]
fn the_guide_csr_alone_is_a_valid_request_under_kmp_mtf() {
    let report = validate(&[path("rsa/MYCSR.csr")], Profile::KmpMtf, None);
    assert_eq!(report.verdict, Verdict::Valid, "{}", report.to_text(false));
    for (id, status) in &report.checks {
        let want = match id {
            CheckId::CsrMatch | CheckId::CryptoStrength | CheckId::DnProfile => Status::Pass,
            _ => Status::Skip,
        };
        assert_eq!(status, want, "{id}");
    }
    let request = report.request.as_ref().unwrap();
    assert_eq!(request.subject.as_str(), "C=US, O=Example Corp, CN=MTF XBS");
    assert_eq!(request.key.to_string(), "RSA-2048");
    assert_eq!(request.signature.to_string(), "RSA PKCS#1 v1.5 with SHA-256");
    assert!(report.chain.is_empty());
}

#[test]
fn an_mtf_csr_fails_dn_profile_under_kmp_prod() {
    let report = validate(&[path("rsa/MYCSR.csr")], Profile::KmpProd, None);
    assert_eq!(report.verdict, Verdict::Invalid);
    assert_eq!(report.checks[CheckId::DnProfile], Status::Fail);
    let finding = common::finding(&report, CheckId::DnProfile);
    assert!(
        finding
            .message
            .contains("CN `MTF XBS` is the test (MTF) environment's; the kmp-prod profile"),
        "{}",
        finding.message
    );
    // A request can still be made again for this environment; a certificate
    // for the other one could only be swapped for the right one.
    assert_eq!(
        finding.fix,
        Some(Fix::RemakeRequestForEnvironment {
            cn: "PROD XBS",
            other: Profile::KmpMtf
        })
    );
    assert_eq!(
        finding.fix_text(),
        Some(
            "make the CSR again with CN `PROD XBS` for this environment, or, if this CSR is meant for the \
             other one, validate it under the kmp-mtf profile"
        )
    );
}

#[test]
fn an_mtf_certificate_under_kmp_prod_is_to_be_swapped_not_requested_again() {
    let report = validate(&[path("rsa/bundle-root-last.pem")], Profile::KmpProd, None);
    let finding = common::finding(&report, CheckId::DnProfile);
    assert_eq!(
        finding.fix,
        Some(Fix::UseOtherEnvironment {
            profile: Profile::KmpMtf
        })
    );
}

#[test]
fn a_1024_bit_sha1_csr_fails_crypto_strength_under_kmp_and_warns_under_generic() {
    let csr = openssl_csr(
        "weak",
        &[
            "-newkey",
            "rsa:1024",
            "-sha1",
            "-subj",
            "/C=US/O=Example Corp/CN=MTF XBS",
        ],
    );
    let report = validate(std::slice::from_ref(&csr), Profile::KmpMtf, None);
    assert_eq!(report.verdict, Verdict::Invalid);
    assert_eq!(report.checks[CheckId::CryptoStrength], Status::Fail);
    let messages: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.check == CheckId::CryptoStrength)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("is for a weak RSA-1024 key (at least 2048 bits needed)"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("is signed with SHA-1, which is broken"),
        "{messages:?}"
    );
    let report = validate(&[csr], Profile::Generic, None);
    assert_eq!(report.checks[CheckId::CryptoStrength], Status::Warn);
    assert_eq!(report.verdict, Verdict::Valid);
}

#[test]
fn the_key_given_must_be_the_csrs_key() {
    let files = [path("rsa/MYCSR.csr"), path("bad/wrong-key.pem")];
    let report = validate(&files, Profile::Generic, None);
    assert_eq!(report.verdict, Verdict::Invalid);
    assert_eq!(report.checks[CheckId::CsrMatch], Status::Fail);
    assert_eq!(report.checks[CheckId::KeyMatch], Status::Skip);
    let finding = common::finding(&report, CheckId::CsrMatch);
    assert!(
        finding.problem().contains("is not the key of the CSR"),
        "{}",
        finding.message
    );
    let files = [path("rsa/MYCSR.csr"), path("rsa/PRIVATEKEY.key")];
    let report = validate(&files, Profile::Generic, Some("test1234"));
    assert_eq!(
        report.checks[CheckId::CsrMatch],
        Status::Pass,
        "{}",
        report.to_text(false)
    );
}

#[test]
fn a_key_alone_is_nothing_to_validate() {
    let report = validate(&[path("rsa/keys/key-pkcs8.pem")], Profile::Generic, None);
    assert_eq!(report.verdict, Verdict::Error);
    assert_eq!(report.error.as_ref().unwrap().kind, "no-certificate");
}
