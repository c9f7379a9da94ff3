#!/usr/bin/env python3
"""Path-validation fixtures (testdata/path/) that openssl's CLI cannot express:
unknown critical extensions, a v1 leaf, roots with missing or non-critical
basicConstraints, keyCertSign without cA, cross-certificates with the same
subject and key as a CA of the chain, look-alike issuers with the same key
identifier, a 100-CA chain.

Run after testdata/gen.sh (it reuses that script's keys and certificates:
ROOT, SUB, LEAF, ROOT G2, the impostor key):  python3 testdata/gen_path.py
Needs python3 `cryptography` (>= 42). The tables in testdata/README.md say
what each file holds and the outcome expected at 2026-12-01.
"""
import datetime
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "path")
# A private-enterprise OID no validator knows (certbundle's tests only).
UNKNOWN = x509.ObjectIdentifier("1.3.6.1.4.1.55555.1.1")


def cert(name):
    with open(os.path.join(HERE, "certs", name + ".crt"), "rb") as f:
        return x509.load_pem_x509_certificate(f.read())


def key(name):
    with open(os.path.join(HERE, "keys", name + ".key"), "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def day(y, m=1, d=1):
    return datetime.datetime(y, m, d, tzinfo=datetime.timezone.utc)


ROOT, SUB, LEAF, G2 = cert("rsa-root"), cert("rsa-sub"), cert("rsa-leaf"), cert("rsa-root-g2")
ROOT_K, SUB_K, LEAF_K, G2_K = key("rsa-root"), key("rsa-sub"), key("rsa-leaf"), key("rsa-root-g2")
IMPOSTOR_K = key("rsa-sub-impostor")
CA_TIME, ROOT_TIME, LEAF_TIME = (day(2021), day(2040)), (day(2020), day(2045)), (day(2026), day(2027, 6))


def ca_exts(bc=("critical", None), ku=True, ski=None):
    exts = []
    if bc is not None:
        crit, path_len = bc
        exts.append((x509.BasicConstraints(ca=True, path_length=path_len), crit == "critical"))
    if ku:
        exts.append((x509.KeyUsage(False, False, False, False, False, True, True, False, False), True))
    return exts


def leaf_exts(cert_sign=False):
    return [
        (x509.BasicConstraints(ca=False, path_length=None), True),
        (x509.KeyUsage(True, False, not cert_sign, False, False, cert_sign, False, False, False), True),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False),
    ]


def make(subject, public_key, issuer, issuer_key, serial, validity, exts, ski=None, version=None):
    """A certificate; `issuer` is the issuing certificate, or None for self-signed."""
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer is not None else subject)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
    )
    if version is not None:
        b._version = version  # the builder has no public setter; v1 carries no extensions
    else:
        for ext, critical in exts:
            b = b.add_extension(ext, critical)
        b = b.add_extension(ski or x509.SubjectKeyIdentifier.from_public_key(public_key), False)
        if issuer is not None:
            aki = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            b = b.add_extension(x509.AuthorityKeyIdentifier(aki.digest, None, None), False)
    return b.sign(issuer_key, hashes.SHA256())


def write(name, certs):
    with open(os.path.join(OUT, name), "wb") as f:
        for c in certs:
            f.write(c.public_bytes(serialization.Encoding.PEM))


def unknown(critical=True):
    return (x509.UnrecognizedExtension(UNKNOWN, b"\x05\x00"), critical)


