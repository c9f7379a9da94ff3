//! Library benches, each next to the bare primitives on the same inputs
//! (`pem` + `x509_parser::parse_x509_certificate` + aws-lc-rs signature
//! verification along the chain + key parse), so our overhead reads as a ratio.
//!
//! Inputs: the committed portal bundle in `benches/data/`; the 2,021-cert pool and
//! the 1,000 bundles in `target/bench-data/` (made by `benches/gen_data.py` when absent).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};

use aws_lc_rs::signature::{self as sig, RsaKeyPair, UnparsedPublicKey, VerificationAlgorithm};
use certbundle::{Input, Options};
use criterion::{criterion_group, criterion_main, Criterion};
use x509_parser::prelude::*;

/// 2027-01-01T00:00:00Z: everything in the bench data is valid then.
const AT: certbundle::Time = certbundle::Time::from_unix(1_798_761_600);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn data(name: &str) -> Vec<u8> {
    std::fs::read(root().join("benches/data").join(name)).unwrap()
}

/// The generated inputs, made on first use.
fn generated() -> PathBuf {
    let dir = root().join("target/bench-data");
    if !dir.join("pool-16x-3.pem").exists() {
        let status = std::process::Command::new("python3")
            .arg(root().join("benches/gen_data.py"))
            .arg(&dir)
            .status()
            .expect("python3 benches/gen_data.py");
        assert!(status.success(), "benches/gen_data.py failed");
    }
    dir
}

fn options() -> Options {
    let mut options = Options::default();
    options.at = Some(AT);
    options
}

fn ders(pem_bytes: &[u8]) -> Vec<Vec<u8>> {
    ::pem::parse_many(pem_bytes)
        .unwrap()
        .into_iter()
        .filter(|p| p.tag() == "CERTIFICATE")
        .map(|p| p.into_contents())
        .collect()
}

/// Verifies `child` with `issuer`'s key, as a bare primitive.
fn verify_raw(
    alg: &'static dyn VerificationAlgorithm,
    child: &X509Certificate<'_>,
    issuer: &X509Certificate<'_>,
) {
    UnparsedPublicKey::new(alg, &issuer.public_key().subject_public_key.data)
        .verify(child.tbs_certificate.as_ref(), &child.signature_value.data)
        .unwrap();
}

/// The primitives for a bundle: PEM, parse every cert, verify the chain at
/// `chain` (indices, leaf first) and the root's self-signature.
fn primitives(pem_bytes: &[u8], chain: &[usize], alg: &'static dyn VerificationAlgorithm) -> usize {
    let ders = ders(pem_bytes);
    let certs: Vec<X509Certificate<'_>> = ders
        .iter()
        .map(|d| parse_x509_certificate(d).unwrap().1)
        .collect();
    for pair in chain.windows(2) {
        verify_raw(alg, &certs[pair[0]], &certs[pair[1]]);
    }
    let top = &certs[*chain.last().unwrap()];
    verify_raw(alg, top, top);
    certs.len()
}

/// The chain the library builds, as indices into the PEM's certificates.
fn chain_of(pem_bytes: &[u8]) -> Vec<usize> {
    let pool = certbundle::load(&[Input::from_bytes("in.pem", pem_bytes.to_vec())], &options()).unwrap();
    let validation = certbundle::validate(&pool, &options());
    let all = pool.certificates();
    validation
        .chain()
        .iter()
        .map(|c| all.iter().position(|a| a.sha256() == c.cert.sha256()).unwrap())
        .collect()
}

