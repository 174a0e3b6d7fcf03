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
    let _serial = one_at_a_time();
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

/// An annotated Ingress whose TLS entry has no hosts: one LSC002 finding for `lsc check`.
fn ingress_with_finding(i: usize) -> String {
    format!(
        "---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web-{i}
  namespace: shop
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  tls:
  - secretName: web-{i}-tls
  rules:
  - host: web-{i}.example.com
"
    )
}

/// An Ingress in namespace shop routing `host` (with TLS for it when `tls`), path /p{i}.
fn ingress_for_host(i: usize, host: &str, tls: bool) -> String {
    let tls = if tls {
        format!("  tls:\n  - hosts: [{host}]\n    secretName: shop-tls\n")
    } else {
        String::new()
    };
    format!(
        "---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web-{i}
  namespace: shop
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
{tls}  rules:
  - host: {host}
    http:
      paths:
      - path: /p{i}
        pathType: Prefix
        backend:
          service: {{name: web-{i}, port: {{number: 80}}}}
"
    )
}

/// Issue 25, item 1: the human format looked each finding's line up from the file's start
/// (quadratic: 20,000 findings in one 8 MB file took over a minute in release) and printed a
/// long line whole, with as many carets, for each finding on it (a one-line JSON List of 2,000
/// Ingresses printed 2.2 GB). Timed against `--format json` on the same file, which never
/// looked lines up, so a slow machine slows both.
#[cfg(unix)]
#[test]
fn check_human_format_is_linear_in_findings_and_bounded_per_finding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let findings = 20_000;
    let text: String = (0..findings).map(ingress_with_finding).collect();
    std::fs::write(path.join("findings.yaml"), text).unwrap();
    let json = lsc(
        path,
        &["check", "--format", "json", "findings.yaml"],
        Stdin::Null,
    );
    let human = lsc(path, &["check", "findings.yaml"], Stdin::Null);
    eprintln!(
        "{findings} findings in one file: human {:.2} s, json {:.2} s",
        human.seconds, json.seconds
    );
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    assert_eq!(human.code, Some(0), "{}", human.stderr);
    let stdout = String::from_utf8(human.stdout).unwrap();
    assert_eq!(stdout.matches("warning[LSC002]").count(), findings);
    assert!(
        stdout.contains("|   - secretName: web-19999-tls\n"),
        "each finding shows its line"
    );
    assert!(
        human.seconds < 3.0 * json.seconds + 5.0,
        "human format took {:.2} s, json {:.2} s",
        human.seconds,
        json.seconds
    );

    // Every finding on one line: each shows a window of it.
    let items: Vec<String> = (0..2_000)
        .map(|i| {
            format!(
                r#"{{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{{"name":"web-{i}","namespace":"shop","annotations":{{"cert-manager.io/cluster-issuer":"letsencrypt"}}}},"spec":{{"tls":[{{"secretName":"web-{i}-tls"}}],"rules":[{{"host":"web-{i}.example.com"}}]}}}}"#
            )
        })
        .collect();
    let list = format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#,
        items.join(",")
    );
    std::fs::write(path.join("list.json"), &list).unwrap();
    let outcome = lsc(path, &["check", "list.json"], Stdin::Null);
    eprintln!(
        "one-line List of 2,000 Ingresses ({} bytes): {:.2} s, {} bytes out, peak {} MiB",
        list.len(),
        outcome.seconds,
        outcome.stdout.len(),
        outcome.peak / MIB
    );
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let stdout = String::from_utf8(outcome.stdout).unwrap();
    assert_eq!(stdout.matches("warning[LSC002]").count(), 2_000);
    assert!(
        stdout.len() < 2_000 * 1_000,
        "{} bytes for 2,000 findings",
        stdout.len()
    );
    assert!(stdout.contains(" …\n"), "the line is cut with an ellipsis");
    assert!(outcome.peak < 256 * MIB, "peak {} MiB", outcome.peak / MIB);
}

