//! Making the key and the certificate request the portal asks for, without
//! OpenSSL: an RSA key (PKCS#8, encrypted with PBES2 or not) and a PKCS#10
//! request signed with SHA-256.
//!
//! [`create`] checks everything it can before it generates anything: the
//! subject under the profile's rules, the key size, that neither target
//! exists and that their folders do. It writes the key (mode `0600`) then
//! the request, each atomically and never over an existing file, re-reads
//! both with certbundle's own decoder and confirms that the request is for
//! that key and that its signature verifies. Whenever it fails after writing
//! the key it removes what it wrote, so a refusal or an error leaves nothing.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use certbundle::request::{self, RequestOptions, Subject};
//! use certbundle::{Password, Profile};
//!
//! let subject = Subject::parse("C=US, O=Example Corp, CN=MTF XBS")?;
//! let mut options = RequestOptions::default();
//! options.profile = Profile::KmpMtf;
//! options.password = Some(Password::new("a passphrase"));
//! let written = request::create(&subject, "PRIVATEKEY.key".as_ref(), "MYCSR.csr".as_ref(), &options)?;
//! println!("{} {}", written.key_algorithm, written.spki_sha256);
//! # Ok(())
//! # }
//! ```
//!
//! Key material lives in zeroizing buffers (aws-lc clears its own copy when
//! the key is freed); no type here shows a key or a password in `Debug`.

mod csr;
mod subject;

use std::fmt;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::atomic_write::{self, Existing, WriteError, WriteOptions};
use crate::export::KEY_PBKDF2_ITERATIONS;
use crate::input::{Limits, Password};
use crate::model::{KeyAlgorithm, KeyEncoding, Name};
use crate::profile::Profile;
use crate::validate::{load_paths, Options};
use crate::verify::{verify, VerifyError};

pub use crate::profile_rules::ProfileProblem;
pub use subject::{AttributeType, Subject, SubjectError, SubjectErrorKind};

/// The RSA key sizes a request can be made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RsaBits {
    /// 2048 bits: what the portal's guide uses.
    #[default]
    Rsa2048,
    /// 3072 bits.
    Rsa3072,
    /// 4096 bits.
    Rsa4096,
}

impl RsaBits {
    /// The size for `bits`, if it is one of 2048, 3072, 4096.
    pub fn from_bits(bits: u32) -> Option<RsaBits> {
        [RsaBits::Rsa2048, RsaBits::Rsa3072, RsaBits::Rsa4096]
            .into_iter()
            .find(|b| b.bits() == bits)
    }

    /// The modulus size in bits.
    pub fn bits(self) -> u32 {
        match self {
            RsaBits::Rsa2048 => 2048,
            RsaBits::Rsa3072 => 3072,
            RsaBits::Rsa4096 => 4096,
        }
    }

    fn aws_lc(self) -> aws_lc_rs::rsa::KeySize {
        match self {
            RsaBits::Rsa2048 => aws_lc_rs::rsa::KeySize::Rsa2048,
            RsaBits::Rsa3072 => aws_lc_rs::rsa::KeySize::Rsa3072,
            RsaBits::Rsa4096 => aws_lc_rs::rsa::KeySize::Rsa4096,
        }
    }
}

/// How to make the request.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct RequestOptions {
    /// The rules the subject and key must follow.
    pub profile: Profile,
    /// The key size.
    pub bits: RsaBits,
    /// The passphrase that encrypts the key; `None` writes it unencrypted.
    pub password: Option<Password>,
}

/// How the written key is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyProtection {
    /// An unencrypted PKCS#8 `PRIVATE KEY`.
    None,
    /// An `ENCRYPTED PRIVATE KEY`: PBES2 with PBKDF2-HMAC-SHA256
    /// ([`KEY_PBKDF2_ITERATIONS`] iterations) and AES-256-CBC.
    Pbes2Aes256Cbc,
}

impl fmt::Display for KeyProtection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyProtection::None => f.write_str("unencrypted PKCS#8"),
            KeyProtection::Pbes2Aes256Cbc => write!(
                f,
                "PKCS#8 PBES2, PBKDF2-HMAC-SHA256 ({KEY_PBKDF2_ITERATIONS} iterations), AES-256-CBC"
            ),
        }
    }
}

