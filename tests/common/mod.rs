//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use certbundle::model::Pool;
use certbundle::report::{CheckId, Finding};
use certbundle::{Error, ErrorKind, Input, Limits, Options, Password, Report};

/// The fixed validation time of every fixture expectation.
pub(crate) mod s_server;

pub(crate) const AT: &str = "2026-12-01T00:00:00Z";

pub(crate) fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
}

pub(crate) fn read(rel: &str) -> Vec<u8> {
    std::fs::read(path(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e} (run testdata/gen.sh)"))
}

pub(crate) fn input(rel: &str) -> Input {
    Input::from_bytes(rel, read(rel))
}

/// Decodes one fixture with an optional password.
pub(crate) fn decode(rel: &str, password: Option<&str>) -> Result<Pool, Error> {
    certbundle::decode(
        &input(rel),
        &Limits::default(),
        password.map(Password::new).as_ref(),
    )
}

pub(crate) fn decode_ok(rel: &str, password: Option<&str>) -> Pool {
    decode(rel, password).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub(crate) fn options(password: Option<&str>) -> Options {
    let mut options = Options::default();
    options.passwords = password.map(Password::new).into_iter().collect();
    options.at = Some(certbundle::Time::parse(AT).unwrap());
    options
}

/// Loads and validates fixtures as one bundle at [`AT`].
pub(crate) fn report(files: &[&str], password: Option<&str>) -> Report {
    let paths: Vec<PathBuf> = files.iter().map(|f| path(f)).collect();
    certbundle::report_paths(&paths, &options(password))
}

/// The SHA-256 (hex) of a `testdata/certs/NAME.crt` fixture.
pub(crate) fn fingerprint(name: &str) -> String {
    let pool = decode_ok(&format!("certs/{name}.crt"), None);
    pool.certificates()[0].sha256_hex()
}

/// The report's first finding of `check` (the test fails without one).
pub(crate) fn finding(report: &Report, check: CheckId) -> &Finding {
    report
        .findings
        .iter()
        .find(|f| f.check == check)
        .unwrap_or_else(|| panic!("no {check} finding in:\n{}", report.to_text(false)))
}

pub(crate) fn kind(error: &Error) -> &'static str {
    error.kind().as_str()
}

pub(crate) fn subjects(pool: &Pool) -> Vec<String> {
    pool.certificates()
        .iter()
        .map(|c| c.subject().to_string())
        .collect()
}

pub(crate) fn is_kind(error: &Error, f: impl Fn(&ErrorKind) -> bool) -> bool {
    f(error.kind())
}

/// One entry of a hand-built zip archive.
pub(crate) struct RawEntry<'a> {
    pub(crate) name: &'a str,
    /// 0 = stored, 8 = deflated.
    pub(crate) method: u16,
    /// General purpose flags (bit 0: encrypted).
    pub(crate) flags: u16,
    /// What the headers claim the uncompressed size is.
    pub(crate) declared_size: u32,
    pub(crate) data: &'a [u8],
}

/// Writes a zip archive byte by byte, so tests control every header field
/// (lying sizes, encryption flags, hostile names) that a zip writer would
/// never produce.
pub(crate) fn raw_zip(entries: &[RawEntry<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let name = e.name.as_bytes();
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes()); // version made by
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(e.flags.to_le_bytes());
            h.extend(e.method.to_le_bytes());
            h.extend([0u8; 4]); // time, date
            h.extend(0u32.to_le_bytes()); // crc (never reached: limits refuse first, or stored data is checked by tests)
            h.extend((e.data.len() as u32).to_le_bytes());
            h.extend(e.declared_size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0u8; 6]); // comment len, disk, internal attrs
                h.extend(0u32.to_le_bytes()); // external attrs
                h.extend(offset.to_le_bytes());
            }
            h.extend(name);
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(e.data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    let n = entries.len();
    if n > 0xffff {
        // Zip64 end of central directory record and locator carry the real count.
        let record = out.len() as u64;
        out.extend(0x0606_4b50u32.to_le_bytes());
        out.extend(44u64.to_le_bytes());
        out.extend(45u16.to_le_bytes());
        out.extend(45u16.to_le_bytes());
        out.extend([0u8; 8]); // this disk, disk with the central directory
        out.extend((n as u64).to_le_bytes());
        out.extend((n as u64).to_le_bytes());
        out.extend((central.len() as u64).to_le_bytes());
        out.extend(u64::from(cd_offset).to_le_bytes());
        out.extend(0x0706_4b50u32.to_le_bytes());
        out.extend(0u32.to_le_bytes());
        out.extend(record.to_le_bytes());
        out.extend(1u32.to_le_bytes());
    }
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    let n = n.min(0xffff) as u16;
    out.extend(n.to_le_bytes());
    out.extend(n.to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// A stored zip entry with a correct CRC, via the zip crate's own reader
/// expectations: crc32 computed here.
pub(crate) fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let name = name.as_bytes();
        for central_dir in [false, true] {
            let mut h = Vec::new();
            h.extend(if central_dir { 0x0201_4b50u32 } else { 0x0403_4b50 }.to_le_bytes());
            if central_dir {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes());
            h.extend(0u16.to_le_bytes());
            h.extend(0u16.to_le_bytes());
            h.extend([0u8; 4]);
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes());
            if central_dir {
                h.extend([0u8; 6]);
                h.extend(0u32.to_le_bytes());
                h.extend(offset.to_le_bytes());
            }
            h.extend(name);
            if central_dir {
                central.extend(h);
            } else {
                out.extend(h);
                out.extend(*data);
            }
        }
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// CRC-32 (IEEE), bitwise: test inputs are small.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A fresh, empty scratch folder for one test of one test binary.
pub(crate) fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certbundle-it-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The folder's entries, sorted (a left-over temporary file would show).
pub(crate) fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A binary of `cargo build --examples`, beside this test binary's folder.
/// `cargo test` builds the examples first; `cargo test --test NAME` alone
/// does not, and would find none (or a stale one).
pub(crate) fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let bin = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is not built: run `cargo build --examples`",
        bin.display()
    );
    bin
}
