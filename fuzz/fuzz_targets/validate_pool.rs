//! `validate_pool`: a subset, order and duplication of the fixture chain
//! (root, intermediate, leaf; EC P-256), DER or PEM, one input or several,
//! optionally one mutated byte, optionally the leaf's key and CSR; then
//! `load` + `validate`. Invariants:
//! - never panics;
//! - with no mutation and all three certificates present (any order, any
//!   duplicates), the chain and every check except `chain.order` and
//!   `bundle.extra` equal those of the canonical leaf-first input, and so does
//!   the verdict when those two checks agree too;
//! - a certificate whose signature bytes were mutated is never accepted as
//!   signed: in the chain, its link (or for the root, `chain.complete`) is not
//!   `pass`.
#![no_main]

mod common;

use arbitrary::Arbitrary;
use certbundle::report::{CheckId, Status};
use certbundle::{Input, Report};

const LEAF: &[u8] = include_bytes!("../fixtures/leaf.der");
const INT: &[u8] = include_bytes!("../fixtures/int.der");
const ROOT: &[u8] = include_bytes!("../fixtures/root.der");
const KEY: &[u8] = include_bytes!("../fixtures/leaf.key");
const CSR: &[u8] = include_bytes!("../fixtures/leaf.csr.der");
const CERTS: [&[u8]; 3] = [LEAF, INT, ROOT];

#[derive(Debug, Arbitrary)]
struct Case {
    /// Indices into CERTS (mod 3), in input order; repeats are duplicates.
    picks: Vec<u8>,
    pem: bool,
    one_input: bool,
    key: bool,
    csr: bool,
    mutation: Option<Mutation>,
}

#[derive(Debug, Arbitrary)]
enum Mutation {
    /// XOR one of the last 8 bytes (inside the signature value) with a nonzero byte.
    Signature {
        cert: u8,
        from_end: u8,
        xor: std::num::NonZeroU8,
    },
    /// XOR any byte.
    Anywhere { cert: u8, offset: u16, xor: u8 },
}

fn inputs(certs: &[Vec<u8>], picks: &[usize], case: &Case) -> Vec<Input> {
    let mut inputs = Vec::new();
    let mut bundle = String::new();
    for (n, &i) in picks.iter().enumerate() {
        let der = &certs[i];
        if case.one_input {
            bundle.push_str(&common::pem("CERTIFICATE", der));
        } else if case.pem {
            inputs.push(Input::from_bytes(
                format!("c{n}.pem"),
                common::pem("CERTIFICATE", der),
            ));
        } else {
            inputs.push(Input::from_bytes(format!("c{n}.der"), der.clone()));
        }
    }
    if case.one_input && !bundle.is_empty() {
        inputs.push(Input::from_bytes("bundle.pem", bundle));
    }
    if case.key {
        inputs.push(Input::from_bytes("leaf.key", KEY));
    }
    if case.csr {
        inputs.push(Input::from_bytes("leaf.csr", CSR));
    }
    inputs
}

fn run(inputs: &[Input]) -> Option<Report> {
    let options = common::options("test1234");
    let pool = certbundle::load(inputs, &options).ok()?;
    let validation = certbundle::validate(&pool, &options);
    let _ = validation.chain_pem();
    let _ = validation.key();
    Some(validation.into_report())
}

fn chain(report: &Report) -> Vec<String> {
    report.chain.iter().map(|e| e.cert.sha256_hex()).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

libfuzzer_sys::fuzz_target!(|case: Case| {
    let picks: Vec<usize> = case.picks.iter().take(12).map(|&p| usize::from(p) % 3).collect();
    let mut certs: Vec<Vec<u8>> = CERTS.iter().map(|c| c.to_vec()).collect();
    let mut signature_mutated = None;
    match case.mutation {
        None => {}
        Some(Mutation::Signature { cert, from_end, xor }) => {
            let i = usize::from(cert) % 3;
            let der = &mut certs[i];
            let at = der.len() - 1 - usize::from(from_end % 8);
            der[at] ^= xor.get();
            signature_mutated = Some(i);
        }
        Some(Mutation::Anywhere { cert, offset, xor }) => {
            let der = &mut certs[usize::from(cert) % 3];
            let at = usize::from(offset) % der.len();
            der[at] ^= xor;
        }
    }
    let Some(report) = run(&inputs(&certs, &picks, &case)) else {
        // Unmutated fixtures always load.
        assert!(case.mutation.is_some(), "unmutated fixtures fail to load");
        return;
    };
    let _ = report.to_json();

    if let Some(i) = signature_mutated {
        let bad = hex(&sha256(&certs[i]));
        let chain = chain(&report);
        if let Some(pos) = chain.iter().position(|c| *c == bad) {
            let last = pos + 1 == chain.len();
            let check = if last && i == 2 {
                CheckId::ChainComplete
            } else {
                CheckId::ChainLinks
            };
            if !(last && i != 2) {
                assert_ne!(
                    report.checks.get(check),
                    Status::Pass,
                    "{check} passes with a mutated signature on certificate {i} at chain position {pos}"
                );
            }
        }
    }

    let all_three = (0..3).all(|i| picks.contains(&i));
    if case.mutation.is_none() && all_three {
        let canonical = run(&inputs(&certs, &[0, 1, 2], &case)).expect("canonical order loads");
        assert_eq!(
            chain(&report),
            chain(&canonical),
            "chain differs from canonical order"
        );
        assert_eq!(chain(&report).len(), 3);
        let mut same_order_checks = true;
        for (id, status) in &canonical.checks {
            if matches!(id, CheckId::ChainOrder | CheckId::BundleExtra) {
                same_order_checks &= report.checks.get(id) == status;
            } else {
                assert_eq!(
                    report.checks.get(id),
                    status,
                    "check {id} differs from canonical order"
                );
            }
        }
        if same_order_checks {
            assert_eq!(report.verdict, canonical.verdict);
        }
    }
});

/// SHA-256 of the DER, as the report prints it (via a one-certificate decode).
fn sha256(der: &[u8]) -> [u8; 32] {
    let options = common::options("");
    let mut out = [0u8; 32];
    if let Ok(pool) = certbundle::decode(&Input::from_bytes("x", der), &options.limits, None) {
        if let Some(c) = pool.certificates().first() {
            out = *c.sha256();
        }
    }
    out
}
