//! The cryptography of Java's keystores: the store's SHA-1 integrity digest,
//! Sun's JKS `KeyProtector` (both ways) and JCEKS's PBEWithMD5AndTripleDES
//! (read only). Shared by the reader and the JKS writer.
//!
//! Every buffer that holds a password or key bytes is a [`Zeroizing`].

use aws_lc_rs::digest::{self, Context, SHA1_FOR_LEGACY_USE_ONLY};
use md5::{Digest, Md5};
use zeroize::Zeroizing;

use crate::asn1::{oid_to_string, tag, Tlv};

/// DER contents of 1.3.6.1.4.1.42.2.17.1.1, Sun's JKS key protection.
pub(crate) const KEY_PROTECTOR_OID: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x11, 0x01, 0x01];
/// PBEWithMD5AndTripleDES, Sun's JCEKS key protection.
const JCEKS_PBE_OID: &str = "1.3.6.1.4.1.42.2.19.1";
/// SHA-1 output length: the integrity digest, the protector's salt and check.
pub(crate) const SHA1_LEN: usize = 20;
/// What the integrity digest mixes in after the password (Sun's constant).
const WHITENER: &[u8] = b"Mighty Aphrodite";

/// The password as Java's `char[]` in big-endian bytes, as both the
/// integrity digest and the KeyProtector hash it.
pub(crate) fn utf16be(password: &str) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(password.encode_utf16().flat_map(u16::to_be_bytes).collect())
}

/// SHA-1(UTF-16BE(password) || "Mighty Aphrodite" || `body`): the 20 bytes a
/// keystore ends with.
pub(crate) fn integrity_digest(password: &str, body: &[u8]) -> digest::Digest {
    let mut ctx = Context::new(&SHA1_FOR_LEGACY_USE_ONLY);
    ctx.update(&utf16be(password));
    ctx.update(WHITENER);
    ctx.update(body);
    ctx.finish()
}

/// The key protection scheme an EncryptedPrivateKeyInfo names.
pub(crate) enum Protection<'a> {
    /// Sun's KeyProtector: salt (20) || XOR-encrypted key || SHA-1 check (20).
    Jks(&'a [u8]),
    /// PBEWithMD5AndTripleDES: 8-byte salt, iteration count, 3DES-CBC ciphertext.
    JcePbe {
        salt: &'a [u8],
        iterations: u64,
        ciphertext: &'a [u8],
    },
}

/// Why a protected key could not be read, before the caller adds the entry.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// Not an EncryptedPrivateKeyInfo of the expected shape.
    Malformed(&'static str),
    /// Another protection algorithm (its dotted OID).
    Algorithm(String),
}

/// Reads `EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }`.
pub(crate) fn protection(der: &[u8]) -> Result<Protection<'_>, Unreadable> {
    let malformed = Unreadable::Malformed;
    let info = Tlv::read_all_of(der, tag::SEQUENCE).ok_or(malformed(
        "the protected key is not a DER EncryptedPrivateKeyInfo",
    ))?;
    let mut fields = info.children();
    let alg = fields
        .next_of(tag::SEQUENCE)
        .ok_or(malformed("the protected key has no algorithm identifier"))?;
    let data = fields
        .next_of(tag::OCTET_STRING)
        .ok_or(malformed("the protected key has no encrypted data"))?;
    let mut alg = alg.children();
    let oid = alg
        .next_of(tag::OID)
        .ok_or(malformed("the protected key's algorithm has no OID"))?;
    if oid.value == KEY_PROTECTOR_OID {
        if data.value.len() < 2 * SHA1_LEN {
            return Err(malformed(
                "the KeyProtector data is shorter than its salt and check digest",
            ));
        }
        return Ok(Protection::Jks(data.value));
    }
    let oid = oid_to_string(oid.value);
    if oid != JCEKS_PBE_OID {
        return Err(Unreadable::Algorithm(oid));
    }
    let mut params = alg
        .next_of(tag::SEQUENCE)
        .ok_or(malformed("PBEWithMD5AndTripleDES without parameters"))?
        .children();
    let salt = params
        .next()
        .filter(|t| t.tag == tag::OCTET_STRING && t.value.len() == 8)
        .ok_or(malformed("PBEWithMD5AndTripleDES salt is not 8 bytes"))?;
    let iterations = params
        .next()
        .and_then(|t| t.as_u64())
        .filter(|&n| n > 0)
        .ok_or(malformed(
            "PBEWithMD5AndTripleDES iteration count is not a positive INTEGER",
        ))?;
    Ok(Protection::JcePbe {
        salt: salt.value,
        iterations,
        ciphertext: data.value,
    })
}

/// The KeyProtector's key stream: SHA-1(password || previous), starting
/// from the salt, cut to `len` bytes.
fn key_stream(password: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut stream = Zeroizing::new(Vec::with_capacity(len + SHA1_LEN));
    let mut previous = Zeroizing::new(salt.to_vec());
    while stream.len() < len {
        let mut ctx = Context::new(&SHA1_FOR_LEGACY_USE_ONLY);
        ctx.update(password);
        ctx.update(&previous);
        let block = ctx.finish();
        previous = Zeroizing::new(block.as_ref().to_vec());
        stream.extend_from_slice(block.as_ref());
    }
    stream.truncate(len);
    stream
}

