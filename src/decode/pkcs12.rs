//! PKCS#12 / PFX (RFC 7292): the `.p12` / `.pfx` a client certificate is
//! most often delivered in, from OpenSSL, Java keytool or Windows.
//!
//! ```text
//! PFX ::= SEQUENCE { version INTEGER (v3), authSafe ContentInfo, macData MacData OPTIONAL }
//! MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
//! ```
//!
//! The bags are read with `p12_keystore::Pkcs12Archive` (the raw bag view:
//! its `KeyStore` policies drop certificates that lack Java's trust
//! attribute, so an OpenSSL certs-only file would come back empty). Every
//! certificate bag and every key bag goes into the pool in bag order; linking
//! keys to certificates is the chain builder's job.
//!
//! Passwords: an empty password has two encodings in the wild, the empty
//! BMPString with its two-byte terminator (what p12-keystore derives from
//! `""`) and a zero-length octet string (a NULL password in OpenSSL's API).
//! Both are tried when no password (or `""`) is given; the second is checked
//! here with our own PKCS#12 KDF, because p12-keystore cannot express it.

use p12_keystore::error::Error as P12Error;
use p12_keystore::Pkcs12Archive;
use zeroize::Zeroizing;

use crate::asn1::{oid_to_string, tag, Tlv};
use crate::error::{Error, ErrorKind};
use crate::input::Limits;
use crate::model::{KeyEncoding, Source};

use super::Decoder;

/// What a password opens, in error messages.
const WHAT: &str = "PKCS#12 file";
/// The structure being read, in `Malformed` errors.
const EXPECTED: &str = "PKCS#12 PFX";

/// Decodes a PFX: every certificate bag, then every key bag, into the pool.
///
/// # Errors
/// `LimitExceeded` for KDF parameters above [`Limits`] (checked before any
/// KDF runs); `PasswordRequired` / `WrongPassword`; `Malformed` for broken or
/// truncated structure; `Unsupported` for algorithms p12-keystore lacks.
pub(super) fn decode(dec: &mut Decoder<'_>, der: &[u8], source: &Source) -> Result<(), Error> {
    super::kdf::check(der, dec.limits, source)?;
    let layout = Layout::read(der).map_err(|kind| Error::new(source, kind))?;
    let archive = match dec.password.map(|p| p.as_str()) {
        Some(password) if !password.is_empty() => {
            Pkcs12Archive::from_pkcs12(der, password).map_err(|e| match classify(e, layout.has_mac()) {
                Failure::Password => Error::new(source, ErrorKind::WrongPassword { what: WHAT }),
                Failure::Other(kind) => Error::new(source, kind),
            })?
        }
        given => open_with_empty_password(der, &layout, dec.limits).map_err(|failure| match failure {
            // `Password::new("")` was given: it is simply wrong.
            Failure::Password if given.is_some() => {
                Error::new(source, ErrorKind::WrongPassword { what: WHAT })
            }
            Failure::Password => Error::new(source, ErrorKind::PasswordRequired { what: WHAT }),
            Failure::Other(kind) => Error::new(source, kind),
        })?,
    };
    let Pkcs12Archive { keys, certs, .. } = archive;
    for bag in certs {
        dec.certificate(bag.cert.as_der().to_vec(), source)?;
    }
    for bag in keys {
        let pkcs8 = Zeroizing::new(bag.key.as_der().to_vec());
        drop(bag);
        let key = super::keys::private_key_from_pkcs8(pkcs8, KeyEncoding::Pkcs12, source)?;
        dec.key(key);
    }
    Ok(())
}

/// Why an attempt to open the file failed.
enum Failure {
    /// The password does not open it (MAC mismatch or decryption failure).
    Password,
    /// Anything else, already mapped.
    Other(ErrorKind),
}

/// Tries the empty BMPString password (p12-keystore's `""`), then the
/// zero-length one.
fn open_with_empty_password(
    der: &[u8],
    layout: &Layout<'_>,
    limits: &Limits,
) -> Result<Pkcs12Archive, Failure> {
    let first = match Pkcs12Archive::from_pkcs12(der, "") {
        Ok(archive) => return Ok(archive),
        Err(e) => classify(e, layout.has_mac()),
    };
    let Failure::Password = first else {
        return Err(first);
    };
    let Some(mac) = &layout.mac else {
        return Err(Failure::Password);
    };
    if !verify_mac(mac, layout.auth_safe_content, &[], limits)? {
        return Err(Failure::Password);
    }
    // The MAC is verified with the zero-length password; PBES2 bags use the
    // password's UTF-8 bytes (empty either way), so p12-keystore can decrypt
    // them once the MAC it would check the other way is removed.
    let unauthenticated = layout.without_mac();
    Pkcs12Archive::from_pkcs12(&unauthenticated, "").map_err(|e| match classify(e, true) {
        Failure::Password => Failure::Other(ErrorKind::Unsupported {
            what: "PKCS#12 encryption",
            found: "legacy PKCS#12 PBE (RC2/3DES) bags under a zero-length password".to_owned(),
        }),
        other => other,
    })
}

