//! What the fuzz targets check, one function per target. Each takes the fuzzer's bytes, runs
//! them through lsc's public API the way the CLI does and asserts properties that hold for every
//! input: a failed assertion is a finding, like a panic inside lsc.
//!
//! `tests/fuzz_regressions.rs` includes this file (`#[path]`) to run the same checks on the
//! saved regressions and the seed corpus under plain `cargo test`, so it uses only `lsc` and
//! `serde_json` (dependencies of both crates).

use std::sync::Arc;

use lsc::diag::Diagnostic;
use lsc::source::tree::{Map, Node, Value};
use lsc::source::{self, Document, Limits};

/// The name inputs go by in documents and diagnostics.
pub const INPUT_NAME: &str = "fuzz.yaml";

/// Findings reported but not fixed in src/ yet, by the file in fuzz/regressions/ that shows
/// each. With `strict: false` (the fuzz targets) the checks tolerate them, so fuzzing goes on
/// past them and CI stays green; tests/fuzz_regressions.rs checks strictly and expects exactly
/// these files to fail. Once src/ fixes one: delete its entry here and the `tolerates` call
/// that names it (by a prefix of its file name).
pub const OPEN_FINDINGS: &[&str] = &[];

/// Whether a check lets the open finding `name` pass: not when checking strictly, nor when
/// `LSC_FUZZ_STRICT` is `all` or names it (to reproduce or minimize it with a fuzz target:
/// `LSC_FUZZ_STRICT=read-skim-lone-cr cargo fuzz tmin ...`).
fn tolerates(strict: bool, name: &str) -> bool {
    static STRICT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let env = STRICT.get_or_init(|| std::env::var("LSC_FUZZ_STRICT").ok());
    !strict && env.as_deref().is_none_or(|e| e != "all" && e != name)
}

fn input_name() -> Arc<str> {
    Arc::from(INPUT_NAME)
}

fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect()
}

/// The last line a node can be on: YAML breaks lines at `\n`, `\r\n` and a lone `\r`; the line
/// after a final line break counts (the end of input is on it).
fn line_count(text: &str) -> u32 {
    let mut lines: u32 = 1;
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'\n' => lines = lines.saturating_add(1),
            b'\r' if bytes.peek() != Some(&b'\n') => lines = lines.saturating_add(1),
            _ => {}
        }
    }
    lines
}

/// `decode` as the CLI calls it, checking what it promises: UTF-8 comes back unchanged (minus
/// a byte order mark), anything else is an error located inside the input.
fn decode(data: &[u8]) -> Option<String> {
    let name = input_name();
    let result = source::decode(&name, data.to_vec());
    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let utf16 = body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF");
    match (&result, std::str::from_utf8(body)) {
        (Ok(text), Ok(expected)) => {
            assert!(!utf16, "decode accepted a UTF-16 byte order mark");
            assert_eq!(text, expected, "decode changed valid UTF-8");
        }
        (Ok(_), Err(e)) => panic!("decode accepted invalid UTF-8: {e}"),
        (Err(d), valid) => {
            assert!(utf16 || valid.is_err(), "decode refused valid UTF-8: {d}");
            let lines = line_count(&String::from_utf8_lossy(body));
            let line = d.location.as_ref().map_or(0, |l| l.line);
            assert!(
                (1..=lines).contains(&line),
                "decode error at line {line}, input has {lines}: {d}"
            );
        }
    }
    result.ok()
}

/// A node's line must be a line of the input (lsc's own nodes have 0, and none are expected in
/// what was read).
fn check_node_lines(node: &Node, lines: u32, at: &str) {
    assert!(
        (1..=lines).contains(&node.line),
        "node at {at} has line {}, input has {lines} lines",
        node.line
    );
    match &node.value {
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                check_node_lines(item, lines, &format!("{at}[{i}]"));
            }
        }
        Value::Map(map) => check_map_lines(map, lines, at),
        _ => {}
    }
}

fn check_map_lines(map: &Map, lines: u32, at: &str) {
    for entry in &map.entries {
        let at = format!("{at}.{}", entry.key);
        assert!(
            (1..=lines).contains(&entry.key_line),
            "key {at} has line {}, input has {lines} lines",
            entry.key_line
        );
        check_node_lines(&entry.value, lines, &at);
    }
}

