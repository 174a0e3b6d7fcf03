//! The lsc binary: parse arguments, call the library, print, map results to exit codes.

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use cli::{Cli, Command, OutputFormat, RenderArgs};
use lsc::controller_config::{self, FlagSettings};
use lsc::diag::Diagnostic;
use lsc::source::{self, InputSource, Limits};

const EXIT_INPUT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Render(args) => render(*args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "lsc", &mut out);
            write_stdout(&out)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`lsc render | head`) is not lsc's error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write output: {e}");
            ExitCode::from(EXIT_INPUT_ERROR)
        }
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let mut stderr = std::io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(stderr, "{d}");
    }
}

fn render(args: RenderArgs) -> ExitCode {
    let limits = Limits {
        max_depth: args.limits.max_depth,
        max_alias_nodes: args.limits.max_alias_nodes,
        max_input_bytes: args.limits.max_input_bytes,
    };
    let c = args.controller;
    let flags = FlagSettings {
        controller_config: c.controller_config,
        default_issuer_name: c.default_issuer_name,
        default_issuer_kind: c.default_issuer_kind,
        default_issuer_group: c.default_issuer_group,
        auto_certificate_annotations: c.auto_certificate_annotations,
        extra_certificate_annotations: c.extra_certificate_annotations,
        extra_protocols: c.gateway_api_extra_protocols,
        enable_gateway_api: c.enable_gateway_api,
        enable_listener_set: c.enable_gateway_api_listenerset,
        feature_gates: c.feature_gates,
        namespace: args.namespace,
    };
    let shim = match controller_config::resolve(&flags, &limits) {
        Ok(config) => config,
        Err(d) => {
            print_diagnostics(&[d]);
            return ExitCode::from(EXIT_INPUT_ERROR);
        }
    };

    let (inputs, mut discovery) = if args.paths.is_empty() {
        if std::io::stdin().is_terminal() {
            eprintln!(
                "error: no input: give files or folders, or pipe manifests into stdin (see `lsc render --help`)"
            );
            return ExitCode::from(EXIT_INPUT_ERROR);
        }
        (vec![InputSource::Stdin], Vec::new())
    } else {
        source::discover(&args.paths)
    };
    let options = lsc::RenderOptions {
        shim,
        limits,
        all: args.all,
        explain: args.explain,
        format: match args.output {
            OutputFormat::Yaml => lsc::emit::Format::Yaml,
            OutputFormat::Json => lsc::emit::Format::Json,
        },
    };
    let mut outcome = lsc::render(&inputs, &options);
    discovery.append(&mut outcome.diagnostics);
    outcome.diagnostics = discovery;
    print_diagnostics(&outcome.diagnostics);
    if !outcome.explain.is_empty() {
        eprint!("{}", outcome.explain);
    }
    if outcome.has_errors() {
        return ExitCode::from(EXIT_INPUT_ERROR);
    }
    write_stdout(outcome.stdout.as_bytes())
}
