//! Files, folders and output at the edges, on the real binary: FIFOs, sockets, devices and
//! symbolic links in the inputs; file names that hold control characters or bytes that are
//! not UTF-8; `--out` staging, stale staging folders and concurrent runs; a stdout that is
//! closed or full.

#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::prelude::*;

/// Long enough for a debug build on a busy machine; a run that blocks never ends.
const TIMEOUT: Duration = Duration::from_secs(60);

use common::lsc;

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("lsc")
}

fn ingress(namespace: &str, name: &str, host: &str) -> String {
    let uid = format!("  uid: 00000000-0000-0000-0000-{name}\n");
    common::tls_ingress_with(namespace, name, host, &uid)
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

// Item 7: special files and symbolic links.

#[test]
fn a_fifo_in_a_folder_is_skipped_with_a_warning_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    std::fs::write(
        tree.join("a.yaml"),
        ingress("shop", "web", "shop.example.com"),
    )
    .unwrap();
    // Nothing ever writes to it: opening it to read would wait forever.
    mkfifo(&tree.join("pipe.yaml"));
    std::os::unix::fs::symlink(tree.join("pipe.yaml"), tree.join("via-link.yaml")).unwrap();
    // A FIFO without a manifest's extension is passed over like any other such file.
    mkfifo(&tree.join("pipe.txt"));
    let output = lsc().arg("render").arg(&tree).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(common::assert_certificates_valid(&stdout, "tree"), 1);
    let stderr = stderr_of(&output);
    let shown = tree.display();
    assert_eq!(
        stderr,
        format!(
            "warning: {shown}/pipe.yaml: not a regular file but a FIFO; skipped\n\
             warning: {shown}/via-link.yaml: not a regular file but a FIFO; skipped\n"
        )
    );
    // check and convert walk the same way.
    lsc().arg("check").arg(&tree).assert().success();
    lsc()
        .args(["convert", "--default-ingress-class", "nginx"])
        .arg(&tree)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "pipe.yaml: not a regular file but a FIFO",
        ));
}

#[test]
fn a_fifo_named_on_the_command_line_is_read_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    mkfifo(&fifo);
    // No writer: empty, as a closed pipe is.
    lsc().arg("render").arg(&fifo).assert().success().stdout("");
    // With a writer (`lsc render <(helm template ...)`), it is read as a pipe.
    let text = ingress("shop", "web", "shop.example.com");
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            // Blocks until lsc opens the FIFO.
            std::fs::write(&fifo, text).unwrap();
        })
    };
    // Give the writer time to wait in open(2), so that lsc finds it there.
    std::thread::sleep(Duration::from_millis(200));
    let output = lsc().arg("render").arg(&fifo).output().unwrap();
    writer.join().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(common::assert_certificates_valid(&stdout, "fifo"), 1);
}

#[test]
fn a_device_or_socket_named_on_the_command_line_is_refused() {
    lsc()
        .args(["render", "/dev/zero"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "error: /dev/zero: not a regular file but a character device; lsc reads files, folders and stdin (`-`)\n",
        );
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("s.yaml");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    lsc()
        .arg("render")
        .arg(&socket)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file but a socket"));
    // In a folder, it is skipped.
    lsc()
        .arg("render")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "s.yaml: not a regular file but a socket; skipped",
        ));
}