/// Every document, node and diagnostic is located inside the input.
fn check_read(read: &(Vec<Document>, Vec<Diagnostic>), text: &str, strict: bool) {
    // Open findings `read-line-past-end-*.yaml`: what is at the end of an input without a final
    // line break (a syntax error, an empty key or value) is placed on the line after the last.
    let past_end =
        u32::from(tolerates(strict, "read-line-past-end") && !text.ends_with(['\n', '\r']));
    let lines = line_count(text).saturating_add(past_end);
    let (documents, diagnostics) = read;
    for document in documents {
        let l = &document.location;
        assert!(
            l.document >= 1,
            "document numbers start at 1: {}",
            l.document
        );
        assert!(
            (1..=lines).contains(&l.line),
            "document {} at line {}, input has {lines} lines",
            l.document,
            l.line
        );
        check_map_lines(&document.root, lines, &format!("doc{}", l.document));
    }
    for d in diagnostics {
        // Document 0: about the whole input (its encoding, a control character).
        if let Some(l) = &d.location {
            assert!(
                (1..=lines).contains(&l.line),
                "diagnostic outside the input ({lines} lines): {d}"
            );
        }
    }
}

/// Open findings `read-skim-lone-cr*.yaml`: the skim that blanks documents of unwanted kinds
/// breaks lines at `\n` only, YAML at a lone `\r` too. After one, it misreads lines and
/// document starts: `lsc render` may drop an Ingress `lsc render --all` renders.
fn has_lone_cr(text: &str) -> bool {
    text.replace("\r\n", "\n").contains('\r')
}

fn kind_of(document: &Document) -> Option<&str> {
    document
        .root
        .get_value("kind")
        .map(|n| &n.value)
        .and_then(Value::as_str)
}

fn shim_limits() -> Limits {
    Limits {
        only_kinds: Some(lsc::model::SHIM_KINDS),
        ..Limits::default()
    }
}

/// Target `read`: bytes → `decode` → `documents`, with every kind and with the shim's kinds
/// only (what `lsc render` reads). Checks: documents, nodes and diagnostics are on lines of the
/// input; reading twice gives the same result; and when the input reads without error, reading
/// only the shim's kinds also does and gives the same documents minus those of other kinds.
pub fn read(data: &[u8], strict: bool) {
    let Some(text) = decode(data) else { return };
    let name = input_name();
    let all = source::documents(&name, &text, &Limits::default());
    check_read(&all, &text, strict);
    assert!(
        all == source::documents(&name, &text, &Limits::default()),
        "reading the same text twice gave different results"
    );
    let shim = source::documents(&name, &text, &shim_limits());
    check_read(&shim, &text, strict);
    if has_errors(&all.1) {
        return;
    }
    // Open finding `read-skim-duplicate-tagged-key.yaml`: in a document skipped for its kind,
    // keys are compared as written, tags aside, so `!!null a` and `a` are duplicates there.
    let tolerated = |d: &Diagnostic| {
        tolerates(strict, "read-skim-duplicate-tagged-key")
            && d.message.starts_with("duplicate key ")
    };
    assert!(
        shim.1.iter().all(|d| !d.is_error() || tolerated(d)),
        "only_kinds reports errors the full read does not: {:?}",
        errors(&shim.1)
    );
    if has_errors(&shim.1) {
        return;
    }
    if tolerates(strict, "read-skim-lone-cr") && has_lone_cr(&text) {
        return;
    }
    // The shim's documents are the full read's, in order, minus some of other kinds.
    let mut rest = all.0.iter();
    for document in &shim.0 {
        assert!(
            rest.any(|d| d == document),
            "only_kinds read a document the full read does not have (or not in order): {:?}",
            document.location
        );
    }
    for document in &all.0 {
        if kind_of(document).is_some_and(|k| lsc::model::SHIM_KINDS.contains(&k)) {
            assert!(
                shim.0.contains(document),
                "only_kinds dropped a {:?} document: {:?}",
                kind_of(document),
                document.location
            );
        }
    }
}

