#!/usr/bin/env bash
# Rebuilds the seed corpus fuzz/corpus/<target>/ from the repository's inputs: the test
# fixtures' input files (input*.yaml, input*.json, stdin) and the examples' YAML. Files are named by the SHA-1 of their content, so the
# same inputs always give the same corpus (duplicates collapse); files over 64 KiB are left
# out. Run from anywhere; it replaces fuzz/corpus/{read,render,convert,check,function} entirely.
#
#   read      every input
#   render    the render, check and bad-input fixtures, the examples
#   convert   the convert and convert-i2gw fixtures, the examples
#   check     the check and render fixtures, the examples
#   function  the render and convert fixtures, each as the items of a ResourceList (with no
#             functionConfig, and with a Convert one), and the KRM example's config
set -euo pipefail
cd "$(dirname "$0")/.."

max_bytes=65536

# Lists (NUL-separated) the input files of the fixture areas given (all areas: no argument),
# and any *.yaml / *.yml of the examples.
fixture_inputs() {
  local dirs=() dir
  for dir in "${@:-}"; do
    [ -d "tests/fixtures/$dir" ] && dirs+=("tests/fixtures/$dir")
  done
  [ ${#dirs[@]} -gt 0 ] || return 0
  find "${dirs[@]}" -type f \( -name 'input*.yaml' -o -name 'input*.yml' -o -name 'input*.json' \
    -o -name stdin \) -print0
}
example_inputs() {
  [ -d examples ] || return 0
  find examples -type f \( -name '*.yaml' -o -name '*.yml' \) -print0
}

# seed TARGET: copies the NUL-separated file list on stdin into fuzz/corpus/TARGET.
seed() {
  local target=$1 out="fuzz/corpus/$1" file size hash count=0
  rm -rf "$out"
  mkdir -p "$out"
  while IFS= read -r -d '' file; do
    size=$(wc -c <"$file")
    [ "$size" -le "$max_bytes" ] || continue
    hash=$(sha1sum "$file" | cut -d' ' -f1)
    cp "$file" "$out/$hash"
  done < <(LC_ALL=C sort -z)
  count=$(find "$out" -type f | wc -l)
  echo "fuzz/corpus/$target: $count files, $(du -sk "$out" | cut -f1) KiB"
}

{ fixture_inputs; example_inputs; } | seed read
{ fixture_inputs render check bad-input; example_inputs; } | seed render
{ fixture_inputs convert convert-i2gw; example_inputs; } | seed convert
{ fixture_inputs check render; example_inputs; } | seed check

# as_resource_lists: each input file (NUL-separated on stdin) as a ResourceList whose items are
# its documents (split at `---` lines), written to a scratch folder; prints those files
# (NUL-separated). One copy has no functionConfig, one a Convert config.
as_resource_lists() {
  python3 -c '
import os, re, sys
out = sys.argv[1]
for n, path in enumerate(sys.stdin.buffer.read().split(b"\0")):
    if not path:
        continue
    text = open(path, "rb").read().decode("utf-8", "replace")
    docs = [d for d in re.split(r"(?m)^---[^\n]*\n?", text) if d.strip()]
    items = "".join("- " + d.replace("\n", "\n  ").rstrip() + "\n" for d in docs)
    head = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"
    configs = ["", "functionConfig:\n  apiVersion: lsc.dev/v1alpha1\n  kind: Convert\n  metadata: {name: c}\n"]
    for c, config in enumerate(configs):
        name = os.path.join(out, "%d-%d.yaml" % (n, c))
        open(name, "w").write(head + config + "items:\n" + items)
        sys.stdout.write(name + "\0")
' "$1"
}
lists=$(mktemp -d "${TMPDIR:-/tmp}/seed-function.XXXXXX")
trap 'rm -rf "$lists"' EXIT
{ fixture_inputs render convert | as_resource_lists "$lists"; } | seed function

