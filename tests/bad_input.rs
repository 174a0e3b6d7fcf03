//! Bad input, through the real binary: every case under tests/fixtures/bad-input/ (format in
//! its README.md) runs `lsc render`, and where meaningful `lsc convert` and `lsc check`, and
//! must give the located error it expects, exit 2 (check: a finding and exit 1, as docs/check.md
//! says), print nothing on stdout, and finish in time. A few inputs are too
//! large or too odd to keep in git (symbolic links, 10 MB values): the test writes them, as each
//! case's setup.txt describes. `BLESS=1 cargo test --test bad_input` rewrites the expected files
//! (review the diff by eye).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// No case may take longer, whatever it holds: "never hang". The debug binary reads about
/// 3 MB/s of YAML; the largest case is refused before parsing.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Files of a case that are expectations or descriptions, not inputs.
const NOT_INPUTS: &[&str] = &[
    "about.txt",
    "args",
    "commands",
    "stdin",
    "setup.txt",
    "expected.txt",
    "expected.code",
    "expected.yaml",
    "convert.txt",
    "convert.code",
    "check.txt",
    "check.code",
];

const INGRESS_HEAD: &str = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  uid: 0f9a
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
";

const INGRESS_TLS: &str = "spec:
  tls:
  - hosts: [web.example.com]
    secretName: web-tls
";

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-input");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

fn read_optional(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// Copies a case's inputs (`top`: the case folder itself, where its other files are).
fn copy_inputs(from: &Path, to: &Path, top: bool) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if top && NOT_INPUTS.contains(&name.as_str()) {
            continue;
        }
        if path.is_dir() {
            std::fs::create_dir_all(to.join(&name)).unwrap();
            copy_inputs(&path, &to.join(&name), false);
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// Writes what git cannot hold well; returns whether `case` has such a setup.
fn setup(case: &str, dir: &Path) -> bool {
    match case {
        "nesting-too-deep" => {
            let mut text = INGRESS_HEAD.to_string() + "spec:\n";
            for level in 1..=300 {
                text.push_str(&"  ".repeat(level));
                text.push_str(&format!("level{level}:\n"));
            }
            std::fs::write(dir.join("input.yaml"), text).unwrap();
        }
        "long-string-10mb" => {
            let text = format!(
                "{INGRESS_HEAD}    example.com/blob: {}\n{INGRESS_TLS}",
                "x".repeat(10_000_000)
            );
            std::fs::write(dir.join("input.yaml"), text).unwrap();
        }
        "many-empty-documents" => {
            std::fs::write(dir.join("input.yaml"), "---\n".repeat(100_000)).unwrap();
        }
        "many-keys-duplicate" => {
            let mut text = INGRESS_HEAD.to_string();
            for i in 0..100_000 {
                text.push_str(&format!("    example.com/key-{i}: v\n"));
            }
            text.push_str("    example.com/key-0: again\n");
            text.push_str(INGRESS_TLS);
            std::fs::write(dir.join("input.yaml"), text).unwrap();
        }
        "dangling-symlink" => symlink("nowhere.yaml", &dir.join("gone.yaml")),
        "dangling-symlink-in-folder" => symlink("nowhere.yaml", &dir.join("manifests/gone.yaml")),
        "symlink-loop" => {
            std::fs::create_dir_all(dir.join("manifests/sub")).unwrap();
            symlink("..", &dir.join("manifests/sub/back"));
        }
        _ => return false,
    }
    true
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(not(unix))]
fn symlink(target: &str, link: &Path) {
    std::os::windows::fs::symlink_file(target, link).unwrap();
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    seconds: f64,
}

fn run(dir: &Path, command: &[&str], args: &[String], stdin: &[u8]) -> Run {
    let started = Instant::now();
    let output = assert_cmd::Command::cargo_bin("lsc")
        .unwrap()
        .current_dir(dir)
        .args(command)
        .args(args)
        .write_stdin(stdin)
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    Run {
        // A kill by the timeout (or a crash) has no code.
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// `lsc check --format json` findings as lines in the diagnostics' own format
/// (`error[LSC001]: input.yaml:4: document 1: Ingress shop/web: message`).
fn finding_lines(json: &str) -> Vec<String> {
    let findings: serde_json::Value = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("check --format json printed no JSON ({e}): {json}"));
    findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut line = format!(
                "{}[{}]: {}",
                f["severity"].as_str().unwrap(),
                f["code"].as_str().unwrap(),
                f["file"].as_str().unwrap_or("")
            );
            if let Some(n) = f["line"].as_u64().filter(|n| *n > 0) {
                line.push_str(&format!(":{n}"));
            }
            line.push_str(": ");
            if let Some(n) = f["document"].as_u64().filter(|n| *n > 0) {
                line.push_str(&format!("document {n}: "));
            }
            if let Some(o) = f["object"].as_object() {
                let namespace = o["namespace"].as_str().unwrap_or("");
                let name = o["name"].as_str().unwrap_or("");
                let kind = o["kind"].as_str().unwrap_or("");
                if namespace.is_empty() {
                    line.push_str(&format!("{kind} {name}: "));
                } else {
                    line.push_str(&format!("{kind} {namespace}/{name}: "));
                }
            }
            line.push_str(f["message"].as_str().unwrap());
            line
        })
        .collect()
}

fn errors(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with("error")).collect()
}

