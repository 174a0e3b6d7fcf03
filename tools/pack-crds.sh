#!/usr/bin/env bash
# Pack the CRDs under crds/ into crds/bundle.zst, the one file the binary embeds (src/crd/
# catalog.rs): 7.7 MB of YAML is 0.1 MB compressed, read only when a validation first needs it.
# Each file is `== <path under crds/> <bytes>`, a line break, then its bytes; files in path order.
# Run it after changing anything under crds/; `cargo test --test crd` fails while the bundle and
# the files differ. Needs the zstd command.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../crds"
find . -name '*.yaml' | sed 's|^\./||' | LC_ALL=C sort | while read -r path; do
    printf '== %s %s\n' "$path" "$(wc -c < "$path")"
    cat "$path"
done | zstd -q -19 -f -o bundle.zst
echo "crds/bundle.zst: $(wc -c < bundle.zst) bytes"
