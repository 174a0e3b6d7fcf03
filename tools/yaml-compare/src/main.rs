//! yaml-compare: measure YAML crates for `lsc` (Kubernetes multi-document manifests).
//!
//! `cargo run --release`            -> everything (machine, checks, probes, speed); writes measured.md
//! `cargo run --release -- checks`  -> correctness / multi-doc / duplicate keys / probes only
//! `cargo run --release -- bench`   -> speed only
//! `... -- probe <parser> <case>`   -> internal: one dangerous probe (run in a child process)

use serde::Deserialize;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

type R<T> = Result<T, String>;

// ---------------------------------------------------------------------------
// Synthetic Kubernetes stream (deterministic)
// ---------------------------------------------------------------------------

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const TARGET_BYTES: usize = 20_000_000;

fn gen_stream() -> (String, usize) {
    let mut r = Rng(0x5EED_1234_ABCD_0001);
    let mut s = String::with_capacity(TARGET_BYTES + 4096);
    let mut i = 0usize;
    while s.len() < TARGET_BYTES {
        let ns = r.below(40);
        let kind = r.below(100);
        if i > 0 || r.below(2) == 0 {
            s.push_str("---\n");
        }
        match kind {
            0..=39 => {
                // ConfigMap (small; sometimes a block literal and YAML-1.1 trap values)
                let _ = write!(
                    s,
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: team-{ns}\ndata:\n  LOG_LEVEL: info\n  ENABLED: \"on\"\n"
                );
                if r.below(3) == 0 {
                    let _ = write!(
                        s,
                        "  app.conf: |\n    listen 0.0.0.0:{}\n    workers {}\n",
                        8000 + r.below(1000),
                        1 + r.below(8)
                    );
                }
            }
            40..=69 => {
                let _ = write!(
                    s,
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\n  namespace: team-{ns}\nspec:\n  selector: {{app: web-{i}}}\n  ports:\n  - port: 80\n    targetPort: {}\n    protocol: TCP\n",
                    8000 + r.below(100)
                );
            }
            70..=79 => {
                let _ = write!(
                    s,
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i}\n  namespace: team-{ns}\n  labels:\n    app: web-{i}\nspec:\n  replicas: {}\n  selector:\n    matchLabels:\n      app: web-{i}\n  template:\n    metadata:\n      labels:\n        app: web-{i}\n    spec:\n      containers:\n      - name: app\n        image: \"registry.example.com/app:1.{}.{}\"\n        ports:\n        - containerPort: 8080\n        env:\n        - name: MODE\n          value: 'prod'\n        resources:\n          limits: {{cpu: 500m, memory: 256Mi}}\n",
                    1 + r.below(5),
                    r.below(30),
                    r.below(10)
                );
            }
            80..=89 => {
                let _ = write!(
                    s,
                    "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing-{i}\n  namespace: team-{ns}\n  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /\n    cert-manager.io/cluster-issuer: \"letsencrypt\"\nspec:\n  ingressClassName: nginx\n  tls:\n  - hosts:\n    - app{i}.example.com\n    secretName: tls-{i}\n  rules:\n  - host: app{i}.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: svc-{i}\n            port:\n              number: 80\n"
                );
            }
            _ => {
                let _ = write!(
                    s,
                    "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw-{i}\n  namespace: team-{ns}\nspec:\n  gatewayClassName: istio\n  listeners:\n  - name: http\n    protocol: HTTP\n    port: 80\n  - name: https\n    hostname: \"*.gw{i}.example.com\"\n    protocol: HTTPS\n    port: 443\n    tls:\n      mode: Terminate\n      certificateRefs:\n      - name: gw-{i}-cert\n"
                );
            }
        }
        i += 1;
    }
    (s, i)
}

// ---------------------------------------------------------------------------
// Parsers under test (each returns documents in its natural generic tree)
// ---------------------------------------------------------------------------

type J = serde_json::Value;

fn p_serde_yaml(s: &str) -> R<Vec<J>> {
    serde_yaml::Deserializer::from_str(s)
        .map(|d| J::deserialize(d).map_err(|e| e.to_string()))
        .collect()
}
fn p_serde_yaml_own(s: &str) -> R<Vec<serde_yaml::Value>> {
    serde_yaml::Deserializer::from_str(s)
        .map(|d| serde_yaml::Value::deserialize(d).map_err(|e| e.to_string()))
        .collect()
}
fn p_serde_yaml_ng(s: &str) -> R<Vec<J>> {
    serde_yaml_ng::Deserializer::from_str(s)
        .map(|d| J::deserialize(d).map_err(|e| e.to_string()))
        .collect()
}
fn p_serde_yaml_ng_own(s: &str) -> R<Vec<serde_yaml_ng::Value>> {
    serde_yaml_ng::Deserializer::from_str(s)
        .map(|d| serde_yaml_ng::Value::deserialize(d).map_err(|e| e.to_string()))
        .collect()
}

