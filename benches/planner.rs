//! The planners alone, on a large in-memory model (issue 6): the shim's `render` over the parsed
//! objects, `convert_documents` over the documents, and `model::parse_all` that feeds the shim.
//! Reading and parsing the YAML is done once, outside the measurements.
//!
//! The `shared-gateway-N` groups scale one object instead of the tree: a Gateway with N
//! listeners and N ListenerSets attached to it (render), and N Ingresses converted onto one
//! Gateway with every listener on it (`--gateway infra/shared --tls-in gateway`). Their
//! elements/s stay level from 1,000 to 10,000 when nothing is quadratic in a Gateway's size.
//!
//! ```sh
//! cargo bench --bench planner                       # 100,000 documents
//! LSC_BENCH_DOCS=10000 cargo bench --bench planner  # another size
//! LSC_BENCH_TREE=path/to/tree cargo bench --bench planner
//! ```
//!
//! The tree is `target/bench-trees/<N>` (what `tools/bench/run.sh` caches), written with
//! `tools/gen-tree.py --seed 1` when it is not there yet, so python3 is needed once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use lsc::convert::{ConvertOptions, TlsIn, convert_documents};
use lsc::shim::config::ShimConfig;
use lsc::source::{Document, Limits, given, load};

/// The allocator the lsc binary runs with, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: lsc::allocator::Mimalloc = lsc::allocator::Mimalloc;

/// The generated tree to read: `$LSC_BENCH_TREE`, else `target/bench-trees/$LSC_BENCH_DOCS`.
fn tree() -> PathBuf {
    if let Some(dir) = std::env::var_os("LSC_BENCH_TREE") {
        return PathBuf::from(dir);
    }
    let docs: usize = std::env::var("LSC_BENCH_DOCS")
        .map(|v| v.parse().expect("LSC_BENCH_DOCS is a number"))
        .unwrap_or(100_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let dir = target.join("bench-trees").join(docs.to_string());
    if !dir.is_dir() {
        let tmp = dir.with_extension("tmp");
        let _ = std::fs::remove_dir_all(&tmp);
        let status = Command::new("python3")
            .arg(root.join("tools/gen-tree.py"))
            .args(["--docs", &docs.to_string(), "--seed", "1", "--out"])
            .arg(&tmp)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("python3 runs tools/gen-tree.py");
        assert!(status.success(), "tools/gen-tree.py failed: {status}");
        std::fs::rename(&tmp, &dir).unwrap();
    }
    dir
}

fn documents(dir: &Path) -> Vec<Document> {
    let loaded = load(&given(&[dir.display().to_string()]), &Limits::default());
    assert!(loaded.discovery.is_empty(), "{:?}", loaded.discovery);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.documents
}

fn planner(c: &mut Criterion) {
    let dir = tree();
    let docs = documents(&dir);
    let config = ShimConfig::default();
    let (objects, invalid) = lsc::model::parse_all(&docs, &config.default_namespace);
    assert!(invalid.is_empty(), "{invalid:?}");
    eprintln!(
        "planner: {} documents, {} shim objects from {}",
        docs.len(),
        objects.len(),
        dir.display()
    );
    let convert_options = ConvertOptions {
        default_namespace: "default".into(),
        ..Default::default()
    };

    // The size is in the name so criterion keeps one baseline per size.
    let mut group = c.benchmark_group(format!("planner-{}docs", docs.len()));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(docs.len() as u64));
    bench_planners(&mut group, &objects, &config, &docs, &convert_options);
    group.bench_function("model::parse_all", |b| {
        b.iter(|| {
            black_box(lsc::model::parse_all(
                black_box(&docs),
                &config.default_namespace,
            ))
        });
    });
    group.finish();
}

/// The shim's `render` over `objects` and `convert_documents` over `docs`, ten samples each.
fn bench_planners(
    group: &mut BenchmarkGroup<'_, WallTime>,
    objects: &[lsc::model::Object],
    config: &ShimConfig,
    docs: &[Document],
    convert_options: &ConvertOptions,
) {
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.bench_function("shim::render", |b| {
        b.iter(|| {
            black_box(lsc::shim::render(
                black_box(objects),
                config,
                Default::default(),
            ))
        });
    });
    group.bench_function("convert::convert_documents", |b| {
        b.iter(|| black_box(convert_documents(black_box(docs), convert_options)));
    });
}

/// A Gateway with `n` HTTPS listeners, `n` ListenerSets attached to it and `n` Ingresses.
fn shared_gateway(n: usize) -> Vec<Document> {
    let mut yaml = String::from(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: shared\n  \
         namespace: infra\n  annotations:\n    cert-manager.io/cluster-issuer: le\nspec:\n  \
         gatewayClassName: x\n  allowedListeners:\n    namespaces:\n      from: All\n  listeners:\n",
    );
    for i in 0..n {
        yaml.push_str(&format!(
            "  - name: https-{i}\n    port: 443\n    protocol: HTTPS\n    hostname: gw{i}.example.com\n    \
             tls:\n      certificateRefs:\n      - name: gw{i}-tls\n"
        ));
    }
    for i in 0..n {
        let ns = format!("team{}", i % 50);
        yaml.push_str(&format!(
            "---\napiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata:\n  \
             name: app{i}\n  namespace: {ns}\nspec:\n  parentRef:\n    name: shared\n    \
             namespace: infra\n  listeners:\n  - name: https\n    port: 443\n    protocol: HTTPS\n    \
             hostname: ls{i}.example.com\n    tls:\n      certificateRefs:\n      - name: ls{i}-tls\n"
        ));
        yaml.push_str(&format!(
            "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: app{i}\n  \
             namespace: {ns}\n  annotations:\n    cert-manager.io/cluster-issuer: le\nspec:\n  \
             ingressClassName: nginx\n  tls:\n  - hosts: [in{i}.example.com]\n    secretName: in{i}-tls\n  \
             rules:\n  - host: in{i}.example.com\n    http:\n      paths:\n      - path: /\n        \
             pathType: Prefix\n        backend:\n          service:\n            name: app{i}\n            \
             port:\n              number: 80\n"
        ));
    }
    let limits = Limits {
        max_input_bytes: usize::MAX,
        ..Limits::default()
    };
    let (docs, diagnostics) = lsc::source::documents(&"shared.yaml".into(), &yaml, &limits);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    docs
}

fn shared_gateway_planner(c: &mut Criterion) {
    let config = ShimConfig::default();
    let convert_options = ConvertOptions {
        default_namespace: "default".into(),
        gateway: Some(("infra".into(), "shared".into())),
        tls_in: TlsIn::Gateway,
        ..Default::default()
    };
    for n in [1_000, 10_000] {
        let docs = shared_gateway(n);
        let (objects, invalid) = lsc::model::parse_all(&docs, &config.default_namespace);
        assert!(invalid.is_empty(), "{invalid:?}");
        let mut group = c.benchmark_group(format!("shared-gateway-{n}"));
        group.measurement_time(Duration::from_secs(3));
        group.throughput(Throughput::Elements(n as u64));
        bench_planners(&mut group, &objects, &config, &docs, &convert_options);
        group.finish();
    }
}

criterion_group!(benches, planner, shared_gateway_planner);
criterion_main!(benches);
