//! The one way the library writes a file: a temporary file beside the target,
//! created exclusively (`O_CREAT|O_EXCL|O_NOFOLLOW`) with its final mode,
//! written and synced, then moved into place in one step. A reader sees the
//! old file or the whole new one, never a part; a failure leaves the target as
//! it was and removes the temporary file.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How the target may be treated when it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Existing {
    /// Refuse: anything at the target (file, symlink, device, folder) is a
    /// [`WriteError::Exists`], and the final step cannot clobber a file that
    /// appears meanwhile (it is a hard link, which fails when the name is taken).
    Refuse,
    /// Replace it with a rename, which replaces a symlink at the target
    /// itself: the file the link pointed to is untouched.
    Replace,
    /// Update a file that exists (a trust store) keeping its permission bits;
    /// when the target is a symlink the user named, follow it once and write
    /// beside the file it points to. An absent target is created as with
    /// `Refuse`. The new file's owner is the writer (as with any rename).
    // For adding to an existing trust store (issue 11 point 5), not yet wired.
    #[cfg_attr(not(test), allow(dead_code))]
    UpdateInPlace,
}

/// What to write with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WriteOptions {
    /// The file holds a private key: mode `0600`, exactly, whatever the umask.
    pub(crate) secret: bool,
    /// What to do with an existing target.
    pub(crate) existing: Existing,
}

/// Why a file was not written. The target is unchanged either way.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    /// Something already exists at the target.
    #[error("{}: the file exists and was left unchanged", .0.display())]
    Exists(PathBuf),
    /// Creating, writing, syncing or moving the file failed.
    #[error("{}: cannot write file: {source}", file.display())]
    Io {
        /// The target.
        file: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
}

/// Mode of files that hold no key (the umask may narrow it).
const PUBLIC_MODE: u32 = 0o644;
/// Mode of key-holding files.
const SECRET_MODE: u32 = 0o600;
/// Attempts at an unused temporary name before giving up.
const TEMP_ATTEMPTS: u32 = 16;

/// Writes `bytes` to `target` atomically, as `how` says.
///
/// # Errors
/// [`WriteError::Exists`] when the target exists and `how` refuses it;
/// [`WriteError::Io`] for every other failure. In both cases the target is
/// unchanged and no temporary file is left behind.
pub(crate) fn write_file(target: &Path, bytes: &[u8], how: &WriteOptions) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        file: target.to_path_buf(),
        source,
    };
    let mut existing = how.existing;
    let mut dest = target.to_path_buf();
    let mut mode = if how.secret { SECRET_MODE } else { PUBLIC_MODE };
    let mut exact_mode = how.secret;
    match (existing, std::fs::symlink_metadata(target)) {
        (Existing::Refuse, Ok(_)) => return Err(WriteError::Exists(target.to_path_buf())),
        (Existing::UpdateInPlace, Ok(meta)) => {
            if meta.file_type().is_symlink() {
                dest = follow_once(target).map_err(io)?;
            }
            match std::fs::metadata(&dest) {
                Ok(meta) => {
                    mode = permission_bits(&meta);
                    exact_mode = true;
                }
                // A dangling link: create the file it names.
                Err(e) if e.kind() == io::ErrorKind::NotFound => existing = Existing::Refuse,
                Err(e) => return Err(io(e)),
            }
        }
        (Existing::UpdateInPlace, Err(e)) if e.kind() == io::ErrorKind::NotFound => {
            existing = Existing::Refuse;
        }
        (_, Err(e)) if e.kind() != io::ErrorKind::NotFound => return Err(io(e)),
        _ => {}
    }
    let dir = match dest.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (temp, mut file) = create_temp(&dir, &dest, mode, exact_mode).map_err(io)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    let placed = written
        .map_err(io)
        .and_then(|()| place(&temp, &dest, existing, target));
    if placed.is_err() {
        // Best effort: the error to report is the one that got us here.
        let _ = std::fs::remove_file(&temp);
        return placed;
    }
    // The rename is durable once the folder's entry is on disk; a folder
    // that cannot be opened or synced (some network file systems) does not
    // undo a write that has already happened.
    if let Ok(dir) = File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Moves the written temporary file to `dest`.
fn place(temp: &Path, dest: &Path, existing: Existing, target: &Path) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        file: target.to_path_buf(),
        source,
    };
    if existing != Existing::Refuse {
        return std::fs::rename(temp, dest).map_err(io);
    }
    match std::fs::hard_link(temp, dest) {
        // The file is in place: a temporary name that cannot be removed
        // is left over, not a failed write.
        Ok(()) => {
            let _ = std::fs::remove_file(temp);
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(WriteError::Exists(target.to_path_buf())),
        // File systems without hard links (FAT, some FUSE mounts): check
        // again and rename; only a file created in between can be clobbered.
        Err(e) if no_hard_links(&e) => match std::fs::symlink_metadata(dest) {
            Ok(_) => Err(WriteError::Exists(target.to_path_buf())),
            Err(_) => std::fs::rename(temp, dest).map_err(io),
        },
        Err(e) => Err(io(e)),
    }
}

