#!/usr/bin/env bash
# Regenerates every committed test fixture of certbundle from scratch.
#
#   bash testdata/gen.sh          (from anywhere)
#
# Needs: openssl 3.x CLI, python3 (stdlib), optionally keytool (Java) and zip.
# Keys are random, so every run produces new bytes; all validity dates and
# serial numbers are fixed so tests can pin the validation time to
# 2026-12-01T00:00:00Z. See testdata/README.md for what each file is.
set -Eeuo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TMP="$(mktemp -d)"
LOG="$TMP/log"
trap 'rm -rf "$TMP"' EXIT
trap 'echo "gen.sh: failed at line $LINENO; last log lines:" >&2; tail -n 30 "$LOG" >&2' ERR

KEYPW=test1234 # every encrypted private key
P12PW=changeit # every PKCS#12 unless stated

cd "$TD"
rm -rf certs keys rsa ec ed25519 bad cross hostile fingerprints.txt
mkdir -p certs keys rsa/keys rsa/p12 ec/keys ed25519/keys bad cross hostile
: >"$LOG"
export CADIR="$TMP" # only read by `openssl ca`; set so `openssl req` can parse ca.cnf

# ---------------------------------------------------------------- configs --
cat >"$TMP/ca.cnf" <<'EOF'
[ ca ]
default_ca = CA_default

[ CA_default ]
dir             = $ENV::CADIR
database        = $dir/index.txt
new_certs_dir   = $dir
serial          = $dir/serial
default_md      = sha256
default_days    = 1
policy          = policy_anything
unique_subject  = no
email_in_dn     = no
copy_extensions = none
preserve        = yes
string_mask     = utf8only

[ policy_anything ]
countryName            = optional
stateOrProvinceName    = optional
localityName           = optional
organizationName       = optional
organizationalUnitName = optional
commonName             = optional
emailAddress           = optional

[ req ]
distinguished_name = req_dn
string_mask        = utf8only
prompt             = no

[ req_dn ]
CN = unused
EOF

cat >"$TMP/ext.cnf" <<'EOF'
[ root_ext ]
basicConstraints       = critical,CA:TRUE
keyUsage               = critical,keyCertSign,cRLSign
subjectKeyIdentifier   = hash

[ ca0_ext ]
basicConstraints       = critical,CA:TRUE,pathlen:0
keyUsage               = critical,keyCertSign,cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ ca_ext ]
basicConstraints       = critical,CA:TRUE
keyUsage               = critical,keyCertSign,cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ notca_ext ]
basicConstraints       = critical,CA:FALSE
keyUsage               = critical,keyCertSign,cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ nokcs_ext ]
basicConstraints       = critical,CA:TRUE
keyUsage               = critical,digitalSignature
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ leaf_ext ]
basicConstraints       = critical,CA:FALSE
keyUsage               = critical,digitalSignature,keyEncipherment
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ leaf_ec_ext ]
basicConstraints       = critical,CA:FALSE
keyUsage               = critical,digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ leaf_server_ext ]
basicConstraints       = critical,CA:FALSE
keyUsage               = critical,digitalSignature,keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ leaf_nods_ext ]
basicConstraints       = critical,CA:FALSE
keyUsage               = critical,keyEncipherment
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

# An extendedKeyUsage that lists no purpose (an empty SEQUENCE, which
# RFC 5280 4.2.1.12 does not allow): written as raw DER.
[ leaf_eku_empty_ext ]
basicConstraints       = critical,CA:FALSE
keyUsage               = critical,digitalSignature,keyEncipherment
2.5.29.37              = DER:30:00
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF

# ---------------------------------------------------------------- helpers --
# genkey OUT rsa:BITS|ec:CURVE|ed25519   -> unencrypted PKCS#8 PEM
genkey() {
	case "$2" in
	rsa:*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa:}" -out "$1" 2>>"$LOG" ;;
	ec:*) openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:${2#ec:}" -out "$1" 2>>"$LOG" ;;
	ed25519) openssl genpkey -algorithm ED25519 -out "$1" 2>>"$LOG" ;;
	esac
}

# csr KEY SUBJECT OUT
csr() { openssl req -new -config "$TMP/ca.cnf" -key "$1" -subj "$2" -out "$3" 2>>"$LOG"; }

