//! lsc: cert-manager's certificate-shim and Ingress → Gateway API migration, offline, on files.
//!
//! Data flows one way: [`source`] reads inputs into documents, [`model`] parses the kinds lsc
//! understands, [`shim`] plans Certificates as pure functions, [`emit`] writes the result.

pub mod allocator;
pub mod cel;
pub mod check;
pub mod controller_config;
pub mod convert;
pub mod crd;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod golang;
pub mod krm;
pub mod model;
pub mod shim;
pub mod source;

use diag::Diagnostic;
use rayon::prelude::*;
use shim::config::ShimConfig;
use source::tree::{Node, Value};
use source::{InputSource, Limits};

/// What `lsc render` does besides the shim's own settings.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub shim: ShimConfig,
    pub limits: Limits,
    /// Print every input document before the Certificates (transformer mode).
    pub all: bool,
    pub explain: bool,
    pub format: emit::Format,
}

/// The result of a run: what goes to stdout (empty on error), the diagnostics for stderr and
/// the `--explain` text.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub diagnostics: Vec<Diagnostic>,
    pub explain: String,
    /// The model and plan the output was made from, handed back instead of freed: a caller
    /// about to exit can skip freeing them (`std::mem::forget`), which for 100,000 documents
    /// takes about as long as writing the Certificates.
    pub retained: Plan,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// What the shim planned for the inputs before anything is written: what `render` prints and
/// `diff` compares. `rendered.diagnostics` is empty: its entries are in `diagnostics`.
#[derive(Debug, Default)]
pub struct Plan {
    pub documents: Vec<source::Document>,
    /// The objects the shim read, in input order.
    pub objects: Vec<model::Object>,
    pub rendered: shim::Rendered,
    /// What went wrong finding the inputs, then reading, parsing and rendering diagnostics
    /// sorted by place.
    pub diagnostics: Vec<Diagnostic>,
    /// How many inputs read hold more than comments and document markers, to explain an
    /// empty result.
    pub inputs_with_content: usize,
}

/// Reads, parses and plans the Certificates of the inputs.
pub fn plan(inputs: &[InputSource], options: &RenderOptions) -> Plan {
    // Without `--all` only the kinds the shim reads need a tree.
    let limits = Limits {
        only_kinds: (!options.all).then_some(model::SHIM_KINDS),
        ..options.limits
    };
    if options.all {
        let loaded = source::load(inputs, &limits);
        let mut plan = plan_documents(loaded.documents, loaded.diagnostics, &loaded.names, options);
        plan.diagnostics.splice(0..0, loaded.discovery);
        return plan;
    }
    // Only the model is needed: each input's trees become objects on the thread that read
    // them and are dropped there.
    let per_input = source::load_each(inputs, &limits, |documents, mut diagnostics| {
        let (objects, mut invalid) = model::parse_all(&documents, &options.shim.default_namespace);
        diagnostics.append(&mut invalid);
        (objects, diagnostics)
    });
    let results = &per_input.results;
    let mut objects = Vec::with_capacity(results.iter().map(|(o, _)| o.len()).sum());
    let mut diagnostics = Vec::new();
    for (mut input_objects, mut input_diagnostics) in per_input.results {
        objects.append(&mut input_objects);
        diagnostics.append(&mut input_diagnostics);
    }
    diagnostics.append(&mut model::duplicates::keep_last(&mut objects));
    let mut plan = plan_objects(Vec::new(), objects, diagnostics, &per_input.names, options);
    plan.diagnostics.splice(0..0, per_input.discovery);
    plan.inputs_with_content = per_input.with_content;
    plan
}

/// [`plan`] for documents already read (a KRM function's items), with the reading
/// diagnostics so far; `order` is the input order diagnostics are sorted by. A document a
/// later one replaces (the same object defined again) is dropped from the plan's documents
/// too, so `--all` prints what `kubectl apply` of the inputs would end with.
pub fn plan_documents(
    mut documents: Vec<source::Document>,
    mut diagnostics: Vec<Diagnostic>,
    order: &[std::sync::Arc<str>],
    options: &RenderOptions,
) -> Plan {
    let mut objects = Vec::new();
    // The document each object was parsed from.
    let mut parsed_from = Vec::new();
    for (at, doc) in documents.iter().enumerate() {
        match model::parse(doc, &options.shim.default_namespace) {
            Ok(Some(object)) => {
                objects.push(object);
                parsed_from.push(at);
            }
            Ok(None) => {}
            Err(d) => diagnostics.push(d),
        }
    }
    let replaced =
        model::duplicates::find(objects.iter().map(model::duplicates::Defined::definition));
    if !replaced.positions.is_empty() {
        let replaced_documents: Vec<usize> = replaced
            .positions
            .iter()
            .filter_map(|&p| parsed_from.get(p).copied())
            .collect();
        model::duplicates::remove(&mut objects, &replaced.positions);
        model::duplicates::remove(&mut documents, &replaced_documents);
    }
    diagnostics.extend(replaced.warnings);
    plan_objects(documents, objects, diagnostics, order, options)
}