/// Issue 25, item 3: a route of many Ingresses sharing one TLS host has a parentRef for each,
/// and the CRD's parentRef rules (checked pair by pair) and the route's duplicate parentRefs
/// (looked up in those kept) made convert quadratic in them (8,000 Ingresses 2 s, 32,000
/// 29 s in release); the API server's refusal named no file. Four times the Ingresses must
/// take less than six times as long (sixteen when quadratic).
#[cfg(unix)]
#[test]
fn convert_of_ingresses_sharing_one_tls_host_is_linear_and_its_error_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let mut outcomes = Vec::new();
    for ingresses in [3_000, 12_000] {
        let shared: String = (0..ingresses)
            .map(|i| ingress_for_host(i, "shop.example.com", true))
            .collect();
        std::fs::write(path.join("shared.yaml"), shared).unwrap();
        let outcome = lsc(path, &["convert", "-q", "shared.yaml"], Stdin::Null);
        eprintln!(
            "{ingresses} Ingresses sharing one TLS host: {:.2} s, peak {} MiB",
            outcome.seconds,
            outcome.peak / MIB
        );
        outcomes.push((ingresses, outcome));
    }
    let (small, large) = (outcomes[0].1.seconds, outcomes[1].1.seconds);
    assert!(
        large < 6.0 * small + 3.0,
        "4x the Ingresses took {large:.2} s against {small:.2} s"
    );
    for (ingresses, outcome) in outcomes {
        // One route with a rule and a parentRef per Ingress is more than Gateway API allows.
        assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
        assert!(
            outcome.stderr.contains(&format!(
                "error: shared.yaml:2: document 1: the API server would reject HTTPRoute shop/web-0-shop-example-com: spec.parentRefs: must have at most 32 items, found {ingresses}\n"
            )),
            "{}",
            outcome.stderr
        );
    }
}

/// Issue 25, item 5: `-j 20000` on one small file ran 444 s and aborted; the threads are
/// capped at a few per CPU, so it returns at once with `-j 1`'s output.
#[cfg(unix)]
#[test]
fn absurd_jobs_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(
        path.join("web.yaml"),
        ingress_for_host(0, "shop.example.com", true),
    )
    .unwrap();
    let one = lsc(path, &["render", "-j", "1", "web.yaml"], Stdin::Null);
    assert_eq!(one.code, Some(0), "{}", one.stderr);
    assert!(!one.stdout.is_empty());
    for jobs in ["5000", "20000"] {
        let many = lsc(path, &["render", "-j", jobs, "web.yaml"], Stdin::Null);
        eprintln!(
            "render -j {jobs}: {:.2} s, peak {} MiB",
            many.seconds,
            many.peak / MIB
        );
        assert_eq!(many.code, Some(0), "-j {jobs}: {}", many.stderr);
        assert_eq!(many.stdout, one.stdout, "-j {jobs}");
        assert_eq!(many.stderr, one.stderr, "-j {jobs}");
        assert!(many.seconds < 10.0, "-j {jobs} took {:.2} s", many.seconds);
    }
}

/// Issue 25, item 6: routes whose host has no HTTPS listener (an Ingress without TLS) looked
/// for one on every ListenerSet of the Gateway, so `convert --gateway` of a folder of such
/// Ingresses was quadratic (10,000 files 5.2 s in release, 200,000 over 300 s, render of them
/// 5.6 s). Timed against render of the same folder.
#[cfg(unix)]
#[test]
fn convert_gateway_over_many_files_in_one_folder_is_linear() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let files = 10_000;
    std::fs::create_dir(path.join("apps")).unwrap();
    for i in 0..files {
        std::fs::write(
            path.join(format!("apps/ingress-{i:06}.yaml")),
            ingress_for_host(i, &format!("web-{i}.example.com"), false),
        )
        .unwrap();
    }
    let render = lsc(path, &["render", "apps"], Stdin::Null);
    let outcome = lsc(
        path,
        &["convert", "-q", "--gateway", "infra/shared", "apps"],
        Stdin::Null,
    );
    eprintln!(
        "convert --gateway of {files} files: {:.2} s; render {:.2} s",
        outcome.seconds, render.seconds
    );
    assert_eq!(render.code, Some(0), "{}", render.stderr);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let stdout = String::from_utf8(outcome.stdout).unwrap();
    assert_eq!(stdout.matches("\nkind: HTTPRoute\n").count(), files);
    assert!(
        outcome.seconds < 4.0 * render.seconds + 5.0,
        "{:.2} s against render's {:.2} s",
        outcome.seconds,
        render.seconds
    );
}

