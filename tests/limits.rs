//! The bounds against hostile input hold on inputs of 100 MB, and hold memory too: each lsc
//! run is measured with `wait4`'s rusage (the peak resident size of that one child), so other
//! tests cannot pollute it, and the runs go one after the other in one test (two 100 MB files
//! at once would only measure the machine).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::path::Path;

const MB: u64 = 1_000_000;
const MIB: u64 = 1024 * 1024;

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

/// One Ingress and one ConfigMap, as a GitOps tree mixes them (about 600 bytes).
fn normal_documents(i: usize) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web-{i}
  namespace: team-{team}
  uid: uid-{i}
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls:
  - hosts: [web-{i}.example.com]
    secretName: web-{i}-tls
  rules:
  - host: web-{i}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {{name: web, port: {{number: 80}}}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-{i}
  namespace: team-{team}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: \"a,b,c\"
---
",
        team = i % 50
    )
}

/// One Ingress whose annotation value is `size` bytes of `x`, written in 1 MB pieces.
fn write_huge_document(path: &Path, size: u64) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    file.write_all(INGRESS_HEAD.as_bytes()).unwrap();
    file.write_all(b"    example.com/blob: ").unwrap();
    let piece = vec![b'x'; MB as usize];
    for _ in 0..size / MB {
        file.write_all(&piece).unwrap();
    }
    file.write_all(b"\n").unwrap();
    file.write_all(INGRESS_TLS.as_bytes()).unwrap();
    file.flush().unwrap();
}

/// Normal documents up to `size` bytes.
fn write_many_documents(path: &Path, size: u64) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut written = 0;
    let mut i = 0;
    while written < size {
        let text = normal_documents(i);
        file.write_all(text.as_bytes()).unwrap();
        written += text.len() as u64;
        i += 1;
    }
    file.flush().unwrap();
}