fn saphyr_opts_default() -> serde_saphyr::Options {
    serde_saphyr::Options::default()
}
/// Default budget but stream-wide counters raised so a 20 MB / 100k-document stream fits.
fn saphyr_opts_big() -> serde_saphyr::Options {
    let mut o = serde_saphyr::Options::default();
    let mut b = serde_saphyr::Budget::default();
    b.max_documents = usize::MAX;
    b.max_events = usize::MAX;
    b.max_nodes = usize::MAX;
    b.max_total_scalar_bytes = usize::MAX;
    o.budget = Some(b);
    o
}
fn saphyr_opts_nobudget() -> serde_saphyr::Options {
    let mut o = serde_saphyr::Options::default();
    o.budget = None;
    o
}
fn p_serde_saphyr_with(s: &str, o: serde_saphyr::Options) -> R<Vec<J>> {
    serde_saphyr::from_multiple_with_options::<J>(s, o).map_err(|e| one_line(&e.to_string()))
}
fn p_serde_saphyr(s: &str) -> R<Vec<J>> {
    p_serde_saphyr_with(s, saphyr_opts_default())
}
/// Streaming reader API: budget enforced per document (EnforcingPolicy::PerDocument).
fn p_serde_saphyr_read(s: &str) -> R<Vec<J>> {
    let mut rd = s.as_bytes();
    serde_saphyr::read::<_, J>(&mut rd)
        .map(|r| r.map_err(|e| one_line(&e.to_string())))
        .collect()
}

fn p_saphyr(s: &str) -> R<Vec<saphyr::Yaml<'_>>> {
    use saphyr::LoadableYamlNode;
    saphyr::Yaml::load_from_str(s).map_err(|e| e.to_string())
}
fn p_saphyr_marked(s: &str) -> R<Vec<saphyr::MarkedYaml<'_>>> {
    use saphyr::LoadableYamlNode;
    saphyr::MarkedYaml::load_from_str(s).map_err(|e| e.to_string())
}
/// MarkedYaml, but fed from saphyr-parser's borrowing StrInput (zero-copy scalars) instead of chars().
fn p_saphyr_marked_strinput(s: &str) -> R<Vec<saphyr::MarkedYaml<'_>>> {
    let mut parser = saphyr_parser::Parser::new_from_str(s);
    let mut loader: saphyr::YamlLoader<'_, saphyr::MarkedYaml<'_>> = saphyr::YamlLoader::default();
    parser.load(&mut loader, true).map_err(|e| e.to_string())?;
    if let Some(e) = loader.error() {
        return Err(e.to_string());
    }
    Ok(loader.into_documents())
}

fn p_yaml_rust2(s: &str) -> R<Vec<yaml_rust2::Yaml>> {
    yaml_rust2::YamlLoader::load_from_str(s).map_err(|e| e.to_string())
}

/// Minimal tree built from saphyr-parser events, every node carrying its start line/col.
#[allow(dead_code)]
#[derive(Debug)]
enum Mini<'a> {
    Scalar(Cow<'a, str>, saphyr_parser::ScalarStyle, u32, u32),
    Seq(Vec<Mini<'a>>, u32, u32),
    Map(Vec<(Mini<'a>, Mini<'a>)>, u32, u32),
    Alias(usize, u32, u32),
}
struct MiniDoc<'a> {
    line: u32,
    root: Option<Mini<'a>>,
}
enum Frame<'a> {
    Seq(Vec<Mini<'a>>, u32, u32),
    Map(Vec<(Mini<'a>, Mini<'a>)>, Option<Mini<'a>>, u32, u32),
}
fn p_saphyr_parser_tree(s: &str) -> R<Vec<MiniDoc<'_>>> {
    use saphyr_parser::Event as E;
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut cur_doc_line = 0u32;
    let mut root: Option<Mini> = None;
    fn attach<'a>(stack: &mut [Frame<'a>], root: &mut Option<Mini<'a>>, n: Mini<'a>) {
        match stack.last_mut() {
            None => *root = Some(n),
            Some(Frame::Seq(v, ..)) => v.push(n),
            Some(Frame::Map(v, k, ..)) => match k.take() {
                None => *k = Some(n),
                Some(key) => v.push((key, n)),
            },
        }
    }
    for ev in saphyr_parser::Parser::new_from_str(s) {
        let (ev, span) = ev.map_err(|e| e.to_string())?;
        let (l, c) = (span.start.line() as u32, span.start.col() as u32);
        match ev {
            E::DocumentStart(_) => cur_doc_line = l,
            E::DocumentEnd => docs.push(MiniDoc { line: cur_doc_line, root: root.take() }),
            E::Scalar(v, st, _, _) => attach(&mut stack, &mut root, Mini::Scalar(v, st, l, c)),
            E::Alias(id) => attach(&mut stack, &mut root, Mini::Alias(id, l, c)),
            E::SequenceStart(..) => stack.push(Frame::Seq(Vec::new(), l, c)),
            E::MappingStart(..) => stack.push(Frame::Map(Vec::new(), None, l, c)),
            E::SequenceEnd | E::MappingEnd => {
                let n = match stack.pop() {
                    Some(Frame::Seq(v, l, c)) => Mini::Seq(v, l, c),
                    Some(Frame::Map(v, _, l, c)) => Mini::Map(v, l, c),
                    None => return Err("unbalanced".into()),
                };
                attach(&mut stack, &mut root, n);
            }
            _ => {}
        }
    }
    Ok(docs)
}

// Event-only passes ---------------------------------------------------------

