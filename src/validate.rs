//! The library's front door: load inputs into a pool, build the chain, run
//! the checks, get the report.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::chain::{BuildOptions, Chain, SignatureCache};
use crate::checks::{self, Context};
use crate::decode::{decode_in_run, RunMeter};
use crate::error::{Error, ErrorKind};
use crate::finding::{CheckId, Status};
use crate::input::{Input, Limits, Password};
use crate::model::{Certificate, Pool, PrivateKey, Source};
use crate::profile::Profile;
use crate::report::Report;

/// How to load and validate: a value with builder-style setters.
///
/// ```
/// use certbundle::{Options, Password, Profile};
/// let options = Options::default()
///     .with_profile(Profile::KmpMtf)
///     .with_password(Password::new("test1234"))
///     .with_at(certbundle::parse_rfc3339("2026-12-01T00:00:00Z")?);
/// assert_eq!(options.time(), 1_796_083_200);
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Default, Clone)]
#[non_exhaustive]
pub struct Options {
    /// Ceilings on what inputs may ask for.
    pub limits: Limits,
    /// Passwords for PKCS#12 files, keystores and encrypted keys: every
    /// encrypted input tries each in turn, in this order (the guide's own
    /// case has the PKCS#12 under one password and the key under another).
    pub passwords: Vec<Password>,
    /// Which rules to apply.
    pub profile: Profile,
    /// Validation time in seconds since the Unix epoch; `None` means now
    /// (read once, when validation starts).
    pub at: Option<i64>,
    /// The roots the peer trusts (e.g. from [`load_paths`] of the server's
    /// CA file). When not empty, `chain.complete` requires the chain to end
    /// at one of them: at a root with the same name and key, or at a
    /// certificate that one of them verifiably issued. The issuer search
    /// stops at the first anchor it reaches, and an anchor the chain ends
    /// at is held to the root's checks (`ca.constraints`, `validity`).
    pub trust_anchors: Vec<Certificate>,
}

impl Options {
    /// With these limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// With one more password for encrypted inputs (each tries every one,
    /// in the order added).
    #[must_use]
    pub fn with_password(mut self, password: Password) -> Self {
        self.passwords.push(password);
        self
    }

    /// Under this profile.
    #[must_use]
    pub fn with_profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// Validated at this time (seconds since the Unix epoch) instead of now.
    #[must_use]
    pub fn with_at(mut self, at: i64) -> Self {
        self.at = Some(at);
        self
    }

    /// With the roots the peer trusts.
    #[must_use]
    pub fn with_trust_anchors(mut self, anchors: Vec<Certificate>) -> Self {
        self.trust_anchors = anchors;
        self
    }

    /// The validation time: `at`, or the clock.
    pub fn time(&self) -> i64 {
        self.at.unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        })
    }
}

/// Decodes every input into one pool.
///
/// # Errors
/// The first input that cannot be read, or a pool larger than
/// [`Limits::max_certificates`].
pub fn load(inputs: &[Input], options: &Options) -> Result<Pool, Error> {
    let mut pool = Pool::new();
    let run = RunMeter::default();
    for input in inputs {
        add(&mut pool, input, options, &run)?;
    }
    Ok(pool)
}

/// Reads files (each refused unread beyond [`Limits::max_input_bytes`]) and
/// decodes them into one pool. Each file's bytes are dropped once decoded,
/// so memory holds the pool and at most one file.
///
/// # Errors
/// As [`load`], plus files that cannot be read.
pub fn load_paths<P: AsRef<Path>>(paths: &[P], options: &Options) -> Result<Pool, Error> {
    let mut pool = Pool::new();
    let run = RunMeter::default();
    for path in paths {
        add(
            &mut pool,
            &Input::from_path(path, &options.limits)?,
            options,
            &run,
        )?;
    }
    Ok(pool)
}

/// Decodes one input into the pool, keeping the pool within its limit.
fn add(pool: &mut Pool, input: &Input, options: &Options, run: &RunMeter) -> Result<(), Error> {
    pool.merge(decode_in_run(input, &options.limits, &options.passwords, run)?);
    if pool.certificate_count() > options.limits.max_certificates {
        return Err(Error::new(
            &Source::file(input.name()),
            ErrorKind::limit(
                "number of certificates",
                u64::try_from(options.limits.max_certificates).unwrap_or(u64::MAX),
                u64::try_from(pool.certificate_count()).unwrap_or(u64::MAX),
            ),
        ));
    }
    Ok(())
}