/// The node with every line set to 0, to compare trees read from different texts.
fn unlined(node: &Node, strict: bool) -> Node {
    Node {
        line: 0,
        value: match &node.value {
            Value::Seq(items) => Value::Seq(items.iter().map(|n| unlined(n, strict)).collect()),
            Value::Map(map) => Value::Map(unlined_map(map, strict)),
            // Open findings `render-all-float-tag-*.yaml`: a `!!float` value is kept as written
            // and written back without its tag, so `!!float 443` reads back as an integer and
            // `!!float abc` as a string: compare it as the untagged text reads.
            Value::Float(text) if tolerates(strict, "render-all-float-tag") => {
                match lsc::source::tree::resolve_plain(text) {
                    Value::Float(_) => node.value.clone(),
                    other => other,
                }
            }
            other => other.clone(),
        },
    }
}

fn unlined_map(map: &Map, strict: bool) -> Map {
    Map {
        entries: map
            .entries
            .iter()
            .map(|e| lsc::source::tree::Entry {
                key: e.key.clone(),
                key_line: 0,
                value: unlined(&e.value, strict),
            })
            .collect(),
    }
}

/// Reads emitted text back (with every kind) and checks it holds exactly `nodes`, lines aside.
fn check_reparses(what: &str, text: &str, nodes: &[&Node], strict: bool) -> Vec<Document> {
    let (documents, diagnostics) = source::documents(&input_name(), text, &Limits::default());
    // Open finding `render-all-long-key.yaml`: a key longer than YAML's 1024-character limit
    // on implicit keys is written as one (not as an explicit `? key`) and does not read back.
    if tolerates(strict, "render-all-long-key")
        && has_errors(&diagnostics)
        && nodes.iter().any(|n| has_long_key(n))
    {
        return Vec::new();
    }
    assert!(
        !has_errors(&diagnostics),
        "{what} does not read back: {:?}\n--- output\n{text}",
        errors(&diagnostics)
    );
    assert_eq!(
        documents.len(),
        nodes.len(),
        "{what}: {} objects written, {} read back\n--- output\n{text}",
        nodes.len(),
        documents.len()
    );
    for (document, node) in documents.iter().zip(nodes) {
        let back = unlined(&Node::new(Value::Map(document.root.clone())), strict);
        let written = unlined(node, strict);
        assert!(
            back == written,
            "{what} reads back different: wrote {written:?}\nread {back:?}\n--- output\n{text}"
        );
    }
    documents
}

fn has_long_key(node: &Node) -> bool {
    match &node.value {
        Value::Seq(items) => items.iter().any(has_long_key),
        Value::Map(map) => map.entries.iter().any(|e| {
            serde_json::Value::String(e.key.clone()).to_string().len() > 1024
                || has_long_key(&e.value)
        }),
        _ => false,
    }
}

/// What one render run produced, to compare runs.
#[derive(Debug, PartialEq)]
struct Rendered {
    failed: bool,
    diagnostics: Vec<Diagnostic>,
    certificates: Vec<Node>,
    passthrough: Vec<Node>,
    yaml: String,
    json: String,
}

/// `lsc render` (or `lsc render --all`) on one input, with the default options.
fn render_text(text: &str, all: bool) -> Rendered {
    let name = input_name();
    let options = lsc::RenderOptions {
        all,
        ..lsc::RenderOptions::default()
    };
    let limits = if all {
        Limits::default()
    } else {
        shim_limits()
    };
    let (documents, diagnostics) = source::documents(&name, text, &limits);
    let plan = lsc::plan_documents(documents, diagnostics, &[name], &options);
    let mut diagnostics = plan.diagnostics;
    let failed = lsc::diag::failed(&mut diagnostics);
    let certificates: Vec<Node> = if failed {
        Vec::new()
    } else {
        plan.rendered
            .certificates
            .iter()
            .map(|c| c.to_node())
            .collect()
    };
    let passthrough: Vec<Node> = if failed || !all {
        Vec::new()
    } else {
        plan.documents
            .iter()
            .map(|d| Node {
                line: d.location.line,
                value: Value::Map(d.root.clone()),
            })
            .collect()
    };
    let nodes: Vec<&Node> = passthrough.iter().chain(&certificates).collect();
    let (yaml, json) = if failed {
        (String::new(), String::new())
    } else {
        (
            lsc::emit::objects(lsc::emit::Format::Yaml, &nodes),
            lsc::emit::objects(lsc::emit::Format::Json, &nodes),
        )
    };
    Rendered {
        failed,
        diagnostics,
        certificates,
        passthrough,
        yaml,
        json,
    }
}

