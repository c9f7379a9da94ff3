//! PKCS#1 and SEC1 keys rewrapped as PKCS#8, and the SubjectPublicKeyInfo
//! built for a derived public key.

use zeroize::Zeroizing;

use super::rsa::Rsa;
use super::PRIVATE_KEY;
use crate::asn1::{tag, write, Tlv};
use crate::decode::oid;
use crate::error::ErrorKind;

/// PKCS#1 RSAPrivateKey → PKCS#8 with rsaEncryption.
pub(super) fn wrap_pkcs1(der: &[u8]) -> Result<Zeroizing<Vec<u8>>, ErrorKind> {
    Rsa::parse(der).ok_or_else(|| {
        ErrorKind::malformed(
            PRIVATE_KEY,
            "not a PKCS#1 RSAPrivateKey (expected SEQUENCE { 0, n, e, d, p, q, ... })",
        )
    })?;
    Ok(wrap(oid::RSA_ENCRYPTION_ALG_ID, der))
}

/// SEC1 ECPrivateKey → PKCS#8 with id-ecPublicKey and the named curve.
pub(super) fn wrap_sec1(der: &[u8]) -> Result<Zeroizing<Vec<u8>>, ErrorKind> {
    let not_sec1 = || {
        ErrorKind::malformed(
            PRIVATE_KEY,
            "not a SEC1 ECPrivateKey (expected SEQUENCE { 1, privateKey, [0] curve, [1] publicKey })",
        )
    };
    let seq = Tlv::read_all_of(der, tag::SEQUENCE).ok_or_else(not_sec1)?;
    let mut fields = seq.children();
    let version = fields.next_of(tag::INTEGER).and_then(|t| t.as_u64());
    let key = fields.next_of(tag::OCTET_STRING);
    if version != Some(1) || key.is_none() {
        return Err(not_sec1());
    }
    let parameters = fields.find(|t| t.tag == 0xa0).ok_or_else(|| {
        ErrorKind::malformed(
            PRIVATE_KEY,
            "SEC1 EC PRIVATE KEY has no curve parameters, so its curve is unknown; \
             re-export it with `openssl ec -param_enc named_curve` or as PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`)",
        )
    })?;
    let curve = Tlv::read_all(parameters.value).ok_or_else(not_sec1)?;
    if curve.tag != tag::OID {
        return Err(ErrorKind::Unsupported {
            what: "EC curve",
            found: "explicit curve parameters; re-export with `openssl ec -param_enc named_curve`".to_owned(),
        });
    }
    let alg_id = write::element(
        tag::SEQUENCE,
        &[
            &write::element(tag::OID, &[oid::EC_PUBLIC_KEY_DER]),
            parameters.value,
        ],
    );
    Ok(wrap(&alg_id, der))
}

/// `PrivateKeyInfo { 0, alg_id, OCTET STRING private_key }`, built in one
/// allocation so no copy of the key is left behind by a reallocation.
pub(super) fn wrap(alg_id: &[u8], private_key: &[u8]) -> Zeroizing<Vec<u8>> {
    const VERSION: &[u8] = &[0x02, 0x01, 0x00];
    let octet_header = write::header(tag::OCTET_STRING, private_key.len());
    let inner = VERSION.len() + alg_id.len() + octet_header.len() + private_key.len();
    let outer_header = write::header(tag::SEQUENCE, inner);
    let mut out = Zeroizing::new(Vec::with_capacity(outer_header.len() + inner));
    for part in [&outer_header[..], VERSION, alg_id, &octet_header, private_key] {
        out.extend_from_slice(part);
    }
    out
}

/// SubjectPublicKeyInfo `{ alg_id, BIT STRING key }`.
pub(super) fn spki(alg_id: &[u8], key: &[u8]) -> Vec<u8> {
    write::element(
        tag::SEQUENCE,
        &[alg_id, &write::element(tag::BIT_STRING, &[&[0], key])],
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn sec1_without_curve_parameters_is_a_clear_error() {
        // SEQUENCE { INTEGER 1, OCTET STRING (32 bytes) } with no [0] curve.
        let der = write::element(0x30, &[&[0x02, 0x01, 0x01], &write::element(0x04, &[&[7u8; 32]])]);
        let err = wrap_sec1(&der).unwrap_err().to_string();
        assert!(err.contains("no curve parameters"), "{err}");
    }
}
