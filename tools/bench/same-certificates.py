#!/usr/bin/env python3
"""Exits 0 when two YAML streams hold the same Certificates, whatever their field order.

    tools/bench/same-certificates.py LSC_OUTPUT BASELINE_OUTPUT

The benchmark (tools/bench/run.sh) uses it to check that lsc render and the Python baseline
did the same work; it prints the count, or the first Certificate that differs, on stderr.
"""

import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def certificates(path):
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.load_all(f, Loader=Loader) if d is not None]
    key = lambda d: (d["metadata"].get("namespace", ""), d["metadata"]["name"])
    return {key(d): d for d in docs}, len(docs)


def main():
    ours, our_count = certificates(sys.argv[1])
    theirs, their_count = certificates(sys.argv[2])
    if our_count != their_count or ours.keys() != theirs.keys():
        only = sorted(ours.keys() ^ theirs.keys())[:3]
        print(f"{our_count} vs {their_count} Certificates; only in one: {only}", file=sys.stderr)
        return 1
    for key in sorted(ours):
        if ours[key] != theirs[key]:
            print(f"Certificate {key[0]}/{key[1]} differs:\n  {ours[key]}\n  {theirs[key]}",
                  file=sys.stderr)
            return 1
    print(our_count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