# issue CACERT|SELF CAKEY CSR OUT SERIALHEX START END EXTSECTION [MD]
# Signs with `openssl ca` using a fresh throwaway database in $TMP; extra
# signing options (e.g. -sigopt for RSA-PSS) come from the SIGOPTS array.
SIGOPTS=()
issue() {
	local cacert=$1 cakey=$2 req=$3 out=$4 serial=$5 start=$6 end=$7 ext=$8 md=${9:-sha256}
	local db
	db="$(mktemp -d "$TMP/ca.XXXXXX")"
	: >"$db/index.txt"
	echo "$serial" >"$db/serial"
	local args=(ca -batch -config "$TMP/ca.cnf" -keyfile "$cakey" -in "$req" -out "$out"
		-startdate "$start" -enddate "$end" -extfile "$TMP/ext.cnf" -extensions "$ext"
		-notext -md "$md" -preserveDN -policy policy_anything)
	if [ "$cacert" = SELF ]; then args+=(-selfsign); else args+=(-cert "$cacert"); fi
	args+=(${SIGOPTS[@]+"${SIGOPTS[@]}"})
	CADIR="$db" openssl "${args[@]}" >>"$LOG" 2>&1
}

# mkcert NAME CACERT|SELF CAKEY KEYSPEC|@EXISTINGKEY SUBJECT SERIAL START END EXT [MD]
# -> certs/NAME.crt and (for new keys) keys/NAME.key
mkcert() {
	local name=$1 cacert=$2 cakey=$3 keyspec=$4 subj=$5 serial=$6 start=$7 end=$8 ext=$9 md=${10:-sha256}
	local key
	if [ "${keyspec#@}" != "$keyspec" ]; then
		key="${keyspec#@}"
	else
		key="keys/$name.key"
		genkey "$key" "$keyspec"
	fi
	[ "$cacert" = SELF ] && cakey="$key"
	csr "$key" "$subj" "$TMP/$name.csr"
	issue "$cacert" "$cakey" "$TMP/$name.csr" "certs/$name.crt" "$serial" "$start" "$end" "$ext" "$md"
}

der() { openssl x509 -in "$1" -outform DER; }
cat_certs() { for f in "$@"; do cat "certs/$f.crt"; done; }
p7b_der() { # OUT CERTNAME...   (DER PKCS#7 certs-only, in the given order)
	local out=$1
	shift
	cat_certs "$@" >"$TMP/p7b-in.pem"
	openssl crl2pkcs7 -nocrl -certfile "$TMP/p7b-in.pem" -outform DER -out "$out"
}

R_START=20200101000000Z R_END=20450101000000Z # roots
S_START=20210101000000Z S_END=20400101000000Z # intermediates
L_START=20260101000000Z L_END=20270601000000Z # leaves

DN_ROOT='/C=US/O=Example Payments/CN=Test XBS Root CA'
DN_SUB='/C=US/O=Example Payments/CN=Test XBS Issuing CA 1'
DN_LEAF='/C=US/O=Example Corp/CN=MTF XBS'

echo "gen.sh: main RSA PKI"
# ------------------------------------------------------- 1. main RSA PKI --
mkcert rsa-root SELF - rsa:4096 "$DN_ROOT" 1000 $R_START $R_END root_ext
mkcert rsa-sub certs/rsa-root.crt keys/rsa-root.key rsa:2048 "$DN_SUB" 2000 $S_START $S_END ca0_ext

# The leaf key and CSR exactly as the portal's users make them.
(cd rsa && openssl req -newkey rsa:2048 -keyout PRIVATEKEY.key -out MYCSR.csr \
	-subj "/C=US/O=Example Corp/CN=MTF XBS" -passout pass:$KEYPW >>"$LOG" 2>&1)
openssl pkey -in rsa/PRIVATEKEY.key -passin pass:$KEYPW -out keys/rsa-leaf.key
LEAFKEY=keys/rsa-leaf.key
issue certs/rsa-sub.crt keys/rsa-sub.key rsa/MYCSR.csr certs/rsa-leaf.crt 3001 $L_START $L_END leaf_ext

# Server PKI (the extra CA chain the portal ships in the mTLS zip).
mkcert server-root SELF - rsa:2048 '/C=US/O=Example Network/CN=Test XBS Server Root CA' 5000 $R_START $R_END root_ext
mkcert server-sub certs/server-root.crt keys/server-root.key rsa:2048 \
	'/C=US/O=Example Network/CN=Test XBS Server Issuing CA' 5001 $S_START $S_END ca0_ext
cat_certs server-sub server-root >rsa/server-ca-chain.pem

