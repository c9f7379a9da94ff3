//! Shared by the fuzz targets: small limits, and decode + validate of one input.
#![allow(dead_code)]

use certbundle::{Input, Limits, Options, Password};

/// 2028-01-01T00:00:00Z: inside the fixtures' validity, and fixed so runs replay.
pub const AT: certbundle::Time = certbundle::Time::from_unix(1_830_297_600);

/// Limits small enough to keep every execution fast; large enough for fixtures.
pub fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_input_bytes = 1 << 20;
    limits.max_pem_blocks = 1_000;
    limits.max_certificates = 1_000;
    limits.max_zip_entries = 100;
    limits.max_zip_entry_bytes = 1 << 20;
    limits.max_zip_total_bytes = 4 << 20;
    limits.max_kdf_iterations = 10_000;
    limits.max_scrypt_memory = 16 << 20;
    limits
}

pub fn options(password: &str) -> Options {
    let mut options = Options::default();
    options.limits = limits();
    options.passwords = vec![Password::new(password)];
    options.at = Some(AT);
    options
}

/// Decodes `bytes`; when that works, validates the pool and renders the report.
pub fn decode_and_validate(name: &str, bytes: &[u8], password: &str) {
    let options = options(password);
    let input = Input::from_bytes(name, bytes.to_vec());
    if let Ok(pool) = certbundle::decode(&input, &options.limits, options.passwords.first()) {
        let validation = certbundle::validate(&pool, &options);
        let report = validation.report();
        let _ = report.to_json();
        let _ = report.to_text(false);
        let _ = validation.chain_pem();
        let _ = validation.key();
    }
}

/// Standard base64 with 64-column lines, as PEM bodies are written.
pub fn base64_lines(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut plain = String::with_capacity(data.len() * 4 / 3 + 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                plain.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                plain.push('=');
            }
        }
    }
    let mut out = String::with_capacity(plain.len() + plain.len() / 64 + 1);
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && i % 64 == 0 {
            out.push('\n');
        }
        out.push(c);
    }
    out.push('\n');
    out
}

/// `der` as one PEM block.
pub fn pem(label: &str, der: &[u8]) -> String {
    format!(
        "-----BEGIN {label}-----\n{}-----END {label}-----\n",
        base64_lines(der)
    )
}
