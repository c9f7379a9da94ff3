//! `zip`: either the bytes as given (the sniffer routes them), or a zip built
//! in memory from arbitrary entries: names, data (raw or a fixture), stored or
//! deflated, nested archives. Password `changeit`.
#![no_main]

mod common;

use std::io::{Cursor, Write};

use arbitrary::Arbitrary;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

const FIXTURES: [&[u8]; 4] = [
    include_bytes!("../fixtures/leaf.der"),
    include_bytes!("../fixtures/int.der"),
    include_bytes!("../fixtures/root.der"),
    include_bytes!("../fixtures/leaf.key"),
];

#[derive(Debug, Arbitrary)]
enum Case<'a> {
    Raw(&'a [u8]),
    Built(Vec<Entry<'a>>),
}

#[derive(Debug, Arbitrary)]
struct Entry<'a> {
    name: &'a str,
    deflate: bool,
    content: Content<'a>,
}

#[derive(Debug, Arbitrary)]
enum Content<'a> {
    Bytes(&'a [u8]),
    Fixture(u8),
    FixturePem(u8),
    Directory,
    Zip(Vec<Entry<'a>>),
}

fn build(entries: &[Entry<'_>], depth: u32) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for entry in entries.iter().take(64) {
        let method = if entry.deflate {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default().compression_method(method);
        let data: Vec<u8> = match &entry.content {
            Content::Bytes(b) => b.to_vec(),
            Content::Fixture(i) => FIXTURES[usize::from(*i) % FIXTURES.len()].to_vec(),
            Content::FixturePem(i) => {
                let i = usize::from(*i) % 3;
                common::pem("CERTIFICATE", FIXTURES[i]).into_bytes()
            }
            Content::Directory => {
                let _ = writer.add_directory(entry.name, options);
                continue;
            }
            Content::Zip(inner) if depth < 4 => build(inner, depth + 1),
            Content::Zip(_) => Vec::new(),
        };
        if writer.start_file(entry.name, options).is_err() {
            continue;
        }
        let _ = writer.write_all(&data);
    }
    writer.finish().map(Cursor::into_inner).unwrap_or_default()
}

libfuzzer_sys::fuzz_target!(|case: Case<'_>| {
    match case {
        Case::Raw(bytes) => common::decode_and_validate("zip", bytes, "changeit"),
        Case::Built(entries) => {
            let bytes = build(&entries, 0);
            common::decode_and_validate("built.zip", &bytes, "changeit");
        }
    }
});
