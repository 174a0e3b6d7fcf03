//! `--out DIR`: one file per object, `DIR/<namespace>/<kind>-<name>.yaml`. Every file is
//! rendered and checked first, then the whole tree is written into a hidden temporary folder
//! (`.lsc-*`, which the folder walker skips) and moved into place, so a refused or failed run
//! leaves no half-written tree behind (see [`write_tree`] for the one case that cannot be
//! atomic: merging into a folder that exists).

use std::collections::{BTreeMap, BTreeSet};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::Format;
use crate::convert::Emitted;

/// The prefix of the temporary folder: hidden, so that if lsc is killed before it removes the
/// folder, `lsc render DIR` and `lsc convert DIR` skip what is left.
const STAGING_PREFIX: &str = ".lsc-";

/// How many already-moved files an error message names before it counts the rest.
const SHOWN_MOVED: usize = 10;

/// The file an object goes to; cluster-scoped objects go to `_cluster/`.
pub fn object_path(dir: &Path, object: &Emitted, format: Format) -> PathBuf {
    dir.join(relative_path(
        &object.namespace,
        &object.kind,
        &object.name,
        format,
    ))
}

/// `<namespace>/<kind in lower case>-<name>.<yaml|json>`, the file name of one object (also
/// the path annotation of objects a KRM function adds).
pub fn relative_path(namespace: &str, kind: &str, name: &str, format: Format) -> String {
    let folder = if namespace.is_empty() {
        "_cluster"
    } else {
        namespace
    };
    let extension = match format {
        Format::Yaml => "yaml",
        Format::Json => "json",
    };
    format!("{folder}/{}-{name}.{extension}", kind.to_ascii_lowercase())
}

/// The first line of every YAML file `--out` writes: what [`stale`] looks for, so `--prune`
/// removes only files lsc wrote. JSON has no comments: those files are never pruned.
pub const MARKER: &str = "# written by lsc convert --out; a later run with --prune removes this file when it no longer writes it\n";

fn render(object: &Emitted, format: Format) -> String {
    match format {
        Format::Yaml => {
            let yaml = object.yaml();
            let mut text = String::with_capacity(MARKER.len() + yaml.len());
            text.push_str(MARKER);
            text.push_str(&yaml);
            text
        }
        Format::Json => {
            let mut out = String::new();
            super::json::write_value(&mut out, &object.tree().value, 0);
            out.push('\n');
            out
        }
    }
}

/// A namespace or name that is one plain path component: `..`, `a/b` or an empty name would
/// put a file outside its folder (Kubernetes refuses such names; the input may not).
fn is_plain_component(s: &str) -> bool {
    !s.is_empty() && s != "." && s != ".." && !s.contains(['/', '\\', '\0'])
}

/// Every file of the tree, by path relative to DIR, with its content: all of it is built
/// before anything touches the disk.
fn build_files(objects: &[Emitted], format: Format) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut files = BTreeMap::new();
    for object in objects {
        let plain = (object.namespace.is_empty() || is_plain_component(&object.namespace))
            && is_plain_component(&object.name);
        if !plain {
            return Err(format!(
                "{} {}/{} cannot be written to a file: its namespace and name must be plain names; nothing was written",
                object.kind, object.namespace, object.name
            ));
        }
        let relative = PathBuf::from(relative_path(
            &object.namespace,
            &object.kind,
            &object.name,
            format,
        ));
        if files.contains_key(&relative) {
            return Err(format!(
                "two objects would be written to {}; nothing was written",
                relative.display()
            ));
        }
        files.insert(relative, render(object, format));
    }
    Ok(files)
}