fn ev_saphyr_parser(s: &str) -> R<usize> {
    let mut n = 0;
    for ev in saphyr_parser::Parser::new_from_str(s) {
        let (ev, _) = ev.map_err(|e| e.to_string())?;
        if matches!(ev, saphyr_parser::Event::DocumentStart(_)) {
            n += 1;
        }
    }
    Ok(n)
}
fn ev_granit(s: &str) -> R<usize> {
    use serde_saphyr::granit_parser::{Event, Parser};
    let mut n = 0;
    for ev in Parser::new_from_str(s) {
        let (ev, _) = ev.map_err(|e| e.to_string())?;
        if matches!(ev, Event::DocumentStart(..)) {
            n += 1;
        }
    }
    Ok(n)
}
struct CountDocs(usize);
impl yaml_rust2::parser::MarkedEventReceiver for CountDocs {
    fn on_event(&mut self, ev: yaml_rust2::Event, _m: yaml_rust2::scanner::Marker) {
        if matches!(ev, yaml_rust2::Event::DocumentStart) {
            self.0 += 1;
        }
    }
}
fn ev_yaml_rust2(s: &str) -> R<usize> {
    let mut p = yaml_rust2::parser::Parser::new_from_str(s);
    let mut c = CountDocs(0);
    p.load(&mut c, true).map_err(|e| e.to_string())?;
    Ok(c.0)
}

// ---------------------------------------------------------------------------
// Describing scalars
// ---------------------------------------------------------------------------

fn one_line(s: &str) -> String {
    let l = s.lines().next().unwrap_or("").trim();
    let l: String = l.chars().take(90).collect();
    l.replace('|', "\\|")
}

fn d_json(v: &J) -> String {
    match v {
        J::Null => "null".into(),
        J::Bool(b) => format!("bool {b}"),
        J::Number(n) if n.is_f64() => format!("float {n}"),
        J::Number(n) => format!("int {n}"),
        J::String(s) => format!("str \"{s}\""),
        J::Array(_) => "seq".into(),
        J::Object(_) => "map".into(),
    }
}
fn d_scalar(s: &saphyr::Scalar) -> String {
    match s {
        saphyr::Scalar::Null => "null".into(),
        saphyr::Scalar::Boolean(b) => format!("bool {b}"),
        saphyr::Scalar::Integer(i) => format!("int {i}"),
        saphyr::Scalar::FloatingPoint(f) => format!("float {}", f.0),
        saphyr::Scalar::String(s) => format!("str \"{s}\""),
    }
}
fn d_saphyr(y: &saphyr::Yaml) -> String {
    match y {
        saphyr::Yaml::Value(s) => d_scalar(s),
        saphyr::Yaml::BadValue => "BadValue".into(),
        other => format!("{other:?}").chars().take(40).collect(),
    }
}
fn d_yr2(y: &yaml_rust2::Yaml) -> String {
    use yaml_rust2::Yaml as Y;
    match y {
        Y::Null => "null".into(),
        Y::Boolean(b) => format!("bool {b}"),
        Y::Integer(i) => format!("int {i}"),
        Y::Real(r) => format!("float {r}"),
        Y::String(s) => format!("str \"{s}\""),
        Y::BadValue => "BadValue".into(),
        other => format!("{other:?}").chars().take(40).collect(),
    }
}

fn scalar_of(parser: &str, doc: &str) -> String {
    let r: R<String> = (|| -> R<String> {
        Ok(match parser {
            "serde_yaml" => d_json(&p_serde_yaml(doc)?[0]["v"]),
            "serde_yaml_ng" => d_json(&p_serde_yaml_ng(doc)?[0]["v"]),
            "serde-saphyr" => d_json(&p_serde_saphyr(doc)?[0]["v"]),
            "serde-saphyr strict_booleans" => {
                let mut o = serde_saphyr::Options::default();
                o.strict_booleans = true;
                d_json(&p_serde_saphyr_with(doc, o)?[0]["v"])
            }
            "saphyr" => d_saphyr(&p_saphyr(doc)?[0]["v"]),
            "yaml-rust2" => d_yr2(&p_yaml_rust2(doc)?[0]["v"]),
            _ => unreachable!(),
        })
    })();
    r.unwrap_or_else(|e| format!("ERR: {}", one_line(&e)))
}

const TREE_PARSERS: [&str; 6] = ["serde_yaml", "serde_yaml_ng", "serde-saphyr", "serde-saphyr strict_booleans", "saphyr", "yaml-rust2"];

fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for r in rows {
        let _ = writeln!(out, "| {} |", r.join(" | "));
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------
// Section 2: scalar resolution
// ---------------------------------------------------------------------------

fn section_scalars(out: &mut String) {
    let cases = [
        "on", "off", "yes", "no", "y", "n", "On", "YES", "true", "false", "True", "TRUE", "0777",
        "0o777", "0x1F", "1e3", "1_000", "+12", ".inf", ".NaN", "~", "null", "Null", "",
        "2024-01-02", "\"0777\"",
    ];
    let _ = writeln!(
        out,
        "## 2. Scalar resolution (document `v: <input>`, value read back untyped)\n\n\
         serde crates deserialize into `serde_json::Value`; saphyr into `saphyr::Yaml`; yaml-rust2 into `yaml_rust2::Yaml`.\n\
         saphyr-parser only yields raw scalars (text + style): resolution is the caller's job (saphyr's `Scalar::parse_from_cow` can be reused).\n"
    );
    let mut hdr = vec!["input"];
    hdr.extend(TREE_PARSERS);
    let rows: Vec<Vec<String>> = cases
        .iter()
        .map(|c| {
            let doc = if c.is_empty() { "v:\n".to_string() } else { format!("v: {c}\n") };
            let mut row = vec![if c.is_empty() { "(empty)".into() } else { format!("`{}`", c) }];
            row.extend(TREE_PARSERS.iter().map(|p| scalar_of(p, &doc)));
            row
        })
        .collect();
    table(out, &hdr, &rows);
}

// ---------------------------------------------------------------------------
// Section 3: multi-document & locations
// ---------------------------------------------------------------------------

fn count_docs(parser: &str, s: &str) -> String {
    let r: R<usize> = match parser {
        "serde_yaml" => p_serde_yaml(s).map(|v| v.len()),
        "serde_yaml_ng" => p_serde_yaml_ng(s).map(|v| v.len()),
        "serde-saphyr" => p_serde_saphyr(s).map(|v| v.len()),
        "saphyr" => p_saphyr(s).map(|v| v.len()),
        "saphyr (MarkedYaml)" => p_saphyr_marked(s).map(|v| v.len()),
        "saphyr-parser" => p_saphyr_parser_tree(s).map(|v| v.len()),
        "yaml-rust2" => p_yaml_rust2(s).map(|v| v.len()),
        _ => unreachable!(),
    };
    match r {
        Ok(n) => n.to_string(),
        Err(e) => format!("ERR: {}", one_line(&e)),
    }
}

const ALL_PARSERS: [&str; 7] = [
    "serde_yaml",
    "serde_yaml_ng",
    "serde-saphyr",
    "saphyr",
    "saphyr (MarkedYaml)",
    "saphyr-parser",
    "yaml-rust2",
];

const LOC_DOC: &str = "a: 1\n---\n# comment\nkind: Service\nspec:\n  ports:\n  - port: 80\n    name: web\n";

fn doc_lines(parser: &str) -> String {
    match parser {
        "saphyr (MarkedYaml)" => match p_saphyr_marked(LOC_DOC) {
            Ok(d) => format!(
                "{} (root node span = first node, not `---`)",
                d.iter().map(|n| n.span.start.line().to_string()).collect::<Vec<_>>().join(",")
            ),
            Err(e) => e,
        },
        "saphyr-parser" => match p_saphyr_parser_tree(LOC_DOC) {
            Ok(d) => format!("{} (`DocumentStart` event span = `---` line)", d.iter().map(|n| n.line.to_string()).collect::<Vec<_>>().join(",")),
            Err(e) => e,
        },
        "yaml-rust2" => {
            struct Docs(Vec<usize>);
            impl yaml_rust2::parser::MarkedEventReceiver for Docs {
                fn on_event(&mut self, ev: yaml_rust2::Event, m: yaml_rust2::scanner::Marker) {
                    if matches!(ev, yaml_rust2::Event::DocumentStart) {
                        self.0.push(m.line());
                    }
                }
            }
            let mut d = Docs(vec![]);
            let _ = yaml_rust2::parser::Parser::new_from_str(LOC_DOC).load(&mut d, true);
            format!("{} (event API)", d.0.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(","))
        }
        "serde-saphyr" => match serde_saphyr::from_multiple::<serde_saphyr::Spanned<J>>(LOC_DOC) {
            Ok(d) => format!(
                "{} (`Spanned<Value>` root = first node, not `---`)",
                d.iter().map(|x| x.referenced.line().to_string()).collect::<Vec<_>>().join(",")
            ),
            Err(e) => one_line(&e.to_string()),
        },
        _ => "none".into(),
    }
}

/// line:col of the scalar `name` key's value `web` (expected 8:10, 1-based line, 0-based col = 10)
fn node_pos(parser: &str) -> String {
    match parser {
        "saphyr (MarkedYaml)" => match p_saphyr_marked(LOC_DOC) {
            Ok(d) => {
                fn g<'x, 'i>(y: &'x saphyr::MarkedYaml<'i>, k: &str) -> &'x saphyr::MarkedYaml<'i> {
                    y.data.as_mapping_get(k).unwrap()
                }
                let ports = g(g(&d[1], "spec"), "ports");
                let web = g(ports.data.as_sequence_get(0).unwrap(), "name");
                let kind = g(&d[1], "kind");
                format!(
                    "`web` at {}:{} (col 0-based), `Service` at {}:{}",
                    web.span.start.line(),
                    web.span.start.col(),
                    kind.span.start.line(),
                    kind.span.start.col()
                )
            }
            Err(e) => e,
        },
        "saphyr-parser" => {
            let mut found = String::new();
            for ev in saphyr_parser::Parser::new_from_str(LOC_DOC) {
                if let Ok((saphyr_parser::Event::Scalar(v, ..), sp)) = ev {
                    if v == "web" {
                        found = format!("`web` at {}:{} (span start+end per event)", sp.start.line(), sp.start.col());
                    }
                }
            }
            found
        }
        "serde-saphyr" => {
            #[derive(Deserialize)]
            struct Port {
                name: serde_saphyr::Spanned<String>,
            }
            #[derive(Deserialize)]
            struct Spec {
                ports: Vec<Port>,
            }
            #[derive(Deserialize)]
            struct Doc {
                spec: Spec,
            }
            let doc2 = LOC_DOC.split("---\n").nth(1).unwrap();
            match serde_saphyr::from_str::<Doc>(doc2) {
                Ok(d) => format!(
                    "only via typed `Spanned<T>` fields: `web` at {}:{} (1-based col; line relative to the string given)",
                    d.spec.ports[0].name.referenced.line() + 2,
                    d.spec.ports[0].name.referenced.column()
                ),
                Err(e) => one_line(&e.to_string()),
            }
        }
        "yaml-rust2" => {
            struct Find(String);
            impl yaml_rust2::parser::MarkedEventReceiver for Find {
                fn on_event(&mut self, ev: yaml_rust2::Event, m: yaml_rust2::scanner::Marker) {
                    if let yaml_rust2::Event::Scalar(v, ..) = ev {
                        if v == "web" {
                            self.0 = format!("`web` at {}:{} via event API only; `Yaml` tree has none", m.line(), m.col());
                        }
                    }
                }
            }
            let mut f = Find(String::new());
            let _ = yaml_rust2::parser::Parser::new_from_str(LOC_DOC).load(&mut f, true);
            f.0
        }
        "saphyr" => "none on `Yaml` (use MarkedYaml)".into(),
        _ => "none (error `Location` only)".into(),
    }
}

fn section_multidoc(out: &mut String) {
    let streams: [(&str, &str); 5] = [
        ("`a: 1\\n---\\nb: 2\\n---\\nc: 3` (3 docs)", "a: 1\n---\nb: 2\n---\nc: 3\n"),
        ("`--- a: 1\\n...\\n---\\nb: 2\\n...` (2 docs, `...` markers)", "--- \na: 1\n...\n---\nb: 2\n...\n"),
        ("`a: 1\\n...\\nb: 2` (bare doc after `...`, 2 docs)", "a: 1\n...\nb: 2\n"),
        ("`a: 1\\n---\\n---\\nb: 2` (3 docs, middle empty)", "a: 1\n---\n---\nb: 2\n"),
        ("`---\\n# only comment\\n` (1 empty doc)", "---\n# only comment\n"),
    ];
    let _ = writeln!(out, "## 3. Multi-document streams and locations\n\nDocuments returned:\n");
    let mut hdr = vec!["stream"];
    hdr.extend(ALL_PARSERS);
    let rows: Vec<Vec<String>> = streams
        .iter()
        .map(|(name, s)| {
            let mut row = vec![name.to_string()];
            row.extend(ALL_PARSERS.iter().map(|p| count_docs(p, s)));
            row
        })
        .collect();
    table(out, &hdr, &rows);
    let _ = writeln!(
        out,
        "Locations, on `a: 1\\n---\\n# comment\\nkind: Service\\nspec:\\n  ports:\\n  - port: 80\\n    name: web` (`web` is on line 8, 1-based; column 10 0-based):\n"
    );
    let rows: Vec<Vec<String>> = ALL_PARSERS
        .iter()
        .map(|p| vec![p.to_string(), doc_lines(p), node_pos(p)])
        .collect();
    table(out, &["parser", "per-document start lines", "per-node line/col"], &rows);
}

// ---------------------------------------------------------------------------
// Section 5: duplicate keys
// ---------------------------------------------------------------------------

fn dup(parser: &str, s: &str, nested: bool) -> String {
    let r: R<String> = match parser {
        "serde_yaml → serde_json::Value" => p_serde_yaml(s).map(|d| d_json(if nested { &d[0]["b"]["a"] } else { &d[0]["a"] })),
        "serde_yaml → serde_yaml::Value" => p_serde_yaml_own(s).map(|d| format!("{:?}", if nested { &d[0]["b"]["a"] } else { &d[0]["a"] })),
        "serde_yaml_ng → serde_json::Value" => p_serde_yaml_ng(s).map(|d| d_json(if nested { &d[0]["b"]["a"] } else { &d[0]["a"] })),
        "serde_yaml_ng → serde_yaml_ng::Value" => p_serde_yaml_ng_own(s).map(|d| format!("{:?}", if nested { &d[0]["b"]["a"] } else { &d[0]["a"] })),
        "serde-saphyr (default Error policy)" => p_serde_saphyr(s).map(|d| d_json(if nested { &d[0]["b"]["a"] } else { &d[0]["a"] })),
        "saphyr" => p_saphyr(s).map(|d| d_saphyr(if nested { &d[0]["b"]["a"] } else { &d[0]["a"] })),
        "saphyr (MarkedYaml)" => p_saphyr_marked(s).map(|d| format!("{:?}", d[0].data.as_mapping_get("a").map(|x| &x.data))),
        "saphyr-parser" => p_saphyr_parser_tree(s).map(|d| match &d[0].root {
            Some(Mini::Map(v, ..)) => format!("events only: {} pairs kept, caller decides", v.len()),
            _ => "?".into(),
        }),
        "yaml-rust2" => p_yaml_rust2(s).map(|d| d_yr2(if nested { &d[0]["b"]["a"] } else { &d[0]["a"] })),
        _ => unreachable!(),
    };
    r.unwrap_or_else(|e| format!("ERR: {}", one_line(&e)))
}

fn section_dup(out: &mut String) {
    let _ = writeln!(out, "## 5. Duplicate mapping keys (`a: 1\\na: 2`)\n");
    let ps = [
        "serde_yaml → serde_json::Value",
        "serde_yaml → serde_yaml::Value",
        "serde_yaml_ng → serde_json::Value",
        "serde_yaml_ng → serde_yaml_ng::Value",
        "serde-saphyr (default Error policy)",
        "saphyr",
        "saphyr (MarkedYaml)",
        "saphyr-parser",
        "yaml-rust2",
    ];
    let rows: Vec<Vec<String>> = ps
        .iter()
        .map(|p| vec![p.to_string(), dup(p, "a: 1\na: 2\n", false), dup(p, "b: {a: 1, a: 2}\n", true)])
        .collect();
    table(out, &["parser", "`a: 1\\na: 2` → value of `a`", "nested flow dup `b: {a: 1, a: 2}` → value of `b.a`"], &rows);
}

// ---------------------------------------------------------------------------
// Section 4: dangerous probes (child process, ulimit -v 4 GiB, 10 s timeout)
// ---------------------------------------------------------------------------

fn bomb(levels: usize, fan: usize) -> String {
    let names: Vec<String> = (0..levels).map(|i| format!("l{i}")).collect();
    let mut s = format!("{}: &{} [{}]\n", names[0], names[0], vec!["\"lol\""; fan].join(", "));
    for i in 1..levels {
        let refs = vec![format!("*{}", names[i - 1]); fan].join(", ");
        let _ = writeln!(s, "{}: &{} [{}]", names[i], names[i], refs);
    }
    s
}

fn probe_input(case: &str) -> String {
    match case {
        "bomb9x9" => bomb(9, 9),
        "bomb4x9" => bomb(4, 9),
        "flow200" => format!("{}1{}\n", "[".repeat(200), "]".repeat(200)),
        "flow100k" => format!("{}1{}\n", "[".repeat(100_000), "]".repeat(100_000)),
        "block1k" => format!("{}x\n", "- ".repeat(1_000)),
        "block10k" => format!("{}x\n", "- ".repeat(10_000)),
        "block100k" => format!("{}x\n", "- ".repeat(100_000)),
        _ => panic!("unknown case"),
    }
}

fn count_json(v: &J) -> u64 {
    match v {
        J::Array(a) => 1 + a.iter().map(count_json).sum::<u64>(),
        J::Object(o) => 1 + o.values().map(count_json).sum::<u64>(),
        _ => 1,
    }
}
fn count_saphyr(v: &saphyr::Yaml) -> u64 {
    match v {
        saphyr::Yaml::Sequence(a) => 1 + a.iter().map(count_saphyr).sum::<u64>(),
        saphyr::Yaml::Mapping(o) => 1 + o.values().map(count_saphyr).sum::<u64>(),
        _ => 1,
    }
}
fn count_marked(v: &saphyr::MarkedYaml) -> u64 {
    match &v.data {
        saphyr::YamlData::Sequence(a) => 1 + a.iter().map(count_marked).sum::<u64>(),
        saphyr::YamlData::Mapping(o) => 1 + o.values().map(count_marked).sum::<u64>(),
        _ => 1,
    }
}
fn count_yr2(v: &yaml_rust2::Yaml) -> u64 {
    match v {
        yaml_rust2::Yaml::Array(a) => 1 + a.iter().map(count_yr2).sum::<u64>(),
        yaml_rust2::Yaml::Hash(o) => 1 + o.values().map(count_yr2).sum::<u64>(),
        _ => 1,
    }
}

fn vm_hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM")).map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string()))
        .map(|kb| format!("{} MB", kb.parse::<u64>().unwrap_or(0) / 1024))
        .unwrap_or_default()
}