#[test]
fn a_symbolic_link_out_of_the_folder_is_followed_only_with_follow() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(tree.join("inner")).unwrap();
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(
        tree.join("a.yaml"),
        ingress("shop", "web", "shop.example.com"),
    )
    .unwrap();
    std::fs::write(
        outside.join("b.yaml"),
        ingress("blog", "blog", "blog.example.com"),
    )
    .unwrap();
    std::fs::write(
        tree.join("inner/c.yaml"),
        ingress("docs", "docs", "docs.example.com"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, tree.join("out")).unwrap();
    std::os::unix::fs::symlink(outside.join("b.yaml"), tree.join("b.yaml")).unwrap();
    // A link that stays in the tree is followed.
    std::os::unix::fs::symlink("inner", tree.join("same")).unwrap();

    let output = lsc().arg("render").arg(&tree).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    // a.yaml, inner/c.yaml and same/c.yaml (the same Certificate again, the last one wins).
    assert_eq!(common::assert_certificates_valid(&stdout, "tree"), 2);
    assert!(!stdout.contains("blog.example.com"), "{stdout}");
    let stderr = stderr_of(&output);
    let real_outside = std::fs::canonicalize(&outside).unwrap();
    for link in ["b.yaml", "out"] {
        let target = if link == "out" {
            real_outside.clone()
        } else {
            real_outside.join("b.yaml")
        };
        let line = format!(
            "warning: {}/{link}: symbolic link out of the folder being read, to {}; skipped (--follow follows it)\n",
            tree.display(),
            target.display()
        );
        assert!(stderr.contains(&line), "{line} not in:\n{stderr}");
    }

    let output = lsc()
        .args(["render", "--follow"])
        .arg(&tree)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(stdout.contains("blog.example.com"), "{stdout}");
    assert!(!stderr_of(&output).contains("symbolic link out"));
}

#[test]
fn no_walk_goes_into_proc_sys_or_dev_even_with_follow() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        ingress("shop", "web", "shop.example.com"),
    )
    .unwrap();
    for system in ["/proc", "/sys", "/dev"] {
        if !Path::new(system).is_dir() {
            eprintln!("skipped {system}: not on this machine");
            continue;
        }
        let link = dir.path().join(system.trim_start_matches('/'));
        std::os::unix::fs::symlink(system, &link).unwrap();
        lsc()
            .args(["render", "--follow"])
            .arg(dir.path())
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(
                "{}: symbolic link to {system}: lsc does not read /proc, /sys or /dev; skipped",
                link.display()
            )));
        std::fs::remove_file(&link).unwrap();
        lsc()
            .args(["render", "--follow", system])
            .assert()
            .code(2)
            .stderr(format!(
                "error: {system}: lsc does not read /proc, /sys or /dev\n"
            ));
    }
}

// Item 8: file names.

/// A file name that forges a diagnostic line, colours a terminal red and is not UTF-8.
fn hostile_name() -> &'static [u8] {
    b"x\nerror: fake.yaml:1: forged\x1b[31m\xff.yaml"
}

const HOSTILE_ESCAPED: &str = "x\\nerror: fake.yaml:1: forged\\x1b[31m\\xff.yaml";

#[test]
fn file_names_with_control_characters_are_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(hostile_name());
    // A syntax error, so every command names the file.
    std::fs::write(dir.path().join(name), "kind: Ingress\nspec: [\n").unwrap();
    let shown = format!("{}/{HOSTILE_ESCAPED}", dir.path().display());
    let no_control = |text: &[u8], what: &str| {
        assert!(
            !text.iter().any(|&b| b == 0x1b || b == 0xff),
            "{what}: {}",
            String::from_utf8_lossy(text)
        );
    };

    for command in ["render", "convert"] {
        let output = lsc().arg(command).arg(dir.path()).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        no_control(&output.stderr, command);
        let stderr = String::from_utf8(output.stderr).unwrap();
        // One line, which says where the file is, escaped: nothing forged.
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with(&format!("error: {shown}:")), "{stderr}");
    }

    let check = |format: &str| {
        let output = lsc()
            .args(["check", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
        no_control(&output.stdout, format);
        String::from_utf8(output.stdout.clone()).unwrap()
    };
    let human = check("human");
    assert!(human.contains(&format!("--> {shown}:")), "{human}");
    assert!(!human.contains("\nerror: fake.yaml"), "{human}");
    let github = check("github");
    assert_eq!(github.lines().count(), 1, "{github}");

    // JSON: the escape is reversible, so the name's bytes are kept.
    let json: serde_json::Value = serde_json::from_str(&check("json")).unwrap();
    let file = json
        .pointer("/findings/0/file")
        .or_else(|| json.pointer("/0/file"))
        .and_then(|f| f.as_str())
        .unwrap_or_else(|| panic!("no file in {json:#}"));
    assert_eq!(file, shown);
    let bytes = lsc::diag::unescape_name(file);
    let mut expected = dir.path().as_os_str().as_bytes().to_vec();
    expected.push(b'/');
    expected.extend_from_slice(hostile_name());
    assert_eq!(bytes, expected);

    // SARIF: a percent-encoded URI of the same bytes, and the log is valid.
    let sarif = check("sarif");
    common::assert_sarif_valid(&sarif, "hostile name");
    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let uri = log
        .pointer("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri")
        .and_then(|u| u.as_str())
        .unwrap();
    assert!(
        uri.ends_with("/x%0Aerror%3A%20fake.yaml%3A1%3A%20forged%1B%5B31m%FF.yaml"),
        "{uri}"
    );
}

// Items 9 and 10: `--out`.

/// The entries of `dir` whose name starts with `.lsc-`.
fn staging_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".lsc-"))
        .collect()
}

