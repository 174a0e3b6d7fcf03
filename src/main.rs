//! The lsc binary: parse arguments, call the library, print, map results to exit codes.

mod cli;
mod memory;
mod stdout;

#[global_allocator]
static ALLOCATOR: lsc::allocator::Mimalloc = lsc::allocator::Mimalloc;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use std::sync::OnceLock;

use cli::{
    CheckArgs, CheckFormat, Cli, ColorChoice, Command, ControllerArgs, ConvertArgs, IssuerArgs,
    LimitArgs, OutputFormat, RenderArgs,
};
use lsc::controller_config::{self, FlagSettings};
use lsc::convert;
use lsc::diag::Diagnostic;
use lsc::diag::Severity;
use lsc::emit::findings::FindingFormat;
use lsc::source::{self, InputSource, Limits};

const EXIT_FINDINGS: u8 = 1;
const EXIT_INPUT_ERROR: u8 = 2;

/// How stderr looks: `--color`, `NO_COLOR`, `--quiet`.
struct Settings {
    color_stderr: bool,
    color_stdout: bool,
    quiet: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

fn settings() -> &'static Settings {
    SETTINGS.get_or_init(|| Settings {
        color_stderr: false,
        color_stdout: false,
        quiet: false,
    })
}

fn main() -> ExitCode {
    if let Some(code) = legacy_plugin() {
        return code;
    }
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    if let Some(command) = &mut cli.command {
        command.merge_filenames();
    }
    let run_args = cli.command.as_ref().and_then(Command::run_args);
    let walk = source::WalkOptions {
        follow: run_args.is_some_and(|r| r.follow),
        exclude: run_args.map(|r| r.exclude.clone()).unwrap_or_default(),
        // A chart read by a KRM function is rendered by `helm template | lsc render -`.
        command: match cli.command.as_ref().map(Command::name) {
            Some(name @ ("convert" | "check" | "diff")) => name,
            _ => "render",
        },
    };
    if let Err(e) = walk.check() {
        eprintln!("error: {e}");
        return ExitCode::from(EXIT_INPUT_ERROR);
    }
    let _ = source::WALK.set(walk);
    let jobs = run_args.and_then(|r| r.jobs);
    let stack = stack_for(max_depth(&cli));
    if jobs.is_some() || stack.is_some() {
        let mut pool = rayon::ThreadPoolBuilder::new();
        if let Some(jobs) = jobs {
            pool = pool.num_threads(cli::capped_jobs(jobs));
        }
        if let Some(stack) = stack {
            pool = pool.stack_size(stack);
        }
        // Only fails when a pool exists already, which it cannot before this line.
        let _ = pool.build_global();
    }
    let Some(stack) = stack else {
        return run(cli);
    };
    let worker = std::thread::Builder::new()
        .name("main".to_string())
        .stack_size(stack)
        .spawn(move || run(cli));
    match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => ExitCode::from(EXIT_INPUT_ERROR),
        Err(e) => {
            eprintln!(
                "error: cannot start a thread with a stack of {stack} bytes for --max-depth: {e}"
            );
            ExitCode::from(EXIT_INPUT_ERROR)
        }
    }
}

/// The `--max-depth` of the subcommand (the default without one).
fn max_depth(cli: &Cli) -> usize {
    match &cli.command {
        Some(Command::Fn { limits, .. }) => limits.max_depth,
        Some(Command::Render(args)) => args.limits.max_depth,
        Some(Command::Convert(args)) => args.limits.max_depth,
        Some(Command::Check(args)) => args.limits.max_depth,
        Some(Command::Diff(args)) => args.limits.max_depth,
        _ => Limits::default().max_depth,
    }
}

/// Bytes of stack a nesting level may take on the deepest recursive path (writing, copying or
/// dropping a tree). The old 8 MiB main stack overflowed in `-o json` near 20,000 levels (over
/// 400 bytes a level); tests/limits.rs runs every command just under
/// [`lsc::source::yaml::DEEPEST`] on the debug build, whose frames are the larger.
const STACK_PER_LEVEL: usize = 2048;

