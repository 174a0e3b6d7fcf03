//! `lsc convert` on the real binary: stdout vs `--out`, refusing to overwrite, determinism,
//! errors leaving nothing behind, usage errors.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

use common::lsc;
use common::tls_ingress as ingress;

fn write(dir: &Path, name: &str, content: &str) {
    std::fs::write(dir.join(name), content).unwrap();
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn stdout_and_stdin_agree_and_are_valid() {
    let text = ingress("shop", "web", "shop.example.com");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "in.yaml", &text);
    let from_file = stdout_of(lsc().arg("convert").arg(dir.path().join("in.yaml")));
    let from_stdin = stdout_of(lsc().args(["convert", "-"]).write_stdin(text));
    assert_eq!(from_file, from_stdin);
    assert_eq!(common::assert_gateway_api_valid(&from_file, "stdout"), 4);
    assert!(from_file.contains("kind: ListenerSet"));
}

#[test]
fn output_does_not_depend_on_file_order() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.yaml",
        &ingress("shop", "web", "shop.example.com"),
    );
    write(
        dir.path(),
        "b.yaml",
        &ingress("blog", "web", "blog.example.com"),
    );
    let a = dir.path().join("a.yaml");
    let b = dir.path().join("b.yaml");
    let forward = stdout_of(lsc().arg("convert").arg(&a).arg(&b));
    let backward = stdout_of(lsc().arg("convert").arg(&b).arg(&a));
    assert_eq!(forward, backward);
    let json = stdout_of(lsc().args(["convert", "-o", "json"]).arg(&a).arg(&b));
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"].as_array().unwrap().len(), 8);
}

#[test]
fn out_writes_one_file_per_object_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.yaml",
        &ingress("shop", "web", "shop.example.com"),
    );
    let out = dir.path().join("gateway-api");
    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(
            "converted 1 Ingress into 4 objects (1 Gateway, 1 ListenerSet, 2 HTTPRoutes), written to ",
        ));
    let listener_set = out.join("shop/listenerset-web.yaml");
    let written = std::fs::read_to_string(&listener_set).unwrap();
    let marker = "# written by lsc convert --out; a later run with --prune removes this file when it no longer writes it\n";
    assert!(written.starts_with(&format!(
        "{marker}apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\n"
    )));
    assert!(out.join("shop/gateway-nginx.yaml").exists());

    std::fs::write(&listener_set, "edited by hand\n").unwrap();
    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "exists (and 3 more); nothing was written (use --force to overwrite)",
        ));
    assert_eq!(
        std::fs::read_to_string(&listener_set).unwrap(),
        "edited by hand\n"
    );

    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&listener_set).unwrap(), written);
}

#[test]
fn an_error_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let broken =
        ingress("shop", "web", "shop.example.com").replace("        pathType: Prefix\n", "");
    write(dir.path(), "in.yaml", &broken);
    write(
        dir.path(),
        "ok.yaml",
        &ingress("blog", "blog", "blog.example.com"),
    );
    let out = dir.path().join("out");
    lsc()
        .arg("convert")
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "in.yaml:17: document 1: Ingress shop/web: path \"/\": pathType is required",
        ));
    assert!(!out.exists());
    lsc()
        .arg("convert")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("");
}

/// A lost access control writes nothing, not even with `--out`, until `--allow-unprotected`
/// names every host it covered (comma-separated or repeated); then the files are written and
/// the summary says what was accepted.
#[test]
fn lost_protection_writes_nothing_until_every_host_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let protected = |name: &str, host: &str| {
        ingress("shop", name, host).replace(
            "    cert-manager.io/cluster-issuer: letsencrypt\n",
            "    cert-manager.io/cluster-issuer: letsencrypt\n    nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8\n",
        )
    };
    write(dir.path(), "a.yaml", &protected("a", "a.example.com"));
    write(dir.path(), "b.yaml", &protected("b", "b.example.com"));
    let out = dir.path().join("out");
    let convert = |accepted: &[&str]| {
        let mut cmd = lsc();
        cmd.arg("convert").arg(dir.path()).arg("--out").arg(&out);
        for host in accepted {
            cmd.arg("--allow-unprotected").arg(host);
        }
        cmd.assert()
    };
    convert(&["a.example.com"])
        .code(2)
        .stderr(predicate::str::contains(
            "--allow-unprotected b.example.com (or all)",
        ));
    assert!(!out.exists());
    convert(&["a.example.com,b.example.com"])
        .success()
        .stderr(predicate::str::contains(
            "; 2 warnings; protection removed as accepted by --allow-unprotected for a.example.com (whitelist-source-range), b.example.com (whitelist-source-range)",
        ));
    assert!(out.join("shop").is_dir());
    std::fs::remove_dir_all(&out).unwrap();
    convert(&["all"]).success();
    assert!(out.join("shop").is_dir());
}

