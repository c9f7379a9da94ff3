#!/bin/sh
# Builds the release CLI and the bench inputs, then times the CLI against OpenSSL
# (paired, interleaved). Arguments go to compare.py, e.g. `--write benches/RESULTS.md`.
set -eu
cd "$(dirname "$0")/.."
# The executable's path comes from cargo (it lies under target/<host triple>/, see .cargo/config.toml).
CERTBUNDLE_CLI=$(cargo build --release --example validate --message-format=json-render-diagnostics |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "validate" and m.get("executable"):
        print(m["executable"])')
# Timed as installed: a copy, as `cargo install` makes. The linker writes the binary in
# small pieces, and a fresh link sits in the page cache that way: ~20 more page faults per run.
mkdir -p target/bench
cp "$CERTBUNDLE_CLI" target/bench/validate
CERTBUNDLE_CLI=$PWD/target/bench/validate
export CERTBUNDLE_CLI
# gen_data.py signs thousands of certificates with python's cryptography package.
python3 -c "import cryptography" 2>/dev/null || python3 -m pip install --quiet cryptography
[ -f target/bench-data/pool-16x-3.pem ] || python3 benches/gen_data.py target/bench-data
[ -f target/bench-data/portal4/subs.pem ] || python3 benches/gen_data.py --portal4 target/bench-data
exec python3 benches/compare.py "$@"
