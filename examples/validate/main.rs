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

use certbundle::{Fix, Options, Password, Profile, Report, Verdict};
use clap::{Parser, ValueEnum};

/// Validate a mutual-TLS client certificate bundle: chain, key, CSR, validity, usage.
#[derive(Parser, Debug)]
#[command(name = "validate", version, about)]
struct Args {
    /// Certificates, bundles, keys, CSRs, PKCS#12 or zip files; all merged into one pool
    /// (with --each: every file, directories walked, is its own bundle).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Password for PKCS#12 files and encrypted private keys.
    #[arg(long, value_name = "PW")]
    password: Option<String>,
    /// Read the password from this environment variable.
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// Read the password from the first line of this file.
    #[arg(long, value_name = "F")]
    password_file: Option<PathBuf>,
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
    let args = Args::parse();
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
    options.password = password(args)?;
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
    let mut report = match certbundle::load_paths(&files, &options) {
        Err(error) => Report::from_error(&error, options.time(), options.profile),
        Ok(pool) => {
            let validation = certbundle::validate(&pool, &options);
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

fn password(args: &Args) -> Result<Option<Password>, String> {
    read_password(&args.password, &args.password_env, &args.password_file)
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
        None => password(args)?,
    };
    if args.legacy {
        options.encryption = Pkcs12Encryption::Legacy;
    }
    let fail = |e: export::ExportError| e.to_string();
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
        Fix::RemoveDuplicate => "remove the duplicate, or write a clean chain with --write-chain FILE".into(),
        Fix::RemoveUnrelated => "remove it from the bundle, or write a clean chain with --write-chain FILE".into(),
        Fix::UseTrustedIssuer => {
            "use the certificate issued under the trusted root, or check that the --trust file is the right one".into()
        }
        Fix::UseOtherEnvironment { profile } => {
            format!("use the certificate issued for this environment, or validate with --profile {profile}").into()
        }
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