#[test]
fn usage_errors() {
    lsc()
        .args(["convert", "--gateway", "shared", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--gateway \"shared\": expected NAMESPACE/NAME",
        ));
    lsc()
        .args(["convert", "--force", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
    lsc()
        .args(["convert", "--tls-in", "nowhere", "-"])
        .assert()
        .code(2);
}

/// render(convert(x)) gives the Certificates render(x) gives, for the example's layouts.
#[test]
fn converted_objects_render_to_the_same_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let text = ingress("shop", "web", "shop.example.com")
        + "---\n"
        + &ingress("blog", "blog", "'*.blog.example.com'");
    write(dir.path(), "in.yaml", &text);
    let before = stdout_of(lsc().arg("render").arg(dir.path().join("in.yaml")));
    for layout in [
        &["--tls-in", "listenerset"][..],
        &["--tls-in", "gateway"],
        &["--gateway", "infra/shared", "--gateway-class", "x"],
        &["--listenerset-api", "v1alpha1"],
    ] {
        let converted = stdout_of(
            lsc()
                .arg("convert")
                .args(layout)
                .arg(dir.path().join("in.yaml")),
        );
        let after = stdout_of(lsc().args(["render", "-"]).write_stdin(converted));
        let strip = |s: &str| -> Vec<String> {
            s.split("---\n")
                .map(|d| {
                    d.lines()
                        .filter(|l| {
                            !l.contains("http01-parentref")
                                && !l.trim_start().starts_with("annotations:")
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect()
        };
        assert_eq!(strip(&before), strip(&after), "layout {layout:?}");
    }
}

/// Every entry under `dir` (folders too), by path relative to it, with the bytes of files.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Option<Vec<u8>>> {
    fn walk(
        root: &Path,
        dir: &Path,
        entries: &mut std::collections::BTreeMap<std::path::PathBuf, Option<Vec<u8>>>,
    ) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            if path.is_dir() {
                entries.insert(relative, None);
                walk(root, &path, entries);
            } else {
                entries.insert(relative, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut entries = std::collections::BTreeMap::new();
    walk(dir, dir, &mut entries);
    entries
}

/// The `.lsc-*` temporary folders `--out` left in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".lsc-"))
        .collect()
}

/// `lsc convert` with the file size limit at 0 (`ulimit -f 0`, SIGXFSZ ignored), so writing
/// any file fails with EFBIG part way through the tree, as a full disk would; permission bits
/// would not stop root.
#[cfg(unix)]
fn lsc_that_cannot_write_files() -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("lsc"));
    cmd
}

#[test]
fn out_into_a_new_folder_appears_whole_and_leaves_no_temporary_folder() {
    let dir = tempfile::tempdir().unwrap();
    let text = ingress("shop", "web", "shop.example.com")
        + "---\n"
        + &ingress("blog", "blog", "blog.example.com");
    write(dir.path(), "in.yaml", &text);
    let out = dir.path().join("nested/gateway-api");
    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let tree = snapshot(&out);
    let names: Vec<String> = tree
        .keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    assert_eq!(
        names,
        [
            "blog",
            "blog/gateway-nginx.yaml",
            "blog/httproute-blog-blog-example-com-http.yaml",
            "blog/httproute-blog-blog-example-com.yaml",
            "blog/listenerset-blog.yaml",
            "shop",
            "shop/gateway-nginx.yaml",
            "shop/httproute-web-shop-example-com-http.yaml",
            "shop/httproute-web-shop-example-com.yaml",
            "shop/listenerset-web.yaml",
        ]
    );
    // The files are what stdout would have printed, object by object.
    let stdout = stdout_of(lsc().arg("convert").arg(dir.path().join("in.yaml")));
    for (path, bytes) in &tree {
        if let Some(bytes) = bytes {
            let text = String::from_utf8(bytes.clone()).unwrap();
            // Behind the marker line, which only files carry.
            let (marker, text) = text.split_once('\n').unwrap();
            assert!(marker.starts_with("# written by lsc convert --out"));
            assert!(stdout.contains(text), "{} is not in stdout", path.display());
        }
    }
    assert_eq!(
        leftovers(dir.path().join("nested").as_path()),
        Vec::<String>::new()
    );
    assert_eq!(leftovers(&out), Vec::<String>::new());

    // The folder gets the permissions of any new folder, not the temporary folder's.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let plain = dir.path().join("plain");
        std::fs::create_dir(&plain).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
        assert_eq!(mode(&out), mode(&plain));
    }

    // What `render` reads back from the tree is what it reads from the Ingresses.
    let from_tree = stdout_of(lsc().arg("render").arg(&out));
    assert_eq!(common::assert_certificates_valid(&from_tree, "tree"), 2);
}

#[cfg(unix)]
#[test]
fn a_write_error_into_a_new_folder_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.yaml",
        &ingress("shop", "web", "shop.example.com"),
    );
    let before = snapshot(dir.path());
    for out in [
        dir.path().join("gateway-api"),
        dir.path().join("new/deeper/gateway-api"),
    ] {
        lsc_that_cannot_write_files()
            .arg("convert")
            .arg(dir.path().join("in.yaml"))
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stdout("")
            .stderr(
                predicate::str::contains("File too large")
                    .and(predicate::str::contains("nothing was written")),
            );
        assert!(!out.exists(), "{} exists", out.display());
        // Not even the missing parent folders or a temporary folder are left.
        assert_eq!(snapshot(dir.path()), before);
    }
}

