//! Every subcommand and flag of lsc. The doc comments are the `--help` text; completions and
//! the man page are generated from these same definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "lsc",
    version = env!("LSC_VERSION"),
    about = "cert-manager's certificate-shim and Ingress → Gateway API migration, offline, on files",
    long_about = "lsc reads Kubernetes manifests (files, folders, stdin) and prints the cert-manager \
Certificates that cert-manager would create for their Ingress, Gateway, ListenerSet and \
XListenerSet objects; converts Ingresses to Gateway API with ListenerSets; checks and diffs.\n\n\
Run without a subcommand and with a kustomize ResourceList on stdin, lsc is a KRM function \
(see `lsc fn --help`).\n\nExit codes: 0 success, 1 findings (check, diff), 2 input or usage error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Print no warnings, notes or summary lines on stderr (errors still)
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,
}

/// How a command that reads inputs runs: its threads, its colors, which links it follows and
/// what it skips in folders.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Color diagnostics and findings: auto (a terminal, and NO_COLOR unset), always or never
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,

    /// Follow symbolic links that lead out of a folder being read (never into /proc, /sys or /dev)
    #[arg(long)]
    pub follow: bool,

    /// Threads for reading and parsing files [default: one per CPU; at most 4 per CPU]; output is the same for any value
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Skip what GLOB matches in the folders read: a .gitignore line, relative to each folder given (repeatable); their .gitignore, .ignore and .lscignore files are honoured too
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
}

/// Most threads `--jobs` starts per CPU. More only wait for each other: `-j 5000` took 12.7 s
/// on a 238-byte file, and `-j 20000` aborted when the system ran out of thread stacks.
const JOBS_PER_CPU: usize = 4;

