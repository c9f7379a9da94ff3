#!/usr/bin/env bash
# Regenerates the JKS / JCEKS fixtures of testdata/jks/ with Java's keytool.
#
#   bash testdata/jks/gen.sh      (from anywhere; run after testdata/gen.sh)
#
# Needs: keytool (any JDK 8+; made with OpenJDK 17). Reads the PKCS#12 and
# certificates testdata/gen.sh wrote; see testdata/README.md for the files.
set -Eeuo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
J="$TD/jks"
TMP="$(mktemp -d)"
LOG="$TMP/log"
trap 'rm -rf "$TMP"' EXIT
trap 'echo "jks/gen.sh: failed at line $LINENO; last log lines:" >&2; tail -n 30 "$LOG" >&2' ERR

PW=changeit  # every store password
KEYPW=keypass1 # the key password of client-keypass.jks
SRC="$TD/rsa/p12/client-openssl3.p12" # LEAF + SUB + ROOT and LEAF's key, alias "mtf xbs"

command -v keytool >/dev/null || { echo "jks/gen.sh: keytool not found" >&2; exit 1; }
: >"$LOG"
rm -f "$J"/*.jks "$J"/*.jceks

# import TYPE OUT [extra keytool options]: the PKCS#12's key entry into a new store.
import() {
	local type=$1 out=$2
	shift 2
	keytool -importkeystore -noprompt -srckeystore "$SRC" -srcstoretype PKCS12 -srcstorepass $PW \
		-destkeystore "$J/$out" -deststoretype "$type" -deststorepass $PW "$@" >>"$LOG" 2>&1
}

# A private key entry with its chain of three, key password = store password.
import JKS client.jks
# The same, the key under its own password.
import JKS client-keypass.jks -destkeypass $KEYPW
# JCEKS (PBEWithMD5AndTripleDES key protection).
import JCEKS client.jceks

# A truststore: two trusted certificates.
for a in server-root server-sub; do
	keytool -importcert -noprompt -alias $a -file "$TD/certs/$a.crt" -keystore "$J/truststore.jks" \
		-storetype JKS -storepass $PW >>"$LOG" 2>&1
done

# JCEKS with a secret-key entry (skipped by certbundle) beside a trusted certificate.
keytool -genseckey -alias aes-key -keyalg AES -keysize 128 -keystore "$J/secret.jceks" \
	-storetype JCEKS -storepass $PW -keypass $PW >>"$LOG" 2>&1
keytool -importcert -noprompt -alias server-root -file "$TD/certs/server-root.crt" \
	-keystore "$J/secret.jceks" -storetype JCEKS -storepass $PW >>"$LOG" 2>&1

ls -l "$J"/*.jks "$J"/*.jceks