const PROBE_PARSERS: [&str; 9] = [
    "serde_yaml",
    "serde_yaml_ng",
    "serde-saphyr",
    "serde-saphyr(budget=None)",
    "saphyr",
    "saphyr(MarkedYaml)",
    "saphyr-parser(events)",
    "granit-parser(events)",
    "yaml-rust2",
];

fn run_probe(parser: &str, case: &str) {
    let input = probe_input(case);
    let count = case.starts_with("bomb");
    let t = Instant::now();
    macro_rules! go {
        ($r:expr, $cnt:expr) => {{
            match $r {
                Ok(docs) => {
                    let n: u64 = if count { docs.iter().map($cnt).sum() } else { 0 };
                    println!(
                        "OK{} in {} ms, peak {}",
                        if count { format!(", {n} nodes") } else { String::new() },
                        t.elapsed().as_millis(),
                        vm_hwm()
                    );
                    let _ = std::io::stdout().flush();
                    drop(docs);
                    println!("DROPPED");
                }
                Err(e) => println!("ERR {} ms: {}", t.elapsed().as_millis(), one_line(&e)),
            }
        }};
    }
    match parser {
        "serde_yaml" => go!(p_serde_yaml(&input), count_json),
        "serde_yaml_ng" => go!(p_serde_yaml_ng(&input), count_json),
        "serde-saphyr" => go!(p_serde_saphyr(&input), count_json),
        "serde-saphyr(budget=None)" => go!(p_serde_saphyr_with(&input, saphyr_opts_nobudget()), count_json),
        "saphyr" => go!(p_saphyr(&input), count_saphyr),
        "saphyr(MarkedYaml)" => go!(p_saphyr_marked(&input), count_marked),
        "saphyr-parser(events)" => go!(ev_saphyr_parser(&input).map(|n| vec![n as u64]), |_| 0u64),
        "granit-parser(events)" => go!(ev_granit(&input).map(|n| vec![n as u64]), |_| 0u64),
        "yaml-rust2" => go!(p_yaml_rust2(&input), count_yr2),
        _ => panic!("unknown parser"),
    }
}

