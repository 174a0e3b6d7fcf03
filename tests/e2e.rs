//! End to end: lsc inside the real `kubectl kustomize` (kubectl 1.35, kustomize 5.7) and helm 4,
//! running the commands the READMEs under `examples/kustomize/` and `examples/helm/` give, on
//! those folders, and comparing the whole output with the `expected.yaml` beside them (exact
//! bytes; `BLESS=1 cargo test --test e2e` rewrites them, review the diff by eye).
//!
//! kubectl and helm come from `KUBECTL` and `HELM`, else from PATH (`tools/install-kube-tools.sh`
//! puts both in `.tools/bin`). A test whose tool is missing is reported as ignored, not passed,
//! and the run ends with how many were skipped and how to get the tools; with
//! `LSC_E2E_REQUIRED=1` (CI sets it) a missing tool fails the test instead.
//!
//! lsc is put where the READMEs put it: a temporary PATH directory holds `lsc` (for the helm
//! plugin) and a fake `docker` that runs `lsc fn` (for kustomize's container functions), and a
//! temporary `XDG_CONFIG_HOME` holds the legacy plugin symlinks `Render` and `Convert`.

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

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The kubectl or helm binary: `$VAR` (a relative path is from the repository root), else the
/// first `name` on PATH. `None` means skip (after printing why); with `LSC_E2E_REQUIRED=1` a
/// missing binary fails the test instead.
fn tool(test: &str, name: &str, var: &str) -> Option<PathBuf> {
    let found = find_tool(test, name, var);
    if found.is_none() {
        let message =
            format!("{test}: {name} not found (set {var} or run tools/install-kube-tools.sh)");
        if std::env::var("LSC_E2E_REQUIRED").is_ok_and(|v| v == "1") {
            panic!("LSC_E2E_REQUIRED=1 but {message}");
        }
        // Straight to stderr: the test harness captures eprintln! of passing tests.
        let _ = std::io::stderr().write_all(format!("SKIPPED: {message}\n").as_bytes());
    }
    found
}

/// [`tool`]'s lookup, silent.
fn find_tool(test: &str, name: &str, var: &str) -> Option<PathBuf> {
    match std::env::var_os(var).filter(|v| !v.is_empty()) {
        Some(value) => {
            let path = Path::new(ROOT).join(&value);
            assert!(
                is_executable(&path),
                "{test}: {var}={} is not an executable file",
                value.to_string_lossy()
            );
            Some(path)
        }
        None => std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|p| is_executable(p))
        }),
    }
}