/// The stack every thread needs for `max_depth`, when it is more than the 2 MiB of a spawned
/// thread: the default depth fits that. Untouched stack pages take no memory, so the size
/// costs only address space.
fn stack_for(max_depth: usize) -> Option<usize> {
    const BASE: usize = 2 * 1024 * 1024;
    let needed = BASE.saturating_add(max_depth.saturating_mul(STACK_PER_LEVEL));
    (max_depth > Limits::default().max_depth).then_some(needed)
}

fn run(cli: Cli) -> ExitCode {
    let run = cli.command.as_ref().and_then(Command::run_args);
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = |terminal: bool| match run.map_or(ColorChoice::Auto, |r| r.color) {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    };
    let _ = SETTINGS.set(Settings {
        color_stderr: color(std::io::stderr().is_terminal()),
        color_stdout: color(std::io::stdout().is_terminal()),
        quiet: cli.quiet,
    });
    let Some(command) = cli.command else {
        // kustomize runs exec functions without arguments, a ResourceList on stdin.
        if !std::io::stdin().is_terminal() {
            return bare_function(&Limits::default());
        }
        let _ = Cli::command().print_help();
        return ExitCode::from(EXIT_INPUT_ERROR);
    };
    match command {
        Command::Fn { limits: l, .. } => function(&limits(&l)),
        Command::Version => write_stdout(Cli::command().render_version().as_bytes()),
        Command::Man { subcommand } => {
            let mut out = Vec::new();
            // The package version, not the commit: the pages are checked in.
            let command = Cli::command().version(env!("CARGO_PKG_VERSION"));
            let page = match subcommand {
                None => command,
                Some(name) => match man_page_of(&command, &name) {
                    Some(page) => page,
                    None => {
                        eprintln!("error: lsc has no subcommand {name:?}; `lsc --help` lists them");
                        return ExitCode::from(EXIT_INPUT_ERROR);
                    }
                },
            };
            match clap_mangen::Man::new(page).render(&mut out) {
                Ok(()) => write_stdout(&out),
                Err(e) => {
                    eprintln!("error: cannot write the man page: {e}");
                    ExitCode::from(EXIT_INPUT_ERROR)
                }
            }
        }
        Command::Render(args) => render(*args),
        Command::Convert(args) => convert(*args),
        Command::Check(args) => check(*args),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Diff(args) => diff(*args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "lsc", &mut out);
            write_stdout(&out)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> ExitCode {
    write_stdout_with(|out| out.write_all(bytes))
}

/// `--help`, `--version` (written like any output, so a failed write is exit 2) or a usage
/// error (clap's message on stderr, exit 2).
fn clap_exit(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        e.exit();
    }
    let printed = if stdout::closed_at_start() {
        Err(std::io::Error::other("stdout is closed"))
    } else {
        e.print().and_then(|()| std::io::stdout().flush())
    };
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => cannot_write(&e),
    }
}

fn cannot_write(e: &std::io::Error) -> ExitCode {
    eprintln!("error: cannot write output: {e}");
    ExitCode::from(EXIT_INPUT_ERROR)
}

/// The page of subcommand `name` as `lsc-NAME(1)`, the name lsc(1) refers to it by.
fn man_page_of(lsc: &clap::Command, name: &str) -> Option<clap::Command> {
    let sub = lsc
        .get_subcommands()
        .find(|c| c.get_name() == name && name != "help")?
        .clone();
    let page = format!("lsc-{name}");
    Some(
        sub.name(page.clone())
            .bin_name(format!("lsc {name}"))
            .display_name(page)
            .version(env!("CARGO_PKG_VERSION")),
    )
}

/// [`write_stdout`] for output in pieces, through one buffer. Output to a stdout that was
/// closed at start fails like any failed write: exit 2, "cannot write output".
fn write_stdout_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> ExitCode {
    let mut lock;
    let mut closed = stdout::Closed;
    let target: &mut dyn Write = if stdout::closed_at_start() {
        &mut closed
    } else {
        lock = std::io::stdout().lock();
        &mut lock
    };
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, target);
    match write(&mut stdout).and_then(|_| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`lsc render | head`) is not lsc's error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => cannot_write(&e),
    }
}

