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
/// a byte order mark), anything else is an error located inside the input. UTF-8 may be
/// refused only where YAML 1.2 tells UTF-16 or UTF-32 by its first bytes: a UTF-16 byte order
/// mark, or a zero byte among the first four (ASCII in UTF-32 is valid UTF-8 full of NULs,
/// which YAML does not allow anyway).
fn decode(data: &[u8]) -> Option<String> {
    let name = input_name();
    let result = source::decode(&name, data.to_vec());
    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let utf16 = body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF");
    let wide = utf16 || body.iter().take(4).any(|&b| b == 0);
    match (&result, std::str::from_utf8(body)) {
        (Ok(text), Ok(expected)) => {
            assert!(!utf16, "decode accepted a UTF-16 byte order mark");
            assert_eq!(text, expected, "decode changed valid UTF-8");
        }
        (Ok(_), Err(e)) => panic!("decode accepted invalid UTF-8: {e}"),
        (Err(d), valid) => {
            assert!(wide || valid.is_err(), "decode refused valid UTF-8: {d}");
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
    check_value_lines(&node.value, lines, at);
}

fn check_value_lines(value: &Value, lines: u32, at: &str) {
    match value {
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                check_node_lines(item, lines, &format!("{at}[{i}]"));
            }
        }
        Value::Map(map) => check_map_lines(map, lines, at),
        Value::Tagged(tagged) => check_value_lines(&tagged.value, lines, &format!("{at}!")),
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
fn check_read(read: &(Vec<Document>, Vec<Diagnostic>), text: &str) {
    let lines = line_count(text);
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
pub fn read(data: &[u8]) {
    let Some(text) = decode(data) else { return };
    let name = input_name();
    let all = source::documents(&name, &text, &Limits::default());
    check_read(&all, &text);
    assert!(
        all == source::documents(&name, &text, &Limits::default()),
        "reading the same text twice gave different results"
    );
    let shim = source::documents(&name, &text, &shim_limits());
    check_read(&shim, &text);
    if has_errors(&all.1) {
        return;
    }
    assert!(
        !has_errors(&shim.1),
        "only_kinds reports errors the full read does not: {:?}",
        errors(&shim.1)
    );
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
fn unlined(node: &Node) -> Node {
    Node {
        line: 0,
        value: unlined_value(&node.value),
    }
}

/// [`unlined`] for a value, into the value a tag holds too.
fn unlined_value(value: &Value) -> Value {
    match value {
        Value::Seq(items) => Value::Seq(items.iter().map(unlined).collect()),
        Value::Map(map) => Value::Map(unlined_map(map)),
        Value::Tagged(tagged) => Value::Tagged(Box::new(lsc::source::tree::Tagged {
            tag: tagged.tag.clone(),
            value: unlined_value(&tagged.value),
        })),
        other => other.clone(),
    }
}

fn unlined_map(map: &Map) -> Map {
    Map {
        entries: map
            .entries
            .iter()
            .map(|e| lsc::source::tree::Entry {
                key: e.key.clone(),
                key_line: 0,
                value: unlined(&e.value),
            })
            .collect(),
    }
}

/// Reads emitted text back (with every kind) and checks it holds exactly `nodes`, lines aside.
fn check_reparses(what: &str, text: &str, nodes: &[&Node]) -> Vec<Document> {
    let (documents, diagnostics) = source::documents(&input_name(), text, &Limits::default());
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
        let back = unlined(&Node::new(Value::Map(document.root.clone())));
        let written = unlined(node);
        assert!(
            back == written,
            "{what} reads back different: wrote {written:?}\nread {back:?}\n--- output\n{text}"
        );
    }
    documents
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
pub fn render(data: &[u8]) {
    let Some(text) = decode(data) else { return };
    let shim = render_text(&text, false);
    assert!(
        shim == render_text(&text, false),
        "rendering the same input twice gave different results"
    );
    check_rendered("render", &shim);
    let all = render_text(&text, true);
    check_rendered("render --all", &all);
    if !shim.failed && !all.failed {
        assert!(
            shim.certificates == all.certificates,
            "render and render --all give different Certificates\n--- render\n{}\n--- render --all\n{}",
            shim.yaml,
            all.yaml
        );
    }
}

fn check_rendered(what: &str, rendered: &Rendered) {
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
    check_reparses(&format!("{what} YAML"), &rendered.yaml, &nodes);
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
        let back = unlined(&Node::new(Value::Map(item.root.clone())));
        assert!(
            back == unlined(certificate),
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
/// with `--tls-in gateway --listenerset-api v1alpha1`. Checks: converting twice, keeping trees
/// and then YAML text, gives the same result; when nothing failed, no two objects share kind, namespace and name, the YAML reads
/// back without error into exactly the objects (whose kind, namespace and name are what `--out`
/// names files after); and when the input renders without error, so do the converted objects.
pub fn convert(data: &[u8]) {
    let Some(text) = decode(data) else { return };
    let name = input_name();
    let (documents, diagnostics) = source::documents(&name, &text, &Limits::default());
    let mut input_renders = None;
    for options in convert_options() {
        let converted = lsc::convert::convert_documents(&documents, &options);
        // The CLI keeps objects as YAML text (`Keep::Yaml`): it must change nothing.
        let as_text = lsc::convert::ConvertOptions {
            keep: lsc::convert::Keep::Yaml,
            ..options.clone()
        };
        let again = lsc::convert::convert_documents(&documents, &as_text);
        let same_objects = converted.objects.len() == again.objects.len()
            && converted.objects.iter().zip(&again.objects).all(|(a, b)| {
                (&a.kind, &a.namespace, &a.name) == (&b.kind, &b.namespace, &b.name)
                    && a.yaml() == b.yaml()
            });
        assert!(
            same_objects
                && converted.diagnostics == again.diagnostics
                && converted.replaced == again.replaced,
            "converting the same input twice (keeping trees, then YAML) gave different results"
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
        let twice: Vec<_> = ids.windows(2).filter(|w| w.first() == w.last()).collect();
        assert!(
            twice.is_empty(),
            "{what} wrote two objects of the same kind, namespace and name: {twice:?}"
        );
        let trees: Vec<Node> = converted
            .objects
            .iter()
            .map(|o| o.tree().into_owned())
            .collect();
        let nodes: Vec<&Node> = trees.iter().collect();
        let yaml = lsc::emit::converted(lsc::emit::Format::Yaml, &converted.objects);
        let back = check_reparses(&format!("{what} YAML"), &yaml, &nodes);
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
            assert!(
                !object.name.is_empty(),
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
            assert!(
                !has_errors(&after.diagnostics),
                "{what}: the input renders, the converted objects do not: {:?}\n--- converted\n{yaml}",
                errors(&after.diagnostics)
            );
        }
    }
}

/// A file of this process and thread to hand `check` its input (it reads inputs by path, as
/// the CLI does); named apart so the regression tests' threads do not share one.
fn scratch_file(data: &[u8]) -> std::path::PathBuf {
    let thread = format!("{:?}", std::thread::current().id());
    let tag: String = thread.chars().filter(char::is_ascii_digit).collect();
    let path =
        std::env::temp_dir().join(format!("lsc-fuzz-check-{}-{tag}.yaml", std::process::id()));
    std::fs::write(&path, data).expect("cannot write the fuzz input to a scratch file");
    path
}

/// `lsc check` on one file, with the human format's source lines kept.
fn check_file(path: &std::path::Path) -> lsc::check::Checked {
    let inputs = [source::InputSource::File {
        path: path.to_path_buf(),
        display: input_name(),
    }];
    let options = lsc::check::CheckOptions {
        source_lines: true,
        ..lsc::check::CheckOptions::default()
    };
    lsc::check::check(&inputs, &options)
}

/// How much the human format may print for one finding beyond its message and object: the
/// location, a window of its source line with carets, the help line. Generous, but independent
/// of the input's size, so a long line cannot make every finding reprint it.
const HUMAN_BYTES_PER_FINDING: usize = 2048;

/// Target `check`: bytes → a file → `lsc check` → the human, JSON, GitHub and SARIF formats.
/// Checks: checking twice gives the same findings; every finding is located on a line of the
/// input; the human format prints a bounded number of bytes per finding (not the whole line
/// again: a one-line JSON List with many findings must not print the line each time); the JSON
/// and SARIF formats are JSON.
pub fn check(data: &[u8]) {
    let path = scratch_file(data);
    let checked = check_file(&path);
    let again = check_file(&path);
    let _ = std::fs::remove_file(&path);
    assert!(
        checked.findings == again.findings && checked.discovery == again.discovery,
        "checking the same input twice gave different findings"
    );
    let lines = line_count(&String::from_utf8_lossy(data));
    for finding in &checked.findings {
        if let Some(l) = &finding.diagnostic.location {
            assert!(
                l.line <= lines,
                "finding {} at line {}, input has {lines} lines: {}",
                finding.code,
                l.line,
                finding.diagnostic
            );
        }
    }
    use lsc::emit::findings::{FindingFormat, render};
    let human = render(
        FindingFormat::Human { color: false },
        &checked.findings,
        &checked.sources,
    );
    let said: usize = checked
        .findings
        .iter()
        .map(|f| {
            f.diagnostic.message.len()
                + f.diagnostic
                    .object
                    .as_ref()
                    .map_or(0, |o| o.to_string().len())
        })
        .sum();
    let bound = said + HUMAN_BYTES_PER_FINDING * checked.findings.len() + 256;
    assert!(
        human.len() <= bound,
        "the human format printed {} bytes for {} findings (at most {bound} expected)",
        human.len(),
        checked.findings.len()
    );
    for format in [FindingFormat::Json, FindingFormat::Sarif] {
        let text = render(format, &checked.findings, &checked.sources);
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
            panic!("check {format:?} is not JSON: {e}\n--- output\n{text}");
        }
    }
    let _ = render(FindingFormat::Github, &checked.findings, &checked.sources);
}

/// Target `function`: bytes → `lsc fn` (the KRM function on a ResourceList). Checks: the same
/// input gives the same output twice; when it succeeds, the output reads back without error as
/// one ResourceList, holding at least the items given when it rendered (rendering adds, never
/// drops); when it fails, it said why.
pub fn function(data: &[u8]) {
    let Some(text) = decode(data) else { return };
    let limits = Limits::default();
    let outcome = lsc::krm::run(&text, &limits);
    let again = lsc::krm::run(&text, &limits);
    assert!(
        outcome.stdout == again.stdout && outcome.failed == again.failed,
        "running the function twice on the same input gave different results"
    );
    if outcome.failed {
        assert!(
            !outcome.diagnostics.is_empty() || !outcome.stdout.is_empty(),
            "the function failed without saying why"
        );
        return;
    }
    // Read as the function reads its input: `source::documents` would unpack the List.
    // (kind, number of items, whether a functionConfig is given)
    let items = |text: &str| -> Result<Option<(Option<String>, usize, bool)>, String> {
        let (documents, error) = source::yaml::parse_documents(text, &limits);
        if let Some(e) = error {
            return Err(format!("line {}: {}", e.line, e.message));
        }
        let roots: Vec<Node> = documents.into_iter().filter_map(|d| d.root).collect();
        let [root] = roots.as_slice() else {
            return Err(format!("{} documents", roots.len()));
        };
        let Some(map) = root.as_map() else {
            return Ok(None);
        };
        let kind = map
            .get_value("kind")
            .and_then(|n| n.value.as_str())
            .map(str::to_string);
        let count = match map.get_value("items").map(|n| &n.value) {
            Some(Value::Seq(items)) => items.len(),
            _ => 0,
        };
        let configured = map
            .get_value("functionConfig")
            .is_some_and(|n| !matches!(n.value, Value::Null));
        Ok(Some((kind, count, configured)))
    };
    let written = match items(&outcome.stdout) {
        Ok(Some(written)) => written,
        Ok(None) => panic!(
            "the function's output is not a mapping\n--- output\n{}",
            outcome.stdout
        ),
        Err(e) => panic!(
            "the function's output does not read back as one ResourceList: {e}\n--- output\n{}",
            outcome.stdout
        ),
    };
    assert!(
        written.0.as_deref() == Some("ResourceList"),
        "the function wrote a {:?}, not a ResourceList",
        written.0
    );
    // Rendering adds Certificates to the items; converting replaces them (and keeps only the
    // last of two definitions), so only rendering is held to keeping every item.
    let Some((_, items_in, false)) = items(&text).ok().flatten() else {
        return;
    };
    let items_out = written.1;
    assert!(
        items_out >= items_in,
        "the function was given {items_in} items and wrote {items_out}\n--- output\n{}",
        outcome.stdout
    );
}