/// The host name as lsc writes it into a staging folder's name.
fn host() -> String {
    let uname = rustix::system::uname();
    uname
        .nodename()
        .to_string_lossy()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The number of a process that has ended (and that no process has taken since, checked).
fn ended_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    let raw = rustix::process::Pid::from_raw(i32::try_from(pid).unwrap()).unwrap();
    assert!(rustix::process::test_kill_process(raw).is_err());
    pid
}

fn many_ingresses(count: usize) -> String {
    (0..count)
        .map(|i| ingress("shop", &format!("web-{i}"), &format!("h{i}.example.com")))
        .collect::<Vec<_>>()
        .join("---\n")
}

#[test]
fn a_stale_staging_folder_is_removed_by_the_next_run_and_a_live_one_kept() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("in.yaml"),
        ingress("shop", "web", "shop.example.com"),
    )
    .unwrap();
    let stale = format!(".lsc-staging-{}-{}-Ab12Cd", host(), ended_pid());
    std::fs::create_dir_all(dir.path().join(&stale).join("shop")).unwrap();
    std::fs::write(dir.path().join(&stale).join("shop/x.yaml"), "kind: X\n").unwrap();
    // This process runs: its folder is an lsc run's at work.
    let live = format!(".lsc-staging-{}-{}-Xy34Zw", host(), std::process::id());
    std::fs::create_dir(dir.path().join(&live)).unwrap();
    // Not lsc's: kept.
    std::fs::create_dir(dir.path().join(".lsc-mine")).unwrap();
    let out = dir.path().join("gateway-api");
    lsc()
        .args(["convert", "--default-ingress-class", "nginx"])
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "note: removed {}, the staging folder of an earlier lsc run (process ",
            std::fs::canonicalize(dir.path())
                .unwrap()
                .join(&stale)
                .display()
        )));
    let mut left = staging_in(dir.path());
    left.sort();
    assert_eq!(left, [".lsc-mine".to_string(), live]);
    assert!(staging_in(&out).is_empty());
    // --quiet leaves the note out.
    std::fs::create_dir(dir.path().join(&stale)).unwrap();
    lsc()
        .args([
            "convert",
            "-q",
            "--force",
            "--default-ingress-class",
            "nginx",
        ])
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr("");
    assert!(!dir.path().join(&stale).exists());
}

