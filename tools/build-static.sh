#!/usr/bin/env bash
# Build the static Linux binary (x86_64-unknown-linux-gnu with glibc linked in: `-C
# target-feature=+crt-static`), with the `static` profile (Cargo.toml: release without fat LTO,
# a few minutes cheaper), and check that it is not dynamic: ldd must say so, and it must run.
# The root Dockerfile copies it into an image FROM scratch.
#
# Usage: tools/build-static.sh     prints the binary's path (relative to the repository) last
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target=x86_64-unknown-linux-gnu
binary="target/$target/static/lsc"
# RUSTFLAGS reach only the target's crates with --target, not build scripts or proc macros.
RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-C target-feature=+crt-static" \
    cargo build --locked --profile static --target "$target" --bin lsc >&2

# glibc's ldd exits 1 with "not a dynamic executable" for a static binary; a static-pie one
# prints "statically linked".
linkage=$(ldd "$binary" 2>&1 || true)
case "$linkage" in
    *"not a dynamic executable"* | *"statically linked"*) ;;
    *)
        echo "error: $binary is dynamic:" >&2
        echo "$linkage" >&2
        exit 1
        ;;
esac
echo "ldd $binary: $(echo "$linkage" | tr -s ' \t' ' ' | sed 's/^ //')" >&2
"$binary" --version >&2
echo "$binary"
