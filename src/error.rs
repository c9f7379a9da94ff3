//! Input errors: the material could not be read (exit code 2).
//!
//! A problem *with* material that was read (a broken chain, an expired
//! certificate) is a [`Finding`](crate::Finding), never an [`Error`].

use std::fmt;

use crate::model::Source;

/// Why an input could not be read, and where.
///
/// `Display` reads like `bundle.zip!certs/leaf.pem (PEM block 2): malformed
/// certificate: ...`: the location first, then what was expected and what was
/// found. Secrets never appear in it.
#[derive(Debug, thiserror::Error)]
#[error("{source_location}: {kind}")]
pub struct Error {
    source_location: Source,
    #[source]
    kind: ErrorKind,
}

impl Error {
    /// An error of `kind` at `source`.
    pub(crate) fn new(source: &Source, kind: ErrorKind) -> Self {
        Error {
            source_location: source.clone(),
            kind,
        }
    }

    /// Where the error happened: file, zip entry, PEM block.
    pub fn location(&self) -> &Source {
        &self.source_location
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// What went wrong, owned (to reword it at an outer level).
    pub(crate) fn into_kind(self) -> ErrorKind {
        self.kind
    }
}

/// What went wrong while reading an input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read.
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    /// The input is empty.
    #[error("empty input: expected a certificate, bundle, key or CSR, found 0 bytes")]
    Empty,
    /// The bytes are none of the formats certbundle reads.
    #[error(
        "unrecognised format: expected PEM, a DER certificate, PKCS#7, PKCS#12, a JKS or JCEKS \
         keystore, a private key, a PKCS#10 request or a zip archive; found {found}"
    )]
    UnrecognisedFormat {
        /// A short description of what the bytes look like.
        found: String,
    },
    /// The bytes have the right outer shape but do not parse.
    #[error("malformed {expected}: {detail}")]
    Malformed {
        /// The structure that was being read.
        expected: &'static str,
        /// What the parser found instead.
        detail: String,
    },
    /// A PEM block has no END line.
    #[error("PEM block `-----BEGIN {label}-----` has no matching END line (the file is truncated)")]
    TruncatedPem {
        /// The label of the block.
        label: String,
    },
    /// A PEM block with a label certbundle has no use for.
    #[error(
        "unsupported PEM block `{label}`: expected CERTIFICATE, PKCS7, CERTIFICATE REQUEST \
         or a PRIVATE KEY block"
    )]
    UnsupportedPemLabel {
        /// The label found.
        label: String,
    },
    /// A password is needed and none was given.
    #[error("{what} is password-protected: give its password")]
    PasswordRequired {
        /// What is protected ("PKCS#12 file", "encrypted private key").
        what: &'static str,
    },
    /// The password does not open the input.
    #[error("wrong password for {what}")]
    WrongPassword {
        /// What the password was for.
        what: &'static str,
    },
    /// An algorithm or variant certbundle does not implement.
    #[error("unsupported {what}: {found}")]
    Unsupported {
        /// The kind of thing (key type, cipher, KDF, ...).
        what: &'static str,
        /// What was found (name or OID).
        found: String,
    },
    /// A configured limit was exceeded; the input is refused unread.
    #[error("{what} exceeds the limit: {found} > {limit}{hint}")]
    LimitExceeded {
        /// What was counted.
        what: &'static str,
        /// The configured limit.
        limit: u64,
        /// The value found (or declared) in the input.
        found: u64,
        /// How to raise the limit when that is reasonable (may be empty).
        hint: &'static str,
    },
    /// An encrypted zip entry; zip encryption is not supported.
    #[error("zip entry is encrypted: zip encryption is not supported, extract the archive first")]
    EncryptedZipEntry,
    /// A zip entry whose name would escape the archive (`../x`, `/etc/x`).
    #[error("unsafe zip entry name `{name}`: absolute or parent-directory paths are refused")]
    UnsafeZipEntryName {
        /// The raw entry name (lossy UTF-8).
        name: String,
    },
    /// A directory given for batch validation holds no regular file.
    #[error("directory holds no regular files to validate (symbolic links in it are not followed)")]
    EmptyDirectory,
    /// The inputs hold neither a certificate nor a certificate request
    /// (only keys, say): there is nothing to validate.
    #[error(
        "no certificate or request: the inputs hold neither; give the certificate download, or the CSR to \
         check before it is uploaded"
    )]
    NothingToValidate,
    /// Validating this bundle failed inside certbundle (a defect): the
    /// bundle is reported as an error and the other bundles still are.
    #[error("internal error while validating this bundle (a defect in certbundle, please report it)")]
    Internal,
}

impl ErrorKind {
    /// A stable, machine-readable name for the kind (the `error.kind` JSON field).
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorKind::Io(_) => "io",
            ErrorKind::Empty => "empty",
            ErrorKind::UnrecognisedFormat { .. } => "unrecognised-format",
            ErrorKind::Malformed { .. } => "malformed",
            ErrorKind::TruncatedPem { .. } => "truncated",
            ErrorKind::UnsupportedPemLabel { .. } => "unsupported-pem-label",
            ErrorKind::PasswordRequired { .. } => "password-required",
            ErrorKind::WrongPassword { .. } => "wrong-password",
            ErrorKind::Unsupported { .. } => "unsupported",
            ErrorKind::LimitExceeded { .. } => "limit-exceeded",
            ErrorKind::EncryptedZipEntry => "encrypted-zip-entry",
            ErrorKind::UnsafeZipEntryName { .. } => "unsafe-zip-entry-name",
            ErrorKind::EmptyDirectory => "empty-directory",
            ErrorKind::NothingToValidate => "no-certificate",
            ErrorKind::Internal => "internal",
        }
    }

    /// Shorthand for [`ErrorKind::Malformed`] from any displayable parser error.
    pub(crate) fn malformed(expected: &'static str, detail: impl fmt::Display) -> Self {
        ErrorKind::Malformed {
            expected,
            detail: detail.to_string(),
        }
    }

    /// Shorthand for [`ErrorKind::LimitExceeded`].
    pub(crate) fn limit(what: &'static str, limit: u64, found: u64) -> Self {
        ErrorKind::LimitExceeded {
            what,
            limit,
            found,
            hint: "",
        }
    }

    /// `Ok` when `found` is within `limit`, else the limit error naming
    /// what `what` counts and `hint`, how to raise it ("" for none).
    pub(crate) fn at_most(
        what: &'static str,
        limit: u64,
        found: u64,
        hint: &'static str,
    ) -> Result<(), Self> {
        if found > limit {
            return Err(ErrorKind::LimitExceeded {
                what,
                limit,
                found,
                hint,
            });
        }
        Ok(())
    }
}