/// Writes every object under `dir`; refuses (before writing anything) when a file exists and
/// `force` is not set, or when a folder is where a file must go.
///
/// The files are first written into a temporary folder `.lsc-*`, removed in every case
/// (including a panic: [`tempfile::TempDir`] removes it when dropped). When `dir` does not
/// exist, the temporary folder is created beside it and renamed to `dir` in one step, so the
/// tree appears whole or not at all. When `dir` exists there is no atomic way to merge into
/// it: the temporary folder is created inside `dir` (the same file system even when `dir` is
/// a mount point) and each file is renamed into place, which replaces that file atomically;
/// an error part way names the files already moved.
pub fn write_tree(
    dir: &Path,
    objects: &[Emitted],
    format: Format,
    force: bool,
) -> Result<(), String> {
    let files = build_files(objects, format)?;
    if files.is_empty() {
        // Nothing to write, so no folder is created either.
        return Ok(());
    }
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => merge_into(dir, &files, force),
        Ok(_) => Err(format!(
            "{} is not a folder; nothing was written",
            dir.display()
        )),
        Err(e) if e.kind() == ErrorKind::NotFound => create(dir, &files),
        Err(e) => Err(format!(
            "cannot read {}: {e}; nothing was written",
            dir.display()
        )),
    }
}

/// A hidden temporary folder in `parent`.
fn staging_folder(parent: &Path) -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(parent)
        .map_err(|e| {
            format!(
                "cannot create a temporary folder in {}: {e}; nothing was written",
                parent.display()
            )
        })
}

/// Writes the files under `staging`; errors name the file's place under `dir`.
fn write_staged(
    staging: &Path,
    dir: &Path,
    files: &BTreeMap<PathBuf, String>,
) -> Result<(), String> {
    for (relative, content) in files {
        let path = staging.join(relative);
        path.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, content))
            .map_err(|e| {
                format!(
                    "cannot write {}: {e}; nothing was written",
                    dir.join(relative).display()
                )
            })?;
    }
    Ok(())
}

/// `dir` does not exist: build the tree beside it and rename it into place.
fn create(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<(), String> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let created = create_missing_folders(parent)?;
    let result = staging_folder(parent).and_then(|staging| {
        write_staged(staging.path(), dir, files)?;
        std::fs::rename(staging.path(), dir).map_err(|e| {
            format!(
                "cannot move the written tree to {}: {e}; nothing was written",
                dir.display()
            )
        })?;
        // Renamed away: nothing is left for the guard to remove.
        let _ = staging.keep();
        Ok(())
    });
    if result.is_err() {
        remove_empty_folders(&created);
    }
    result
}

/// Creates `folder` and its missing ancestors; returns those it created, innermost first.
fn create_missing_folders(folder: &Path) -> Result<Vec<PathBuf>, String> {
    let missing: Vec<PathBuf> = folder
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .take_while(
            |a| matches!(std::fs::symlink_metadata(a), Err(e) if e.kind() == ErrorKind::NotFound),
        )
        .map(Path::to_path_buf)
        .collect();
    if let Err(e) = std::fs::create_dir_all(folder) {
        remove_empty_folders(&missing);
        return Err(format!(
            "cannot create {}: {e}; nothing was written",
            folder.display()
        ));
    }
    Ok(missing)
}

/// Removes the folders lsc created (innermost first) that are still empty.
fn remove_empty_folders(folders: &[PathBuf]) {
    for folder in folders {
        let _ = std::fs::remove_dir(folder);
    }
}

/// `dir` exists: check every target, stage the tree inside `dir`, then rename file by file.
fn merge_into(dir: &Path, files: &BTreeMap<PathBuf, String>, force: bool) -> Result<(), String> {
    let mut existing = Vec::new();
    let folders: BTreeSet<&Path> = files
        .keys()
        .filter_map(|relative| relative.parent())
        .filter(|f| !f.as_os_str().is_empty())
        .collect();
    for folder in &folders {
        let path = dir.join(folder);
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_dir()) {
            return Err(format!(
                "{} is not a folder; nothing was written",
                path.display()
            ));
        }
    }
    for relative in files.keys() {
        let path = dir.join(relative);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                return Err(format!(
                    "{} is a folder; nothing was written",
                    path.display()
                ));
            }
            Ok(_) => existing.push(path),
            Err(_) => {}
        }
    }
    if let (false, Some(first)) = (force, existing.first()) {
        return Err(format!(
            "{} exists{}; nothing was written (use --force to overwrite)",
            first.display(),
            match existing.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            }
        ));
    }

    let staging = staging_folder(dir)?;
    write_staged(staging.path(), dir, files)?;
    let mut created = Vec::new();
    for folder in &folders {
        let path = dir.join(folder);
        if path.is_dir() {
            continue;
        }
        if let Err(e) = std::fs::create_dir_all(&path) {
            remove_empty_folders(&created);
            return Err(format!(
                "cannot create {}: {e}; nothing was written",
                path.display()
            ));
        }
        created.push(path);
    }
    let mut moved: Vec<&Path> = Vec::new();
    for relative in files.keys() {
        let target = dir.join(relative);
        if let Err(e) = std::fs::rename(staging.path().join(relative), &target) {
            remove_empty_folders(&created);
            return Err(partial_move_error(&target, &e, &moved, files.len()));
        }
        moved.push(relative);
    }
    Ok(())
}