#[cfg(unix)]
#[test]
fn a_write_error_into_an_existing_folder_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.yaml",
        &ingress("shop", "web", "shop.example.com"),
    );
    let out = dir.path().join("gateway-api");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("kustomization.yaml"), "resources: []\n").unwrap();
    // An empty folder: nothing to overwrite, every file is new.
    let before = snapshot(&out);
    lsc_that_cannot_write_files()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("nothing was written"));
    assert_eq!(snapshot(&out), before);

    // A tree written before and edited by hand: --force would overwrite, the error does not.
    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    std::fs::write(out.join("shop/listenerset-web.yaml"), "edited by hand\n").unwrap();
    let before = snapshot(&out);
    lsc_that_cannot_write_files()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .assert()
        .code(2)
        .stdout("");
    assert_eq!(snapshot(&out), before);
    assert_eq!(leftovers(&out), Vec::<String>::new());
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_folder_where_a_file_goes_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = ingress("shop", "web", "shop.example.com")
        + "---\n"
        + &ingress("blog", "blog", "blog.example.com");
    write(dir.path(), "in.yaml", &text);
    let out = dir.path().join("gateway-api");
    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    // The last file lsc writes is in the way: with file-by-file writes every other file
    // would already be replaced when it fails.
    std::fs::write(out.join("blog/gateway-nginx.yaml"), "edited by hand\n").unwrap();
    let in_the_way = out.join("shop/listenerset-web.yaml");
    std::fs::remove_file(&in_the_way).unwrap();
    std::fs::create_dir(&in_the_way).unwrap();
    std::fs::write(in_the_way.join("notes.txt"), "mine\n").unwrap();
    let before = snapshot(&out);
    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "listenerset-web.yaml is a folder; nothing was written",
        ));
    assert_eq!(snapshot(&out), before);
    assert_eq!(leftovers(&out), Vec::<String>::new());
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());

    // A file where a namespace folder goes.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("shop"), "not a folder\n").unwrap();
    let before = snapshot(&other);
    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&other)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "is not a folder; nothing was written",
        ));
    assert_eq!(snapshot(&other), before);
}