fn spawn_probe(parser: &str, case: &str) -> String {
    let exe = std::env::current_exe().unwrap();
    // 4 GiB address-space cap; the parent enforces a 10 s wall-clock timeout.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4194304; exec \"$0\" probe \"$1\" \"$2\"")
        .arg(&exe)
        .arg(parser)
        .arg(case)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let t = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break Some(st);
        }
        if t.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let o = child.wait_with_output().unwrap();
    let so = String::from_utf8_lossy(&o.stdout).to_string();
    let se = String::from_utf8_lossy(&o.stderr).to_string();
    let first = so.lines().next().unwrap_or("").to_string();
    let Some(st) = status else {
        return format!("**TIMEOUT >10 s** (killed){}", if first.is_empty() { String::new() } else { format!("; {first}") });
    };
    use std::os::unix::process::ExitStatusExt;
    if st.success() {
        if so.contains("DROPPED") {
            return first;
        }
        return if first.starts_with("OK") { format!("{first} (no DROPPED line)") } else { first };
    }
    let why = if se.contains("overflowed its stack") {
        "stack overflow".to_string()
    } else if se.contains("memory allocation") || se.contains("capacity overflow") {
        format!("OOM ({})", one_line(se.lines().find(|l| l.contains("memory") || l.contains("capacity")).unwrap_or("")))
    } else if se.contains("panicked") {
        format!("panic: {}", one_line(se.lines().skip_while(|l| !l.contains("panicked")).nth(1).unwrap_or("")))
    } else {
        one_line(se.lines().last().unwrap_or(""))
    };
    let sig = st.signal().map(|s| format!("signal {s}")).unwrap_or_else(|| format!("exit {}", st.code().unwrap_or(-1)));
    let after = if so.contains("OK") && !so.contains("DROPPED") { format!(" after parse `{first}` (crashed on drop)") } else { String::new() };
    format!("**CRASH** {sig}: {why}{after}")
}