/// A validated pool: the chain that was built, and the report.
///
/// What uses the bundle ([`Validation::client_config`], the
/// [`export`](crate::export) functions) refuses an invalid one with
/// [`InvalidBundle`], as the command line does, unless the caller asked for
/// it explicitly with [`Validation::accept_invalid`]. A failing
/// `chain.order` alone does not count: the chain is always handed out and
/// written leaf first, which repairs it.
#[derive(Debug)]
pub struct Validation<'p> {
    pool: &'p Pool,
    chain: Chain<'p>,
    report: Report,
    accept_invalid: bool,
}

/// A validation that failed checks was to be used (presented in a handshake,
/// exported) without the caller accepting it explicitly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the bundle is invalid: {} failed; it is used only when accepted explicitly \
     (Validation::accept_invalid)",
    names(.failing)
)]
pub struct InvalidBundle {
    failing: Vec<CheckId>,
}

impl InvalidBundle {
    /// The failing checks, in run order.
    pub fn failing(&self) -> &[CheckId] {
        &self.failing
    }
}

fn names(ids: &[CheckId]) -> String {
    ids.iter().map(|id| id.as_str()).collect::<Vec<_>>().join(", ")
}

impl<'p> Validation<'p> {
    /// The report.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The report, owned.
    pub fn into_report(self) -> Report {
        self.report
    }

    /// The chain that was built, leaf first.
    pub fn chain(&self) -> &Chain<'p> {
        &self.chain
    }

    /// The chain as PEM, leaf first, root last.
    pub fn chain_pem(&self) -> String {
        self.chain
            .certificates()
            .iter()
            .map(|c| ::pem::encode(&::pem::Pem::new("CERTIFICATE", c.der().to_vec())))
            .collect()
    }

    /// The private key that belongs to the leaf, when one was given.
    pub fn key(&self) -> Option<&'p PrivateKey> {
        self.chain.key()
    }

    /// Adds a connection attempt's outcome to the report (the `tls.*`
    /// checks; see [`crate::Report::add_connection`]).
    pub fn record_connection(&mut self, connection: crate::connection::Connection) {
        self.report.add_connection(connection);
    }

    /// The pool the chain was built from.
    pub fn pool(&self) -> &'p Pool {
        self.pool
    }

    /// The same validation, usable although checks failed: the explicit way
    /// to present or export a bundle the report calls invalid (a test of a
    /// peer's refusal, an export the user insisted on). The report is
    /// unchanged.
    #[must_use]
    pub fn accept_invalid(mut self) -> Self {
        self.accept_invalid = true;
        self
    }

    /// The checks that make the bundle unusable: every failing check except
    /// `chain.order`, which leaf-first output repairs.
    pub fn blocking_failures(&self) -> Vec<CheckId> {
        self.report
            .checks
            .iter()
            .filter(|&(id, status)| status == Status::Fail && id != CheckId::ChainOrder)
            .map(|(id, _)| id)
            .collect()
    }

    /// `Ok` when the bundle may be used: no blocking failure, or accepted
    /// explicitly.
    ///
    /// # Errors
    /// [`InvalidBundle`] naming the failing checks.
    pub fn usable(&self) -> Result<(), InvalidBundle> {
        let failing = self.blocking_failures();
        match failing.is_empty() || self.accept_invalid {
            true => Ok(()),
            false => Err(InvalidBundle { failing }),
        }
    }
}

/// Builds the chain and runs every check.
pub fn validate<'p>(pool: &'p Pool, options: &Options) -> Validation<'p> {
    validate_sharing(pool, options, None)
}

/// [`validate`], with signature verifications shared with other bundles.
fn validate_sharing<'p>(pool: &'p Pool, options: &Options, cache: Option<&SignatureCache>) -> Validation<'p> {
    let at = options.time();
    let chain = Chain::of(
        pool,
        &BuildOptions {
            limits: &options.limits,
            at,
            anchors: &options.trust_anchors,
            cache,
        },
    );
    let ctx = Context {
        pool,
        chain: &chain,
        at,
        profile: options.profile,
        anchors: &options.trust_anchors,
        limits: &options.limits,
    };
    let (statuses, findings) = checks::run_all(&ctx);
    let report = Report::new(pool, &chain, statuses, findings, at, options.profile);
    Validation {
        pool,
        chain,
        report,
        accept_invalid: false,
    }
}

