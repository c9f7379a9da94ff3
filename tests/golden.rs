//! Report snapshots: the JSON report of every fixture, alone and in the
//! portal's usual combinations, byte for byte. A refactor must leave them as
//! they are; a change of behaviour shows up here as a diff of the committed
//! `testdata/golden/*.json` (regenerate with `UPDATE_GOLDEN=1 cargo test
//! --test golden` and review the diff).

mod common;

use std::path::PathBuf;

use common::{options, path};

/// Every fixture directory whose files are validated alone.
const DIRS: &[&str] = &[
    "rsa",
    "rsa/keys",
    "rsa/p12",
    "ec",
    "ec/keys",
    "ed25519",
    "ed25519/keys",
    "bad",
    "cross",
    "hostile",
    "path",
    "jks",
];

/// Bundles of several files, as users give them.
const COMBOS: &[(&str, &[&str])] = &[
    ("der-plus-p7b", &["rsa/leaf.cer", "rsa/bundle.p7b"]),
    (
        "pem-plus-key",
        &["rsa/bundle-root-last.pem", "rsa/PRIVATEKEY.key"],
    ),
    (
        "root-first-plus-key",
        &["rsa/bundle-root-first.pem", "rsa/PRIVATEKEY.key"],
    ),
    ("pem-plus-csr", &["rsa/bundle-root-last.pem", "rsa/MYCSR.csr"]),
    (
        "pem-plus-wrong-key",
        &["rsa/bundle-root-last.pem", "bad/wrong-key.pem"],
    ),
    ("zip-plus-key", &["rsa/mtls.zip", "rsa/keys/key-pkcs8.pem"]),
    ("ec-plus-key", &["ec/bundle.pem", "ec/keys/key-pkcs8.pem"]),
];

/// The password each fixture is encrypted with (testdata/README.md).
fn password_for(file: &str) -> Option<&'static str> {
    if file.contains("/keys/") || file.ends_with("PRIVATEKEY.key") {
        Some("test1234")
    } else if file.contains("emptypw") {
        Some("")
    } else if file.starts_with("hostile/") {
        Some("secret")
    } else {
        Some("changeit")
    }
}

fn cases() -> Vec<(String, Vec<String>)> {
    let mut cases = Vec::new();
    for dir in DIRS {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            // Fixtures, not the scripts that make them.
            .filter(|p| {
                p.is_file() && !matches!(p.extension().and_then(|e| e.to_str()), Some("sh" | "py" | "md"))
            })
            .collect();
        files.sort();
        for file in files {
            let name = file.file_name().unwrap().to_str().unwrap().to_owned();
            let rel = format!("{dir}/{name}");
            cases.push((rel.replace('/', "_"), vec![rel]));
        }
    }
    for (name, files) in COMBOS {
        cases.push((
            (*name).to_owned(),
            files.iter().map(|f| (*f).to_owned()).collect(),
        ));
    }
    cases
}

/// The report of `files`, with paths relative to testdata/ so the snapshot
/// does not depend on where the checkout lives.
fn report_json(files: &[String]) -> String {
    let password = files.iter().find_map(|f| password_for(f));
    let mut options = options(password);
    options.profile = certbundle::Profile::Generic;
    let root = format!("{}/", path("").display().to_string().trim_end_matches('/'));
    let paths: Vec<PathBuf> = files.iter().map(|f| path(f)).collect();
    certbundle::report_paths(&paths, &options)
        .to_json_pretty()
        .replace(&root, "")
}

#[test]
fn reports_match_their_snapshots() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut changed = Vec::new();
    for (name, files) in cases() {
        let json = report_json(&files) + "\n";
        let golden = path(&format!("golden/{name}.json"));
        if update {
            std::fs::write(&golden, &json).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&golden)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", golden.display()));
        if want != json {
            changed.push(name);
        }
    }
    assert!(
        changed.is_empty(),
        "reports differ from their snapshots: {changed:?}"
    );
}
