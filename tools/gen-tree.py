#!/usr/bin/env python3
"""Writes a synthetic GitOps tree of Kubernetes manifests, deterministically from a seed.

    tools/gen-tree.py --docs 100000 --out target/bench-trees/100000 --seed 1

The shape of a platform monorepo (issue 6): about 5 documents per file, in
`teams/<team>/namespace.yaml`, `teams/<team>/<app>/*.yaml` and `infra/gateways/*.yaml`; about 30 %
of the documents are Ingresses, Gateways, ListenerSets (most `gateway.networking.k8s.io/v1`, some
`gateway.networking.x-k8s.io/v1alpha1` XListenerSets) and HTTPRoutes, the rest ordinary workloads
(Namespaces, ServiceAccounts, ConfigMaps, Deployments with realistic pod specs, Services).
Every object is valid for `lsc render`, `lsc convert` and `lsc check`: hostnames and Secret names
are distinct per team and app, so no listener or Certificate conflicts.

Generation stops after the first app that reaches `--docs` documents (plus the Gateways). Only the standard
library; the random numbers come from our own splitmix64, so the same seed gives the same bytes on
every Python version. A summary (documents, files, bytes, per-kind counts) is printed as JSON.
"""

import argparse
import json
import os
import sys

MASK = (1 << 64) - 1


class Rng:
    """splitmix64: tiny, fast enough, identical everywhere."""

    def __init__(self, seed):
        self.state = (seed * 0x9E3779B97F4A7C15 + 0x5EED) & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def chance(self, percent):
        return self.below(100) < percent

    def pick(self, items):
        return items[self.below(len(items))]

    def sample(self, items, k):
        pool = list(items)
        out = []
        for _ in range(min(k, len(pool))):
            out.append(pool.pop(self.below(len(pool))))
        return out


TEAM_WORDS = (
    "payments billing search catalog checkout identity ledger risk growth ads media messaging "
    "platform data ml infra support logistics pricing inventory fraud loyalty maps reviews"
).split()
APP_WORDS = (
    "api web gateway auth orders cart users accounts invoices reports notifier scheduler "
    "uploader images pdf export import sync admin portal dashboard feed recommender quotes "
    "shipping refunds tokens sessions webhooks audit ratings"
).split()
ISSUERS = ["letsencrypt-prod", "letsencrypt-prod", "letsencrypt-staging", "zerossl"]
GATEWAYS_PER = 20  # teams per shared Gateway
GATEWAY_FILE = 5  # Gateways per file under infra/gateways/


def labels(team, name, indent):
    pad = " " * indent
    return f"{pad}app: {name}\n{pad}team: {team}\n"


def meta(kind, api, name, ns, extra=""):
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: {ns}\n{extra}"


def namespace_doc(team, gw):
    return (
        f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {team}\n  labels:\n"
        f"    kubernetes.io/metadata.name: {team}\n    team: {team}\n    gateway: {gw}\n"
    )


def service_account(team, name):
    return meta("ServiceAccount", "v1", name, team)


def config_map(r, team, name):
    data = (
        f"  LOG_LEVEL: {r.pick(['info', 'info', 'debug', 'warn'])}\n"
        f"  UPSTREAM_URL: http://{r.pick(APP_WORDS)}.{team}.svc\n"
    )
    if r.chance(20):
        data += f"  app.yaml: |\n    workers: {1 + r.below(8)}\n    cacheTTL: {30 * (1 + r.below(10))}s\n"
    return meta("ConfigMap", "v1", name, team) + "data:\n" + data


def deployment(r, team, app, name, web):
    ports = "        ports:\n        - name: http\n          containerPort: 8080\n" if web else ""
    probe = (
        "        readinessProbe:\n          httpGet:\n            path: /healthz\n"
        "            port: http\n" if web else ""
    )
    mem = r.pick(["128Mi", "256Mi", "512Mi", "1Gi"])
    return (
        meta("Deployment", "apps/v1", name, team, "  labels:\n" + labels(team, name, 4))
        + f"spec:\n  replicas: {1 + r.below(4)}\n"
        f"  selector:\n    matchLabels:\n      app: {name}\n"
        "  template:\n    metadata:\n      labels:\n" + labels(team, name, 8)
        + f"    spec:\n      serviceAccountName: {app}\n"
        "      securityContext:\n        runAsNonRoot: true\n"
        f"      containers:\n      - name: main\n"
        f"        image: registry.example.com/{team}/{name}:1.{r.below(40)}.{r.below(10)}\n"
        + ports
        + f"        envFrom:\n        - configMapRef:\n            name: {name}\n"
        f"        resources:\n          requests:\n            cpu: {r.pick(['50m', '100m', '250m'])}\n"
        f"            memory: {mem}\n          limits:\n            memory: {mem}\n"
        + probe
    )


