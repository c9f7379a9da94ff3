//! `mtls_client`: try a mutual-TLS connection with whatever the portal
//! handed out and say how it went, using `certbundle::connect`. The bundle
//! is validated first; an invalid verdict is shown but does not stop the
//! attempt (the server's answer is what you came for), unless there is no
//! certificate and key to present.
//!
//!     cargo run --example mtls_client -- HOST:PORT SERVER-CA FILE... [--password PW] [--server-name NAME]
//!
//! SERVER-CA is any certificate file certbundle reads (PEM, DER, p7b, zip,
//! p12). Exit 0 when the server accepted the client, 1 when not, 2 on a
//! usage or input error.

use std::process::ExitCode;

use certbundle::connect::{self, ConnectRequest, Outcome};
use certbundle::{Options, Password, Verdict};
use rustls::pki_types::CertificateDer;

const USAGE: &str = "usage: mtls_client HOST:PORT SERVER-CA FILE... [--password PW] [--server-name NAME]";

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("mtls_client: {message}");
            ExitCode::from(2)
        }
    }
}

/// Takes `--flag VALUE` out of `args`.
fn take_option(args: &mut Vec<String>, flag: &str) -> Result<Option<String>, String> {
    let Some(i) = args.iter().position(|a| a == flag) else {
        return Ok(None);
    };
    let value = args.get(i + 1).ok_or(format!("{flag} needs a value"))?.clone();
    args.drain(i..=i + 1);
    Ok(Some(value))
}

fn run() -> Result<bool, String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = Options::default();
    options.passwords = take_option(&mut args, "--password")?
        .map(Password::new)
        .into_iter()
        .collect();
    let server_name = take_option(&mut args, "--server-name")?;
    let [address, server_ca, files @ ..] = args.as_slice() else {
        return Err(USAGE.to_owned());
    };
    if files.is_empty() {
        return Err(USAGE.to_owned());
    }
    let pool = certbundle::load_paths(files, &options).map_err(|e| e.to_string())?;
    let validation = certbundle::validate(&pool, &options);
    if validation.report().verdict != Verdict::Valid {
        println!(
            "the bundle is not valid; trying anyway:\n{}",
            validation.report().to_text(false)
        );
    }
    let server_cas = certbundle::load_paths(&[server_ca], &options).map_err(|e| e.to_string())?;
    let mut request = ConnectRequest::new(address.as_str())
        .client_identity(validation.tls_chain(), validation.tls_key())
        .server_cas(
            server_cas
                .certificates()
                .iter()
                .map(|c| CertificateDer::from(c.der().to_vec()))
                .collect(),
        );
    if let Some(name) = server_name {
        request = request.server_name(name);
    }
    let connection = connect::connect(&request);
    println!(
        "{}",
        serde_json::to_string_pretty(&connection).map_err(|e| e.to_string())?
    );
    let handshake = connection.handshake_outcome();
    for (check, outcome) in [
        ("tls.handshake", handshake.clone()),
        ("tls.server-trust", connection.server_trust_outcome()),
        ("tls.client-ca", connection.client_ca_outcome()),
    ] {
        match outcome {
            Outcome::Pass => println!("{check}: pass"),
            Outcome::Fail { problem, fix, .. } => println!("{check}: fail: {problem}\n  fix: {fix}"),
            Outcome::Skip { info } => println!(
                "{check}: skip{}",
                info.map(|i| format!(": {i}")).unwrap_or_default()
            ),
            other => println!("{check}: {other:?}"),
        }
    }
    Ok(handshake == Outcome::Pass)
}
