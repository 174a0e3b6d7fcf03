#!/usr/bin/env bash
# Fuzzes lsc for a bounded time: builds the cargo-fuzz targets (fuzz/fuzz_targets/) and runs
# each for SECONDS (default 30) from a scratch copy of its seed corpus, so fuzz/corpus/ stays
# as committed. Prints the executions libFuzzer reports per target and exits non-zero when a
# target crashed (a panic or a failed property; the input is saved in fuzz/artifacts/TARGET/).
#
#   fuzz/run.sh [SECONDS] [TARGET...]      targets: read render convert check function (default: all)
#
# Needs only a stable toolchain: RUSTC_BOOTSTRAP=1 lets it take cargo-fuzz's flags, and the
# targets build without a sanitizer (LSC_FUZZ_SANITIZER=address to try ASan). cargo-fuzz is
# installed (pinned, --locked) when `cargo fuzz` is missing. When the machine cannot fuzz (no
# cargo-fuzz and no way to install it, no C++ compiler for libFuzzer, dependencies that cannot
# be fetched) it prints a SKIPPED banner and exits 0, so CI goes on.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-30}
shift || true
if [ $# -gt 0 ]; then targets=("$@"); else targets=(read render convert check function); fi
case $seconds in '' | *[!0-9]*)
  echo "usage: fuzz/run.sh [SECONDS] [TARGET...]" >&2
  exit 2
  ;;
esac

CARGO_FUZZ_VERSION=0.13.2
sanitizer=${LSC_FUZZ_SANITIZER:-none}

skip() {
  echo "=========================================================================="
  echo "SKIPPED: fuzzing (fuzz/run.sh): $*"
  echo "=========================================================================="
  exit 0
}

now() { date +%s; }
started=$(now)

command -v cargo >/dev/null || skip "no cargo on PATH"
if cargo fuzz --version >/dev/null 2>&1; then
  echo "== using $(cargo fuzz --version)"
else
  echo "== cargo install cargo-fuzz --version $CARGO_FUZZ_VERSION --locked"
  t=$(now)
  if ! cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked; then
    skip "cargo-fuzz is not installed and could not be installed"
  fi
  cargo fuzz --version >/dev/null 2>&1 || skip "cargo-fuzz was installed but \`cargo fuzz\` does not run"
  echo "   installed in $(($(now) - t)) s"
fi

# libFuzzer is C++, built by libfuzzer-sys with the C++ compiler the cc crate picks.
cxx=${CXX:-c++}
probe=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-probe.XXXXXX")
printf '#include <vector>\nint main() { std::vector<int> v(1); return v[0]; }\n' >"$probe/probe.cc"
if ! "$cxx" "$probe/probe.cc" -o "$probe/probe" >/dev/null 2>&1; then
  rm -rf "$probe"
  skip "no working C++ compiler ($cxx) to build libFuzzer"
fi
rm -rf "$probe"

echo "== cargo fetch (fuzz/Cargo.toml)"
cargo fetch --manifest-path Cargo.toml >/dev/null 2>&1 || skip "the fuzz crate's dependencies cannot be fetched"

# From here on a failure is the project's: the targets must build. (Set only now, so the
# install above builds cargo-fuzz as any stable build would.)
export RUSTC_BOOTSTRAP=1
echo "== cargo fuzz build -s $sanitizer"
t=$(now)
build_args=()
[ ${#targets[@]} -ne 1 ] || build_args=("${targets[0]}")
cargo fuzz build -s "$sanitizer" "${build_args[@]}"
echo "   built in $(($(now) - t)) s"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-corpus.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

failed=()
summary=()
for target in "${targets[@]}"; do
  [ -d "corpus/$target" ] || { echo "no seed corpus fuzz/corpus/$target" >&2; exit 2; }
  mkdir -p "$scratch/$target"
  cp -R "corpus/$target/." "$scratch/$target/"
  log="$scratch/$target.log"
  echo "== fuzz $target for ${seconds} s"
  t=$(now)
  status=0
  cargo fuzz run -s "$sanitizer" "$target" "$scratch/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -dict="$PWD/dict/yaml.dict" \
    -timeout=10 -rss_limit_mb=2048 \
    >"$log" 2>&1 || status=$?
  elapsed=$(($(now) - t))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  [ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*/\1/p' "$log" | tail -n 1)
  runs=${runs:-0}
  if [ "$status" -ne 0 ] && grep -q 'libFuzzer: run interrupted' "$log" &&
    ! grep -q -E 'panicked at|ERROR: |Test unit written to' "$log"; then
    # A signal from outside (Ctrl-C, a kill) stopped libFuzzer: no input failed.
    summary+=("$target: $runs executions in ${elapsed} s, 0 crashes (interrupted from outside)")
  elif [ "$status" -ne 0 ]; then
    failed+=("$target")
    echo "-- $target FAILED (exit $status) after $runs executions:"
    # The panic (or sanitizer report) and where libFuzzer saved the input, without the
    # input's byte dump.
    awk '/panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer/ { n = 40 }
         n > 0 && !/^[[:space:]]*\[[0-9, ]*\]$/ { print; n--; shown++ }
         shown >= 80 { exit }' "$log" || true
    grep -h -E 'Test unit written to|^SUMMARY' "$log" || true
    if ! grep -q -E 'panicked at|ERROR: ' "$log"; then tail -n 40 "$log"; fi
    summary+=("$target: $runs executions in ${elapsed} s, CRASHED (exit $status)")
  else
    summary+=("$target: $runs executions in ${elapsed} s, 0 crashes")
  fi
  echo "   ${summary[-1]}"
done

echo "== fuzz summary ($(($(now) - started)) s in all)"
printf '   %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found crashes in: ${failed[*]} (inputs in fuzz/artifacts/; see fuzz/README.md)" >&2
  exit 1
fi