/// The threads `--jobs N` starts: N, at least 1 and at most [`JOBS_PER_CPU`] per CPU.
pub fn capped_jobs(jobs: usize) -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    jobs.clamp(1, cpus.saturating_mul(JOBS_PER_CPU))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the Certificates cert-manager would create for the inputs
    #[command(after_help = "Examples:
  lsc render apps/ | kubectl apply -f -
  lsc render --explain -n prod apps/ > certificates.yaml
  helm template web chart/ | lsc render --all - | kubectl apply -f -")]
    Render(Box<RenderArgs>),
    /// Migrate Ingresses to Gateway API with one ListenerSet per Ingress, keeping TLS self-service
    #[command(after_help = "Examples:
  lsc convert ingresses/ --out gateway-api/
  lsc convert ingresses/ --gateway infra/shared --gateway-class eg | kubectl apply -f -
  lsc convert ingresses/ | lsc render -")]
    Convert(Box<ConvertArgs>),
    /// Report what the controllers would reject or silently ignore, with stable codes
    #[command(after_help = "Examples:
  lsc check manifests/
  lsc check manifests/ -o github
  helm template web chart/ | lsc check -o sarif - > lsc.sarif")]
    Check(Box<CheckArgs>),
    /// Explain a finding code of `lsc check` and how to fix it (e.g. `lsc explain LSC101`); without a code, list them
    #[command(after_help = "Examples:
  lsc explain
  lsc explain LSC201")]
    Explain {
        /// The code, e.g. LSC101
        #[arg(value_parser = FindingCode)]
        code: Option<String>,
    },
    /// Compare the rendered Certificates with committed or live ones (exit 1 when they differ)
    Diff(Box<DiffArgs>),
    /// Run as a kustomize KRM function: a ResourceList on stdin, a ResourceList on stdout
    ///
    /// The functionConfig (apiVersion lsc.dev/v1alpha1, kind Render or Convert) carries the
    /// settings under spec, named like the flags: paths (files or folders read as more inputs,
    /// for a generator), namespace, defaultIssuerName,
    /// defaultIssuerKind, defaultIssuerGroup, autoCertificateAnnotations,
    /// extraCertificateAnnotations, certManagerVersion; Render also gatewayAPIExtraProtocols, enableGatewayAPI,
    /// enableGatewayAPIListenerSet, featureGates; Convert also tlsIn, gateway, gatewayClass,
    /// allowedListeners, listenerSetAPI, gatewayAPIVersion, ingressClasses, allowUnprotected, providers, emitter, keepIngresses. Without a
    /// functionConfig it renders. Errors become results and exit 1, so kustomize stops.
    /// Installed as a legacy kustomize exec plugin (a symlink named Render or Convert under
    /// lsc.dev/v1alpha1/), lsc takes the plugin config file as its argument instead.
    #[command(after_help = "Examples:
  kubectl kustomize --enable-alpha-plugins examples/kustomize/krm-function
  kustomize build --enable-alpha-plugins --enable-exec DIR   (the config's annotation: exec: {path: /usr/local/bin/lsc})")]
    Fn {
        #[command(flatten)]
        limits: LimitArgs,

        #[command(flatten)]
        run: RunArgs,
    },
    /// Print the version and git commit, as `--version` does
    #[command(after_help = "Examples:
  lsc version
  lsc --version")]
    Version,
    /// Print the man page (roff) of lsc, or of one subcommand, to stdout
    #[command(after_help = "Examples:
  lsc man > lsc.1
  lsc man render > lsc-render.1
  lsc man convert | man -l -")]
    Man {
        /// The subcommand whose page (lsc-SUBCOMMAND(1)) to print; lsc(1) without it
        subcommand: Option<String>,
    },
    /// Print a shell completion script
    #[command(after_help = "Examples:
  lsc completions bash > /etc/bash_completion.d/lsc
  lsc completions zsh > \"${fpath[1]}/_lsc\"
  lsc completions fish > ~/.config/fish/completions/lsc.fish")]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// for people: the source line and a caret, colored on a terminal
    Human,
    /// one JSON array of findings
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request)
    Github,
    /// SARIF 2.1.0 (code scanning)
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// warnings fail the check too (exit 1)
    Warnings,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, folders (read recursively: *.yaml, *.yml, *.json) or `-` for stdin; stdin when none is given and stdin is not a terminal
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    /// The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub filename: Vec<String>,

    /// Output format
    #[arg(short = 'o', long, value_enum, default_value = "human")]
    pub format: CheckFormat,

    /// Make warnings fail the check as well
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<Deny>,

    /// Namespace of objects that set none, as `kubectl apply -n` would give them
    #[arg(short = 'n', long, default_value = "default", value_name = "NAMESPACE")]
    pub namespace: String,

    /// Also report (LSC701) the Certificates that change when cert-manager moves from --cert-manager-version to this release
    #[arg(long, value_name = "VERSION")]
    pub upgrade_to: Option<String>,

    /// The Gateway API release of the cluster: objects of kinds it does not serve are reported too (LSC204) [default: 1.6]
    #[arg(long, value_enum, value_name = "VERSION")]
    pub gateway_api_version: Option<GatewayApiVersion>,

    #[command(flatten)]
    pub controller: ControllerArgs,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// kubectl-style YAML documents separated by `---`
    Yaml,
    /// a `v1` `List`, as `kubectl get -o json` prints
    Json,
}

/// Where `lsc convert` puts listeners, TLS and cert-manager annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TlsIn {
    /// one ListenerSet per Ingress (developers keep their TLS)
    Listenerset,
    /// ingress2gateway's layout: everything on the Gateway
    Gateway,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AllowedListeners {
    /// ListenerSets in the Gateway's namespace
    #[value(name = "Same")]
    Same,
    /// ListenerSets in any namespace
    #[value(name = "All")]
    All,
    /// ListenerSets in the namespaces of the converted Ingresses (a label selector)
    #[value(name = "Selector")]
    Selector,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListenerSetApi {
    /// gateway.networking.k8s.io/v1 ListenerSet (Gateway API v1.5 and later)
    V1,
    /// gateway.networking.x-k8s.io/v1alpha1 XListenerSet (Gateway API v1.3 and v1.4)
    V1alpha1,
}

/// A Gateway API release whose CRDs lsc carries (`lsc::crd::Release`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GatewayApiVersion {
    /// v1.4.1 (XListenerSet, experimental)
    #[value(name = "1.4")]
    V1_4,
    /// v1.5.1 (ListenerSet v1)
    #[value(name = "1.5")]
    V1_5,
    /// v1.6.1
    #[value(name = "1.6")]
    V1_6,
}

impl GatewayApiVersion {
    pub fn release(self) -> lsc::crd::Release {
        match self {
            GatewayApiVersion::V1_4 => lsc::crd::Release::V1_4,
            GatewayApiVersion::V1_5 => lsc::crd::Release::V1_5,
            GatewayApiVersion::V1_6 => lsc::crd::Release::V1_6,
        }
    }
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Files, folders (read recursively: *.yaml, *.yml, *.json) or `-` for stdin; stdin when none is given and stdin is not a terminal
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    /// The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub filename: Vec<String>,