fn section_probes(out: &mut String) {
    let cases = [
        ("bomb9x9", "alias bomb 9 levels × 9 aliases (9⁹ ≈ 387 M leaves)"),
        ("bomb4x9", "small alias use 4 × 9 (6 561 leaves, 27 aliases)"),
        ("flow200", "flow nesting depth 200 `[[[…1…]]]`"),
        ("flow100k", "flow nesting depth 100 000"),
        ("block1k", "block nesting depth 1 000 (`- - - … x`, 2 KB)"),
        ("block10k", "block nesting depth 10 000 (20 KB)"),
        ("block100k", "block nesting depth 100 000 (200 KB)"),
    ];
    let _ = writeln!(
        out,
        "## 4. Alias bombs and nesting depth (each probe in a child process: `ulimit -v 4 GiB`, 10 s timeout)\n\n\
         `OK` = parsed (node count for bombs, time, peak RSS); `ERR` = refused with an error; CRASH/TIMEOUT = blew up.\n"
    );
    for (case, title) in cases {
        let _ = writeln!(out, "### {title}\n");
        let rows: Vec<Vec<String>> = PROBE_PARSERS
            .iter()
            .map(|p| {
                eprint!("  probe {p} {case} ... ");
                let r = spawn_probe(p, case);
                eprintln!("{r}");
                vec![p.to_string(), r]
            })
            .collect();
        table(out, &["parser", "result"], &rows);
    }
}

// ---------------------------------------------------------------------------
// Section 1: speed
// ---------------------------------------------------------------------------

fn bench<'a, T>(out_rows: &mut Vec<Vec<String>>, name: &str, what: &str, s: &'a str, f: impl Fn(&'a str) -> R<T>, n: impl Fn(&T) -> usize) {
    let mut best = Duration::MAX;
    let mut docs = 0;
    let mut err = None;
    for _ in 0..5 {
        let t = Instant::now();
        let r = f(s);
        let el = t.elapsed();
        match r {
            Ok(v) => {
                docs = n(&v);
                best = best.min(el);
                drop(v); // dropping excluded from timing
            }
            Err(e) => {
                err = Some(format!("ERR after {} ms: {}", el.as_millis(), one_line(&e)));
                break;
            }
        }
    }
    let row = if let Some(e) = err {
        vec![name.into(), what.into(), "-".into(), "-".into(), "-".into(), e]
    } else {
        let ms = best.as_secs_f64() * 1e3;
        vec![
            name.into(),
            what.into(),
            format!("{ms:.0}"),
            format!("{:.1}", s.len() as f64 / 1e6 / best.as_secs_f64()),
            docs.to_string(),
            String::new(),
        ]
    };
    eprintln!("  {}", row.join(" | "));
    out_rows.push(row);
}

fn split2(s: &str) -> (&str, &str) {
    let mid = s.len() / 2;
    let cut = s[mid..].find("\n---\n").map(|i| mid + i + 1).unwrap_or(s.len());
    (&s[..cut], &s[cut..])
}
fn par2<'a, T: Send>(a: &'a str, b: &'a str, f: impl Fn(&'a str) -> R<Vec<T>> + Sync) -> R<Vec<T>> {
    std::thread::scope(|sc| {
        let h = sc.spawn(|| f(b));
        let mut x = f(a)?;
        x.extend(h.join().unwrap()?);
        Ok(x)
    })
}

