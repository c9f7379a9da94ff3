#!/usr/bin/env bash
# Issue 15.4: a chain under an RSA-16384 root, which OpenSSL verifies and
# aws-lc-rs cannot verify with (it stops at 8192 bits). The key takes
# minutes to generate, so it is committed and made only when missing.
set -Eeuo pipefail
cd "$(dirname "$0")"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
[ -f keys/rsa16k-root.key ] || openssl genrsa -out keys/rsa16k-root.key 16384
openssl req -x509 -new -key keys/rsa16k-root.key -sha256 -days 7300 -set_serial 0x1616 \
	-subj "/C=US/O=Example Payments/CN=Test RSA-16384 Root" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-addext "subjectKeyIdentifier=hash" \
	-out certs/rsa16k-root.crt
openssl req -new -key keys/rsa-leaf.key -subj "/C=US/O=Example Corp/CN=RSA16K Leaf" -out "$TMP/leaf.csr"
cat >"$TMP/leaf.ext" <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
authorityKeyIdentifier=keyid
EXT
openssl x509 -req -in "$TMP/leaf.csr" -CA certs/rsa16k-root.crt -CAkey keys/rsa16k-root.key \
	-set_serial 0x1617 -sha256 -days 3650 \
	-extfile "$TMP/leaf.ext" -out certs/rsa16k-leaf.crt
cat certs/rsa16k-leaf.crt certs/rsa16k-root.crt >hostile/rsa16k-chain.pem
openssl verify -CAfile certs/rsa16k-root.crt certs/rsa16k-leaf.crt
