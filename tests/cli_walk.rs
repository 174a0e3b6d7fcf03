//! Folders walked as GitOps repositories hold them, on the real binary: `.gitignore`, `.ignore`
//! and `.lscignore` files, `--exclude`, Helm charts (skipped with one note each) and template
//! text outside a chart (a parse error with a hint).

#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use common::lsc;

/// An Ingress whose Certificate names `host`, so the output tells which files were read.
fn ingress(name: &str, host: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: shop
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls:
  - hosts: [{host}]
    secretName: {name}-tls
  rules:
  - host: {host}
"
    )
}

/// Writes `files` (path under `root`, text), making their folders.
fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// A tree of one Ingress per file, each named after its file: `a/b.yaml` holds `a-b` for
/// host `a-b.example.com`.
fn tree(root: &Path, files: &[&str]) {
    for file in files {
        let name = file
            .trim_end_matches(".yaml")
            .trim_end_matches(".yml")
            .replace(['/', '.', '_'], "-");
        write(
            root,
            &[(file, &ingress(&name, &format!("{name}.example.com")))],
        );
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn lsc_in(args: &[&str], dir: &Path) -> Run {
    let output = lsc().args(args).current_dir(dir).output().unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// The hosts of the Certificates `lsc render` prints, in output order.
fn hosts(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .filter(|h| h.ends_with(".example.com"))
        .map(str::to_string)
        .collect()
}

/// Renders `args` in `dir` and returns the hosts, the run failing the test unless it exits 0.
fn rendered(args: &[&str], dir: &Path) -> (Vec<String>, String) {
    let run = lsc_in(args, dir);
    assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
    let mut hosts = hosts(&run.stdout);
    hosts.sort();
    (hosts, run.stderr)
}

fn names(hosts: &[&str]) -> Vec<String> {
    let mut hosts: Vec<String> = hosts.iter().map(|h| format!("{h}.example.com")).collect();
    hosts.sort();
    hosts
}

#[test]
fn a_gitignored_file_or_folder_is_not_read_even_without_a_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    tree(
        dir.path(),
        &[
            "apps/web.yaml",
            "apps/secret.yaml",
            "out/gen.yaml",
            "keep.yaml",
        ],
    );
    write(
        dir.path(),
        &[(".gitignore", "# generated\nsecret.yaml\n/out/\n")],
    );
    let (hosts, stderr) = rendered(&["render", "."], dir.path());
    assert_eq!(hosts, names(&["apps-web", "keep"]), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn ignore_and_lscignore_files_are_honoured_and_win_over_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), &["a.yaml", "b.yaml", "c.yaml", "d.yaml"]);
    write(
        dir.path(),
        &[
            (".gitignore", "a.yaml\nb.yaml\n"),
            // Re-includes b.yaml: .ignore's lines win over .gitignore's.
            (".ignore", "!b.yaml\nc.yaml\n"),
            (".lscignore", "d.yaml\n"),
        ],
    );
    let (hosts, _) = rendered(&["render", "."], dir.path());
    assert_eq!(hosts, names(&["b"]));
    // .lscignore's lines win over .ignore's.
    write(dir.path(), &[(".lscignore", "!c.yaml\n")]);
    let (hosts, _) = rendered(&["render", "."], dir.path());
    assert_eq!(hosts, names(&["b", "c", "d"]));
}

#[test]
fn nested_ignore_files_apply_to_their_folder_and_a_deeper_one_wins() {
    let dir = tempfile::tempdir().unwrap();
    tree(
        dir.path(),
        &[
            "x.yaml",
            "team-a/x.yaml",
            "team-a/y.yaml",
            "team-b/x.yaml",
            "team-b/y.yaml",
            "team-b/deep/y.yaml",
        ],
    );
    write(
        dir.path(),
        &[
            (".gitignore", "y.yaml\n"),
            // Only under team-a/: x.yaml elsewhere is read.
            ("team-a/.gitignore", "x.yaml\n"),
            // A deeper rule re-includes what the root's ignores.
            ("team-b/deep/.gitignore", "!y.yaml\n"),
            // Anchored to the folder holding the file: team-b/x.yaml only.
            ("team-b/.ignore", "/x.yaml\n"),
        ],
    );
    let (hosts, _) = rendered(&["render", "."], dir.path());
    assert_eq!(hosts, names(&["x", "team-b-deep-y"]));
}

#[test]
fn ignore_files_above_the_folder_apply_up_to_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    tree(&repo, &["apps/web.yaml", "apps/generated/gen.yaml"]);
    write(&repo, &[(".gitignore", "generated/\n")]);
    // Outside a repository, the folders above are not looked at.
    let (hosts, _) = rendered(&["render", "apps"], &repo);
    assert_eq!(hosts, names(&["apps-web", "apps-generated-gen"]));
    // In one (a .git folder or file), as git does.
    std::fs::create_dir(repo.join(".git")).unwrap();
    let (hosts, _) = rendered(&["render", "apps"], &repo);
    assert_eq!(hosts, names(&["apps-web"]));
    let (hosts, _) = rendered(&["render", "repo/apps/"], dir.path());
    assert_eq!(hosts, names(&["apps-web"]));
    // A folder above the repository's root is not part of it.
    write(dir.path(), &[(".gitignore", "web.yaml\n")]);
    let (hosts, _) = rendered(&["render", "apps"], &repo);
    assert_eq!(hosts, names(&["apps-web"]));
}

