//! Batch validation: every file under the given paths as its own bundle,
//! in parallel, with a walk that cannot be turned against the caller and a
//! panic contained to the bundle that caused it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::chain::SignatureCache;
use crate::decode::Run;
use crate::error::{Error, ErrorKind};
use crate::model::Source;
use crate::report::Report;
#[cfg(test)]
use crate::validate::report_paths;
use crate::validate::{validate_paths_sharing, Options};

/// Every file under `paths` (directories walked recursively, in name order),
/// each validated as its own bundle, in parallel on all cores. Reports come
/// back in file order. A CA certificate parsed, or a CA link verified, for
/// one bundle is not parsed or verified again for the next (the bundles of a
/// batch usually share their CAs): each report is the one the bundle gets
/// alone. The batch is one run: its bundles share
/// [`Limits::max_kdf_work_per_run`](crate::Limits::max_kdf_work_per_run),
/// and a bundle whose KDF work would pass it gets an error report.
///
/// The walk never follows a symbolic link inside a directory (a link loop
/// cannot make it run forever) and validates each regular file once, even
/// when it is reached twice; a directory with no regular file in it gets an
/// error report saying so. A bundle whose validation panics gets an
/// [`ErrorKind::Internal`] error report, and every other bundle's report
/// still comes back.
pub fn report_each<P: AsRef<Path>>(paths: &[P], options: &Options) -> Vec<(PathBuf, Report)> {
    let mut reports = Vec::new();
    report_each_streaming(paths, options, |file, report| reports.push((file, report)));
    reports
}

/// [`report_each`], handing each report to `on_report` in file order as
/// soon as it and those before it are done, so that the caller can write
/// one out while the next are validated.
pub fn report_each_streaming<P, F>(paths: &[P], options: &Options, on_report: F)
where
    P: AsRef<Path>,
    F: FnMut(PathBuf, Report),
{
    let (run, cache) = (Run::batch(), SignatureCache::new());
    let validate_one = |file: &Path, options: &Options| {
        validate_paths_sharing(std::slice::from_ref(&file), options, &run, Some(&cache))
    };
    report_each_with(paths, options, validate_one, on_report);
}

/// [`report_each_streaming`] with the per-bundle step given (tests inject a failing one).
fn report_each_with<P, V, F>(paths: &[P], options: &Options, validate_one: V, mut on_report: F)
where
    P: AsRef<Path>,
    V: Fn(&Path, &Options) -> Report + Sync,
    F: FnMut(PathBuf, Report),
{
    let mut walk = Walk::default();
    for path in paths {
        walk.top(path.as_ref());
    }
    let items = walk.items;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let one = |item: &Item| -> Report {
        match item {
            Item::File(file) => {
                // Last line of defence: a panic costs this bundle its report, not the batch.
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| validate_one(file, options)))
                    .unwrap_or_else(|_| error_report(file, ErrorKind::Internal, options))
            }
            Item::EmptyDirectory(dir) => error_report(dir, ErrorKind::EmptyDirectory, options),
        }
    };
    let mut order = InOrder::new(&items, options);
    // A shared queue: each worker takes the next file when it is done, so
    // one slow file does not leave the other cores idle.
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (done, reports) = std::sync::mpsc::channel();
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let done = done.clone();
                let (next, items, one) = (&next, &items, &one);
                scope.spawn(move || {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        // The receiver lives as long as the scope: a send cannot fail.
                        if done.send((index, one(item))).is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        drop(done);
        for (index, report) in reports {
            order.done(index, report, &mut on_report);
        }
        // Joined here, so that a worker that died does not take the batch with it.
        for handle in handles {
            let _ = handle.join();
        }
    });
    order.finish(&mut on_report);
}

/// Reports in file order: each is handed on once those before it are.
struct InOrder<'i> {
    items: &'i [Item],
    options: &'i Options,
    pending: Vec<Option<Report>>,
    /// The first item not handed on yet.
    next: usize,
}

impl<'i> InOrder<'i> {
    fn new(items: &'i [Item], options: &'i Options) -> Self {
        InOrder {
            items,
            options,
            pending: std::iter::repeat_with(|| None).take(items.len()).collect(),
            next: 0,
        }
    }

    fn done(&mut self, index: usize, report: Report, on_report: &mut impl FnMut(PathBuf, Report)) {
        if let Some(slot) = self.pending.get_mut(index) {
            *slot = Some(report);
        }
        while let Some(report) = self.pending.get_mut(self.next).and_then(Option::take) {
            self.hand_on(report, on_report);
        }
    }

    /// Hands on the rest: a worker that died left its bundles without a
    /// report, and the report says so.
    fn finish(mut self, on_report: &mut impl FnMut(PathBuf, Report)) {
        while let Some(slot) = self.pending.get_mut(self.next) {
            let report = slot.take().unwrap_or_else(|| {
                let path = self.items.get(self.next).map_or(Path::new(""), Item::path);
                error_report(path, ErrorKind::Internal, self.options)
            });
            self.hand_on(report, on_report);
        }
    }

    fn hand_on(&mut self, report: Report, on_report: &mut impl FnMut(PathBuf, Report)) {
        if let Some(item) = self.items.get(self.next) {
            on_report(item.path().to_path_buf(), report);
        }
        self.next += 1;
    }
}