# Downloads.
der certs/rsa-leaf.crt >rsa/leaf.cer
cat_certs rsa-leaf rsa-sub rsa-root >rsa/bundle-root-last.pem
cat_certs rsa-root rsa-sub rsa-leaf >rsa/bundle-root-first.pem
# Leaf first, then out of order: a warning, not a failure (clients take the first).
cat_certs rsa-leaf rsa-root rsa-sub >rsa/bundle-leaf-root-sub.pem
cp rsa/bundle-root-last.pem rsa/pem-named.cer
cp rsa/leaf.cer rsa/der-named.pem
p7b_der rsa/bundle.p7b rsa-sub rsa-leaf rsa-root
openssl pkcs7 -inform DER -in rsa/bundle.p7b -outform PEM -out rsa/bundle-pem.p7b

# BER (indefinite-length, streamed) CMS SignedData carrying the 3 certs.
printf 'certbundle BER fixture\n' >"$TMP/msg.txt"
cat_certs rsa-sub rsa-root >"$TMP/chain.pem"
openssl cms -sign -stream -binary -nodetach -outform DER -in "$TMP/msg.txt" \
	-signer certs/rsa-leaf.crt -inkey $LEAFKEY -certfile "$TMP/chain.pem" -out rsa/bundle-ber.p7b 2>>"$LOG"

# PEM with OpenSSL's `pkcs12 -nokeys` text, reordered root first.
cat_certs rsa-sub rsa-root >"$TMP/subroot.pem"
openssl pkcs12 -export -inkey $LEAFKEY -in certs/rsa-leaf.crt -certfile "$TMP/subroot.pem" \
	-name "mtf xbs" -passout pass:$P12PW -out "$TMP/text.p12"
openssl pkcs12 -in "$TMP/text.p12" -nokeys -passin pass:$P12PW -out "$TMP/text.pem" 2>>"$LOG"
python3 - "$TMP/text.pem" rsa/bundle-openssl-text.pem <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.split(r'(?m)^(?=Bag Attributes)', text)
blocks = [b for b in blocks if b.strip()]
assert len(blocks) == 3, len(blocks)
def rank(b):
    subj = re.search(r'(?m)^subject=(.*)$', b).group(1)
    return 0 if 'Root CA' in subj else 1 if 'Issuing CA' in subj else 2
blocks.sort(key=rank)
open(sys.argv[2], 'w').write(''.join(blocks))
PY

# Root-last bundle with BOM, CRLF and trailing whitespace.
python3 - rsa/bundle-root-last.pem rsa/bundle-crlf-bom.pem <<'PY'
import sys
data = open(sys.argv[1], 'rb').read().replace(b'\n', b'\r\n')
open(sys.argv[2], 'wb').write(b'\xef\xbb\xbf' + data + b'   \r\n\r\n  \t\r\n\r\n')
PY

# The mutual-auth zips.
p7b_der "$TMP/chain.p7b" rsa-sub rsa-root
p7b_der "$TMP/server-ca.p7b" server-sub server-root
python3 - <<PY
import zipfile
T = (2026, 1, 1, 0, 0, 0)
def add(z, name, data, method):
    zi = zipfile.ZipInfo(name, T)
    zi.compress_type = method
    zi.external_attr = (0o40755 << 16) | 0x10 if name.endswith('/') else 0o100644 << 16
    z.writestr(zi, data)
D, S = zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED
with zipfile.ZipFile('rsa/mtls.zip', 'w') as z:
    add(z, 'MTF_XBS/', b'', S)
    add(z, 'MTF_XBS/certificate.pem', open('rsa/bundle-root-last.pem', 'rb').read(), D)
    add(z, 'MTF_XBS/ca-chain/server-ca-chain.pem', open('rsa/server-ca-chain.pem', 'rb').read(), D)
with zipfile.ZipFile('rsa/mtls-root-first.zip', 'w') as z:
    add(z, 'MTF_XBS/', b'', S)
    add(z, 'MTF_XBS/certificate.pem', open('rsa/bundle-root-first.pem', 'rb').read(), D)
    add(z, 'MTF_XBS/ca-chain/server-ca-chain.pem', open('rsa/server-ca-chain.pem', 'rb').read(), D)
with zipfile.ZipFile('rsa/mtls-mixed.zip', 'w') as z:
    add(z, 'cert/leaf.cer', open('rsa/leaf.cer', 'rb').read(), S)
    add(z, 'cert/chain.p7b', open('$TMP/chain.p7b', 'rb').read(), D)
    add(z, 'extra/server-ca.p7b', open('$TMP/server-ca.p7b', 'rb').read(), S)
PY