def service(team, name):
    return (
        meta("Service", "v1", name, team)
        + f"spec:\n  selector:\n    app: {name}\n  ports:\n  - name: http\n    port: 80\n"
        "    targetPort: http\n"
    )


def cert_annotations(r, team, pad="    "):
    """cert-manager annotations of an Ingress: always an issuer, sometimes more."""
    out = ""
    if r.chance(80):
        out += f"{pad}cert-manager.io/cluster-issuer: {r.pick(ISSUERS)}\n"
    else:
        out += f"{pad}cert-manager.io/issuer: {team}-ca\n"
    if r.chance(30):
        out += f"{pad}cert-manager.io/duration: 2160h\n{pad}cert-manager.io/renew-before: 360h\n"
    if r.chance(20):
        out += f"{pad}cert-manager.io/private-key-algorithm: ECDSA\n"
        out += f"{pad}cert-manager.io/private-key-size: \"{r.pick(['256', '384'])}\"\n"
    if r.chance(15):
        out += f"{pad}cert-manager.io/private-key-rotation-policy: Always\n"
    return out


def ingress(r, team, app, name, host_prefix, backend):
    domain = f"{team}.example.com"
    hosts = [f"{host_prefix}.{domain}"]
    if r.chance(25):
        hosts.append(f"www-{host_prefix}.{domain}")
    annotations = cert_annotations(r, team)
    if r.chance(10):
        timeout = r.pick(["30", "60", "120"])
        annotations += f"    nginx.ingress.kubernetes.io/proxy-read-timeout: \"{timeout}\"\n"
    tls = "  tls:\n  - hosts:\n" + "".join(f"    - {h}\n" for h in hosts)
    tls += f"    secretName: {name}-tls\n"
    port = "              name: http\n" if r.chance(30) else "              number: 80\n"
    rules = "  rules:\n"
    for h in hosts:
        rules += (
            f"  - host: {h}\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n"
            f"        backend:\n          service:\n            name: {backend}\n            port:\n"
            + port
        )
    extra = "  annotations:\n" + annotations
    return (
        meta("Ingress", "networking.k8s.io/v1", name, team, extra)
        + "spec:\n  ingressClassName: nginx\n" + tls + rules
    )


def listener_set(r, team, app, gw, x):
    """A ListenerSet (or XListenerSet) with 1-3 HTTPS listeners; returns (doc, listeners)."""
    api = "gateway.networking.x-k8s.io/v1alpha1" if x else "gateway.networking.k8s.io/v1"
    kind = "XListenerSet" if x else "ListenerSet"
    annotations = ""
    if r.chance(40):  # else inherited from the parent Gateway
        annotations = "  annotations:\n" + cert_annotations(r, team)
    listeners = []
    doc = (
        meta(kind, api, f"{app}-listeners", team, annotations)
        + f"spec:\n  parentRef:\n    name: {gw}\n    namespace: infra\n  listeners:\n"
    )
    for i, prefix in enumerate(r.sample(["", "api.", "admin.", "static."], 2 if r.chance(35) else 1)):
        host = f"{prefix}{app}.{team}.apps.example.com"
        lname = f"{prefix.rstrip('.') or 'main'}-https"
        secret = f"{app}-gw-tls" if i == 0 or r.chance(50) else f"{app}-gw-{prefix.rstrip('.')}-tls"
        listeners.append((lname, host))
        doc += (
            f"  - name: {lname}\n    hostname: {host}\n    protocol: HTTPS\n    port: 443\n"
            f"    tls:\n      mode: Terminate\n      certificateRefs:\n      - name: {secret}\n"
        )
    return doc, kind, listeners


def http_route(team, app, ls_kind, listeners, backend, name):
    group = "gateway.networking.x-k8s.io" if ls_kind == "XListenerSet" else "gateway.networking.k8s.io"
    parents = "".join(
        f"  - group: {group}\n    kind: {ls_kind}\n    name: {app}-listeners\n    sectionName: {lname}\n"
        for lname, _ in listeners
    )
    hosts = "".join(f"  - {host}\n" for _, host in listeners)
    return (
        meta("HTTPRoute", "gateway.networking.k8s.io/v1", name, team)
        + "spec:\n  parentRefs:\n" + parents + "  hostnames:\n" + hosts
        + "  rules:\n  - matches:\n    - path:\n        type: PathPrefix\n        value: /\n"
        f"    backendRefs:\n    - name: {backend}\n      port: 80\n"
    )