#[cfg(unix)]
fn no_hard_links(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EPERM | libc::EOPNOTSUPP | libc::ENOSYS)
    )
}

#[cfg(not(unix))]
fn no_hard_links(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported
}

/// The file a symlink points to, resolved against the link's folder; a link
/// to another link is refused rather than followed further.
fn follow_once(link: &Path) -> io::Result<PathBuf> {
    let to = std::fs::read_link(link)?;
    let dest = match link.parent() {
        Some(dir) if to.is_relative() => dir.join(to),
        _ => to,
    };
    match std::fs::symlink_metadata(&dest) {
        Ok(meta) if meta.file_type().is_symlink() => Err(io::Error::other(format!(
            "it is a link to {}, itself a link: name the file itself",
            dest.display()
        ))),
        _ => Ok(dest),
    }
}

/// Creates an unused `.NAME.PID.RANDOM.tmp` beside `dest`, exclusively,
/// never through a symlink, with `mode` from the start (exactly `mode` when
/// `exact`, else as the umask narrows it).
fn create_temp(dir: &Path, dest: &Path, mode: u32, exact: bool) -> io::Result<(PathBuf, File)> {
    // A prefix of the target's name: with the 40 characters added, a long
    // name must not exceed the file system's 255.
    let name: String = dest
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(64).collect())
        .unwrap_or_default();
    let mut last = io::Error::other("no temporary name was free");
    for _ in 0..TEMP_ATTEMPTS {
        let mut random = [0u8; 8];
        aws_lc_rs::rand::fill(&mut random)
            .map_err(|_| io::Error::other("no random bytes for a temporary name"))?;
        let temp = dir.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            crate::digest::hex(&random)
        ));
        let mut open = OpenOptions::new();
        open.write(true).create_new(true);
        restrict(&mut open, mode);
        match open.open(&temp) {
            Ok(file) => {
                if exact {
                    if let Err(e) = set_mode(&file, mode) {
                        let _ = std::fs::remove_file(&temp);
                        return Err(e);
                    }
                }
                return Ok((temp, file));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

#[cfg(unix)]
fn restrict(open: &mut OpenOptions, mode: u32) {
    use std::os::unix::fs::OpenOptionsExt;
    open.mode(mode).custom_flags(libc::O_NOFOLLOW);
}

#[cfg(not(unix))]
fn restrict(_: &mut OpenOptions, _: u32) {}

/// Sets the mode on the open file, before any byte is written: the umask
/// narrowed the creation mode, and a key must be `0600` whatever it is.
#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &File, _: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn permission_bits(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn permission_bits(_: &std::fs::Metadata) -> u32 {
    PUBLIC_MODE
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::test_support::{entries, scratch};
    use std::os::unix::fs::{symlink, PermissionsExt};

    const NEW: WriteOptions = WriteOptions {
        secret: false,
        existing: Existing::Refuse,
    };
    const REPLACE: WriteOptions = WriteOptions {
        secret: false,
        existing: Existing::Replace,
    };
    const UPDATE: WriteOptions = WriteOptions {
        secret: false,
        existing: Existing::UpdateInPlace,
    };

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_new_file_is_written_and_no_temporary_file_stays() {
        let dir = scratch("new");
        let file = dir.join("chain.pem");
        write_file(&file, b"hello", &NEW).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"hello");
        assert_eq!(entries(&dir), ["chain.pem"]);
    }

    #[test]
    fn an_existing_file_is_refused_and_left_unchanged() {
        let dir = scratch("exists");
        let file = dir.join("chain.pem");
        std::fs::write(&file, b"old").unwrap();
        let error = write_file(&file, b"new", &NEW).unwrap_err();
        assert!(matches!(&error, WriteError::Exists(p) if p == &file), "{error:?}");
        assert_eq!(
            error.to_string(),
            format!("{}: the file exists and was left unchanged", file.display())
        );
        assert_eq!(std::fs::read(&file).unwrap(), b"old");
        assert_eq!(entries(&dir), ["chain.pem"]);
    }

    #[test]
    fn a_dangling_symlink_or_a_folder_at_the_target_counts_as_existing() {
        let dir = scratch("exists-other");
        let link = dir.join("link.pem");
        symlink(dir.join("nowhere"), &link).unwrap();
        assert!(matches!(
            write_file(&link, b"x", &NEW),
            Err(WriteError::Exists(_))
        ));
        assert!(!dir.join("nowhere").exists(), "the link was not followed");
        let sub = dir.join("sub");
        std::fs::create_dir(&sub).unwrap();
        assert!(matches!(write_file(&sub, b"x", &NEW), Err(WriteError::Exists(_))));
        assert_eq!(entries(&dir), ["link.pem", "sub"]);
    }

    #[test]
    fn the_final_step_refuses_a_file_that_appeared_after_the_check() {
        let dir = scratch("race");
        let temp = dir.join(".t.tmp");
        let file = dir.join("key.pem");
        std::fs::write(&temp, b"new").unwrap();
        std::fs::write(&file, b"theirs").unwrap();
        let error = place(&temp, &file, Existing::Refuse, &file).unwrap_err();
        assert!(matches!(error, WriteError::Exists(_)), "{error:?}");
        assert_eq!(std::fs::read(&file).unwrap(), b"theirs");
    }

    #[test]
    fn replace_overwrites_a_file() {
        let dir = scratch("replace");
        let file = dir.join("chain.pem");
        std::fs::write(&file, b"old").unwrap();
        write_file(&file, b"new", &REPLACE).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        assert_eq!(entries(&dir), ["chain.pem"]);
    }

    #[test]
    fn replace_replaces_a_symlink_itself_and_not_the_file_it_points_to() {
        let dir = scratch("replace-link");
        let victim = dir.join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        let link = dir.join("out.pem");
        symlink(&victim, &link).unwrap();
        write_file(&link, b"new", &REPLACE).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert!(!std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&link).unwrap(), b"new");
    }

    #[test]
    fn a_key_file_is_0600_and_a_public_one_0644_at_most() {
        let dir = scratch("modes");
        let key = dir.join("client.key");
        write_file(
            &key,
            b"k",
            &WriteOptions {
                secret: true,
                existing: Existing::Refuse,
            },
        )
        .unwrap();
        // Exactly 0600, set on the open file: the umask (0 or 077) does not
        // change it (tests/request.rs runs the writer under umask 0).
        assert_eq!(mode(&key), 0o600);
        let chain = dir.join("chain.pem");
        write_file(&chain, b"c", &NEW).unwrap();
        assert_eq!(mode(&chain) & !0o644, 0, "never wider than 0644");
        // A key replacing a world-readable file does not inherit its mode.
        std::fs::set_permissions(&chain, std::fs::Permissions::from_mode(0o666)).unwrap();
        write_file(
            &chain,
            b"k",
            &WriteOptions {
                secret: true,
                existing: Existing::Replace,
            },
        )
        .unwrap();
        assert_eq!(mode(&chain), 0o600);
    }

    #[test]
    fn a_failed_rename_leaves_no_temporary_file_and_the_target_unchanged() {
        let dir = scratch("fail-rename");
        let sub = dir.join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("inside"), b"x").unwrap();
        // Renaming a file over a non-empty folder fails after the write.
        let error = write_file(&sub, b"data", &REPLACE).unwrap_err();
        assert!(
            matches!(&error, WriteError::Io { file, .. } if file == &sub),
            "{error:?}"
        );
        assert_eq!(entries(&dir), ["sub"]);
        assert_eq!(entries(&sub), ["inside"]);
    }

    #[test]
    fn a_missing_folder_fails_naming_the_target_and_creates_nothing() {
        let dir = scratch("fail-dir");
        let file = dir.join("missing").join("chain.pem");
        let error = write_file(&file, b"data", &NEW).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with(&format!("{}: cannot write file: ", file.display())),
            "{error}"
        );
        assert!(entries(&dir).is_empty());
    }

    #[test]
    fn a_long_target_name_still_gets_a_temporary_file() {
        let dir = scratch("long-name");
        let file = dir.join("x".repeat(250));
        write_file(&file, b"data", &NEW).unwrap();
        assert_eq!(entries(&dir), ["x".repeat(250)]);
    }

    #[test]
    fn update_in_place_keeps_the_mode() {
        let dir = scratch("update");
        let store = dir.join("cacerts");
        std::fs::write(&store, b"old").unwrap();
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_file(&store, b"new", &UPDATE).unwrap();
        assert_eq!(std::fs::read(&store).unwrap(), b"new");
        assert_eq!(mode(&store), 0o640);
        assert_eq!(entries(&dir), ["cacerts"]);
    }

    #[test]
    fn update_in_place_follows_a_named_symlink_once_and_keeps_the_link() {
        let dir = scratch("update-link");
        let real_dir = dir.join("etc");
        std::fs::create_dir(&real_dir).unwrap();
        let real = real_dir.join("cacerts");
        std::fs::write(&real, b"old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).unwrap();
        let link = dir.join("cacerts");
        symlink("etc/cacerts", &link).unwrap();
        write_file(&link, b"new", &UPDATE).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_link(&link).unwrap(), PathBuf::from("etc/cacerts"));
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert_eq!(mode(&real), 0o644);
        assert_eq!(
            entries(&real_dir),
            ["cacerts"],
            "the temporary file was beside the target"
        );
    }

    #[test]
    fn update_in_place_refuses_a_link_to_a_link() {
        let dir = scratch("update-link2");
        std::fs::write(dir.join("real"), b"old").unwrap();
        symlink("real", dir.join("middle")).unwrap();
        symlink("middle", dir.join("named")).unwrap();
        let error = write_file(&dir.join("named"), b"new", &UPDATE).unwrap_err();
        assert!(error.to_string().contains("itself a link"), "{error}");
        assert_eq!(std::fs::read(dir.join("real")).unwrap(), b"old");
    }

    #[test]
    fn update_in_place_creates_an_absent_file() {
        let dir = scratch("update-absent");
        let store = dir.join("truststore.pem");
        write_file(&store, b"new", &UPDATE).unwrap();
        assert_eq!(std::fs::read(&store).unwrap(), b"new");
    }
}
