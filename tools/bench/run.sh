#!/usr/bin/env bash
# The monorepo-scale benchmark (issue 6), one command:
#
#   tools/bench/run.sh [SIZES...]        # default: 1000 10000 100000 documents
#
# Builds lsc in release, generates the synthetic GitOps trees with tools/gen-tree.py (cached in
# target/bench-trees/<N>, regenerated when the seed or the generator changes), then times
# `lsc render`, `lsc convert`, `lsc check --format json`, the Python baseline
# (tools/bench/baseline.py: PyYAML with libyaml) and the read floor (tools/bench/read_floor.rs:
# lsc's own folder walk and file reads, nothing else) on each tree, and prints a markdown table on
# stdout: median wall time of LSC_BENCH_RUNS runs (default 3), documents/s, MB/s (input bytes,
# 10^6), peak RSS (tools/bench/measure.py) and how many times faster than the Python baseline.
# Fails when lsc render and the baseline print different Certificates (same-certificates.py).
# Every command's stdout goes to a file (the same for all), stderr to /dev/null.
# Environment: LSC_BENCH_SEED (default 1), LSC_BENCH_RUNS (default 3), CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."

seed=${LSC_BENCH_SEED:-1}
runs=${LSC_BENCH_RUNS:-3}
target=${CARGO_TARGET_DIR:-target}
if [ "$#" -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000 100000); fi
for n in "${sizes[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: size must be a positive integer: $n" >&2; exit 2; }
done
[[ "$seed" =~ ^[0-9]+$ && "$runs" =~ ^[1-9][0-9]*$ ]] || {
  echo "run.sh: LSC_BENCH_SEED and LSC_BENCH_RUNS must be integers" >&2; exit 2; }
command -v python3 >/dev/null || { echo "run.sh: needs python3" >&2; exit 2; }

echo "== cargo build --release" >&2
cargo build --release --quiet --bin lsc --example read-floor >&2
lsc="$target/release/lsc"
floor="$target/release/examples/read-floor"

# The baseline installs PyYAML itself when missing; do it here so no timed run pays for it.
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml >&2
python3 -c 'import yaml, sys; sys.exit(0 if yaml.__with_libyaml__ else "run.sh: PyYAML lacks libyaml")'

trees="$target/bench-trees"
out="$trees/out"
mkdir -p "$trees" "$out"
generator_sum=$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest()[:16])' tools/gen-tree.py)

# tree N: makes sure $trees/N holds the tree for this seed and generator; prints its summary.
tree() {
  local n=$1 dir="$trees/$1" key="seed=$seed generator=$generator_sum"
  if [ ! -d "$dir" ] || [ "$(cat "$dir.key" 2>/dev/null)" != "$key" ]; then
    echo "== tools/gen-tree.py --docs $n --seed $seed --out $dir" >&2
    rm -rf "$dir" "$dir.tmp" "$dir.key" "$dir.json"
    python3 tools/gen-tree.py --docs "$n" --seed "$seed" --out "$dir.tmp" > "$dir.json.tmp"
    mv "$dir.tmp" "$dir"
    mv "$dir.json.tmp" "$dir.json"
    echo "$key" > "$dir.key"
  fi
  cat "$dir.json"
}

field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
[ -n "$cpu" ] || cpu=$(sysctl -n machdep.cpu.brand_string 2>/dev/null || uname -m)
cores=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
mem=$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)

echo "## lsc benchmark"
echo
echo "- machine: $cores cores (nproc), $cpu${mem:+, $mem}, $(uname -sr)"
echo "- $("$lsc" --version), $(python3 --version), PyYAML $(python3 -c 'import yaml; print(yaml.__version__)') with libyaml"
echo "- trees: tools/gen-tree.py --seed $seed; wall time is the median of $runs runs; MB = 10^6 bytes of input"
echo

rows=()
for n in "${sizes[@]}"; do
  summary=$(tree "$n")
  docs=$(field "$summary" documents)
  files=$(field "$summary" files)
  bytes=$(field "$summary" bytes)
  echo "- $n: $docs documents in $files files, $(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }'), $(field "$summary" routing_share | awk '{ printf "%.0f %%", $1 * 100 }') Ingress/Gateway/ListenerSet/HTTPRoute"
  dir="$trees/$n"
  names=("lsc render" "lsc convert" "lsc check" "python baseline" "read floor")
  oks=(0 0 0,1 0 0)  # exit codes that count as success: check exits 1 on error findings
  walls=() rsss=()
  for i in 0 1 2 3 4; do
    case $i in
      0) cmd=("$lsc" render "$dir") ;;
      1) cmd=("$lsc" convert "$dir") ;;
      2) cmd=("$lsc" check --format json "$dir") ;;
      3) cmd=(python3 tools/bench/baseline.py "$dir") ;;
      4) cmd=("$floor" "$dir") ;;
    esac
    name=${names[$i]}
    echo "== $n: $name" >&2
    result=$(python3 tools/bench/measure.py --runs "$runs" --ok "${oks[$i]}" \
      --stdout "$out/$n-${name// /-}.out" -- "${cmd[@]}")
    read -r w r _ <<<"$result"
    walls+=("$w")
    rsss+=("$r")
  done
  # lsc and the baseline must have done the same work: the same Certificates, field by field.
  if ! certs=$(python3 tools/bench/same-certificates.py "$out/$n-lsc-render.out" "$out/$n-python-baseline.out"); then
    echo "run.sh: lsc render and the Python baseline printed different Certificates" >&2
    exit 1
  fi
  echo "  - lsc render and the baseline print the same $certs Certificates"
  echo "  - finding and reading the files alone (read floor) takes $(awk -v f="${walls[4]}" -v r="${walls[0]}" 'BEGIN { printf "%.0f %%", f / r * 100 }') of lsc render's wall time"
  for i in 0 1 2 3 4; do
    rows+=("$(awk -v n="$n" -v name="${names[$i]}" -v docs="$docs" -v bytes="$bytes" \
      -v w="${walls[$i]}" -v r="${rsss[$i]}" -v py="${walls[3]}" 'BEGIN {
        printf "| %s | %s | %.1f ms | %.0f | %.1f | %.1f MiB | %.1f× | %.1f× |", n, name, w * 1000,
          docs / w, bytes / 1e6 / w, r / 1024, r * 1024 / bytes, py / w }')")
  done
done

echo
echo "| docs | tool | wall | docs/s | MB/s | peak RSS | RSS ÷ input | python ÷ tool |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${rows[@]}"
