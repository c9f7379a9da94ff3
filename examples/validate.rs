//! `validate`: the command-line face of certbundle. It parses arguments,
//! calls the library, prints the report and maps the verdict to the exit
//! code (0 valid, 1 invalid, 2 input error); everything else is the library's.
//!
//!     cargo run --release --example validate -- [OPTIONS] <FILE>...

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use certbundle::export::{self, ExportOptions, Pkcs12Encryption};
use std::borrow::Cow;

use certbundle::{Fix, Format, Options, Password, Profile, Report, Verdict};
use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};

/// Validate a mutual-TLS client certificate bundle: chain, key, CSR, validity, usage.
#[derive(Parser, Debug)]
#[command(name = "validate", version, about)]
struct Args {
    /// Certificates, bundles, keys, CSRs, PKCS#12 or zip files; all merged into one pool
    /// (with --each: every file, directories walked, is its own bundle).
    files: Vec<PathBuf>,
    /// Password for PKCS#12 files, keystores and encrypted private keys (repeatable: every
    /// encrypted input tries each given password in turn; prefer --password-env or
    /// --password-file, as a command line is visible to other users in `ps`).
    #[arg(long, value_name = "PW")]
    password: Vec<String>,
    /// Read a password from this environment variable (repeatable).
    #[arg(long, value_name = "VAR")]
    password_env: Vec<String>,
    /// Read a password from the first line of this file (repeatable).
    #[arg(long, value_name = "F")]
    password_file: Vec<PathBuf>,
    /// Private key to match against the leaf.
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// PKCS#10 request to match against the leaf.
    #[arg(long, value_name = "FILE")]
    csr: Option<PathBuf>,
    /// The roots the peer trusts (any certificate format; repeatable): the chain must end at one.
    #[arg(long, value_name = "FILE")]
    trust: Vec<PathBuf>,
    /// Validation time, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// Rules to apply.
    #[arg(long, value_enum, default_value = "generic")]
    profile: ProfileArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Write the chain, leaf first, root last, as PEM.
    #[arg(long, value_name = "FILE")]
    write_chain: Option<PathBuf>,
    /// Write leaf + chain + key as PKCS#12 (modern encryption; --legacy for old readers).
    #[arg(long, value_name = "FILE")]
    export_p12: Option<PathBuf>,
    /// Write the key as PKCS#8 PEM (encrypted when an export password is given).
    #[arg(long, value_name = "FILE")]
    export_key: Option<PathBuf>,
    /// Write the extra CA chain (or the chain's root) as a trust store: PEM when FILE ends
    /// in .pem, else a PKCS#12 truststore.
    #[arg(long, value_name = "FILE")]
    export_truststore: Option<PathBuf>,
    /// Encrypt exported PKCS#12 files with 3DES and a SHA-1 MAC, for old readers.
    #[arg(long)]
    legacy: bool,
    /// Password for what is exported (default: the input password).
    #[arg(long, value_name = "PW")]
    export_password: Option<String>,
    /// Read the export password from this environment variable.
    #[arg(long, value_name = "VAR")]
    export_password_env: Option<String>,
    /// Read the export password from the first line of this file.
    #[arg(long, value_name = "F")]
    export_password_file: Option<PathBuf>,
    /// Validate every FILE as its own bundle, in parallel (JSON Lines with --format json).
    #[arg(long)]
    each: bool,
    /// The password options in command-line order (filled after parsing).
    #[arg(skip)]
    password_order: Vec<PasswordSource>,
    /// After the offline checks, a real mutual-TLS handshake with HOST:PORT presenting the identity.
    #[arg(long, value_name = "HOST:PORT")]
    connect: Option<String>,
    /// The name the server's certificate must carry (default: HOST of --connect).
    #[arg(long, value_name = "NAME", requires = "connect")]
    server_name: Option<String>,
    /// One bound, in seconds, on connecting, the handshake and the first read after it.
    #[arg(long, value_name = "SECS", default_value_t = 10, requires = "connect")]
    connect_timeout: u64,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ProfileArg {
    Generic,
    KmpMtf,
    KmpProd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

fn main() -> ExitCode {
    // Before any password or key is read: no core file may hold them.
    if let Err(e) = certbundle::harden_process() {
        eprintln!("warning: core dumps could not be disabled: {e}");
    }
    let matches = Args::command().get_matches();
    let mut args = match Args::from_arg_matches(&matches) {
        Ok(args) => args,
        Err(e) => e.exit(),
    };
    args.password_order = password_order(&matches);
    match run(&args) {
        Ok(verdict) => ExitCode::from(verdict.exit_code()),
        Err(message) => {
            eprintln!("validate: {message}");
            ExitCode::from(Verdict::Error.exit_code())
        }
    }
}

fn run(args: &Args) -> Result<Verdict, String> {
    let mut options = Options::default();
    options.passwords = passwords(args)?;
    options.profile = match args.profile {
        ProfileArg::Generic => Profile::Generic,
        ProfileArg::KmpMtf => Profile::KmpMtf,
        ProfileArg::KmpProd => Profile::KmpProd,
    };
    options.at = args.at.as_deref().map(certbundle::parse_rfc3339).transpose()?;
    if !args.trust.is_empty() {
        let anchors = certbundle::load_paths(&args.trust, &options).map_err(|e| format!("--trust: {e}"))?;
        options.trust_anchors = anchors.certificates().to_vec();
    }
    if cfg!(not(feature = "rustls")) && args.connect.is_some() {
        return Err("--connect needs TLS: this build of certbundle has no `rustls` feature".to_owned());
    }
    if args.each && args.connect.is_some() {
        let message = "--connect tries one bundle's identity; it cannot be used with --each".to_owned();
        if args.format == FormatArg::Json {
            let mut report = Report::refused("usage", message, options.time(), options.profile);
            print(args, &mut report, None)?;
            return Ok(Verdict::Error);
        }
        return Err(message);
    }
    if args.each {
        if args.write_chain.is_some() || exporting(args) || args.key.is_some() || args.csr.is_some() {
            return Err(
                "--key, --csr, --write-chain and --export-* take one bundle; they cannot be used with --each"
                    .to_owned(),
            );
        }
        let mut reports = certbundle::validate_each(&args.files, &options);
        let mut worst = Verdict::Valid;
        for (path, report) in &mut reports {
            let header = format!("== {}", path.display());
            print(args, report, Some(&header))?;
            if report.verdict.exit_code() > worst.exit_code() {
                worst = report.verdict;
            }
        }
        return Ok(worst);
    }
    let mut files = args.files.clone();
    files.extend(args.key.iter().cloned());
    files.extend(args.csr.iter().cloned());
    // A failed write or export still prints the report, then exits 2.
    let mut written = Ok(());
    if files.is_empty() {
        return Err(
            "no certificate or request: give the certificate files, or --csr FILE to check a request"
                .to_owned(),
        );
    }
    let mut report = match certbundle::load_bundle(&files, &options) {
        Err(error) => Report::from_error(&error, options.time(), options.profile),
        Ok(pool) => {
            let mut validation = certbundle::validate(&pool, &options);
            if let Some(address) = &args.connect {
                connect(args, address, &mut validation);
            }
            if let Some(path) = &args.write_chain {
                written = std::fs::write(path, validation.chain_pem())
                    .map_err(|e| format!("cannot write {}: {e}", path.display()));
            }
            if written.is_ok() && exporting(args) {
                written = export(args, &validation);
            }
            validation.into_report()
        }
    };
    print(args, &mut report, None)?;
    written?;
    Ok(report.verdict)
}

/// The handshake: identity from the validation, the server side from the
/// zip's extra CA chains (and `--server-ca`), bounded by --connect-timeout.
#[cfg(feature = "rustls")]
fn connect(args: &Args, address: &str, validation: &mut certbundle::Validation<'_>) {
    let mut request = validation
        .connect_request(address)
        .timeout(std::time::Duration::from_secs(args.connect_timeout));
    if let Some(name) = &args.server_name {
        request = request.server_name(name.as_str());
    }
    let connection = certbundle::connect::connect(&request);
    validation.record_connection(connection);
}

#[cfg(not(feature = "rustls"))]
fn connect(_: &Args, _: &str, _: &mut certbundle::Validation<'_>) {}

/// Where an input password comes from.
#[derive(Debug, Clone, Copy)]
enum PasswordSource {
    Value(usize),
    Env(usize),
    File(usize),
}

/// The input password options in the order they were given on the command
/// line, so "password 2" in the report means the second one given.
fn password_order(matches: &clap::ArgMatches) -> Vec<PasswordSource> {
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

/// Every input password, in the order given.
fn passwords(args: &Args) -> Result<Vec<Password>, String> {
    let missing = || "a password option has no value".to_owned();
    args.password_order
        .iter()
        .map(|source| match *source {
            PasswordSource::Value(n) => args
                .password
                .get(n)
                .map(|pw| Password::new(pw.as_str()))
                .ok_or_else(missing),
            PasswordSource::Env(n) => {
                let var = args.password_env.get(n).ok_or_else(missing)?;
                std::env::var(var)
                    .map(Password::new)
                    .map_err(|_| format!("environment variable {var} is not set"))
            }
            PasswordSource::File(n) => {
                Password::from_file(args.password_file.get(n).ok_or_else(missing)?).map_err(|e| e.to_string())
            }
        })
        .collect()
}

/// The input password that opened the key, else the first given: what an
/// export is protected with when no export password is given.
fn input_password(args: &Args, validation: &certbundle::Validation<'_>) -> Result<Option<Password>, String> {
    let mut all = passwords(args)?;
    let key_source = validation.key().map(|k| k.source().file_and_entry());
    let opened_key = validation
        .pool()
        .opened()
        .iter()
        .find(|o| Some(&o.path) == key_source.as_ref())
        .map(|o| o.password);
    let index = opened_key.unwrap_or(1).saturating_sub(1);
    Ok((index < all.len()).then(|| all.swap_remove(index)))
}

fn read_password(
    pw: &Option<String>,
    env: &Option<String>,
    file: &Option<PathBuf>,
) -> Result<Option<Password>, String> {
    if let Some(pw) = pw {
        return Ok(Some(Password::new(pw.as_str())));
    }
    if let Some(var) = env {
        let value = std::env::var(var).map_err(|_| format!("environment variable {var} is not set"))?;
        return Ok(Some(Password::new(value)));
    }
    if let Some(file) = file {
        return Password::from_file(file).map(Some).map_err(|e| e.to_string());
    }
    Ok(None)
}

fn exporting(args: &Args) -> bool {
    args.export_p12.is_some() || args.export_key.is_some() || args.export_truststore.is_some()
}

/// Writes the requested exports; the export password defaults to the input password.
fn export(args: &Args, validation: &certbundle::Validation<'_>) -> Result<(), String> {
    let mut options = ExportOptions::default();
    options.password = match read_password(
        &args.export_password,
        &args.export_password_env,
        &args.export_password_file,
    )? {
        Some(pw) => Some(pw),
        None => input_password(args, validation)?,
    };
    if args.legacy {
        options.encryption = Pkcs12Encryption::Legacy;
    }
    // The library refuses an invalid bundle unless accepted; say so in the CLI's words.
    let fail = |e: export::ExportError| match e {
        export::ExportError::Invalid { file, source } => {
            let failing: Vec<&str> = source.failing().iter().map(|id| id.as_str()).collect();
            format!(
                "{}: not written: the bundle is invalid ({} failed)",
                file.display(),
                failing.join(", ")
            )
        }
        other => other.to_string(),
    };
    if let Some(file) = &args.export_p12 {
        export::write_pkcs12(validation, file, &options).map_err(fail)?;
    }
    if let Some(file) = &args.export_key {
        export::write_key(validation, file, &options).map_err(fail)?;
    }
    if let Some(file) = &args.export_truststore {
        export::write_truststore(validation, file, &options).map_err(fail)?;
    }
    Ok(())
}

/// The fixes that a command-line user carries out with one of this CLI's
/// options, in words that name the option; the library's words otherwise.
fn cli_wording(fix: &Fix) -> Option<Cow<'static, str>> {
    Some(match fix {
        Fix::WriteChainLeafFirst => {
            "write it leaf first with --write-chain FILE (every --export-* writes it so), or download the PEM \
             format with the root last"
                .into()
        }
        Fix::AddCaChain {
            leaf_from: Some(Format::Pkcs12),
        } => "the PKCS#12 file was made without the CA chain: give the CA chain files (the PEM or PKCS#7 \
              download) alongside it, and write a new one with --export-p12 FILE, which includes the chain"
            .into(),
        Fix::RemoveDuplicate => "remove the duplicate, or write a clean chain with --write-chain FILE".into(),
        Fix::RemoveUnrelated => "remove it from the bundle, or write a clean chain with --write-chain FILE".into(),
        Fix::UseTrustedIssuer => {
            "use the certificate issued under the trusted root, or check that the --trust file is the right one".into()
        }
        Fix::UseOtherEnvironment { profile } => {
            format!("use the certificate issued for this environment, or validate with --profile {profile}").into()
        }
        Fix::ConfirmTrustAnchor => "give the root CA certificate the server trusts with --trust ROOT to confirm that \
                                    the chain ends at it"
            .into(),
        Fix::GiveServerCa => "give the server's CA certificate with --server-ca FILE (the network's CA, or the zip \
                              download that carries it)"
            .into(),
        _ => return None,
    })
}

fn print(args: &Args, report: &mut Report, header: Option<&str>) -> Result<(), String> {
    report.reword_fixes(cli_wording);
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // JSON Lines carry no header: each report names its inputs.
    let written = match args.format {
        FormatArg::Json => report.write_json(&mut out),
        FormatArg::Text => header
            .map_or(Ok(()), |h| writeln!(out, "{h}"))
            .and_then(|()| report.write_text(&mut out, color)),
    }
    .and_then(|()| out.flush());
    match written {
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write the report: {e}")),
        _ => Ok(()),
    }
}