fn is_executable(path: &Path) -> bool {
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A private home for one test: `bin/` (first on PATH) with `lsc` and a fake `docker`, and an
/// `XDG_CONFIG_HOME` with the kustomize legacy plugins installed as the READMEs install them.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let lsc = assert_cmd::cargo::cargo_bin("lsc");
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        symlink(&lsc, bin.join("lsc")).unwrap();
        // kustomize runs a container function as `docker run --rm -i ... IMAGE`, the
        // ResourceList on stdin; this stand-in records the arguments and runs `lsc fn`.
        let docker = bin.join("docker");
        std::fs::write(
            &docker,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nexec '{}' fn\n",
                dir.path().join("docker-args").display(),
                lsc.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&docker, std::fs::Permissions::from_mode(0o755)).unwrap();
        let plugins = dir.path().join("xdg/kustomize/plugin/lsc.dev/v1alpha1");
        for kind in ["Render", "Convert"] {
            let folder = plugins.join(kind.to_lowercase());
            std::fs::create_dir_all(&folder).unwrap();
            symlink(&lsc, folder.join(kind)).unwrap();
        }
        for home in ["helm/config", "helm/cache", "helm/data"] {
            std::fs::create_dir_all(dir.path().join(home)).unwrap();
        }
        Sandbox { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Runs `line`, a command copied from `readme` (it must appear there verbatim), from the
    /// repository root: leading `VAR=value` words become the environment, `kubectl` and `helm`
    /// the binaries under test.
    fn run_readme_command(&self, readme: &str, line: &str, tools: &[(&str, &Path)]) -> Output {
        let text = std::fs::read_to_string(Path::new(ROOT).join(readme)).unwrap();
        assert!(
            text.lines().any(|l| l.trim() == line),
            "{readme} no longer shows the command the test runs:\n    {line}"
        );
        let mut words = line.split_whitespace().peekable();
        let mut env: Vec<(String, String)> = Vec::new();
        while let Some((key, value)) = words.peek().and_then(|w| w.split_once('=')) {
            env.push((key.to_string(), value.to_string()));
            words.next();
        }
        let program = words.next().unwrap();
        let program = tools
            .iter()
            .find(|(name, _)| *name == program)
            .map_or_else(|| PathBuf::from(program), |(_, path)| path.to_path_buf());
        let mut command = self.command(&program);
        command.args(words).envs(env);
        command.output().unwrap()
    }

    /// A command with the sandbox's PATH, plugin home and helm homes, run from the repository
    /// root; nothing from the caller's kustomize or helm setup leaks in.
    fn command(&self, program: &Path) -> Command {
        let mut path = OsString::from(self.path("bin"));
        if let Some(rest) = std::env::var_os("PATH") {
            path.push(":");
            path.push(rest);
        }
        let mut command = Command::new(program);
        command
            .current_dir(ROOT)
            .env("PATH", path)
            .env("XDG_CONFIG_HOME", self.path("xdg"))
            .env_remove("KUSTOMIZE_PLUGIN_HOME")
            .env("HELM_CONFIG_HOME", self.path("helm/config"))
            .env("HELM_CACHE_HOME", self.path("helm/cache"))
            .env("HELM_DATA_HOME", self.path("helm/data"))
            .env_remove("HELM_PLUGINS")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        command
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        output.status,
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// The whole stdout against `expected` (a path under the repository), byte for byte.
fn assert_expected(stdout: &[u8], expected: &str) {
    let path = Path::new(ROOT).join(expected);
    let actual = text(stdout);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let wanted = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{expected}: {e} (BLESS=1 cargo test --test e2e writes it)"));
    if actual != wanted {
        let diff = similar::TextDiff::from_lines(&wanted, &actual)
            .unified_diff()
            .header(expected, "actual output")
            .to_string();
        panic!("output differs from {expected} (BLESS=1 to accept):\n{diff}");
    }
}

/// `kubectl kustomize` through the legacy exec plugin: one example folder, its README's
/// command, its expected.yaml.
fn kustomize_example(test: &str, folder: &str) {
    let Some(kubectl) = tool(test, "kubectl", "KUBECTL") else {
        return;
    };
    let sandbox = Sandbox::new();
    let line = format!("kubectl kustomize --enable-alpha-plugins examples/kustomize/{folder}");
    let output = sandbox.run_readme_command(
        &format!("examples/kustomize/{folder}/README.md"),
        &line,
        &[("kubectl", &kubectl)],
    );
    assert_success(&output, &line);
    assert_expected(
        &output.stdout,
        &format!("examples/kustomize/{folder}/expected.yaml"),
    );
}

fn kustomize_render_transformer() {
    kustomize_example("kustomize_render_transformer", "render-transformer");
}

fn kustomize_convert_transformer() {
    kustomize_example("kustomize_convert_transformer", "convert-transformer");
}

fn kustomize_render_generator() {
    kustomize_example("kustomize_render_generator", "render-generator");
}

/// The KRM function protocol (ResourceList in and out) with the real kustomize, through the
/// container route: kustomize runs `docker run ... lsc:local`, the stand-in runs `lsc fn`.
fn kustomize_krm_function_container() {
    let test = "kustomize_krm_function_container";
    let Some(kubectl) = tool(test, "kubectl", "KUBECTL") else {
        return;
    };
    let sandbox = Sandbox::new();
    let line = "kubectl kustomize --enable-alpha-plugins examples/kustomize/krm-function";
    let output = sandbox.run_readme_command(
        "examples/kustomize/krm-function/README.md",
        line,
        &[("kubectl", &kubectl)],
    );
    assert_success(&output, line);
    let args = std::fs::read_to_string(sandbox.path("docker-args"))
        .expect("kustomize never ran docker for the container function");
    let args: Vec<&str> = args.lines().collect();
    assert_eq!(args.first(), Some(&"run"), "docker {args:?}");
    assert_eq!(args.last(), Some(&"lsc:local"), "docker {args:?}");
    assert!(args.contains(&"-i"), "docker {args:?}");
    assert_expected(
        &output.stdout,
        "examples/kustomize/krm-function/expected.yaml",
    );
}

/// lsc's error reaches the person running kustomize: the build fails and kustomize's message
/// carries lsc's.
fn kustomize_error_shows_lsc_message() {
    let test = "kustomize_error_shows_lsc_message";
    let Some(kubectl) = tool(test, "kubectl", "KUBECTL") else {
        return;
    };
    let sandbox = Sandbox::new();
    let line = "kubectl kustomize --enable-alpha-plugins examples/kustomize/render-error";
    let output = sandbox.run_readme_command(
        "examples/kustomize/render-error/README.md",
        line,
        &[("kubectl", &kubectl)],
    );
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "{line} succeeded:\n{stderr}");
    assert_eq!(
        text(&output.stdout),
        "",
        "nothing may be printed on failure"
    );
    let message = r#"Ingress shop/shop: invalid ingress annotation "cert-manager.io/duration": time: unknown unit "days" in duration "90days""#;
    assert!(
        stderr.contains(message),
        "kustomize's stderr lacks lsc's message {message:?}:\n{stderr}"
    );
    assert!(
        stderr.contains("failure in plugin configured via"),
        "{stderr}"
    );
    let readme =
        std::fs::read_to_string(Path::new(ROOT).join("examples/kustomize/render-error/README.md"))
            .unwrap();
    assert!(readme.contains(message), "the README shows another message");
}

/// A typo in the functionConfig stops the build with lsc's message naming the field.
fn kustomize_unknown_config_field_fails() {
    let test = "kustomize_unknown_config_field_fails";
    let Some(kubectl) = tool(test, "kubectl", "KUBECTL") else {
        return;
    };
    let sandbox = Sandbox::new();
    let copy = sandbox.path("kustomization");
    std::fs::create_dir(&copy).unwrap();
    let example = Path::new(ROOT).join("examples/kustomize/render-transformer");
    for file in [
        "kustomization.yaml",
        "ingress.yaml",
        "gateway.yaml",
        "listenerset.yaml",
    ] {
        std::fs::copy(example.join(file), copy.join(file)).unwrap();
    }
    let config = std::fs::read_to_string(example.join("lsc.yaml")).unwrap();
    let typo = config.replace(
        "enableGatewayAPIListenerSet:",
        "enableGatewayAPIListenerSets:",
    );
    assert_ne!(typo, config);
    std::fs::write(copy.join("lsc.yaml"), typo).unwrap();
    let output = sandbox
        .command(&kubectl)
        .args(["kustomize", "--enable-alpha-plugins"])
        .arg(&copy)
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert_eq!(text(&output.stdout), "");
    assert!(
        stderr.contains("functionConfig Render: unknown field spec.enableGatewayAPIListenerSets"),
        "{stderr}"
    );
}

const HELM_README: &str = "examples/helm/README.md";

/// `helm template` with lsc as a helm 4 post-renderer plugin.
fn helm_post_renderer() {
    let Some(helm) = tool("helm_post_renderer", "helm", "HELM") else {
        return;
    };
    let sandbox = Sandbox::new();
    let line = "HELM_PLUGINS=examples/helm/plugin helm template web examples/helm/chart --post-renderer lsc";
    let output = sandbox.run_readme_command(HELM_README, line, &[("helm", &helm)]);
    assert_success(&output, line);
    assert_expected(&output.stdout, "examples/helm/expected.yaml");
}

/// A chart without `metadata.namespace`: helm 4 passes `-n` to no post-renderer, so the README
/// gives the namespace with `--post-renderer-args`, and the Certificate lands in it.
fn helm_post_renderer_namespace_from_args() {
    let Some(helm) = tool("helm_post_renderer_namespace_from_args", "helm", "HELM") else {
        return;
    };
    let sandbox = Sandbox::new();
    let line = "HELM_PLUGINS=examples/helm/plugin helm template web examples/helm/chart-without-namespace -n prod --post-renderer lsc --post-renderer-args=--namespace=prod";
    let output = sandbox.run_readme_command(HELM_README, line, &[("helm", &helm)]);
    assert_success(&output, line);
    let stdout = text(&output.stdout);
    let certificate = stdout
        .split("\n---\n")
        .find(|doc| doc.contains("kind: Certificate"))
        .unwrap_or_else(|| panic!("no Certificate in:\n{stdout}"));
    assert!(
        certificate.contains("  name: web-tls\n  namespace: prod\n"),
        "{certificate}"
    );
}

/// helm hides a post-renderer's stderr: the install fails without lsc's message, so the README
/// tells CI to run `lsc check` on `helm template`'s output, which names the problem.
fn helm_post_renderer_error_and_check_workaround() {
    let Some(helm) = tool(
        "helm_post_renderer_error_and_check_workaround",
        "helm",
        "HELM",
    ) else {
        return;
    };
    let sandbox = Sandbox::new();
    let line = "HELM_PLUGINS=examples/helm/plugin helm template web examples/helm/chart --set certificateDuration=90days --post-renderer lsc";
    let output = sandbox.run_readme_command(HELM_README, line, &[("helm", &helm)]);
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert_eq!(text(&output.stdout), "");
    assert!(
        stderr.contains(r#"failed to invoke post-renderer plugin "lsc""#),
        "{stderr}"
    );

    // The workaround, as the README gives it:
    // helm template web examples/helm/chart --set certificateDuration=90days | lsc check --format github -
    let pipeline = "helm template web examples/helm/chart --set certificateDuration=90days | lsc check --format github -";
    let readme = std::fs::read_to_string(Path::new(ROOT).join(HELM_README)).unwrap();
    assert!(
        readme.lines().any(|l| l.trim() == pipeline),
        "{HELM_README} no longer shows {pipeline}"
    );
    let (left, right) = pipeline.split_once(" | ").unwrap();
    let mut words = left.split_whitespace().skip(1);
    let template = sandbox.command(&helm).args(&mut words).output().unwrap();
    assert_success(&template, left);
    let mut check = sandbox
        .command(Path::new("lsc"))
        .args(right.split_whitespace().skip(1))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    check
        .stdin
        .take()
        .unwrap()
        .write_all(&template.stdout)
        .unwrap();
    let checked = check.wait_with_output().unwrap();
    assert_eq!(checked.status.code(), Some(1), "{}", text(&checked.stderr));
    let annotations = text(&checked.stdout);
    assert!(
        annotations.starts_with("::error file=<stdin>,line=")
            && annotations.contains(r#"Ingress default/web: invalid ingress annotation "cert-manager.io/duration": time: unknown unit "days" in duration "90days""#),
        "{annotations}"
    );
}

/// A test: its name, its function, the tool it needs and the variable naming that tool.
type E2eTest = (&'static str, fn(), &'static str, &'static str);

/// Every test.
const TESTS: &[E2eTest] = &[
    (
        "kustomize_render_transformer",
        kustomize_render_transformer,
        "kubectl",
        "KUBECTL",
    ),
    (
        "kustomize_convert_transformer",
        kustomize_convert_transformer,
        "kubectl",
        "KUBECTL",
    ),
    (
        "kustomize_render_generator",
        kustomize_render_generator,
        "kubectl",
        "KUBECTL",
    ),
    (
        "kustomize_krm_function_container",
        kustomize_krm_function_container,
        "kubectl",
        "KUBECTL",
    ),
    (
        "kustomize_error_shows_lsc_message",
        kustomize_error_shows_lsc_message,
        "kubectl",
        "KUBECTL",
    ),
    (
        "kustomize_unknown_config_field_fails",
        kustomize_unknown_config_field_fails,
        "kubectl",
        "KUBECTL",
    ),
    ("kubectl_plugin", kubectl_plugin, "kubectl", "KUBECTL"),
    ("helm_post_renderer", helm_post_renderer, "helm", "HELM"),
    (
        "helm_post_renderer_namespace_from_args",
        helm_post_renderer_namespace_from_args,
        "helm",
        "HELM",
    ),
    (
        "helm_post_renderer_error_and_check_workaround",
        helm_post_renderer_error_and_check_workaround,
        "helm",
        "HELM",
    ),
];

/// lsc as `kubectl-lsc` on PATH is the kubectl plugin `kubectl lsc`, as docs/integrations.md
/// shows: `kubectl plugin list` finds it, and `kubectl lsc render` prints what `lsc render` does.
fn kubectl_plugin() {
    let Some(kubectl) = tool("kubectl_plugin", "kubectl", "KUBECTL") else {
        return;
    };
    let sandbox = Sandbox::new();
    let lsc = assert_cmd::cargo::cargo_bin("lsc");
    symlink(&lsc, sandbox.path("bin/kubectl-lsc")).unwrap();
    let docs = "docs/integrations.md";
    let listed = sandbox.run_readme_command(docs, "kubectl plugin list", &[("kubectl", &kubectl)]);
    let plugin = sandbox.path("bin/kubectl-lsc");
    assert!(
        text(&listed.stdout).contains(&plugin.display().to_string()),
        "kubectl plugin list does not list {}:\n{}{}",
        plugin.display(),
        text(&listed.stdout),
        text(&listed.stderr)
    );
    let line = "kubectl lsc render examples/migration";
    let through_kubectl = sandbox.run_readme_command(docs, line, &[("kubectl", &kubectl)]);
    assert_success(&through_kubectl, line);
    let direct = sandbox
        .command(&lsc)
        .args(["render", "examples/migration"])
        .output()
        .unwrap();
    assert_success(&direct, "lsc render examples/migration");
    assert!(!direct.stdout.is_empty());
    assert_eq!(text(&through_kubectl.stdout), text(&direct.stdout));
    assert_eq!(text(&through_kubectl.stderr), text(&direct.stderr));
}

/// Without kubectl and helm, every test is reported as ignored (none as passed) and the run
/// ends with their count and how to get the tools: this binary run again with an empty PATH.
fn missing_tools_are_counted() {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--skip", "missing_tools_are_counted", "--test-threads", "1"])
        .env("PATH", "")
        .env_remove("KUBECTL")
        .env_remove("HELM")
        .env_remove("LSC_E2E_REQUIRED")
        .output()
        .unwrap();
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{stdout}{stderr}");
    let count = TESTS.len();
    assert!(
        stdout.contains(&format!(
            "test result: ok. 0 passed; 0 failed; {count} ignored;"
        )),
        "{stdout}"
    );
    assert!(
        stderr.ends_with(&format!("SKIPPED: {count} end-to-end tests (kubectl and helm not found): run tools/install-kube-tools.sh, then KUBECTL=.tools/bin/kubectl HELM=.tools/bin/helm cargo test --test e2e\n")),
        "{stderr}"
    );
}

/// The tests, each with the tool it needs. A test whose tool is missing is ignored (unless
/// `LSC_E2E_REQUIRED=1`), and the run ends with their count: skipped tests are never counted
/// as passed.
fn main() {
    // Without the standard harness a function marked as a test here would never run.
    assert!(
        !include_str!("e2e.rs").contains(concat!("#[", "test]")),
        "tests/e2e.rs: list the test in main's table instead of marking it with the test attribute"
    );
    let args = libtest_mimic::Arguments::from_args();
    let required = std::env::var("LSC_E2E_REQUIRED").is_ok_and(|v| v == "1");
    let mut missing: Vec<&str> = Vec::new();
    let trials = TESTS
        .iter()
        .map(|&(name, test, tool, var)| {
            let absent = !required && find_tool(name, tool, var).is_none();
            if absent && !missing.contains(&tool) {
                missing.push(tool);
            }
            libtest_mimic::Trial::test(name, move || {
                test();
                Ok(())
            })
            .with_ignored_flag(absent)
        })
        .collect();
    let trials: Vec<libtest_mimic::Trial> = trials;
    let trials = trials
        .into_iter()
        .chain([libtest_mimic::Trial::test(
            "missing_tools_are_counted",
            || {
                missing_tools_are_counted();
                Ok(())
            },
        )])
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    if conclusion.num_ignored > 0 {
        // Straight to stderr, after the summary: the last thing the run prints.
        let _ = std::io::stderr().write_all(
            format!(
                "SKIPPED: {} end-to-end tests ({} not found): run tools/install-kube-tools.sh, then KUBECTL=.tools/bin/kubectl HELM=.tools/bin/helm cargo test --test e2e\n",
                conclusion.num_ignored,
                missing.join(" and ")
            )
            .as_bytes(),
        );
    }
    conclusion.exit();
}