/// Diagnostics on stderr: with `--quiet` only errors; the severity colored on a terminal.
fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let settings = settings();
    let mut stderr = std::io::stderr().lock();
    for d in diagnostics {
        if settings.quiet && !d.is_error() {
            continue;
        }
        let text = d.to_string();
        if settings.color_stderr {
            let (label, style) = match d.severity {
                Severity::Error => ("error", "1;31"),
                Severity::Warning => ("warning", "1;33"),
                Severity::Note => ("note", "1;36"),
            };
            let rest = text.strip_prefix(label).unwrap_or(&text);
            let _ = writeln!(stderr, "\x1b[{style}m{label}\x1b[0m{rest}");
        } else {
            let _ = writeln!(stderr, "{text}");
        }
    }
}

/// A summary line on stderr, unless `--quiet`.
fn print_summary(line: &str) {
    if !settings().quiet {
        eprintln!("{line}");
    }
}

/// kustomize's legacy exec plugin: installed as `.../lsc.dev/v1alpha1/<kind>/<Kind>` (a
/// symlink to lsc), lsc is run under the kind's name with the plugin config as its argument.
fn legacy_plugin() -> Option<ExitCode> {
    let mut args = std::env::args_os();
    let program = args.next()?;
    let name = std::path::Path::new(&program).file_name()?.to_str()?;
    if name != "Render" && name != "Convert" {
        return None;
    }
    let Some(config) = args.next() else {
        eprintln!(
            "error: {name}: run as a kustomize exec plugin, lsc needs the plugin config file as its argument"
        );
        return Some(ExitCode::from(EXIT_INPUT_ERROR));
    };
    let mut objects = String::new();
    if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut objects) {
        eprintln!("error: <stdin>: cannot read the objects: {e}");
        return Some(ExitCode::from(EXIT_INPUT_ERROR));
    }
    let outcome = lsc::krm::run_plugin(&config.to_string_lossy(), &objects, &Limits::default());
    Some(finish_function(outcome))
}

/// The function's diagnostics on stderr (kustomize shows them when lsc fails), its
/// ResourceList on stdout, exit 1 on errors so kustomize stops.
fn finish_function(outcome: lsc::krm::FunctionOutcome) -> ExitCode {
    print_diagnostics(&outcome.diagnostics);
    let written = write_stdout(outcome.stdout.as_bytes());
    if outcome.failed && written == ExitCode::SUCCESS {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        written
    }
}

/// `lsc fn` (and `lsc` with a ResourceList on stdin): the KRM function.
fn function(limits: &Limits) -> ExitCode {
    let text = match stdin_text() {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: <stdin>: cannot read the ResourceList: {e}");
            return ExitCode::from(EXIT_INPUT_ERROR);
        }
    };
    finish_function(lsc::krm::run(&text, limits))
}

/// All of stdin, read into a buffer of its size when it is a file: grown by doubling, the
/// buffers it outgrew stayed resident beside it for a while.
fn stdin_text() -> std::io::Result<String> {
    let size = lsc::source::stdin_size().and_then(|size| usize::try_from(size).ok());
    let mut text = String::with_capacity(size.unwrap_or(0));
    std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text)?;
    Ok(text)
}

/// `lsc` without a subcommand and stdin not a terminal: the KRM function when stdin holds a
/// ResourceList; anything else (`cat x.yaml | lsc`) gets the short help on stderr, never on
/// stdout, which may be piped into `kubectl apply`.
fn bare_function(limits: &Limits) -> ExitCode {
    let text = match stdin_text() {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: <stdin>: cannot read the ResourceList: {e}");
            return ExitCode::from(EXIT_INPUT_ERROR);
        }
    };
    if let Some(outcome) = lsc::krm::run_if_resource_list(&text, limits) {
        return finish_function(outcome);
    }
    let help = Cli::command().render_help();
    eprint!("{help}");
    eprintln!(
        "\nerror: no subcommand, and stdin holds no kustomize ResourceList (lsc as a KRM function); to render stdin: lsc render -"
    );
    ExitCode::from(EXIT_INPUT_ERROR)
}

