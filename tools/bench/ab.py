#!/usr/bin/env python3
"""Side by side: two (or more) builds of lsc on one tree, runs alternating, wall and CPU time.

    tools/bench/ab.py [--runs 15] TREE NAME=LSC,READ_FLOOR NAME=LSC,READ_FLOOR [...]

LSC is an lsc binary and READ_FLOOR the read-floor example built with it (`cargo build --release
--bin lsc --example read-floor`; keep a copy of the first build's before building the second).
For each of `lsc render TREE`, `lsc check --format json TREE`, `lsc convert TREE` and the read
floor, every build runs once to warm the page cache, then RUNS times, the builds alternating (and
their order reversed every other round), so that a machine whose load changes slows all of them
alike. Prints a markdown table: the median wall time and its range (min-max), and the median CPU
time (user + system, the child's rusage from wait4) and its range. On a shared machine wall time
follows the load; CPU time much less so. Stdout goes to a scratch file, stderr to /dev/null.
Only Python's standard library; POSIX.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time


def once(argv, out_path):
    """Runs argv; returns its wall time (ms), CPU time (ms) and exit code."""
    out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    err = os.open(os.devnull, os.O_WRONLY)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(out, 1)
        os.dup2(err, 2)
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(out)
    os.close(err)
    cpu = usage.ru_utime + usage.ru_stime
    return wall * 1000, cpu * 1000, os.waitstatus_to_exitcode(status)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("tree")
    parser.add_argument("builds", nargs="+", metavar="NAME=LSC,READ_FLOOR")
    args = parser.parse_args()
    builds = []
    for build in args.builds:
        name, _, paths = build.partition("=")
        lsc, _, floor = paths.partition(",")
        if not (name and lsc and floor):
            parser.error(f"not NAME=LSC,READ_FLOOR: {build}")
        builds.append((name, lsc, floor))
    commands = [
        ("lsc render", lambda lsc, floor: [lsc, "render", args.tree]),
        ("lsc check", lambda lsc, floor: [lsc, "check", "--format", "json", args.tree]),
        ("lsc convert", lambda lsc, floor: [lsc, "convert", args.tree]),
        ("read floor", lambda lsc, floor: [floor, args.tree]),
    ]
    scratch = tempfile.NamedTemporaryFile(prefix="lsc-ab-", delete=False).name
    load_before = os.getloadavg()[0]
    print("| command | build | wall median (min–max) ms | CPU user+sys median (min–max) ms | exit codes |")
    print("| --- | --- | ---: | ---: | --- |")
    try:
        for label, argv in commands:
            for _, lsc, floor in builds:
                once(argv(lsc, floor), scratch)
            times = {name: [] for name, _, _ in builds}
            for round in range(args.runs):
                order = builds if round % 2 == 0 else builds[::-1]
                for name, lsc, floor in order:
                    times[name].append(once(argv(lsc, floor), scratch))
            for name, _, _ in builds:
                walls = [t[0] for t in times[name]]
                cpus = [t[1] for t in times[name]]
                codes = sorted({t[2] for t in times[name]})
                print(
                    f"| {label} | {name} | {statistics.median(walls):.1f} ({min(walls):.1f}–{max(walls):.1f})"
                    f" | {statistics.median(cpus):.1f} ({min(cpus):.1f}–{max(cpus):.1f}) | {codes} |"
                )
                sys.stdout.flush()
    finally:
        os.unlink(scratch)
    print(f"\n{args.runs} runs each; load average (1 min) {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
