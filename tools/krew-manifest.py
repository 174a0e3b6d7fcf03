#!/usr/bin/env python3
"""Write the krew plugin manifest (plugins/lsc.yaml) for a release.

krew (the kubectl plugin manager) installs `kubectl lsc` from a manifest naming, per platform,
an archive, its sha256 and the binary in it; krew links the binary as `kubectl-lsc`, and lsc run
under that name behaves as lsc. The archive is made at release time from tools/build-static.sh's
binary:

    tar -C target/x86_64-unknown-linux-gnu/static -czf lsc-x86_64-unknown-linux-gnu.tar.gz lsc
    tools/krew-manifest.py --version v0.1.0 --homepage https://github.com/OWNER/lsc \\
        --uri https://github.com/OWNER/lsc/releases/download/v0.1.0/lsc-x86_64-unknown-linux-gnu.tar.gz \\
        lsc-x86_64-unknown-linux-gnu.tar.gz > plugins/lsc.yaml

Only linux/amd64 is listed: the static binary is the one release build lsc makes.
"""
import argparse
import hashlib
import re
import sys
import tarfile

DESCRIPTION = """\
lsc applies cert-manager's certificate-shim offline: it prints the Certificates
cert-manager would create for the Ingresses, Gateways and ListenerSets in your
manifests (kubectl lsc render apps/), migrates Ingress to Gateway API with one
ListenerSet per Ingress (kubectl lsc convert), and checks manifests in CI
(kubectl lsc check, kubectl lsc diff). Every subcommand and flag is lsc's."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", required=True, help="release tag, e.g. v0.1.0")
    parser.add_argument("--homepage", required=True)
    parser.add_argument("--uri", required=True, help="where the archive is downloaded from")
    parser.add_argument("archive", help="the .tar.gz holding the static binary `lsc`")
    args = parser.parse_args()
    if not re.fullmatch(r"v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", args.version):
        parser.error(f"--version {args.version!r}: krew wants a semantic version with a leading v")
    for name, value in (("--homepage", args.homepage), ("--uri", args.uri)):
        if not value.startswith("https://"):
            parser.error(f"{name} {value!r}: krew downloads over https only")
    with tarfile.open(args.archive, "r:gz") as archive:
        members = {m.name for m in archive.getmembers() if m.isfile()}
    if "lsc" not in members:
        parser.error(f"{args.archive} holds no file `lsc` at its root (it holds {sorted(members)})")
    with open(args.archive, "rb") as f:
        sha256 = hashlib.sha256(f.read()).hexdigest()
    description = "".join(f"    {line}\n" for line in DESCRIPTION.splitlines())
    sys.stdout.write(
        f"""apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: lsc
spec:
  version: {args.version}
  homepage: {args.homepage}
  shortDescription: Render cert-manager Certificates and convert Ingress to Gateway API offline
  description: |
{description}  platforms:
  - selector:
      matchLabels:
        os: linux
        arch: amd64
    uri: {args.uri}
    sha256: {sha256}
    files:
    - from: lsc
      to: .
    bin: lsc
"""
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