def main():
    os.makedirs(OUT, exist_ok=True)
    sub_ski = SUB.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    root_pub, sub_pub, leaf_pub = ROOT_K.public_key(), SUB_K.public_key(), LEAF_K.public_key()

    # 13.2: an expired cross-certificate of SUB (same subject and key) listed first.
    cross_expired = make(SUB.subject, sub_pub, G2, G2_K, 0x2101, (day(2015), day(2025)), ca_exts(("critical", 0)))
    write("expired-cross.pem", [LEAF, cross_expired, G2, SUB, ROOT])
    # 13.2: a constrained alternative of SUB (same subject and key, keyUsage without keyCertSign) listed first.
    no_cert_sign = [(x509.BasicConstraints(ca=True, path_length=0), True),
                    (x509.KeyUsage(True, False, False, False, False, False, False, False, False), True)]
    write("constrained-cross.pem", [LEAF, make(SUB.subject, sub_pub, ROOT, ROOT_K, 0x2104, CA_TIME, no_cert_sign), SUB, ROOT])
    # 13.2: ROOT cross-signed by G2 (same subject and key), listed before ROOT itself.
    root_cross = make(ROOT.subject, root_pub, G2, G2_K, 0x1101, CA_TIME, ca_exts())
    write("past-the-root.pem", [LEAF, SUB, root_cross, G2, ROOT])
    # 13.3 / 15.9: 200 look-alikes of SUB (its name and key identifier, another key) ahead of SUB.
    lookalikes = [
        make(SUB.subject, IMPOSTOR_K.public_key(), ROOT, ROOT_K, 0x2200 + i, CA_TIME, ca_exts(("critical", 0)), ski=sub_ski)
        for i in range(200)
    ]
    write("lookalikes-200.pem", [LEAF, *lookalikes, SUB, ROOT])
    # 13.3: 100 CAs under one another (one P-256 key for all: signatures are cheap), and a leaf.
    chain_k = ec.generate_private_key(ec.SECP256R1())
    name = lambda n: x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Payments"),
        x509.NameAttribute(NameOID.COMMON_NAME, n),
    ])
    cas = [make(name("Test XBS Chain CA 0"), chain_k.public_key(), None, chain_k, 0x8000, ROOT_TIME, ca_exts())]
    for i in range(1, 100):
        cas.append(make(name(f"Test XBS Chain CA {i}"), chain_k.public_key(), cas[-1], chain_k, 0x8000 + i, CA_TIME, ca_exts()))
    leaf_k = ec.generate_private_key(ec.SECP256R1())
    long_leaf = make(
        x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example Corp"), x509.NameAttribute(NameOID.COMMON_NAME, "MTF XBS Chain")]),
        leaf_k.public_key(), cas[-1], chain_k, 0x8100, LEAF_TIME, leaf_exts())
    write("long-chain-100.pem", [long_leaf, *reversed(cas)])

    # 13.1: unknown critical extensions on the leaf, the intermediate, the root; off the chain.
    write("critical-unknown-leaf.pem", [
        make(LEAF.subject, leaf_pub, SUB, SUB_K, 0x3101, LEAF_TIME, leaf_exts() + [unknown()]), SUB, ROOT])
    write("critical-unknown-sub.pem", [
        LEAF, make(SUB.subject, sub_pub, ROOT, ROOT_K, 0x2102, CA_TIME, ca_exts(("critical", 0)) + [unknown()]), ROOT])
    write("critical-unknown-root.pem", [
        LEAF, SUB, make(ROOT.subject, root_pub, None, ROOT_K, 0x1102, ROOT_TIME, ca_exts() + [unknown()])])
    stray_k = ec.generate_private_key(ec.SECP256R1())
    write("critical-unknown-unrelated.pem", [
        LEAF, SUB, ROOT,
        make(name("Test XBS Unrelated Critical CA"), stray_k.public_key(), None, stray_k, 0x8200, ROOT_TIME, ca_exts() + [unknown()])])
    name_constraints = x509.NameConstraints(
        permitted_subtrees=[x509.DirectoryName(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "US")]))],
        excluded_subtrees=None)
    write("critical-name-constraints.pem", [
        LEAF, make(SUB.subject, sub_pub, ROOT, ROOT_K, 0x2103, CA_TIME, ca_exts(("critical", 0)) + [(name_constraints, True)]), ROOT])
    policies = x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier("2.5.29.32.0"), None)])
    write("critical-policies-leaf.pem", [
        make(LEAF.subject, leaf_pub, SUB, SUB_K, 0x3104, LEAF_TIME, leaf_exts() + [(policies, True)]), SUB, ROOT])
    san = x509.SubjectAlternativeName([x509.DNSName("mtf-xbs.example")])
    write("critical-san-leaf.pem", [
        make(LEAF.subject, leaf_pub, SUB, SUB_K, 0x3105, LEAF_TIME, leaf_exts() + [(san, True)]), SUB, ROOT])

    # 13.5: roots that servers refuse (or warn about), and leaves they refuse.
    no_bc = make(ROOT.subject, root_pub, None, ROOT_K, 0x1103, ROOT_TIME, ca_exts(bc=None, ku=False))
    write("root-no-bc.pem", [LEAF, SUB, no_bc])
    write("root-no-bc.crt", [no_bc])
    write("root-bc-noncritical.pem", [
        LEAF, SUB, make(ROOT.subject, root_pub, None, ROOT_K, 0x1104, ROOT_TIME, ca_exts(bc=("noncritical", None)))])
    not_ca = [(x509.BasicConstraints(ca=False, path_length=None), True)] + ca_exts(bc=None)
    write("root-keycertsign-not-ca.pem", [LEAF, SUB, make(ROOT.subject, root_pub, None, ROOT_K, 0x1105, ROOT_TIME, not_ca)])
    expired = make(ROOT.subject, root_pub, None, ROOT_K, 0x1106, (day(2000), day(2020)), ca_exts())
    write("root-expired.pem", [LEAF, SUB, expired])
    write("root-expired.crt", [expired])
    write("leaf-keycertsign.pem", [
        make(LEAF.subject, leaf_pub, SUB, SUB_K, 0x3102, LEAF_TIME, leaf_exts(cert_sign=True)), SUB, ROOT])
    write("leaf-v1.pem", [
        make(LEAF.subject, leaf_pub, SUB, SUB_K, 0x3103, LEAF_TIME, [], version=x509.Version.v1), SUB, ROOT])


if __name__ == "__main__":
    main()
