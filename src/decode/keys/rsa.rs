//! RSA private keys: the RSAPrivateKey fields, and the size-bounded check
//! that the primes multiply to the modulus.

use zeroize::Zeroizing;

use super::wrap::spki;
use super::PRIVATE_KEY;
use crate::asn1::{tag, write, Tlv};
use crate::error::ErrorKind;
use crate::input::Limits;
use crate::model::{rsa_modulus_bits, KeyAlgorithm, PublicKey};

/// The public key of an RSA PKCS#8: its `n` and `e`, once `p * q = n` has
/// shown they belong to the private primes. That is the whole consistency
/// check: aws-lc's full key validation costs ~170 us per RSA-2048 key (a
/// third of validating a portal bundle) and refuses keys under 2048 bits,
/// which are still read here so that `crypto.strength` can report them.
/// rustls validates the key in full when a TLS configuration loads it.
///
/// The size is checked first: the product is quadratic in it, and a 2 MiB
/// modulus would hold a core for a minute.
pub(super) fn rsa_public_key(
    rsa_private_key: &[u8],
    alg_id: Vec<u8>,
    limits: &Limits,
) -> Result<PublicKey, ErrorKind> {
    let fields = Rsa::parse(rsa_private_key)
        .ok_or_else(|| ErrorKind::malformed(PRIVATE_KEY, "RSA key: not a PKCS#1 RSAPrivateKey"))?;
    let key = write::element(tag::SEQUENCE, &[fields.n, fields.e]);
    let bits = rsa_modulus_bits(&key).unwrap_or(0);
    if u64::from(bits) > limits.max_rsa_bits {
        return Err(ErrorKind::LimitExceeded {
            what: "RSA key size in bits",
            limit: limits.max_rsa_bits,
            found: u64::from(bits),
            hint: " (raise Limits::max_rsa_bits if this key is trusted)",
        });
    }
    if !fields.factors_match() {
        return Err(ErrorKind::malformed(
            PRIVATE_KEY,
            format!("RSA-{bits} key is inconsistent: its primes do not multiply to its modulus"),
        ));
    }
    Ok(PublicKey::from_parts(
        KeyAlgorithm::Rsa { bits },
        spki(&alg_id, &key),
    ))
}

/// The DER-encoded INTEGER elements of an RSAPrivateKey (tag and length included).
pub(super) struct Rsa<'a> {
    n: &'a [u8],
    e: &'a [u8],
    p: &'a [u8],
    q: &'a [u8],
}

impl<'a> Rsa<'a> {
    pub(super) fn parse(der: &'a [u8]) -> Option<Self> {
        let seq = Tlv::read_all_of(der, tag::SEQUENCE)?;
        let mut rest = seq.value;
        let mut next = || -> Option<&'a [u8]> {
            let (tlv, after) = Tlv::read(rest)?;
            let whole = rest.get(..rest.len() - after.len())?;
            rest = after;
            (tlv.tag == tag::INTEGER).then_some(whole)
        };
        let version = next()?;
        if version != [0x02, 0x01, 0x00] {
            return None;
        }
        let (n, e, _d, p, q) = (next()?, next()?, next()?, next()?, next()?);
        Some(Rsa { n, e, p, q })
    }

    /// Whether p * q = n (schoolbook multiplication on 32-bit limbs).
    fn factors_match(&self) -> bool {
        let limbs = |tlv: &[u8]| -> Zeroizing<Vec<u64>> {
            let value = Tlv::read_all(tlv).map_or(&[][..], |t| t.value);
            let mut out = Zeroizing::new(Vec::with_capacity(value.len() / 4 + 1));
            for chunk in value.rchunks(4) {
                out.push(chunk.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)));
            }
            while out.last() == Some(&0) {
                out.pop();
            }
            out
        };
        let (n, p, q) = (limbs(self.n), limbs(self.p), limbs(self.q));
        if p.is_empty() || q.is_empty() {
            return false;
        }
        let mut product = Zeroizing::new(vec![0u64; p.len() + q.len()]);
        for (i, &a) in p.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in q.iter().enumerate() {
                let Some(slot) = product.get_mut(i + j) else {
                    return false;
                };
                let t = a * b + *slot + carry;
                *slot = t & 0xffff_ffff;
                carry = t >> 32;
            }
            if let Some(slot) = product.get_mut(i + q.len()) {
                *slot = carry;
            }
        }
        while product.last() == Some(&0) {
            product.pop();
        }
        *product == *n
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn schoolbook_product_checks_rsa_factors() {
        let int = |v: &[u8]| write::element(0x02, &[v]);
        // 0xfffb * 0xfff1 = 0xffec_004b
        let (n, p, q) = (
            int(&[0x00, 0xff, 0xec, 0x00, 0x4b]),
            int(&[0x00, 0xff, 0xfb]),
            int(&[0x00, 0xff, 0xf1]),
        );
        let rsa = Rsa {
            n: &n,
            e: &int(&[3]),
            p: &p,
            q: &q,
        };
        assert!(rsa.factors_match());
        let wrong = int(&[0x00, 0xff, 0xec, 0x00, 0x4d]);
        assert!(!Rsa { n: &wrong, ..rsa }.factors_match());
    }
}