/// Target `render`: bytes → documents → `plan_documents` → the YAML and JSON `lsc render`
/// writes, with default options, without and with `--all`. Checks: the same input renders the
/// same twice; the YAML reads back without error into exactly the objects written (lines
/// aside), the input's documents included with `--all`; the JSON is JSON and reads back into
/// the same Certificates; and `--all` renders the same Certificates as without it.
pub fn render(data: &[u8], strict: bool) {
    let Some(text) = decode(data) else { return };
    let shim = render_text(&text, false);
    assert!(
        shim == render_text(&text, false),
        "rendering the same input twice gave different results"
    );
    check_rendered("render", &shim, strict);
    let all = render_text(&text, true);
    check_rendered("render --all", &all, strict);
    let lone_cr = tolerates(strict, "read-skim-lone-cr") && has_lone_cr(&text);
    if !shim.failed && !all.failed && !lone_cr {
        assert!(
            shim.certificates == all.certificates,
            "render and render --all give different Certificates\n--- render\n{}\n--- render --all\n{}",
            shim.yaml,
            all.yaml
        );
    }
}

fn check_rendered(what: &str, rendered: &Rendered, strict: bool) {
    if rendered.failed {
        assert!(
            rendered.yaml.is_empty() && rendered.certificates.is_empty(),
            "{what} failed but wrote objects"
        );
        return;
    }
    let nodes: Vec<&Node> = rendered
        .passthrough
        .iter()
        .chain(&rendered.certificates)
        .collect();
    check_reparses(&format!("{what} YAML"), &rendered.yaml, &nodes, strict);
    for certificate in &rendered.certificates {
        let kind = certificate.as_map().and_then(|m| m.get_value("kind"));
        assert!(
            kind.map(|n| &n.value).and_then(Value::as_str) == Some("Certificate"),
            "{what} wrote a Certificate of kind {kind:?}"
        );
    }
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&rendered.json) {
        panic!(
            "{what} JSON is not JSON: {e}\n--- output\n{}",
            rendered.json
        );
    }
    // The JSON `List` reads back into its items. Certificates hold strings, integers and
    // booleans only, so they read back as written; the input's own documents may hold values
    // JSON writes differently (`.inf`, `1e3`), so only their number is checked.
    let (items, diagnostics) = source::documents(&input_name(), &rendered.json, &Limits::default());
    assert!(
        !has_errors(&diagnostics) && items.len() == nodes.len(),
        "{what} JSON reads back as {} objects ({:?}), {} written\n--- output\n{}",
        items.len(),
        errors(&diagnostics),
        nodes.len(),
        rendered.json
    );
    for (item, certificate) in items
        .iter()
        .skip(rendered.passthrough.len())
        .zip(&rendered.certificates)
    {
        let back = unlined(&Node::new(Value::Map(item.root.clone())), true);
        assert!(
            back == unlined(certificate, true),
            "{what} JSON Certificate reads back different: {back:?}\n--- output\n{}",
            rendered.json
        );
    }
}

/// `lsc convert`'s options with the CLI's defaults (`--namespace default`, ListenerSets v1),
/// and ingress2gateway's layout (`--tls-in gateway`) with XListenerSets.
fn convert_options() -> [lsc::convert::ConvertOptions; 2] {
    let cli = lsc::convert::ConvertOptions {
        default_namespace: "default".to_string(),
        ..lsc::convert::ConvertOptions::default()
    };
    let gateway = lsc::convert::ConvertOptions {
        tls_in: lsc::convert::TlsIn::Gateway,
        listenerset_api: lsc::convert::ListenerSetApi::V1Alpha1,
        ..cli.clone()
    };
    [cli, gateway]
}