/// Maps a p12-keystore error into ours; its type never leaves this module.
///
/// Without a MAC, nothing tells a wrong password from corrupt ciphertext:
/// garbage that happens to unpad fails later as DER, so after [`Layout`]
/// has vouched for the plaintext structure those count as a wrong password.
fn classify(error: P12Error, has_mac: bool) -> Failure {
    let malformed = |detail: String| Failure::Other(ErrorKind::malformed(EXPECTED, detail));
    let unsupported = |what: &'static str, found: &str| {
        Failure::Other(ErrorKind::Unsupported {
            what,
            found: found.to_owned(),
        })
    };
    match error {
        P12Error::MacError(_) | P12Error::UnpadError => Failure::Password,
        P12Error::Pkcs5Error(message) if message.contains("unsupported") => {
            unsupported("PKCS#12 encryption scheme", &message)
        }
        P12Error::Pkcs5Error(message) if message.contains("invalid") => malformed(message),
        P12Error::Pkcs5Error(_) => Failure::Password,
        P12Error::DerError(_) | P12Error::X509Error(_) | P12Error::InvalidPrivateKey if !has_mac => {
            Failure::Password
        }
        P12Error::UnsupportedEncryptionScheme => unsupported(
            "PKCS#12 encryption or MAC scheme",
            "expected PBES2 (PBKDF2 + AES/3DES) or PKCS#12 PBE (3DES, RC2-40) with a SHA-1/SHA-2 MAC",
        ),
        P12Error::UnsupportedMacAlgorithm => unsupported("PKCS#12 MAC algorithm", "expected SHA-1 or SHA-2"),
        P12Error::UnsupportedContentType => unsupported(
            "PKCS#12 content type",
            "expected data or encryptedData (public-key-protected files are not supported)",
        ),
        P12Error::UnsupportedCertificateType => {
            unsupported("PKCS#12 certificate bag type", "expected an X.509 certificate")
        }
        P12Error::InvalidParameters => malformed(
            "invalid algorithm parameters (or an iteration count above p12-keystore's cap of 1,000,000)"
                .to_owned(),
        ),
        P12Error::InvalidVersion => malformed("unsupported version (expected v3)".to_owned()),
        other => malformed(other.to_string()),
    }
}

/// The plaintext outer layers of a PFX, checked before any password is used.
struct Layout<'a> {
    /// The PFX contents without the MacData: version and authSafe TLVs.
    unauthenticated: &'a [u8],
    /// The octets the MAC covers: the authSafe Data content.
    auth_safe_content: &'a [u8],
    /// The MacData, when present.
    mac: Option<Tlv<'a>>,
}

impl<'a> Layout<'a> {
    /// Checks the shape: SEQUENCE { INTEGER, ContentInfo { data, [0] { OCTET
    /// STRING { SEQUENCE OF ContentInfo } } }, MacData? }, all complete.
    fn read(der: &'a [u8]) -> Result<Self, ErrorKind> {
        let malformed = |detail: &str| ErrorKind::malformed(EXPECTED, detail);
        if der.get(1) == Some(&0x80) {
            return Err(malformed(
                "indefinite lengths (BER) are not supported; re-encode it with \
                 `openssl pkcs12 -in in.p12 -export -out out.p12`",
            ));
        }
        let pfx = Tlv::read_all(der)
            .filter(|t| t.tag == tag::SEQUENCE)
            .ok_or_else(|| malformed("truncated, or not a DER SEQUENCE"))?;
        let (version, rest) =
            Tlv::read(pfx.value).ok_or_else(|| malformed("truncated before the version"))?;
        if version.as_u64() != Some(3) {
            return Err(malformed("unsupported version (expected v3)"));
        }
        let (auth_safe, rest) = Tlv::read(rest)
            .filter(|(t, _)| t.tag == tag::SEQUENCE)
            .ok_or_else(|| malformed("truncated or missing authSafe ContentInfo"))?;
        let unauthenticated = pfx
            .value
            .get(..pfx.value.len().saturating_sub(rest.len()))
            .ok_or_else(|| malformed("inconsistent lengths"))?;
        let mac = match rest {
            [] => None,
            _ => Some(
                Tlv::read_all(rest)
                    .filter(|t| t.tag == tag::SEQUENCE)
                    .ok_or_else(|| malformed("truncated or trailing data after the MacData"))?,
            ),
        };
        let mut info = auth_safe.children();
        let content_type = info
            .next()
            .filter(|t| t.tag == tag::OID)
            .ok_or_else(|| malformed("authSafe has no content type"))?;
        let content_type = oid_to_string(content_type.value);
        if content_type != "1.2.840.113549.1.7.1" {
            return Err(ErrorKind::Unsupported {
                what: "PKCS#12 authSafe content type",
                found: format!("{content_type} (expected data 1.2.840.113549.1.7.1; public-key integrity mode is not supported)"),
            });
        }
        let auth_safe_content = info
            .next()
            .filter(|t| t.tag == 0xa0)
            .and_then(|explicit| Tlv::read_all(explicit.value))
            .filter(|t| t.tag == tag::OCTET_STRING)
            .ok_or_else(|| malformed("authSafe content is not a DER OCTET STRING"))?
            .value;
        let safes = Tlv::read_all(auth_safe_content)
            .filter(|t| t.tag == tag::SEQUENCE)
            .ok_or_else(|| malformed("truncated AuthenticatedSafe"))?;
        let mut rest = safes.value;
        while !rest.is_empty() {
            let (safe, after) = Tlv::read(rest)
                .filter(|(t, _)| t.tag == tag::SEQUENCE)
                .ok_or_else(|| malformed("truncated ContentInfo in the AuthenticatedSafe"))?;
            let mut kids = safe.children();
            if kids.next().filter(|t| t.tag == tag::OID).is_none() {
                return Err(malformed("ContentInfo without a content type"));
            }
            rest = after;
        }
        Ok(Layout {
            unauthenticated,
            auth_safe_content,
            mac,
        })
    }

