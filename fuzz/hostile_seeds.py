#!/usr/bin/env python3
"""Seeds for the shapes of issue 15 (KDF parameter variants, parameters
behind a ciphertext, RSA keys with oversized primes), written to
fuzz/seeds/<target>/<sha1> like the minimised corpus slices. Passwords are
the targets' own: `changeit` (pkcs12), `test1234` (keys)."""
import hashlib
import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

here = os.path.dirname(os.path.abspath(__file__))


def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        head = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + head + value


def integer(n):
    return tlv(0x02, n.to_bytes(n.bit_length() // 8 + 1, "big"))


def oid(hex_):
    return tlv(0x06, bytes.fromhex(hex_))


PBES2, PBKDF2, SCRYPT = "2a864886f70d01050d", "2a864886f70d01050c", "2b06010401da47040b"
AES256, HMAC_SHA256 = "60864801650304012a", "2a864886f70d0209"
PBE_3DES, PBE_RC2_40 = "2a864886f70d010c0103", "2a864886f70d010c0106"
DATA, ENCRYPTED_DATA = "2a864886f70d010701", "2a864886f70d010706"
SHROUDED = "2a864886f70d010c0a0102"


def pbes2(kdf):
    cipher = tlv(0x30, oid(AES256) + tlv(0x04, b"\x02" * 16))
    return tlv(0x30, oid(PBES2) + tlv(0x30, kdf + cipher))


def scrypt(n, r, p):
    return tlv(0x30, oid(SCRYPT) + tlv(0x30, tlv(0x04, b"\x01" * 16) + integer(n) + integer(r) + integer(p)))


def pbkdf2(iterations):
    prf = tlv(0x30, oid(HMAC_SHA256) + b"\x05\x00")
    return tlv(0x30, oid(PBKDF2) + tlv(0x30, tlv(0x04, b"\x03" * 16) + integer(iterations) + prf))


def pkcs12_pbe(alg, iterations, outer=0x30):
    return tlv(0x30, oid(alg) + tlv(outer, tlv(0x04, b"\x05" * 8) + integer(iterations)))


def encrypted_key(alg, ciphertext=b"\x00" * 32):
    return tlv(0x30, alg + tlv(0x04, ciphertext))


def bags(keys):
    return tlv(0x30, b"".join(tlv(0x30, oid(SHROUDED) + tlv(0xA0, k)) for k in keys))


def data_info(safe):
    return tlv(0x30, oid(DATA) + tlv(0xA0, tlv(0x04, safe)))


def pfx(infos):
    auth = tlv(0x30, b"".join(infos))
    return tlv(0x30, integer(3) + tlv(0x30, oid(DATA) + tlv(0xA0, tlv(0x04, auth))))


def encrypted_info(password, iterations, plain):
    """encryptedData under PBES2 / PBKDF2-SHA256 / AES-256-CBC."""
    salt, iv = b"\x03" * 16, b"\x04" * 16
    key = hashlib.pbkdf2_hmac("sha256", password, salt, iterations, 32)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = enc.update(padded) + enc.finalize()
    prf = tlv(0x30, oid(HMAC_SHA256) + b"\x05\x00")
    kdf = tlv(0x30, oid(PBKDF2) + tlv(0x30, tlv(0x04, salt) + integer(iterations) + prf))
    alg = tlv(0x30, oid(PBES2) + tlv(0x30, kdf + tlv(0x30, oid(AES256) + tlv(0x04, iv))))
    info = tlv(0x30, oid(DATA) + alg + tlv(0x80, ciphertext))
    return tlv(0x30, oid(ENCRYPTED_DATA) + tlv(0xA0, tlv(0x30, integer(0) + info)))


def rsa_pkcs1(n_bytes, p_bytes):
    big = lambda k, fill: int.from_bytes(bytes([0x80]) + fill * (k - 2) + b"\x01", "big")
    fields = integer(0) + integer(big(n_bytes, b"\x5a")) + integer(65537) + integer(7)
    fields += integer(big(p_bytes, b"\xa5")) + integer(big(p_bytes, b"\x3c")) + integer(3) + integer(5) + integer(9)
    return tlv(0x30, fields)


kdf_variants = [
    pbes2(scrypt(0, 8, 1)),
    pbes2(scrypt(3, 8, 1)),
    pbes2(scrypt(1 << 14, 0, 1)),
    pbes2(scrypt(1 << 14, 8, 0)),
    pbes2(scrypt(1 << 30, 8, 1)),
    pbes2(pbkdf2(0)),
    pbes2(pbkdf2(1 << 31)),
    pkcs12_pbe(PBE_3DES, (1 << 63) - 1, outer=0x31),
    pkcs12_pbe(PBE_RC2_40, 0),
    tlv(0xA0, oid(PBE_3DES) + tlv(0x30, tlv(0x04, b"\x05" * 8) + integer(1 << 40))),
]
seeds = {"pkcs12": [], "keys": [], "decode_any": []}
for alg in kdf_variants:
    seeds["keys"].append(encrypted_key(alg))
    seeds["pkcs12"].append(pfx([data_info(bags([encrypted_key(alg)]))]))
# Parameters behind a ciphertext: an encryptedData (openable with the
# target's password) whose key bag asks for scrypt N = 2^30, and one nested
# in a safeContentsBag.
inner = bags([encrypted_key(pbes2(scrypt(1 << 30, 8, 1)))])
seeds["pkcs12"].append(pfx([encrypted_info(b"changeit", 1, inner)]))
nested = tlv(0x30, tlv(0x30, oid("2a864886f70d010c0a0106") + tlv(0xA0, inner)))
seeds["pkcs12"].append(pfx([encrypted_info(b"changeit", 1, nested)]))
# RSA with oversized primes: a modulus of 1,900 bytes whose "primes" are
# longer than it, and a small modulus with 900-byte primes.
seeds["keys"].append(rsa_pkcs1(1900, 1000)[:2040])
seeds["keys"].append(rsa_pkcs1(64, 900))
seeds["decode_any"] = seeds["pkcs12"][:6] + seeds["keys"][:6] + seeds["keys"][-2:]

for target, items in seeds.items():
    out_dir = os.path.join(here, "seeds", target)
    for item in items:
        assert len(item) < 2048, (target, len(item))
        name = hashlib.sha1(item).hexdigest()
        with open(os.path.join(out_dir, name), "wb") as out:
            out.write(item)
    print(target, len(items))
