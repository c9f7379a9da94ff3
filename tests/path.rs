//! Path validation as RFC 5280 and real PKIs demand (issue 13; issue 10
//! points 2 and 7; issue 15 point 9): the search, its limits, where the
//! chain starts and ends, and the extensions and anchors servers refuse.
//! Fixtures: `testdata/path/`, made by `testdata/gen_path.py`.

mod common;

use certbundle::chain::Role;
use certbundle::report::{CheckId, Severity, Status};
use certbundle::{Options, Report, Verdict};
use common::s_server::SServer;
use common::{options, path};

const LEAF: &str = "C=US, O=Example Corp, CN=MTF XBS";
const SUB: &str = "C=US, O=Example Payments, CN=Test XBS Issuing CA 1";
const ROOT: &str = "C=US, O=Example Payments, CN=Test XBS Root CA";

fn validate_with(files: &[&str], options: &Options) -> Report {
    let paths: Vec<_> = files.iter().map(|f| path(f)).collect();
    certbundle::report_paths(&paths, options)
}

fn validate(files: &[&str]) -> Report {
    validate_with(files, &options(None))
}

fn with_anchors(files: &[&str], anchors: &[&str]) -> Report {
    let mut options = options(None);
    let anchor_paths: Vec<_> = anchors.iter().map(|f| path(f)).collect();
    options.trust_anchors = certbundle::load_paths(&anchor_paths, &options)
        .unwrap()
        .certificates()
        .to_vec();
    validate_with(files, &options)
}

fn chain(report: &Report) -> Vec<&str> {
    report.chain.iter().map(|e| e.cert.subject.as_str()).collect()
}

fn roles(report: &Report) -> Vec<Role> {
    report.chain.iter().map(|e| e.role).collect()
}

/// The messages of `check`'s findings.
fn messages(report: &Report, check: CheckId) -> Vec<&str> {
    report
        .findings
        .iter()
        .filter(|f| f.check == check)
        .map(|f| f.message.as_str())
        .collect()
}

/// The one finding of `check` (asserts there is exactly one).
fn only(report: &Report, check: CheckId) -> &str {
    let found = messages(report, check);
    assert_eq!(found.len(), 1, "{check}: {found:?}\n{}", report.to_text(false));
    found[0]
}

/// Every check passes or skips except those listed, which have the status given.
fn assert_statuses(report: &Report, expected: &[(CheckId, Status)]) {
    for (id, status) in &report.checks {
        let want = expected.iter().find(|(i, _)| *i == id).map(|(_, s)| *s);
        match want {
            Some(want) => assert_eq!(status, want, "{id}\n{}", report.to_text(false)),
            None => assert!(
                matches!(status, Status::Pass | Status::Skip),
                "{id} is {status:?}\n{}",
                report.to_text(false)
            ),
        }
    }
}

// ---- 13.2: the search backtracks on validity and constraints, stops at roots.

/// RFC 5280 6.1.3 (a)(2): an expired cross-certificate of SUB (same subject
/// and key, issued by Root G2) listed first loses to the valid SUB; the
/// report names it as an expired alternative.
#[test]
fn rfc5280_6_1_3_valid_path_wins_over_an_expired_cross_certificate() {
    let report = validate(&["path/expired-cross.pem"]);
    assert_eq!(chain(&report), [LEAF, SUB, ROOT], "{}", report.to_text(false));
    assert_statuses(&report, &[(CheckId::BundleExtra, Status::Warn)]);
    assert_eq!(report.verdict, Verdict::Valid);
    let extra = messages(&report, CheckId::BundleExtra);
    assert!(
        extra.iter().any(|m| m.starts_with(&format!(
            "`{SUB}` issued by `C=US, O=Example Payments, CN=Test XBS Root CA G2` ({} (PEM block 2)) is an \
             expired cross-signed alternative (expired on 2025-01-01T00:00:00Z) that the chain does not use",
            path("path/expired-cross.pem").display()
        ))),
        "{extra:?}"
    );
}

/// The search stops at the first self-signed root: ROOT cross-signed by
/// Root G2, listed before ROOT, does not lengthen the chain to four.
#[test]
fn search_stops_at_the_first_self_signed_root_not_past_it_into_a_cross_certificate() {
    let report = validate(&["path/past-the-root.pem"]);
    assert_eq!(chain(&report), [LEAF, SUB, ROOT], "{}", report.to_text(false));
    assert_eq!(roles(&report), [Role::Leaf, Role::Intermediate, Role::Root]);
    assert_eq!(report.verdict, Verdict::Valid);
}