/// What [`create`] wrote, as re-read from the files.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Written {
    /// The key file.
    pub key_file: PathBuf,
    /// The request file.
    pub csr_file: PathBuf,
    /// The key's type and size (`RSA-2048`).
    pub key_algorithm: KeyAlgorithm,
    /// How the key file is protected.
    pub protection: KeyProtection,
    /// The request's subject, as certbundle reads it back.
    pub subject: Name,
    /// SHA-256 of the request's SubjectPublicKeyInfo, lowercase hex.
    pub spki_sha256: String,
}

/// Why no request was made. Nothing was written (or what was, was removed).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The subject or key breaks the profile's rules.
    #[error("refused by the {} profile: {}", profile.as_str(), list(problems))]
    Refused {
        /// The profile.
        profile: Profile,
        /// Every rule broken.
        problems: Vec<ProfileProblem>,
    },
    /// A target exists.
    #[error("{}: the file exists and was left unchanged; nothing was written", file.display())]
    Exists {
        /// The target.
        file: PathBuf,
    },
    /// The key and the request were to go to the same file.
    #[error("{}: the key and the request cannot be the same file", file.display())]
    SameFile {
        /// The target.
        file: PathBuf,
    },
    /// The passphrase is longer than certbundle reads back.
    #[error("the passphrase is {length} bytes; at most {max} are accepted")]
    PasswordTooLong {
        /// Its length in bytes.
        length: usize,
        /// The limit ([`Limits::max_password_bytes`]).
        max: usize,
    },
    /// Generating, encoding or signing failed.
    #[error("cannot make the {what}: {detail}")]
    Generate {
        /// What was being made.
        what: &'static str,
        /// The library's message (never key material).
        detail: String,
    },
    /// A file could not be written, or its folder is missing.
    #[error("{}: cannot write file: {source}; nothing was written", file.display())]
    Io {
        /// The target.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// What was written did not read back as a matching key and request; both files were removed.
    #[error("the written key and request did not check out, so both were removed: {detail}")]
    Reread {
        /// What did not hold.
        detail: String,
    },
}

fn list(problems: &[ProfileProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("rule \"{}\": {p}", p.rule()))
        .collect::<Vec<_>>()
        .join("; ")
}

impl RequestError {
    /// Whether the profile refused the subject or key (rather than an error).
    pub fn is_refusal(&self) -> bool {
        matches!(self, RequestError::Refused { .. })
    }
}

/// The profile's problems with `subject` and a key of `bits`.
pub fn profile_problems(profile: Profile, subject: &Subject, bits: RsaBits) -> Vec<ProfileProblem> {
    let mut problems = crate::profile_rules::subject_problems(
        profile,
        subject
            .attributes()
            .map(|(kind, value)| (kind.short_name(), value)),
    );
    problems.extend(crate::profile_rules::key_problem(
        profile,
        &KeyAlgorithm::Rsa { bits: bits.bits() },
    ));
    problems
}

/// Makes a key and a request for `subject`, writes them to `key_file` and
/// `csr_file`, and re-reads them (see the module documentation).
///
/// # Errors
/// [`RequestError::Refused`] before anything is generated when the profile
/// refuses the subject; [`RequestError::Exists`], [`RequestError::SameFile`],
/// [`RequestError::PasswordTooLong`] and [`RequestError::Io`] (a missing
/// folder) before anything is generated; [`RequestError::Generate`],
/// [`RequestError::Io`] and [`RequestError::Reread`] after, with whatever was
/// written removed.
pub fn create(
    subject: &Subject,
    key_file: &Path,
    csr_file: &Path,
    options: &RequestOptions,
) -> Result<Written, RequestError> {
    let problems = profile_problems(options.profile, subject, options.bits);
    if !problems.is_empty() {
        return Err(RequestError::Refused {
            profile: options.profile,
            problems,
        });
    }
    preflight(key_file, csr_file, options)?;
    let generate = |what: &'static str| move |detail: String| RequestError::Generate { what, detail };
    let key = aws_lc_rs::rsa::KeyPair::generate(options.bits.aws_lc())
        .map_err(|_| generate("RSA key")("key generation failed".to_owned()))?;
    let pkcs8 = {
        use aws_lc_rs::encoding::AsDer;
        let der = key
            .as_der()
            .map_err(|_| generate("RSA key")("cannot encode it as PKCS#8".to_owned()))?;
        Zeroizing::new(der.as_ref().to_vec())
    };
    let key_pem = crate::export::key_pem(&pkcs8, options.password.as_ref()).map_err(generate("key file"))?;
    let csr_der = csr::build(subject, &key).map_err(generate("certificate request"))?;
    drop(key);
    let csr_pem = ::pem::encode(&::pem::Pem::new("CERTIFICATE REQUEST", csr_der));

    write(key_file, key_pem.as_bytes(), true)?;
    if let Err(e) = write(csr_file, csr_pem.as_bytes(), false) {
        remove(&[key_file]);
        return Err(e);
    }
    reread(key_file, csr_file, options).inspect_err(|_| remove(&[key_file, csr_file]))
}

