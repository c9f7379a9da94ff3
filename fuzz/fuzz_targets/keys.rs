//! `keys`: the bytes as given; the sniffer routes them to every decoder
//! (seeded with keys fixtures). Password `test1234`.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::decode_and_validate("keys", data, "test1234");
});