/// Target `convert`: bytes → documents → `convert_documents`, with the CLI's default options and
/// with `--tls-in gateway --listenerset-api v1alpha1`. Checks: converting twice gives the same
/// result; when nothing failed, no two objects share kind, namespace and name, the YAML reads
/// back without error into exactly the objects (whose kind, namespace and name are what `--out`
/// names files after); and when the input renders without error, so do the converted objects.
pub fn convert(data: &[u8], strict: bool) {
    let Some(text) = decode(data) else { return };
    let name = input_name();
    let (documents, diagnostics) = source::documents(&name, &text, &Limits::default());
    let mut input_renders = None;
    for options in convert_options() {
        let converted = lsc::convert::convert_documents(&documents, &options);
        let again = lsc::convert::convert_documents(&documents, &options);
        assert!(
            converted.objects == again.objects
                && converted.diagnostics == again.diagnostics
                && converted.replaced == again.replaced,
            "converting the same input twice gave different results"
        );
        if has_errors(&diagnostics) || has_errors(&converted.diagnostics) {
            continue;
        }
        let what = format!("convert --tls-in {:?}", options.tls_in);
        let mut ids: Vec<(&str, &str, &str)> = converted
            .objects
            .iter()
            .map(|o| (o.kind.as_str(), o.namespace.as_str(), o.name.as_str()))
            .collect();
        ids.sort_unstable();
        // Open finding `convert-upgrade-duplicate-object.yaml`: two input objects of the same
        // kind (XListenerSet counting as ListenerSet), namespace and name are both upgraded from
        // XListenerSet, and written twice.
        let in_input = |id: &(&str, &str, &str)| {
            documents
                .iter()
                .filter(|d| {
                    let metadata = d.root.get_value("metadata");
                    let kind = kind_of(d).map(|k| k.strip_prefix('X').unwrap_or(k));
                    kind == Some(id.0.strip_prefix('X').unwrap_or(id.0))
                        && metadata
                            .and_then(|m| m.str_at(&["namespace"]))
                            .unwrap_or("default")
                            == id.1
                        && metadata
                            .and_then(|m| m.str_at(&["name"]))
                            .unwrap_or_default()
                            == id.2
                })
                .count()
                > 1
        };
        let twice: Vec<_> = ids.windows(2).filter(|w| w.first() == w.last()).collect();
        assert!(
            twice
                .iter()
                .all(|w| tolerates(strict, "convert-upgrade-duplicate-object")
                    && w.first().is_some_and(in_input)),
            "{what} wrote two objects of the same kind, namespace and name: {twice:?}"
        );
        let nodes: Vec<&Node> = converted.objects.iter().map(|o| &o.node).collect();
        let yaml = lsc::emit::objects(lsc::emit::Format::Yaml, &nodes);
        let back = check_reparses(&format!("{what} YAML"), &yaml, &nodes, strict);
        for (document, object) in back.iter().zip(&converted.objects) {
            let metadata = document.root.get_value("metadata");
            let namespace = metadata.and_then(|m| m.str_at(&["namespace"]));
            let object_name = metadata.and_then(|m| m.str_at(&["name"]));
            // An object without a namespace goes to the one `-n` names.
            assert!(
                kind_of(document) == Some(object.kind.as_str())
                    && namespace.is_none_or(|n| n == object.namespace)
                    && object_name.unwrap_or_default() == object.name,
                "{what}: object {} {}/{} is written as {:?} {namespace:?}/{object_name:?}",
                object.kind,
                object.namespace,
                object.name,
                kind_of(document)
            );
            // Open finding `convert-upgrade-without-name.yaml`: an XListenerSet upgrade passes
            // a Gateway API object without `metadata.name` through without a diagnostic.
            assert!(
                !object.name.is_empty()
                    || (tolerates(strict, "convert-upgrade-without-name") && object_name.is_none()),
                "{what}: wrote {} {}/ without a name and without an error\n--- output\n{yaml}",
                object.kind,
                object.namespace
            );
        }
        // Rendering the converted objects must work whenever rendering the input does, unless
        // convert warned (e.g. a TLS entry without hosts, which cert-manager ignores on an
        // Ingress but not on a ListenerSet).
        let warned = converted
            .diagnostics
            .iter()
            .any(|d| d.severity == lsc::diag::Severity::Warning);
        if !warned && *input_renders.get_or_insert_with(|| !render_text(&text, false).failed) {
            let after = render_text(&yaml, false);
            // Open finding `convert-invalid-class-name.yaml`: a Gateway is named after an
            // ingress class that is no valid object name, without a diagnostic.
            let tolerated = |d: &Diagnostic| {
                tolerates(strict, "convert-invalid-class-name")
                    && d.object.as_ref().is_some_and(|o| o.kind == "Gateway")
                    && d.message.contains("metadata.name: Invalid value")
            };
            assert!(
                after
                    .diagnostics
                    .iter()
                    .all(|d| !d.is_error() || tolerated(d)),
                "{what}: the input renders, the converted objects do not: {:?}\n--- converted\n{yaml}",
                errors(&after.diagnostics)
            );
        }
    }
}