fn limits(args: &LimitArgs) -> Limits {
    Limits {
        max_depth: args.max_depth,
        max_alias_nodes: args.max_alias_nodes,
        max_input_bytes: args.max_input_bytes,
        max_document_bytes: args.max_document_bytes,
        max_documents: args.max_documents,
        only_kinds: None,
        only_naming: None,
    }
}

fn format(output: OutputFormat) -> lsc::emit::Format {
    match output {
        OutputFormat::Yaml => lsc::emit::Format::Yaml,
        OutputFormat::Json => lsc::emit::Format::Json,
    }
}

/// Files found from which a run gets a progress line on stderr (only on a terminal, never
/// with `--quiet`), so a long run does not look like a hang: about 32 MB of manifests.
const MANY_FILES: usize = 16 * 1024;

fn note_many_files(count: usize) {
    if count == MANY_FILES && !settings().quiet && std::io::stderr().is_terminal() {
        eprintln!("lsc: reading more than {MANY_FILES} files…");
    }
}

/// The inputs named on the command line, or stdin; `Err` when there is nothing to read.
fn inputs(paths: &[String], command: &str) -> Result<Vec<InputSource>, ExitCode> {
    // Not for convert: it holds more of the input at once, and with huge pages its peak
    // memory passed 4× the input at 100,000 documents (4.1×; 3.6× without).
    let on_file_found: fn(usize) = if command == "convert" {
        note_many_files
    } else {
        |count| {
            memory::pages_for(count);
            note_many_files(count);
        }
    };
    // Set once: a process runs one command.
    let _ = source::ON_FILE_FOUND.set(on_file_found);
    if !paths.is_empty() {
        return Ok(source::given(paths));
    }
    if std::io::stdin().is_terminal() {
        eprintln!(
            "error: no input: give files or folders, or pipe manifests into stdin (see `lsc {command} --help`)"
        );
        return Err(ExitCode::from(EXIT_INPUT_ERROR));
    }
    Ok(vec![InputSource::Stdin])
}

/// The controller settings from the issuer flags (and whatever else the command has).
fn issuer_flags(issuer: IssuerArgs, namespace: String) -> FlagSettings {
    FlagSettings {
        controller_config: issuer.controller_config,
        default_issuer_name: issuer.default_issuer_name,
        default_issuer_kind: issuer.default_issuer_kind,
        default_issuer_group: issuer.default_issuer_group,
        auto_certificate_annotations: issuer.auto_certificate_annotations,
        extra_certificate_annotations: issuer.extra_certificate_annotations,
        extra_protocols: None,
        enable_gateway_api: None,
        enable_listener_set: None,
        feature_gates: None,
        namespace,
        cert_manager_version: issuer.cert_manager_version,
    }
}

/// The shim's settings from every controller flag (and `--controller-config`).
fn shim_config(
    c: ControllerArgs,
    namespace: String,
    limits: &Limits,
) -> Result<lsc::shim::config::ShimConfig, ExitCode> {
    upgrade_configs(c, namespace, None, limits).map(|(config, _)| config)
}

/// The shim's settings for `--cert-manager-version`, and with `--upgrade-to` the same flags
/// resolved for the release upgraded to.
fn upgrade_configs(
    c: ControllerArgs,
    namespace: String,
    upgrade_to: Option<String>,
    limits: &Limits,
) -> Result<
    (
        lsc::shim::config::ShimConfig,
        Option<lsc::shim::config::ShimConfig>,
    ),
    ExitCode,
> {
    let flags = FlagSettings {
        extra_protocols: c.gateway_api_extra_protocols,
        enable_gateway_api: c.enable_gateway_api,
        enable_listener_set: c.enable_gateway_api_listenerset,
        feature_gates: c.feature_gates,
        ..issuer_flags(c.issuer, namespace)
    };
    let fail = |d: Diagnostic| {
        print_diagnostics(&[d]);
        ExitCode::from(EXIT_INPUT_ERROR)
    };
    let from = controller_config::resolve(&flags, limits).map_err(fail)?;
    let Some(to) = upgrade_to else {
        return Ok((from, None));
    };
    let to_flags = FlagSettings {
        cert_manager_version: Some(to),
        ..flags
    };
    let to = controller_config::resolve(&to_flags, limits)
        .map_err(|d| {
            let message = d
                .message
                .replacen("--cert-manager-version:", "--upgrade-to:", 1);
            Diagnostic::error(d.location, message)
        })
        .map_err(fail)?;
    Ok((from, Some(to)))
}

