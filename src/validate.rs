//! The library's front door: load inputs into a pool, build the chain, run
//! the checks, get the report.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::chain::Chain;
use crate::checks::{self, Context};
use crate::error::{Error, ErrorKind};
use crate::input::{Input, Limits, Password};
use crate::model::{Certificate, Pool, PrivateKey, Source};
use crate::profile::Profile;
use crate::report::{CertSummary, Report};

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
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// Ceilings on what inputs may ask for.
    pub limits: Limits,
    /// Password for PKCS#12 files and encrypted keys.
    pub password: Option<Password>,
    /// Which rules to apply.
    pub profile: Profile,
    /// Validation time in seconds since the Unix epoch; `None` means now
    /// (read once, when validation starts).
    pub at: Option<i64>,
    /// The roots the peer trusts (e.g. from [`load_paths`] of the server's
    /// CA file). When not empty, `chain.complete` requires the chain to end
    /// at one of them: at a root with the same name and key, or at a
    /// certificate that one of them verifiably issued.
    pub trust_anchors: Vec<Certificate>,
    /// The server's CA certificates, which the client must trust (e.g. from
    /// [`load_paths`] of the network's CA file). Kept apart from the client's
    /// pool like a zip's extra CA chain: never a chain candidate, never
    /// unrelated; part of [`Validation::server_side`].
    pub server_cas: Vec<Certificate>,
    /// The leaf warns (`validity`) when it expires within this many days.
    pub warn_days: u32,
}

/// The default expiry warning window, in days.
pub(crate) const DEFAULT_WARN_DAYS: u32 = 30;

impl Default for Options {
    fn default() -> Self {
        Options {
            limits: Limits::default(),
            password: None,
            profile: Profile::default(),
            at: None,
            trust_anchors: Vec::new(),
            server_cas: Vec::new(),
            warn_days: DEFAULT_WARN_DAYS,
        }
    }
}

impl Options {
    /// With these limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// With this password for encrypted inputs.
    #[must_use]
    pub fn with_password(mut self, password: Password) -> Self {
        self.password = Some(password);
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

    /// With the server's CA certificates.
    #[must_use]
    pub fn with_server_cas(mut self, cas: Vec<Certificate>) -> Self {
        self.server_cas = cas;
        self
    }

    /// Warning when the leaf expires within `days` days.
    #[must_use]
    pub fn with_warn_days(mut self, days: u32) -> Self {
        self.warn_days = days;
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
    for input in inputs {
        add(&mut pool, input, options)?;
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
    for path in paths {
        add(&mut pool, &Input::from_path(path, &options.limits)?, options)?;
    }
    Ok(pool)
}

/// Decodes one input into the pool, keeping the pool within its limit.
fn add(pool: &mut Pool, input: &Input, options: &Options) -> Result<(), Error> {
    pool.merge(crate::decode(input, &options.limits, options.password.as_ref())?);
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
#[derive(Debug)]
pub struct Validation<'p> {
    pool: &'p Pool,
    chain: Chain<'p>,
    server_cas: Vec<Certificate>,
    report: Report,
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

    /// The server side: what the client must trust to know the server. The
    /// certificates of the extra CA chains (a zip download's server CA chain)
    /// and the server CAs of [`Options::server_cas`], each once (by SHA-256),
    /// in that order.
    pub fn server_side(&self) -> Vec<&Certificate> {
        let mut seen = std::collections::HashSet::new();
        self.pool
            .extra_ca()
            .iter()
            .flat_map(|chain| chain.certificates())
            .chain(&self.server_cas)
            .filter(|c| seen.insert(*c.sha256()))
            .collect()
    }

    /// The server CAs given in [`Options::server_cas`].
    pub fn server_cas(&self) -> &[Certificate] {
        &self.server_cas
    }

    /// The pool the chain was built from.
    pub fn pool(&self) -> &'p Pool {
        self.pool
    }
}

/// Builds the chain and runs every check.
pub fn validate<'p>(pool: &'p Pool, options: &Options) -> Validation<'p> {
    let at = options.time();
    let chain = Chain::of(pool);
    let ctx = Context {
        pool,
        chain: &chain,
        at,
        profile: options.profile,
        anchors: &options.trust_anchors,
        server_cas: &options.server_cas,
        warn_days: i64::from(options.warn_days),
    };
    let (statuses, findings) = checks::run_all(&ctx);
    let mut report = Report::new(pool, &chain, statuses, findings, at, options.profile);
    report.server_ca = options.server_cas.iter().map(CertSummary::of).collect();
    Validation {
        pool,
        chain,
        server_cas: options.server_cas.clone(),
        report,
    }
}

/// Loads and validates files as one bundle; an input error becomes a report
/// with verdict `error`.
pub fn validate_paths<P: AsRef<Path>>(paths: &[P], options: &Options) -> Report {
    match load_paths(paths, options) {
        Ok(pool) => validate(&pool, options).into_report(),
        Err(error) => Report::from_error(&error, options.time(), options.profile),
    }
}

/// Every file under `paths` (directories walked recursively, in name order),
/// each validated as its own bundle, in parallel on all cores. Reports come
/// back in file order.
pub fn validate_each<P: AsRef<Path>>(paths: &[P], options: &Options) -> Vec<(PathBuf, Report)> {
    let mut files = Vec::new();
    for path in paths {
        collect_files(path.as_ref(), &mut files);
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    // A shared queue: each worker takes the next file when it is done, so
    // one slow file does not leave the other cores idle.
    let next = AtomicUsize::new(0);
    let mut reports: Vec<(usize, PathBuf, Report)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(index) else { break };
                        done.push((
                            index,
                            file.clone(),
                            validate_paths(std::slice::from_ref(file), options),
                        ));
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
    reports.sort_unstable_by_key(|(index, _, _)| *index);
    reports
        .into_iter()
        .map(|(_, file, report)| (file, report))
        .collect()
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(read) = std::fs::read_dir(path) else {
            // Unreadable directory: validate it as a file so the error is reported.
            out.push(path.to_path_buf());
            return;
        };
        let mut children: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children {
            collect_files(&child, out);
        }
    } else {
        out.push(path.to_path_buf());
    }
}