/// Linux counts in a child's peak the memory of the test process it was started from (up to
/// its `exec`), and tests run on threads of one process: the tests that measure memory take
/// this lock so that no other test's buffers are counted in their children.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The test process's own peak resident size: Linux starts a child's peak from it (the
/// child shares its memory until `exec`), so a bound on a child's peak allows for it. Zero
/// where /proc does not say.
fn harness_peak() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        });
    kib.unwrap_or(0) * 1024
}

/// `piece` repeated up to `size` bytes after `head`.
fn write_repeated(path: &Path, head: &str, piece: &str, size: u64) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    file.write_all(head.as_bytes()).unwrap();
    for _ in 0..(size - head.len() as u64) / piece.len() as u64 {
        file.write_all(piece.as_bytes()).unwrap();
    }
    file.flush().unwrap();
}

/// Issue 25, item 2: a document costs a bounded number of bytes whatever its size, so 4 MiB
/// of `---\n` (a million empty documents) or of `---\n{}\n` hold at most 4× the input besides
/// lsc's own 32 MiB (the debug binary's threads and allocator: about 12 MiB measured) and the
/// test process's peak ([`harness_peak`]). They
/// held 30× and 20× before (every empty document kept, a list of every document for the
/// kind scan, a tree and an error for every `{}`). The tool for the full sizes is
/// tools/bench/memory.py.
#[cfg(unix)]
#[test]
fn many_tiny_documents_cost_at_most_four_times_their_bytes() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let size = 4 * MIB;
    let base = 32 * MIB + harness_peak();
    eprintln!("base {} MiB", base / MIB);
    write_repeated(&path.join("separators.yaml"), "", "---\n", size);
    write_repeated(&path.join("empty-maps.yaml"), "", "---\n{}\n", size);
    for (file, ok) in [
        ("separators.yaml", [0, 0, 0, 0]),
        ("empty-maps.yaml", [2, 1, 2, 2]),
    ] {
        let runs: [&[&str]; 4] = [
            &["render", file],
            &["check", "--format", "json", file],
            &["convert", file],
            &["diff", file, "--against", file],
        ];
        for (args, code) in runs.iter().zip(ok) {
            let outcome = lsc(path, args, Stdin::Null);
            eprintln!(
                "{args:?}: exit {:?} in {:.2} s, peak {} MiB",
                outcome.code,
                outcome.seconds,
                outcome.peak / MIB
            );
            assert_eq!(outcome.code, Some(code), "{args:?}: {}", outcome.stderr);
            assert!(
                outcome.peak <= 4 * size + base,
                "{args:?}: peak memory {} MiB over {} MiB",
                outcome.peak / MIB,
                (4 * size + base) / MIB
            );
        }
    }
    // Each `{}` is an error, but only the first thousand are listed.
    let outcome = lsc(path, &["render", "empty-maps.yaml"], Stdin::Null);
    assert_eq!(outcome.stderr.lines().count(), 1001, "{}", outcome.stderr);
    assert!(
        outcome.stderr.starts_with(
            "error: empty-maps.yaml: 598186 more documents are not Kubernetes objects (only the first 1000 are listed)\n"
        ),
        "{}",
        outcome.stderr.lines().next().unwrap_or_default()
    );
}

/// Issue 25, item 2, for `lsc fn`: a ResourceList of 4 MiB of `- {}` items (838,000 of
/// them) holds at most 4× its bytes besides lsc's own memory and the test process's, as the
/// documents of [`many_tiny_documents_cost_at_most_four_times_their_bytes`] do. The items are
/// handed over one by one as they are read, each written out at once, and none is kept as a
/// tree; before, every item was a tree in the parsed ResourceList and again in the list
/// written out (20× the input). Every item passes through, each `{}` is an error result.
#[cfg(unix)]
#[test]
fn a_resource_list_of_many_empty_items_costs_at_most_four_times_its_bytes() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let size = 4 * MIB;
    let base = 32 * MIB + harness_peak();
    let head = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n";
    write_repeated(&path.join("list.yaml"), head, "- {}\n", size);
    let items = (size - head.len() as u64) / 5;
    let outcome = lsc(path, &["fn"], Stdin::File("list.yaml"));
    eprintln!(
        "fn on {items} items: exit {:?} in {:.2} s, peak {} MiB",
        outcome.code,
        outcome.seconds,
        outcome.peak / MIB
    );
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(
        outcome.peak <= 4 * size + base,
        "peak memory {} MiB over {} MiB",
        outcome.peak / MIB,
        (4 * size + base) / MIB
    );
    let stdout = String::from_utf8(outcome.stdout).unwrap();
    assert!(stdout.starts_with(head), "{:?}", stdout.get(..100));
    assert_eq!(
        stdout.lines().filter(|l| *l == "- {}").count() as u64,
        items
    );
    assert!(stdout.contains(&format!(
        "\n- message: {} more documents are not Kubernetes objects (only the first 1000 are listed)\n  severity: error\n",
        items - 1000
    )));
    assert_eq!(outcome.stderr.lines().count(), 1001);
}