#[test]
fn exclude_skips_files_and_folders_relative_to_the_folder_given() {
    let dir = tempfile::tempdir().unwrap();
    tree(
        dir.path(),
        &[
            "apps/web.yaml",
            "apps/blog.yaml",
            "apps/tmp/t.yaml",
            "other/tmp/t.yaml",
            "other/web.yaml",
        ],
    );
    let (hosts, _) = rendered(
        &[
            "render",
            "apps",
            "other",
            "--exclude",
            "tmp/",
            "--exclude",
            "/web.yaml",
        ],
        dir.path(),
    );
    // `/web.yaml` is anchored to each folder given: apps/web.yaml and other/web.yaml.
    assert_eq!(hosts, names(&["apps-blog"]));
    let (hosts, _) = rendered(&["render", ".", "--exclude", "apps/tmp"], dir.path());
    assert_eq!(
        hosts,
        names(&["apps-web", "apps-blog", "other-tmp-t", "other-web"])
    );
    // check, convert and diff take it too.
    for command in [
        &["check", ".", "--exclude", "*.yaml"][..],
        &["convert", ".", "--exclude", "*.yaml"],
    ] {
        let run = lsc_in(command, dir.path());
        assert!(
            run.stderr
                .contains("folder holds no *.yaml, *.yml or *.json file"),
            "{command:?}: {}",
            run.stderr
        );
    }
    // A glob that does not parse is a usage error.
    let run = lsc_in(&["render", ".", "--exclude", "a{b"], dir.path());
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr,
        "error: --exclude a{b: unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)\n"
    );
}

#[test]
fn a_file_named_on_the_command_line_is_read_whatever_the_ignore_files_say() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), &["apps/web.yaml", "apps/secret.yaml"]);
    write(dir.path(), &[(".gitignore", "secret.yaml\n")]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let (hosts, _) = rendered(&["render", "apps/secret.yaml"], dir.path());
    assert_eq!(hosts, names(&["apps-secret"]));
    let (hosts, _) = rendered(
        &["render", "apps/secret.yaml", "--exclude", "*.yaml"],
        dir.path(),
    );
    assert_eq!(hosts, names(&["apps-secret"]));
}

#[test]
fn a_helm_chart_is_skipped_whole_with_one_note() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), &["apps/web.yaml"]);
    write(
        dir.path(),
        &[
            (
                "charts/shop/Chart.yaml",
                "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
            ),
            ("charts/shop/values.yaml", "host: shop.example.com\n"),
            (
                "charts/shop/templates/ingress.yaml",
                "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {{ .Release.Name }}\n  {{- with .Values.labels }}\n  labels: {{ . }}\n  {{- end }}\n",
            ),
            (
                "charts/shop/charts/sub/Chart.yaml",
                "apiVersion: v2\nname: sub\n",
            ),
        ],
    );
    let (hosts, stderr) = rendered(&["render", "."], dir.path());
    assert_eq!(hosts, names(&["apps-web"]));
    assert_eq!(
        stderr,
        "note: ./charts/shop: a Helm chart (Chart.yaml), skipped; render it first: helm template ./charts/shop | lsc render -\n"
    );
    // Named on the command line too (its templates cannot be read); each command names itself.
    let run = lsc_in(&["check", "charts/shop"], dir.path());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "note: charts/shop: a Helm chart (Chart.yaml), skipped; render it first: helm template charts/shop | lsc check -\n"
    );
    // The note stays when another input fails (it is about the input, not the output).
    write(dir.path(), &[("apps/bad.yaml", "kind: [\n")]);
    let run = lsc_in(&["render", "."], dir.path());
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("note: ./charts/shop: a Helm chart"),
        "{}",
        run.stderr
    );
    // Outside a chart, a values.yaml is a file like any other.
    std::fs::remove_file(dir.path().join("apps/bad.yaml")).unwrap();
    write(
        dir.path(),
        &[("apps/values.yaml", &ingress("values", "values.example.com"))],
    );
    let (hosts, _) = rendered(&["render", "."], dir.path());
    assert_eq!(hosts, names(&["apps-web", "values"]));
}

