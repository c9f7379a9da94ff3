//! Replays every fuzz regression input (`fuzz/regressions/<target>/*`), the
//! committed slice of the fuzz corpora (`fuzz/seeds/<target>/*`: up to 150
//! inputs under 2 KiB per target, taken across the size range of the
//! `cargo fuzz cmin`-minimised corpus) and, when present, every local corpus
//! file (`fuzz/corpus/<target>/*`; CI clones have none) through `decode` and
//! `load` + `validate`: no input may panic, and each must finish in bounded
//! time.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Per input, in a debug build, on a busy machine.
const MAX_TIME: Duration = Duration::from_secs(2);
/// The fuzz targets' own limits, time and decode + validate step, so a
/// replay runs exactly what the fuzzer ran.
#[allow(unreachable_pub)]
#[path = "../fuzz/fuzz_targets/common.rs"]
mod fuzz_common;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_none_or(|e| e != "md") {
            out.push(path);
        }
    }
}

/// The password the input's target uses.
fn password(path: &Path) -> &'static str {
    let target = path.parent().and_then(Path::file_name).and_then(|n| n.to_str());
    match target {
        Some("keys" | "pem" | "validate_pool") => "test1234",
        _ => "changeit",
    }
}

/// Decodes, then loads and validates; returns a failure message.
fn replay(path: &Path) -> Option<String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return Some(format!("{}: {e}", path.display())),
    };
    let name = path.display().to_string();
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        fuzz_common::decode_and_validate(&name, &bytes, password(path));
    }));
    let took = started.elapsed();
    match outcome {
        Err(_) => Some(format!("{name}: panicked")),
        Ok(()) if took > MAX_TIME => Some(format!("{name}: took {took:?}")),
        Ok(()) => None,
    }
}

fn replay_dir(dir: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut inputs = Vec::new();
    files(&root, &mut inputs);
    let failures: Vec<String> = inputs.iter().filter_map(|p| replay(p)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} inputs failed:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
    inputs.len()
}

#[test]
fn regressions_replay() {
    replay_dir("fuzz/regressions");
}

#[test]
fn committed_corpus_slice_replays() {
    let n = replay_dir("fuzz/seeds");
    assert!(
        n >= 7 * 100,
        "expected the committed corpus slice, found {n} inputs"
    );
}

#[test]
fn corpus_replays_when_present() {
    // Absent in CI clones: nothing to do.
    let n = replay_dir("fuzz/corpus");
    eprintln!("replayed {n} corpus inputs");
}