/// `--max-documents` refuses an input with more documents (empty ones and List items count)
/// before it is parsed, located, exit 2.
#[cfg(unix)]
#[test]
fn more_documents_than_max_documents_are_refused() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    write_repeated(&path.join("separators.yaml"), "", "---\n", 4000);
    let outcome = lsc(
        path,
        &["render", "--max-documents=999", "separators.yaml"],
        Stdin::Null,
    );
    assert_refused(
        "1,000 documents",
        &outcome,
        "error: separators.yaml:1000: document 1000: more than 999 documents (List items included) in one input (--max-documents raises this bound)",
        32 * MIB + harness_peak(),
    );
    let outcome = lsc(
        path,
        &["render", "--max-documents=1000", "separators.yaml"],
        Stdin::Null,
    );
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let head = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n";
    write_repeated(
        &path.join("list.yaml"),
        head,
        "- {}\n",
        head.len() as u64 + 5000,
    );
    let outcome = lsc(
        path,
        &["fn", "--max-documents=999"],
        Stdin::File("list.yaml"),
    );
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains(
            "line 1002: invalid ResourceList: more than 999 documents (List items included) in one input (--max-documents raises this bound)"
        ),
        "{}",
        outcome.stderr
    );
}

/// Issue 25, item 4: 200,000 nested `- ` end in a clean error whatever `--max-depth` says (it
/// is at most 100,000, the depth the threads' stacks are sized for), and a document nested
/// just under that bound is read, written (YAML and JSON), checked and dropped without
/// overflowing a stack. Before, `--max-depth 1000000` aborted on a stack overflow.
#[cfg(unix)]
#[test]
fn nesting_200000_deep_ends_in_an_exit_code_never_a_signal() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::write(path.join("deep.yaml"), "- ".repeat(200_000) + "x\n").unwrap();
    for args in [
        &["render", "deep.yaml"][..],
        &["render", "--all", "--max-depth", "100000", "deep.yaml"],
        &["convert", "--max-depth", "100000", "deep.yaml"],
    ] {
        let outcome = lsc(path, args, Stdin::Null);
        assert_eq!(outcome.code, Some(2), "{args:?}: {}", outcome.stderr);
        assert!(
            outcome
                .stderr
                .contains("levels (--max-depth raises this bound)"),
            "{args:?}: {}",
            outcome.stderr
        );
    }
    let outcome = lsc(
        path,
        &["check", "--max-depth", "100000", "deep.yaml"],
        Stdin::Null,
    );
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    let outcome = lsc(
        path,
        &["render", "--max-depth", "1000000", "deep.yaml"],
        Stdin::Null,
    );
    assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("1000000 is not in 1..=100000"),
        "{}",
        outcome.stderr
    );
    let ingress = INGRESS_HEAD.to_string() + INGRESS_TLS + "  extra:\n    ";
    std::fs::write(
        path.join("at-bound.yaml"),
        ingress + &"- ".repeat(99_990) + "x\n",
    )
    .unwrap();
    std::fs::write(path.join("list.yaml"), "- ".repeat(99_990) + "x\n").unwrap();
    let bound = ["--max-depth", "100000"];
    for (args, code) in [
        (&["render", "--all", "at-bound.yaml"][..], 0),
        (&["render", "--all", "-o", "json", "at-bound.yaml"], 0),
        (&["check", "--format", "json", "at-bound.yaml"], 0),
        (
            &["convert", "--default-ingress-class=nginx", "at-bound.yaml"],
            0,
        ),
        (&["diff", "at-bound.yaml", "--against", "at-bound.yaml"], 1),
        (&["render", "list.yaml"], 2),
    ] {
        let args = [&args[..1], &bound[..], &args[1..]].concat();
        let outcome = lsc(path, &args, Stdin::Null);
        assert_eq!(outcome.code, Some(code), "{args:?}: {}", outcome.stderr);
    }
}