/// An error line names an input and, unless the whole input is refused (it cannot be read,
/// or it is too large), the line in it.
fn assert_located(case: &str, stderr: &str, inputs: &[String]) {
    for line in errors(stderr) {
        let rest = line.strip_prefix("error: ").unwrap_or_default();
        let (place, message) = rest.split_once(": ").unwrap_or(("", rest));
        let file = place.split(':').next().unwrap_or_default();
        let named = inputs
            .iter()
            .any(|i| file == i || file.starts_with(&format!("{i}/")))
            || (file == "<stdin>" && inputs.iter().any(|i| i == "-"));
        assert!(named, "{case}: the error names no input: {line}");
        let whole_input = ["cannot read", "input is larger than"]
            .iter()
            .any(|m| message.starts_with(m));
        assert!(
            whole_input || place.contains(':'),
            "{case}: the error has no line: {line}"
        );
    }
}

fn check_case(case: &Path, bless: bool) -> Vec<String> {
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(format!("{name}: {what}"));
    assert!(
        case.join("about.txt").exists(),
        "{name}: about.txt says what the case is"
    );
    let dir = tempfile::tempdir().unwrap();
    copy_inputs(case, dir.path(), true);
    let has_setup = setup(&name, dir.path());
    assert_eq!(
        has_setup,
        case.join("setup.txt").exists(),
        "{name}: setup.txt describes what the test writes, and only then"
    );
    let args: Vec<String> = read_optional(&case.join("args"))
        .unwrap_or_else(|| "input.yaml\n".to_string())
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    // Paths, `-`, and the file of `--controller-config FILE`: what errors may name.
    let inputs: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .collect();
    let stdin = std::fs::read(case.join("stdin")).unwrap_or_default();
    let commands =
        read_optional(&case.join("commands")).unwrap_or_else(|| "render convert check".to_string());
    let commands: Vec<&str> = commands.split_whitespace().collect();

    // render: the exact stderr, exit code and stdout.
    let render = run(dir.path(), &["render"], &args, &stdin);
    let expected_code: i32 =
        read_optional(&case.join("expected.code")).map_or(2, |c| c.trim().parse().unwrap());
    if bless {
        std::fs::write(case.join("expected.txt"), &render.stderr).unwrap();
        if render.code == 2 {
            let _ = std::fs::remove_file(case.join("expected.code"));
        } else {
            std::fs::write(case.join("expected.code"), format!("{}\n", render.code)).unwrap();
        }
        if render.stdout.is_empty() {
            let _ = std::fs::remove_file(case.join("expected.yaml"));
        } else {
            std::fs::write(case.join("expected.yaml"), &render.stdout).unwrap();
        }
    } else {
        let expected = read_optional(&case.join("expected.txt")).unwrap_or_default();
        if render.stderr != expected {
            fail(format!(
                "render stderr differs\n--- expected\n{expected}--- got\n{}",
                render.stderr
            ));
        }
        if render.code != expected_code {
            fail(format!(
                "render exit {} (expected {expected_code})",
                render.code
            ));
        }
        let stdout = read_optional(&case.join("expected.yaml")).unwrap_or_default();
        if render.stdout != stdout {
            fail(format!("render stdout differs:\n{}", render.stdout));
        }
    }
    if render.code == 2 && !render.stdout.is_empty() {
        fail("render failed but printed to stdout".to_string());
    }
    if render.code == 2 && errors(&render.stderr).is_empty() {
        fail("render exit 2 without an error line".to_string());
    }
    assert_located(&name, &render.stderr, &inputs);
    if render.seconds > 20.0 {
        fail(format!("render took {:.1} s", render.seconds));
    }
    let render_errors = errors(&render.stderr)
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();

    if commands.contains(&"convert") {
        let convert = run(dir.path(), &["convert"], &args, &stdin);
        if bless {
            let own = convert.code == 2 && convert.stderr != render.stderr;
            write_if(&case.join("convert.txt"), own, &convert.stderr);
            let code = format!("{}\n", convert.code);
            write_if(
                &case.join("convert.code"),
                convert.code != render.code,
                &code,
            );
        }
        let expected_code: i32 = read_optional(&case.join("convert.code"))
            .map_or(render.code, |c| c.trim().parse().unwrap());
        if convert.code != expected_code {
            fail(format!(
                "convert exit {} (expected {expected_code})\n{}",
                convert.code, convert.stderr
            ));
        }
        if convert.code == 2 {
            if !convert.stdout.is_empty() {
                fail(format!("convert failed but printed:\n{}", convert.stdout));
            }
            // The same errors as render, unless convert has its own (convert.txt).
            let expected = match read_optional(&case.join("convert.txt")) {
                Some(text) => text,
                None => render.stderr.clone(),
            };
            if convert.stderr != expected {
                fail(format!(
                    "convert stderr differs\n--- expected\n{expected}--- got\n{}",
                    convert.stderr
                ));
            }
        } else if !errors(&convert.stderr).is_empty() {
            fail(format!("convert exit 0 with errors:\n{}", convert.stderr));
        }
    }

    if commands.contains(&"check") {
        let check = run(dir.path(), &["check", "--format", "json"], &args, &stdin);
        if bless {
            write_if(&case.join("check.code"), check.code == 2, "2\n");
            let derived: Vec<String> = render_errors
                .iter()
                .map(|l| l.replacen("error: ", "error[LSC001]: ", 1))
                .collect();
            let found: Vec<String> = if check.code == 2 {
                derived.clone()
            } else {
                finding_lines(&check.stdout)
                    .into_iter()
                    .filter(|l| l.starts_with("error"))
                    .collect()
            };
            let own = format!("{}\n", found.join("\n"));
            write_if(&case.join("check.txt"), found != derived, &own);
        }
        let check_code =
            read_optional(&case.join("check.code")).map(|c| c.trim().parse::<i32>().unwrap());
        if check_code == Some(2) {
            // Usage errors and paths that cannot be read: render's errors, on stderr.
            if check.code != 2 || !check.stdout.is_empty() || check.stderr != render.stderr {
                fail(format!(
                    "check: exit {} (expected 2), stdout {:?}, stderr {:?}",
                    check.code, check.stdout, check.stderr
                ));
            }
        } else {
            let found: Vec<String> = finding_lines(&check.stdout)
                .into_iter()
                .filter(|l| l.starts_with("error"))
                .collect();
            // Render's errors as LSC001 findings, unless check has its own (check.txt).
            let expected: Vec<String> = match read_optional(&case.join("check.txt")) {
                Some(text) => text.lines().map(str::to_string).collect(),
                None => render_errors
                    .iter()
                    .map(|l| l.replacen("error: ", "error[LSC001]: ", 1))
                    .collect(),
            };
            if found != expected {
                fail(format!(
                    "check findings differ\n--- expected\n{}\n--- got\n{}",
                    expected.join("\n"),
                    found.join("\n")
                ));
            }
            let code = check_code.unwrap_or(if expected.is_empty() { 0 } else { 1 });
            if check.code != code {
                fail(format!("check exit {} (expected {code})", check.code));
            }
        }
    }
    failures
}