/// SHA-1(password || plaintext): the KeyProtector's check value.
fn check_digest(password: &[u8], plain: &[u8]) -> digest::Digest {
    let mut ctx = Context::new(&SHA1_FOR_LEGACY_USE_ONLY);
    ctx.update(password);
    ctx.update(plain);
    ctx.finish()
}

/// Undoes Sun's KeyProtector; `None` when the check digest does not match
/// (a wrong password). `data` is at least `2 * SHA1_LEN` long ([`protection`]).
pub(crate) fn jks_recover(data: &[u8], password: &str) -> Option<Zeroizing<Vec<u8>>> {
    let (salt, rest) = data.split_at_checked(SHA1_LEN)?;
    let (encrypted, check) = rest.split_at_checked(rest.len().checked_sub(SHA1_LEN)?)?;
    let password = utf16be(password);
    let stream = key_stream(&password, salt, encrypted.len());
    let plain: Zeroizing<Vec<u8>> =
        Zeroizing::new(encrypted.iter().zip(stream.iter()).map(|(c, k)| c ^ k).collect());
    let digest = check_digest(&password, &plain);
    aws_lc_rs::constant_time::verify_slices_are_equal(digest.as_ref(), check).ok()?;
    Some(plain)
}

/// Sun's KeyProtector forwards: the EncryptedPrivateKeyInfo DER that a JKS
/// private-key entry stores for the PKCS#8 `plain` under `salt`.
pub(crate) fn jks_protect(plain: &[u8], password: &str, salt: &[u8; SHA1_LEN]) -> Vec<u8> {
    let password = utf16be(password);
    let stream = key_stream(&password, salt, plain.len());
    let mut data = Vec::with_capacity(plain.len() + 2 * SHA1_LEN);
    data.extend_from_slice(salt);
    data.extend(plain.iter().zip(stream.iter()).map(|(p, k)| p ^ k));
    data.extend_from_slice(check_digest(&password, plain).as_ref());
    let mut alg = der(tag::OID, KEY_PROTECTOR_OID);
    alg.extend_from_slice(&[0x05, 0x00]);
    let mut body = der(tag::SEQUENCE, &alg);
    body.extend(der(tag::OCTET_STRING, &data));
    der(tag::SEQUENCE, &body)
}

/// One DER element (public data: the protected key is ciphertext).
fn der(tag: u8, value: &[u8]) -> Vec<u8> {
    let len = value.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(u8::try_from(len).unwrap_or(0));
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|&b| b == 0).collect();
        out.push(0x80 | u8::try_from(bytes.len()).unwrap_or(0));
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(value);
    out
}

/// PBEWithMD5AndTripleDES (Sun's `PBES1Core`): each 4-byte salt half is
/// hashed `iterations` times as MD5(previous || password); the two digests
/// give the 3DES key (24 bytes) and IV (8). When both halves are equal the
/// first is permuted the way Sun's code (with its historic typo) does:
/// `[a, b, c, d]` becomes `[d, a, b, d]`. The password is its ASCII bytes;
/// `None` for a password Java could not have used (non-printable-ASCII) or
/// when the padding or the plaintext is wrong. The caller has checked
/// `iterations` against the limit.
pub(crate) fn jce_recover(
    salt: &[u8],
    iterations: u64,
    ciphertext: &[u8],
    password: &str,
) -> Option<Zeroizing<Vec<u8>>> {
    if !password.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        return None;
    }
    let (first, second) = salt.split_at_checked(4)?;
    let mut halves = [first.to_vec(), second.to_vec()];
    if halves[0] == halves[1] {
        if let [a, b, _, d] = halves[0][..] {
            halves[0] = vec![d, a, b, d];
        }
    }
    let mut derived = Zeroizing::new(Vec::with_capacity(32));
    for half in &halves {
        let mut block = Zeroizing::new(half.clone());
        for _ in 0..iterations {
            let mut md5 = Md5::new();
            md5.update(&*block);
            md5.update(password.as_bytes());
            *block = md5.finalize().to_vec();
        }
        derived.extend_from_slice(&block);
    }
    let (key, iv) = derived.split_at_checked(24)?;
    crate::decode::keys::cbc_decrypt::<des::TdesEde3>(key, iv, ciphertext)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn key_protector_round_trips_and_refuses_another_password() {
        let plain = b"a PKCS#8 stand-in that is longer than one SHA-1 block";
        let der = jks_protect(plain, "changeit", &[7; SHA1_LEN]);
        let Ok(Protection::Jks(data)) = protection(&der) else {
            panic!("not read back as KeyProtector data");
        };
        assert_eq!(data.len(), plain.len() + 40);
        assert_eq!(&data[..SHA1_LEN], &[7; SHA1_LEN]);
        assert_eq!(jks_recover(data, "changeit").unwrap().as_slice(), plain);
        assert!(jks_recover(data, "changeiT").is_none());
    }

    #[test]
    fn integrity_digest_hashes_the_password_as_utf16be() {
        // SHA-1 of 00 61 "Mighty Aphrodite" "body", computed by `printf '\0aMighty Aphroditebody' | sha1sum`.
        let got = integrity_digest("a", b"body");
        assert_eq!(
            crate::digest::hex(got.as_ref()),
            "3ffb28386039cb6997786bf578071e3c744e9b0c"
        );
    }

    #[test]
    fn jce_pbe_refuses_a_password_java_cannot_encode() {
        assert!(jce_recover(&[1; 8], 1, &[0; 16], "pässword").is_none());
    }
}
