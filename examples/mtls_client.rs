//! `mtls_client`: connect to a server with mutual TLS using whatever the
//! portal handed out, via certbundle's rustls integration. It validates the
//! bundle first and refuses to connect with one that `validate` fails.
//!
//!     cargo run --release --example mtls_client -- HOST:PORT SERVER-CA.pem [--password PW] FILE...

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::sync::Arc;

use certbundle::{Options, Password};
use rustls::pki_types::{CertificateDer, ServerName};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mtls_client: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut options = Options::default();
    if let Some(i) = args.iter().position(|a| a == "--password") {
        let pw = args.get(i + 1).ok_or("--password needs a value")?.clone();
        options.password = Some(Password::new(pw));
        args.drain(i..=i + 1);
    }
    let [address, server_ca, files @ ..] = args.as_slice() else {
        return Err("usage: mtls_client HOST:PORT SERVER-CA.pem [--password PW] FILE...".to_owned());
    };
    let pool = certbundle::load_paths(files, &options).map_err(|e| e.to_string())?;
    let validation = certbundle::validate(&pool, &options);
    // The library refuses an invalid bundle (a root-first PEM aside: the
    // chain is presented leaf first); the report says why.
    if let Err(invalid) = validation.usable() {
        return Err(format!("{invalid}\n{}", validation.report().to_text(false)));
    }
    // The server's CA: any certificate file certbundle reads (PEM, DER, p7b, zip, p12).
    let ca_pool = certbundle::load_paths(&[server_ca], &options).map_err(|e| e.to_string())?;
    let mut roots = rustls::RootCertStore::empty();
    for cert in ca_pool.certificates() {
        roots
            .add(CertificateDer::from(cert.der().to_vec()))
            .map_err(|e| e.to_string())?;
    }
    let config = validation.client_config(roots).map_err(|e| e.to_string())?;
    let host = address
        .rsplit_once(':')
        .map_or(address.as_str(), |(h, _)| h)
        .to_owned();
    let name = ServerName::try_from(host).map_err(|e| e.to_string())?;
    let connection = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    let socket = TcpStream::connect(address).map_err(|e| format!("connect {address}: {e}"))?;
    let mut tls = rustls::StreamOwned::new(connection, socket);
    tls.write_all(b"hello from certbundle\n")
        .map_err(|e| format!("handshake or write: {e}"))?;
    let suite = tls
        .conn
        .negotiated_cipher_suite()
        .map(|s| format!("{:?}", s.suite()));
    println!(
        "connected to {address} with {:?}, {}; presented {} certificate(s) for {}",
        tls.conn.protocol_version().ok_or("no protocol version")?,
        suite.unwrap_or_default(),
        validation.tls_chain().len(),
        validation
            .report()
            .chain
            .first()
            .map_or("", |c| c.cert.subject.as_str())
    );
    let mut reply = [0u8; 256];
    let n = tls.read(&mut reply).map_err(|e| format!("read: {e}"))?;
    println!(
        "server said: {}",
        String::from_utf8_lossy(reply.get(..n).unwrap_or_default()).trim()
    );
    Ok(())
}
