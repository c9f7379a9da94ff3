//! `jks`: the bytes as given; the sniffer routes them to every decoder
//! (seeded with JKS and JCEKS keystores). Password `changeit`, then no
//! password: a keystore read without one skips its integrity digest, so
//! mutated entries reach the entry parser instead of stopping at the digest.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::decode_and_validate("jks", data, "changeit");
    let input = certbundle::Input::from_bytes("jks", data.to_vec());
    let _ = certbundle::decode(&input, &common::limits(), None);
});