/// The search stops at a trust anchor: with SUB trusted, the chain is LEAF,
/// SUB, whatever the pool holds above it.
#[test]
fn search_stops_at_the_first_trust_anchor() {
    let report = with_anchors(&["path/past-the-root.pem"], &["certs/rsa-sub.crt"]);
    assert_eq!(chain(&report), [LEAF, SUB], "{}", report.to_text(false));
    assert_eq!(report.checks[CheckId::ChainComplete], Status::Pass);
    let report = with_anchors(&["bad/missing-root.pem"], &["certs/rsa-root.crt"]);
    assert_eq!(chain(&report), [LEAF, SUB]);
    assert_eq!(report.checks[CheckId::ChainComplete], Status::Pass);
}

/// Same subject, distinct keys: the issuer whose key verifies is found even
/// when a look-alike comes first; the look-alike is named as such.
#[test]
fn rfc5280_6_1_3_issuer_whose_signature_verifies_is_found_behind_a_lookalike() {
    let report = validate(&["bad/lookalike-intermediate.pem"]);
    assert_eq!(chain(&report), [LEAF, SUB, ROOT]);
    assert_eq!(report.verdict, Verdict::Valid);
    assert!(only(&report, CheckId::BundleExtra).contains("has the name of a CA of the chain but another key"));
}

// ---- 13.3 + 15.9: limits are findings.

/// 200 look-alikes (SUB's name and key identifier, another key) ahead of the
/// real SUB: the search verifies each candidate's signature before following
/// it, so the real issuer is found within the default budget.
#[test]
fn real_issuer_is_found_behind_200_lookalikes_with_the_same_key_identifier() {
    let started = std::time::Instant::now();
    let report = validate(&["path/lookalikes-200.pem"]);
    // 201 verifications at most: well under a second even on a busy machine.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(chain(&report), [LEAF, SUB, ROOT], "{}", report.to_text(false));
    assert_eq!(report.checks[CheckId::ChainLinks], Status::Pass);
    assert_eq!(report.checks[CheckId::ChainComplete], Status::Pass);
    assert_eq!(report.verdict, Verdict::Valid);
}

/// With a budget smaller than the look-alikes ahead, the finding says the
/// budget ran out and names the limit, instead of blaming the bundle.
#[test]
fn verification_budget_that_runs_out_is_a_finding_naming_the_limit() {
    let mut options = options(None);
    options.limits.max_chain_verifications = 100;
    let report = validate_with(&["path/lookalikes-200.pem"], &options);
    assert_eq!(report.verdict, Verdict::Invalid);
    assert_eq!(report.checks[CheckId::ChainComplete], Status::Fail);
    assert_eq!(
        only(&report, CheckId::ChainComplete),
        format!(
            "the issuer search stopped at `{SUB}` after 100 signature verifications (the limit \
             `Limits::max_chain_verifications`) before it found a chain whose signatures verify up to a root: the \
             bundle holds many certificates named as the same issuer: if the bundle is meant to be like this, raise \
             the limit `Limits::max_chain_verifications` (now 100) and validate again; otherwise give only the \
             certificates of the chain"
        )
    );
    // The link it ended with is a look-alike, and says so with the fix.
    assert!(messages(&report, CheckId::ChainLinks).iter().any(|m| m.contains(
        "another key (a re-keyed or look-alike CA): use the issuer certificate that actually signed it"
    )));
}

/// A 100-CA chain is "longer than 16", naming the limit, not a missing issuer.
#[test]
fn chain_of_100_cas_is_reported_longer_than_the_limit_not_missing_an_issuer() {
    let report = validate(&["path/long-chain-100.pem"]);
    assert_eq!(report.chain.len(), 16);
    assert_eq!(report.checks[CheckId::ChainComplete], Status::Fail);
    assert_eq!(
        only(&report, CheckId::ChainComplete),
        "the chain is longer than 16 certificates (the limit `Limits::max_chain_length`) at `C=US, O=Example \
         Payments, CN=Test XBS Chain CA 85`; it was not followed further: if the bundle is meant to be like this, \
         raise the limit `Limits::max_chain_length` (now 16) and validate again; otherwise give only the \
         certificates of the chain"
    );
    let mut options = options(None);
    options.limits.max_chain_length = 101;
    let report = validate_with(&["path/long-chain-100.pem"], &options);
    assert_eq!(report.chain.len(), 101);
    assert_eq!(
        report.checks[CheckId::ChainComplete],
        Status::Pass,
        "{}",
        report.to_text(false)
    );
}

