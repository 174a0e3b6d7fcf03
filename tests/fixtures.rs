//! Runs every case under tests/fixtures/<area>/<case>/ through the real binary and compares
//! stdout, stderr and the exit code with the expected files beside the input.
//! `BLESS=1 cargo test --test fixtures` rewrites the expected files (review the diff by eye).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};

fn cases(area: &str) -> Vec<PathBuf> {
    common::fixture_cases(area)
}

fn read_optional(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn write_or_remove(path: &Path, content: &str) {
    if content.is_empty() {
        let _ = std::fs::remove_file(path);
    } else {
        std::fs::write(path, content).unwrap();
    }
}

fn case_args(case: &Path) -> Vec<String> {
    read_optional(&case.join("args"))
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Runs one case; `Err` describes every difference.
fn run_case(case: &Path, subcommand: &str) -> Result<(), String> {
    let bless = std::env::var_os("BLESS").is_some();
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let args = case_args(case);
    let output = assert_cmd::Command::cargo_bin("lsc")
        .unwrap()
        .current_dir(case)
        .arg(subcommand)
        .arg("input.yaml")
        .args(&args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let code = output.status.code().unwrap_or(-1);
    if stderr.contains("panicked") {
        return Err(format!("lsc panicked:\n{stderr}"));
    }
    common::assert_certificates_valid(&stdout, &name);
    common::assert_gateway_api_valid(&stdout, &name);
    if bless {
        write_or_remove(&case.join("expected.yaml"), &stdout);
        write_or_remove(&case.join("expected.err"), &stderr);
        let code_text = if code == 0 {
            String::new()
        } else {
            format!("{code}\n")
        };
        write_or_remove(&case.join("expected.code"), &code_text);
        return Ok(());
    }
    let expected_stdout = read_optional(&case.join("expected.yaml"));
    let expected_stderr = read_optional(&case.join("expected.err"));
    let expected_code: i32 = read_optional(&case.join("expected.code"))
        .trim()
        .parse()
        .unwrap_or(0);
    let mut problems = Vec::new();
    if stdout != expected_stdout {
        problems.push(format!(
            "stdout differs:\n--- expected\n{expected_stdout}--- actual\n{stdout}"
        ));
    }
    if stderr != expected_stderr {
        problems.push(format!(
            "stderr differs:\n--- expected\n{expected_stderr}--- actual\n{stderr}"
        ));
    }
    if code != expected_code {
        problems.push(format!("exit code {code}, expected {expected_code}"));
    }
    if code != 0 && !stdout.is_empty() {
        problems.push("stdout must be empty on error".to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Runs an ingress2gateway case with `--tls-in gateway` and compares the objects with
/// ingress2gateway's expectation after applying the CRD defaults, ignoring the orders
/// ingress2gateway leaves random (objects, listeners, backendRefs, certificateRefs).
fn run_i2gw_case(case: &Path) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let output = assert_cmd::Command::cargo_bin("lsc")
        .unwrap()
        .current_dir(case)
        .args(["convert", "--tls-in", "gateway", "input.yaml"])
        .args(case_args(case))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    if stderr.contains("panicked") {
        return Err(format!("lsc panicked:\n{stderr}"));
    }
    let mut problems = Vec::new();
    let expected_err = read_optional(&case.join("expected.err"));
    for line in expected_err.lines().filter(|l| !l.is_empty()) {
        if !stderr.contains(line) {
            problems.push(format!("stderr lacks {line:?}:\n{stderr}"));
        }
    }
    let expected_file = ["expected-lsc.yaml", "expected.yaml"]
        .iter()
        .map(|f| case.join(f))
        .find(|p| p.exists());
    match expected_file {
        Some(file) => {
            if !output.status.success() {
                problems.push(format!("exit code {:?}:\n{stderr}", output.status.code()));
            }
            common::assert_gateway_api_valid(&stdout, &name);
            let expected =
                common::normalize::normalized_objects(&std::fs::read_to_string(file).unwrap());
            let actual = common::normalize::normalized_objects(&stdout);
            if expected != actual {
                problems.push(format!(
                    "objects differ (normalized):\n--- expected\n{}\n--- actual\n{}",
                    serde_json::to_string_pretty(&expected).unwrap(),
                    serde_json::to_string_pretty(&actual).unwrap()
                ));
            }
        }
        None => {
            if output.status.code() != Some(2) || !stdout.is_empty() {
                problems.push(format!(
                    "expected an error (exit 2, empty stdout), got {:?}:\n{stdout}",
                    output.status.code()
                ));
            }
        }
    }
    // The default layout of the same input must be valid Gateway API too.
    let listenerset = assert_cmd::Command::cargo_bin("lsc")
        .unwrap()
        .current_dir(case)
        .args(["convert", "input.yaml"])
        .args(case_args(case))
        .output()
        .unwrap();
    common::assert_gateway_api_valid(&String::from_utf8(listenerset.stdout).unwrap(), &name);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// The formats of `lsc check` and the expected file each is compared with.
const CHECK_FORMATS: &[(&str, &str)] = &[
    ("human", "expected.txt"),
    ("json", "expected.json"),
    ("github", "expected.github"),
    ("sarif", "expected.sarif"),
];

/// Runs a `lsc check` case in every format: exact output per format, one exit code, SARIF
/// valid against its schema, and the `expect` file's must-report (`+`) and must-not-report
/// (`-`) lines (`+LSC201 ListenerSet ns/name listener web`).
fn run_check_case(case: &Path) -> Result<(), String> {
    let bless = std::env::var_os("BLESS").is_some();
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let mut problems = Vec::new();
    let mut codes = Vec::new();
    let mut json_findings = serde_json::Value::Null;
    for (format, file) in CHECK_FORMATS {
        let output = assert_cmd::Command::cargo_bin("lsc")
            .unwrap()
            .current_dir(case)
            .args(["check", "input.yaml", "--format", format])
            .args(case_args(case))
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        if !stderr.is_empty() {
            problems.push(format!("{format}: unexpected stderr:\n{stderr}"));
        }
        codes.push(output.status.code().unwrap_or(-1));
        match *format {
            "sarif" => common::assert_sarif_valid(&stdout, &name),
            "json" => json_findings = serde_json::from_str(&stdout).unwrap(),
            _ => {}
        }
        if bless {
            std::fs::write(case.join(file), &stdout).unwrap();
            continue;
        }
        let expected = read_optional(&case.join(file));
        if stdout != expected {
            problems.push(format!(
                "{format} output differs:\n--- expected\n{expected}--- actual\n{stdout}"
            ));
        }
    }
    let code = codes.first().copied().unwrap_or(-1);
    if codes.iter().any(|c| *c != code) {
        problems.push(format!("exit codes differ between formats: {codes:?}"));
    }
    if bless {
        write_or_remove(
            &case.join("expected.code"),
            &if code == 0 {
                String::new()
            } else {
                format!("{code}\n")
            },
        );
    } else {
        let expected_code: i32 = read_optional(&case.join("expected.code"))
            .trim()
            .parse()
            .unwrap_or(0);
        if code != expected_code {
            problems.push(format!("exit code {code}, expected {expected_code}"));
        }
    }
    let reported = |code: &str, object: &str, listener: Option<&str>| {
        json_findings.as_array().unwrap().iter().any(|f| {
            let o = &f["object"];
            let who = format!(
                "{} {}/{}",
                o["kind"].as_str().unwrap_or_default(),
                o["namespace"].as_str().unwrap_or_default(),
                o["name"].as_str().unwrap_or_default()
            );
            f["code"] == code
                && who == object
                && listener.is_none_or(|l| {
                    f["message"]
                        .as_str()
                        .unwrap_or_default()
                        .starts_with(&format!("listener {l} "))
                })
        })
    };
    for line in read_optional(&case.join("expect")).lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (wanted, rest) = line.split_at(1);
        let words: Vec<&str> = rest.split_whitespace().collect();
        let [code, kind, object, tail @ ..] = words.as_slice() else {
            problems.push(format!("bad expect line {line:?}"));
            continue;
        };
        let listener = match tail {
            ["listener", l] => Some(*l),
            [] => None,
            _ => {
                problems.push(format!("bad expect line {line:?}"));
                continue;
            }
        };
        let found = reported(code, &format!("{kind} {object}"), listener);
        if (wanted == "+") != found {
            problems.push(format!(
                "expect {line:?}: lsc {} it",
                if found { "reports" } else { "does not report" }
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// One test per fixture case, named `<area>::<case>`.
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let render = cases("render");
    assert!(
        render.len() >= 100,
        "expected at least 100 render fixtures, found {}",
        render.len()
    );
    let i2gw = cases("convert-i2gw");
    assert!(
        i2gw.len() >= 40,
        "expected at least 40 ingress2gateway cases, found {}",
        i2gw.len()
    );
    let exact = |area: &'static str, subcommand: &'static str| {
        cases(area).into_iter().map(move |case| {
            let name = format!("{area}::{}", case.file_name().unwrap().to_string_lossy());
            libtest_mimic::Trial::test(name, move || {
                run_case(&case, subcommand).map_err(Into::into)
            })
        })
    };
    let trials = exact("render", "render")
        .chain(exact("convert", "convert"))
        .chain(cases("check").into_iter().map(|case| {
            let name = format!("check::{}", case.file_name().unwrap().to_string_lossy());
            libtest_mimic::Trial::test(name, move || run_check_case(&case).map_err(Into::into))
        }))
        .chain(i2gw.into_iter().map(|case| {
            let name = format!(
                "convert-i2gw::{}",
                case.file_name().unwrap().to_string_lossy()
            );
            libtest_mimic::Trial::test(name, move || run_i2gw_case(&case).map_err(Into::into))
        }))
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