#[test]
fn a_template_outside_a_chart_gets_a_hint_on_its_parse_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "apps/ingress.yaml",
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  {{- with .Values.labels }}\n  labels: {{ . }}\n  {{- end }}\n",
        )],
    );
    let run = lsc_in(&["render", "apps"], dir.path());
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.starts_with("error: apps/ingress.yaml:5: ")
            && run
                .stderr
                .ends_with("; this looks like a Helm or Go template: render it first\n"),
        "{}",
        run.stderr
    );
    // A parse error in a file without `{{` has no hint.
    write(dir.path(), &[("apps/ingress.yaml", "kind: [\n")]);
    let run = lsc_in(&["render", "apps"], dir.path());
    assert_eq!(run.code, Some(2));
    assert!(!run.stderr.contains("template"), "{}", run.stderr);
}

#[test]
fn output_is_the_same_for_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for team in 0..12 {
        for app in 0..6 {
            files.push(format!("team-{team}/app-{app}.yaml"));
        }
    }
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    tree(dir.path(), &files);
    write(
        dir.path(),
        &[
            (".gitignore", "app-5.yaml\n"),
            ("team-3/.lscignore", "*\n"),
            ("team-7/Chart.yaml", "name: x\n"),
            ("team-9/bad.yaml", "a: {{ b }\n"),
        ],
    );
    for command in [&["render", "."][..], &["check", "."]] {
        let outputs: Vec<(String, String)> = ["1", "4"]
            .iter()
            .map(|jobs| {
                let mut args = command.to_vec();
                args.extend(["--jobs", jobs, "--exclude", "team-1/"]);
                let run = lsc_in(&args, dir.path());
                (run.stdout, run.stderr)
            })
            .collect();
        assert_eq!(outputs[0], outputs[1], "{command:?}");
        assert!(
            outputs[0].1.contains("team-7: a Helm chart"),
            "{}",
            outputs[0].1
        );
    }
}

#[test]
fn a_gitops_repository_renders() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    std::fs::create_dir(repo.join(".git")).unwrap();
    tree(repo, &["apps/shop/ingress.yaml", "apps/blog/ingress.yaml"]);
    write(
        repo,
        &[
            (".gitignore", "/rendered/\n*.local.yaml\n"),
            (
                "apps/kustomization.yaml",
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- shop\n- blog\n",
            ),
            ("apps/shop/dev.local.yaml", "not: [valid\n"),
            ("rendered/all.yaml", "{{ broken\n"),
            (
                "charts/web/Chart.yaml",
                "apiVersion: v2\nname: web\nversion: 1.0.0\n",
            ),
            ("charts/web/values.yaml", "replicas: 2\n"),
            (
                "charts/web/templates/ingress.yaml",
                "metadata:\n  name: {{ .Release.Name }}\n",
            ),
            (".github/workflows/ci.yaml", "on: push\n"),
            ("README.md", "# infra\n"),
        ],
    );
    let (hosts, stderr) = rendered(&["render", "."], repo);
    assert_eq!(hosts, names(&["apps-shop-ingress", "apps-blog-ingress"]));
    assert_eq!(
        stderr,
        "note: ./charts/web: a Helm chart (Chart.yaml), skipped; render it first: helm template ./charts/web | lsc render -\n"
    );
    let run = lsc_in(&["check", ".", "-o", "json"], repo);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("./charts/web: a Helm chart"),
        "{}",
        run.stderr
    );
    let run = lsc_in(&["check", ".", "-q"], repo);
    assert_eq!(run.stderr, "");
}

#[test]
fn the_examples_folder_renders_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = lsc_in(&["render", "examples"], root);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let notes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("note: "))
        .collect();
    assert_eq!(
        notes,
        [
            "note: examples/helm/chart: a Helm chart (Chart.yaml), skipped; render it first: helm template examples/helm/chart | lsc render -",
            "note: examples/helm/chart-without-namespace: a Helm chart (Chart.yaml), skipped; render it first: helm template examples/helm/chart-without-namespace | lsc render -",
        ]
    );
    assert!(!run.stderr.contains("error: "), "{}", run.stderr);
}

#[test]
fn an_ignore_file_that_is_a_fifo_is_not_opened_and_a_bad_line_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path(), &["a.yaml", "b.yaml", "c.yaml"]);
    // Nothing ever writes to it: opening it to read would wait forever.
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join(".gitignore"))
        .status()
        .unwrap();
    assert!(status.success());
    write(dir.path(), &[(".ignore", "b.yaml\na{b\n")]);
    let (hosts, stderr) = rendered(&["render", "."], dir.path());
    assert_eq!(hosts, names(&["a", "c"]));
    assert_eq!(
        stderr,
        "warning: ./.gitignore: not a regular file but a FIFO; its rules are not applied\n\
         warning: ./.ignore:2: unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?); line skipped\n"
    );
}
