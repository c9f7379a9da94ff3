//! The library's front door: load inputs into a pool, build the chain, run
//! the checks, get the report.

use std::path::Path;

use crate::chain::{BuildOptions, Chain, SignatureCache};
use crate::checks::{self, Context};
use crate::decode::{decode_in_run, Run};
use crate::error::{Error, ErrorKind};
use crate::finding::{CheckId, Status};
use crate::input::{Input, Limits, Password};
use crate::model::{Certificate, Pool, PrivateKey, Source};
use crate::profile::Profile;
use crate::report::{CertSummary, Report};
use crate::timestamp::Time;

/// How to load and validate: a value with builder-style setters.
///
/// ```
/// use certbundle::{Options, Password, Profile};
/// let options = Options::default()
///     .with_profile(Profile::KmpMtf)
///     .with_password(Password::new("test1234"))
///     .with_at("2026-12-01T00:00:00Z".parse()?);
/// assert_eq!(options.time().unix(), 1_796_083_200);
/// # Ok::<(), certbundle::ParseTimeError>(())
/// ```
#[derive(Debug, Clone)]
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
    /// Validation time; `None` means now (read once, when validation
    /// starts).
    pub at: Option<Time>,
    /// The roots the peer trusts (e.g. from [`load_paths`] of the server's
    /// CA file). When not empty, `chain.complete` requires the chain to end
    /// at one of them: at a root with the same name and key, or at a
    /// certificate that one of them verifiably issued. The issuer search
    /// stops at the first anchor it reaches, and an anchor the chain ends
    /// at is held to the root's checks (`ca.constraints`, `validity`).
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
            passwords: Vec::new(),
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

    /// Validated at this time instead of now.
    #[must_use]
    pub fn with_at(mut self, at: Time) -> Self {
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
    pub fn time(&self) -> Time {
        self.at.unwrap_or_else(Time::now)
    }
}

/// Decodes every input into one pool.
///
/// # Errors
/// The first input that cannot be read, or a pool larger than
/// [`Limits::max_certificates`].
pub fn load(inputs: &[Input], options: &Options) -> Result<Pool, Error> {
    let mut pool = Pool::new();
    let run = Run::bundle();
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
    load_paths_in(paths, options, &Run::bundle())
}

/// [`load_paths`] as one bundle of `run`.
fn load_paths_in<P: AsRef<Path>>(paths: &[P], options: &Options, run: &Run) -> Result<Pool, Error> {
    let mut pool = Pool::new();
    for path in paths {
        add(&mut pool, &Input::from_path(path, &options.limits)?, options, run)?;
    }
    Ok(pool)
}

/// Decodes one input into the pool, keeping the pool within its limit.
fn add(pool: &mut Pool, input: &Input, options: &Options, run: &Run) -> Result<(), Error> {
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
/// What uses the bundle (`Validation::client_config`, the
/// [`export`](crate::export) functions) refuses an invalid one with
/// [`InvalidBundle`], as the command line does, unless the caller asked for
/// it explicitly with [`Validation::accept_invalid`]. A failing
/// `chain.order` alone does not count: the chain is always handed out and
/// written leaf first, which repairs it.
#[derive(Debug)]
pub struct Validation<'p> {
    pool: &'p Pool,
    chain: Chain<'p>,
    server_cas: Vec<Certificate>,
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
        accept_invalid: false,
    }
}

/// Loads and validates files as one bundle and gives its report alone: the
/// pool is dropped on return, so there is no [`Validation`] to borrow it
/// (use [`load_bundle`] and [`validate`] for the chain and key). An input
/// error becomes a report with verdict `error`.
pub fn report_paths<P: AsRef<Path>>(paths: &[P], options: &Options) -> Report {
    validate_paths_sharing(paths, options, &Run::bundle(), None)
}

/// [`report_paths`] as one bundle of `run`, with signature verifications
/// shared with the other bundles when `cache` is given.
pub(crate) fn validate_paths_sharing<P: AsRef<Path>>(
    paths: &[P],
    options: &Options,
    run: &Run,
    cache: Option<&SignatureCache>,
) -> Report {
    match load_bundle_in(paths, options, run) {
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
    load_bundle_in(paths, options, &Run::bundle())
}

/// [`load_bundle`] as one bundle of `run`.
fn load_bundle_in<P: AsRef<Path>>(paths: &[P], options: &Options, run: &Run) -> Result<Pool, Error> {
    let pool = load_paths_in(paths, options, run)?;
    if pool.certificates().is_empty() && pool.requests().is_empty() && pool.extra_ca().is_empty() {
        let last = paths
            .last()
            .map(|p| p.as_ref().display().to_string())
            .unwrap_or_default();
        return Err(Error::new(&Source::file(last), ErrorKind::NothingToValidate));
    }
    Ok(pool)
}
