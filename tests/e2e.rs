//! End to end: lsc inside the real `kubectl kustomize` (kubectl 1.35, kustomize 5.7) and helm 4,
//! running the commands the READMEs under `examples/kustomize/` and `examples/helm/` give, on
//! those folders, and comparing the whole output with the `expected.yaml` beside them (exact
//! bytes; `BLESS=1 cargo test --test e2e` rewrites them, review the diff by eye).
//!
//! kubectl and helm come from `KUBECTL` and `HELM`, else from PATH (`tools/install-kube-tools.sh`
//! puts both in `.tools/bin`). A test whose tool is missing is reported as ignored, not passed,
//! and the run ends with how many were skipped and how to get the tools; with
//! `LSC_E2E_REQUIRED=1` a missing kubectl or helm fails the test instead, and with
//! `LSC_E2E_REQUIRED=all` (CI sets it) any missing tool but podman.
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

/// A tool's binary: `$VAR` (a relative path is from the repository root), else the first `name`
/// on PATH. `None` means skip (after printing why), unless [`required`] says the tool must be
/// there: then the test fails.
fn tool(test: &str, name: &str, var: &str) -> Option<PathBuf> {
    let found = find_tool(test, name, var);
    if found.is_none() {
        let message = format!("{test}: {name} not found (set {var}; {})", how_to_get(name));
        if required(name) {
            panic!("LSC_E2E_REQUIRED requires it, but {message}");
        }
        // Straight to stderr: the test harness captures eprintln! of passing tests.
        let _ = std::io::stderr().write_all(format!("SKIPPED: {message}\n").as_bytes());
    }
    found
}

/// Tools a CI machine may lack even with `LSC_E2E_REQUIRED=all`: podman needs a kernel and
/// permissions a sandboxed CI machine may not give (one here builds images but cannot start a
/// container: `crun: setrlimit RLIMIT_NOFILE: Operation not permitted`), so without it the
/// container tests are skipped, and say so.
const OPTIONAL: &[&str] = &["podman", "podman-run"];

/// Whether a missing `tool` fails its tests: `LSC_E2E_REQUIRED=1` requires kubectl and helm (the
/// tools of the first end-to-end tests, so a setup made for those keeps passing),
/// `LSC_E2E_REQUIRED=all` (CI) every tool but the [`OPTIONAL`] ones.
fn required(tool: &str) -> bool {
    match std::env::var("LSC_E2E_REQUIRED").as_deref() {
        Ok("1") => ["kubectl", "helm"].contains(&tool),
        Ok("all") => !OPTIONAL.contains(&tool),
        _ => false,
    }
}

fn how_to_get(name: &str) -> &'static str {
    match name {
        "kubectl" | "helm" => "run tools/install-kube-tools.sh",
        "pre-commit" | "python3" => "run tools/install-py-tools.sh",
        "lsc-static" => "LSC_STATIC=$(tools/build-static.sh)",
        "podman" => "install podman",
        "podman-run" => "a podman that runs containers: `podman run --rm --rootfs / true`",
        _ => "install it from your distribution",
    }
}

/// [`tool`]'s lookup, silent. `python3` counts only with PyYAML, podman only when it builds
/// images (`podman info`), `podman-run` (podman too) only when it starts containers.
fn find_tool(test: &str, name: &str, var: &str) -> Option<PathBuf> {
    let file = if name == "podman-run" { "podman" } else { name };
    let path = match std::env::var_os(var).filter(|v| !v.is_empty()) {
        Some(value) => {
            let path = Path::new(ROOT).join(&value);
            assert!(
                is_executable(&path),
                "{test}: {var}={} is not an executable file",
                value.to_string_lossy()
            );
            path
        }
        None => std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(file))
                .find(|p| is_executable(p))
        })?,
    };
    let probe: &[&str] = match name {
        "python3" => &["-c", "import yaml"],
        "podman" => &["info"],
        "podman-run" => &["run", "--rm", "--rootfs", "/", "true"],
        _ => &[],
    };
    if !probe.is_empty() {
        let works = Command::new(&path)
            .args(probe)
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|o| o.status.success());
        if !works {
            return None;
        }
    }
    Some(path)
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

/// A test: its name, its function, and the tools it needs, each with the variable naming it.
type E2eTest = (&'static str, fn(), &'static [(&'static str, &'static str)]);

const KUBECTL: &[(&str, &str)] = &[("kubectl", "KUBECTL")];
const HELM: &[(&str, &str)] = &[("helm", "HELM")];
const PRE_COMMIT: &[(&str, &str)] = &[("pre-commit", "PRE_COMMIT")];
/// A python3 with PyYAML, for tools/run-github-steps.py and reading plugin.yaml.
const PYTHON: &[(&str, &str)] = &[("python3", "PYTHON_YAML")];