fn render(args: RenderArgs) -> ExitCode {
    let limits = limits(&args.limits);
    // helm 4 tells a post-renderer nothing of `-n`: objects without a namespace would get
    // Certificates in `default` while helm installs them in the release namespace.
    let helm_namespace_unknown = args.helm_post_renderer && args.namespace == "default";
    let shim = match shim_config(args.controller, args.namespace, &limits) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let inputs = match inputs(&args.paths, "render") {
        Ok(found) => found,
        Err(code) => return code,
    };
    let options = lsc::RenderOptions {
        shim,
        limits,
        all: args.all,
        explain: args.explain,
        format: format(args.output),
    };
    let outcome = lsc::render(&inputs, &options);
    print_diagnostics(&outcome.diagnostics);
    let unset = lsc::model::without_namespace(&outcome.retained.documents);
    if helm_namespace_unknown && unset > 0 {
        eprintln!(
            "warning: {unset} Ingress, Gateway or ListenerSet manifests from helm set no metadata.namespace: helm installs them in the release namespace but does not tell post-renderers which, so their Certificates are rendered in namespace default; pass it: --post-renderer-args=--namespace=NAMESPACE"
        );
    }
    if !outcome.explain.is_empty() {
        eprint!("{}", outcome.explain);
    }
    if outcome.has_errors() {
        return ExitCode::from(EXIT_INPUT_ERROR);
    }
    let code = write_stdout(outcome.stdout.as_bytes());
    // The process ends here: freeing the model object by object would only delay it.
    std::mem::forget(outcome);
    code
}

fn convert(args: ConvertArgs) -> ExitCode {
    let limits = limits(&args.limits);
    let shim = match controller_config::resolve(
        &issuer_flags(args.issuer, args.namespace.clone()),
        &limits,
    ) {
        Ok(config) => config,
        Err(d) => {
            print_diagnostics(&[d]);
            return ExitCode::from(EXIT_INPUT_ERROR);
        }
    };
    let gateway = match args.gateway.as_deref().map(parse_gateway).transpose() {
        Ok(g) => g,
        Err(message) => {
            eprintln!("error: --gateway {message}");
            return ExitCode::from(EXIT_INPUT_ERROR);
        }
    };
    let inputs = match inputs(&args.paths, "convert") {
        Ok(found) => found,
        Err(code) => return code,
    };
    let (gateway_api, listenerset_api) = match convert::listener_set_api(
        args.gateway_api_version
            .map(cli::GatewayApiVersion::release),
        args.listenerset_api.map(|api| match api {
            cli::ListenerSetApi::V1 => convert::ListenerSetApi::V1,
            cli::ListenerSetApi::V1alpha1 => convert::ListenerSetApi::V1Alpha1,
        }),
    ) {
        Ok(chosen) => chosen,
        Err(message) => {
            eprintln!("error: --gateway-api-version and --listenerset-api: {message}");
            return ExitCode::from(EXIT_INPUT_ERROR);
        }
    };
    let format = format(args.output);
    let options = convert::ConvertOptions {
        limits,
        default_namespace: args.namespace,
        tls_in: match args.tls_in {
            cli::TlsIn::Listenerset => convert::TlsIn::ListenerSet,
            cli::TlsIn::Gateway => convert::TlsIn::Gateway,
        },
        listenerset_api,
        gateway_api,
        gateway,
        gateway_class: args.gateway_class,
        allowed_listeners: args.allowed_listeners.map(|a| match a {
            cli::AllowedListeners::Same => convert::AllowedListeners::Same,
            cli::AllowedListeners::All => convert::AllowedListeners::All,
            cli::AllowedListeners::Selector => convert::AllowedListeners::Selector,
        }),
        ingress_classes: args.ingress_class,
        default_ingress_class: args.default_ingress_class,
        allow_unprotected: convert::security::AllowUnprotected::from_values(
            args.allow_unprotected.iter().map(String::as_str),
        ),
        providers: args.provider.clone(),
        emitter: args.emitter,
        shim,
        keep: match format {
            lsc::emit::Format::Yaml => convert::Keep::Yaml,
            lsc::emit::Format::Json => convert::Keep::Tree,
        },
    };
    if let Some(message) = convert::layout_refused(&options) {
        eprintln!("error: {message}");
        return ExitCode::from(EXIT_INPUT_ERROR);
    }
    let converted = convert::convert(&inputs, &options);
    print_diagnostics(&converted.diagnostics);
    if converted.diagnostics.iter().any(Diagnostic::is_error) {
        return ExitCode::from(EXIT_INPUT_ERROR);
    }
    let mut notes = Vec::new();
    let code = match &args.out {
        Some(dir) => match lsc::emit::files::write_tree(
            std::path::Path::new(dir),
            &converted.objects,
            format,
            args.force,
            &mut notes,
        ) {
            Ok(()) => {
                print_diagnostics(&notes.drain(..).map(Diagnostic::note).collect::<Vec<_>>());
                match stale_files(std::path::Path::new(dir), &converted, format, args.prune) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(message) => {
                        eprintln!("error: {message}");
                        return ExitCode::from(EXIT_INPUT_ERROR);
                    }
                }
            }
            Err(message) => {
                print_diagnostics(&notes.drain(..).map(Diagnostic::note).collect::<Vec<_>>());
                eprintln!("error: {message}");
                return ExitCode::from(EXIT_INPUT_ERROR);
            }
        },
        None => match format {
            // The objects are kept as YAML text: written one after the other.
            lsc::emit::Format::Yaml => write_stdout_with(|out| {
                for (i, object) in converted.objects.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b"---\n")?;
                    }
                    out.write_all(object.yaml().as_bytes())?;
                }
                Ok(())
            }),
            lsc::emit::Format::Json => {
                write_stdout(lsc::emit::converted(format, &converted.objects).as_bytes())
            }
        },
    };
    // Nothing was converted for the user when the output could not be written.
    if code == ExitCode::SUCCESS {
        print_summary(&convert::summary(&converted, args.out.as_deref()));
    }
    // As for render: the process ends here.
    std::mem::forget(converted);
    code
}