/// A namespace Kubernetes would refuse must not put files outside DIR.
#[test]
fn an_object_whose_path_leaves_the_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.yaml",
        &ingress("'..'", "web", "shop.example.com"),
    );
    let out = dir.path().join("nested/gateway-api");
    let before = snapshot(dir.path());
    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stdout("")
        // Refused on reading, like the API server would; `--out` would refuse it too.
        .stderr(predicate::str::contains(
            "metadata.namespace: Invalid value: \"..\": a lowercase RFC 1123 label",
        ));
    assert_eq!(snapshot(dir.path()), before);
}

/// A temporary folder left by a killed run is hidden, so reading DIR again skips it.
#[test]
fn render_skips_a_temporary_folder_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.yaml",
        &ingress("shop", "web", "shop.example.com"),
    );
    let out = dir.path().join("gateway-api");
    lsc()
        .arg("convert")
        .arg(dir.path().join("in.yaml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let expected = stdout_of(lsc().arg("render").arg(&out));
    assert_eq!(common::assert_certificates_valid(&expected, "tree"), 1);
    // Read, this would add a second Certificate.
    let left = out.join(".lsc-killed/blog");
    std::fs::create_dir_all(&left).unwrap();
    write(
        &left,
        "ingress.yaml",
        &ingress("blog", "blog", "blog.example.com"),
    );
    assert_eq!(stdout_of(lsc().arg("render").arg(&out)), expected);
}

/// As cert-manager 1.17 to 1.19, which read no ListenerSet, the ListenerSet layout is a usage
/// error (the converted Ingresses would lose their Certificates); the Gateway layout converts.
#[test]
fn listenerset_layout_needs_a_release_that_reads_listenersets() {
    let input = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/convert/version_listenerset_layout_1_20/input.yaml");
    lsc()
        .arg("convert")
        .arg(&input)
        .args(["--cert-manager-version", "1.19"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: cert-manager v1.19 reads no ListenerSet (ListenerSets are read from v1.20)",
        ));
    lsc()
        .arg("convert")
        .arg(&input)
        .args(["--cert-manager-version", "1.19", "--tls-in", "gateway"])
        .assert()
        .success()
        .stdout(predicate::str::contains("kind: Gateway"));
}

/// A second `--out --force` run in another layout leaves the first run's ListenerSet behind:
/// reported, and removed with `--prune`, which touches no file lsc did not write (a file of
/// the user's, a marked JSON-less file under a hidden folder) and keeps non-empty folders.
#[test]
fn stale_files_of_an_earlier_run_are_reported_and_pruned() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "in.yaml",
        &ingress("shop", "web", "shop.example.com"),
    );
    let out = dir.path().join("gateway-api");
    let convert = |extra: &[&str]| {
        let mut cmd = lsc();
        cmd.arg("convert")
            .arg(dir.path().join("in.yaml"))
            .arg("--out")
            .arg(&out)
            .args(extra);
        cmd
    };
    convert(&[]).assert().success();
    let listener_set = out.join("shop/listenerset-web.yaml");
    assert!(listener_set.exists());
    // Files lsc did not write: the user's own, and one hidden (never looked into).
    std::fs::write(out.join("shop/notes.yaml"), "kind: ConfigMap\n").unwrap();
    std::fs::create_dir_all(out.join(".git")).unwrap();
    let marked = std::fs::read_to_string(&listener_set).unwrap();
    std::fs::write(out.join(".git/listenerset-old.yaml"), &marked).unwrap();

    convert(&["--force", "--tls-in", "gateway"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: 1 file an earlier lsc convert wrote and this one does not",
        ))
        .stderr(predicate::str::contains("shop/listenerset-web.yaml"))
        .stderr(predicate::str::contains("--prune removes them"));
    assert!(listener_set.exists(), "reported, not removed");

    convert(&["--force", "--tls-in", "gateway", "--prune"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "note: removed 1 file an earlier lsc convert wrote and this one does not",
        ));
    assert!(!listener_set.exists());
    assert!(out.join("shop/notes.yaml").exists());
    assert!(out.join(".git/listenerset-old.yaml").exists());
    assert!(out.join("shop/gateway-nginx.yaml").exists());

    // Nothing stale: nothing said.
    convert(&["--force", "--tls-in", "gateway", "--prune"])
        .assert()
        .success()
        .stderr(predicate::str::contains("earlier lsc convert").not());
    lsc()
        .args(["convert", "--prune", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
}

/// Issue 30: what an emitter writes, applied, keeps what the Ingresses had. For every
/// `eg_*`, `ngf_*`, `kgw_*`, `agw_*` and `gke_*` convert fixture that converts: `lsc check` of the output finds no error, and
/// `lsc render` of it gives the Certificates `lsc render` gives for the Ingresses.
#[test]
fn emitter_outputs_check_clean_and_render_the_same_certificates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                ["eg_", "ngf_", "kgw_", "agw_", "gke_"]
                    .iter()
                    .any(|prefix| n.starts_with(prefix))
            })
        })
        .filter(|p| p.join("expected.yaml").exists())
        .collect();
    cases.sort();
    assert!(cases.len() >= 16, "{cases:?}");
    for case in cases {
        let output = std::fs::read_to_string(case.join("expected.yaml")).unwrap();
        let check = lsc()
            .args(["check", "-", "--format", "json"])
            .write_stdin(output.clone())
            .output()
            .unwrap();
        let findings = String::from_utf8(check.stdout).unwrap();
        assert!(
            check.status.success() && !findings.contains("\"severity\": \"error\""),
            "{}: lsc check of the output:\n{findings}",
            case.display()
        );
        let render = |args: &[&str], stdin: Option<String>| {
            let mut command = lsc();
            command.current_dir(&case).arg("render").args(args);
            if let Some(text) = stdin {
                command.write_stdin(text);
            }
            let out = command.output().unwrap();
            assert!(out.status.success(), "{}: render {args:?}", case.display());
            String::from_utf8(out.stdout).unwrap()
        };
        // Name, namespace and spec: convert adds the HTTP-01 parentRef annotations so the
        // challenge attaches to the ListenerSet.
        let certificates = |yaml: &str| -> Vec<serde_json::Value> {
            let (docs, _) = lsc::source::yaml::parse_documents(yaml, &Default::default());
            docs.iter()
                .filter_map(|d| d.root.as_ref())
                .map(|root| {
                    let json = lsc::emit::json::to_serde(&root.value);
                    serde_json::json!([
                        json["metadata"]["namespace"],
                        json["metadata"]["name"],
                        json["spec"]
                    ])
                })
                .collect()
        };
        let from_ingresses = certificates(&render(&["input.yaml"], None));
        assert!(!from_ingresses.is_empty(), "{}", case.display());
        assert_eq!(
            certificates(&render(&["-"], Some(output))),
            from_ingresses,
            "{}: Certificates differ",
            case.display()
        );
    }
}

