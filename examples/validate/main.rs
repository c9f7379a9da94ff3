//! `validate`: the command-line face of certbundle. It parses arguments,
//! calls the library, prints the report and maps the verdict to the exit
//! code (0 valid, 1 invalid, 2 input or export error); everything else is
//! the library's.
//!
//!     cargo run --release --example validate -- [OPTIONS] <FILE>...

mod args;
mod exports;
mod wording;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use certbundle::{Options, Password, Profile, Report, Verdict};
use clap::Parser;

use args::{Args, FormatArg, ProfileArg};

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
    let mut options = Options::default().with_warn_days(args.warn_days);
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
    if !args.server_ca.is_empty() {
        let cas =
            certbundle::load_paths(&args.server_ca, &options).map_err(|e| format!("--server-ca: {e}"))?;
        options.server_cas = cas.certificates().to_vec();
    }
    if args.each {
        if args.exporting() || args.key.is_some() || args.csr.is_some() {
            return Err(
                "--key, --csr, --write-chain, --for, --add-to-truststore and --export-* take one bundle; they \
                 cannot be used with --each"
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
    // A failed export still prints the report (error kind `export`), then exits 2.
    let mut exported = Ok(());
    let mut report = match certbundle::load_paths(&files, &options) {
        Err(error) => Report::from_error(&error, options.time(), options.profile),
        Ok(pool) => {
            let validation = certbundle::validate(&pool, &options);
            let mut report = validation.report().clone();
            if args.exporting() {
                exported = exports::run(args, &validation, &mut report, options.password.clone());
            }
            report
        }
    };
    print(args, &mut report, None)?;
    exported?;
    Ok(report.verdict)
}

fn password(args: &Args) -> Result<Option<Password>, String> {
    read_password(&args.password, &args.password_env, &args.password_file)
}

pub(crate) fn read_password(
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

fn print(args: &Args, report: &mut Report, header: Option<&str>) -> Result<(), String> {
    report.reword_fixes(wording::cli_wording);
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
