#!/usr/bin/env python3
"""Whole-process timings of the release `validate` CLI against OpenSSL, paired and
interleaved (A B A B ...): the ratio of a workload is the median of its per-pair ratios.
Run through benches/compare.sh, which builds the CLI and the inputs first.

usage: compare.py [--pairs N] [--write benches/RESULTS.md] [--only-batch]
(--only-batch: just the 1,000-bundles-under-4-intermediates row, printed, nothing written)
"""
import argparse
import os
import platform
import resource
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.environ["CERTBUNDLE_CLI"]  # set by compare.sh
DATA = os.path.join(ROOT, "benches", "data")
GEN = os.path.join(ROOT, "target", "bench-data")
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
AT = ["--at", "2027-01-01T00:00:00Z"]
DEVNULL = os.open(os.devnull, os.O_WRONLY)


def run(argv):
    """One process, stdout and stderr to /dev/null; returns (seconds, exit code, CPU seconds:
    user + system, of every thread)."""
    fa = [(os.POSIX_SPAWN_DUP2, DEVNULL, 1), (os.POSIX_SPAWN_DUP2, DEVNULL, 2)]
    t = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=fa)
    _, status, usage = os.wait4(pid, 0)
    return time.perf_counter() - t, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def run_all(argvs):
    t = time.perf_counter()
    runs = [run(a) for a in argvs]
    return time.perf_counter() - t, max(r[1] for r in runs), sum(r[2] for r in runs)


def openssl():
    return subprocess.run(["which", "openssl"], capture_output=True, text=True).stdout.strip()


def paired(name, ours, peer, pairs, ok_codes=(0, 1)):
    """ours/peer: callables returning (seconds, code, CPU seconds). Alternates which goes first."""
    ours(), peer()  # warm the page cache
    a, b, r, cpu = [], [], [], []
    for i in range(pairs):
        if i % 2 == 0:
            ta, ca, ua = ours()
            tb, _, ub = peer()
        else:
            tb, _, ub = peer()
            ta, ca, ua = ours()
        if ca not in ok_codes:
            raise SystemExit(f"{name}: the CLI exited {ca}")
        a.append(ta)
        b.append(tb)
        r.append(ta / tb)
        cpu.append(ua / ub if ub > 0 else float("nan"))
    return {
        "name": name,
        "ours": statistics.median(a),
        "peer": statistics.median(b),
        "ratio": statistics.median(r),
        "cpu_ratio": statistics.median(cpu),
        "pairs": pairs,
    }


def batch4(ossl, pairs):
    """1,000 portal bundles under one root and 4 intermediates: `--each` against one OpenSSL
    process verifying the same 1,000 leaves (the CAs loaded once, as the batch cache verifies
    each CA link once)."""
    p4 = os.path.join(GEN, "portal4")
    leaves = sorted(os.path.join(p4, "leaves", f) for f in os.listdir(os.path.join(p4, "leaves")))
    each = [CLI, *AT, "--each", "--format", "json", os.path.join(p4, "bundles")]
    peer = [ossl, "verify", "-CAfile", os.path.join(p4, "root.pem"), "-untrusted", os.path.join(p4, "subs.pem"), *leaves]
    return paired(
        "1,000 bundles under 1 root + 4 intermediates, `--each` vs one `openssl verify`",
        lambda: run(each), lambda: run(peer), pairs, ok_codes=(0,))