/// Files under `--out` an earlier run wrote and this one does not: a warning naming them, or
/// with `--prune` a note saying they were removed.
fn stale_files(
    dir: &std::path::Path,
    converted: &convert::Converted,
    format: lsc::emit::Format,
    prune: bool,
) -> Result<(), String> {
    let stale = lsc::emit::files::stale(dir, &converted.objects, format);
    if stale.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = stale
        .iter()
        .map(|p| dir.join(p).display().to_string())
        .collect();
    if prune {
        lsc::emit::files::prune(dir, &stale)?;
        eprintln!(
            "note: removed {} an earlier lsc convert wrote and this one does not: {}",
            files(stale.len()),
            names.join(", ")
        );
    } else {
        eprintln!(
            "warning: {} an earlier lsc convert wrote and this one does not (`kubectl apply -R -f {dir}` would still apply them): {}; --prune removes them",
            files(stale.len()),
            names.join(", "),
            dir = dir.display()
        );
    }
    Ok(())
}

fn files(n: usize) -> String {
    if n == 1 {
        "1 file".to_string()
    } else {
        format!("{n} files")
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let limits = limits(&args.limits);
    let (shim, upgrade_to) =
        match upgrade_configs(args.controller, args.namespace, args.upgrade_to, &limits) {
            Ok(configs) => configs,
            Err(code) => return code,
        };
    let inputs = match inputs(&args.paths, "check") {
        Ok(found) => found,
        Err(code) => return code,
    };
    let format = match args.format {
        CheckFormat::Human => FindingFormat::Human {
            color: settings().color_stdout,
        },
        CheckFormat::Json => FindingFormat::Json,
        CheckFormat::Github => FindingFormat::Github,
        CheckFormat::Sarif => FindingFormat::Sarif,
    };
    let options = lsc::check::CheckOptions {
        shim,
        upgrade_to,
        limits,
        source_lines: matches!(format, FindingFormat::Human { .. }),
        gateway_api: args
            .gateway_api_version
            .map(cli::GatewayApiVersion::release),
    };
    let checked = lsc::check::check(&inputs, &options);
    // Paths that do not exist are usage errors, not findings.
    print_diagnostics(&checked.discovery);
    if checked.discovery.iter().any(Diagnostic::is_error) {
        return ExitCode::from(EXIT_INPUT_ERROR);
    }
    let text = lsc::emit::findings::render(format, &checked.findings, &checked.sources);
    let written = write_stdout(text.as_bytes());
    let failing =
        |s: Severity| s == Severity::Error || (s == Severity::Warning && args.deny.is_some());
    let code = if written != ExitCode::SUCCESS {
        written
    } else if checked.findings.iter().any(|f| failing(f.severity())) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    };
    // As for render: the process ends here.
    std::mem::forget(checked);
    code
}

