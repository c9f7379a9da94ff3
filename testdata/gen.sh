#!/usr/bin/env bash
# Regenerates every fixture in testdata/ with the real openssl CLI (and Java
# keytool where present). Keys are random, so every run changes every file;
# the certificates' validity dates and serials are fixed, so tests pin the
# validation time to 2026-12-01T00:00:00Z. See README.md for what each holds.
#
#   bash testdata/gen.sh
set -euo pipefail
cd "$(dirname "$0")"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
KP=test1234   # every encrypted private key
PP=changeit   # every PKCS#12 file
S=20200101000000Z   # root validity
E=20450101000000Z

rm -rf certs rsa ec ed25519 bad cross hostile fingerprints.txt
mkdir -p certs rsa/keys rsa/p12 ec/keys ed25519/keys bad cross hostile

cat > "$W/ca.cnf" <<EOF
[ ca ]
default_ca = ca_default
[ ca_default ]
dir = $W/db
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
policy = policy_any
unique_subject = no
copy_extensions = none
[ policy_any ]
countryName = optional
organizationName = optional
commonName = optional
[ root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ sub ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ca_nolen ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ not_ca ]
basicConstraints = critical,CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ no_keycertsign ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf_server ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf_no_ds ]
basicConstraints = CA:FALSE
keyUsage = critical,keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