/// Writes `path` when `keep`, removes it otherwise (blessing).
fn write_if(path: &Path, keep: bool, content: &str) {
    if keep {
        std::fs::write(path, content).unwrap();
    } else {
        let _ = std::fs::remove_file(path);
    }
}

#[test]
fn every_bad_input_gets_a_located_error_and_exit_2() {
    let bless = std::env::var_os("BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= 30, "{} bad-input cases", cases.len());
    // A few cases at a time: each runs lsc up to three times, mostly waiting on it.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let chunk = cases.len().div_ceil(threads);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|cases| {
                scope.spawn(move || {
                    cases
                        .iter()
                        .flat_map(|c| check_case(c, bless))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `lsc render -` with stdin from /dev/null (not an empty pipe): no documents, exit 0.
#[test]
fn stdin_from_dev_null_holds_no_documents() {
    for command in ["render", "convert", "check"] {
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("lsc"))
            .args([command, "-"])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{command}");
        assert!(
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .all(|l| !l.starts_with("error")),
            "{command}"
        );
        if command == "render" {
            assert!(output.stdout.is_empty());
        }
    }
}

/// The bound's flag is named in every refusal, and raising it lets the input through.
#[test]
fn raising_a_bound_lets_the_input_through() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{INGRESS_HEAD}    example.com/blob: {}\n{INGRESS_TLS}",
        "x".repeat(2000)
    );
    std::fs::write(dir.path().join("input.yaml"), &text).unwrap();
    for (flag, small, large) in [
        ("--max-document-bytes", "1000", "4000"),
        ("--max-input-bytes", "1000", "4000"),
        ("--max-depth", "2", "8"),
    ] {
        let refused = run(
            dir.path(),
            &["render"],
            &[format!("{flag}={small}"), "input.yaml".to_string()],
            b"",
        );
        assert_eq!(refused.code, 2, "{flag}: {}", refused.stderr);
        assert!(
            refused
                .stderr
                .contains(&format!("({flag} raises this bound)")),
            "{flag}: {}",
            refused.stderr
        );
        let accepted = run(
            dir.path(),
            &["render"],
            &[format!("{flag}={large}"), "input.yaml".to_string()],
            b"",
        );
        assert_eq!(accepted.code, 0, "{flag}: {}", accepted.stderr);
        assert!(accepted.stdout.contains("  secretName: web-tls\n"));
    }
    // `--max-alias-expansions` is the same bound as `--max-alias-nodes`.
    let aliases = format!(
        "{INGRESS_HEAD}    example.com/a: &a x\n    example.com/b: *a\n    example.com/c: *a\n{INGRESS_TLS}"
    );
    std::fs::write(dir.path().join("input.yaml"), aliases).unwrap();
    for flag in ["--max-alias-nodes", "--max-alias-expansions"] {
        let refused = run(
            dir.path(),
            &["render"],
            &[format!("{flag}=1"), "input.yaml".to_string()],
            b"",
        );
        assert_eq!(refused.code, 2, "{flag}");
        assert!(
            refused
                .stderr
                .contains("(--max-alias-nodes raises this bound)"),
            "{}",
            refused.stderr
        );
        let accepted = run(
            dir.path(),
            &["render"],
            &[format!("{flag}=2"), "input.yaml".to_string()],
            b"",
        );
        assert_eq!(accepted.code, 0, "{flag}: {}", accepted.stderr);
    }
}