fn explain(code: Option<&str>) -> ExitCode {
    use lsc::check::rules;
    let Some(code) = code else {
        let list: String = rules::RULES
            .iter()
            .map(|r| format!("{}  {:<7}  {}\n", r.code, r.severity.to_string(), r.title))
            .collect();
        return write_stdout(list.as_bytes());
    };
    match rules::rule(code) {
        Some(r) => {
            let fix = lsc::check::fixes::fix(r.code)
                .map(|fix| format!("\nHow to fix: {fix}\n"))
                .unwrap_or_default();
            write_stdout(
                format!(
                    "{} ({}): {}\n\n{}\n{fix}",
                    r.code, r.severity, r.title, r.help
                )
                .as_bytes(),
            )
        }
        None => {
            eprintln!("error: no finding code {code:?}; `lsc explain` lists them");
            ExitCode::from(EXIT_INPUT_ERROR)
        }
    }
}

fn diff(args: cli::DiffArgs) -> ExitCode {
    let limits = limits(&args.limits);
    let shim = match shim_config(args.controller, args.namespace, &limits) {
        Ok(config) => config,
        Err(code) => return code,
    };
    // Not stdin by default, as render does: a CI job without a terminal would render nothing
    // and report every Certificate of --against as extra.
    if args.paths.is_empty() {
        eprintln!(
            "error: no input to render: give the files or folders (or `-` for stdin) to compare with --against, e.g. `lsc diff manifests/ --against certificates.yaml` (see `lsc diff --help`)"
        );
        return ExitCode::from(EXIT_INPUT_ERROR);
    }
    let stdin = |paths: &[String]| paths.iter().any(|p| p == "-");
    if stdin(&args.against) && (args.paths.is_empty() || stdin(&args.paths)) {
        eprintln!(
            "error: stdin is read for --against; give the inputs to render as files or folders (see `lsc diff --help`)"
        );
        return ExitCode::from(EXIT_INPUT_ERROR);
    }
    let inputs = match inputs(&args.paths, "diff") {
        Ok(found) => found,
        Err(code) => return code,
    };
    let against = source::given(&args.against);
    let options = lsc::diff::DiffOptions {
        render: lsc::RenderOptions {
            shim,
            limits,
            ..lsc::RenderOptions::default()
        },
        format: match args.output {
            cli::DiffOutput::Text => lsc::diff::Format::Text,
            cli::DiffOutput::Json => lsc::diff::Format::Json,
        },
    };
    let outcome = lsc::diff::diff(&inputs, &against, &options);
    print_diagnostics(&outcome.diagnostics);
    if outcome.diagnostics.iter().any(Diagnostic::is_error) {
        return ExitCode::from(EXIT_INPUT_ERROR);
    }
    let written = write_stdout(outcome.stdout.as_bytes());
    if written != ExitCode::SUCCESS || !outcome.differs {
        return written;
    }
    ExitCode::from(EXIT_FINDINGS)
}

/// `NAMESPACE/NAME`.
fn parse_gateway(text: &str) -> Result<(String, String), String> {
    match text.split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
            Ok((ns.to_string(), name.to_string()))
        }
        _ => Err(format!("{text:?}: expected NAMESPACE/NAME")),
    }
}
