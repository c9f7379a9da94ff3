//! The command line, as the contract (`cli-contract.md`) names it.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// Validate a mutual-TLS client certificate bundle: chain, key, CSR, validity, usage.
#[derive(Parser, Debug)]
#[command(name = "validate", version, about)]
pub(crate) struct Args {
    /// Certificates, bundles, keys, CSRs, PKCS#12 or zip files; all merged into one pool
    /// (with --each: every file, directories walked, is its own bundle).
    pub(crate) files: Vec<PathBuf>,
    /// Password for PKCS#12 files, keystores and encrypted private keys (repeatable: every
    /// encrypted input tries each given password in turn; prefer --password-env or
    /// --password-file, as a command line is visible to other users in `ps`).
    #[arg(long, value_name = "PW")]
    pub(crate) password: Vec<String>,
    /// Read a password from this environment variable (repeatable).
    #[arg(long, value_name = "VAR")]
    pub(crate) password_env: Vec<String>,
    /// Read a password from the first line of this file (repeatable).
    #[arg(long, value_name = "F")]
    pub(crate) password_file: Vec<PathBuf>,
    /// Private key to match against the leaf.
    #[arg(long, value_name = "FILE")]
    pub(crate) key: Option<PathBuf>,
    /// PKCS#10 request to match against the leaf.
    #[arg(long, value_name = "FILE")]
    pub(crate) csr: Option<PathBuf>,
    /// The roots the peer trusts (any certificate format; repeatable): the chain must end at one.
    #[arg(long, value_name = "FILE")]
    pub(crate) trust: Vec<PathBuf>,
    /// The server's CA certificate(s) the client must trust (repeatable); kept apart from the bundle.
    #[arg(long, value_name = "FILE")]
    pub(crate) server_ca: Vec<PathBuf>,
    /// Validation time, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    pub(crate) at: Option<String>,
    /// Warn when the leaf expires within N days.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub(crate) warn_days: u32,
    /// Rules to apply.
    #[arg(long, value_enum, default_value = "generic")]
    pub(crate) profile: ProfileArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: FormatArg,
    /// Write the chain, leaf first, root last, as PEM.
    #[arg(long, value_name = "FILE")]
    pub(crate) write_chain: Option<PathBuf>,
    /// Write leaf + chain + key as PKCS#12 (modern encryption; --legacy for old readers).
    #[arg(long, value_name = "FILE")]
    pub(crate) export_p12: Option<PathBuf>,
    /// Write the key as PKCS#8 PEM, encrypted with the export password (--no-encrypt: unencrypted).
    #[arg(long, value_name = "FILE")]
    pub(crate) export_key: Option<PathBuf>,
    /// Write the server side (the zip's extra CA chain, --server-ca) as a trust store.
    #[arg(long, value_name = "FILE")]
    pub(crate) export_truststore: Option<PathBuf>,
    /// Write one keystore: the identity (key + chain) and the server CAs as trusted entries.
    #[arg(long, value_name = "FILE")]
    pub(crate) export_keystore: Option<PathBuf>,
    /// Add the server CAs to an existing trust store (PEM, PKCS#12 or JKS; created if absent).
    #[arg(long, value_name = "FILE")]
    pub(crate) add_to_truststore: Option<PathBuf>,
    /// The alias (friendlyName) of the key entry (default: the leaf's CN).
    #[arg(long, value_name = "NAME")]
    pub(crate) export_alias: Option<String>,
    /// The store format (default from the file name: .jks JKS, .pem/.crt PEM, else PKCS#12).
    #[arg(long, value_enum, value_name = "TYPE")]
    pub(crate) store_type: Option<StoreTypeArg>,
    /// Write the --export-key key unencrypted (for readers that take no passphrase).
    #[arg(long)]
    pub(crate) no_encrypt: bool,
    /// Write what this consumer needs into --export-dir.
    #[arg(long = "for", value_enum, value_name = "CONSUMER")]
    pub(crate) for_consumer: Option<ConsumerArg>,
    /// Where --for writes.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub(crate) export_dir: PathBuf,
    /// Write the exports even when the verdict is invalid.
    #[arg(long)]
    pub(crate) export_invalid: bool,
    /// Overwrite existing export targets.
    #[arg(long)]
    pub(crate) force: bool,
    /// Encrypt exported PKCS#12 files with 3DES and a SHA-1 MAC, for old readers.
    #[arg(long)]
    pub(crate) legacy: bool,
    /// Password for what is exported (default: the input password).
    #[arg(long, value_name = "PW")]
    pub(crate) export_password: Option<String>,
    /// Read the export password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub(crate) export_password_env: Option<String>,
    /// Read the export password from the first line of this file.
    #[arg(long, value_name = "F")]
    pub(crate) export_password_file: Option<PathBuf>,
    /// Validate every FILE as its own bundle, in parallel (JSON Lines with --format json).
    #[arg(long)]
    pub(crate) each: bool,
    /// After the offline checks, a real mutual-TLS handshake with HOST:PORT presenting the identity.
    #[arg(long, value_name = "HOST:PORT")]
    pub(crate) connect: Option<String>,
    /// The name the server's certificate must carry (default: HOST of --connect).
    #[arg(long, value_name = "NAME", requires = "connect")]
    pub(crate) server_name: Option<String>,
    /// One bound, in seconds, on connecting, the handshake and the first read after it.
    #[arg(long, value_name = "SECS", default_value_t = 10, requires = "connect")]
    pub(crate) connect_timeout: u64,
    /// The password options in command-line order (filled after parsing).
    #[arg(skip)]
    pub(crate) password_order: Vec<PasswordSource>,
}

/// Where an input password comes from: the n-th value of its option.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PasswordSource {
    Value(usize),
    Env(usize),
    File(usize),
}

/// The input password options in the order they were given on the command
/// line, so "password 2" in the report means the second one given.
pub(crate) fn password_order(matches: &clap::ArgMatches) -> Vec<PasswordSource> {
    let mut order: Vec<(usize, PasswordSource)> = Vec::new();
    let mut take = |id: &str, make: fn(usize) -> PasswordSource| {
        for (n, index) in matches.indices_of(id).into_iter().flatten().enumerate() {
            order.push((index, make(n)));
        }
    };
    take("password", PasswordSource::Value);
    take("password_env", PasswordSource::Env);
    take("password_file", PasswordSource::File);
    order.sort_by_key(|(index, _)| *index);
    order.into_iter().map(|(_, source)| source).collect()
}

impl Args {
    /// Whether any file is to be written.
    pub(crate) fn exporting(&self) -> bool {
        self.write_chain.is_some()
            || self.export_p12.is_some()
            || self.export_key.is_some()
            || self.export_truststore.is_some()
            || self.export_keystore.is_some()
            || self.add_to_truststore.is_some()
            || self.for_consumer.is_some()
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum ProfileArg {
    Generic,
    KmpMtf,
    KmpProd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum StoreTypeArg {
    P12,
    Jks,
    Pem,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ConsumerArg {
    Java8,
    Java17,
    Dotnet,
    Node,
    Python,
    Curl,
    Go,
}