    fn has_mac(&self) -> bool {
        self.mac.is_some()
    }

    /// The PFX re-encoded without its MacData.
    fn without_mac(&self) -> Vec<u8> {
        let mut out = vec![tag::SEQUENCE];
        encode_length(self.unauthenticated.len(), &mut out);
        out.extend_from_slice(self.unauthenticated);
        out
    }
}

/// Appends a DER definite length.
fn encode_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(u8::try_from(len).unwrap_or(0));
        return;
    }
    let bytes = len.to_be_bytes();
    let significant: Vec<u8> = bytes.iter().copied().skip_while(|&b| b == 0).collect();
    out.push(0x80 | u8::try_from(significant.len()).unwrap_or(0));
    out.extend_from_slice(&significant);
}

/// Verifies a MacData over `content` with the already-formatted password
/// octets `password` (RFC 7292 appendix B: HMAC keyed by the PKCS#12 KDF).
///
/// `Ok(false)` on a mismatch; `Err` for unsupported digests or bad shapes.
fn verify_mac(mac: &Tlv<'_>, content: &[u8], password: &[u8], limits: &Limits) -> Result<bool, Failure> {
    use aws_lc_rs::{digest, hmac};
    let malformed = |detail: &str| Failure::Other(ErrorKind::malformed(EXPECTED, detail));
    let mut fields = mac.children();
    let digest_info = fields
        .next()
        .filter(|t| t.tag == tag::SEQUENCE)
        .ok_or_else(|| malformed("MacData without a DigestInfo"))?;
    let salt = fields
        .next()
        .filter(|t| t.tag == tag::OCTET_STRING)
        .ok_or_else(|| malformed("MacData without a salt"))?;
    let iterations = match fields.next() {
        None => 1,
        Some(count) => count
            .as_u64()
            .ok_or_else(|| malformed("MacData iteration count is not a small INTEGER"))?,
    };
    if iterations > limits.max_kdf_iterations || iterations == 0 {
        return Err(malformed("MacData iteration count out of range"));
    }
    let mut info = digest_info.children();
    let oid = info
        .next()
        .filter(|t| t.tag == tag::SEQUENCE)
        .and_then(|alg| alg.children().next())
        .filter(|t| t.tag == tag::OID)
        .map(|t| oid_to_string(t.value))
        .ok_or_else(|| malformed("MacData digest algorithm missing"))?;
    let expected = info
        .next()
        .filter(|t| t.tag == tag::OCTET_STRING)
        .ok_or_else(|| malformed("MacData digest missing"))?;
    let (digest_alg, hmac_alg) = match oid.as_str() {
        "1.3.14.3.2.26" => (
            &digest::SHA1_FOR_LEGACY_USE_ONLY,
            hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        ),
        "2.16.840.1.101.3.4.2.4" => (&digest::SHA224, hmac::HMAC_SHA224),
        "2.16.840.1.101.3.4.2.1" => (&digest::SHA256, hmac::HMAC_SHA256),
        "2.16.840.1.101.3.4.2.2" => (&digest::SHA384, hmac::HMAC_SHA384),
        "2.16.840.1.101.3.4.2.3" => (&digest::SHA512, hmac::HMAC_SHA512),
        _ => {
            return Err(Failure::Other(ErrorKind::Unsupported {
                what: "PKCS#12 MAC digest",
                found: oid,
            }))
        }
    };
    let key = pkcs12_kdf(
        digest_alg,
        password,
        salt.value,
        3,
        iterations,
        digest_alg.output_len(),
    );
    let key = hmac::Key::new(hmac_alg, &key);
    Ok(hmac::verify(&key, content, expected.value).is_ok())
}