/// Every test.
const TESTS: &[E2eTest] = &[
    (
        "kustomize_render_transformer",
        kustomize_render_transformer,
        KUBECTL,
    ),
    (
        "kustomize_convert_transformer",
        kustomize_convert_transformer,
        KUBECTL,
    ),
    (
        "kustomize_render_generator",
        kustomize_render_generator,
        KUBECTL,
    ),
    (
        "kustomize_krm_function_container",
        kustomize_krm_function_container,
        KUBECTL,
    ),
    (
        "kustomize_error_shows_lsc_message",
        kustomize_error_shows_lsc_message,
        KUBECTL,
    ),
    (
        "kustomize_unknown_config_field_fails",
        kustomize_unknown_config_field_fails,
        KUBECTL,
    ),
    ("kubectl_plugin", kubectl_plugin, KUBECTL),
    ("helm_post_renderer", helm_post_renderer, HELM),
    (
        "helm_post_renderer_namespace_from_args",
        helm_post_renderer_namespace_from_args,
        HELM,
    ),
    (
        "helm_post_renderer_error_and_check_workaround",
        helm_post_renderer_error_and_check_workaround,
        HELM,
    ),
    ("pre_commit_check", pre_commit_check, PRE_COMMIT),
    (
        "pre_commit_render_fresh",
        pre_commit_render_fresh,
        PRE_COMMIT,
    ),
    ("github_action_check", github_action_check, PYTHON),
    ("github_action_installs", github_action_installs, PYTHON),
    ("flux_workflow", flux_workflow, PYTHON),
    (
        "argocd_plugin",
        argocd_plugin,
        &[("python3", "PYTHON_YAML"), ("kubectl", "KUBECTL")],
    ),
    (
        "static_binary",
        static_binary,
        &[("lsc-static", "LSC_STATIC")],
    ),
    (
        "krew_manifest",
        krew_manifest,
        &[
            ("python3", "PYTHON_YAML"),
            ("lsc-static", "LSC_STATIC"),
            ("kubectl", "KUBECTL"),
        ],
    ),
    (
        "container_image_build",
        container_image_build,
        &[("podman", "PODMAN"), ("lsc-static", "LSC_STATIC")],
    ),
    (
        "container_image_krm_function",
        container_image_krm_function,
        &[
            ("podman-run", "PODMAN"),
            ("lsc-static", "LSC_STATIC"),
            ("kubectl", "KUBECTL"),
        ],
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

/// tools/krew-manifest.py writes the krew manifest of a release archive of the static binary
/// (made as its usage says): krew's fields, the archive's sha256, the binary in it; and that
/// archive installed as krew installs a plugin (unpacked into its store, `kubectl-lsc` linked
/// to the manifest's `bin`) is `kubectl lsc` for kubectl. krew itself is not in the package
/// registries; the manifest's URL waits for the repository's public address and a release.
fn krew_manifest() {
    let test = "krew_manifest";
    let (Some(python), Some(binary), Some(kubectl)) = (
        tool(test, "python3", "PYTHON_YAML"),
        tool(test, "lsc-static", "LSC_STATIC"),
        tool(test, "kubectl", "KUBECTL"),
    ) else {
        return;
    };
    let sandbox = Sandbox::new();
    let archive = sandbox.path("lsc-x86_64-unknown-linux-gnu.tar.gz");
    let tar = Command::new("tar")
        .arg("-C")
        .arg(binary.parent().unwrap())
        .arg("-czf")
        .arg(&archive)
        .arg("lsc")
        .output()
        .unwrap();
    assert_success(&tar, "tar -czf lsc-x86_64-unknown-linux-gnu.tar.gz lsc");
    let uri =
        "https://example.com/lsc/releases/download/v0.1.0/lsc-x86_64-unknown-linux-gnu.tar.gz";
    // The manifest of the archive for a release version.
    let manifest_of = |version: &str| {
        sandbox
            .command(&python)
            .arg(Path::new(ROOT).join("tools/krew-manifest.py"))
            .args([
                "--version",
                version,
                "--homepage",
                "https://example.com/lsc",
            ])
            .args(["--uri", uri])
            .arg(&archive)
            .output()
            .unwrap()
    };
    let manifest = manifest_of("v0.1.0");
    assert_success(&manifest, "tools/krew-manifest.py");
    let (docs, error) = lsc::source::yaml::parse_documents(
        &text(&manifest.stdout),
        &lsc::source::yaml::Limits::default(),
    );
    assert!(error.is_none(), "{error:?}");
    let plugin = lsc::emit::json::to_serde(&docs[0].root.as_ref().unwrap().value);
    assert_eq!(
        plugin["apiVersion"],
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(plugin["kind"], "Plugin");
    assert_eq!(plugin["metadata"]["name"], "lsc");
    assert_eq!(plugin["spec"]["version"], "v0.1.0");
    let platform = &plugin["spec"]["platforms"][0];
    assert_eq!(platform["selector"]["matchLabels"]["os"], "linux");
    assert_eq!(platform["selector"]["matchLabels"]["arch"], "amd64");
    assert_eq!(platform["uri"], uri);
    assert_eq!(platform["bin"], "lsc");
    let sum = Command::new("sha256sum").arg(&archive).output().unwrap();
    assert_success(&sum, "sha256sum");
    assert_eq!(
        platform["sha256"].as_str().unwrap(),
        text(&sum.stdout).split_whitespace().next().unwrap()
    );
    // As krew installs it: the archive unpacked into the store, kubectl-lsc linked to `bin`.
    let store = sandbox.path("krew/store/lsc/v0.1.0");
    std::fs::create_dir_all(&store).unwrap();
    let untar = Command::new("tar")
        .arg("-C")
        .arg(&store)
        .arg("-xzf")
        .arg(&archive)
        .output()
        .unwrap();
    assert_success(&untar, "tar -xzf");
    let bin = platform["bin"].as_str().unwrap();
    symlink(store.join(bin), sandbox.path("bin/kubectl-lsc")).unwrap();
    let listed = sandbox
        .command(&kubectl)
        .args(["plugin", "list"])
        .output()
        .unwrap();
    assert!(
        text(&listed.stdout).contains("kubectl-lsc"),
        "{}{}",
        text(&listed.stdout),
        text(&listed.stderr)
    );
    let version = sandbox
        .command(&kubectl)
        .args(["lsc", "--version"])
        .output()
        .unwrap();
    assert_success(&version, "kubectl lsc --version");
    assert!(
        text(&version.stdout).starts_with(&format!("lsc {} (", env!("CARGO_PKG_VERSION"))),
        "{}",
        text(&version.stdout)
    );
    // A version krew cannot read is refused.
    let bad = manifest_of("0.1");
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    assert!(
        text(&bad.stderr).contains("semantic version"),
        "{}",
        text(&bad.stderr)
    );
}

/// A script in the sandbox's `bin/` (first on PATH), standing in for a tool the test does not
/// want to run for real.
fn stand_in(sandbox: &Sandbox, name: &str, script: &str) {
    let path = sandbox.path("bin").join(name);
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A `cargo` whose `install --root ROOT ...` copies the lsc under test to `ROOT/bin` (pre-commit's
/// rust language and the Action build lsc so, a release build of minutes), recording every call in
/// `cargo-calls`; `cargo --version` answers, as pre-commit asks it to pick the system toolchain.
fn stand_in_cargo(sandbox: &Sandbox) {
    let lsc = assert_cmd::cargo::cargo_bin("lsc");
    stand_in(
        sandbox,
        "cargo",
        &format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\ncase \"$1\" in\n  --version) echo 'cargo 1.95.0 (stand-in)' ;;\n  install)\n    root=\n    while [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=$2; shift; done\n    mkdir -p \"$root/bin\" && cp '{}' \"$root/bin/lsc\" ;;\n  *) exit 1 ;;\nesac\n",
            sandbox.path("cargo-calls").display(),
            lsc.display()
        ),
    );
}

/// `git` in `dir`, without the caller's configuration.
fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=lsc", "-c", "user.email=lsc@example.com"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert_success(&output, &format!("git {args:?}"));
}

/// Writes `files` (path, contents) under `dir`, creating folders.
fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (path, contents) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

/// An Ingress whose `cert-manager.io/duration` cert-manager would refuse (line 9).
const BAD_INGRESS: &str = "# cert-manager would refuse the duration\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n  namespace: shop\n  annotations:\n    cert-manager.io/cluster-issuer: letsencrypt\n    cert-manager.io/duration: 90days\nspec:\n  tls:\n  - hosts:\n    - shop.example.com\n    secretName: shop-tls\n";

const DURATION_MESSAGE: &str = r#"Ingress shop/shop: invalid ingress annotation "cert-manager.io/duration": time: unknown unit "days" in duration "90days""#;

/// pre-commit's `lsc-check` from this checkout (`pre-commit try-repo`), on a repository with a
/// manifest cert-manager would refuse: the hook fails with lsc's message; fixed, it passes, with
/// a ListenerSet and its parent Gateway in two files. The YAML that is no manifest (pre-commit's
/// and GitHub's configuration, hidden) is not read. pre-commit builds a `language: rust` hook with `cargo install`; a stand-in cargo
/// copies the lsc under test instead, and the test checks how it was called.
fn pre_commit_check() {
    let Some(pre_commit) = tool("pre_commit_check", "pre-commit", "PRE_COMMIT") else {
        return;
    };
    let sandbox = Sandbox::new();
    stand_in_cargo(&sandbox);
    let listenerset = |file: &str| {
        std::fs::read_to_string(
            Path::new(ROOT)
                .join("examples/migration/listenerset")
                .join(file),
        )
        .unwrap()
    };
    let repo = sandbox.path("repo");
    write_files(
        &repo,
        &[
            ("manifests/shop.yaml", BAD_INGRESS),
            ("gateway/gateway.yaml", &listenerset("gateway.yaml")),
            ("team-a/listenerset.yaml", &listenerset("team-a.yaml")),
            (".pre-commit-config.yaml", "repos: []\n"),
            (".github/workflows/ci.yaml", "on: push\njobs: {}\n"),
        ],
    );
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    let try_repo_on = |files: &[&str]| {
        sandbox
            .command(&pre_commit)
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", sandbox.path("pre-commit-home"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args(["try-repo", ROOT, "lsc-check"])
            .args(files)
            .output()
            .unwrap()
    };
    let try_repo = || try_repo_on(&["--all-files"]);
    let failed = try_repo();
    let stdout = text(&failed.stdout);
    assert_eq!(
        failed.status.code(),
        Some(1),
        "{stdout}{}",
        text(&failed.stderr)
    );
    assert!(
        stdout.contains("lsc check") && stdout.contains("Failed"),
        "{stdout}"
    );
    assert!(stdout.contains(DURATION_MESSAGE), "{stdout}");
    assert!(
        stdout.contains("--> ./manifests/shop.yaml:9 (document 1)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("LSC001 object has no apiVersion") && !stdout.contains(".github"),
        "{stdout}"
    );

    std::fs::write(
        repo.join("manifests/shop.yaml"),
        BAD_INGRESS.replace("90days", "2160h"),
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    let passed = try_repo();
    let stdout = text(&passed.stdout);
    assert_success(&passed, "pre-commit try-repo . lsc-check --all-files");
    assert!(
        stdout.contains("lsc check") && stdout.contains("Passed"),
        "{stdout}"
    );
    let calls = std::fs::read_to_string(sandbox.path("cargo-calls")).unwrap();
    assert!(
        calls
            .lines()
            .any(|l| l.starts_with("install --bins --root ") && l.ends_with(" --path .")),
        "pre-commit installed lsc otherwise: {calls}"
    );

    // A commit that changes only the ListenerSet: its Gateway is in another file, which the
    // hook reads too (a check of the changed file alone would say LSC103, parent missing).
    git(&repo, &["commit", "-q", "-m", "manifests"]);
    std::fs::write(
        repo.join("team-a/listenerset.yaml"),
        listenerset("team-a.yaml").replace("foo.example.com", "foo2.example.com"),
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    let changed = try_repo_on(&[]);
    let stdout = text(&changed.stdout);
    assert_success(
        &changed,
        "pre-commit try-repo . lsc-check (one file staged)",
    );
    assert!(stdout.contains("Passed"), "{stdout}");
}

/// pre-commit's `lsc-render-fresh`, configured as docs/integrations.md shows: passes while the
/// committed Certificates are what `lsc render` prints, fails with the difference once an
/// Ingress changes its issuer.
fn pre_commit_render_fresh() {
    let Some(pre_commit) = tool("pre_commit_render_fresh", "pre-commit", "PRE_COMMIT") else {
        return;
    };
    let sandbox = Sandbox::new();
    stand_in_cargo(&sandbox);
    // The hooks of this checkout, committed in a repository of their own: a configuration
    // names a hook repository by a commit, and this checkout's may be uncommitted.
    let hooks = sandbox.path("hooks");
    std::fs::create_dir(&hooks).unwrap();
    std::fs::copy(
        Path::new(ROOT).join(".pre-commit-hooks.yaml"),
        hooks.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    git(&hooks, &["init", "-q"]);
    git(&hooks, &["add", "-A"]);
    git(&hooks, &["commit", "-q", "-m", "hooks"]);
    let rev = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&hooks)
        .output()
        .unwrap();
    let rev = text(&rev.stdout).trim().to_string();

    let docs = std::fs::read_to_string(Path::new(ROOT).join("docs/integrations.md")).unwrap();
    let args = "args: [apps/, --against, certificates/certificates.yaml]";
    assert!(
        docs.contains(args),
        "docs/integrations.md no longer shows {args}"
    );
    let repo = sandbox.path("repo");
    let ingress =
        std::fs::read_to_string(Path::new(ROOT).join("examples/argocd/apps/plain/ingress.yaml"))
            .unwrap();
    write_files(
        &repo,
        &[
            ("apps/ingress.yaml", &ingress),
            (
                ".pre-commit-config.yaml",
                &format!(
                    "repos:\n- repo: {}\n  rev: {rev}\n  hooks:\n  - id: lsc-render-fresh\n    {args}\n",
                    hooks.display()
                ),
            ),
        ],
    );
    let rendered = sandbox
        .command(Path::new("lsc"))
        .args(["render", "apps/"])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_success(&rendered, "lsc render apps/");
    write_files(
        &repo,
        &[("certificates/certificates.yaml", &text(&rendered.stdout))],
    );
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    let run = || {
        sandbox
            .command(&pre_commit)
            .current_dir(&repo)
            .env("PRE_COMMIT_HOME", sandbox.path("pre-commit-home"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args(["run", "lsc-render-fresh", "--all-files"])
            .output()
            .unwrap()
    };
    let fresh = run();
    assert_success(&fresh, "pre-commit run lsc-render-fresh --all-files");
    assert!(
        text(&fresh.stdout).contains("Passed"),
        "{}",
        text(&fresh.stdout)
    );

    std::fs::write(
        repo.join("apps/ingress.yaml"),
        ingress.replace(
            "cluster-issuer: letsencrypt",
            "cluster-issuer: letsencrypt-staging",
        ),
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    let stale = run();
    let stdout = text(&stale.stdout);
    assert_eq!(
        stale.status.code(),
        Some(1),
        "{stdout}{}",
        text(&stale.stderr)
    );
    assert!(stdout.contains("Failed"), "{stdout}");
    assert!(
        stdout.contains("-    name: letsencrypt\n")
            && stdout.contains("+    name: letsencrypt-staging\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("0 missing, 0 extra, 1 changed, 0 unchanged"),
        "{stdout}"
    );
}

/// tools/run-github-steps.py on `file` (an action, or a workflow with `--job`), with
/// GITHUB_WORKSPACE `workspace` and a fresh step summary; returns the output, the summary and
/// the trace (JSON).
fn run_github_steps(
    sandbox: &Sandbox,
    python: &Path,
    file: &Path,
    workspace: &Path,
    args: &[&str],
) -> (Output, String, serde_json::Value) {
    let summary = sandbox.path("step-summary.md");
    let trace = sandbox.path("trace.json");
    std::fs::write(&summary, "").unwrap();
    let _ = std::fs::remove_file(&trace);
    let output = sandbox
        .command(python)
        .arg(Path::new(ROOT).join("tools/run-github-steps.py"))
        .arg(file)
        .args(args)
        .arg("--trace")
        .arg(&trace)
        .current_dir(workspace)
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    let trace = std::fs::read_to_string(&trace).unwrap_or_else(|e| {
        panic!(
            "no trace ({e}):\n{}{}",
            text(&output.stdout),
            text(&output.stderr)
        )
    });
    (
        output,
        std::fs::read_to_string(&summary).unwrap(),
        serde_json::from_str(&trace).unwrap(),
    )
}

/// The step of `trace` named `name`.
fn step<'a>(trace: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    trace["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step {name} in {trace}"))
}

/// The GitHub Action's steps, as the runner runs a composite action: on a manifest
/// cert-manager would refuse, an error annotation at its line, a line in the step summary,
/// exit code 1 (as output too), and the SARIF file handed to the upload step; on a good one,
/// exit 0. lsc of the wanted version is on PATH, so nothing is installed.
fn github_action_check() {
    let Some(python) = tool("github_action_check", "python3", "PYTHON_YAML") else {
        return;
    };
    let sandbox = Sandbox::new();
    let workspace = sandbox.path("workspace");
    write_files(&workspace, &[("manifests/shop.yaml", BAD_INGRESS)]);
    let action = Path::new(ROOT).join("action.yml");
    let version = format!("version={}", env!("CARGO_PKG_VERSION"));
    let inputs = [
        "--input",
        "paths=manifests",
        "--input",
        "sarif=true",
        "--input",
        &version,
    ];
    let (output, summary, trace) =
        run_github_steps(&sandbox, &python, &action, &workspace, &inputs);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}{}",
        text(&output.stderr)
    );
    let annotation = format!(
        "::error file=manifests/shop.yaml,line=9,title=LSC001 cert-manager would reject this object%2C or the input cannot be read::{DURATION_MESSAGE}\n"
    );
    assert!(stdout.contains(&annotation), "{stdout}");
    assert!(summary.starts_with("### lsc check\n"), "{summary}");
    assert!(
        summary.contains(&format!("- **error** `manifests/shop.yaml:9` LSC001 cert-manager would reject this object, or the input cannot be read: {DURATION_MESSAGE}\n")),
        "{summary}"
    );
    assert_eq!(step(&trace, "Install lsc")["ran"], false, "{trace}");
    assert_eq!(trace["outputs"]["exit-code"], "1");
    assert_eq!(trace["outputs"]["sarif-file"], "lsc.sarif");
    let upload = step(&trace, "Upload SARIF");
    assert_eq!(upload["uses"], "github/codeql-action/upload-sarif@v3");
    assert_eq!(upload["with"]["sarif_file"], "lsc.sarif", "{trace}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(workspace.join("lsc.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "manifests/shop.yaml"
    );

    std::fs::write(
        workspace.join("manifests/shop.yaml"),
        BAD_INGRESS.replace("90days", "2160h"),
    )
    .unwrap();
    let (output, summary, trace) =
        run_github_steps(&sandbox, &python, &action, &workspace, &inputs);
    assert_success(&output, "the action on a good manifest");
    assert!(
        !text(&output.stdout).contains("::error"),
        "{}",
        text(&output.stdout)
    );
    assert!(summary.contains("exited with 0."), "{summary}");
    assert_eq!(trace["outputs"]["exit-code"], "0");
}

/// Without lsc of the wanted version on PATH, the Action builds it from its own checkout with
/// `cargo install --locked` (a stand-in cargo here) and runs the installed one.
fn github_action_installs() {
    let Some(python) = tool("github_action_installs", "python3", "PYTHON_YAML") else {
        return;
    };
    let sandbox = Sandbox::new();
    stand_in_cargo(&sandbox);
    let workspace = sandbox.path("workspace");
    write_files(
        &workspace,
        &[(
            "manifests/shop.yaml",
            BAD_INGRESS.replace("90days", "2160h").as_str(),
        )],
    );
    let action = Path::new(ROOT).join("action.yml");
    let (output, summary, trace) = run_github_steps(
        &sandbox,
        &python,
        &action,
        &workspace,
        &["--input", "paths=manifests", "--input", "version=v9.9.9"],
    );
    let stderr = text(&output.stderr);
    assert_success(&output, "the action installing lsc");
    assert!(
        text(&output.stdout).contains(&format!(
            "lsc v9.9.9 not on PATH (found: lsc {} (",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(
        step(&trace, "Install lsc")["ran"],
        true,
        "{trace}\n{stderr}"
    );
    assert_eq!(step(&trace, "Cache lsc")["uses"], "actions/cache@v4");
    let key = step(&trace, "Cache lsc")["with"]["key"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        key.starts_with("lsc-Linux-x86_64-") && key.len() == "lsc-Linux-x86_64-".len() + 16,
        "{key}"
    );
    let calls = std::fs::read_to_string(sandbox.path("cargo-calls")).unwrap();
    let root = step(&trace, "Find lsc")["outputs"]["root"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        calls,
        format!("install --locked --path {ROOT} --root {root}\n")
    );
    assert!(summary.contains("exited with 0."), "{summary}");
}

/// The Flux example's workflow (examples/flux/workflow.yaml), run as its job: the committed
/// Certificates are what `lsc render` prints for the apps, so it passes; after an Ingress
/// changes a host, it fails with an annotation naming the file and the command that fixes it.
fn flux_workflow() {
    let Some(python) = tool("flux_workflow", "python3", "PYTHON_YAML") else {
        return;
    };
    let sandbox = Sandbox::new();
    let example = Path::new(ROOT).join("examples/flux");
    let rendered = sandbox
        .command(Path::new("lsc"))
        .args(["render", "clusters/prod/apps"])
        .current_dir(&example)
        .output()
        .unwrap();
    assert_success(&rendered, "lsc render clusters/prod/apps");
    assert_eq!(
        text(&rendered.stdout),
        std::fs::read_to_string(example.join("clusters/prod/certificates.yaml")).unwrap(),
        "examples/flux/clusters/prod/certificates.yaml is stale: run `lsc render clusters/prod/apps > clusters/prod/certificates.yaml` in examples/flux"
    );
    let workspace = sandbox.path("workspace");
    let apps = workspace.join("clusters/prod/apps");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::copy(
        example.join("clusters/prod/certificates.yaml"),
        workspace.join("clusters/prod/certificates.yaml"),
    )
    .unwrap();
    let ingresses =
        std::fs::read_to_string(example.join("clusters/prod/apps/ingresses.yaml")).unwrap();
    std::fs::write(apps.join("ingresses.yaml"), &ingresses).unwrap();
    let workflow = example.join("workflow.yaml");
    let job = ["--job", "certificates"];
    let (output, _, trace) = run_github_steps(&sandbox, &python, &workflow, &workspace, &job);
    assert_success(&output, "the Flux workflow on fresh Certificates");
    assert!(
        text(&output.stdout).contains("0 missing, 0 extra, 0 changed, 2 unchanged"),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(
        trace["steps"][1]["with"]["paths"], "clusters/prod/apps",
        "{trace}"
    );

    std::fs::write(
        apps.join("ingresses.yaml"),
        ingresses.replace("foo.example.com", "foo.example.org"),
    )
    .unwrap();
    let (output, _, _) = run_github_steps(&sandbox, &python, &workflow, &workspace, &job);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("-  - foo.example.com\n+  - foo.example.org\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("::error file=clusters/prod/certificates.yaml::not what lsc renders for clusters/prod/apps: run `lsc render clusters/prod/apps > clusters/prod/certificates.yaml` and commit it\n"),
        "{stdout}"
    );
}

/// The Argo CD plugin (examples/argocd/plugin.yaml): its discover and generate commands, read
/// from the file, run in each example app folder with the environment Argo CD's CMP server
/// sets; the generated objects are `examples/argocd/expected/APP.yaml` (outside the app folder,
/// which lsc reads whole). kustomize is kubectl's.
fn argocd_plugin() {
    let Some(python) = tool("argocd_plugin", "python3", "PYTHON_YAML") else {
        return;
    };
    let Some(kubectl) = tool("argocd_plugin", "kubectl", "KUBECTL") else {
        return;
    };
    let sandbox = Sandbox::new();
    stand_in(
        &sandbox,
        "kustomize",
        &format!(
            "#!/bin/sh\n[ \"$1\" = build ] && shift\nexec '{}' kustomize \"$@\"\n",
            kubectl.display()
        ),
    );
    let plugin = Path::new(ROOT).join("examples/argocd/plugin.yaml");
    let json = sandbox
        .command(&python)
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(&plugin)
        .output()
        .unwrap();
    assert_success(&json, "reading plugin.yaml");
    let plugin: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(plugin["apiVersion"], "argoproj.io/v1alpha1");
    assert_eq!(plugin["kind"], "ConfigManagementPlugin");
    let argv = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let discover = argv(&plugin["spec"]["discover"]["find"]["command"]);
    let mut generate = argv(&plugin["spec"]["generate"]["command"]);
    if let Some(args) = plugin["spec"]["generate"].get("args") {
        generate.extend(argv(args));
    }
    let run = |argv: &[String], dir: &Path, app: &str| {
        sandbox
            .command(Path::new(&argv[0]))
            .args(&argv[1..])
            .current_dir(dir)
            .env("ARGOCD_APP_NAME", app)
            .env("ARGOCD_APP_NAMESPACE", "prod")
            .env(
                "ARGOCD_APP_REVISION",
                "0123456789abcdef0123456789abcdef01234567",
            )
            .env(
                "ARGOCD_APP_SOURCE_PATH",
                format!("examples/argocd/apps/{app}"),
            )
            .env("ARGOCD_APP_SOURCE_REPO_URL", "https://example.com/apps.git")
            .env("ARGOCD_APP_SOURCE_TARGET_REVISION", "HEAD")
            .env("KUBE_VERSION", "1.35.2")
            .env("ARGOCD_ENV_LSC_ARGS", "--cert-manager-version 1.21")
            .output()
            .unwrap()
    };
    for app in ["plain", "kustomize"] {
        let dir = Path::new(ROOT).join("examples/argocd/apps").join(app);
        let found = run(&discover, &dir, app);
        assert_success(&found, &format!("discover in {app}"));
        assert!(!found.stdout.is_empty(), "discover does not claim {app}");
        let generated = run(&generate, &dir, app);
        assert_success(&generated, &format!("generate in {app}"));
        assert_expected(
            &generated.stdout,
            &format!("examples/argocd/expected/{app}.yaml"),
        );
    }

    // Not lsc's: no Certificate to issue, discover prints nothing.
    let other = sandbox.path("other");
    write_files(
        &other,
        &[(
            "configmap.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n",
        )],
    );
    let found = run(&discover, &other, "other");
    assert_eq!(
        text(&found.stdout),
        "",
        "discover claims an app without Certificates"
    );
    // A kustomize failure fails the generation (Argo CD would otherwise prune the app).
    write_files(
        &other,
        &[("kustomization.yaml", "resources:\n- missing.yaml\n")],
    );
    let generated = run(&generate, &other, "other");
    assert!(
        !generated.status.success(),
        "generate succeeded on a broken kustomization"
    );
    assert_eq!(text(&generated.stdout), "");
    // lsc's error fails it, with lsc's message for the Argo CD UI.
    write_files(
        &other,
        &[
            ("kustomization.yaml", "resources:\n- shop.yaml\n"),
            ("shop.yaml", BAD_INGRESS),
        ],
    );
    let generated = run(&generate, &other, "other");
    assert!(!generated.status.success());
    assert!(
        text(&generated.stderr).contains(DURATION_MESSAGE),
        "{}",
        text(&generated.stderr)
    );
}

/// tools/build-static.sh's binary (`LSC_STATIC`): ldd says it is not dynamic, and it runs.
fn static_binary() {
    let Some(binary) = tool("static_binary", "lsc-static", "LSC_STATIC") else {
        return;
    };
    let ldd = Command::new("ldd").arg(&binary).output().unwrap();
    let said = format!("{}{}", text(&ldd.stdout), text(&ldd.stderr));
    assert!(
        said.contains("not a dynamic executable") || said.contains("statically linked"),
        "ldd {}: {said}",
        binary.display()
    );
    let version = Command::new(&binary).arg("--version").output().unwrap();
    assert_success(&version, "lsc-static --version");
    assert!(
        text(&version.stdout).starts_with(&format!("lsc {} (", env!("CARGO_PKG_VERSION"))),
        "{}",
        text(&version.stdout)
    );
}

/// `podman build -t lsc:local .` of the root Dockerfile, after checking that `binary` is the
/// one it copies.
fn build_image(sandbox: &Sandbox, podman: &Path, binary: &Path) {
    let wanted = Path::new(ROOT).join("target/x86_64-unknown-linux-gnu/static/lsc");
    assert_eq!(
        binary.canonicalize().unwrap(),
        wanted.canonicalize().unwrap(),
        "the Dockerfile copies tools/build-static.sh's binary; LSC_STATIC names another"
    );
    let build = sandbox
        .command(podman)
        .args([
            "build",
            "--quiet",
            "-t",
            "lsc:local",
            "-f",
            "Dockerfile",
            ".",
        ])
        .output()
        .unwrap();
    assert_success(&build, "podman build -t lsc:local -f Dockerfile .");
}

/// The root Dockerfile builds with podman from the static binary alone: no base image (none is
/// pulled), entrypoint lsc, user nobody, and an image hardly larger than the binary, so
/// .dockerignore kept target/ out.
fn container_image_build() {
    let test = "container_image_build";
    let (Some(podman), Some(binary)) = (
        tool(test, "podman", "PODMAN"),
        tool(test, "lsc-static", "LSC_STATIC"),
    ) else {
        return;
    };
    let sandbox = Sandbox::new();
    build_image(&sandbox, &podman, &binary);
    let inspect = sandbox
        .command(&podman)
        .args(["image", "inspect", "lsc:local"])
        .output()
        .unwrap();
    assert_success(&inspect, "podman image inspect lsc:local");
    let image: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
    let image = &image[0];
    assert_eq!(
        image["Config"]["Entrypoint"],
        serde_json::json!(["/usr/local/bin/lsc"])
    );
    assert_eq!(image["Config"]["User"], "65534:65534");
    let size = image["Size"].as_u64().unwrap();
    let binary_size = binary.metadata().unwrap().len();
    assert!(
        size < binary_size + 64 * 1024,
        "image of {size} bytes for a binary of {binary_size}"
    );
}

/// The image run by `kubectl kustomize` as the KRM container function of
/// examples/kustomize/krm-function (`docker` is podman here): the output is that example's
/// expected.yaml. Needs a podman that starts containers.
fn container_image_krm_function() {
    let test = "container_image_krm_function";
    let (Some(podman), Some(binary), Some(kubectl)) = (
        tool(test, "podman-run", "PODMAN"),
        tool(test, "lsc-static", "LSC_STATIC"),
        tool(test, "kubectl", "KUBECTL"),
    ) else {
        return;
    };
    let sandbox = Sandbox::new();
    build_image(&sandbox, &podman, &binary);
    let version = sandbox
        .command(&podman)
        .args(["run", "--rm", "lsc:local", "--version"])
        .output()
        .unwrap();
    assert_success(&version, "podman run --rm lsc:local --version");
    assert!(
        text(&version.stdout).starts_with(&format!("lsc {} (", env!("CARGO_PKG_VERSION"))),
        "{}",
        text(&version.stdout)
    );
    stand_in(
        &sandbox,
        "docker",
        &format!("#!/bin/sh\nexec '{}' \"$@\"\n", podman.display()),
    );
    let line = "kubectl kustomize --enable-alpha-plugins examples/kustomize/krm-function";
    let output = sandbox.run_readme_command(
        "examples/kustomize/krm-function/README.md",
        line,
        &[("kubectl", &kubectl)],
    );
    assert_success(&output, line);
    assert_expected(
        &output.stdout,
        "examples/kustomize/krm-function/expected.yaml",
    );
}

/// Every variable naming a tool, for the closing SKIPPED line and [`missing_tools_are_counted`].
const TOOL_VARIABLES: &str = "KUBECTL=.tools/bin/kubectl HELM=.tools/bin/helm PRE_COMMIT=.tools/bin/pre-commit PYTHON_YAML=.tools/bin/python-yaml LSC_STATIC=$(tools/build-static.sh) PODMAN=$(command -v podman)";

/// Without the tools, every test is reported as ignored (none as passed) and the run ends with
/// their count and how to get the tools: this binary run again with an empty PATH.
fn missing_tools_are_counted() {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--skip", "missing_tools_are_counted", "--test-threads", "1"])
        .env("PATH", "")
        .env_remove("LSC_E2E_REQUIRED");
    for (_, _, tools) in TESTS {
        for (_, var) in *tools {
            command.env_remove(var);
        }
    }
    let output = command.output().unwrap();
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
        stderr.ends_with(&format!("SKIPPED: {count} end-to-end tests (kubectl, helm, pre-commit, python3, lsc-static, podman and podman-run not found): run tools/install-kube-tools.sh and tools/install-py-tools.sh, then {TOOL_VARIABLES} cargo test --test e2e\n")),
        "{stderr}"
    );
}

/// The tests, each with the tools it needs. A test whose tool is missing is ignored (unless
/// [`required`]), and the run ends with their count: skipped
/// tests are never counted as passed.
fn main() {
    // Without the standard harness a function marked as a test here would never run.
    assert!(
        !include_str!("e2e.rs").contains(concat!("#[", "test]")),
        "tests/e2e.rs: list the test in main's table instead of marking it with the test attribute"
    );
    let args = libtest_mimic::Arguments::from_args();
    let mut missing: Vec<&str> = Vec::new();
    let trials = TESTS
        .iter()
        .map(|&(name, test, tools)| {
            let mut absent = false;
            for &(tool, var) in tools {
                if !required(tool) && find_tool(name, tool, var).is_none() {
                    absent = true;
                    if !missing.contains(&tool) {
                        missing.push(tool);
                    }
                }
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
        let names = match missing.split_last() {
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        };
        // Straight to stderr, after the summary: the last thing the run prints.
        let _ = std::io::stderr().write_all(
            format!(
                "SKIPPED: {} end-to-end tests ({names} not found): run tools/install-kube-tools.sh and tools/install-py-tools.sh, then {TOOL_VARIABLES} cargo test --test e2e\n",
                conclusion.num_ignored,
            )
            .as_bytes(),
        );
    }
    conclusion.exit();
}
