//! `request`: make the private key and the certificate request (CSR) the
//! portal asks for, without OpenSSL. It parses arguments, gets the
//! passphrase, calls `certbundle::request::create` and prints what was
//! written; the library does the rest.
//!
//!     cargo run --release --example request -- --profile kmp-mtf \
//!         --subject 'C=US, O=Example Corp, CN=MTF XBS' \
//!         --key-out PRIVATEKEY.key --csr-out MYCSR.csr --password-env VAR
//!
//! Exit codes: 0 written; 1 refused by the profile; 2 any other refusal or
//! error. Nothing is written unless it exits 0.
//!
//! The passphrase comes from `--password-env`, `--password-file`, or, when
//! neither is given and stdin is a terminal, a prompt (asked twice) read with
//! echo turned off through `stty -echo`; with no terminal the command refuses.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use certbundle::request::{self, KeyProtection, RequestError, RequestOptions, RsaBits, Subject};
use certbundle::{Password, Profile};
use clap::{Parser, ValueEnum};
use zeroize::Zeroizing;

/// Make an RSA private key and a PKCS#10 certificate request for it.
#[derive(Parser, Debug)]
#[command(name = "request", version, about)]
struct Args {
    /// Rules the subject must follow: kmp-mtf needs CN=MTF XBS, kmp-prod CN=PROD XBS.
    #[arg(long, value_enum, default_value = "generic")]
    profile: ProfileArg,
    /// The subject, like 'C=US, O=Example Corp, CN=MTF XBS' or '/C=US/O=Example Corp/CN=MTF XBS'
    /// (escape a ',' or '/' inside a value with '\').
    #[arg(long, value_name = "S")]
    subject: String,
    /// Where to write the private key (PKCS#8 PEM, mode 0600); must not exist.
    #[arg(long, value_name = "F")]
    key_out: PathBuf,
    /// Where to write the request (PEM); must not exist.
    #[arg(long, value_name = "F")]
    csr_out: PathBuf,
    /// RSA key size: 2048, 3072 or 4096.
    #[arg(long, value_name = "BITS", default_value_t = 2048)]
    bits: u32,
    /// Read the key's passphrase from this environment variable.
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// Read the key's passphrase from the first line of this file.
    #[arg(long, value_name = "F")]
    password_file: Option<PathBuf>,
    /// Write the key unencrypted (for software that takes no passphrase).
    #[arg(long)]
    no_encrypt: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ProfileArg {
    Generic,
    KmpMtf,
    KmpProd,
}

/// Exit code of a profile refusal.
const REFUSED: u8 = 1;
/// Exit code of every other refusal or error.
const ERROR: u8 = 2;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            eprintln!("request: {message}");
            ExitCode::from(code)
        }
    }
}

fn run(args: &Args) -> Result<(), (u8, String)> {
    let error = |message: String| (ERROR, message);
    let subject = Subject::parse(&args.subject).map_err(|e| error(format!("--subject: {e}")))?;
    let bits = RsaBits::from_bits(args.bits)
        .ok_or_else(|| error(format!("--bits {}: expected 2048, 3072 or 4096", args.bits)))?;
    let profile = match args.profile {
        ProfileArg::Generic => Profile::Generic,
        ProfileArg::KmpMtf => Profile::KmpMtf,
        ProfileArg::KmpProd => Profile::KmpProd,
    };
    // The profile speaks first: no passphrase is asked for a subject it refuses.
    let problems = request::profile_problems(profile, &subject, bits);
    if !problems.is_empty() {
        return Err(refused(RequestError::Refused { profile, problems }));
    }
    let mut options = RequestOptions::default();
    options.profile = profile;
    options.bits = bits;
    options.password = password(args).map_err(error)?;
    let written = request::create(&subject, &args.key_out, &args.csr_out, &options).map_err(refused)?;
    let protection = match written.protection {
        KeyProtection::None => {
            eprintln!(
                "request: warning: {} is not encrypted: whoever can read the file has the key",
                written.key_file.display()
            );
            written.protection.to_string()
        }
        _ => format!("encrypted ({})", written.protection),
    };
    println!(
        "wrote {}: {} private key, {protection}, mode 0600",
        written.key_file.display(),
        written.key_algorithm
    );
    println!(
        "wrote {}: certificate request (PKCS#10, signed with sha256WithRSAEncryption)",
        written.csr_file.display()
    );
    println!("  subject       {}", written.subject);
    println!("  key           {}", written.key_algorithm);
    println!("  SPKI SHA-256  {}", written.spki_sha256);
    println!("checked: both files read back; the request is for this key and its signature verifies");
    Ok(())
}