    /// Output format
    #[arg(short = 'o', long = "output", value_parser = OutputOrOut, default_value = "yaml")]
    pub output: OutputFormat,

    /// Write one file per object, DIR/<namespace>/<kind>-<name>.yaml, instead of printing
    #[arg(long, value_name = "DIR")]
    pub out: Option<String>,

    /// Overwrite existing files under --out
    #[arg(long, requires = "out")]
    pub force: bool,

    /// Remove the files under --out that an earlier run wrote (marked by their first line) and this one does not
    #[arg(long, requires = "out")]
    pub prune: bool,

    /// Where listeners, TLS and cert-manager annotations go
    #[arg(long, value_enum, default_value = "listenerset")]
    pub tls_in: TlsIn,

    /// One shared, operator-owned Gateway for every Ingress instead of one per namespace and class
    #[arg(long, value_name = "NAMESPACE/NAME")]
    pub gateway: Option<String>,

    /// gatewayClassName of the Gateways [default: the ingress class]
    #[arg(long, value_name = "NAME")]
    pub gateway_class: Option<String>,

    /// Which namespaces' ListenerSets the Gateway accepts [default: Same, All with --gateway]
    #[arg(long, value_enum)]
    pub allowed_listeners: Option<AllowedListeners>,

    /// Which ListenerSet API to write [default: v1; v1alpha1 with --gateway-api-version 1.4]
    #[arg(long, value_enum)]
    pub listenerset_api: Option<ListenerSetApi>,

    /// The Gateway API release of the cluster: only what its CRDs serve and accept is written [default: 1.6; 1.4 with --listenerset-api v1alpha1]
    #[arg(long, value_enum, value_name = "VERSION")]
    pub gateway_api_version: Option<GatewayApiVersion>,

    /// Convert only Ingresses of these classes (comma-separated or repeated) [default: all, one Gateway per class]
    #[arg(long, value_name = "CLASS", value_delimiter = ',')]
    pub ingress_class: Vec<String>,

    /// Class of Ingresses that name none, as the cluster's default IngressClass gives them [default: the IngressClass in the inputs annotated ingressclass.kubernetes.io/is-default-class]
    #[arg(long, value_name = "CLASS")]
    pub default_ingress_class: Option<String>,

    /// Accept losing access controls (ingress-nginx's IP allow/deny lists, authentication, client certificates, WAF, rate limits; another controller's auth, middleware or plugin annotations) on this host, or on every host with `all` (comma-separated or repeated); without it convert refuses such Ingresses
    #[arg(long, value_name = "HOST|all", value_delimiter = ',')]
    pub allow_unprotected: Vec<String>,

    /// The Ingress controller(s) serving the Ingresses, whose annotations apply (comma-separated or repeated) [default: told per Ingress from its IngressClass, class name and annotations, else ingress-nginx]
    #[arg(long, value_name = "PROVIDER", value_delimiter = ',')]
    pub provider: Vec<crate::convert::providers::Provider>,

    /// The Gateway API implementation to write for: `standard` writes Gateway API only; an implementation's emitter adds its own policy objects for what Gateway API cannot say (and sets its GatewayClass, `eg` for envoy-gateway, unless --gateway-class is given)
    #[arg(long, value_name = "EMITTER", default_value = "standard")]
    pub emitter: crate::convert::emitters::Emitter,

    /// Namespace of objects that set none, as `kubectl apply -n` would give them
    #[arg(short = 'n', long, default_value = "default", value_name = "NAMESPACE")]
    pub namespace: String,

    #[command(flatten)]
    pub issuer: IssuerArgs,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Files, folders (read recursively: *.yaml, *.yml, *.json) or `-` for stdin; stdin when none is given and stdin is not a terminal
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    /// The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub filename: Vec<String>,

    /// Output format
    #[arg(short = 'o', long = "output", value_enum, default_value = "yaml")]
    pub output: OutputFormat,

    /// Print every input document unchanged, then the Certificates (transformer mode)
    #[arg(long)]
    pub all: bool,

    /// Explain on stderr which object, listeners and annotations decided each Certificate
    #[arg(long)]
    pub explain: bool,

