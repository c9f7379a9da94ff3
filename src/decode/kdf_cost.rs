//! KDF cost checks: the parameters a decryptor is about to use, checked
//! against [`Limits`] right before it uses them, and charged to a budget.
//!
//! There is no pre-scan of the file: each decryptor (the PKCS#12 MAC, a
//! PBES2 or PKCS#12-PBE bag, an encrypted PKCS#8 key) reads its own
//! parameters, with the tags it accepts, and hands them here before it
//! derives a key. Parameters behind a ciphertext are therefore checked when
//! that ciphertext has been opened, never skipped.
//!
//! Work is counted in hash compressions: a PBKDF2 iteration is two per
//! output block (HMAC), a PKCS#12-KDF iteration one per output block, and
//! scrypt 2 x N x r x p (its Salsa20/8 cores cost about half a compression
//! each, four per N x r). The sums over one input and over one run (one
//! `load` call: one bundle; or one batch: all its bundles, so that a
//! directory of files each within the input limit cannot add up to an
//! unbounded run) are bounded by [`Limits::max_kdf_work_per_input`] and
//! [`Limits::max_kdf_work_per_run`].

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::asn1::{tag, Tlv};
use crate::error::ErrorKind;
use crate::input::Limits;

/// `expected` of a malformed-parameter error.
const KDF_PARAMETERS: &str = "KDF parameters";

/// Longest derived key accepted, in bytes (AES-256 needs 32).
const MAX_KEY_BYTES: u64 = 64;

/// The KDF work spent in one run, shared by its inputs (and, in a batch,
/// by the threads validating its bundles).
#[derive(Debug, Default)]
pub(crate) struct RunMeter {
    spent: AtomicU64,
    scope: Scope,
}

/// What one run is, for the error that says its budget is spent.
#[derive(Debug, Default, Clone, Copy)]
enum Scope {
    #[default]
    Bundle,
    Batch,
}

impl RunMeter {
    /// The meter of a batch: every bundle's inputs charge it.
    pub(crate) fn batch() -> Self {
        RunMeter {
            spent: AtomicU64::new(0),
            scope: Scope::Batch,
        }
    }

    /// Adds `work` unless the sum would pass `limit`; else the sum it would be.
    fn charge(&self, work: u64, limit: u64) -> Result<(), u64> {
        self.spent
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |spent| {
                Some(spent.saturating_add(work)).filter(|&sum| sum <= limit)
            })
            .map(|_| ())
            .map_err(|spent| spent.saturating_add(work))
    }
}

/// Checks and charges KDF parameters for one input.
pub(crate) struct KdfMeter<'a> {
    limits: &'a Limits,
    input: Cell<u64>,
    run: &'a RunMeter,
}

impl<'a> KdfMeter<'a> {
    /// A meter for one input of the run that `run` counts.
    pub(crate) fn new(limits: &'a Limits, run: &'a RunMeter) -> Self {
        KdfMeter {
            limits,
            input: Cell::new(0),
            run,
        }
    }

    /// PBKDF2 with `iterations` and `blocks` output blocks of its PRF.
    pub(crate) fn pbkdf2(&self, iterations: u64, blocks: u64) -> Result<(), ErrorKind> {
        self.iterations(iterations)?;
        self.charge(iterations.saturating_mul(blocks).saturating_mul(2))
    }

    /// The PKCS#12 KDF (RFC 7292 B.2) with `iterations`, producing `blocks`
    /// digest blocks in all.
    pub(crate) fn pkcs12(&self, iterations: u64, blocks: u64) -> Result<(), ErrorKind> {
        self.iterations(iterations)?;
        self.charge(iterations.saturating_mul(blocks))
    }