/// JSON of deeply nested input grows linearly with it: past 64 levels values go on one line.
/// Indented at every level, depth 20,000 wrote 1.6 GB for a 40 KB input.
#[cfg(unix)]
#[test]
fn json_of_deep_input_is_linear_in_its_depth() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let input =
        INGRESS_HEAD.to_string() + INGRESS_TLS + "  extra:\n    " + &"- ".repeat(20_000) + "x\n";
    std::fs::write(path.join("deep.yaml"), &input).unwrap();
    let outcome = lsc(
        path,
        &[
            "render",
            "--all",
            "-o",
            "json",
            "--max-depth",
            "20010",
            "deep.yaml",
        ],
        Stdin::Null,
    );
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    assert!(
        outcome.stdout.len() < 4 * input.len(),
        "{} bytes of JSON for {} bytes of input",
        outcome.stdout.len(),
        input.len()
    );
    let json = String::from_utf8_lossy(&outcome.stdout);
    assert!(
        json.starts_with("{\n") && json.ends_with("\n}\n"),
        "not one JSON document"
    );
    assert!(json.contains(&format!("[{}\"x\"{}", "[".repeat(10), "]".repeat(10))));
}

/// JSON input (`kubectl get -o json` writes a `List`) is read in one pass into its tree: a
/// 4 MiB List of ConfigMaps, pretty-printed as kubectl writes it, and the same items as a
/// JSON ResourceList for `lsc fn`, hold at most 6× their bytes besides lsc's own memory and
/// the test process's. The YAML parser, which read JSON before, keeps every token of a flow
/// collection until it ends and held about 50× (a 7.5 MB List took 375 MB).
#[cfg(unix)]
#[test]
fn json_lists_cost_at_most_six_times_their_bytes() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let base = 32 * MIB + harness_peak();
    let item = |i: usize| {
        format!(
            "    {{\n      \"apiVersion\": \"v1\",\n      \"kind\": \"ConfigMap\",\n      \"metadata\": {{\n        \"name\": \"settings-{i}\",\n        \"namespace\": \"shop\",\n        \"labels\": {{\n          \"app.kubernetes.io/name\": \"shop\"\n        }}\n      }},\n      \"data\": {{\n        \"LOG_LEVEL\": \"info\",\n        \"REPLICAS\": \"3\"\n      }}\n    }}"
        )
    };
    let mut items = Vec::new();
    let mut bytes = 0;
    while bytes < 4 * MIB as usize {
        items.push(item(items.len()));
        bytes += items.last().map_or(0, String::len) + 2;
    }
    let count = items.len();
    let body = items.join(",\n");
    let list = format!(
        "{{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n{body}\n  ]\n}}\n"
    );
    let resource_list = format!(
        "{{\n  \"apiVersion\": \"config.kubernetes.io/v1\",\n  \"kind\": \"ResourceList\",\n  \"items\": [\n{body}\n  ]\n}}\n"
    );
    std::fs::write(path.join("list.json"), &list).unwrap();
    std::fs::write(path.join("resource-list.json"), &resource_list).unwrap();
    let size = list.len() as u64;
    let runs: [(&[&str], Stdin<'_>, i32); 4] = [
        (&["render", "--all", "list.json"], Stdin::Null, 0),
        (&["check", "list.json"], Stdin::Null, 0),
        (&["convert", "list.json"], Stdin::Null, 0),
        (&["fn"], Stdin::File("resource-list.json"), 0),
    ];
    for (args, stdin, code) in runs {
        let outcome = lsc(path, args, stdin);
        eprintln!(
            "{args:?} on {count} items ({size} bytes): exit {:?} in {:.2} s, peak {} MiB",
            outcome.code,
            outcome.seconds,
            outcome.peak / MIB
        );
        assert_eq!(outcome.code, Some(code), "{args:?}: {}", outcome.stderr);
        assert!(
            outcome.peak <= 6 * size + base,
            "{args:?}: peak memory {} MiB over {} MiB",
            outcome.peak / MIB,
            (6 * size + base) / MIB
        );
        if args[0] == "render" {
            let stdout = String::from_utf8(outcome.stdout).unwrap();
            assert_eq!(stdout.matches("kind: ConfigMap\n").count(), count);
        }
    }
}
