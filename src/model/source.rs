//! Provenance: which file, zip entry and PEM block an item came from.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// Where an item was found.
///
/// `Display` gives `path`, `path!entry` for a zip entry (nested archives add
/// more `!entry` steps) and ` (PEM block N)` when the item was one block of a
/// PEM file.
///
/// Every certificate carries one, so the strings are shared: a pool of
/// thousands read from one file holds its path once.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Source {
    path: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    block: Option<u32>,
}

impl Source {
    /// A whole file (or in-memory input) named `path`.
    pub fn file(path: impl Into<String>) -> Self {
        Source {
            path: Arc::from(path.into()),
            entry: None,
            block: None,
        }
    }

    /// The same location one zip entry deeper.
    pub(crate) fn in_entry(&self, name: &str) -> Self {
        let entry = match &self.entry {
            Some(outer) => format!("{outer}!{name}"),
            None => name.to_owned(),
        };
        Source {
            path: Arc::clone(&self.path),
            entry: Some(Arc::from(entry)),
            block: None,
        }
    }

    /// The same location narrowed to PEM block `index` (1-based).
    pub(crate) fn with_block(&self, index: usize) -> Self {
        Source {
            block: Some(u32::try_from(index).unwrap_or(u32::MAX)),
            ..self.clone()
        }
    }

    /// The input path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The zip entry (`outer.zip!inner.pem` style for nested archives).
    pub fn entry(&self) -> Option<&str> {
        self.entry.as_deref()
    }

    /// The 1-based PEM block index.
    pub fn block(&self) -> Option<usize> {
        self.block.and_then(|b| usize::try_from(b).ok())
    }

    /// `path` or `path!entry`: the `source` field of the JSON report.
    pub fn file_and_entry(&self) -> String {
        match &self.entry {
            Some(entry) => format!("{}!{entry}", self.path),
            None => self.path.to_string(),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(entry) = &self.entry {
            write!(f, "!{entry}")?;
        }
        if let Some(block) = self.block {
            write!(f, " (PEM block {block})")?;
        }
        Ok(())
    }
}

/// The container formats certbundle reads (the `format` fields of the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Format {
    /// PEM text (any mix of blocks).
    Pem,
    /// A DER certificate.
    Der,
    /// PKCS#7 / CMS SignedData carrying certificates.
    Pkcs7,
    /// PKCS#12 / PFX.
    Pkcs12,
    /// A zip archive.
    Zip,
    /// A Java keystore: JKS or JCEKS.
    Jks,
    /// A PKCS#10 certificate request.
    Pkcs10,
    /// A private key (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1).
    Key,
    /// A zip entry that holds none of these (a README, an empty file): skipped.
    Ignored,
}

impl Format {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pem => "pem",
            Format::Der => "der",
            Format::Pkcs7 => "pkcs7",
            Format::Pkcs12 => "pkcs12",
            Format::Zip => "zip",
            Format::Jks => "jks",
            Format::Pkcs10 => "pkcs10",
            Format::Key => "key",
            Format::Ignored => "ignored",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_entries_and_blocks_display_in_order() {
        let s = Source::file("dl.zip")
            .in_entry("inner.zip")
            .in_entry("certs/leaf.pem");
        assert_eq!(s.file_and_entry(), "dl.zip!inner.zip!certs/leaf.pem");
        assert_eq!(
            s.with_block(2).to_string(),
            "dl.zip!inner.zip!certs/leaf.pem (PEM block 2)"
        );
    }
}