    /// Namespace of objects that set none, as `kubectl apply -n` would give them
    #[arg(short = 'n', long, default_value = "default", value_name = "NAMESPACE")]
    pub namespace: String,

    /// Given by the helm post-renderer plugin (examples/helm/plugin): warn once when objects set no namespace, which helm does not pass on
    #[arg(long, hide = true)]
    pub helm_post_renderer: bool,

    #[command(flatten)]
    pub controller: ControllerArgs,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffOutput {
    /// unified diffs per Certificate, then `N missing, N extra, N changed, N unchanged`
    Text,
    /// one JSON object: missing, extra, changed (with its diff), unchanged
    Json,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Ignored: status, metadata.managedFields, resourceVersion, uid, creationTimestamp, \
generation, selfLink, the kubectl.kubernetes.io/last-applied-configuration annotation, and \
ownerReferences when the rendered Certificate has none.\n\nExit codes: 0 same, 1 different, 2 input \
or usage error.\n\nExamples:\n  lsc diff manifests/ --against certificates/\n  \
kubectl get certificates -A -o yaml | lsc diff manifests/ --against -\n  \
lsc diff manifests/ --against live.yaml -o json"
)]
pub struct DiffArgs {
    /// Files, folders (read recursively: *.yaml, *.yml, *.json) or `-` for stdin; at least one
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    /// The same as PATH, as kubectl takes it: a file, folder or `-` for stdin (repeatable)
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub filename: Vec<String>,

    /// Certificates to compare with: a file, folder or `-` (e.g. `kubectl get certificates -A -o yaml`); repeat for several
    #[arg(long, value_name = "PATH", required = true)]
    pub against: Vec<String>,

    /// Output format
    #[arg(short = 'o', long = "output", value_enum, default_value = "text")]
    pub output: DiffOutput,

    /// Namespace of objects that set none, as `kubectl apply -n` would give them (both sides)
    #[arg(short = 'n', long, default_value = "default", value_name = "NAMESPACE")]
    pub namespace: String,

    #[command(flatten)]
    pub controller: ControllerArgs,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// cert-manager controller flags, same names; empty values are allowed (`--default-issuer-kind=`).
#[derive(Debug, Args)]
#[command(next_help_heading = "cert-manager controller flags")]
pub struct ControllerArgs {
    #[command(flatten)]
    pub issuer: IssuerArgs,

    /// Listener protocols treated like HTTPS and TLS (exact, case-sensitive)
    #[arg(long, value_name = "PROTOCOLS")]
    pub gateway_api_extra_protocols: Option<String>,

    /// Render Gateways (and ListenerSets) [default: true in lsc]
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true", require_equals = true)]
    pub enable_gateway_api: Option<bool>,

    /// Render ListenerSets and XListenerSets [default: true in lsc]
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true", require_equals = true)]
    pub enable_gateway_api_listenerset: Option<bool>,

    /// Feature gates, e.g. ServerSideApply=true,ListenerSets=false (lsc turns ListenerSets on by default)
    #[arg(long, value_name = "K=V,...")]
    pub feature_gates: Option<String>,
}

/// The controller flags that choose issuers and annotations (render and convert).
#[derive(Debug, Args)]
#[command(next_help_heading = "cert-manager controller flags")]
pub struct IssuerArgs {
    /// Read these settings from cert-manager's ControllerConfiguration file; flags override it
    #[arg(long, value_name = "FILE")]
    pub controller_config: Option<String>,

    /// Do as this cert-manager release does: 1.17, 1.18, 1.19, 1.20, 1.21 or master (a patch version such as v1.20.3 means its minor) [default: 1.21]
    #[arg(long, value_name = "VERSION")]
    pub cert_manager_version: Option<String>,

    /// Issuer name used when an Ingress is triggered by an auto-certificate annotation [default: ""]
    #[arg(long, value_name = "NAME")]
    pub default_issuer_name: Option<String>,

    /// Starting issuerRef.kind for every object [default: Issuer]
    #[arg(long, value_name = "KIND")]
    pub default_issuer_kind: Option<String>,

    /// Starting issuerRef.group for every object [default: cert-manager.io]
    #[arg(long, value_name = "GROUP")]
    pub default_issuer_group: Option<String>,

    /// Annotations whose true value triggers the shim on an Ingress [default: kubernetes.io/tls-acme]
    #[arg(long, value_name = "KEYS")]
    pub auto_certificate_annotations: Option<String>,