/// The PKCS#12 key derivation function (RFC 7292 appendix B.2). `password`
/// is the formatted octet string (BMPString plus terminator, or empty); `id`
/// is 1 (key), 2 (IV) or 3 (MAC).
fn pkcs12_kdf(
    alg: &'static aws_lc_rs::digest::Algorithm,
    password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u64,
    out_len: usize,
) -> Zeroizing<Vec<u8>> {
    let v = alg.block_len();
    let fill = |bytes: &[u8]| -> Vec<u8> {
        if bytes.is_empty() {
            return Vec::new();
        }
        let len = v * bytes.len().div_ceil(v);
        bytes.iter().copied().cycle().take(len).collect()
    };
    let diversifier = vec![id; v];
    let mut input = Zeroizing::new(fill(salt));
    input.extend_from_slice(&fill(password));
    let mut out = Zeroizing::new(Vec::with_capacity(out_len + alg.output_len()));
    while out.len() < out_len {
        let mut ctx = aws_lc_rs::digest::Context::new(alg);
        ctx.update(&diversifier);
        ctx.update(&input);
        let mut a = ctx.finish();
        for _ in 1..iterations {
            a = aws_lc_rs::digest::digest(alg, a.as_ref());
        }
        out.extend_from_slice(a.as_ref());
        if out.len() >= out_len {
            break;
        }
        // I_j = (I_j + B + 1) mod 2^(8v), B being A repeated to v octets.
        let b: Vec<u8> = a.as_ref().iter().copied().cycle().take(v).collect();
        for block in input.chunks_mut(v) {
            let mut carry = 1u16;
            for (x, y) in block.iter_mut().rev().zip(b.iter().rev()) {
                let sum = u16::from(*x) + u16::from(*y) + carry;
                *x = (sum & 0xff) as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(out_len);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// SEQUENCE { INTEGER 3, ContentInfo { data, [0] { OCTET STRING { SEQUENCE {} } } } }
    fn minimal_pfx() -> Vec<u8> {
        hex("3016020103301106092a864886f70d010701a00404023000")
    }

    #[test]
    fn layout_accepts_a_complete_pfx_and_rejects_every_truncation() {
        let pfx = minimal_pfx();
        let layout = Layout::read(&pfx).unwrap();
        assert!(!layout.has_mac());
        assert_eq!(layout.without_mac(), pfx);
        for len in 0..pfx.len() {
            match Layout::read(&pfx[..len]) {
                Err(ErrorKind::Malformed {
                    expected: EXPECTED, ..
                }) => {}
                other => panic!("cut at {len}: {:?}", other.err()),
            }
        }
    }

    #[test]
    fn der_lengths_encode_short_and_long_forms() {
        for (len, want) in [
            (5usize, vec![5u8]),
            (0x80, vec![0x81, 0x80]),
            (0x1234, vec![0x82, 0x12, 0x34]),
        ] {
            let mut out = Vec::new();
            encode_length(len, &mut out);
            assert_eq!(out, want);
        }
    }

    #[test]
    fn pkcs12_kdf_matches_openssl_for_a_zero_length_password() {
        // `openssl kdf -keylen 20 -kdfopt digest:SHA1 -kdfopt hexpass: -kdfopt hexsalt:0102030405060708
        //  -kdfopt iter:2048 -kdfopt id:3 PKCS12KDF` gives this.
        let got = pkcs12_kdf(
            &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
            &[],
            &hex("0102030405060708"),
            3,
            2048,
            20,
        );
        assert_eq!(crate::digest::hex(&got), OPENSSL_EMPTY_SHA1);
    }

    #[test]
    fn pkcs12_kdf_matches_openssl_for_a_bmp_password_over_two_blocks() {
        // password "changeit" as BMPString + terminator, SHA-256, 40 bytes (two digest blocks).
        let bmp: Vec<u8> = "changeit\0".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let got = pkcs12_kdf(
            &aws_lc_rs::digest::SHA256,
            &bmp,
            &hex("0102030405060708"),
            1,
            2048,
            40,
        );
        assert_eq!(crate::digest::hex(&got), OPENSSL_CHANGEIT_SHA256);
    }

    const OPENSSL_EMPTY_SHA1: &str = "02a96a93d81846d839232c0a09e94b1102a70d9e";
    const OPENSSL_CHANGEIT_SHA256: &str =
        "3ea8f654225f2260dbe9ec0407c8b19f4a83972af460450e31e51cc5ee29d483fbc73b9744a397f9";
}