// ---- 10.2: the download without its root.

/// Runs `openssl s_server -Verify 2 -verify_return_error -CAfile ROOT -www`
/// on 127.0.0.1 and `openssl s_client -cert chain -cert_chain chain -key
/// key` against it; returns the client's output (the server's status page
/// when the handshake was accepted). `None` when openssl is missing.
fn openssl_handshake(chain_pem: &str, key: &str) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let server_dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/tls-server");
    let server = SServer::start([
        "-cert".into(),
        server_dir.join("server.crt"),
        "-key".into(),
        server_dir.join("server.key"),
        "-Verify".into(),
        "2".into(),
        "-verify_return_error".into(),
        "-www".into(),
        "-CAfile".into(),
        path("certs/rsa-root.crt"),
    ])?;
    let dir = std::env::temp_dir().join(format!("certbundle-path-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let chain = dir.join("chain.pem");
    std::fs::write(&chain, chain_pem).unwrap();
    let port = server.port();
    let mut client = Command::new("openssl")
        .args(["s_client", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-cert")
        .arg(&chain)
        .arg("-cert_chain")
        .arg(&chain)
        .arg("-key")
        .arg(path(key))
        .arg("-CAfile")
        .arg(server_dir.join("server.crt"))
        .args(["-ign_eof", "-quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    client
        .stdin
        .take()
        .unwrap()
        .write_all(b"GET / HTTP/1.0\r\n\r\n")
        .unwrap();
    let out = client.wait_with_output().unwrap();
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Issue 10 point 2 (RFC 8446 4.4.2: the client need not send the root): the
/// root-less download warns, and its chain (leaf + intermediate) completes a
/// handshake with an OpenSSL server that trusts the root. The control: the
/// leaf alone (its issuer missing) fails, and that server refuses it.
#[test]
fn rfc8446_4_4_2_chain_without_its_root_warns_and_an_openssl_server_trusting_the_root_accepts_it() {
    let mut options = options(None);
    // The handshake runs against the real clock; the fixtures are valid now.
    options.at = None;
    let pool = certbundle::load_paths(&[path("bad/missing-root.pem")], &options).unwrap();
    let validation = certbundle::validate(&pool, &options);
    let report = validation.report();
    assert_eq!(report.verdict, Verdict::Valid, "{}", report.to_text(false));
    assert_eq!(report.checks[CheckId::ChainComplete], Status::Warn);
    let Some(out) = openssl_handshake(&validation.chain_pem(), "rsa/keys/key-pkcs8.pem") else {
        return;
    };
    assert!(out.starts_with("HTTP/1.0 200 ok"), "{out}");
    assert!(out.contains("Client certificate"), "{out}");

    let pool = certbundle::load_paths(&[path("rsa/leaf.cer")], &options).unwrap();
    let validation = certbundle::validate(&pool, &options);
    assert_eq!(validation.report().checks[CheckId::ChainComplete], Status::Fail);
    let out = openssl_handshake(&validation.chain_pem(), "rsa/keys/key-pkcs8.pem").unwrap();
    assert!(!out.contains("HTTP/1.0 200 ok"), "{out}");
}

// ---- 13.1: unknown critical extensions on the chain.

const UNKNOWN_OID: &str = "1.3.6.1.4.1.55555.1.1";
const REFUSED: &str = "RFC 5280 4.2: a validator MUST reject a certificate with a critical extension it does not \
                       recognise, and TLS servers (OpenSSL, rustls) refuse it: ask the CA for a certificate without \
                       that critical extension, or check the chain with a validator that processes it";

/// RFC 5280 4.2 and 6.1.5 (f): the leaf's unknown critical extension fails
/// `leaf.usage`, naming the OID and the leaf.
#[test]
fn rfc5280_4_2_unknown_critical_extension_on_the_leaf_fails_leaf_usage() {
    let report = validate(&["path/critical-unknown-leaf.pem"]);
    assert_statuses(&report, &[(CheckId::LeafUsage, Status::Fail)]);
    assert_eq!(
        only(&report, CheckId::LeafUsage),
        format!("the leaf `{LEAF}`: it has a critical extension that certbundle does not process: {UNKNOWN_OID}; {REFUSED}")
    );
}

/// RFC 5280 4.2 and 6.1.4 (o): on the intermediate and on the root, it
/// fails `ca.constraints`, naming the OID and the CA.
#[test]
fn rfc5280_6_1_4_o_unknown_critical_extension_on_a_ca_fails_ca_constraints() {
    for (file, role, subject) in [
        ("path/critical-unknown-sub.pem", "intermediate", SUB),
        ("path/critical-unknown-root.pem", "root", ROOT),
    ] {
        let report = validate(&[file]);
        assert_statuses(&report, &[(CheckId::CaConstraints, Status::Fail)]);
        assert_eq!(
            only(&report, CheckId::CaConstraints),
            format!(
                "the {role} `{subject}`: it has a critical extension that certbundle does not process: {UNKNOWN_OID}; \
                 {REFUSED}"
            )
        );
    }
}

/// Certificates off the chain are not judged: an unrelated CA with an
/// unknown critical extension is only an extra certificate.
#[test]
fn unknown_critical_extension_off_the_chain_is_not_judged() {
    let report = validate(&["path/critical-unknown-unrelated.pem"]);
    assert_statuses(&report, &[(CheckId::BundleExtra, Status::Warn)]);
    assert_eq!(report.verdict, Verdict::Valid);
}

/// nameConstraints is not enforced and policies are not processed, so a
/// critical one fails (named); a critical subjectAltName is parsed and
/// constrains nothing on the client's side, so it passes.
#[test]
fn rfc5280_4_2_critical_extensions_count_as_processed_only_where_honoured() {
    let report = validate(&["path/critical-name-constraints.pem"]);
    assert_statuses(&report, &[(CheckId::CaConstraints, Status::Fail)]);
    assert!(only(&report, CheckId::CaConstraints).starts_with(&format!(
        "the intermediate `{SUB}`: it has a critical extension that certbundle does not process: nameConstraints \
         (2.5.29.30); without processing it the path cannot be confirmed"
    )));
    let report = validate(&["path/critical-policies-leaf.pem"]);
    assert_statuses(&report, &[(CheckId::LeafUsage, Status::Fail)]);
    assert!(only(&report, CheckId::LeafUsage).contains("certificatePolicies (2.5.29.32)"));
    let report = validate(&["path/critical-san-leaf.pem"]);
    assert_statuses(&report, &[]);
    assert_eq!(report.verdict, Verdict::Valid);
}

// ---- 13.5: the root at the end, and leaves servers refuse.

/// RFC 5280 4.2.1.9: a root without basicConstraints (present in the
/// bundle, or given as the trust anchor) fails: OpenSSL refuses it.
#[test]
fn rfc5280_4_2_1_9_root_without_basic_constraints_fails_present_or_trusted() {
    let report = validate(&["path/root-no-bc.pem"]);
    assert_statuses(&report, &[(CheckId::CaConstraints, Status::Fail)]);
    assert_eq!(
        only(&report, CheckId::CaConstraints),
        format!(
            "the root `{ROOT}` issues `{SUB}` but is not a CA: it has no basicConstraints extension; OpenSSL-based \
             servers (nginx, Apache, HAProxy) refuse such a trust anchor as an invalid CA certificate, so the chain \
             will be refused: the issuer must be a CA certificate; get the portal's CA chain instead of this \
             certificate"
        )
    );
    let report = with_anchors(&["bad/missing-root.pem"], &["path/root-no-bc.crt"]);
    assert_statuses(&report, &[(CheckId::CaConstraints, Status::Fail)]);
    assert!(only(&report, CheckId::CaConstraints).starts_with(&format!(
        "the trusted root `{ROOT}` issues `{SUB}` but is not a CA: it has no basicConstraints extension; OpenSSL-based"
    )));
}

/// RFC 5280 4.2.1.3: keyCertSign without cA on the root fails.
#[test]
fn rfc5280_4_2_1_3_root_with_key_cert_sign_but_ca_false_fails() {
    let report = validate(&["path/root-keycertsign-not-ca.pem"]);
    assert_statuses(&report, &[(CheckId::CaConstraints, Status::Fail)]);
    assert!(only(&report, CheckId::CaConstraints).contains(
        "is not a CA: its basicConstraints says cA=FALSE, yet its keyUsage asserts keyCertSign (RFC 5280 4.2.1.3 \
         requires cA with keyCertSign); OpenSSL-based servers"
    ));
}

/// A root whose basicConstraints is not critical only warns.
#[test]
fn rfc5280_4_2_1_9_root_with_non_critical_basic_constraints_warns() {
    let report = validate(&["path/root-bc-noncritical.pem"]);
    assert_statuses(&report, &[(CheckId::CaConstraints, Status::Warn)]);
    assert_eq!(report.verdict, Verdict::Valid);
    let finding = common::finding(&report, CheckId::CaConstraints);
    assert_eq!(finding.severity, Severity::Warning);
    assert!(finding
        .message
        .contains("has basicConstraints cA=TRUE not marked critical"));
}

/// RFC 5280 6.1.3 (a)(2): a root outside its validity window fails
/// `validity`, present or given as the trust anchor.
#[test]
fn rfc5280_6_1_3_expired_root_fails_validity_present_or_trusted() {
    let report = validate(&["path/root-expired.pem"]);
    assert_statuses(&report, &[(CheckId::Validity, Status::Fail)]);
    assert!(only(&report, CheckId::Validity).starts_with(&format!(
        "the root `{ROOT}` expired on 2020-01-01T00:00:00Z (validation time 2026-12-01T00:00:00Z): servers \
         (OpenSSL, rustls) refuse a chain whose root is outside its validity window"
    )));
    let report = with_anchors(&["bad/missing-root.pem"], &["path/root-expired.crt"]);
    assert_statuses(&report, &[(CheckId::Validity, Status::Fail)]);
    assert!(only(&report, CheckId::Validity)
        .starts_with(&format!("the trusted root `{ROOT}` expired on 2020-01-01")));
}

/// RFC 5280 4.2.1.3: a leaf asserting keyCertSign without being a CA fails.
#[test]
fn rfc5280_4_2_1_3_leaf_with_key_cert_sign_that_is_not_a_ca_fails_leaf_usage() {
    let report = validate(&["path/leaf-keycertsign.pem"]);
    assert_statuses(&report, &[(CheckId::LeafUsage, Status::Fail)]);
    assert!(only(&report, CheckId::LeafUsage).starts_with(&format!(
        "the leaf `{LEAF}` asserts keyCertSign in its keyUsage but is not a CA"
    )));
}

/// RFC 5280 4.1.2.1: a version 1 leaf fails; rustls servers refuse it.
#[test]
fn rfc5280_4_1_2_1_version_1_leaf_fails_leaf_usage_as_rustls_refuses_it() {
    let report = validate(&["path/leaf-v1.pem"]);
    assert_statuses(&report, &[(CheckId::LeafUsage, Status::Fail)]);
    assert_eq!(
        only(&report, CheckId::LeafUsage),
        format!(
            "the leaf `{LEAF}` is a version 1 certificate: rustls servers (webpki) refuse any client certificate \
             that is not version 3: request a client (mutual-auth) certificate in the portal"
        )
    );
}

// ---- 13.4 + 10.7: a chain of CA certificates only.

/// The chain starts at the lowest CA of the first file given, even when a
/// later file holds a CA it issued (here SUB first, then a suite with ROOT,
/// Issuing CA 2 under SUB, and the EC PKI): it keeps its CA role, the JSON
/// says `ca-chain`, and `leaf.usage` fails as "no client certificate".
#[test]
fn ca_certificates_only_start_at_the_lowest_ca_of_the_first_file_in_their_ca_roles() {
    let files = [
        "certs/rsa-sub.crt",
        "certs/rsa-root.crt",
        "certs/rsa-ca2.crt",
        "certs/ec-sub.crt",
        "certs/ec-root.crt",
    ];
    let report = validate(&files);
    assert_eq!(chain(&report), [SUB, ROOT], "{}", report.to_text(false));
    assert_eq!(roles(&report), [Role::Intermediate, Role::Root]);
    assert_eq!(report.chain_kind, Some(certbundle::report::ChainKind::CaChain));
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["chain_kind"], "ca-chain");
    assert_eq!(json["leaf_selected_by"], "no-end-entity");
    assert_statuses(
        &report,
        &[
            (CheckId::LeafUsage, Status::Fail),
            (CheckId::BundleExtra, Status::Warn),
        ],
    );
    assert_eq!(
        only(&report, CheckId::LeafUsage),
        format!(
            "the input holds no client certificate, only CA certificates: it is a CA chain, starting at the lowest \
             CA of the first file given, `{SUB}` ({}): add the certificate the portal issued for your CSR (the PEM, \
             PKCS#7, DER or zip download)",
            path("certs/rsa-sub.crt").display()
        )
    );
    assert!(
        report.to_text(false).contains("[0] intermediate"),
        "{}",
        report.to_text(false)
    );
}

/// A CA certificate whose key is the given key is the client certificate
/// (role leaf), and the JSON shows no `chain_kind`.
#[test]
fn ca_certificate_whose_key_is_given_is_the_client_certificate() {
    let report = validate(&[
        "certs/rsa-ca2.crt",
        "certs/rsa-sub.crt",
        "certs/rsa-root.crt",
        "keys/rsa-sub.key",
    ]);
    assert_eq!(chain(&report), [SUB, ROOT], "{}", report.to_text(false));
    assert_eq!(roles(&report), [Role::Leaf, Role::Root]);
    assert_eq!(report.checks[CheckId::KeyMatch], Status::Pass);
    assert_eq!(report.chain_kind, Some(certbundle::report::ChainKind::Client));
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert!(json.get("chain_kind").is_none());
}

// ---- 13.7: batch verification is shared.

/// `report_each` shares CA-link verifications across bundles: every
/// bundle's report is exactly the one it gets alone.
#[test]
fn batch_reports_with_shared_verifications_are_the_reports_each_bundle_gets_alone() {
    let files = [
        "rsa/bundle-root-last.pem",
        "bad/missing-root.pem",
        "bad/lookalike-intermediate.pem",
        "bad/wrong-intermediate.pem",
        "path/expired-cross.pem",
        "path/lookalikes-200.pem",
        "rsa/bundle-root-first.pem",
        "bad/pathlen-exceeded.pem",
    ]
    .map(path);
    let options = options(None);
    let batch = certbundle::report_each(&files, &options);
    assert_eq!(batch.len(), files.len());
    for (file, report) in &batch {
        let alone = certbundle::report_paths(std::slice::from_ref(file), &options);
        assert_eq!(report.to_json(), alone.to_json(), "{}", file.display());
    }
}

/// Issue 10 point 2, the failures that stay: the leaf's own issuer missing
/// is a fail even when the leaf is a CA certificate given with its key, and
/// so is an intermediate missing between present certificates.
#[test]
fn leafs_own_issuer_missing_or_a_gap_between_present_certificates_still_fails() {
    let report = validate(&["certs/rsa-sub.crt", "keys/rsa-sub.key"]);
    assert_eq!(roles(&report), [Role::Leaf]);
    assert_eq!(report.checks[CheckId::ChainComplete], Status::Fail);
    assert!(only(&report, CheckId::ChainComplete).starts_with(&format!(
        "the CA chain of the leaf `{SUB}` is missing: no certificate for its issuer `{ROOT}`"
    )));
    let report = validate(&["bad/missing-intermediate.pem"]);
    assert_eq!(report.checks[CheckId::ChainComplete], Status::Fail);
    assert!(only(&report, CheckId::ChainComplete).starts_with(&format!(
        "an intermediate CA is missing: no certificate for `{SUB}`"
    )));
}

/// RFC 5280 6.1.4 (n): a constrained alternative of SUB (same subject and
/// key, keyUsage without keyCertSign) listed first loses to SUB, which may
/// sign certificates.
#[test]
fn rfc5280_6_1_4_n_path_through_a_ca_allowed_to_sign_wins_over_a_constrained_alternative() {
    let report = validate(&["path/constrained-cross.pem"]);
    assert_eq!(chain(&report), [LEAF, SUB, ROOT], "{}", report.to_text(false));
    assert_statuses(&report, &[(CheckId::BundleExtra, Status::Warn)]);
    assert!(only(&report, CheckId::BundleExtra)
        .contains("is a cross-signed alternative that the chain does not use"));
}
