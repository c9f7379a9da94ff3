#!/bin/sh
# Writes the committed portal bundle into benches/data/ once (test material only):
# RSA-4096 root, RSA-2048 sub CA, RSA-2048 client leaf (CN "MTF XBS"), the leaf key.
set -eu
cd "$(dirname "$0")/data"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out root.key 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sub.key 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out leaf.key 2>/dev/null
cat > ext.cnf <<'CNF'
[root]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[sub]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
openssl req -new -x509 -key root.key -subj "/C=DE/O=Bench Portal/CN=Bench Root CA" -days 9000 \
  -sha256 -config /dev/null -extensions root -extfile ext.cnf -out root.pem 2>/dev/null || \
openssl req -new -x509 -key root.key -subj "/C=DE/O=Bench Portal/CN=Bench Root CA" -days 9000 \
  -sha256 -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem
openssl req -new -key sub.key -subj "/C=DE/O=Bench Portal/CN=Bench Sub CA" -out sub.csr
openssl x509 -req -in sub.csr -CA root.pem -CAkey root.key -set_serial 2 -days 8000 -sha256 \
  -extfile ext.cnf -extensions sub -out sub.pem 2>/dev/null
openssl req -new -key leaf.key -subj "/C=DE/O=Bench Client/CN=MTF XBS" -out leaf.csr
openssl x509 -req -in leaf.csr -CA sub.pem -CAkey sub.key -set_serial 3 -days 7000 -sha256 \
  -extfile ext.cnf -extensions leaf -out leaf.pem 2>/dev/null
cat leaf.pem sub.pem root.pem > bundle.pem
rm -f sub.csr leaf.csr ext.cnf root.key
openssl verify -CAfile root.pem -untrusted sub.pem leaf.pem
