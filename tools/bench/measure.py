#!/usr/bin/env python3
"""Runs a command a few times and prints its median wall time and peak RSS.

    tools/bench/measure.py [--runs 3] [--ok 0,1] [--stdout FILE] -- COMMAND [ARG...]

Prints one line, `<median wall seconds> <peak RSS KiB> <runs>`, on stdout. The command's stdout
goes to FILE (default /dev/null), its stderr to /dev/null. Peak RSS is the largest
`ru_maxrss` of the waited-for children (each run is a fresh child of a fresh measuring
process, so it is that command's own peak, its waited-for descendants included). Exits 1 when a
run exits with a code not in --ok (default 0). Portable: only Python's standard library
(`resource` is POSIX).
"""

import argparse
import resource
import statistics
import subprocess
import sys
import time


def one_run(command, stdout):
    """Runs the command in a child measuring process, so ru_maxrss is this run's alone."""
    code = (
        "import resource,subprocess,sys,time\n"
        "t=time.perf_counter()\n"
        "with open(sys.argv[1],'wb') as out:\n"
        "    rc=subprocess.call(sys.argv[2:],stdout=out,stderr=subprocess.DEVNULL)\n"
        "w=time.perf_counter()-t\n"
        "print(w,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, stdout, *command],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--ok", default="0", help="comma-separated exit codes that count as success")
    ap.add_argument("--stdout", default="/dev/null", help="where the command's stdout goes")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("no command")
    ok = {int(c) for c in args.ok.split(",")}
    walls, peak = [], 0
    for _ in range(args.runs):
        wall, rss, rc = one_run(command, args.stdout)
        if rc not in ok:
            sys.exit(f"measure: {' '.join(command)} exited {rc}")
        walls.append(wall)
        peak = max(peak, rss)
    # ru_maxrss is KiB on Linux, bytes on macOS.
    if sys.platform == "darwin":
        peak //= 1024
    print(f"{statistics.median(walls):.6f} {peak} {args.runs}")


if __name__ == "__main__":
    main()