/// Loads and validates files as one bundle; an input error becomes a report
/// with verdict `error`.
pub fn validate_paths<P: AsRef<Path>>(paths: &[P], options: &Options) -> Report {
    validate_paths_sharing(paths, options, None)
}

fn validate_paths_sharing<P: AsRef<Path>>(
    paths: &[P],
    options: &Options,
    cache: Option<&SignatureCache>,
) -> Report {
    match load_bundle(paths, options) {
        Ok(pool) => validate_sharing(&pool, options, cache).into_report(),
        Err(error) => Report::from_error(&error, options.time(), options.profile),
    }
}

/// [`load_paths`] for a bundle to validate: inputs that hold neither a
/// certificate nor a request (only keys, say) are refused with
/// [`ErrorKind::NothingToValidate`], naming the last input.
///
/// # Errors
/// As [`load_paths`], and `NothingToValidate`.
pub fn load_bundle<P: AsRef<Path>>(paths: &[P], options: &Options) -> Result<Pool, Error> {
    let pool = load_paths(paths, options)?;
    if pool.certificates().is_empty() && pool.requests().is_empty() && pool.extra_ca().is_empty() {
        let last = paths
            .last()
            .map(|p| p.as_ref().display().to_string())
            .unwrap_or_default();
        return Err(Error::new(&Source::file(last), ErrorKind::NothingToValidate));
    }
    Ok(pool)
}

/// Every file under `paths` (directories walked recursively, in name order),
/// each validated as its own bundle, in parallel on all cores. Reports come
/// back in file order. A CA link verified for one bundle is not verified
/// again for the next (the bundles of a batch usually share their CAs).
///
/// The walk never follows a symbolic link inside a directory (a link loop
/// cannot make it run forever) and validates each regular file once, even
/// when it is reached twice; a directory with no regular file in it gets an
/// error report saying so. A bundle whose validation panics gets an
/// [`ErrorKind::Internal`] error report, and every other bundle's report
/// still comes back.
pub fn validate_each<P: AsRef<Path>>(paths: &[P], options: &Options) -> Vec<(PathBuf, Report)> {
    let cache = SignatureCache::new();
    validate_each_with(paths, options, |file, options| {
        validate_paths_sharing(std::slice::from_ref(&file), options, Some(&cache))
    })
}

/// [`validate_each`] with the per-bundle step given (tests inject a failing one).
fn validate_each_with<P, F>(paths: &[P], options: &Options, validate_one: F) -> Vec<(PathBuf, Report)>
where
    P: AsRef<Path>,
    F: Fn(&Path, &Options) -> Report + Sync,
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
    // A shared queue: each worker takes the next file when it is done, so
    // one slow file does not leave the other cores idle.
    let next = AtomicUsize::new(0);
    let mut reports: Vec<Option<Report>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let done: Vec<(usize, Report)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        done.push((index, one(item)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (index, report) in done {
        if let Some(slot) = reports.get_mut(index) {
            *slot = Some(report);
        }
    }
    items
        .into_iter()
        .zip(reports)
        .map(|(item, report)| {
            // A worker that died leaves its bundles without a report: say so.
            let report = report.unwrap_or_else(|| error_report(item.path(), ErrorKind::Internal, options));
            (item.into_path(), report)
        })
        .collect()
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

    fn into_path(self) -> PathBuf {
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

    /// A bundle whose validation panics is reported as an internal error;
    /// the bundles before and after it still get their own reports.
    #[test]
    fn a_panicking_bundle_gets_an_error_report_and_the_others_still_come_back() {
        let dir = std::env::temp_dir().join(format!("certbundle-panic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["a.pem", "b.pem", "c.pem"] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let options = Options::default();
        let reports = validate_each_with(&[&dir], &options, |file, options| {
            if file.ends_with("b.pem") {
                panic!("injected failure");
            }
            validate_paths(&[file], options)
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
