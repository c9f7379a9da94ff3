//! OpenSSL's traditional encrypted PEM (`Proc-Type: 4,ENCRYPTED` with a
//! `DEK-Info: <cipher>,<hex IV>` header): EVP_BytesToKey with MD5 and one
//! iteration, salted with the first 8 IV bytes, then CBC with PKCS#7 padding.
//!
//! No maintained crate does this; it is written on `md-5`, `cbc`, `aes` and
//! `des`. Every buffer that holds key material is a [`Zeroizing`].

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, KeyIvInit};
use md5::{Digest, Md5};
use zeroize::Zeroizing;

use crate::error::ErrorKind;

/// The ciphers OpenSSL writes in `DEK-Info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cipher {
    Aes128,
    Aes192,
    Aes256,
    DesEde3,
    Des,
}

impl Cipher {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_uppercase().as_str() {
            "AES-128-CBC" => Cipher::Aes128,
            "AES-192-CBC" => Cipher::Aes192,
            "AES-256-CBC" => Cipher::Aes256,
            "DES-EDE3-CBC" => Cipher::DesEde3,
            "DES-CBC" => Cipher::Des,
            _ => return None,
        })
    }

    fn key_len(self) -> usize {
        match self {
            Cipher::Aes128 => 16,
            Cipher::Aes192 | Cipher::DesEde3 => 24,
            Cipher::Aes256 => 32,
            Cipher::Des => 8,
        }
    }

    fn iv_len(self) -> usize {
        match self {
            Cipher::Aes128 | Cipher::Aes192 | Cipher::Aes256 => 16,
            Cipher::DesEde3 | Cipher::Des => 8,
        }
    }
}

/// Why decryption failed, before the caller attaches a source.
#[derive(Debug)]
pub(super) enum Failure {
    /// The DEK-Info header is unusable (unknown cipher, bad IV).
    Header(ErrorKind),
    /// The padding did not check out: almost always a wrong password.
    Padding,
}

/// Decrypts the body of a traditional encrypted PEM block.
pub(super) fn decrypt(
    dek_info: &str,
    ciphertext: &[u8],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let (cipher, iv) = parse_dek_info(dek_info).map_err(Failure::Header)?;
    let salt = iv.get(..8).ok_or(Failure::Padding)?;
    let key = evp_bytes_to_key(password, salt, cipher.key_len());
    let plain = match cipher {
        Cipher::Aes128 => cbc_decrypt::<aes::Aes128>(&key, &iv, ciphertext),
        Cipher::Aes192 => cbc_decrypt::<aes::Aes192>(&key, &iv, ciphertext),
        Cipher::Aes256 => cbc_decrypt::<aes::Aes256>(&key, &iv, ciphertext),
        Cipher::DesEde3 => cbc_decrypt::<des::TdesEde3>(&key, &iv, ciphertext),
        Cipher::Des => cbc_decrypt::<des::Des>(&key, &iv, ciphertext),
    };
    plain.ok_or(Failure::Padding)
}

/// Splits `AES-256-CBC,0123...` into the cipher and the IV bytes.
fn parse_dek_info(dek_info: &str) -> Result<(Cipher, Vec<u8>), ErrorKind> {
    let unsupported = || ErrorKind::Unsupported {
        what: "PEM encryption (DEK-Info)",
        found: format!(
            "`{dek_info}`: expected AES-128-CBC, AES-192-CBC, AES-256-CBC, DES-EDE3-CBC or DES-CBC"
        ),
    };
    let (name, iv_hex) = dek_info.trim().split_once(',').ok_or_else(unsupported)?;
    let cipher = Cipher::from_name(name.trim()).ok_or_else(unsupported)?;
    let iv = decode_hex(iv_hex.trim())
        .filter(|iv| iv.len() == cipher.iv_len())
        .ok_or_else(|| {
            ErrorKind::malformed(
                "DEK-Info header",
                format!("`{dek_info}`: the IV must be {} hex digits", cipher.iv_len() * 2),
            )
        })?;
    Ok((cipher, iv))
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(text, 16).ok()
        })
        .collect()
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and a count of 1:
/// `D_1 = MD5(password || salt)`, `D_i = MD5(D_{i-1} || password || salt)`,
/// key = the first `len` bytes of `D_1 || D_2 || ...`.
fn evp_bytes_to_key(password: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut previous: Zeroizing<[u8; 16]> = Zeroizing::new([0; 16]);
    let mut first = true;
    while key.len() < len {
        let mut md5 = Md5::new();
        if !first {
            md5.update(previous.as_slice());
        }
        md5.update(password);
        md5.update(salt);
        previous.copy_from_slice(&md5.finalize());
        key.extend_from_slice(previous.as_slice());
        first = false;
    }
    key.truncate(len);
    key
}

/// CBC decryption with PKCS#7 padding; `None` when the padding is wrong.
pub(crate) fn cbc_decrypt<C>(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>>
where
    C: BlockCipherDecrypt,
    cbc::Decryptor<C>: KeyIvInit + BlockModeDecrypt,
{
    let decryptor = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    decryptor
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .ok()
        .map(Zeroizing::new)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        decode_hex(s).unwrap()
    }

    /// `openssl enc -aes-128-cbc -P -S 0102030405060708 -pass pass:test1234 -md md5`
    /// prints key=7F80B602024FAA60AFA6C3ABE9762AD2 iv=327AF1FFEA795E811CB46A5BF32B89B3;
    /// with `-aes-256-cbc` the key is those 32 bytes (D_1 || D_2).
    #[test]
    fn evp_bytes_to_key_matches_openssl_enc() {
        let salt = hex("0102030405060708");
        assert_eq!(
            *evp_bytes_to_key(b"test1234", &salt, 16),
            hex("7F80B602024FAA60AFA6C3ABE9762AD2")
        );
        assert_eq!(
            *evp_bytes_to_key(b"test1234", &salt, 32),
            hex("7F80B602024FAA60AFA6C3ABE9762AD2327AF1FFEA795E811CB46A5BF32B89B3")
        );
        assert_eq!(evp_bytes_to_key(b"test1234", &salt, 24).len(), 24);
    }

    #[test]
    fn dek_info_with_unknown_cipher_is_unsupported_and_names_it() {
        let err = parse_dek_info("BF-CBC,0102030405060708").unwrap_err();
        assert!(matches!(err, ErrorKind::Unsupported { .. }));
        assert!(err.to_string().contains("BF-CBC,0102030405060708"));
    }

    #[test]
    fn dek_info_with_bad_iv_is_malformed() {
        let err = parse_dek_info("AES-128-CBC,01020g").unwrap_err();
        assert!(matches!(err, ErrorKind::Malformed { .. }));
        assert!(
            parse_dek_info("AES-128-CBC,0102030405060708").is_err(),
            "short IV"
        );
        assert!(parse_dek_info("DES-EDE3-CBC,0102030405060708").is_ok());
    }

    #[test]
    fn wrong_padding_is_reported_as_padding_failure() {
        let result = decrypt("AES-128-CBC,000102030405060708090A0B0C0D0E0F", &[0u8; 32], b"x");
        assert!(matches!(result, Err(Failure::Padding)) || result.is_ok());
        assert!(matches!(
            decrypt("AES-128-CBC,000102030405060708090A0B0C0D0E0F", &[0u8; 31], b"x"),
            Err(Failure::Padding)
        ));
    }
}