    /// Annotation keys copied from the object to its Certificates
    #[arg(long, value_name = "KEYS")]
    pub extra_certificate_annotations: Option<String>,
}

/// `--max-depth`: 1 up to [`lsc::source::yaml::DEEPEST`], what the threads' stacks are sized
/// for (see `main.rs`).
fn depth_bound(value: &str) -> Result<usize, String> {
    let deepest = lsc::source::yaml::DEEPEST;
    match value.parse::<usize>() {
        Ok(depth) if (1..=deepest).contains(&depth) => Ok(depth),
        Ok(_) => Err(format!("{value} is not in 1..={deepest}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Bounds against hostile input.
#[derive(Debug, Args)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Largest input file (or stdin), in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024)]
    pub max_input_bytes: usize,

    /// Largest document of an input, in bytes, refused before it is parsed (a `kind: List` is one document)
    #[arg(long, value_name = "BYTES", default_value_t = 8 * 1024 * 1024)]
    pub max_document_bytes: usize,

    /// Deepest nesting of mappings and lists in a document (at most 100000)
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = depth_bound)]
    pub max_depth: usize,

    /// Most documents in one input, `kind: List` items and a ResourceList's items included
    #[arg(long, value_name = "N", default_value_t = lsc::source::Limits::default().max_documents)]
    pub max_documents: usize,

    /// Most nodes that YAML aliases (and anchors holding anchors or aliases) may copy, per input (refuses alias bombs)
    #[arg(
        long,
        visible_alias = "max-alias-expansions",
        value_name = "N",
        default_value_t = 100_000
    )]
    pub max_alias_nodes: usize,
}

/// `convert --output`'s values, yaml and json, and for anything else the flag that was
/// probably meant: `--output DIR` is kubectl's and helm's habit for `--out DIR`.
#[derive(Debug, Clone, Copy)]
struct OutputOrOut;

impl clap::builder::TypedValueParser for OutputOrOut {
    type Value = OutputFormat;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<OutputFormat, clap::Error> {
        clap::builder::EnumValueParser::<OutputFormat>::new()
            .parse_ref(cmd, arg, value)
            .map_err(|mut error| {
                use clap::error::{ContextKind, ContextValue};
                // clap's own tip (a similar value: `yml`) stays; otherwise the flag.
                if error.get(ContextKind::SuggestedValue).is_none() {
                    let value = value.to_string_lossy();
                    error.insert(
                        ContextKind::Suggested,
                        ContextValue::StyledStrs(vec![
                            format!(
                                "did you mean --out {value}? (one file per object under a folder)"
                            )
                            .into(),
                        ]),
                    );
                }
                error
            })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            OutputFormat::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

impl Command {
    /// Moves `-f/--filename` paths after the positional ones: they are the same inputs.
    pub fn merge_filenames(&mut self) {
        let (paths, filename) = match self {
            Command::Render(a) => (&mut a.paths, &mut a.filename),
            Command::Convert(a) => (&mut a.paths, &mut a.filename),
            Command::Check(a) => (&mut a.paths, &mut a.filename),
            Command::Diff(a) => (&mut a.paths, &mut a.filename),
            _ => return,
        };
        paths.append(filename);
    }
}

impl Command {
    /// The threads and colors of a command that reads inputs; `None` for the others.
    pub fn run_args(&self) -> Option<&RunArgs> {
        match self {
            Command::Render(a) => Some(&a.run),
            Command::Convert(a) => Some(&a.run),
            Command::Check(a) => Some(&a.run),
            Command::Diff(a) => Some(&a.run),
            Command::Fn { run, .. } => Some(run),
            _ => None,
        }
    }

    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Render(_) => "render",
            Command::Convert(_) => "convert",
            Command::Check(_) => "check",
            Command::Diff(_) => "diff",
            Command::Fn { .. } => "fn",
            Command::Explain { .. } => "explain",
            Command::Version => "version",
            Command::Man { .. } => "man",
            Command::Completions { .. } => "completions",
        }
    }
}

/// `lsc explain`'s codes, listed for `--help` and the shell completions; any text is taken,
/// so that an unknown code gets lsc's own message.
#[derive(Debug, Clone, Copy)]
struct FindingCode;

impl clap::builder::TypedValueParser for FindingCode {
    type Value = String;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(lsc::check::rules::RULES.iter().map(|r| {
            clap::builder::PossibleValue::new(r.code).help(r.title)
        })))
    }
}