    /// scrypt (RFC 7914) with cost `n`, block size `r`, parallelism `p` and
    /// an optional explicit key length.
    pub(crate) fn scrypt(&self, n: u64, r: u64, p: u64, key_length: Option<u64>) -> Result<(), ErrorKind> {
        if n < 2 || !n.is_power_of_two() {
            return Err(ErrorKind::malformed(
                KDF_PARAMETERS,
                format!("scrypt cost N = {n} is not a power of two greater than 1"),
            ));
        }
        // RFC 7914 section 2: r * p < 2^30, both positive.
        if r == 0 || p == 0 || r.saturating_mul(p) >= 1 << 30 {
            return Err(ErrorKind::malformed(
                KDF_PARAMETERS,
                format!(
                    "scrypt block size r = {r} and parallelism p = {p} must be positive with r * p < 2^30"
                ),
            ));
        }
        key_length_sane(key_length)?;
        let memory = 128u64.saturating_mul(n).saturating_mul(r).saturating_mul(p);
        ErrorKind::at_most(
            "scrypt memory (128 * N * r * p bytes)",
            self.limits.max_scrypt_memory,
            memory,
            " (raise Limits::max_scrypt_memory if this file is trusted)",
        )?;
        self.charge(n.saturating_mul(r).saturating_mul(p).saturating_mul(2))
    }

    fn iterations(&self, iterations: u64) -> Result<(), ErrorKind> {
        if iterations == 0 {
            return Err(ErrorKind::malformed(KDF_PARAMETERS, "iteration count is 0"));
        }
        ErrorKind::at_most(
            "KDF iteration count",
            self.limits.max_kdf_iterations,
            iterations,
            " (raise Limits::max_kdf_iterations if this file is trusted)",
        )
    }

    /// Adds `work` to both sums, refusing it (uncharged) when either would
    /// pass its limit.
    fn charge(&self, work: u64) -> Result<(), ErrorKind> {
        let input = self.input.get().saturating_add(work);
        ErrorKind::at_most(
            "KDF work for this input (hash compressions over every bag and key)",
            self.limits.max_kdf_work_per_input,
            input,
            " (raise Limits::max_kdf_work_per_input if this file is trusted)",
        )?;
        self.run
            .charge(work, self.limits.max_kdf_work_per_run)
            .map_err(|found| ErrorKind::LimitExceeded {
                what: match self.run.scope {
                    Scope::Bundle => "KDF work for this bundle (hash compressions over every input)",
                    Scope::Batch => "KDF work for this batch (hash compressions over every bundle)",
                },
                limit: self.limits.max_kdf_work_per_run,
                found,
                hint: " (raise Limits::max_kdf_work_per_run if these files are trusted)",
            })?;
        self.input.set(input);
        Ok(())
    }
}

/// An explicit derived-key length must be 1 to 64 bytes.
pub(crate) fn key_length_sane(key_length: Option<u64>) -> Result<(), ErrorKind> {
    match key_length {
        Some(len) if len == 0 || len > MAX_KEY_BYTES => Err(ErrorKind::malformed(
            KDF_PARAMETERS,
            format!("derived key length {len} is outside 1..={MAX_KEY_BYTES} bytes"),
        )),
        _ => Ok(()),
    }
}

