//! `pkcs12`: the bytes as given; the sniffer routes them to every decoder
//! (seeded with pkcs12 fixtures). Password `changeit`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::decode_and_validate("pkcs12", data, "changeit");
});