fn portal(c: &mut Criterion) {
    let bundle = data("bundle.pem");
    let key = data("leaf.key");
    let opts = options();
    let mut g = c.benchmark_group("portal");
    g.bench_function("certbundle: decode + build + checks + key match", |b| {
        b.iter(|| {
            let inputs = [
                Input::from_bytes("bundle.pem", bundle.clone()),
                Input::from_bytes("leaf.key", key.clone()),
            ];
            let pool = certbundle::load(&inputs, &opts).unwrap();
            let report = certbundle::validate(&pool, &opts).into_report();
            assert_eq!(report.verdict, certbundle::Verdict::Valid);
            black_box(report)
        })
    });
    g.bench_function(
        "primitives: pem + parse x3 + 3 RSA verifies + RsaKeyPair::from_pkcs8",
        |b| {
            b.iter(|| {
                let n = primitives(&bundle, &[0, 1, 2], &sig::RSA_PKCS1_2048_8192_SHA256);
                let der = ::pem::parse(&key).unwrap().into_contents();
                let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
                black_box((n, pair))
            })
        },
    );
    g.bench_function("primitive: RsaKeyPair::from_pkcs8 alone", |b| {
        let der = ::pem::parse(&key).unwrap().into_contents();
        b.iter(|| black_box(RsaKeyPair::from_pkcs8(&der).unwrap()))
    });
    g.finish();
}

fn ca_bundle(c: &mut Criterion) {
    let path = Path::new("/etc/ssl/certs/ca-certificates.crt");
    let Ok(bytes) = std::fs::read(path) else {
        eprintln!("no {}: skipped", path.display());
        return;
    };
    let opts = options();
    let mut g = c.benchmark_group("ca-bundle");
    g.bench_function("certbundle: decode", |b| {
        b.iter(|| {
            black_box(
                certbundle::decode(&Input::from_bytes("ca.crt", bytes.clone()), &opts.limits, None).unwrap(),
            )
        })
    });
    g.bench_function("certbundle: decode + validate", |b| {
        b.iter(|| {
            let pool = certbundle::load(&[Input::from_bytes("ca.crt", bytes.clone())], &opts).unwrap();
            black_box(certbundle::validate(&pool, &opts).into_report())
        })
    });
    g.bench_function("primitives: pem + parse every cert", |b| {
        b.iter(|| {
            let ders = ders(&bytes);
            let n = ders.iter().filter(|d| parse_x509_certificate(d).is_ok()).count();
            black_box(n)
        })
    });
    g.finish();
}

fn pool(c: &mut Criterion) {
    let bytes = std::fs::read(generated().join("pool-1x.pem")).unwrap();
    let chain = chain_of(&bytes);
    let opts = options();
    let pool = certbundle::load(&[Input::from_bytes("pool.pem", bytes.clone())], &opts).unwrap();
    let mut g = c.benchmark_group("pool-2021");
    g.sample_size(20);
    g.bench_function("certbundle: build + checks + report (pool loaded)", |b| {
        b.iter(|| black_box(certbundle::validate(&pool, &opts).into_report()))
    });
    g.bench_function("certbundle: decode + build + checks + report", |b| {
        b.iter(|| {
            let pool = certbundle::load(&[Input::from_bytes("pool.pem", bytes.clone())], &opts).unwrap();
            black_box(certbundle::validate(&pool, &opts).into_report())
        })
    });
    g.bench_function("primitives: pem + parse x2021 + chain verifies", |b| {
        b.iter(|| black_box(primitives(&bytes, &chain, &sig::ECDSA_P256_SHA256_ASN1)))
    });
    g.finish();
}

fn each(c: &mut Criterion) {
    let dir = generated().join("bundles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let opts = options();
    let mut g = c.benchmark_group("each-1000");
    g.sample_size(10);
    g.bench_function("certbundle: validate_each (all cores)", |b| {
        b.iter(|| {
            let reports = certbundle::report_each(&[&dir], &opts);
            assert_eq!(reports.len(), 1000);
            black_box(reports)
        })
    });
    g.bench_function(
        "primitives: read + pem + parse x3 + 3 RSA verifies, one thread",
        |b| {
            b.iter(|| {
                for f in &files {
                    black_box(primitives(
                        &std::fs::read(f).unwrap(),
                        &[0, 1, 2],
                        &sig::RSA_PKCS1_2048_8192_SHA256,
                    ));
                }
            })
        },
    );
    g.finish();
}

criterion_group!(benches, portal, ca_bundle, pool, each);
criterion_main!(benches);