#[test]
fn a_run_killed_while_writing_leaves_nothing_inside_out_and_the_next_run_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gateway-api");
    std::fs::create_dir(&out).unwrap();
    let mut caught = false;
    // Large enough that the write is caught in progress; doubled until it is.
    for count in [500, 1000, 2000, 4000, 8000] {
        std::fs::write(dir.path().join("in.yaml"), many_ingresses(count)).unwrap();
        let mut child = std::process::Command::new(bin())
            .args(["convert", "--force", "--default-ingress-class", "nginx"])
            .arg(dir.path().join("in.yaml"))
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while started.elapsed() < TIMEOUT {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            let staging = staging_in(dir.path());
            let busy = staging.iter().any(|name| {
                std::fs::read_dir(dir.path().join(name))
                    .is_ok_and(|mut entries| entries.next().is_some())
            });
            if busy {
                child.kill().unwrap();
                caught = true;
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        child.wait().unwrap();
        if caught {
            break;
        }
    }
    assert!(caught, "no run was caught writing");
    // Killed: its staging folder is beside DIR, never inside, where `kubectl apply -R` reads.
    assert!(staging_in(&out).is_empty(), "{:?}", staging_in(&out));
    assert_eq!(staging_in(dir.path()).len(), 1);
    std::fs::write(
        dir.path().join("in.yaml"),
        ingress("shop", "web", "shop.example.com"),
    )
    .unwrap();
    lsc()
        .args(["convert", "--force", "--default-ingress-class", "nginx"])
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "the staging folder of an earlier lsc run",
        ));
    assert!(staging_in(dir.path()).is_empty());
    assert!(staging_in(&out).is_empty());
}

#[test]
fn a_run_into_an_out_another_run_holds_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("in.yaml"),
        ingress("shop", "web", "shop.example.com"),
    )
    .unwrap();
    let out = dir.path().join("gateway-api");
    let lock_path = dir.path().join(".gateway-api.lsc-lock");
    let lock = std::fs::File::create(&lock_path).unwrap();
    rustix::fs::flock(&lock, rustix::fs::FlockOperation::LockExclusive).unwrap();
    for force in [false, true] {
        let mut cmd = lsc();
        cmd.args(["convert", "--default-ingress-class", "nginx"]);
        if force {
            cmd.arg("--force");
        }
        cmd.arg(dir.path().join("in.yaml"))
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!(
                "error: another lsc run is writing to {} (it holds {}); nothing was written\n",
                out.display(),
                std::fs::canonicalize(&lock_path).unwrap().display()
            ));
        assert!(!out.exists());
    }
    drop(lock);
    lsc()
        .args(["convert", "--default-ingress-class", "nginx"])
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    // The lock file goes with the run that held it.
    assert!(!lock_path.exists());
}

#[test]
fn two_concurrent_runs_into_one_out_never_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    // The same files, different contents.
    std::fs::write(dir.path().join("a.yaml"), many_ingresses(300)).unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        many_ingresses(300).replace(".example.com", ".example.org"),
    )
    .unwrap();
    for round in 0..2 {
        let out = dir.path().join(format!("out-{round}"));
        std::fs::create_dir(&out).unwrap();
        let spawn = |input: &str| {
            std::process::Command::new(bin())
                .args(["convert", "--default-ingress-class", "nginx"])
                .arg(dir.path().join(input))
                .arg("--out")
                .arg(&out)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("a.yaml"), spawn("b.yaml"));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let succeeded = [&a, &b].iter().filter(|o| o.status.success()).count();
        assert_eq!(
            succeeded,
            1,
            "round {round}: {} / {}",
            stderr_of(&a),
            stderr_of(&b)
        );
        let refused = if a.status.success() { &b } else { &a };
        assert_eq!(refused.status.code(), Some(2));
        let why = stderr_of(refused);
        assert!(
            why.contains("another lsc run is writing to") || why.contains("exists"),
            "{why}"
        );
        assert!(why.contains("nothing was written"), "{why}");
        // The tree is the one run's, whole: no file of the other.
        let domain = if a.status.success() {
            ".example.com"
        } else {
            ".example.org"
        };
        let listener_sets = out.join("shop");
        let mut files = 0;
        for entry in std::fs::read_dir(&listener_sets).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            if text.contains("hostname") {
                assert!(text.contains(domain), "{text}");
            }
            files += 1;
        }
        assert!(files > 300, "{files} files");
    }
}

// Item 11: output that cannot be written.

