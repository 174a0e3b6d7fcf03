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
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(area);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("input.yaml").exists())
        .collect();
    cases.sort();
    cases
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

/// Runs one case; `Err` describes every difference.
fn run_case(case: &Path, subcommand: &str) -> Result<(), String> {
    let bless = std::env::var_os("BLESS").is_some();
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let args: Vec<String> = read_optional(&case.join("args"))
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
        .collect();
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

/// One test per fixture case, named `<area>::<case>`.
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let render = cases("render");
    assert!(
        render.len() >= 100,
        "expected at least 100 render fixtures, found {}",
        render.len()
    );
    let trials = render
        .into_iter()
        .map(|case| {
            let name = format!("render::{}", case.file_name().unwrap().to_string_lossy());
            libtest_mimic::Trial::test(name, move || run_case(&case, "render").map_err(Into::into))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
