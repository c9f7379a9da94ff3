//! Batch validation (`report_each`): what the bundles of one batch share
//! (parsed CA certificates, verified CA links, one KDF budget) never changes
//! a bundle's report beyond the budget it spends.

mod common;

use std::path::{Path, PathBuf};

use certbundle::{Report, Verdict};
use common::{options, read};

/// A fresh directory for one test's bundles, removed when dropped.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("certbundle-batch-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    /// Writes `name` as the concatenation of the fixtures `parts`.
    fn bundle(&self, name: &str, parts: &[&str]) -> PathBuf {
        let file = self.0.join(name);
        std::fs::write(&file, parts.iter().flat_map(|p| read(p)).collect::<Vec<u8>>()).unwrap();
        file
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn json(report: &Report) -> String {
    let mut out = Vec::new();
    report.write_json(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn alone(file: &Path, options: &certbundle::Options) -> Report {
    certbundle::report_paths(&[file], options)
}

/// Bundles that share their CAs, in different orders and positions (so a
/// CA parsed for one bundle comes from another file and block in the
/// next), with a broken link, a broken file and a bundle with a key: each
/// batch report is byte for byte the report its bundle gets alone.
#[test]
fn a_batch_report_is_byte_equal_to_the_report_of_its_bundle_alone() {
    let dir = Dir::new("equal");
    let files = [
        dir.bundle("a.pem", &["rsa/bundle-leaf-root-sub.pem"]),
        dir.bundle("b.pem", &["rsa/bundle-root-first.pem"]),
        dir.bundle("c.pem", &["certs/rsa-sub.crt", "certs/rsa-leaf.crt"]),
        dir.bundle(
            "d.pem",
            &[
                "certs/rsa-leaf.crt",
                "certs/rsa-sub-impostor.crt",
                "certs/rsa-root.crt",
            ],
        ),
        dir.bundle(
            "e.pem",
            &[
                "certs/rsa-leaf.crt",
                "certs/rsa-sub.crt",
                "rsa/keys/key-pkcs8-aes256.pem",
            ],
        ),
        dir.bundle(
            "f.pem",
            &["certs/ec-leaf.crt", "certs/ec-sub.crt", "certs/ec-root.crt"],
        ),
        dir.bundle(
            "g.pem",
            &[
                "certs/rsa-root.crt",
                "certs/rsa-sub.crt",
                "certs/rsa-leaf-expired.crt",
            ],
        ),
        dir.bundle("h.pem", &["bad/unrelated.pem"]),
        dir.bundle("i.pem", &["rsa/bundle-leaf-root-sub.pem"]),
    ];
    let options = options(Some("test1234"));
    let batch = certbundle::report_each(&[&dir.0], &options);
    let names: Vec<&PathBuf> = batch.iter().map(|(file, _)| file).collect();
    assert_eq!(names, files.iter().collect::<Vec<_>>());
    for (file, report) in &batch {
        assert_eq!(json(report), json(&alone(file, &options)), "{}", file.display());
    }
    // The cases are what they claim: the shared CAs serve bundles with
    // different verdicts.
    let verdicts: Vec<Verdict> = batch.iter().map(|(_, r)| r.verdict).collect();
    assert_eq!(verdicts[0], Verdict::Valid);
    assert_ne!(verdicts[3], Verdict::Valid);
    assert_ne!(verdicts[6], Verdict::Valid);
}

/// The KDF budget of a run is the batch's: bundles that each fit in it
/// alone, but not all together, are validated while the budget lasts and
/// the rest get an error saying the batch's budget is spent.
#[test]
fn one_kdf_budget_spans_the_batch() {
    let dir = Dir::new("kdf");
    for name in ["a.pem", "b.pem", "c.pem", "d.pem"] {
        dir.bundle(
            name,
            &[
                "certs/rsa-leaf.crt",
                "certs/rsa-sub.crt",
                "certs/rsa-root.crt",
                "rsa/keys/key-pkcs8-aes256.pem",
            ],
        );
    }
    // The key's PBKDF2-HMAC-SHA256 (2,048 iterations, one block) costs 4,096
    // compressions: two bundles and a half fit.
    let mut options = options(Some("test1234"));
    options.limits.max_kdf_work_per_run = 2 * 4096 + 2048;
    let batch = certbundle::report_each(&[&dir.0], &options);
    for (file, _) in &batch {
        assert_eq!(
            alone(file, &options).verdict,
            Verdict::Valid,
            "{}",
            file.display()
        );
    }
    let valid = batch.iter().filter(|(_, r)| r.verdict == Verdict::Valid).count();
    assert_eq!(valid, 2);
    let errors: Vec<(&PathBuf, &str, &str)> = batch
        .iter()
        .filter_map(|(file, r)| {
            r.error
                .as_ref()
                .map(|e| (file, e.kind.as_str(), e.message.as_str()))
        })
        .collect();
    assert_eq!(errors.len(), 2);
    for (file, kind, message) in errors {
        assert_eq!(kind, "limit-exceeded");
        assert_eq!(
            message,
            format!(
                "{} (PEM block 4): KDF work for this batch (hash compressions over every bundle) exceeds the limit: \
                 12288 > 10240 (raise Limits::max_kdf_work_per_run if these files are trusted)",
                file.display()
            )
        );
    }
}
