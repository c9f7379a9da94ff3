//! Keeping secrets out of core files.
//!
//! A validator holds passwords and decrypted private keys in memory; a crash
//! (or an abort inside a C library) would write them into a core file, where
//! anyone who can read the crash directory finds them.

/// Disables core dumps for this process, before any secret is read: the
/// core size limit becomes 0 (soft and hard, so it cannot be raised back),
/// and on Linux the process is marked not dumpable (`PR_SET_DUMPABLE` 0),
/// which also keeps other processes of the same user from attaching to it.
///
/// Call it first thing in `main` of a tool that reads passwords or keys.
///
/// # Errors
/// The operating system's refusal, from the first call that failed. On
/// platforms without these controls it does nothing and succeeds.
pub fn harden_process() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use rustix::process::{setrlimit, Resource, Rlimit};
        setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: Some(0),
            },
        )?;
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)?;
    Ok(())
}

#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
#[allow(clippy::unwrap_used)]
mod tests {
    use rustix::process::{dumpable_behavior, getrlimit, DumpableBehavior, Resource};

    #[test]
    fn hardening_sets_the_core_limit_to_zero_and_the_process_not_dumpable() {
        super::harden_process().unwrap();
        let core = getrlimit(Resource::Core);
        assert_eq!((core.current, core.maximum), (Some(0), Some(0)));
        assert_eq!(dumpable_behavior().unwrap(), DumpableBehavior::NotDumpable);
        // A second call (hard limit already 0) still succeeds.
        super::harden_process().unwrap();
    }
}
