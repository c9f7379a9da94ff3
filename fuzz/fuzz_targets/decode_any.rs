//! `decode_any`: the bytes as given; the sniffer routes them to every decoder
//! (seeded with every fixture). Password `changeit`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::decode_and_validate("decode_any", data, "changeit");
});
