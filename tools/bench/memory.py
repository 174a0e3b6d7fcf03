#!/usr/bin/env python3
"""Memory and time on inputs made of many tiny documents (issue 25, item 2).

    tools/bench/memory.py [--lsc target/release/lsc] [--scale 1.0] [--commands render,check,...]

Writes three inputs into target/bench-memory/ (not committed), at full size unless --scale
shrinks them:
  - separators.yaml: 256 MiB of `---\\n` (67 million empty documents);
  - empty-maps.yaml: 256 MiB of `---\\n{}\\n` (38 million documents `{}`);
  - resource-list.yaml: a 50 MB ResourceList whose items are `- {}` (10 million items);
runs render, check, convert and diff on the first two and `lsc fn` on the third (its stdin),
one after the other, and prints a markdown table: exit code, wall time, peak RSS and peak RSS
over the input's size. The default `--max-documents` (10,000,000) refuses the full-size
inputs; smaller scales measure inputs that are read whole. Peak RSS is GNU time's `%M` where
/usr/bin/time is installed (see measure.py), else the largest `ru_maxrss` of the children.
Only Python's standard library.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import GNU_TIME, gnu_time, one_run  # noqa: E402

MIB = 1024 * 1024


def write_repeated(path, head, piece, size):
    """`head`, then `piece` repeated up to `size` bytes, written in 1 MiB blocks."""
    count = max(0, size - len(head)) // len(piece)
    block = piece * max(1, MIB // len(piece))
    with open(path, "w") as out:
        out.write(head)
        whole, rest = divmod(count, MIB // len(piece) or 1)
        for _ in range(whole):
            out.write(block)
        out.write(piece * rest)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lsc", default="target/release/lsc")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="input sizes as a fraction of the full ones (e.g. 0.125 for 32 MiB)")
    ap.add_argument("--commands", default="render,check,convert,diff,fn")
    args = ap.parse_args()
    lsc = os.path.abspath(args.lsc)
    if not os.access(lsc, os.X_OK):
        sys.exit(f"memory.py: {lsc} is not built (cargo build --release)")
    folder = os.path.join("target", "bench-memory")
    os.makedirs(folder, exist_ok=True)
    commands = args.commands.split(",")
    shapes = [
        ("separators.yaml", "", "---\n", int(256 * MIB * args.scale)),
        ("empty-maps.yaml", "", "---\n{}\n", int(256 * MIB * args.scale)),
        ("resource-list.yaml",
         "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n",
         "- {}\n", int(50_000_000 * args.scale)),
    ]
    time_path = GNU_TIME if gnu_time() else ""
    print("| input | command | MB | exit | wall s | peak RSS MiB | RSS / input |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, head, piece, size in shapes:
        path = os.path.join(folder, name)
        write_repeated(path, head, piece, size)
        size = os.path.getsize(path)
        if name == "resource-list.yaml":
            runs = [("fn", ["sh", "-c", 'exec "$0" fn < "$1"', lsc, path])] if "fn" in commands else []
        else:
            runs = [(c, [lsc, c, path] + (["--against", path] if c == "diff" else []))
                    for c in commands if c != "fn"]
        for command, argv in runs:
            wall, rss_kib, code = one_run(argv, "/dev/null", time_path)
            rss = rss_kib * 1024
            print(f"| {name} | {command} | {size / 1e6:.1f} | {code} | {wall:.2f} | "
                  f"{rss / MIB:.0f} | {rss / size:.2f} |", flush=True)
        os.remove(path)


if __name__ == "__main__":
    main()