/// Reads an iteration count INTEGER: one too large for 64 bits counts as
/// `u64::MAX` (and so exceeds any limit); a negative one is malformed.
pub(crate) fn iteration_count(count: &Tlv<'_>) -> Result<u64, ErrorKind> {
    if count.tag != tag::INTEGER || count.value.is_empty() {
        return Err(ErrorKind::malformed(
            KDF_PARAMETERS,
            "iteration count is not an INTEGER",
        ));
    }
    if count.value.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(ErrorKind::malformed(
            KDF_PARAMETERS,
            "iteration count is negative",
        ));
    }
    Ok(count.as_u64().unwrap_or(u64::MAX))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits::default()
    }

    #[test]
    fn scrypt_n_must_be_a_power_of_two_above_one() {
        let (limits, run) = (limits(), RunMeter::default());
        let meter = KdfMeter::new(&limits, &run);
        for n in [0, 1, 3, 1000] {
            let err = meter.scrypt(n, 8, 1, None).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("malformed KDF parameters: scrypt cost N = {n} is not a power of two greater than 1")
            );
        }
        assert!(meter.scrypt(1 << 14, 8, 1, Some(32)).is_ok());
        assert!(meter.scrypt(1 << 14, 0, 1, None).is_err());
        assert!(meter.scrypt(1 << 14, 8, 0, None).is_err());
        assert!(meter.scrypt(1 << 14, 8, 1, Some(0)).is_err());
        assert!(meter.scrypt(1 << 14, 8, 1, Some(65)).is_err());
    }

    #[test]
    fn scrypt_memory_above_the_limit_is_refused() {
        let (limits, run) = (limits(), RunMeter::default());
        let err = KdfMeter::new(&limits, &run)
            .scrypt(1 << 21, 8, 1, None)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "scrypt memory (128 * N * r * p bytes) exceeds the limit: 2147483648 > 268435456 \
             (raise Limits::max_scrypt_memory if this file is trusted)"
        );
    }

    #[test]
    fn zero_iterations_are_malformed_and_too_many_exceed_the_limit() {
        let (limits, run) = (limits(), RunMeter::default());
        let meter = KdfMeter::new(&limits, &run);
        assert_eq!(
            meter.pbkdf2(0, 1).unwrap_err().to_string(),
            "malformed KDF parameters: iteration count is 0"
        );
        assert!(matches!(
            meter.pkcs12(1 << 31, 1).unwrap_err(),
            ErrorKind::LimitExceeded {
                found: 0x8000_0000,
                ..
            }
        ));
    }

    #[test]
    fn work_is_summed_per_input_and_per_run() {
        let mut limits = limits();
        limits.max_kdf_work_per_input = 10_000;
        limits.max_kdf_work_per_run = 15_000;
        let run = RunMeter::default();
        let first = KdfMeter::new(&limits, &run);
        for _ in 0..5 {
            first.pkcs12(2_000, 1).unwrap();
        }
        let err = first.pkcs12(1, 1).unwrap_err().to_string();
        assert_eq!(
            err,
            "KDF work for this input (hash compressions over every bag and key) exceeds the limit: \
             10001 > 10000 (raise Limits::max_kdf_work_per_input if this file is trusted)"
        );
        let second = KdfMeter::new(&limits, &run);
        second.pbkdf2(2_500, 1).unwrap();
        let err = second.pbkdf2(1, 1).unwrap_err().to_string();
        assert!(
            err.contains("15002 > 15000 (raise Limits::max_kdf_work_per_run"),
            "{err}"
        );
    }

    /// A batch's meter is charged from every thread validating its bundles:
    /// the work admitted never passes the limit, however they interleave.
    #[test]
    fn a_batch_meter_admits_no_more_than_its_limit_across_threads() {
        let mut limits = limits();
        limits.max_kdf_work_per_run = 15_000;
        let run = RunMeter::batch();
        let admitted: u64 = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|_| {
                    scope.spawn(|| {
                        let meter = KdfMeter::new(&limits, &run);
                        (0..5).filter(|_| meter.pkcs12(1_000, 1).is_ok()).count() as u64
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).sum()
        });
        assert_eq!(admitted, 15);
        assert_eq!(run.spent.load(Ordering::Relaxed), 15_000);
        let err = KdfMeter::new(&limits, &run).pkcs12(1, 1).unwrap_err().to_string();
        assert_eq!(
            err,
            "KDF work for this batch (hash compressions over every bundle) exceeds the limit: \
             15001 > 15000 (raise Limits::max_kdf_work_per_run if these files are trusted)"
        );
    }

    #[test]
    fn iteration_counts_too_big_for_u64_count_as_the_maximum() {
        let big = Tlv {
            tag: tag::INTEGER,
            value: &[0x7f; 12],
        };
        assert_eq!(iteration_count(&big).unwrap(), u64::MAX);
        let negative = Tlv {
            tag: tag::INTEGER,
            value: &[0xff],
        };
        assert!(iteration_count(&negative).is_err());
    }
}