#[test]
fn gateway_api_version_chooses_the_listener_set_api() {
    let text = ingress("shop", "web", "shop.example.com");
    let kinds = |args: &[&str]| -> String {
        stdout_of(
            lsc()
                .arg("convert")
                .args(args)
                .arg("-")
                .write_stdin(text.clone()),
        )
        .lines()
        .filter(|l| l.starts_with("kind: "))
        .collect::<Vec<_>>()
        .join(",")
    };
    assert_eq!(
        kinds(&["--gateway-api-version", "1.4"]),
        "kind: Gateway,kind: XListenerSet,kind: HTTPRoute,kind: HTTPRoute"
    );
    for asked in [&["--gateway-api-version", "1.5"][..], &[]] {
        assert_eq!(
            kinds(asked),
            "kind: Gateway,kind: ListenerSet,kind: HTTPRoute,kind: HTTPRoute",
            "{asked:?}"
        );
    }
    lsc()
        .args([
            "convert",
            "--gateway-api-version",
            "1.4",
            "--listenerset-api",
            "v1",
            "-",
        ])
        .write_stdin(text.clone())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "Gateway API v1.4.1 serves no ListenerSet v1",
        ));
    lsc()
        .args([
            "convert",
            "--gateway-api-version",
            "1.6",
            "--listenerset-api",
            "v1alpha1",
            "-",
        ])
        .write_stdin(text.clone())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "Gateway API v1.6.1 serves no XListenerSet",
        ));
    lsc()
        .args(["convert", "--gateway-api-version", "1.3", "-"])
        .write_stdin(text)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("[possible values: 1.4, 1.5, 1.6]"));
}
