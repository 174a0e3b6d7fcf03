#!/usr/bin/env python3
"""The adversarial shapes of issue 25 whose time must grow linearly, at the issue's full size.

    tools/bench/edges.py [--timeout SECONDS] [--lsc PATH] [--only NAME]

Builds lsc in release (unless --lsc names a binary), generates each shape once into
target/bench-edges/ (kept between runs, not committed), runs lsc on it once and prints a
markdown table on stdout: wall time, peak RSS (GNU time's %M where /usr/bin/time is installed,
as tools/bench/measure.py does), bytes written on stdout and the exit code. A run still going
after --timeout seconds (default 120) is killed and shown as such. The shapes:

- check, human format, on one file with 20,000 and 200,000 findings (an annotated Ingress whose
  TLS entry has no hosts, LSC002, each), and with --format json for comparison;
- check, human format, on a one-line JSON List of 2,000 such Ingresses (every finding on line 1);
- convert of 8,000, 32,000 and 200,000 Ingresses sharing one TLS host in one namespace (one
  route with a parentRef per Ingress);
- render with -j 1, -j 5000 and -j 20000 on one small file;
- convert --gateway infra/shared, and render, over 200,000 files in one folder, one Ingress
  without TLS each, all in one namespace.

Only Python's standard library. Takes a few minutes, most of it generating the files the first
time.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import GNU_TIME, gnu_time  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def ingress(i, namespace, host, tls, path_prefix="/p"):
    """One Ingress as block YAML; `tls` is None, "hostless" (an LSC002) or a list of hosts."""
    tls_block = ""
    if tls == "hostless":
        tls_block = "  tls:\n  - secretName: web-%d-tls\n" % i
    elif tls:
        tls_block = "  tls:\n  - hosts: [%s]\n    secretName: shared-tls\n" % ", ".join(tls)
    return (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n"
        "  name: web-%d\n  namespace: %s\n  annotations:\n"
        "    cert-manager.io/cluster-issuer: letsencrypt\nspec:\n  ingressClassName: nginx\n%s"
        "  rules:\n  - host: %s\n    http:\n      paths:\n      - path: %s%d\n"
        "        pathType: Prefix\n        backend:\n"
        "          service: {name: web, port: {number: 80}}\n"
        % (i, namespace, tls_block, host, path_prefix, i)
    )


def write_findings(path, n):
    with open(path, "w") as f:
        for i in range(n):
            f.write("---\n")
            f.write(ingress(i, "team-%d" % (i % 50), "web-%d.example.com" % i, "hostless"))


def write_one_line_list(path, n):
    items = [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {
                "name": "web-%d" % i,
                "namespace": "shop",
                "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt"},
            },
            "spec": {
                "tls": [{"secretName": "web-%d-tls" % i}],
                "rules": [{"host": "web-%d.example.com" % i}],
            },
        }
        for i in range(n)
    ]
    with open(path, "w") as f:
        json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f)


def write_shared_host(path, n):
    with open(path, "w") as f:
        for i in range(n):
            f.write("---\n")
            f.write(ingress(i, "shop", "shop.example.com", ["shop.example.com"]))


def write_small(path, n):
    with open(path, "w") as f:
        f.write(ingress(0, "shop", "shop.example.com", ["shop.example.com"]))


def write_folder(path, n):
    os.makedirs(path)
    for i in range(n):
        with open(os.path.join(path, "ingress-%06d.yaml" % i), "w") as f:
            f.write(ingress(i, "shop", "web-%d.example.com" % i, None))


# (name, generator, size, file name)
INPUTS = {
    "findings-20k": (write_findings, 20_000, "findings-20k.yaml"),
    "findings-200k": (write_findings, 200_000, "findings-200k.yaml"),
    "one-line-list": (write_one_line_list, 2_000, "one-line-list.json"),
    "shared-host-8k": (write_shared_host, 8_000, "shared-host-8k.yaml"),
    "shared-host-32k": (write_shared_host, 32_000, "shared-host-32k.yaml"),
    "shared-host-200k": (write_shared_host, 200_000, "shared-host-200k.yaml"),
    "small": (write_small, 1, "small.yaml"),
    "folder-200k": (write_folder, 200_000, "folder-200k"),
}

# (row name, input, lsc arguments with {} for the input's path, ok exit codes)
RUNS = [
    ("1. check, 20,000 findings in one file", "findings-20k", ["check", "{}"], (0,)),
    ("1. check --format json, same file", "findings-20k", ["check", "--format", "json", "{}"], (0,)),
    ("1. check, 200,000 findings in one file", "findings-200k", ["check", "{}"], (0,)),
    ("1. check --format json, same file", "findings-200k", ["check", "--format", "json", "{}"], (0,)),
    ("1. check, one-line JSON List of 2,000 Ingresses", "one-line-list", ["check", "{}"], (0,)),
    ("3. convert, 8,000 Ingresses sharing one TLS host", "shared-host-8k", ["convert", "{}"], (2,)),
    ("3. convert, 32,000 Ingresses sharing one TLS host", "shared-host-32k", ["convert", "{}"], (2,)),
    ("3. convert, 200,000 Ingresses sharing one TLS host", "shared-host-200k", ["convert", "{}"], (2,)),
    ("5. render -j 1, one small file", "small", ["render", "-j", "1", "{}"], (0,)),
    ("5. render -j 5000, one small file", "small", ["render", "-j", "5000", "{}"], (0,)),
    ("5. render -j 20000, one small file", "small", ["render", "-j", "20000", "{}"], (0,)),
    ("6. render, 200,000 files in one folder", "folder-200k", ["render", "{}"], (0,)),
    (
        "6. convert --gateway infra/shared, same folder",
        "folder-200k",
        ["convert", "--gateway", "infra/shared", "{}"],
        (0,),
    ),
]


def generate(base, name):
    write, n, file_name = INPUTS[name]
    path = os.path.join(base, file_name)
    done = path + ".done"
    if not os.path.exists(done):
        print("== generating %s" % path, file=sys.stderr)
        subprocess.run(["rm", "-rf", path], check=True)
        write(path, n)
        open(done, "w").close()
    return path


def size_of(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))


def run(command, timeout, use_time):
    """Runs `command` once: (wall seconds, peak RSS KiB or None, stdout bytes, exit code or
    None when killed at the timeout)."""
    report = tempfile.NamedTemporaryFile("r", suffix=".rss")
    if use_time:
        command = [GNU_TIME, "-f", "%M", "-o", report.name, *command]
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
    )
    counted = [0]

    def count():
        while True:
            chunk = child.stdout.read(1 << 20)
            if not chunk:
                return
            counted[0] += len(chunk)

    reader = threading.Thread(target=count)
    reader.start()
    try:
        code = child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        code = None
    wall = time.perf_counter() - started
    reader.join()
    words = report.read().split() if use_time else []
    peak = int(words[-1]) if words and words[-1].isdigit() else None
    return wall, peak, counted[0], code


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--lsc", help="the lsc binary (default: build target/release/lsc)")
    ap.add_argument("--only", help="run only the rows whose name contains this")
    args = ap.parse_args()
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    lsc = args.lsc
    if not lsc:
        print("== cargo build --release", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "lsc"], cwd=ROOT, check=True)
        lsc = os.path.join(target, "release", "lsc")
    base = os.path.join(target, "bench-edges")
    os.makedirs(base, exist_ok=True)
    use_time = gnu_time()
    print("| shape | input | wall | peak RSS | stdout | exit |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    failed = False
    for name, input_name, lsc_args, ok in RUNS:
        if args.only and args.only not in name:
            continue
        path = generate(base, input_name)
        command = [lsc, *[a.replace("{}", path) for a in lsc_args]]
        wall, peak, out, code = run(command, args.timeout, use_time)
        if code is None:
            shown_wall, shown_code = "> %.0f s (killed)" % args.timeout, "killed"
            failed = True
        else:
            shown_wall, shown_code = "%.2f s" % wall, str(code)
            if code not in ok:
                shown_code += " (expected %s)" % "/".join(map(str, ok))
                failed = True
        shown_peak = "%.1f MiB" % (peak / 1024) if peak is not None else "n/a"
        print(
            "| %s | %.1f MB | %s | %s | %.1f MB | %s |"
            % (name, size_of(path) / 1e6, shown_wall, shown_peak, out / 1e6, shown_code),
            flush=True,
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
