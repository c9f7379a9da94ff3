#!/usr/bin/env python3
"""Issue 15.8: a self-signed certificate whose CN holds ESC sequences and a
right-to-left override (U+202E), which openssl cannot write from its
command line. Writes hostile/control-cn.pem."""
import datetime
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

here = os.path.dirname(os.path.abspath(__file__))
key = ec.derive_private_key(0x15_08_15_08, ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "evil\x1b[2J\x1b]0;pwned\x07\u202egpj.exe")])
start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
cert = (
    x509.CertificateBuilder()
    .subject_name(name)
    .issuer_name(name)
    .public_key(key.public_key())
    .serial_number(0x1508)
    .not_valid_before(start)
    .not_valid_after(start + datetime.timedelta(days=3650))
    .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    .sign(key, hashes.SHA256())
)
with open(os.path.join(here, "hostile", "control-cn.pem"), "wb") as out:
    out.write(cert.public_bytes(serialization.Encoding.PEM))