fn section_speed(out: &mut String) {
    let t = Instant::now();
    let (s, ndocs) = gen_stream();
    eprintln!("generated {} bytes, {} docs in {:?}", s.len(), ndocs, t.elapsed());
    let _ = writeln!(
        out,
        "## 1. Speed (synthetic stream: {:.2} MB, {} documents; best of 5, single thread, release; tree drop not timed)\n\n\
         Mix: 40% ConfigMap (⅓ with a `|` block literal), 30% Service (flow map selector), 10% Deployment, 10% Ingress (annotations + TLS), 10% Gateway (listeners + TLS).\n",
        s.len() as f64 / 1e6,
        ndocs
    );
    let mut rows = Vec::new();
    let len = |v: &Vec<J>| v.len();
    bench(&mut rows, "serde_yaml 0.9", "→ serde_json::Value", &s, p_serde_yaml, len);
    bench(&mut rows, "serde_yaml_ng", "→ serde_json::Value", &s, p_serde_yaml_ng, len);
    bench(&mut rows, "serde-saphyr", "→ serde_json::Value, default Options (stream-wide Budget)", &s, p_serde_saphyr, len);
    bench(&mut rows, "serde-saphyr", "→ serde_json::Value, Budget with max_documents/events/nodes/scalar_bytes raised", &s, |x| p_serde_saphyr_with(x, saphyr_opts_big()), len);
    bench(&mut rows, "serde-saphyr", "→ serde_json::Value, budget = None", &s, |x| p_serde_saphyr_with(x, saphyr_opts_nobudget()), len);
    bench(&mut rows, "serde-saphyr", "`read()` streaming iterator (default Budget per document)", &s, p_serde_saphyr_read, len);
    bench(&mut rows, "saphyr", "→ Yaml (load_from_str)", &s, p_saphyr, |v| v.len());
    bench(&mut rows, "saphyr", "→ MarkedYaml (load_from_str, chars input)", &s, p_saphyr_marked, |v| v.len());
    bench(&mut rows, "saphyr", "→ MarkedYaml (Parser::new_from_str + YamlLoader, borrowed str input)", &s, p_saphyr_marked_strinput, |v| v.len());
    bench(&mut rows, "saphyr-parser", "→ own minimal tree with line/col per node", &s, p_saphyr_parser_tree, |v| v.len());
    bench(&mut rows, "yaml-rust2", "→ Yaml (YamlLoader::load_from_str)", &s, p_yaml_rust2, |v| v.len());
    bench(&mut rows, "saphyr-parser", "events only", &s, ev_saphyr_parser, |n| *n);
    bench(&mut rows, "granit-parser (serde-saphyr's parser)", "events only", &s, ev_granit, |n| *n);
    bench(&mut rows, "yaml-rust2", "events only (MarkedEventReceiver)", &s, ev_yaml_rust2, |n| *n);
    // Baseline: the same documents as JSON lines through serde_json (what "fast" looks like on this CPU).
    let json: String = p_serde_yaml(&s).unwrap().iter().map(|v| v.to_string() + "\n").collect();
    bench(&mut rows, "serde_json (baseline)", &format!("same docs as JSON lines ({:.1} MB) → Value; MB/s over the YAML size", json.len() as f64 / 1e6), &s, |_| json.lines().map(|l| serde_json::from_str::<J>(l).map_err(|e| e.to_string())).collect::<R<Vec<J>>>(), |v| v.len());
    // 2 threads: split the stream at a `\n---\n` near the middle, parse halves in parallel.
    let (a, b) = split2(&s);
    bench(&mut rows, "saphyr", "→ MarkedYaml (borrowed str input), **2 threads** (stream split at a `---` line)", &s, |_| par2(a, b, p_saphyr_marked_strinput), |v| v.len());
    bench(&mut rows, "saphyr-parser", "→ own minimal tree, **2 threads**", &s, |_| par2(a, b, p_saphyr_parser_tree), |v| v.len());
    bench(&mut rows, "serde_yaml_ng", "→ serde_json::Value, **2 threads**", &s, |_| par2(a, b, p_serde_yaml_ng), |v| v.len());
    bench(&mut rows, "serde-saphyr", "→ serde_json::Value, budget = None, **2 threads**", &s, |_| par2(a, b, |x| p_serde_saphyr_with(x, saphyr_opts_nobudget())), |v| v.len());
    let _ = writeln!(out, "serde_yaml / serde_yaml_ng have no public event API (libyaml events are internal).\n");
    table(out, &["crate", "what", "ms (best of 5)", "MB/s", "docs", "note"], &rows);
}

// ---------------------------------------------------------------------------

fn machine(out: &mut String) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_default();
    let nproc = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let rustc = Command::new("rustc").arg("--version").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
    let _ = writeln!(out, "Machine: nproc = {nproc}, CPU = `{cpu}`, {rustc}\n");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("probe") {
        run_probe(&args[2], &args[3]);
        return;
    }
    let mode = args.get(1).cloned().unwrap_or_else(|| "all".into());
    let mut out = String::from("# yaml-compare: measured results\n\n");
    machine(&mut out);
    if mode == "all" || mode == "checks" {
        eprintln!("checks ...");
        section_scalars(&mut out);
        section_multidoc(&mut out);
        section_dup(&mut out);
        section_probes(&mut out);
    }
    if mode == "all" || mode == "bench" {
        eprintln!("speed ...");
        section_speed(&mut out);
    }
    print!("{out}");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/measured.md");
    if mode == "all" {
        std::fs::write(path, &out).expect("write measured.md");
        eprintln!("wrote {path}");
    }
}