fn plan_objects(
    documents: Vec<source::Document>,
    objects: Vec<model::Object>,
    mut diagnostics: Vec<Diagnostic>,
    order: &[std::sync::Arc<str>],
    options: &RenderOptions,
) -> Plan {
    let mut rendered = shim::render(
        &objects,
        &options.shim,
        shim::Record {
            explanations: options.explain,
            claims: false,
        },
    );
    diagnostics.append(&mut rendered.diagnostics);
    diagnostics.par_extend(
        objects
            .par_iter()
            .flat_map_iter(|o| shim::annotation_keys::unread(o, &options.shim)),
    );
    diag::sort(&mut diagnostics, order);
    Plan {
        documents,
        objects,
        rendered,
        diagnostics,
        inputs_with_content: 0,
    }
}

/// The one line that explains an empty `lsc render` (a pipe into `kubectl apply` that fails
/// with "no objects passed to apply"), from how many objects the shim read and how many inputs
/// hold anything; `None` when every input was empty.
fn nothing_rendered(objects: usize, inputs: usize) -> Option<Diagnostic> {
    let message = match (objects, inputs) {
        (0, 0) => return None,
        (0, 1) => "no Certificate: the input holds no Ingress, Gateway or ListenerSet (the objects cert-manager's certificate-shim reads)".to_string(),
        (0, n) => format!(
            "no Certificate: none of the {n} inputs holds an Ingress, Gateway or ListenerSet (the objects cert-manager's certificate-shim reads)"
        ),
        (1, _) => "no Certificate: cert-manager would issue nothing for the one Ingress, Gateway or ListenerSet read (it needs an issuer annotation and TLS; `lsc check` says what is missing)".to_string(),
        (n, _) => format!(
            "no Certificate: cert-manager would issue nothing for the {n} Ingresses, Gateways and ListenerSets read (it needs an issuer annotation and TLS; `lsc check` says what is missing)"
        ),
    };
    Some(Diagnostic::note(message))
}

/// One object `lsc render` prints: an input document (`--all`) or a Certificate.
enum Output<'a> {
    Document(&'a source::Document),
    Certificate(&'a shim::certificate::Certificate),
}

/// Reads, parses and renders: the whole `lsc render` pipeline.
pub fn render(inputs: &[InputSource], options: &RenderOptions) -> Outcome {
    let mut plan = plan(inputs, options);
    let mut outcome = Outcome {
        diagnostics: std::mem::take(&mut plan.diagnostics),
        ..Outcome::default()
    };
    if diag::failed(&mut outcome.diagnostics) {
        return outcome;
    }
    let rendered = &plan.rendered;
    if rendered.certificates.is_empty() && !options.all {
        outcome.diagnostics.extend(nothing_rendered(
            plan.objects.len(),
            plan.inputs_with_content,
        ));
    }
    let passthrough: &[source::Document] = if options.all { &plan.documents } else { &[] };
    let outputs: Vec<Output> = passthrough
        .iter()
        .map(Output::Document)
        .chain(rendered.certificates.iter().map(|c| Output::Certificate(c)))
        .collect();
    outcome.stdout = emit::object_stream(
        options.format,
        &outputs,
        |output| match output {
            Output::Document(d) => Node {
                line: d.location.line,
                value: Value::Map(d.root.clone()),
            },
            Output::Certificate(c) => c.to_node(),
        },
        |out, output| match output {
            Output::Document(d) => emit::yaml::write_mapping_document(out, &d.root),
            Output::Certificate(c) => c.write_yaml(out),
        },
    );
    if options.explain {
        for certificate in &rendered.certificates {
            let id = (certificate.namespace.clone(), certificate.name.clone());
            outcome.explain.push_str(&format!(
                "Certificate {}/{}\n",
                certificate.namespace, certificate.name
            ));
            for line in rendered.explanations.get(&id).into_iter().flatten() {
                outcome.explain.push_str(&format!("  {line}\n"));
            }
        }
    }
    drop(outputs);
    outcome.retained = plan;
    outcome
}
