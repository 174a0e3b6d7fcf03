#!/usr/bin/env python3
"""Runs a command a few times and prints its median wall time and peak RSS.

    tools/bench/measure.py [--runs 3] [--ok 0,1] [--stdout FILE] -- COMMAND [ARG...]

Prints one line, `<median wall seconds> <peak RSS KiB> <runs>`, on stdout. The command's stdout
goes to FILE (default /dev/null), its stderr to /dev/null. Peak RSS is the largest
`ru_maxrss` of the waited-for children (each run is a fresh child of a fresh measuring
process, so it is that command's own peak, its waited-for descendants included). Exits 1 when a
run exits with a code not in --ok (default 0). Portable: only Python's standard library
(`resource` is POSIX).

Linux counts in a child's `ru_maxrss` the memory of the process it was started from, up to its
`exec`: a command started from Python shows at least Python's own 10-15 MiB. So where GNU time
(`/usr/bin/time`, a small C program) is installed, the command is started through it and its
`%M` is the peak; otherwise small commands show Python's size.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time


GNU_TIME = "/usr/bin/time"


def gnu_time():
    """True when /usr/bin/time is GNU time (it takes `-f` and `-o`)."""
    if not os.access(GNU_TIME, os.X_OK):
        return False
    probe = subprocess.run([GNU_TIME, "-f", "%M", "true"], capture_output=True, text=True)
    return probe.returncode == 0 and probe.stderr.strip().isdigit()


def one_run(command, stdout, time_path):
    """Runs the command in a child measuring process, so ru_maxrss is this run's alone; with
    `time_path` (GNU time), through it, and its report is the peak."""
    code = (
        "import resource,subprocess,sys,tempfile,time\n"
        "out_path,time_path,command=sys.argv[1],sys.argv[2],sys.argv[3:]\n"
        "report=tempfile.NamedTemporaryFile('r',suffix='.rss')\n"
        "if time_path:\n"
        "    command=[time_path,'-f','%M','-o',report.name,*command]\n"
        "t=time.perf_counter()\n"
        "with open(out_path,'wb') as out:\n"
        "    rc=subprocess.call(command,stdout=out,stderr=subprocess.DEVNULL)\n"
        "w=time.perf_counter()-t\n"
        "rss=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "words=report.read().split() if time_path else []\n"
        "if words and words[-1].isdigit():\n"
        "    rss=int(words[-1])\n"
        "print(w,rss,rc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, stdout, time_path, *command],
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
    time_path = GNU_TIME if gnu_time() else ""
    walls, peak = [], 0
    for _ in range(args.runs):
        wall, rss, rc = one_run(command, args.stdout, time_path)
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