def gateway(index, issuer_ns):
    name = f"shared-{index:02d}"
    issuer = (
        "    cert-manager.io/issuer: infra-ca\n" if issuer_ns
        else f"    cert-manager.io/cluster-issuer: {ISSUERS[index % len(ISSUERS)]}\n"
    )
    return (
        meta("Gateway", "gateway.networking.k8s.io/v1", name, "infra", "  annotations:\n" + issuer)
        + "spec:\n  gatewayClassName: eg\n  allowedListeners:\n    namespaces:\n      from: All\n"
        "  listeners:\n  - name: http\n    protocol: HTTP\n    port: 80\n"
        f"  - name: https\n    hostname: \"*.{name}.example.net\"\n    protocol: HTTPS\n"
        f"    port: 443\n    tls:\n      mode: Terminate\n      certificateRefs:\n"
        f"      - name: {name}-wildcard-tls\n"
    )


def app_docs(r, team, app, gw):
    """An app's documents: (kind, text) in file order, workloads first."""
    docs = [("ServiceAccount", service_account(team, app))]
    components = ["web", "worker"] if r.chance(35) else ["web"]
    for c in components:
        name = f"{app}-{c}"
        docs.append(("ConfigMap", config_map(r, team, name)))
        docs.append(("Deployment", deployment(r, team, app, name, c == "web")))
        if c == "web":
            docs.append(("Service", service(team, name)))
    backend = f"{app}-web"
    style = r.below(100)
    if style < 40 or style >= 85:  # Ingress (the old way), or both during a migration
        docs.append(("Ingress", ingress(r, team, app, app, app, backend)))
        if r.chance(45):
            admin = ingress(r, team, app, f"{app}-admin", f"admin-{app}", backend)
            docs.append(("Ingress", admin))
    if style >= 40:  # ListenerSet with its routes
        x = r.chance(15)
        doc, kind, listeners = listener_set(r, team, app, gw, x)
        docs.append((kind, doc))
        docs.append(("HTTPRoute", http_route(team, app, kind, listeners, backend, app)))
        if len(listeners) > 1 and r.chance(60):
            extra = http_route(team, app, kind, listeners[1:], backend, f"{app}-extra")
            docs.append(("HTTPRoute", extra))
    return docs


def chunks(docs, per=5):
    n = max(1, round(len(docs) / per))
    size, rest = divmod(len(docs), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < rest else 0)
        out.append(docs[start:end])
        start = end
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, required=True, help="documents to write (approximately)")
    ap.add_argument("--out", required=True, help="folder to write (must be absent or empty)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if os.path.isdir(args.out) and os.listdir(args.out):
        sys.exit(f"gen-tree: {args.out} exists and is not empty")

    r = Rng(args.seed)
    files = {}  # relative path -> list of (kind, text)
    total = 0
    team_index = 0
    while total < args.docs or team_index == 0:
        team = f"{TEAM_WORDS[team_index % len(TEAM_WORDS)]}-{team_index // len(TEAM_WORDS) + 1}"
        gw = f"shared-{team_index // GATEWAYS_PER:02d}"
        team_docs = [("Namespace", namespace_doc(team, gw)),
                     ("ServiceAccount", service_account(team, "deployer"))]
        files[f"teams/{team}/namespace.yaml"] = team_docs
        total += len(team_docs)
        for app in r.sample(APP_WORDS, 4 + r.below(12)):
            docs = app_docs(r, team, app, gw)
            total += len(docs)
            parts = chunks(docs)
            for i, part in enumerate(parts):
                if i == 0:
                    name = "deploy"
                elif i == len(parts) - 1:
                    name = "routing"
                else:
                    name = f"deploy-{i + 1}"
                ext = "yml" if r.chance(10) else "yaml"
                files[f"teams/{team}/{app}/{name}.{ext}"] = part
            if total >= args.docs:
                break
        team_index += 1
    gateways = [("Gateway", gateway(i, i % 4 == 3)) for i in range((team_index - 1) // GATEWAYS_PER + 1)]
    for i, part in enumerate(gateways[j:j + GATEWAY_FILE] for j in range(0, len(gateways), GATEWAY_FILE)):
        files[f"infra/gateways/shared-{i:02d}.yaml"] = part
    total += len(gateways)

    kinds, size = {}, 0
    for path in sorted(files):
        text = "---\n".join(doc for _, doc in files[path])
        full = os.path.join(args.out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        size += len(text.encode())
        for kind, _ in files[path]:
            kinds[kind] = kinds.get(kind, 0) + 1
    routing = sum(kinds.get(k, 0) for k in ("Ingress", "Gateway", "ListenerSet", "XListenerSet", "HTTPRoute"))
    print(json.dumps({
        "seed": args.seed, "documents": total, "files": len(files), "bytes": size,
        "teams": team_index, "routing_share": round(routing / total, 3), "kinds": dict(sorted(kinds.items())),
    }))


if __name__ == "__main__":
    main()
