#!/usr/bin/env python3
"""Issue 15.4: leaf certificates whose public key no peer accepts, each
properly signed by the committed rsa-sub CA so that only the key is wrong.
The leaf template is certs/rsa-leaf.crt: its SubjectPublicKeyInfo is
replaced and the TBSCertificate re-signed with keys/rsa-sub.key.
Writes hostile/bad-keys/<defect>.pem (leaf, rsa-sub, rsa-root)."""
import base64
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding

here = os.path.dirname(os.path.abspath(__file__))


def read_tlv(data, at=0):
    tag = data[at]
    first = data[at + 1]
    at += 2
    if first < 0x80:
        length = first
    else:
        n = first & 0x7F
        length = int.from_bytes(data[at : at + n], "big")
        at += n
    return tag, data[at : at + length], at + length


def children(value):
    out, at = [], 0
    while at < len(value):
        start = at
        tag, inner, at = read_tlv(value, at)
        out.append((tag, inner, value[start:at]))
    return out


def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        head = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + head + value


def integer(n):
    raw = n.to_bytes(n.bit_length() // 8 + 1, "big")
    return tlv(0x02, raw)


def spki(algorithm, key):
    return tlv(0x30, algorithm + tlv(0x03, b"\x00" + key))


EC_P256 = tlv(0x30, tlv(0x06, bytes.fromhex("2a8648ce3d0201")) + tlv(0x06, bytes.fromhex("2a8648ce3d030107")))
ED25519 = tlv(0x30, tlv(0x06, bytes.fromhex("2b6570")))
RSA = tlv(0x30, tlv(0x06, bytes.fromhex("2a864886f70d010101")) + b"\x05\x00")

load = lambda rel: open(os.path.join(here, rel), "rb").read()
leaf = x509.load_pem_x509_certificate(load("certs/rsa-leaf.crt"))
sub_key = serialization.load_pem_private_key(load("keys/rsa-sub.key"), None)
modulus = leaf.public_key().public_numbers().n
point = ec.derive_private_key(0x1504, ec.SECP256R1()).public_key().public_bytes(
    serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
)
off_curve = point[:-1] + bytes([point[-1] ^ 1])

keys = {
    "ec-not-on-curve": spki(EC_P256, off_curve),
    "ec-truncated": spki(EC_P256, point[:-2]),
    "ec-infinity": spki(EC_P256, b"\x00"),
    "ed25519-31-bytes": spki(ED25519, bytes(range(31))),
    "rsa-e-1": spki(RSA, tlv(0x30, integer(modulus) + integer(1))),
    "rsa-even-e": spki(RSA, tlv(0x30, integer(modulus) + integer(65536))),
    "rsa-even-n": spki(RSA, tlv(0x30, integer(modulus & ~1) + integer(65537))),
}

_, cert_value, _ = read_tlv(leaf.public_bytes(serialization.Encoding.DER))
tbs, sig_alg, _ = children(cert_value)
fields = children(tbs[1])
# TBSCertificate: [0] version, serial, signature, issuer, validity, subject, spki, ...
SPKI_AT = 6
chain = load("certs/rsa-sub.crt") + load("certs/rsa-root.crt")
for name, key in keys.items():
    new_fields = [f[2] for f in fields]
    new_fields[SPKI_AT] = key
    new_tbs = tlv(0x30, b"".join(new_fields))
    signature = sub_key.sign(new_tbs, padding.PKCS1v15(), hashes.SHA256())
    der = tlv(0x30, new_tbs + sig_alg[2] + tlv(0x03, b"\x00" + signature))
    body = base64.encodebytes(der).decode().replace("\n", "")
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    text = f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n".encode()
    with open(os.path.join(here, "hostile", "bad-keys", f"{name}.pem"), "wb") as out:
        out.write(text + chain)
