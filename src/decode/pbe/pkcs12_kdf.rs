//! The PKCS#12 key derivation function (RFC 7292 appendix B.2), the one
//! implementation behind the PKCS#12 MAC and the PKCS#12-PBE ciphers.

use aws_lc_rs::digest::{self, Algorithm, Context};
use zeroize::Zeroizing;

/// What a derivation is for (RFC 7292 B.3): the diversifier byte `ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Cipher key material (ID 1).
    Key = 1,
    /// Cipher IV (ID 2).
    Iv = 2,
    /// MAC key (ID 3).
    Mac = 3,
}

/// How many digest blocks a derivation of `out_len` bytes costs.
pub(crate) fn blocks(alg: &'static Algorithm, out_len: usize) -> u64 {
    u64::try_from(out_len.div_ceil(alg.output_len())).unwrap_or(u64::MAX)
}

/// Derives `out_len` bytes. `password` is the formatted octet string
/// (BMPString plus its two-byte terminator, or zero-length); the iteration
/// count was checked and charged by the caller.
pub(crate) fn derive(
    alg: &'static Algorithm,
    password: &[u8],
    salt: &[u8],
    purpose: Purpose,
    iterations: u64,
    out_len: usize,
) -> Zeroizing<Vec<u8>> {
    let v = alg.block_len();
    let fill = |bytes: &[u8]| -> Vec<u8> {
        let len = v * bytes.len().div_ceil(v);
        bytes.iter().copied().cycle().take(len).collect()
    };
    let diversifier = vec![purpose as u8; v];
    let mut input = Zeroizing::new(fill(salt));
    input.extend_from_slice(&Zeroizing::new(fill(password)));
    let mut out = Zeroizing::new(Vec::with_capacity(out_len + alg.output_len()));
    while out.len() < out_len {
        let mut ctx = Context::new(alg);
        ctx.update(&diversifier);
        ctx.update(&input);
        let mut a = ctx.finish();
        for _ in 1..iterations {
            a = digest::digest(alg, a.as_ref());
        }
        out.extend_from_slice(a.as_ref());
        if out.len() >= out_len {
            break;
        }
        // I_j = (I_j + B + 1) mod 2^(8v), B being A repeated to v octets.
        let b: Zeroizing<Vec<u8>> = Zeroizing::new(a.as_ref().iter().copied().cycle().take(v).collect());
        for block in input.chunks_mut(v) {
            let mut carry = 1u16;
            for (x, y) in block.iter_mut().rev().zip(b.iter().rev()) {
                let sum = u16::from(*x) + u16::from(*y) + carry;
                *x = sum.to_le_bytes()[0];
                carry = sum >> 8;
            }
        }
    }
    out.truncate(out_len);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::digest::unhex as hex;

    #[test]
    fn matches_openssl_for_a_zero_length_password() {
        // `openssl kdf -keylen 20 -kdfopt digest:SHA1 -kdfopt hexpass: -kdfopt hexsalt:0102030405060708
        //  -kdfopt iter:2048 -kdfopt id:3 PKCS12KDF` gives this.
        let got = derive(
            &digest::SHA1_FOR_LEGACY_USE_ONLY,
            &[],
            &hex("0102030405060708"),
            Purpose::Mac,
            2048,
            20,
        );
        assert_eq!(
            crate::digest::hex(&got),
            "02a96a93d81846d839232c0a09e94b1102a70d9e"
        );
    }

    #[test]
    fn matches_openssl_for_a_bmp_password_over_two_blocks() {
        // password "changeit" as BMPString + terminator, SHA-256, 40 bytes (two digest blocks).
        let bmp: Vec<u8> = "changeit\0".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let got = derive(
            &digest::SHA256,
            &bmp,
            &hex("0102030405060708"),
            Purpose::Key,
            2048,
            40,
        );
        assert_eq!(
            crate::digest::hex(&got),
            "3ea8f654225f2260dbe9ec0407c8b19f4a83972af460450e31e51cc5ee29d483fbc73b9744a397f9"
        );
    }
}
