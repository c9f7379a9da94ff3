#!/usr/bin/env python3
"""Bulk bench inputs (python `cryptography`, OpenSSL underneath), into OUTDIR (gitignored):

  pool-1x.pem   1 root, 20 intermediates, 2,000 leaves, EC P-256, shuffled (2,021 certs)
  pool-4x.pem   4 such hierarchies, shuffled together (8,084)
  pool-16x-{0..3}.pem  16 (32,336), in 4 files (at most 10,000 PEM blocks a file)
  bundles/bNNNN.pem  1,000 bundles leaf+sub+root (the portal's sub CA and root, a fresh RSA leaf cert each)
  leaves/lNNNN.pem   the same leaves alone (for `openssl verify`)
  portal4/bundles/bNNNN.pem  1,000 bundles leaf+sub+root under one RSA-4096 root and 4 RSA-2048
                     intermediates (250 leaves each); portal4/leaves/ the leaves alone,
                     portal4/root.pem, portal4/subs.pem (for one `openssl verify` over all 1,000)

Deterministic shape (fixed seed); key material is fresh per run.
"""
import datetime
import os
import random
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
START, END = NOW - datetime.timedelta(days=30), NOW + datetime.timedelta(days=9000)
PEM = serialization.Encoding.PEM


def name(*parts):
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in parts])


def cert(subject, issuer, pub, key, serial, ca, path_len=None, aki_pub=None):
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(pub)
        .serial_number(serial)
        .not_valid_before(START)
        .not_valid_after(END)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_len), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(pub), critical=False)
    )
    if aki_pub is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(aki_pub), critical=False)
    if ca:
        b = b.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    else:
        b = b.add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True
        )
        b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    return b.sign(key, hashes.SHA256())


def hierarchy(h, leaves=2000, subs=20):
    org = (NameOID.ORGANIZATION_NAME, f"Bench Pool {h}")
    rk = ec.generate_private_key(ec.SECP256R1())
    rn = name((NameOID.COUNTRY_NAME, "DE"), org, (NameOID.COMMON_NAME, f"Pool Root {h}"))
    out = [cert(rn, rn, rk.public_key(), rk, 1, True)]
    lk = ec.generate_private_key(ec.SECP256R1())
    serial = 2
    for s in range(subs):
        sk = ec.generate_private_key(ec.SECP256R1())
        sn = name((NameOID.COUNTRY_NAME, "DE"), org, (NameOID.COMMON_NAME, f"Pool Sub {h}.{s}"))
        out.append(cert(sn, rn, sk.public_key(), rk, serial, True, 0, rk.public_key()))
        serial += 1
        for i in range(leaves // subs):
            ln = name(org, (NameOID.COMMON_NAME, f"client {h}.{s}.{i}"))
            out.append(cert(ln, sn, lk.public_key(), sk, serial, False, None, sk.public_key()))
            serial += 1
    return out


def write(path, certs):
    with open(path, "wb") as f:
        for c in certs:
            f.write(c.public_bytes(PEM))


def leaf_public_key():
    with open(os.path.join(HERE, "data", "leaf.key"), "rb") as f:
        return serialization.load_pem_private_key(f.read(), None).public_key()


def main():
    args = [a for a in sys.argv[1:] if a != "--portal4"]
    out = args[0] if args else os.path.join(HERE, "..", "target", "bench-data")
    os.makedirs(out, exist_ok=True)
    if "--portal4" in sys.argv:  # only the 4-intermediate bundles (the rest is slow to make)
        portal4(os.path.join(out, "portal4"), leaf_public_key())
        return
    rng = random.Random(2021)
    pool = []
    for h, size in enumerate((1, 4, 16)):
        while len(pool) < size * 2021:
            pool.extend(hierarchy(len(pool) // 2021))
        certs = list(pool)
        rng.shuffle(certs)
        # One file holds at most 10,000 PEM blocks (Limits::max_pem_blocks): 16x is 4 files.
        parts = max(1, size // 4)
        step = len(certs) // parts
        for p in range(parts):
            suffix = f"-{p}" if parts > 1 else ""
            write(os.path.join(out, f"pool-{size}x{suffix}.pem"), certs[p * step : (p + 1) * step])

    data = os.path.join(HERE, "data")
    with open(os.path.join(data, "sub.key"), "rb") as f:
        sub_key = serialization.load_pem_private_key(f.read(), None)
    with open(os.path.join(data, "sub.pem"), "rb") as f:
        sub_pem = f.read()
    with open(os.path.join(data, "root.pem"), "rb") as f:
        root_pem = f.read()
    with open(os.path.join(data, "leaf.key"), "rb") as f:
        leaf_pub = serialization.load_pem_private_key(f.read(), None).public_key()
    sub = x509.load_pem_x509_certificate(sub_pem)
    os.makedirs(os.path.join(out, "bundles"), exist_ok=True)
    os.makedirs(os.path.join(out, "leaves"), exist_ok=True)
    for i in range(1000):
        ln = name((NameOID.ORGANIZATION_NAME, "Bench Client"), (NameOID.COMMON_NAME, f"MTF XBS {i}"))
        leaf = cert(ln, sub.subject, leaf_pub, sub_key, 1000 + i, False, None, sub_key.public_key())
        leaf_pem = leaf.public_bytes(PEM)
        with open(os.path.join(out, "bundles", f"b{i:04}.pem"), "wb") as f:
            f.write(leaf_pem + sub_pem + root_pem)
        with open(os.path.join(out, "leaves", f"l{i:04}.pem"), "wb") as f:
            f.write(leaf_pem)
    portal4(os.path.join(out, "portal4"), leaf_pub)
    print(out)


def portal4(out, leaf_pub):
    """1,000 portal bundles under one root and 4 intermediates (RSA, as the portal's)."""
    os.makedirs(os.path.join(out, "bundles"), exist_ok=True)
    os.makedirs(os.path.join(out, "leaves"), exist_ok=True)
    org = (NameOID.ORGANIZATION_NAME, "Bench Portal 4")
    rk = rsa.generate_private_key(65537, 4096)
    rn = name((NameOID.COUNTRY_NAME, "DE"), org, (NameOID.COMMON_NAME, "Bench Root CA"))
    root_pem = cert(rn, rn, rk.public_key(), rk, 1, True).public_bytes(PEM)
    subs = []
    for s in range(4):
        sk = rsa.generate_private_key(65537, 2048)
        sn = name((NameOID.COUNTRY_NAME, "DE"), org, (NameOID.COMMON_NAME, f"Bench Sub CA {s}"))
        subs.append((sn, sk, cert(sn, rn, sk.public_key(), rk, 2 + s, True, 0, rk.public_key()).public_bytes(PEM)))
    with open(os.path.join(out, "root.pem"), "wb") as f:
        f.write(root_pem)
    with open(os.path.join(out, "subs.pem"), "wb") as f:
        f.write(b"".join(pem for _, _, pem in subs))
    for i in range(1000):
        sn, sk, sub_pem = subs[i % 4]
        ln = name((NameOID.ORGANIZATION_NAME, "Bench Client"), (NameOID.COMMON_NAME, f"MTF XBS {i}"))
        leaf_pem = cert(ln, sn, leaf_pub, sk, 1000 + i, False, None, sk.public_key()).public_bytes(PEM)
        with open(os.path.join(out, "bundles", f"b{i:04}.pem"), "wb") as f:
            f.write(leaf_pem + sub_pem + root_pem)
        with open(os.path.join(out, "leaves", f"l{i:04}.pem"), "wb") as f:
            f.write(leaf_pem)


if __name__ == "__main__":
    main()
