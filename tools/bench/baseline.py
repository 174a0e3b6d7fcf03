#!/usr/bin/env python3
"""The short Python equivalent of `lsc render`, the benchmark's baseline (issue 6).

    tools/bench/baseline.py PATH... > certificates.yaml

Walks the folders (sorted, hidden entries skipped, *.yaml/*.yml/*.json), loads every document
with PyYAML's libyaml `CSafeLoader`, builds the Certificates of cert-manager's shim for Ingresses
(`spec.tls` entries), Gateways and ListenerSets/XListenerSets (HTTPS/TLS listeners with a hostname
and certificateRefs; a ListenerSet without an issuer annotation takes its parent Gateway's), and
dumps them sorted by namespace/name with `CSafeDumper`. Annotation values are not validated: this
is what a team would write in an afternoon, not cert-manager. Installs PyYAML with pip if missing.
"""

import os
import re
import subprocess
import sys

try:
    import yaml
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "pyyaml"],
                          stdout=sys.stderr)
    import yaml
if not getattr(yaml, "__with_libyaml__", False):
    sys.exit("baseline: this PyYAML has no libyaml (CSafeLoader); reinstall PyYAML with libyaml")

CM = "cert-manager.io/"
GW_GROUPS = {"gateway.networking.k8s.io/v1", "gateway.networking.x-k8s.io/v1alpha1"}
KINDS = {("networking.k8s.io/v1", "Ingress"), ("gateway.networking.k8s.io/v1", "Gateway"),
         ("gateway.networking.k8s.io/v1", "ListenerSet"),
         ("gateway.networking.x-k8s.io/v1alpha1", "XListenerSet")}


def files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for root, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if not name.startswith(".") and name.endswith((".yaml", ".yml", ".json")):
                    yield os.path.join(root, name)


def go_duration(text):
    """`2160h` → `2160h0m0s`, as cert-manager prints a metav1.Duration."""
    seconds = sum(float(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in re.findall(r"([\d.]+)([hms])", text))
    h, rest = divmod(int(seconds), 3600)
    return f"{h}h{rest // 60}m{rest % 60}s"


def issuer(annotations, fallback=None):
    ref = None
    if annotations.get(CM + "issuer"):
        ref = {"name": annotations[CM + "issuer"], "kind": "Issuer"}
    elif annotations.get(CM + "cluster-issuer"):
        ref = {"name": annotations[CM + "cluster-issuer"], "kind": "ClusterIssuer"}
    ref = ref or (dict(fallback) if fallback else None)
    if ref:
        ref["kind"] = annotations.get(CM + "issuer-kind", ref["kind"])
        ref["group"] = annotations.get(CM + "issuer-group", ref.get("group", "cert-manager.io"))
    return ref


def certificate(obj, name, hosts, ref, annotations, acme=None):
    meta = {"name": name, "namespace": obj["metadata"]["namespace"]}
    if obj["metadata"].get("labels"):
        meta["labels"] = dict(obj["metadata"]["labels"])
    if acme:
        meta["annotations"] = {"acme.cert-manager.io/http01-parentrefkind": acme[0],
                               "acme.cert-manager.io/http01-parentrefname": acme[1]}
    spec = {}
    for key, field in (("duration", "duration"), ("renew-before", "renewBefore")):
        if CM + key in annotations:
            spec[field] = go_duration(annotations[CM + key])
    spec.update({"dnsNames": list(hosts), "secretName": name, "issuerRef": ref,
                 "usages": ["digital signature", "key encipherment"]})
    key = {}
    for annotation, field in (("private-key-algorithm", "algorithm"), ("private-key-size", "size"),
                              ("private-key-rotation-policy", "rotationPolicy")):
        if CM + annotation in annotations:
            value = annotations[CM + annotation]
            key[field] = int(value) if field == "size" else value
    if key:
        spec["privateKey"] = key
    return {"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "metadata": meta, "spec": spec}


def listener_certificates(obj, ref, annotations, certs):
    ns = obj["metadata"]["namespace"]
    merged = {}  # secret name → hostnames, in listener order
    for listener in obj["spec"].get("listeners") or []:
        tls = listener.get("tls") or {}
        if listener.get("protocol") not in ("HTTPS", "TLS") or tls.get("mode", "Terminate") != "Terminate":
            continue
        if not listener.get("hostname"):
            continue
        for cref in tls.get("certificateRefs") or []:
            if cref.get("kind", "Secret") == "Secret" and cref.get("namespace", ns) == ns:
                hosts = merged.setdefault(cref["name"], [])
                if listener["hostname"] not in hosts:
                    hosts.append(listener["hostname"])
    for secret, hosts in merged.items():
        # cert-manager's only release that read XListenerSet wrote no parentRef annotations.
        acme = None if obj["kind"] == "XListenerSet" else (obj["kind"], obj["metadata"]["name"])
        certs.setdefault((ns, secret), certificate(obj, secret, hosts, ref, annotations, acme))


def main(paths):
    objects = []
    for path in files(paths):
        with open(path, encoding="utf-8") as f:
            for doc in yaml.load_all(f, Loader=yaml.CSafeLoader):
                if isinstance(doc, dict) and (doc.get("apiVersion"), doc.get("kind")) in KINDS:
                    doc["metadata"].setdefault("namespace", "default")
                    objects.append(doc)
    gateways = {(o["metadata"]["namespace"], o["metadata"]["name"]): o
                for o in objects if o["kind"] == "Gateway"}
    certs = {}
    for obj in objects:
        annotations = obj["metadata"].get("annotations") or {}
        ns = obj["metadata"]["namespace"]
        if obj["kind"] == "Ingress":
            ref = issuer(annotations)
            for tls in (obj.get("spec") or {}).get("tls") or [] if ref else []:
                if tls.get("secretName"):
                    secret = tls["secretName"]
                    certs.setdefault((ns, secret), certificate(obj, secret, tls.get("hosts") or [],
                                                               ref, annotations))
        elif obj["kind"] == "Gateway":
            ref = issuer(annotations)
            if ref:
                listener_certificates(obj, ref, annotations, certs)
        else:
            parent = obj["spec"].get("parentRef") or {}
            gateway = gateways.get((parent.get("namespace", ns), parent.get("name")))
            if gateway is None:
                continue
            parent_annotations = gateway["metadata"].get("annotations") or {}
            ref = issuer(annotations, issuer(parent_annotations))
            if ref:
                listener_certificates(obj, ref, {**parent_annotations, **annotations}, certs)
    out = [certs[k] for k in sorted(certs)]
    yaml.dump_all(out, sys.stdout, Dumper=yaml.CSafeDumper, sort_keys=False, default_flow_style=False)


if __name__ == "__main__":
    main(sys.argv[1:] or ["."])