# The same leaf key in every format.
K=rsa/keys
cp $LEAFKEY $K/key-pkcs8.pem
# `openssl pkey -outform DER` writes PKCS#1 for RSA keys; pkcs8 -topk8 -nocrypt writes PKCS#8.
openssl pkcs8 -topk8 -nocrypt -in $LEAFKEY -outform DER -out $K/key-pkcs8.der
openssl pkcs8 -topk8 -in $LEAFKEY -v2 aes-128-cbc -passout pass:$KEYPW -out $K/key-pkcs8-aes128.pem
openssl pkcs8 -topk8 -in $LEAFKEY -v2 aes-256-cbc -passout pass:$KEYPW -out $K/key-pkcs8-aes256.pem
openssl pkcs8 -topk8 -in $LEAFKEY -v2 des3 -passout pass:$KEYPW -out $K/key-pkcs8-des3.pem
openssl pkcs8 -topk8 -in $LEAFKEY -scrypt -passout pass:$KEYPW -out $K/key-pkcs8-scrypt.pem
openssl pkcs8 -topk8 -in $LEAFKEY -v2 aes-256-cbc -v2prf hmacWithSHA1 -passout pass:$KEYPW -out $K/key-pkcs8-sha1prf.pem
openssl pkcs8 -topk8 -in $LEAFKEY -v2 aes-256-cbc -passout pass:$KEYPW -outform DER -out $K/key-pkcs8-enc.der
openssl rsa -in $LEAFKEY -traditional -out $K/key-pkcs1.pem 2>>"$LOG"
openssl rsa -in $LEAFKEY -traditional -outform DER -out $K/key-pkcs1.der 2>>"$LOG"
for c in aes128 aes192 aes256 des3; do
	openssl rsa -in $LEAFKEY -traditional -$c -passout pass:$KEYPW -out $K/key-trad-$c.pem 2>>"$LOG"