def peak_rss_kib(argv):
    """Peak RSS of one run, via /usr/bin/time -v when present, else getrusage."""
    if os.path.exists("/usr/bin/time"):
        p = subprocess.run(["/usr/bin/time", "-v"] + argv, capture_output=True, text=True)
        for line in p.stderr.splitlines():
            if "Maximum resident set size" in line:
                return int(line.split(":")[1])
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=31)
    ap.add_argument("--each-pairs", type=int, default=5)
    ap.add_argument("--write", metavar="FILE")
    ap.add_argument("--only-batch", action="store_true")
    args = ap.parse_args()
    ossl = openssl()
    d = lambda f: os.path.join(DATA, f)
    g = lambda f: os.path.join(GEN, f)
    results = []
    if args.only_batch:
        print(batch4(ossl, args.each_pairs), flush=True)
        return
    leaves = sorted(os.path.join(GEN, "leaves", f) for f in os.listdir(g("leaves")))

    portal = [CLI, *AT, "--key", d("leaf.key"), d("bundle.pem")]
    results.append(paired(
        "portal bundle leaf+sub+root + key (RSA)",
        lambda: run(portal),
        lambda: run([ossl, "verify", "-CAfile", d("root.pem"), "-untrusted", d("sub.pem"), d("leaf.pem")]),
        args.pairs, ok_codes=(0,)))
    print(results[-1], flush=True)

    each = [CLI, *AT, "--each", "--format", "json", g("bundles")]
    results.append(paired(
        "1,000 bundles, `--each` vs 1,000 `openssl verify`",
        lambda: run(each),
        lambda: run_all([[ossl, "verify", "-CAfile", d("root.pem"), "-untrusted", d("sub.pem"), l] for l in leaves]),
        args.each_pairs, ok_codes=(0,)))
    print(results[-1], flush=True)

    results.append(batch4(ossl, args.each_pairs))
    print(results[-1], flush=True)

    results.append(paired(
        f"system CA bundle ({open(CA_BUNDLE).read().count('BEGIN CERT')} certs)",
        lambda: run([CLI, *AT, CA_BUNDLE]),
        lambda: run([ossl, "storeutl", "-noout", "-certs", CA_BUNDLE]),
        args.pairs))
    print(results[-1], flush=True)

    results.append(paired(
        "shuffled EC pool, 2,021 certs",
        lambda: run([CLI, *AT, g("pool-1x.pem")]),
        lambda: run([ossl, "storeutl", "-noout", "-certs", g("pool-1x.pem")]),
        args.pairs))
    print(results[-1], flush=True)

    # Linearity: 1x / 4x / 16x pools, round robin; start-up (one certificate) subtracted.
    sizes = {
        "base": [d("leaf.pem")],
        1: [g("pool-1x.pem")],
        4: [g("pool-4x.pem")],
        16: [g(f"pool-16x-{i}.pem") for i in range(4)],
    }
    times = {k: [] for k in sizes}
    for _ in range(max(5, args.pairs // 3)):
        for k, files in sizes.items():
            times[k].append(run([CLI, *AT, *files])[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med["base"]
    per1 = (med[1] - base) / 2021
    linear = []
    for k in (1, 4, 16):
        files = sizes[k]
        n = 2021 * k
        per = (med[k] - base) / n
        size = sum(os.path.getsize(f) for f in files)
        rss = peak_rss_kib([CLI, *AT, *files]) * 1024
        linear.append({"k": k, "certs": n, "ms": med[k] * 1e3, "us_per_cert": per * 1e6,
                       "vs_1x": per / per1, "input": size, "rss": rss})
        print(linear[-1], flush=True)
    base_rss = peak_rss_kib([CLI, *AT, d("leaf.pem")]) * 1024

    lines = [
        "| workload | CLI (median) | peer | peer (median) | ratio CLI/peer (median of pairs) | CPU ratio (median of pairs) | target |",
        "|---|---|---|---|---|---|---|",
    ]
    peers = ["`openssl verify -CAfile root -untrusted sub leaf`", "1,000 `openssl verify` processes",
             "one `openssl verify -CAfile root -untrusted subs` over the 1,000 leaves",
             "`openssl storeutl -noout -certs`", "`openssl storeutl -noout -certs`"]
    targets = ["<= 0.30", "<= 0.05", "<= 0.10", "<= 0.25", "<= 0.25"]
    for r, p, t in zip(results, peers, targets):
        lines.append(f"| {r['name']} | {r['ours']*1e3:.2f} ms | {p} | {r['peer']*1e3:.2f} ms | "
                     f"**{r['ratio']:.3f}** ({r['pairs']} pairs) | {r['cpu_ratio']:.3f} | {t} |")
    lines += [
        "",
        f"Cost linearity (start-up, {base*1e3:.2f} ms for one certificate, subtracted) and peak RSS "
        f"(one-certificate run: {base_rss/2**20:.1f} MiB):",
        "",
        "| pool | certs | CLI (median) | µs/cert | per-cert vs 1x (target <= 1.2) | input | peak RSS | (RSS - base) / input (target <= 3) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for l in linear:
        lines.append(f"| {l['k']}x | {l['certs']:,} | {l['ms']:.1f} ms | {l['us_per_cert']:.2f} | "
                     f"**{l['vs_1x']:.2f}** | {l['input']/2**20:.1f} MiB | {l['rss']/2**20:.1f} MiB | "
                     f"**{(l['rss']-base_rss)/l['input']:.2f}** |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        cpu = ""
        try:
            cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
        except (OSError, StopIteration):
            pass
        body = (
            "Produced by `benches/compare.sh` (release CLI, whole process, paired and interleaved "
            "runs: each ratio is the median of the per-pair ratios).\n"
            f"Machine: {platform.machine()}, {os.cpu_count()} cores ({cpu}), shared and noisy; "
            f"{subprocess.run([ossl, 'version'], capture_output=True, text=True).stdout.strip()}.\n\n"
            + table + "\n"
        )
        # Only the part between the markers is replaced; notes around it stay.
        begin, end = "<!-- results:begin -->\n", "<!-- results:end -->"
        try:
            old = open(args.write).read()
        except OSError:
            old = "# Benchmark results\n\n" + begin + end + "\n"
        if begin in old and end in old:
            new = old[: old.index(begin) + len(begin)] + body + old[old.index(end) :]
        else:
            new = old + "\n" + begin + body + end + "\n"
        with open(args.write, "w") as f:
            f.write(new)

if __name__ == "__main__":
    main()