/// What the child's stdin is.
#[derive(Clone, Copy)]
enum Stdin<'p> {
    Null,
    /// A file redirected to it (`lsc render - < file`).
    File(&'p str),
    /// A pipe the file is written into (`cat file | lsc render -`).
    Pipe(&'p str),
}

struct Outcome {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    /// Peak resident set size of the child, in bytes.
    peak: u64,
    seconds: f64,
}

/// Runs lsc in `dir` and waits for exactly that child with `wait4`, which returns its own
/// rusage; kills it after two minutes ("never hang").
#[cfg(unix)]
fn lsc(dir: &Path, args: &[&str], stdin: Stdin<'_>) -> Outcome {
    use std::io::Read;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let started = Instant::now();
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("lsc"));
    command
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match stdin {
        Stdin::Null => command.stdin(Stdio::null()),
        Stdin::File(path) => command.stdin(std::fs::File::open(dir.join(path)).unwrap()),
        Stdin::Pipe(_) => command.stdin(Stdio::piped()),
    };
    // Reaped below by `wait4`, which std's `wait` cannot replace: it drops the rusage.
    #[allow(clippy::zombie_processes)]
    let mut child = command.spawn().unwrap();
    if let (Stdin::Pipe(path), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let mut file = std::fs::File::open(dir.join(path)).unwrap();
        // lsc stops reading at its bound: a broken pipe then is expected.
        std::thread::spawn(move || std::io::copy(&mut file, &mut pipe));
    }
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our own child, not yet reaped; status and usage are valid pointers.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(reaped >= 0, "wait4: {}", std::io::Error::last_os_error());
        if reaped == pid {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Outcome {
        code,
        stdout: stdout.join().unwrap(),
        stderr: String::from_utf8_lossy(&stderr.join().unwrap()).into_owned(),
        // Linux reports kilobytes.
        peak: u64::try_from(usage.ru_maxrss).unwrap() * 1024,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// A refusal: exit 2, nothing on stdout, the message on stderr, memory under `peak`.
#[cfg(unix)]
fn assert_refused(what: &str, outcome: &Outcome, message: &str, peak: u64) {
    eprintln!(
        "{what}: exit {:?} in {:.2} s, peak {} MiB",
        outcome.code,
        outcome.seconds,
        outcome.peak / MIB
    );
    assert_eq!(outcome.code, Some(2), "{what}: {}", outcome.stderr);
    assert!(outcome.stdout.is_empty(), "{what}: printed to stdout");
    assert!(
        outcome.stderr.contains(message),
        "{what}: expected {message:?} in\n{}",
        outcome.stderr
    );
    assert!(
        outcome.peak <= peak,
        "{what}: peak memory {} MiB over {} MiB",
        outcome.peak / MIB,
        peak / MIB
    );
}

#[cfg(unix)]
#[test]
fn hundred_megabyte_inputs_and_alias_bombs_are_refused_within_memory_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    // lsc itself, before it reads anything (the debug binary, its threads and allocator).
    let baseline = 64 * MIB;

    // (a) One document of 100 MB: read whole (it is under --max-input-bytes), then refused by
    // the line scan before the parser builds anything for it.
    write_huge_document(&path.join("huge-document.yaml"), 100 * MB);
    let size = std::fs::metadata(path.join("huge-document.yaml"))
        .unwrap()
        .len();
    assert!(size > 100 * MB);
    let outcome = lsc(path, &["render", "huge-document.yaml"], Stdin::Null);
    let message = format!(
        "document 1: document of {size} bytes, from this line on, is larger than 8388608 bytes (--max-document-bytes raises this bound)"
    );
    assert_refused(
        "one 100 MB document",
        &outcome,
        &format!("error: huge-document.yaml:1: {message}"),
        size * 3 / 2 + baseline,
    );
    let outcome = lsc(path, &["render", "-"], Stdin::File("huge-document.yaml"));
    assert_refused(
        "one 100 MB document on stdin",
        &outcome,
        &format!("error: <stdin>:1: {message}"),
        size * 3 / 2 + baseline,
    );
    // From a pipe the size is unknown: read in pieces, joined once (twice the input at most).
    let outcome = lsc(path, &["render", "-"], Stdin::Pipe("huge-document.yaml"));
    assert_refused(
        "one 100 MB document through a pipe",
        &outcome,
        &format!("error: <stdin>:1: {message}"),
        size * 2 + baseline,
    );
    // With the bound raised past it, the file bound is what is left: a bound is a bound.
    let outcome = lsc(
        path,
        &[
            "render",
            "--max-document-bytes=200000000",
            "--max-input-bytes=50000000",
            "huge-document.yaml",
        ],
        Stdin::Null,
    );
    assert_refused(
        "one 100 MB document, document bound raised",
        &outcome,
        "error: huge-document.yaml: input is larger than 50000000 bytes (--max-input-bytes raises this bound)",
        50 * MB * 3 / 2 + baseline,
    );
    std::fs::remove_file(path.join("huge-document.yaml")).unwrap();

    // (a) 100 MB of normal documents, none over the document bound: `--max-input-bytes` below
    // the file's size stops the read at the bound, so no more than that is ever held.
    write_many_documents(&path.join("many-documents.yaml"), 100 * MB);
    for (what, args, stdin, name) in [
        (
            "100 MB of documents",
            vec!["check", "--max-input-bytes=67108864", "many-documents.yaml"],
            Stdin::Null,
            "many-documents.yaml",
        ),
        (
            "100 MB of documents on stdin",
            vec!["convert", "--max-input-bytes=67108864", "-"],
            Stdin::Pipe("many-documents.yaml"),
            "<stdin>",
        ),
        (
            "100 MB of documents, render",
            vec![
                "render",
                "--max-input-bytes=67108864",
                "many-documents.yaml",
            ],
            Stdin::Null,
            "many-documents.yaml",
        ),
    ] {
        let outcome = lsc(path, &args, stdin);
        let message = format!(
            "{name}: input is larger than 67108864 bytes (--max-input-bytes raises this bound)"
        );
        if args[0] == "check" {
            // check reports input errors as findings on stdout and exits 1 (README).
            assert_eq!(outcome.code, Some(1), "{what}: {}", outcome.stderr);
            eprintln!(
                "{what}: exit {:?}, peak {} MiB",
                outcome.code,
                outcome.peak / MIB
            );
            let stdout = String::from_utf8_lossy(&outcome.stdout);
            assert!(
                stdout.contains("input is larger than 67108864 bytes"),
                "{stdout}"
            );
            assert!(outcome.peak <= 64 * MIB * 3 / 2 + baseline, "{what}");
        } else {
            assert_refused(what, &outcome, &message, 64 * MIB * 3 / 2 + baseline);
        }
    }
    std::fs::remove_file(path.join("many-documents.yaml")).unwrap();

    // (b) A million aliases of one anchor, and the classic nested "billion laughs".
    let mut million = INGRESS_HEAD.to_string() + "    example.com/a: &a [x]\n";
    million.push_str(INGRESS_TLS);
    million.push_str("  rules:\n");
    million.push_str(&"  - *a\n".repeat(1_000_000));
    std::fs::write(path.join("million-aliases.yaml"), million).unwrap();
    let outcome = lsc(path, &["render", "million-aliases.yaml"], Stdin::Null);
    assert_refused(
        "a million aliases",
        &outcome,
        "aliases and anchors copy more than 100000 nodes, a possible alias bomb (--max-alias-nodes raises this bound)",
        baseline + 64 * MIB,
    );
    assert!(outcome.stderr.starts_with("error: million-aliases.yaml:"));

    let mut laughs = INGRESS_HEAD.to_string() + INGRESS_TLS;
    laughs.push_str("  lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=12 {
        let previous = format!("*l{}", i - 1);
        let items = [previous.as_str(); 10].join(", ");
        laughs.push_str(&format!("  lol{i}: &l{i} [{items}]\n"));
    }
    std::fs::write(path.join("billion-laughs.yaml"), laughs).unwrap();
    for flag in ["--max-alias-nodes=100000", "--max-alias-expansions=1000000"] {
        let outcome = lsc(path, &["render", flag, "billion-laughs.yaml"], Stdin::Null);
        assert_refused(
            "billion laughs",
            &outcome,
            "a possible alias bomb (--max-alias-nodes raises this bound)",
            baseline + 128 * MIB,
        );
    }
}

#[cfg(not(unix))]
#[test]
fn hundred_megabyte_inputs_and_alias_bombs_are_refused_within_memory_bounds() {
    eprintln!("skipped: peak memory is measured with wait4, which this platform does not have");
}
