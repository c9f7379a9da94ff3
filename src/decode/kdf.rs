//! Refuses expensive key derivation before it runs.
//!
//! PKCS#12 files and encrypted keys name their own KDF cost (PBKDF2 and
//! PKCS#12-KDF iteration counts, scrypt's N, r, p). A hostile file asking for
//! 2^31 iterations would hold a CPU for hours, so every parameter set visible
//! without the password is read first and checked against [`Limits`].

use crate::asn1::{oid_to_string, tag, Tlv};
use crate::error::{Error, ErrorKind};
use crate::input::Limits;
use crate::model::Source;

/// Deepest nesting followed; a PFX puts key parameters about 15 levels down.
const MAX_DEPTH: u32 = 48;
/// Most elements visited; real files have a few hundred.
const MAX_NODES: usize = 100_000;

/// Checks every KDF parameter set found anywhere in `der` (descending into
/// OCTET STRINGs that hold DER, as PKCS#12 Data content does).
///
/// # Errors
/// [`ErrorKind::LimitExceeded`] naming the parameter.
pub(crate) fn check(der: &[u8], limits: &Limits, source: &Source) -> Result<(), Error> {
    let mut stack: Vec<(&[u8], u32)> = vec![(der, 0)];
    let mut visited = 0usize;
    while let Some((bytes, depth)) = stack.pop() {
        let mut rest = bytes;
        while let Some((tlv, after)) = Tlv::read(rest) {
            rest = after;
            visited += 1;
            if visited > MAX_NODES || depth >= MAX_DEPTH {
                return Ok(());
            }
            if tlv.tag == tag::SEQUENCE {
                check_sequence(&tlv, limits).map_err(|kind| Error::new(source, kind))?;
            }
            // Descend into constructed values, and into OCTET STRINGs that
            // wrap DER (the PKCS#12 auth safe and its bags).
            let constructed = tlv.tag & 0x20 != 0;
            let wraps_der = tlv.tag == tag::OCTET_STRING
                && Tlv::read_all(tlv.value).is_some_and(|inner| inner.tag & 0x20 != 0);
            if constructed || wraps_der {
                stack.push((tlv.value, depth + 1));
            }
        }
    }
    Ok(())
}

fn check_sequence(seq: &Tlv<'_>, limits: &Limits) -> Result<(), ErrorKind> {
    let mut kids = seq.children();
    let (Some(first), Some(second)) = (kids.next(), kids.next()) else {
        return Ok(());
    };
    let third = kids.next();
    let iterations = |count: Option<Tlv<'_>>| count.map(|t| t.as_u64().unwrap_or(u64::MAX));
    let found = match (first.tag, second.tag) {
        // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER }
        (tag::SEQUENCE, tag::OCTET_STRING) => iterations(third.filter(|t| t.tag == tag::INTEGER)),
        (tag::OID, tag::SEQUENCE) => {
            let mut params = second.children();
            match oid_to_string(first.value).as_str() {
                // PBKDF2-params ::= SEQUENCE { salt, iterationCount INTEGER, ... }
                "1.2.840.113549.1.5.12" => iterations(params.nth(1)),
                // scrypt-params ::= SEQUENCE { salt, costParameter, blockSize, parallelizationParameter, ... }
                "1.3.6.1.4.1.11591.4.11" => {
                    let mut next = || params.next().map(|t| t.as_u64().unwrap_or(u64::MAX));
                    let (_salt, n, r, p) = (next(), next(), next(), next());
                    let memory = [n, r, p]
                        .iter()
                        .try_fold(128u64, |acc, v| acc.checked_mul(v.unwrap_or(1)))
                        .unwrap_or(u64::MAX);
                    if memory > limits.max_scrypt_memory {
                        return Err(ErrorKind::LimitExceeded {
                            what: "scrypt memory (128 * N * r * p bytes)",
                            limit: limits.max_scrypt_memory,
                            found: memory,
                            hint: " (raise Limits::max_scrypt_memory if this file is trusted)",
                        });
                    }
                    None
                }
                // PKCS#12 PBE and PBES1: pkcs-12PbeParams / PBEParameter ::=
                // SEQUENCE { salt OCTET STRING, iterations INTEGER }
                oid if oid.starts_with("1.2.840.113549.1.12.1.")
                    || matches!(
                        oid,
                        "1.2.840.113549.1.5.1"
                            | "1.2.840.113549.1.5.3"
                            | "1.2.840.113549.1.5.4"
                            | "1.2.840.113549.1.5.6"
                            | "1.2.840.113549.1.5.10"
                            | "1.2.840.113549.1.5.11"
                    ) =>
                {
                    iterations(params.nth(1))
                }
                _ => None,
            }
        }
        _ => None,
    };
    match found {
        Some(count) if count > limits.max_kdf_iterations => Err(ErrorKind::LimitExceeded {
            what: "KDF iteration count",
            limit: limits.max_kdf_iterations,
            found: count,
            hint: " (raise Limits::max_kdf_iterations if this file is trusted)",
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, v: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = v.len();
        if len < 128 {
            out.push(len as u8);
        } else {
            out.extend([0x82, (len >> 8) as u8, len as u8]);
        }
        out.extend_from_slice(v);
        out
    }

    /// AlgorithmIdentifier { PBKDF2, { salt, iterations } } wrapped in an OCTET STRING.
    fn pbkdf2(iterations: &[u8]) -> Vec<u8> {
        let oid = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c];
        let params = tlv(0x30, &[tlv(0x04, &[1; 8]), tlv(0x02, iterations)].concat());
        let alg = tlv(0x30, &[tlv(0x06, &oid), params].concat());
        tlv(0x30, &tlv(0x04, &tlv(0x30, &alg)))
    }

    #[test]
    fn two_to_the_31_iterations_are_refused() {
        let err = check(
            &pbkdf2(&[0x00, 0x80, 0, 0, 0]),
            &Limits::default(),
            &Source::file("x.p12"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.p12: KDF iteration count exceeds the limit: 2147483648 > 1000000 \
             (raise Limits::max_kdf_iterations if this file is trusted)"
        );
    }

    #[test]
    fn ordinary_counts_pass() {
        assert!(check(&pbkdf2(&[0x08, 0x00]), &Limits::default(), &Source::file("x")).is_ok());
    }

    #[test]
    fn an_integer_too_big_for_u64_is_refused() {
        assert!(check(&pbkdf2(&[0x7f; 12]), &Limits::default(), &Source::file("x")).is_err());
    }
}
