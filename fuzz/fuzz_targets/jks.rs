//! `jks`: the bytes as given; the sniffer routes them to every decoder
//! (seeded with JKS and JCEKS keystores). Password `changeit`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::decode_and_validate("jks", data, "changeit");
});