fn error_report(path: &Path, kind: ErrorKind, options: &Options) -> Report {
    let error = Error::new(&Source::file(path.display().to_string()), kind);
    Report::from_error(&error, options.time(), options.profile)
}

/// One thing to report on in a batch.
enum Item {
    /// A file to validate as one bundle.
    File(PathBuf),
    /// A directory given (or found) with nothing to validate in it.
    EmptyDirectory(PathBuf),
}

impl Item {
    fn path(&self) -> &Path {
        match self {
            Item::File(p) | Item::EmptyDirectory(p) => p,
        }
    }
}

/// The batch walk: files in name order, each regular file once.
#[derive(Default)]
struct Walk {
    items: Vec<Item>,
    /// Identity of every regular file taken (device and inode on Unix).
    seen: std::collections::HashSet<FileId>,
}

impl Walk {
    /// A path given by the caller: followed if it is a link (the caller
    /// named it), then walked without following links below it.
    fn top(&mut self, path: &Path) {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let before = self.items.len();
                self.directory(path);
                if self.items.len() == before {
                    self.items.push(Item::EmptyDirectory(path.to_path_buf()));
                }
            }
            Ok(meta) => self.file(path, &meta),
            // Unreadable or missing: validate it as a file so the error is reported.
            Err(_) => self.items.push(Item::File(path.to_path_buf())),
        }
    }

    fn directory(&mut self, dir: &Path) {
        let Ok(read) = std::fs::read_dir(dir) else {
            // Unreadable directory: validate it as a file so the error is reported.
            self.items.push(Item::File(dir.to_path_buf()));
            return;
        };
        let mut children: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children {
            // `symlink_metadata` does not follow: links are neither walked nor read.
            match std::fs::symlink_metadata(&child) {
                Ok(meta) if meta.is_dir() => self.directory(&child),
                Ok(meta) if meta.is_file() => self.file(&child, &meta),
                // Links, sockets, devices, FIFOs: nothing a bundle is.
                Ok(_) => {}
                Err(_) => self.items.push(Item::File(child)),
            }
        }
    }

    fn file(&mut self, path: &Path, meta: &std::fs::Metadata) {
        if self.seen.insert(FileId::of(path, meta)) {
            self.items.push(Item::File(path.to_path_buf()));
        }
    }
}

/// What makes two paths the same file: device and inode (so hard links
/// count once), or the canonical path where those are not available.
#[derive(PartialEq, Eq, Hash)]
enum FileId {
    #[cfg_attr(not(unix), allow(dead_code))]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

impl FileId {
    #[cfg(unix)]
    fn of(_path: &Path, meta: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        FileId::Inode(meta.dev(), meta.ino())
    }

    #[cfg(not(unix))]
    fn of(path: &Path, _meta: &std::fs::Metadata) -> Self {
        FileId::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    /// A directory holding `a.pem`, `b.pem` and `c.pem` (no bundle in them).
    fn three_files(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("certbundle-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["a.pem", "b.pem", "c.pem"] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        dir
    }

    /// A report is handed on while later bundles are still being validated:
    /// the last bundle waits (up to ten seconds) to see the first handed on.
    #[test]
    fn a_report_is_handed_on_before_the_batch_is_done() {
        let dir = three_files("streaming");
        let (first_handed_on, seen_by_last) = (AtomicBool::new(false), AtomicBool::new(false));
        let validate_one = |file: &Path, options: &Options| {
            if file.ends_with("c.pem") {
                let start = std::time::Instant::now();
                while !first_handed_on.load(Ordering::SeqCst) && start.elapsed().as_secs() < 10 {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                seen_by_last.store(first_handed_on.load(Ordering::SeqCst), Ordering::SeqCst);
            }
            report_paths(&[file], options)
        };
        let mut names = Vec::new();
        report_each_with(&[&dir], &Options::default(), validate_one, |file, _| {
            first_handed_on.store(true, Ordering::SeqCst);
            names.push(file.file_name().unwrap().to_owned());
        });
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(names, ["a.pem", "b.pem", "c.pem"]);
        assert!(seen_by_last.load(Ordering::SeqCst));
    }

    /// A bundle whose validation panics is reported as an internal error;
    /// the bundles before and after it still get their own reports.
    #[test]
    fn a_panicking_bundle_gets_an_error_report_and_the_others_still_come_back() {
        let dir = three_files("panic");
        let options = Options::default();
        let mut reports = Vec::new();
        let validate_one = |file: &Path, options: &Options| {
            if file.ends_with("b.pem") {
                panic!("injected failure");
            }
            report_paths(&[file], options)
        };
        report_each_with(&[&dir], &options, validate_one, |file, report| {
            reports.push((file, report))
        });
        std::fs::remove_dir_all(&dir).unwrap();
        let names: Vec<_> = reports
            .iter()
            .map(|(p, _)| p.file_name().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["a.pem", "b.pem", "c.pem"]);
        let kinds: Vec<_> = reports
            .iter()
            .map(|(_, r)| r.error.as_ref().unwrap().kind.clone())
            .collect();
        assert_eq!(kinds, ["unrecognised-format", "internal", "unrecognised-format"]);
        let message = &reports[1].1.error.as_ref().unwrap().message;
        assert!(
            message.ends_with("b.pem: internal error while validating this bundle (a defect in certbundle, please report it)"),
            "{message}"
        );
    }
}