done
# Check: every variant decrypts to the same modulus; traditional ones carry Proc-Type.
WANT="$(openssl rsa -in $LEAFKEY -noout -modulus 2>>"$LOG")"
for f in rsa/PRIVATEKEY.key $K/*; do
	inform=PEM
	case "$f" in *.der) inform=DER ;; esac
	got="$(openssl rsa -inform $inform -in "$f" -passin pass:$KEYPW -noout -modulus 2>>"$LOG")"
	[ "$got" = "$WANT" ] || { echo "key check failed: $f" >&2; exit 1; }
done
for c in aes128 aes192 aes256 des3; do
	grep -q '^Proc-Type: 4,ENCRYPTED' $K/key-trad-$c.pem || { echo "no Proc-Type in key-trad-$c.pem" >&2; exit 1; }
done

# CSR variants.
openssl req -in rsa/MYCSR.csr -outform DER -out rsa/MYCSR.der
sed -e 's/CERTIFICATE REQUEST-----/NEW CERTIFICATE REQUEST-----/' rsa/MYCSR.csr >rsa/MYCSR-new.csr

echo "gen.sh: PKCS#12"
# PKCS#12.
P=rsa/p12
cat_certs rsa-sub rsa-root >"$TMP/subroot.pem"
p12() { openssl pkcs12 -export -inkey $LEAFKEY -in certs/rsa-leaf.crt -certfile "$TMP/subroot.pem" -name "mtf xbs" "$@"; }
p12 -passout pass:$P12PW -out $P/client-openssl3.p12
p12 -legacy -passout pass:$P12PW -out $P/client-legacy.p12
# The leaf and its key without the CA chain (exported without -certfile).
openssl pkcs12 -export -inkey $LEAFKEY -in certs/rsa-leaf.crt -name "mtf xbs" -passout pass:$P12PW -out $P/client-no-chain.p12
p12 -nomac -passout pass:$P12PW -out $P/client-nomac.p12
p12 -passout pass: -out $P/client-emptypw.p12
./gen-legacy-emptypw.sh
cat_certs rsa-leaf rsa-sub rsa-root >"$TMP/all3.pem"
openssl pkcs12 -export -nokeys -in "$TMP/all3.pem" -passout pass:$P12PW -out $P/certs-only-openssl.p12
if command -v keytool >/dev/null 2>&1; then
	keytool -importkeystore -noprompt -srckeystore $P/client-openssl3.p12 -srcstoretype PKCS12 \
		-destkeystore $P/client-keytool.p12 -deststoretype PKCS12 \
		-srcstorepass $P12PW -deststorepass $P12PW >>"$LOG" 2>&1
	keytool -J-Dkeystore.pkcs12.legacy -importkeystore -noprompt -srckeystore $P/client-openssl3.p12 \
		-srcstoretype PKCS12 -destkeystore $P/client-keytool-legacy.p12 -deststoretype PKCS12 \
		-srcstorepass $P12PW -deststorepass $P12PW >>"$LOG" 2>&1
	for a in server-root server-sub; do
		keytool -importcert -noprompt -alias $a -file certs/$a.crt -keystore $P/truststore-keytool.p12 \
			-storetype PKCS12 -storepass $P12PW >>"$LOG" 2>&1
	done
else
	echo "gen.sh: keytool not found: skipping client-keytool*.p12 and truststore-keytool.p12" >&2
fi

echo "gen.sh: EC and Ed25519 PKIs"
# ------------------------------------------------------------ 2. EC PKI --
mkcert ec-root SELF - ec:P-384 '/C=US/O=Example Payments/CN=Test XBS EC Root CA' 6000 $R_START $R_END root_ext sha384
mkcert ec-sub certs/ec-root.crt keys/ec-root.key ec:P-256 '/C=US/O=Example Payments/CN=Test XBS EC Issuing CA' \
	6001 $S_START $S_END ca0_ext sha384
openssl ecparam -genkey -name prime256v1 -noout -out ec/keys/key-sec1.pem
openssl pkcs8 -topk8 -nocrypt -in ec/keys/key-sec1.pem -out keys/ec-leaf.key
mkcert ec-leaf certs/ec-sub.crt keys/ec-sub.key @keys/ec-leaf.key '/C=US/O=Example Corp/CN=MTF XBS EC' \
	6002 $L_START $L_END leaf_ec_ext sha256
cat_certs ec-leaf ec-sub ec-root >ec/bundle.pem
p7b_der ec/bundle.p7b ec-leaf ec-sub ec-root
der certs/ec-leaf.crt >ec/leaf.cer
cat_certs ec-sub ec-root >"$TMP/ecchain.pem"
openssl pkcs12 -export -inkey keys/ec-leaf.key -in certs/ec-leaf.crt -certfile "$TMP/ecchain.pem" \
	-name "mtf xbs" -passout pass:$P12PW -out ec/client.p12
{ openssl ecparam -name prime256v1; cat ec/keys/key-sec1.pem; } >ec/keys/key-sec1-params.pem
openssl ec -in ec/keys/key-sec1.pem -outform DER -out ec/keys/key-sec1.der 2>>"$LOG"
cp keys/ec-leaf.key ec/keys/key-pkcs8.pem
openssl pkcs8 -topk8 -in keys/ec-leaf.key -v2 aes-256-cbc -passout pass:$KEYPW -out ec/keys/key-pkcs8-aes256.pem
openssl ec -in ec/keys/key-sec1.pem -aes256 -passout pass:$KEYPW -out ec/keys/key-trad-aes256.pem 2>>"$LOG"
grep -q '^-----BEGIN EC PRIVATE KEY-----' ec/keys/key-sec1.pem
grep -q '^Proc-Type: 4,ENCRYPTED' ec/keys/key-trad-aes256.pem
grep -q '^-----BEGIN EC PARAMETERS-----' ec/keys/key-sec1-params.pem
WANT="$(openssl pkey -in keys/ec-leaf.key -pubout)"
for f in ec/keys/*; do
	inform=PEM
	case "$f" in *.der) inform=DER ;; esac
	[ "$(openssl pkey -inform $inform -in "$f" -passin pass:$KEYPW -pubout 2>>"$LOG")" = "$WANT" ] ||
		{ echo "key check failed: $f" >&2; exit 1; }
done

# ------------------------------------------------------- 3. Ed25519 PKI --
mkcert ed-root SELF - ed25519 '/C=US/O=Example Payments/CN=Test XBS Ed25519 Root CA' 7000 $R_START $R_END root_ext default
mkcert ed-sub certs/ed-root.crt keys/ed-root.key ed25519 '/C=US/O=Example Payments/CN=Test XBS Ed25519 Issuing CA' \
	7001 $S_START $S_END ca0_ext default
mkcert ed-leaf certs/ed-sub.crt keys/ed-sub.key ed25519 '/C=US/O=Example Corp/CN=MTF XBS Ed25519' \
	7002 $L_START $L_END leaf_ec_ext default
cat_certs ed-leaf ed-sub ed-root >ed25519/bundle.pem
cp keys/ed-leaf.key ed25519/keys/key-pkcs8.pem
openssl pkcs8 -topk8 -in keys/ed-leaf.key -v2 aes-256-cbc -passout pass:$KEYPW -out ed25519/keys/key-pkcs8-aes256.pem

echo "gen.sh: failure fixtures"
# ------------------------------------------------------ 4. failure cases --
ROOT=certs/rsa-root.crt ROOTK=keys/rsa-root.key
SUB=certs/rsa-sub.crt SUBK=keys/rsa-sub.key
# leaf NAME SERIAL START END EXT [MD] [SUBJECT]  (the main leaf key, issued by rsa-sub)
leaf() { mkcert "$1" $SUB $SUBK @$LEAFKEY "${7:-$DN_LEAF}" "$2" "$3" "$4" "$5" "${6:-sha256}"; }

leaf rsa-leaf-expired 3002 20240101000000Z 20250101000000Z leaf_ext
cat_certs rsa-leaf-expired rsa-sub rsa-root >bad/expired.pem
leaf rsa-leaf-not-yet-valid 3003 20300101000000Z 20310101000000Z leaf_ext
cat_certs rsa-leaf-not-yet-valid rsa-sub rsa-root >bad/not-yet-valid.pem
leaf rsa-leaf-expiring-soon 3004 20260101000000Z 20261215000000Z leaf_ext
cat_certs rsa-leaf-expiring-soon rsa-sub rsa-root >bad/expiring-soon.pem

cat_certs rsa-leaf rsa-sub >bad/missing-root.pem
cat_certs rsa-leaf rsa-root >bad/missing-intermediate.pem

mkcert rsa-sub-impostor $ROOT $ROOTK rsa:2048 "$DN_SUB" 2002 $S_START $S_END ca0_ext
cat_certs rsa-leaf rsa-sub-impostor rsa-root >bad/wrong-intermediate.pem
cat_certs rsa-leaf rsa-sub-impostor rsa-sub rsa-root >bad/lookalike-intermediate.pem

leaf rsa-leaf-no-clientauth 3005 $L_START $L_END leaf_server_ext
cat_certs rsa-leaf-no-clientauth rsa-sub rsa-root >bad/no-clientauth.pem
leaf rsa-leaf-no-digitalsignature 3006 $L_START $L_END leaf_nods_ext
cat_certs rsa-leaf-no-digitalsignature rsa-sub rsa-root >bad/no-digitalsignature.pem
leaf rsa-leaf-eku-empty 3011 $L_START $L_END leaf_eku_empty_ext
cat_certs rsa-leaf-eku-empty rsa-sub rsa-root >bad/eku-empty.pem

mkcert rsa-notca $ROOT $ROOTK rsa:2048 '/C=US/O=Example Payments/CN=Test XBS Not A CA' 2003 $S_START $S_END notca_ext
mkcert rsa-leaf-notca-issued certs/rsa-notca.crt keys/rsa-notca.key @$LEAFKEY "$DN_LEAF" 3007 $L_START $L_END leaf_ext
cat_certs rsa-leaf-notca-issued rsa-notca rsa-root >bad/issuer-not-ca.pem

mkcert rsa-nokeycertsign $ROOT $ROOTK rsa:2048 '/C=US/O=Example Payments/CN=Test XBS No KeyCertSign CA' 2004 $S_START $S_END nokcs_ext
mkcert rsa-leaf-nokeycertsign-issued certs/rsa-nokeycertsign.crt keys/rsa-nokeycertsign.key @$LEAFKEY "$DN_LEAF" 3008 $L_START $L_END leaf_ext
cat_certs rsa-leaf-nokeycertsign-issued rsa-nokeycertsign rsa-root >bad/issuer-no-keycertsign.pem

mkcert rsa-ca2 $SUB $SUBK rsa:2048 '/C=US/O=Example Payments/CN=Test XBS Issuing CA 2' 2007 $S_START $S_END ca_ext
mkcert rsa-leaf-ca2-issued certs/rsa-ca2.crt keys/rsa-ca2.key @$LEAFKEY "$DN_LEAF" 3009 $L_START $L_END leaf_ext
cat_certs rsa-leaf-ca2-issued rsa-ca2 rsa-sub rsa-root >bad/pathlen-exceeded.pem

leaf rsa-leaf-sha1 300A $L_START $L_END leaf_ext sha1
cat_certs rsa-leaf-sha1 rsa-sub rsa-root >bad/sha1-leaf.pem
leaf rsa-leaf-md5 300F $L_START $L_END leaf_ext md5
cat_certs rsa-leaf-md5 rsa-sub rsa-root >bad/md5-leaf.pem
SIGOPTS=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest)
leaf rsa-leaf-pss 3010 $L_START $L_END leaf_ext sha256
SIGOPTS=()
cat_certs rsa-leaf-pss rsa-sub rsa-root >bad/pss-leaf.pem

mkcert rsa-leaf-rsa1024 $SUB $SUBK rsa:1024 "$DN_LEAF" 300B $L_START $L_END leaf_ext
cp keys/rsa-leaf-rsa1024.key bad/rsa1024-key.pem
cat_certs rsa-leaf-rsa1024 rsa-sub rsa-root >bad/rsa1024-leaf.pem

cat_certs rsa-leaf rsa-sub rsa-sub rsa-root >bad/duplicate.pem
cat_certs rsa-leaf rsa-sub rsa-root ec-leaf server-root >bad/unrelated.pem

genkey keys/wrong-key.key rsa:2048
cp keys/wrong-key.key bad/wrong-key.pem
csr keys/wrong-key.key "$DN_LEAF" bad/wrong-csr.csr

leaf rsa-leaf-prod 300C $L_START $L_END leaf_ext sha256 '/C=US/O=Example Corp/CN=PROD XBS'
cat_certs rsa-leaf-prod rsa-sub rsa-root >bad/prod-cn.pem

# Issuer name differing from rsa-sub's subject only by case and spaces: a
# throwaway self-signed CA with that name and rsa-sub's key signs the leaf.
csr $SUBK '/C=US/O=example  payments/CN=test xbs issuing ca 1' "$TMP/lower.csr"
issue SELF $SUBK "$TMP/lower.csr" "$TMP/lower.crt" 2FF0 $S_START $S_END ca0_ext
mkcert rsa-leaf-name-case "$TMP/lower.crt" $SUBK @$LEAFKEY "$DN_LEAF" 300D $L_START $L_END leaf_ext
cat_certs rsa-leaf-name-case rsa-sub rsa-root >bad/name-case.pem

# Cross-signing.
mkcert rsa-root-g2 SELF - rsa:2048 '/C=US/O=Example Payments/CN=Test XBS Root CA G2' 1001 $R_START $R_END root_ext
mkcert rsa-sub-cross certs/rsa-root-g2.crt keys/rsa-root-g2.key @$SUBK "$DN_SUB" 2001 $S_START $S_END ca0_ext
cat_certs rsa-leaf rsa-sub-cross rsa-sub rsa-root >cross/cross-signed.pem
cat_certs rsa-leaf rsa-sub-cross rsa-root-g2 >cross/cross-g2.pem
# Loop: A issued by B, B issued by A (a throwaway self-signed B bootstraps A).
DN_A='/C=US/O=Example Payments/CN=Test XBS Loop CA A'
DN_B='/C=US/O=Example Payments/CN=Test XBS Loop CA B'
genkey keys/loop-a.key rsa:2048
genkey keys/loop-b.key rsa:2048
csr keys/loop-b.key "$DN_B" "$TMP/b0.csr"
issue SELF keys/loop-b.key "$TMP/b0.csr" "$TMP/b0.crt" 2FF1 $S_START $S_END ca_ext
mkcert loop-a "$TMP/b0.crt" keys/loop-b.key @keys/loop-a.key "$DN_A" 2005 $S_START $S_END ca_ext
mkcert loop-b certs/loop-a.crt keys/loop-a.key @keys/loop-b.key "$DN_B" 2006 $S_START $S_END ca_ext
mkcert rsa-leaf-loop certs/loop-a.crt keys/loop-a.key @$LEAFKEY "$DN_LEAF" 300E $L_START $L_END leaf_ext
cat_certs rsa-leaf-loop loop-a loop-b >cross/loop.pem

# Broken inputs.
head -n -3 rsa/bundle-root-last.pem >bad/truncated.pem
python3 - <<'PY'
import base64, os
b = bytearray(open('rsa/bundle.p7b', 'rb').read())
b[200:210] = b'\xff' * 10
open('bad/corrupt.p7b', 'wb').write(b)
p = open('rsa/p12/client-openssl3.p12', 'rb').read()
open('bad/truncated.p12', 'wb').write(p[:len(p) // 2])
open('bad/not-a-cert.pem', 'w').write(
    '-----BEGIN CERTIFICATE-----\n' + base64.encodebytes(os.urandom(64)).decode()
    + '-----END CERTIFICATE-----\n')
open('bad/empty.pem', 'wb').write(b'')
open('bad/garbage.bin', 'wb').write(b'\x42' + os.urandom(99))
PY

echo "gen.sh: hostile zips"
# ------------------------------------------------------- 5. hostile zips --
python3 - <<'PY'
import io, zipfile
T = (2026, 1, 1, 0, 0, 0)
leaf = open('certs/rsa-leaf.crt', 'rb').read()
bundle = open('rsa/bundle-root-last.pem', 'rb').read()
def zbytes(name, data):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        zi = zipfile.ZipInfo(name, T)
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, data)
    return buf.getvalue()
def write(path, name, data):
    out = zbytes(name, data)
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert z.namelist() == [name], z.namelist()
    open(path, 'wb').write(out)
write('hostile/traversal.zip', '../../x.pem', leaf)
write('hostile/absolute.zip', '/etc/x.pem', leaf)
write('hostile/nested.zip', 'inner.zip', zbytes('bundle.pem', bundle))
# 5 zip containers: nested-deep.zip > level2.zip > level3.zip > level4.zip > level5.zip > bundle.pem
data = zbytes('bundle.pem', bundle)
for level in (4, 3, 2):
    data = zbytes(f'level{level + 1}.zip', data)
write('hostile/nested-deep.zip', 'level2.zip', data)
PY
cp certs/rsa-leaf.crt "$TMP/x.pem"
if command -v zip >/dev/null 2>&1; then
	(cd "$TMP" && zip -q -X -P secret enc.zip x.pem)
	cp "$TMP/enc.zip" hostile/encrypted.zip
	ENC_HOW="zip CLI (ZipCrypto, password secret)"
else
	# No zip CLI: plain zip, then set general-purpose flag bit 0 in the local
	# header and the central directory entry (the data itself is not encrypted).
	python3 - "$TMP/x.pem" <<'PY'
import struct, sys, zipfile
with zipfile.ZipFile('hostile/encrypted.zip', 'w', zipfile.ZIP_STORED) as z:
    z.writestr(zipfile.ZipInfo('x.pem', (2026, 1, 1, 0, 0, 0)), open(sys.argv[1], 'rb').read())
b = bytearray(open('hostile/encrypted.zip', 'rb').read())
lh = b.find(b'PK\x03\x04'); cd = b.find(b'PK\x01\x02')
for off in (lh + 6, cd + 8):
    b[off] |= 1
open('hostile/encrypted.zip', 'wb').write(b)
PY
	ENC_HOW="byte surgery (flag bit 0 set, data not encrypted)"
fi
python3 - <<'PY'
import zipfile
with zipfile.ZipFile('hostile/encrypted.zip') as z:
    assert all(i.flag_bits & 1 for i in z.infolist())
PY
echo "gen.sh: hostile/encrypted.zip made with $ENC_HOW"

# ----------------------------------------------------------- fingerprints --
for f in certs/*.crt; do
	fp="$(openssl x509 -in "$f" -outform DER | sha256sum | cut -d' ' -f1)"
	subj="$(openssl x509 -in "$f" -noout -subject -nameopt RFC2253)"
	printf '%s  %s  %s\n' "$fp" "$f" "${subj#subject=}"
done >fingerprints.txt

# ---------------------------------------------------------- sanity checks --
ok() { openssl verify -no-CApath -no-CAstore -attime 1796083200 "$@" >>"$LOG" 2>&1; }     # 2026-12-01
ok -CAfile certs/rsa-root.crt -untrusted certs/rsa-sub.crt certs/rsa-leaf.crt
ok -CAfile certs/rsa-root.crt -untrusted certs/rsa-sub.crt certs/rsa-leaf-name-case.crt
ok -CAfile certs/rsa-root-g2.crt -untrusted certs/rsa-sub-cross.crt certs/rsa-leaf.crt
ok -CAfile certs/server-root.crt certs/server-sub.crt
ok -CAfile certs/ec-root.crt -untrusted certs/ec-sub.crt certs/ec-leaf.crt
ok -CAfile certs/ed-root.crt -untrusted certs/ed-sub.crt certs/ed-leaf.crt
ok -CAfile certs/rsa-root.crt -untrusted certs/rsa-sub.crt certs/rsa-leaf-pss.crt
! ok -CAfile certs/rsa-root.crt -untrusted certs/rsa-sub-impostor.crt certs/rsa-leaf.crt
count() { openssl "$@" -print_certs 2>>"$LOG" | grep -c '^-----BEGIN CERTIFICATE'; }
[ "$(count pkcs7 -inform DER -in rsa/bundle.p7b)" = 3 ]
[ "$(count pkcs7 -inform DER -in rsa/bundle-ber.p7b)" = 3 ]
[ "$(head -c 2 rsa/bundle-ber.p7b | od -An -tx1 | tr -d ' ')" = 3080 ]
[ "$(grep -c '^Bag Attributes' rsa/bundle-openssl-text.pem)" = 3 ]
[ "$(grep -c '^-----BEGIN CERTIFICATE' rsa/bundle-openssl-text.pem)" = 3 ]

# The connect tests' server identity is issued by SSUB, which is new now.
bash "$TD/server/gen.sh" >>"$LOG" 2>&1

echo "gen.sh: done: $(find . -type f ! -name gen.sh ! -name README.md | wc -l) files, $(du -sk . | cut -f1) KiB in $TD"