/// The checks that need no key: targets absent, distinct, in folders that
/// exist; the passphrase within what the decoder reads back.
fn preflight(key_file: &Path, csr_file: &Path, options: &RequestOptions) -> Result<(), RequestError> {
    if key_file == csr_file {
        return Err(RequestError::SameFile {
            file: key_file.to_path_buf(),
        });
    }
    for file in [key_file, csr_file] {
        if std::fs::symlink_metadata(file).is_ok() {
            return Err(RequestError::Exists {
                file: file.to_path_buf(),
            });
        }
        let folder = match file.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if !folder.is_dir() {
            return Err(RequestError::Io {
                file: file.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("the folder {} does not exist", folder.display()),
                ),
            });
        }
    }
    let max = Limits::default().max_password_bytes;
    match &options.password {
        Some(password) if password.as_str().len() > max => Err(RequestError::PasswordTooLong {
            length: password.as_str().len(),
            max,
        }),
        _ => Ok(()),
    }
}

fn write(file: &Path, bytes: &[u8], secret: bool) -> Result<(), RequestError> {
    let how = WriteOptions {
        secret,
        existing: Existing::Refuse,
    };
    atomic_write::write_file(file, bytes, &how).map_err(|e| match e {
        WriteError::Exists(file) => RequestError::Exists { file },
        WriteError::Io { file, source } => RequestError::Io { file, source },
    })
}

/// Removes files this call wrote (best effort: the error that led here is
/// the one to report).
fn remove(files: &[&Path]) {
    for file in files {
        let _ = std::fs::remove_file(file);
    }
}