# sign CSR ISSUER_CERT ISSUER_KEY EXTENSIONS SERIAL START END OUT [openssl ca options...]
sign() {
  local csr=$1 icert=$2 ikey=$3 ext=$4 serial=$5 start=$6 end=$7 out=$8
  shift 8
  rm -rf "$W/db" && mkdir -p "$W/db/new" && : > "$W/db/index.txt" && echo "$serial" > "$W/db/serial"
  openssl ca -batch -config "$W/ca.cnf" -cert "$icert" -keyfile "$ikey" -in "$csr" -out "$W/signed.pem" \
    -extensions "$ext" -startdate "$start" -enddate "$end" -notext -preserveDN -md sha256 "$@" 2>"$W/ca.log" \
    || { cat "$W/ca.log" >&2; return 1; }
  openssl x509 -in "$W/signed.pem" -out "$out"
}
# selfsign KEY SUBJECT EXTENSIONS SERIAL OUT [openssl ca options...]
selfsign() {
  local key=$1 subj=$2 ext=$3 serial=$4 out=$5
  shift 5
  openssl req -new -key "$key" -subj "$subj" -out "$W/self.csr"
  rm -rf "$W/db" && mkdir -p "$W/db/new" && : > "$W/db/index.txt" && echo "$serial" > "$W/db/serial"
  openssl ca -batch -selfsign -config "$W/ca.cnf" -keyfile "$key" -in "$W/self.csr" -out "$W/signed.pem" \
    -extensions "$ext" -startdate $S -enddate $E -notext -preserveDN -md sha256 "$@" 2>"$W/ca.log" \
    || { cat "$W/ca.log" >&2; return 1; }
  openssl x509 -in "$W/signed.pem" -out "$out"
}
rsa() { openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$1" -out "$2" 2>/dev/null; }
csr() { openssl req -new -key "$1" -subj "$2" -out "$3"; }

K=$W/keys; mkdir -p "$K"

# ---- 1. The main RSA PKI and the portal's downloads -------------------------
rsa 4096 "$K/root.key"
selfsign "$K/root.key" "/C=US/O=Example Payments/CN=Test XBS Root CA" root 1000 certs/rsa-root.crt
rsa 2048 "$K/sub.key"
csr "$K/sub.key" "/C=US/O=Example Payments/CN=Test XBS Issuing CA 1" "$W/sub.csr"
sign "$W/sub.csr" certs/rsa-root.crt "$K/root.key" sub 2000 20210101000000Z 20400101000000Z certs/rsa-sub.crt

# The key and CSR exactly as the portal's users make them.
openssl req -newkey rsa:2048 -keyout rsa/PRIVATEKEY.key -out rsa/MYCSR.csr \
  -subj "/C=US/O=Example Corp/CN=MTF XBS" -passout pass:$KP 2>/dev/null
openssl pkey -in rsa/PRIVATEKEY.key -passin pass:$KP -out "$K/leaf.key"
LEAF_DATES=(20260101000000Z 20270601000000Z)
sign rsa/MYCSR.csr certs/rsa-sub.crt "$K/sub.key" leaf 3001 "${LEAF_DATES[@]}" certs/rsa-leaf.crt

openssl x509 -in certs/rsa-leaf.crt -outform DER -out rsa/leaf.cer
cat certs/rsa-leaf.crt certs/rsa-sub.crt certs/rsa-root.crt > rsa/bundle-root-last.pem
cat certs/rsa-root.crt certs/rsa-sub.crt certs/rsa-leaf.crt > rsa/bundle-root-first.pem
cp rsa/bundle-root-last.pem rsa/pem-named.cer
cp rsa/leaf.cer rsa/der-named.pem
python3 - rsa/bundle-root-last.pem rsa/bundle-crlf-bom.pem <<'PY'
import sys
text = open(sys.argv[1]).read().replace("\n", "   \r\n")
open(sys.argv[2], "wb").write(b"\xef\xbb\xbf" + text.encode() + b"\r\n  \r\n\r\n")
PY
cat certs/rsa-sub.crt certs/rsa-leaf.crt certs/rsa-root.crt > "$W/sub-leaf-root.pem"
openssl crl2pkcs7 -nocrl -certfile "$W/sub-leaf-root.pem" -outform DER -out rsa/bundle.p7b
openssl crl2pkcs7 -nocrl -certfile "$W/sub-leaf-root.pem" -out rsa/bundle-pem.p7b
echo "signed for the BER fixture" > "$W/msg.txt"
cat certs/rsa-sub.crt certs/rsa-root.crt > "$W/sub-root.pem"
openssl cms -sign -in "$W/msg.txt" -signer certs/rsa-leaf.crt -inkey "$K/leaf.key" -certfile "$W/sub-root.pem" \
  -nodetach -stream -outform DER -out rsa/bundle-ber.p7b

# The server's CA chain: the extra CA chain of the mutual-auth zip.
rsa 2048 "$K/server-root.key"
selfsign "$K/server-root.key" "/C=US/O=Example Network/CN=Test XBS Server Root CA" root 5000 certs/server-root.crt
rsa 2048 "$K/server-sub.key"
csr "$K/server-sub.key" "/C=US/O=Example Network/CN=Test XBS Server Issuing CA" "$W/server-sub.csr"
sign "$W/server-sub.csr" certs/server-root.crt "$K/server-root.key" sub 5001 20210101000000Z 20400101000000Z certs/server-sub.crt
cat certs/server-sub.crt certs/server-root.crt > rsa/server-ca-chain.pem
openssl crl2pkcs7 -nocrl -certfile rsa/server-ca-chain.pem -outform DER -out "$W/server-ca.p7b"
openssl crl2pkcs7 -nocrl -certfile "$W/sub-root.pem" -outform DER -out "$W/chain.p7b"
python3 - "$W" <<'PY'
import sys, zipfile
w = sys.argv[1]
with zipfile.ZipFile("rsa/mtls.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("MTF_XBS/"), b"")
    z.write("rsa/bundle-root-last.pem", "MTF_XBS/certificate.pem")
    z.write("rsa/server-ca-chain.pem", "MTF_XBS/ca-chain/server-ca-chain.pem")
with zipfile.ZipFile("rsa/mtls-mixed.zip", "w") as z:
    z.write("rsa/leaf.cer", "cert/leaf.cer", compress_type=zipfile.ZIP_STORED)
    z.write(f"{w}/chain.p7b", "cert/chain.p7b", compress_type=zipfile.ZIP_DEFLATED)
    z.write(f"{w}/server-ca.p7b", "extra/server-ca.p7b", compress_type=zipfile.ZIP_DEFLATED)
PY

# The same leaf key in every encoding.
cp "$K/leaf.key" rsa/keys/key-pkcs8.pem
openssl pkcs8 -topk8 -nocrypt -in "$K/leaf.key" -outform DER -out rsa/keys/key-pkcs8.der
p8() { openssl pkcs8 -topk8 -in "$K/leaf.key" -passout pass:$KP "$@"; }
p8 -v2 aes-128-cbc -out rsa/keys/key-pkcs8-aes128.pem
p8 -v2 aes-256-cbc -out rsa/keys/key-pkcs8-aes256.pem
p8 -v2 des3 -out rsa/keys/key-pkcs8-des3.pem
p8 -scrypt -out rsa/keys/key-pkcs8-scrypt.pem
p8 -v2 aes-256-cbc -v2prf hmacWithSHA1 -out rsa/keys/key-pkcs8-sha1prf.pem
p8 -v2 aes-256-cbc -outform DER -out rsa/keys/key-pkcs8-enc.der
openssl rsa -in "$K/leaf.key" -traditional -out rsa/keys/key-pkcs1.pem 2>/dev/null
openssl rsa -in "$K/leaf.key" -traditional -outform DER -out rsa/keys/key-pkcs1.der 2>/dev/null
for c in aes128 aes192 aes256 des3; do
  openssl rsa -in "$K/leaf.key" -traditional -$c -passout pass:$KP -out rsa/keys/key-trad-$c.pem 2>/dev/null
done
openssl req -in rsa/MYCSR.csr -outform DER -out rsa/MYCSR.der
sed 's/CERTIFICATE REQUEST/NEW CERTIFICATE REQUEST/' rsa/MYCSR.csr > rsa/MYCSR-new.csr

# PKCS#12, as people make it from the download and the key.
p12() { openssl pkcs12 -export -inkey "$K/leaf.key" -in certs/rsa-leaf.crt -certfile "$W/sub-root.pem" -name "mtf xbs" "$@"; }
p12 -passout pass:$PP -out rsa/p12/client-openssl3.p12
p12 -legacy -passout pass:$PP -out rsa/p12/client-legacy.p12
p12 -nomac -passout pass:$PP -out rsa/p12/client-nomac.p12
p12 -passout pass: -out rsa/p12/client-emptypw.p12
openssl pkcs12 -export -nokeys -in rsa/bundle-root-last.pem -passout pass:$PP -out rsa/p12/certs-only-openssl.p12
openssl pkcs12 -in rsa/p12/client-openssl3.p12 -nokeys -passin pass:$PP -out rsa/bundle-openssl-text.pem
if command -v keytool >/dev/null; then
  kt() { keytool "$@" >/dev/null 2>&1; }
  kt -importkeystore -srckeystore rsa/p12/client-openssl3.p12 -srcstoretype PKCS12 -srcstorepass $PP \
     -destkeystore rsa/p12/client-keytool.p12 -deststoretype PKCS12 -deststorepass $PP
  kt -J-Dkeystore.pkcs12.legacy -importkeystore -srckeystore rsa/p12/client-openssl3.p12 -srcstoretype PKCS12 \
     -srcstorepass $PP -destkeystore rsa/p12/client-keytool-legacy.p12 -deststoretype PKCS12 -deststorepass $PP
  for ca in server-root server-sub; do
    kt -importcert -noprompt -alias $ca -file certs/$ca.crt -keystore rsa/p12/truststore-keytool.p12 \
       -storetype PKCS12 -storepass $PP
  done
else
  echo "gen.sh: keytool not found; the keytool PKCS#12 fixtures were not made" >&2
fi

# ---- 2. EC chain: P-384 root, P-256 issuing CA and leaf ----------------------
openssl ecparam -name secp384r1 -genkey -noout -out "$K/ec-root.key"
selfsign "$K/ec-root.key" "/C=US/O=Example Payments/CN=Test XBS EC Root CA" root 6000 certs/ec-root.crt -md sha384
openssl ecparam -name prime256v1 -genkey -noout -out "$K/ec-sub.key"
csr "$K/ec-sub.key" "/C=US/O=Example Payments/CN=Test XBS EC Issuing CA" "$W/ec-sub.csr"
sign "$W/ec-sub.csr" certs/ec-root.crt "$K/ec-root.key" sub 6001 20210101000000Z 20400101000000Z certs/ec-sub.crt -md sha384
openssl ecparam -name prime256v1 -genkey -noout -out ec/keys/key-sec1.pem
csr ec/keys/key-sec1.pem "/C=US/O=Example Corp/CN=MTF XBS EC" "$W/ec-leaf.csr"
sign "$W/ec-leaf.csr" certs/ec-sub.crt "$K/ec-sub.key" leaf 6002 "${LEAF_DATES[@]}" certs/ec-leaf.crt
cat certs/ec-leaf.crt certs/ec-sub.crt certs/ec-root.crt > ec/bundle.pem
openssl crl2pkcs7 -nocrl -certfile ec/bundle.pem -outform DER -out ec/bundle.p7b
openssl x509 -in certs/ec-leaf.crt -outform DER -out ec/leaf.cer
{ openssl ecparam -name prime256v1; cat ec/keys/key-sec1.pem; } > ec/keys/key-sec1-params.pem
openssl ec -in ec/keys/key-sec1.pem -outform DER -out ec/keys/key-sec1.der 2>/dev/null
openssl pkey -in ec/keys/key-sec1.pem -out ec/keys/key-pkcs8.pem
openssl pkcs8 -topk8 -v2 aes-256-cbc -in ec/keys/key-sec1.pem -passout pass:$KP -out ec/keys/key-pkcs8-aes256.pem
openssl ec -in ec/keys/key-sec1.pem -aes256 -passout pass:$KP -out ec/keys/key-trad-aes256.pem 2>/dev/null
cat certs/ec-sub.crt certs/ec-root.crt > "$W/ec-chain.pem"
openssl pkcs12 -export -inkey ec/keys/key-sec1.pem -in certs/ec-leaf.crt -certfile "$W/ec-chain.pem" \
  -name "mtf xbs ec" -passout pass:$PP -out ec/client.p12

# ---- 3. Ed25519 chain ---------------------------------------------------------
openssl genpkey -algorithm ed25519 -out "$K/ed-root.key"
selfsign "$K/ed-root.key" "/C=US/O=Example Payments/CN=Test XBS Ed25519 Root CA" root 7000 certs/ed-root.crt -md default
openssl genpkey -algorithm ed25519 -out "$K/ed-sub.key"
csr "$K/ed-sub.key" "/C=US/O=Example Payments/CN=Test XBS Ed25519 Issuing CA" "$W/ed-sub.csr"
sign "$W/ed-sub.csr" certs/ed-root.crt "$K/ed-root.key" sub 7001 20210101000000Z 20400101000000Z certs/ed-sub.crt -md default
openssl genpkey -algorithm ed25519 -out ed25519/keys/key-pkcs8.pem
csr ed25519/keys/key-pkcs8.pem "/C=US/O=Example Corp/CN=MTF XBS Ed25519" "$W/ed-leaf.csr"
sign "$W/ed-leaf.csr" certs/ed-sub.crt "$K/ed-sub.key" leaf 7002 "${LEAF_DATES[@]}" certs/ed-leaf.crt -md default
cat certs/ed-leaf.crt certs/ed-sub.crt certs/ed-root.crt > ed25519/bundle.pem
openssl pkcs8 -topk8 -v2 aes-256-cbc -in ed25519/keys/key-pkcs8.pem -passout pass:$KP -out ed25519/keys/key-pkcs8-aes256.pem

# ---- 4. Failure fixtures (main RSA PKI; same leaf key unless said) ----------
ROOT=certs/rsa-root.crt SUB=certs/rsa-sub.crt
chain() { cat "$@"; }
leaf_from() { # CSR EXTENSIONS SERIAL START END NAME [openssl ca options] -> certs/NAME.crt
  local c=$1 ext=$2 serial=$3 start=$4 end=$5 name=$6; shift 6
  sign "$c" $SUB "$K/sub.key" "$ext" "$serial" "$start" "$end" "certs/$name.crt" "$@"
}
leaf_from rsa/MYCSR.csr leaf 3002 20240101000000Z 20250101000000Z expired-leaf
chain certs/expired-leaf.crt $SUB $ROOT > bad/expired.pem
leaf_from rsa/MYCSR.csr leaf 3003 20300101000000Z 20310101000000Z future-leaf
chain certs/future-leaf.crt $SUB $ROOT > bad/not-yet-valid.pem
leaf_from rsa/MYCSR.csr leaf 3004 20260101000000Z 20261215000000Z expiring-leaf
chain certs/expiring-leaf.crt $SUB $ROOT > bad/expiring-soon.pem
chain certs/rsa-leaf.crt $SUB > bad/missing-root.pem
chain certs/rsa-leaf.crt $ROOT > bad/missing-intermediate.pem
# An impostor: the issuing CA's name, another key, signed by the real root.
rsa 2048 "$K/impostor.key"
csr "$K/impostor.key" "/C=US/O=Example Payments/CN=Test XBS Issuing CA 1" "$W/impostor.csr"
sign "$W/impostor.csr" $ROOT "$K/root.key" sub 2002 20210101000000Z 20400101000000Z certs/impostor-sub.crt
chain certs/rsa-leaf.crt certs/impostor-sub.crt $ROOT > bad/wrong-intermediate.pem
chain certs/rsa-leaf.crt certs/impostor-sub.crt $SUB $ROOT > bad/lookalike-intermediate.pem
leaf_from rsa/MYCSR.csr leaf_server 3005 "${LEAF_DATES[@]}" server-auth-leaf
chain certs/server-auth-leaf.crt $SUB $ROOT > bad/no-clientauth.pem
leaf_from rsa/MYCSR.csr leaf_no_ds 3006 "${LEAF_DATES[@]}" no-ds-leaf
chain certs/no-ds-leaf.crt $SUB $ROOT > bad/no-digitalsignature.pem
# Issuers that may not issue: not a CA; a CA without keyCertSign.
for kind in not_ca:not-ca:"Test XBS Not A CA":2101 no_keycertsign:no-keycertsign:"Test XBS No KeyCertSign CA":2102; do
  IFS=: read -r ext name cn serial <<<"$kind"
  rsa 2048 "$K/$name.key"
  csr "$K/$name.key" "/C=US/O=Example Payments/CN=$cn" "$W/$name.csr"
  sign "$W/$name.csr" $ROOT "$K/root.key" "$ext" "$serial" 20210101000000Z 20400101000000Z "certs/$name-ca.crt"
  sign rsa/MYCSR.csr "certs/$name-ca.crt" "$K/$name.key" leaf "3${serial#2}" "${LEAF_DATES[@]}" "certs/$name-leaf.crt"
done
chain certs/not-ca-leaf.crt certs/not-ca-ca.crt $ROOT > bad/issuer-not-ca.pem
chain certs/no-keycertsign-leaf.crt certs/no-keycertsign-ca.crt $ROOT > bad/issuer-no-keycertsign.pem
# pathLenConstraint 0 on the issuing CA, which issues another CA anyway.
rsa 2048 "$K/ca2.key"
csr "$K/ca2.key" "/C=US/O=Example Payments/CN=Test XBS Issuing CA 2" "$W/ca2.csr"
sign "$W/ca2.csr" $SUB "$K/sub.key" ca_nolen 2103 20210101000000Z 20400101000000Z certs/issuing-ca2.crt
sign rsa/MYCSR.csr certs/issuing-ca2.crt "$K/ca2.key" leaf 3103 "${LEAF_DATES[@]}" certs/pathlen-leaf.crt
chain certs/pathlen-leaf.crt certs/issuing-ca2.crt $SUB $ROOT > bad/pathlen-exceeded.pem
# Weak and unusual signatures.
leaf_from rsa/MYCSR.csr leaf 3007 "${LEAF_DATES[@]}" sha1-leaf -md sha1
chain certs/sha1-leaf.crt $SUB $ROOT > bad/sha1-leaf.pem
leaf_from rsa/MYCSR.csr leaf 3008 "${LEAF_DATES[@]}" md5-leaf -md md5
chain certs/md5-leaf.crt $SUB $ROOT > bad/md5-leaf.pem
leaf_from rsa/MYCSR.csr leaf 3009 "${LEAF_DATES[@]}" pss-leaf -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
chain certs/pss-leaf.crt $SUB $ROOT > bad/pss-leaf.pem
rsa 1024 bad/rsa1024-key.pem
csr bad/rsa1024-key.pem "/C=US/O=Example Corp/CN=MTF XBS" "$W/rsa1024.csr"
leaf_from "$W/rsa1024.csr" leaf 3010 "${LEAF_DATES[@]}" rsa1024-leaf
chain certs/rsa1024-leaf.crt $SUB $ROOT > bad/rsa1024-leaf.pem
# Extra certificates.
chain certs/rsa-leaf.crt $SUB $SUB $ROOT > bad/duplicate.pem
chain certs/rsa-leaf.crt $SUB $ROOT certs/ec-leaf.crt certs/server-root.crt > bad/unrelated.pem
# Material that does not belong to the leaf.
rsa 2048 bad/wrong-key.pem
openssl req -new -newkey rsa:2048 -nodes -keyout /dev/null -subj "/C=US/O=Example Corp/CN=MTF XBS" -out bad/wrong-csr.csr 2>/dev/null
# The production CN, same key.
csr "$K/leaf.key" "/C=US/O=Example Corp/CN=PROD XBS" "$W/prod.csr"
leaf_from "$W/prod.csr" leaf 3011 "${LEAF_DATES[@]}" prod-leaf
chain certs/prod-leaf.crt $SUB $ROOT > bad/prod-cn.pem
# RFC 5280 7.1: the leaf's issuer name differs from the CA's subject only in
# case and white space (signed by the real issuing CA key through a throwaway
# certificate carrying that spelling; the throwaway is not in the bundle).
csr "$K/sub.key" "/C=US/O=example  payments/CN=test xbs issuing ca 1" "$W/lower.csr"
sign "$W/lower.csr" $ROOT "$K/root.key" sub 2104 20210101000000Z 20400101000000Z "$W/lower-sub.crt"
sign rsa/MYCSR.csr "$W/lower-sub.crt" "$K/sub.key" leaf 3012 "${LEAF_DATES[@]}" certs/name-case-leaf.crt
chain certs/name-case-leaf.crt $SUB $ROOT > bad/name-case.pem
# Broken files.
head -n -3 rsa/bundle-root-last.pem > bad/truncated.pem
python3 - <<'PY'
import os
data = bytearray(open("rsa/bundle.p7b", "rb").read())
data[200:210] = b"\xff" * 10
open("bad/corrupt.p7b", "wb").write(data)
p12 = open("rsa/p12/client-openssl3.p12", "rb").read()
open("bad/truncated.p12", "wb").write(p12[: len(p12) // 2])
import base64, textwrap
body = "\n".join(textwrap.wrap(base64.b64encode(os.urandom(64)).decode(), 64))
open("bad/not-a-cert.pem", "w").write(f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")
open("bad/empty.pem", "wb").write(b"")
open("bad/garbage.bin", "wb").write(b"\x42" + os.urandom(99))
PY

# ---- 5. Cross-signing ---------------------------------------------------------
rsa 2048 "$K/root-g2.key"
selfsign "$K/root-g2.key" "/C=US/O=Example Payments/CN=Test XBS Root CA G2" root 1001 certs/rsa-root-g2.crt
sign "$W/sub.csr" certs/rsa-root-g2.crt "$K/root-g2.key" sub 2001 20210101000000Z 20400101000000Z certs/rsa-sub-cross.crt
chain certs/rsa-leaf.crt certs/rsa-sub-cross.crt $SUB $ROOT > cross/cross-signed.pem
chain certs/rsa-leaf.crt certs/rsa-sub-cross.crt certs/rsa-root-g2.crt > cross/cross-g2.pem
# Two CAs that certify each other, neither self-signed, and a leaf under one.
rsa 2048 "$K/loop-a.key"; rsa 2048 "$K/loop-b.key"
csr "$K/loop-a.key" "/C=US/O=Example Loop/CN=Loop CA A" "$W/loop-a.csr"
csr "$K/loop-b.key" "/C=US/O=Example Loop/CN=Loop CA B" "$W/loop-b.csr"
selfsign "$K/loop-b.key" "/C=US/O=Example Loop/CN=Loop CA B" root 8000 "$W/loop-b0.crt"
sign "$W/loop-a.csr" "$W/loop-b0.crt" "$K/loop-b.key" ca_nolen 8001 20210101000000Z 20400101000000Z certs/loop-a.crt
sign "$W/loop-b.csr" certs/loop-a.crt "$K/loop-a.key" ca_nolen 8002 20210101000000Z 20400101000000Z certs/loop-b.crt
sign rsa/MYCSR.csr certs/loop-a.crt "$K/loop-a.key" leaf 8003 "${LEAF_DATES[@]}" certs/loop-leaf.crt
chain certs/loop-leaf.crt certs/loop-a.crt certs/loop-b.crt > cross/loop.pem

# ---- 6. Hostile zips (tiny; the large ones are built by the tests) ----------
python3 - <<'PY'
import io, zipfile
leaf = open("rsa/bundle-root-last.pem", "rb").read()
def write(path, entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name), data)
    open(path, "wb").write(buf.getvalue())
    return buf.getvalue()
write("hostile/traversal.zip", [("../../x.pem", leaf)])
write("hostile/absolute.zip", [("/etc/x.pem", leaf)])
# python cannot encrypt: set the "encrypted" flag bit in both headers instead.
data = bytearray(write("hostile/encrypted.zip", [("leaf.pem", leaf)]))
data[6] |= 1
cd = data.find(b"PK\x01\x02")
data[cd + 8] |= 1
open("hostile/encrypted.zip", "wb").write(data)
inner = write("/dev/null", [("bundle.pem", leaf)])
write("hostile/nested.zip", [("inner.zip", inner)])
deep = inner
for level in range(4):
    deep = write("/dev/null", [(f"level{level}.zip", deep)])
write("hostile/nested-deep.zip", [("level4.zip", deep)])
PY

# ---- Fingerprints -------------------------------------------------------------
for f in certs/*.crt; do
  fp=$(openssl x509 -in "$f" -outform DER | sha256sum | cut -d' ' -f1)
  printf '%s  %s  %s\n' "$fp" "$f" "$(openssl x509 -in "$f" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
done > fingerprints.txt
echo "gen.sh: fixtures written ($(find . -type f | wc -l) files)"
