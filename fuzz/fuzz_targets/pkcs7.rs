//! `pkcs7`: the bytes as given; the sniffer routes them to every decoder
//! (seeded with pkcs7 fixtures). Password `changeit`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::decode_and_validate("pkcs7", data, "changeit");
});