/// lsc with stdout closed (`>&-`).
fn with_stdout_closed(args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" \"$@\" >&-")
        .arg(bin())
        .args(args)
        .output()
        .unwrap()
}

/// lsc with stdout on /dev/full, where every write fails with ENOSPC.
fn into_dev_full(args: &[&str]) -> Option<std::process::Output> {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .ok()?;
    Some(
        std::process::Command::new(bin())
            .args(args)
            .stdout(full)
            .output()
            .unwrap(),
    )
}

#[test]
fn output_that_cannot_be_written_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.yaml");
    std::fs::write(&input, ingress("shop", "web", "shop.example.com")).unwrap();
    let input = input.to_str().unwrap();
    let commands: [&[&str]; 6] = [
        &["render", input],
        &["convert", "--default-ingress-class", "nginx", input],
        &["check", input],
        &["--version"],
        &["--help"],
        &["explain"],
    ];
    for args in commands {
        let closed = with_stdout_closed(args);
        assert_eq!(closed.status.code(), Some(2), "{args:?} >&-");
        assert_eq!(
            stderr_of(&closed),
            "error: cannot write output: stdout is closed\n",
            "{args:?} >&-"
        );
        match into_dev_full(args) {
            None => eprintln!("skipped {args:?} > /dev/full: no /dev/full on this machine"),
            Some(full) => {
                assert_eq!(full.status.code(), Some(2), "{args:?} > /dev/full");
                let stderr = stderr_of(&full);
                assert!(
                    stderr.starts_with("error: cannot write output: "),
                    "{args:?} > /dev/full: {stderr}"
                );
                // No "converted … objects" after it.
                assert_eq!(stderr.lines().count(), 1, "{args:?} > /dev/full: {stderr}");
            }
        }
    }
    // Writing nothing to a closed stdout loses nothing.
    let empty = dir.path().join("empty.yaml");
    std::fs::write(&empty, "# nothing\n").unwrap();
    let closed = with_stdout_closed(&["render", empty.to_str().unwrap()]);
    assert_eq!(closed.status.code(), Some(0), "{}", stderr_of(&closed));
    // --out writes no stdout: a closed one is no error.
    let out = dir.path().join("out");
    let closed = with_stdout_closed(&[
        "convert",
        "--default-ingress-class",
        "nginx",
        input,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(closed.status.code(), Some(0), "{}", stderr_of(&closed));
    assert!(out.join("shop").is_dir());
}

/// Makes a folder immutable (`chattr +i`: nothing can be created in it, not even by root) for
/// as long as it lives; `None` where that cannot be done (no `chattr`, not root, a file system
/// without the flag).
struct Immutable(PathBuf);

impl Immutable {
    fn make(folder: &Path) -> Option<Immutable> {
        let done = std::process::Command::new("chattr")
            .arg("+i")
            .arg(folder)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        done.then(|| Immutable(folder.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn out_whose_parent_cannot_be_written_is_updated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("in.yaml"),
        ingress("shop", "web", "shop.example.com"),
    )
    .unwrap();
    let parent = dir.path().join("parent");
    let out = parent.join("gateway-api");
    std::fs::create_dir_all(out.join("shop")).unwrap();
    std::fs::write(out.join("shop/listenerset-web.yaml"), "old\n").unwrap();
    let Some(_immutable) = Immutable::make(&parent) else {
        eprintln!("skipped: cannot make a folder immutable here (chattr +i needs root)");
        return;
    };
    lsc()
        .args(["convert", "--force"])
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let written = std::fs::read_to_string(out.join("shop/listenerset-web.yaml")).unwrap();
    assert!(written.contains("kind: ListenerSet"), "{written}");
    assert!(out.join("shop/gateway-nginx.yaml").is_file());
    // No temporary file and no lock file left inside.
    assert!(staging_in(&out).is_empty(), "{:?}", staging_in(&out));
    assert!(staging_in(&out.join("shop")).is_empty());
    assert!(!out.join(".lsc-lock").exists());
}
