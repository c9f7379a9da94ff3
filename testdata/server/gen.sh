#!/usr/bin/env bash
# The TLS server identity of the connect tests (tests/connect.rs): a server
# certificate for `localhost` and 127.0.0.1 issued by the fixture server
# issuing CA (SSUB, `../certs/server-sub.crt`), so a client that is given the
# server CA chain trusts it. Run after `../gen.sh` (which makes SSUB anew):
#
#   bash testdata/server/gen.sh
#
# Writes server.key (P-256, unencrypted PKCS#8) and server.crt
# (serial 0x5100, 2026-01-01 -> 2040-01-01: the handshakes run on the real clock).
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cat >"$TMP/ext.cnf" <<'CNF'
[ server ]
basicConstraints       = critical,CA:FALSE
keyUsage               = critical,digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
CNF

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key
openssl req -new -key server.key -subj '/C=US/O=Example Network/CN=localhost' -out "$TMP/server.csr"
# `openssl x509 -req` has no -not_before before OpenSSL 3.4; use `openssl ca`.
mkdir -p "$TMP/ca"
: >"$TMP/ca/index.txt"
echo 5100 >"$TMP/ca/serial"
cat >"$TMP/ca.cnf" <<CNF
[ ca ]
default_ca = CA_default
[ CA_default ]
dir             = $TMP/ca
database        = \$dir/index.txt
new_certs_dir   = \$dir
serial          = \$dir/serial
default_md      = sha256
policy          = policy_anything
unique_subject  = no
copy_extensions = none
preserve        = yes
[ policy_anything ]
countryName      = optional
organizationName = optional
commonName       = optional
CNF
openssl ca -batch -notext -config "$TMP/ca.cnf" -cert ../certs/server-sub.crt -keyfile ../keys/server-sub.key \
	-in "$TMP/server.csr" -out server.crt -startdate 20260101000000Z -enddate 20400101000000Z \
	-extfile "$TMP/ext.cnf" -extensions server 2>"$TMP/log" || { cat "$TMP/log" >&2; exit 1; }
openssl verify -CAfile ../certs/server-root.crt -untrusted ../certs/server-sub.crt server.crt
