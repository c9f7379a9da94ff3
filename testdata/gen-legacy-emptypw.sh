#!/usr/bin/env bash
# Issue 13.6: a legacy PKCS#12 (RC2-40 certificates, 3DES key, SHA-1 MAC)
# under a zero-length password, as `openssl pkcs12 -export -legacy
# -passout pass:` and older tools' "no password" exports write it.
# Uses the committed RSA leaf, key and chain; gen.sh calls it too.
set -Eeuo pipefail
cd "$(dirname "$0")"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cat certs/rsa-sub.crt certs/rsa-root.crt >"$TMP/subroot.pem"
openssl pkcs12 -export -legacy -inkey keys/rsa-leaf.key -in certs/rsa-leaf.crt \
	-certfile "$TMP/subroot.pem" -name "mtf xbs" -passout pass: \
	-out rsa/p12/client-legacy-emptypw.p12
