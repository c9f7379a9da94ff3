//! `pem`: bytes wrapped so they always look like PEM. The first byte picks the
//! label (and for `RSA PRIVATE KEY` the Proc-Type/DEK-Info cipher), the second
//! whether the rest is base64-encoded (reaching the DER decoders) or placed raw
//! (exercising the PEM parser). Password `test1234`.
#![no_main]

mod common;

const LABELS: [&str; 8] = [
    "CERTIFICATE",
    "PKCS7",
    "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "RSA PRIVATE KEY",
    "CERTIFICATE REQUEST",
    "EC PRIVATE KEY",
    "TRUSTED CERTIFICATE",
];
const CIPHERS: [&str; 6] = [
    "AES-128-CBC",
    "AES-192-CBC",
    "AES-256-CBC",
    "DES-EDE3-CBC",
    "DES-CBC",
    "BF-CBC",
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let [select, mode, rest @ ..] = data else {
        return;
    };
    let label = LABELS[usize::from(select % 8)];
    let mut text = format!("-----BEGIN {label}-----\n");
    let mut body = rest;
    if label == "RSA PRIVATE KEY" && select & 0x80 != 0 {
        // Encrypted traditional key: cipher from the high bits, IV from the data.
        let cipher = CIPHERS[usize::from((select >> 3) & 0x0f) % CIPHERS.len()];
        let iv_len = if cipher.starts_with("AES") { 16 } else { 8 }.min(body.len());
        let (iv, tail) = body.split_at(iv_len);
        let iv: String = iv.iter().map(|b| format!("{b:02X}")).collect();
        text.push_str(&format!("Proc-Type: 4,ENCRYPTED\nDEK-Info: {cipher},{iv}\n\n"));
        body = tail;
    }
    if mode & 1 == 0 {
        text.push_str(&common::base64_lines(body));
    } else {
        text.push_str(&String::from_utf8_lossy(body));
        text.push('\n');
    }
    text.push_str(&format!("-----END {label}-----\n"));
    if mode & 2 != 0 {
        // A second block after the first: multi-block files.
        let again = text.clone();
        text.push_str(&again);
    }
    common::decode_and_validate("pem", text.as_bytes(), "test1234");
});
