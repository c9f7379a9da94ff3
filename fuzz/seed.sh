#!/bin/sh
# Fills fuzz/corpus/<target>/ with seeds from testdata/ (a checkout's fixtures,
# or a symlink to them), fuzz/fixtures/ and fuzz/regressions/.
# With --openssl, or when testdata/ is empty, first generates throwaway
# fixtures with openssl into $SEED_TMP (default /tmp/certbundle-seeds).
# Seed files are named by content hash, so reruns do not duplicate them.
set -eu
fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
testdata=$root/testdata
tmp=${SEED_TMP:-/tmp/certbundle-seeds}
corpus=$fuzz/corpus

gen() {
  mkdir -p "$tmp" && cd "$tmp"
  pw=changeit
  openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -subj /CN=seed-rsa -days 30 -out rsa.crt 2>/dev/null
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec.key -subj /CN=seed-ec -days 30 -out ec.crt 2>/dev/null
  openssl x509 -in rsa.crt -outform DER -out rsa.der
  cat rsa.crt ec.crt > chain.pem
  openssl crl2pkcs7 -nocrl -certfile chain.pem -out chain.p7b
  openssl crl2pkcs7 -nocrl -certfile chain.pem -outform DER -out chain-der.p7b
  openssl pkcs12 -export -inkey rsa.key -in rsa.crt -certfile ec.crt -passout pass:$pw -out client.p12
  openssl pkcs12 -export -inkey ec.key -in ec.crt -passout pass:$pw -iter 10 -out client-lowiter.p12
  openssl pkcs12 -export -inkey ec.key -in ec.crt -passout pass:$pw -nomac -out client-nomac.p12 2>/dev/null || true
  openssl pkcs12 -export -inkey rsa.key -in rsa.crt -passout pass:$pw -legacy -out client-legacy.p12 2>/dev/null || true
  openssl pkcs8 -topk8 -nocrypt -in rsa.key -out key-pkcs8.pem
  openssl pkcs8 -topk8 -nocrypt -in ec.key -outform DER -out key-pkcs8.der
  openssl pkcs8 -topk8 -in rsa.key -passout pass:test1234 -iter 100 -out key-pkcs8-enc.pem
  openssl pkcs8 -topk8 -in ec.key -passout pass:test1234 -v1 PBE-SHA1-3DES -out key-pkcs8-pbe.pem
  openssl pkcs8 -topk8 -in ec.key -passout pass:test1234 -scrypt -out key-pkcs8-scrypt.pem 2>/dev/null || true
  openssl rsa -in rsa.key -traditional -out key-pkcs1.pem 2>/dev/null
  openssl rsa -in rsa.key -traditional -aes128 -passout pass:test1234 -out key-trad-aes128.pem 2>/dev/null
  openssl rsa -in rsa.key -traditional -des3 -passout pass:test1234 -out key-trad-des3.pem 2>/dev/null
  openssl ec -in ec.key -out key-sec1.pem 2>/dev/null
  openssl ec -in ec.key -outform DER -out key-sec1.der 2>/dev/null
  openssl req -new -key rsa.key -subj /CN=seed-rsa -out req.csr
  openssl req -new -key ec.key -subj /CN=seed-ec -outform DER -out req-der.csr
  python3 - <<'PY'
import zipfile, io
with zipfile.ZipFile("bundle.zip", "w") as z:
    for f in ["rsa.crt", "ec.crt", "key-pkcs8.pem", "client.p12"]:
        z.write(f)
inner = open("bundle.zip", "rb").read()
with zipfile.ZipFile("nested.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("inner/bundle.zip", inner)
    z.write("chain.p7b")
PY
  cd - >/dev/null
}

if [ "${1:-}" = --openssl ] || [ -z "$(ls -A "$testdata" 2>/dev/null)" ]; then
  gen
  sources="$tmp $fuzz/fixtures"
else
  sources="$testdata $fuzz/fixtures"
fi
[ -d "$fuzz/regressions" ] && sources="$sources $fuzz/regressions"
[ -d "$fuzz/seeds" ] && sources="$sources $fuzz/seeds"

put() { # target file [prefix-hex]
  mkdir -p "$corpus/$1"
  name=$(cat "$2" | sha1sum | cut -c1-16)
  if [ -n "${3:-}" ]; then
    { printf "$3"; cat "$2"; } > "$corpus/$1/$name-$(basename "$2" | tr -c 'A-Za-z0-9._\n-' _)"
  else
    cp "$2" "$corpus/$1/$name"
  fi
}

find -H $sources -type f ! -name '*.sh' ! -name '*.md' -size -1000k | while read -r f; do
  put decode_any "$f"
  case "$f" in
    */regressions/*) t=${f#*/regressions/}; t=${t%%/*}; put "$t" "$f"; continue ;;
    */seeds/*) t=${f#*/seeds/}; t=${t%%/*}; put "$t" "$f"; continue ;;
  esac
  case "$f" in
    *.p7b | *.p7c | *.p7s | *pkcs7* | *p7*) put pkcs7 "$f" ;;
    *.p12 | *.pfx) put pkcs12 "$f" ;;
    *.jks | *.jceks) put jks "$f" ;;
    *.zip) put zip "$f" '\0\0\0\0' ;; # Case::Raw
  esac
  case "$f" in
    *key*) put keys "$f" ;;
  esac
  # pem target: [label index][mode 0 = base64] + DER of the first PEM block.
  python3 - "$f" "$corpus/pem" <<'PY'
import base64, hashlib, os, re, sys
labels = ["CERTIFICATE", "PKCS7", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY",
          "CERTIFICATE REQUEST", "EC PRIVATE KEY", "TRUSTED CERTIFICATE"]
data = open(sys.argv[1], "rb").read()
for m in re.finditer(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END", data, re.S):
    label = m.group(1).decode()
    if label not in labels or b"Proc-Type" in m.group(2):
        continue
    try:
        der = base64.b64decode(re.sub(rb"\s", b"", m.group(2)))
    except Exception:
        continue
    seed = bytes([labels.index(label), 0]) + der
    os.makedirs(sys.argv[2], exist_ok=True)
    open(os.path.join(sys.argv[2], hashlib.sha1(seed).hexdigest()[:16]), "wb").write(seed)
PY
done
for t in "$corpus"/*/; do echo "$(ls "$t" | wc -l) seeds in $t"; done
