//! The planners alone, on a large in-memory model (issue 6): the shim's `render` over the parsed
//! objects, `convert_documents` over the documents, and `model::parse_all` that feeds the shim.
//! Reading and parsing the YAML is done once, outside the measurements.
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

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lsc::convert::{ConvertOptions, convert_documents};
use lsc::shim::config::ShimConfig;
use lsc::source::{Document, Limits, discover, load};

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
    let (inputs, diagnostics) = discover(&[dir.display().to_string()]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let loaded = load(&inputs, &Limits::default());
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
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.bench_function("shim::render", |b| {
        b.iter(|| {
            black_box(lsc::shim::render(
                black_box(&objects),
                &config,
                Default::default(),
            ))
        });
    });
    group.bench_function("convert::convert_documents", |b| {
        b.iter(|| black_box(convert_documents(black_box(&docs), &convert_options)));
    });
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

criterion_group!(benches, planner);
criterion_main!(benches);
