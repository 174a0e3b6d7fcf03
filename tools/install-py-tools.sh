#!/usr/bin/env bash
# Install pre-commit (pinned) and a Python with PyYAML for the end-to-end tests of the
# pre-commit hooks, the GitHub Action, the Flux workflow and the Argo CD plugin, into a
# virtual environment beside BIN_DIR, with two wrappers in BIN_DIR: `pre-commit` and
# `python-yaml` (that environment's python; PyYAML comes with pre-commit).
#
# Usage: tools/install-py-tools.sh [BIN_DIR]
#   BIN_DIR defaults to .tools/bin under the repository root; the environment goes in
#   BIN_DIR/../venv.
# Afterwards: export PRE_COMMIT=BIN_DIR/pre-commit PYTHON_YAML=BIN_DIR/python-yaml
#
# Idempotent: when both wrappers already run, nothing is downloaded. Needs python3 with the venv
# module and access to PyPI. Override the version with PRE_COMMIT_VERSION.
set -euo pipefail

VERSION="${PRE_COMMIT_VERSION:-4.7.0}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="${1:-$repo_root/.tools/bin}"
mkdir -p "$bin_dir"
bin_dir="$(cd "$bin_dir" && pwd)"
venv="$(dirname "$bin_dir")/venv"

if [[ -x "$bin_dir/pre-commit" && -x "$bin_dir/python-yaml" ]] &&
    "$bin_dir/pre-commit" --version >/dev/null 2>&1 &&
    "$bin_dir/python-yaml" -c 'import yaml' >/dev/null 2>&1; then
    echo "pre-commit and python-yaml already installed in $bin_dir"
    "$bin_dir/pre-commit" --version
    exit 0
fi

write_wrapper() { # NAME COMMAND...: BIN_DIR/NAME runs COMMAND with its arguments
    local name="$1"
    shift
    printf '#!/bin/sh\n%s "$@"\n' "$*" > "$bin_dir/$name.part"
    chmod 755 "$bin_dir/$name.part"
    mv "$bin_dir/$name.part" "$bin_dir/$name"
    echo "installed $bin_dir/$name"
}

if python3 -m venv "$venv" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pre-commit==$VERSION"
    write_wrapper pre-commit exec "'$venv/bin/pre-commit'"
    write_wrapper python-yaml exec "'$venv/bin/python'"
else
    # A python3 without the venv module (Debian's without python3-venv): a plain folder of
    # packages on PYTHONPATH will do for pre-commit's rust hooks and for PyYAML.
    echo "python3 -m venv failed; installing into $venv/lib instead"
    python3 -m pip install --quiet --disable-pip-version-check --target "$venv/lib" "pre-commit==$VERSION"
    write_wrapper pre-commit PYTHONPATH="'$venv/lib'" exec python3 -m pre_commit
    write_wrapper python-yaml PYTHONPATH="'$venv/lib'" exec python3
fi
"$bin_dir/pre-commit" --version
"$bin_dir/python-yaml" -c 'import yaml; print("PyYAML", yaml.__version__)'