/// Reads both files back with certbundle's decoder: one key, one request,
/// the request's key is the key, its signature verifies.
fn reread(key_file: &Path, csr_file: &Path, options: &RequestOptions) -> Result<Written, RequestError> {
    let failed = |detail: String| RequestError::Reread { detail };
    let load = Options {
        passwords: options.password.iter().cloned().collect(),
        ..Options::default()
    };
    let pool = load_paths(&[key_file, csr_file], &load).map_err(|e| failed(e.to_string()))?;
    let (Some(key), Some(request)) = (pool.keys().first(), pool.requests().first()) else {
        return Err(failed("the files hold no key or no request".to_owned()));
    };
    if !request.public_key().same_key(key.public_key()) {
        return Err(failed("the request is not for the key".to_owned()));
    }
    let signed = request.signed();
    let der = request.der();
    let verified = match (signed.tbs.of(der), signed.signature.of(der)) {
        (Some(info), Some(signature)) => verify(info, &signed.algorithm, signature, request.public_key()),
        _ => return Err(failed("the request's signature fields are missing".to_owned())),
    };
    verified.map_err(|e| {
        failed(match e {
            VerifyError::Invalid => "the request's signature does not verify".to_owned(),
            VerifyError::Unsupported(what) => format!("the request's signature cannot be checked: {what}"),
            VerifyError::UnsupportedKeySize { bits } => {
                format!("the request's RSA-{bits} key is larger than certbundle verifies with")
            }
        })
    })?;
    let protection = match key.encoding() {
        KeyEncoding::EncryptedPkcs8 => KeyProtection::Pbes2Aes256Cbc,
        _ => KeyProtection::None,
    };
    Ok(Written {
        key_file: key_file.to_path_buf(),
        csr_file: csr_file.to_path_buf(),
        key_algorithm: key.algorithm().clone(),
        protection,
        subject: request.subject().clone(),
        spki_sha256: crate::digest::hex(&crate::digest::fingerprint(request.public_key().spki_der())),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::test_support::{entries, scratch};

    /// Makes the key `k.key` and request `r.csr` in `dir` for `subject`
    /// under `profile`, unencrypted.
    fn create_in(dir: &Path, subject: &str, profile: Profile) -> Result<Written, RequestError> {
        let options = RequestOptions {
            profile,
            ..RequestOptions::default()
        };
        let subject = Subject::parse(subject).unwrap();
        create(&subject, &dir.join("k.key"), &dir.join("r.csr"), &options)
    }

    #[test]
    fn an_unencrypted_request_is_written_and_reads_back_as_the_keys() {
        let dir = scratch("request-plain");
        let written = create_in(&dir, "C=US, O=Example Corp, CN=MTF XBS", Profile::KmpMtf).unwrap();
        assert_eq!(written.key_algorithm.to_string(), "RSA-2048");
        assert_eq!(written.protection, KeyProtection::None);
        assert_eq!(written.subject.as_str(), "C=US, O=Example Corp, CN=MTF XBS");
        assert_eq!(written.spki_sha256.len(), 64);
        assert_eq!(entries(&dir), ["k.key", "r.csr"]);
        let key = std::fs::read_to_string(dir.join("k.key")).unwrap();
        assert!(key.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{key}");
    }

    #[test]
    fn a_profile_refusal_comes_before_anything_is_made_or_written() {
        let dir = scratch("request-refused");
        let error = create_in(&dir, "CN=Foo, C=USA", Profile::KmpProd).unwrap_err();
        assert!(error.is_refusal());
        assert_eq!(
            error.to_string(),
            "refused by the kmp-prod profile: rule \"a country is two letters\": C is 3 characters long \
             (`USA`); a country is its two-letter ISO 3166 code, like C=US; rule \"the CN of the environment\": \
             the subject has CN `Foo`; the kmp-prod profile (the portal's production) needs CN `PROD XBS` exactly"
        );
        assert!(entries(&dir).is_empty());
    }

    #[test]
    fn an_existing_csr_target_refuses_before_the_key_is_written() {
        let dir = scratch("request-exists");
        std::fs::write(dir.join("r.csr"), b"theirs").unwrap();
        let error = create_in(&dir, "CN=x", Profile::Generic).unwrap_err();
        assert!(
            matches!(&error, RequestError::Exists { file } if file.ends_with("r.csr")),
            "{error}"
        );
        assert_eq!(entries(&dir), ["r.csr"]);
        assert_eq!(std::fs::read(dir.join("r.csr")).unwrap(), b"theirs");
    }

    #[test]
    fn a_missing_folder_or_one_file_for_both_is_refused_before_generating() {
        let dir = scratch("request-folder");
        let subject = Subject::parse("CN=x").unwrap();
        let options = RequestOptions::default();
        let error = create(&subject, &dir.join("k.key"), &dir.join("no/r.csr"), &options).unwrap_err();
        assert!(
            error.to_string().contains("does not exist; nothing was written"),
            "{error}"
        );
        let error = create(&subject, &dir.join("a"), &dir.join("a"), &options).unwrap_err();
        assert!(matches!(error, RequestError::SameFile { .. }), "{error}");
        assert!(entries(&dir).is_empty());
    }

    #[test]
    fn debug_of_the_options_does_not_show_the_passphrase() {
        let options = RequestOptions {
            password: Some(Password::new("hunter2-passphrase")),
            ..RequestOptions::default()
        };
        assert_eq!(
            format!("{options:?}"),
            "RequestOptions { profile: Generic, bits: Rsa2048, password: Some(Password([redacted])) }"
        );
    }

    #[test]
    fn the_reread_catches_a_request_for_another_key() {
        let dir = scratch("request-reread");
        let subject = Subject::parse("CN=x").unwrap();
        let options = RequestOptions::default();
        let (a, b) = (dir.join("a"), dir.join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        create(&subject, &a.join("k.key"), &a.join("r.csr"), &options).unwrap();
        create(&subject, &b.join("k.key"), &b.join("r.csr"), &options).unwrap();
        let error = reread(&a.join("k.key"), &b.join("r.csr"), &options).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the written key and request did not check out, so both were removed: the request is not for the key"
        );
        assert!(reread(&a.join("k.key"), &a.join("r.csr"), &options).is_ok());
    }

    #[test]
    fn only_2048_3072_and_4096_bits_are_sizes() {
        assert_eq!(RsaBits::from_bits(3072), Some(RsaBits::Rsa3072));
        assert_eq!(RsaBits::from_bits(1024), None);
        assert_eq!(RsaBits::from_bits(8192), None);
    }
}
