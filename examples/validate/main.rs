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

use certbundle::{Options, Password, Profile, Report, Validation, Verdict};
use clap::{CommandFactory, FromArgMatches};

use args::{Args, FormatArg, PasswordSource, ProfileArg};

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
    args.password_order = args::password_order(&matches);
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
    options.passwords = passwords(args)?;
    options.profile = match args.profile {
        ProfileArg::Generic => Profile::Generic,
        ProfileArg::KmpMtf => Profile::KmpMtf,
        ProfileArg::KmpProd => Profile::KmpProd,
    };
    options.at = args
        .at
        .as_deref()
        .map(certbundle::Time::parse)
        .transpose()
        .map_err(|e| e.to_string())?;
    if !args.trust.is_empty() {
        let anchors = certbundle::load_paths(&args.trust, &options).map_err(|e| format!("--trust: {e}"))?;
        options.trust_anchors = anchors.certificates().to_vec();
    }
    if !args.server_ca.is_empty() {
        let cas =
            certbundle::load_paths(&args.server_ca, &options).map_err(|e| format!("--server-ca: {e}"))?;
        options.server_cas = cas.certificates().to_vec();
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
        if args.exporting() || args.key.is_some() || args.csr.is_some() {
            return Err(
                "--key, --csr, --write-chain, --for, --add-to-truststore and --export-* take one bundle; they \
                 cannot be used with --each"
                    .to_owned(),
            );
        }
        // Each report is written as soon as it is ready, while the next are validated.
        let (mut worst, mut written) = (Verdict::Valid, Ok(()));
        certbundle::report_each_streaming(&args.files, &options, |path, mut report| {
            if written.is_ok() {
                written = print(args, &mut report, Some(&format!("== {}", path.display())));
            }
            if report.verdict.exit_code() > worst.exit_code() {
                worst = report.verdict;
            }
        });
        return written.map(|()| worst);
    }
    let mut files = args.files.clone();
    files.extend(args.key.iter().cloned());
    files.extend(args.csr.iter().cloned());
    if files.is_empty() {
        return Err(
            "no certificate or request: give the certificate files, or --csr FILE to check a request"
                .to_owned(),
        );
    }
    // A failed export still prints the report (error kind `export`), then exits 2.
    let mut exported = Ok(());
    let mut report = match certbundle::load_bundle(&files, &options) {
        Err(error) => Report::from_error(&error, options.time(), options.profile),
        Ok(pool) => {
            let mut validation = certbundle::validate(&pool, &options);
            if let Some(address) = &args.connect {
                connect(args, address, &mut validation);
            }
            let mut report = validation.report().clone();
            if args.exporting() {
                let input_password = input_password(args, &validation)?;
                // --export-invalid: the explicit way to ask the library for an invalid bundle.
                let validation = if args.export_invalid {
                    validation.accept_invalid()
                } else {
                    validation
                };
                exported = exports::run(args, &validation, &mut report, input_password);
            }
            report
        }
    };
    print(args, &mut report, None)?;
    exported?;
    Ok(report.verdict)
}

/// The handshake: the identity from the validation, the server side (the
/// zip's extra CA chains and --server-ca), bounded by --connect-timeout.
#[cfg(feature = "rustls")]
fn connect(args: &Args, address: &str, validation: &mut Validation<'_>) {
    let server_cas: Vec<_> = validation
        .server_cas()
        .iter()
        .map(|c| rustls::pki_types::CertificateDer::from(c.der().to_vec()))
        .collect();
    let mut request = validation
        .connect_request(address)
        .add_server_cas(server_cas)
        .timeout(std::time::Duration::from_secs(args.connect_timeout));
    if let Some(name) = &args.server_name {
        request = request.server_name(name.as_str());
    }
    let connection = certbundle::connect::connect(&request);
    validation.record_connection(connection);
}

#[cfg(not(feature = "rustls"))]
fn connect(_: &Args, _: &str, _: &mut Validation<'_>) {}

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
fn input_password(args: &Args, validation: &Validation<'_>) -> Result<Option<Password>, String> {
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
    if let Some(error) = &mut report.error {
        error
            .message
            .push_str(wording::input_error_hint(&error.kind, &error.message));
    }
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