/// A rename failed after others succeeded: say what is already in place.
fn partial_move_error(
    target: &Path,
    error: &std::io::Error,
    moved: &[&Path],
    total: usize,
) -> String {
    if moved.is_empty() {
        return format!(
            "cannot move {} into place: {error}; nothing was written",
            target.display()
        );
    }
    let mut shown: Vec<String> = moved
        .iter()
        .take(SHOWN_MOVED)
        .map(|p| p.display().to_string())
        .collect();
    if moved.len() > SHOWN_MOVED {
        shown.push(format!("and {} more", moved.len() - SHOWN_MOVED));
    }
    format!(
        "cannot move {} into place: {error}; {} of {total} files were already written (an existing folder cannot be updated atomically): {}",
        target.display(),
        moved.len(),
        shown.join(", ")
    )
}

/// The files under `dir` that an earlier `--out` wrote (their first line is [`MARKER`]) and
/// this run, writing `objects`, does not: sorted, relative to `dir`. Hidden entries (the
/// staging folders among them) and symbolic links are not looked into; a folder that cannot
/// be read is skipped, since only files lsc can prove it wrote matter here.
pub fn stale(dir: &Path, objects: &[Emitted], format: Format) -> Vec<PathBuf> {
    let written: BTreeSet<PathBuf> = objects
        .iter()
        .map(|o| PathBuf::from(relative_path(&o.namespace, &o.kind, &o.name, format)))
        .collect();
    let mut found = Vec::new();
    let mut folders = vec![PathBuf::new()];
    while let Some(relative) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&relative)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = relative.join(&name);
            match entry.file_type() {
                Ok(t) if t.is_dir() => folders.push(path),
                Ok(t) if t.is_file() => {
                    let yaml = path.extension().is_some_and(|e| e == "yaml");
                    if yaml && !written.contains(&path) && starts_with_marker(&dir.join(&path)) {
                        found.push(path);
                    }
                }
                _ => {}
            }
        }
    }
    found.sort();
    found
}

/// Reads only as many bytes as the marker has.
fn starts_with_marker(path: &Path) -> bool {
    use std::io::Read;
    let mut head = vec![0u8; MARKER.len()];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == MARKER.as_bytes())
}

/// Removes the `stale` files (relative to `dir`), then the folders they leave empty; an error
/// names the file that could not be removed.
pub fn prune(dir: &Path, stale: &[PathBuf]) -> Result<(), String> {
    for (done, relative) in stale.iter().enumerate() {
        if let Err(e) = std::fs::remove_file(dir.join(relative)) {
            return Err(format!(
                "cannot remove {}: {e}; {done} of {} stale files were removed",
                dir.join(relative).display(),
                stale.len()
            ));
        }
    }
    let folders: BTreeSet<&Path> = stale
        .iter()
        .filter_map(|r| r.parent())
        .filter(|f| !f.as_os_str().is_empty())
        .collect();
    // Innermost first; a folder that still holds anything stays.
    for folder in folders.iter().rev() {
        let _ = std::fs::remove_dir(dir.join(folder));
    }
    Ok(())
}