/// The exit code and message of a library error, in the CLI's words.
fn refused(e: RequestError) -> (u8, String) {
    match &e {
        RequestError::Refused { .. } => (REFUSED, format!("{e} (nothing was written)")),
        RequestError::Exists { .. } => (ERROR, format!("{e}; choose another --key-out / --csr-out")),
        _ => (ERROR, e.to_string()),
    }
}

/// The passphrase: `None` only with `--no-encrypt`.
fn password(args: &Args) -> Result<Option<Password>, String> {
    let given = usize::from(args.password_env.is_some()) + usize::from(args.password_file.is_some());
    if args.no_encrypt {
        if given > 0 {
            return Err(
                "--no-encrypt writes the key without a passphrase; drop --password-env / --password-file"
                    .to_owned(),
            );
        }
        return Ok(None);
    }
    if given > 1 {
        return Err("give one of --password-env and --password-file".to_owned());
    }
    if let Some(var) = &args.password_env {
        let value = std::env::var(var)
            .map_err(|_| format!("--password-env: environment variable {var} is not set"))?;
        return non_empty(Password::new(value), "--password-env").map(Some);
    }
    if let Some(file) = &args.password_file {
        let password = Password::from_file(file).map_err(|e| format!("--password-file: {e}"))?;
        return non_empty(password, "--password-file").map(Some);
    }
    if !std::io::stdin().is_terminal() {
        return Err(
            "no passphrase for the key: give --password-env VAR or --password-file F \
                    (or run in a terminal to be asked), or --no-encrypt for an unencrypted key"
                .to_owned(),
        );
    }
    let first = prompt("Passphrase for the new key: ")?;
    let again = prompt("The same passphrase again: ")?;
    if *first != *again {
        return Err("the two passphrases differ; nothing was written".to_owned());
    }
    non_empty(Password::new(first.as_str()), "the prompt").map(Some)
}

/// An empty passphrase encrypts nothing worth the name.
fn non_empty(password: Password, from: &str) -> Result<Password, String> {
    if password.is_empty() {
        return Err(format!(
            "{from}: the passphrase is empty; give one, or --no-encrypt"
        ));
    }
    Ok(password)
}

/// Reads one line from the terminal with echo off (`stty -echo`), turning
/// echo back on whatever happens after it was turned off.
fn prompt(text: &str) -> Result<Zeroizing<String>, String> {
    // Echo goes off before the prompt shows, so nothing typed after it echoes.
    stty("-echo")?;
    eprint!("{text}");
    let _ = std::io::stderr().flush();
    let mut line = Zeroizing::new(String::new());
    let read = std::io::stdin().lock().read_line(&mut line);
    let restored = stty("echo");
    eprintln!();
    read.map_err(|e| format!("cannot read the passphrase: {e}"))?;
    restored?;
    let end = line.trim_end_matches(['\r', '\n']).len();
    line.truncate(end);
    Ok(line)
}

/// Runs `stty ARG` on the terminal that is stdin.
fn stty(arg: &str) -> Result<(), String> {
    let status = Command::new("stty")
        .arg(arg)
        .stdin(Stdio::inherit())
        .status()
        .map_err(|e| {
            format!("cannot run stty to hide the passphrase ({e}); use --password-env or --password-file")
        })?;
    if status.success() {
        Ok(())
    } else {
        Err("stty could not hide the passphrase; use --password-env or --password-file".to_owned())
    }
}
