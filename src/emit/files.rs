//! `--out DIR`: one file per object, `DIR/<namespace>/<kind>-<name>.yaml`. Every file is
//! rendered and checked first, then, under a lock on DIR, the whole tree is written into a
//! hidden staging folder beside DIR (`.lsc-staging-*`, which the folder walker skips) and moved
//! into place, so a refused or failed run leaves no half-written tree behind (see
//! [`write_tree`] for the one case that cannot be atomic: merging into a folder that exists).

use std::collections::{BTreeMap, BTreeSet};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::Format;
use crate::convert::Emitted;

/// The prefix of the staging folder beside DIR: hidden, so that `lsc render` and `lsc convert`
/// of DIR's parent skip it should one be left.
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
                crate::diag::path_name(&relative)
            ));
        }
        files.insert(relative, render(object, format));
    }
    Ok(files)
}

/// Writes every object under `dir`; refuses (before writing anything) when a file exists and
/// `force` is not set, when a folder is where a file must go, or when another lsc run is
/// writing to `dir`. What the caller should tell the user besides (stale staging folders
/// removed) is pushed to `notes`.
///
/// The whole run holds an exclusive lock on `dir` ([`DirLock`]). The files are first written
/// into a staging folder beside `dir` (never inside it, where `kubectl apply -R` would read a
/// copy left by a killed run), named after this host and process so that a later run can tell
/// one left by a killed run and remove it ([`remove_stale_staging`]); it is removed in every
/// other case (including a panic: [`tempfile::TempDir`] removes it when dropped). The files
/// and folders are flushed to disk before anything is moved. When `dir` does not exist, the
/// staging folder is renamed to `dir` in one step, so the tree appears whole or not at all.
/// When `dir` exists there is no atomic way to merge into it: each file is renamed into place,
/// which replaces that file atomically; an error part way names the files already moved.
pub fn write_tree(
    dir: &Path,
    objects: &[Emitted],
    format: Format,
    force: bool,
    notes: &mut Vec<String>,
) -> Result<(), String> {
    let files = build_files(objects, format)?;
    if files.is_empty() {
        // Nothing to write, so no folder is created either.
        return Ok(());
    }
    let shown = crate::diag::path_name(dir);
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let existing = match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => return Err(format!("{shown} is not a folder; nothing was written")),
        Err(e) if e.kind() == ErrorKind::NotFound => false,
        Err(e) => return Err(format!("cannot read {shown}: {e}; nothing was written")),
    };
    let created = if existing {
        Vec::new()
    } else {
        create_missing_folders(parent)?
    };
    let result = Target::resolve(dir, existing).and_then(|target| {
        let _lock = DirLock::take(&target, &shown)?;
        remove_stale_staging(&target.parent, notes);
        // Looked at again under the lock: another run may have made it meanwhile.
        match std::fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => merge_into(dir, &target, &files, force),
            Ok(_) => Err(format!("{shown} is not a folder; nothing was written")),
            Err(_) => create(dir, &target, &files),
        }
    });
    if result.is_err() {
        remove_empty_folders(&created);
    }
    result
}

/// `dir` as the file system has it: the folder it is in, with every link resolved, and its
/// name there (so that `--out .` and a link to a folder are staged beside the real folder).
struct Target {
    parent: PathBuf,
    name: std::ffi::OsString,
}

impl Target {
    fn real(&self) -> PathBuf {
        self.parent.join(&self.name)
    }

    fn resolve(dir: &Path, existing: bool) -> Result<Target, String> {
        let cannot = |e: std::io::Error| {
            format!(
                "cannot read {}: {e}; nothing was written",
                crate::diag::path_name(dir)
            )
        };
        let real = if existing {
            std::fs::canonicalize(dir).map_err(cannot)?
        } else {
            let parent = dir
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = dir.file_name().unwrap_or_default();
            std::fs::canonicalize(parent).map_err(cannot)?.join(name)
        };
        match (real.parent(), real.file_name()) {
            (Some(parent), Some(name)) => Ok(Target {
                parent: parent.to_path_buf(),
                name: name.to_os_string(),
            }),
            _ => Err(format!(
                "cannot write into {}: it is no folder's entry; nothing was written",
                crate::diag::path_name(&real)
            )),
        }
    }
}

/// An exclusive lock on the output folder, held while a run writes it: the lock file
/// `.<name>.lsc-lock` beside it, locked with `flock`. A second run into the same folder is
/// refused at once rather than made to wait (it would find the first run's files and refuse
/// them anyway, unless `--force`). The file is removed when the lock is let go; a run that
/// opened it before that finds it replaced and opens it again (the usual way to remove a lock
/// file safely).
struct DirLock {
    #[cfg(unix)]
    path: PathBuf,
    #[cfg(unix)]
    _file: std::fs::File,
}

impl DirLock {
    #[cfg(unix)]
    fn take(target: &Target, out: &str) -> Result<DirLock, String> {
        use rustix::fs::{FlockOperation, flock};
        use std::os::unix::fs::MetadataExt;
        let mut name = std::ffi::OsString::from(".");
        name.push(&target.name);
        name.push(".lsc-lock");
        let mut path = target.parent.join(name);
        loop {
            let open = |path: &Path| {
                std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(path)
            };
            let opened = match open(&path) {
                // Where lsc may not write beside DIR, the lock file goes inside it (hidden,
                // and no manifest's name).
                Err(e) if is_unwritable(&e) && target.real().is_dir() => {
                    path = target.real().join(".lsc-lock");
                    open(&path)
                }
                other => other,
            };
            let file = opened.map_err(|e| {
                format!(
                    "cannot create the lock file {}: {e}; nothing was written",
                    crate::diag::path_name(&path)
                )
            })?;
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {}
                Err(rustix::io::Errno::WOULDBLOCK) => {
                    return Err(format!(
                        "another lsc run is writing to {out} (it holds {}); nothing was written",
                        crate::diag::path_name(&path)
                    ));
                }
                Err(e) => {
                    return Err(format!(
                        "cannot lock {}: {e}; nothing was written",
                        crate::diag::path_name(&path)
                    ));
                }
            }
            let same = match (file.metadata(), std::fs::metadata(&path)) {
                (Ok(held), Ok(named)) => held.ino() == named.ino() && held.dev() == named.dev(),
                _ => false,
            };
            if same {
                return Ok(DirLock { path, _file: file });
            }
        }
    }

    #[cfg(not(unix))]
    fn take(_target: &Target, _out: &str) -> Result<DirLock, String> {
        Ok(DirLock {})
    }
}

#[cfg(unix)]
impl Drop for DirLock {
    fn drop(&mut self) {
        // Removed while still locked; the lock goes with the file descriptor after this.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `.lsc-staging-<host>-<pid>-`: the start of a staging folder's name, saying whose it is.
fn staging_prefix() -> String {
    format!(
        "{STAGING_PREFIX}staging-{}-{}-",
        host_name(),
        std::process::id()
    )
}

#[cfg(unix)]
fn host_name() -> String {
    let uname = rustix::system::uname();
    let name = uname.nodename().to_string_lossy();
    // Host names are letters, digits, dots and dashes; anything else would confuse the parse.
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(not(unix))]
fn host_name() -> String {
    "localhost".to_string()
}

/// Removes the staging folders in `parent` that runs of lsc on this host left when they were
/// killed: named by [`staging_prefix`] with a process that no longer runs. Each one removed is
/// a note. A folder whose process still runs (or whose number a new process took) is left.
fn remove_stale_staging(parent: &Path, notes: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let ours = format!("{STAGING_PREFIX}staging-{}-", host_name());
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&ours))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_folder || pid == std::process::id() || process_runs(pid) {
            continue;
        }
        let path = entry.path();
        if std::fs::remove_dir_all(&path).is_ok() {
            notes.push(format!(
                "removed {}, the staging folder of an earlier lsc run (process {pid}) that did not finish",
                crate::diag::path_name(&path)
            ));
        }
    }
}

#[cfg(unix)]
fn process_runs(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // EPERM: it runs, as another user.
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

#[cfg(not(unix))]
fn process_runs(_pid: u32) -> bool {
    true
}

/// A staging folder in `parent`.
fn staging_folder(parent: &Path) -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(&staging_prefix())
        .tempdir_in(parent)
}

fn cannot_stage(parent: &Path, e: &std::io::Error) -> String {
    format!(
        "cannot create a temporary folder in {}: {e}; nothing was written",
        crate::diag::path_name(parent)
    )
}

/// Writes the files under `staging`, and flushes them and their folders to disk; errors name
/// the file's place under `dir`.
fn write_staged(
    staging: &Path,
    dir: &Path,
    files: &BTreeMap<PathBuf, String>,
) -> Result<(), String> {
    let failed = |relative: &Path, e: std::io::Error| {
        format!(
            "cannot write {}: {e}; nothing was written",
            crate::diag::path_name(&dir.join(relative))
        )
    };
    for (relative, content) in files {
        let path = staging.join(relative);
        path.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| write_file(&path, content))
            .map_err(|e| failed(relative, e))?;
    }
    sync_staged(staging, files).map_err(|e| failed(Path::new(""), e))
}

/// Writes one staged file; where the file system is not flushed whole at the end
/// ([`sync_staged`]), the file is flushed here.
fn write_file(path: &Path, content: &str) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    std::io::Write::write_all(&mut file, content.as_bytes())?;
    if !cfg!(target_os = "linux") {
        file.sync_all()?;
    }
    Ok(())
}

/// Flushes the staged tree to disk before it is moved, so that a crash after the move cannot
/// leave empty or partial files in place. On Linux one `syncfs` flushes the file system the
/// staging folder is on, files and folders at once: a tree of thousands of files would
/// otherwise pay one `fsync` each, a journal commit apiece.
#[cfg(target_os = "linux")]
fn sync_staged(staging: &Path, _files: &BTreeMap<PathBuf, String>) -> std::io::Result<()> {
    let folder = std::fs::File::open(staging)?;
    rustix::fs::syncfs(&folder)?;
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync_staged(staging: &Path, files: &BTreeMap<PathBuf, String>) -> std::io::Result<()> {
    let folders: BTreeSet<PathBuf> = files
        .keys()
        .filter_map(|relative| relative.parent())
        .map(|folder| staging.join(folder))
        .collect();
    for folder in folders {
        sync_folder(&folder)?;
    }
    Ok(())
}

/// Flushes a folder's entries (a rename into it) to disk, where folders can be opened.
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    if cfg!(unix) {
        std::fs::File::open(folder)?.sync_all()?;
    }
    Ok(())
}

/// `dir` does not exist: build the tree beside it and rename it into place.
fn create(dir: &Path, target: &Target, files: &BTreeMap<PathBuf, String>) -> Result<(), String> {
    let shown = crate::diag::path_name(dir);
    let staging = staging_folder(&target.parent).map_err(|e| cannot_stage(&target.parent, &e))?;
    write_staged(staging.path(), dir, files)?;
    std::fs::rename(staging.path(), target.parent.join(&target.name)).map_err(|e| {
        format!("cannot move the written tree to {shown}: {e}; nothing was written")
    })?;
    // Renamed away: nothing is left for the guard to remove.
    let _ = staging.keep();
    // The rename itself, made durable; the tree is in place whatever this says.
    let _ = sync_folder(&target.parent);
    Ok(())
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
            crate::diag::path_name(folder)
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

/// `dir` exists: check every target, stage the tree beside `dir`, then rename file by file
/// (or [`merge_in_place`] when nothing can be staged beside `dir`).
fn merge_into(
    dir: &Path,
    target: &Target,
    files: &BTreeMap<PathBuf, String>,
    force: bool,
) -> Result<(), String> {
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
                crate::diag::path_name(&path)
            ));
        }
    }
    for relative in files.keys() {
        let path = dir.join(relative);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                return Err(format!(
                    "{} is a folder; nothing was written",
                    crate::diag::path_name(&path)
                ));
            }
            Ok(_) => existing.push(path),
            Err(_) => {}
        }
    }
    if let (false, Some(first)) = (force, existing.first()) {
        return Err(format!(
            "{} exists{}; nothing was written (use --force to overwrite)",
            crate::diag::path_name(first),
            match existing.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            }
        ));
    }

    // A folder beside DIR is on DIR's file system unless DIR is a mount point.
    let same_device = same_device(dir, &target.parent);
    let staging = match staging_folder(&target.parent) {
        Ok(staging) if same_device => Some(staging),
        Ok(_) => None,
        Err(e) if is_unwritable(&e) => None,
        Err(e) => return Err(cannot_stage(&target.parent, &e)),
    };
    let Some(staging) = staging else {
        return merge_in_place(dir, files, &folders);
    };
    write_staged(staging.path(), dir, files)?;
    let created = create_folders(dir, &folders)?;
    let mut moved: Vec<&Path> = Vec::new();
    for relative in files.keys() {
        let target = dir.join(relative);
        if let Err(e) = std::fs::rename(staging.path().join(relative), &target) {
            remove_empty_folders(&created);
            return Err(partial_move_error(&target, &e, &moved, files.len()));
        }
        moved.push(relative);
    }
    sync_folders(dir, &moved);
    Ok(())
}

/// Creates the folders under `dir` that files go to; returns those it created.
fn create_folders(dir: &Path, folders: &BTreeSet<&Path>) -> Result<Vec<PathBuf>, String> {
    let mut created = Vec::new();
    for folder in folders {
        let path = dir.join(folder);
        if path.is_dir() {
            continue;
        }
        if let Err(e) = std::fs::create_dir_all(&path) {
            remove_empty_folders(&created);
            return Err(format!(
                "cannot create {}: {e}; nothing was written",
                crate::diag::path_name(&path)
            ));
        }
        created.push(path);
    }
    Ok(created)
}

/// The renames into the folders of `moved`, made durable; the files are in place whatever
/// this says.
fn sync_folders(dir: &Path, moved: &[&Path]) {
    let mut synced = BTreeSet::new();
    for relative in moved {
        let folder = dir.join(relative.parent().unwrap_or(Path::new("")));
        if synced.insert(folder.clone()) {
            let _ = sync_folder(&folder);
        }
    }
}

/// Whether `dir` is on the file system of `parent` (not a mount point).
fn same_device(dir: &Path, parent: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(dir), std::fs::metadata(parent)) {
            (Ok(d), Ok(p)) => d.dev() == p.dev(),
            _ => true,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (dir, parent);
        true
    }
}

/// An error that says lsc may not create entries in a folder (permissions, an immutable
/// folder, a read-only file system).
fn is_unwritable(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
    )
}

/// DIR exists but nothing can be staged beside it and renamed into it: DIR is a mount point,
/// or lsc may not write in its parent. Each file is written beside its target as a hidden
/// temporary file (`.lsc-*.tmp`, which neither lsc nor `kubectl apply` reads) and flushed, all
/// of them before any is renamed over its target, so an error while writing still leaves
/// nothing written. A run killed meanwhile leaves those temporary files.
fn merge_in_place(
    dir: &Path,
    files: &BTreeMap<PathBuf, String>,
    folders: &BTreeSet<&Path>,
) -> Result<(), String> {
    let created = create_folders(dir, folders)?;
    let mut staged = Vec::with_capacity(files.len());
    for (relative, content) in files {
        let target = dir.join(relative);
        match temporary_beside(&target, content) {
            Ok(temporary) => staged.push((relative, temporary)),
            Err(e) => {
                // Each temporary file is removed as it is dropped.
                drop(staged);
                remove_empty_folders(&created);
                return Err(format!(
                    "cannot write {}: {e}; nothing was written",
                    crate::diag::path_name(&target)
                ));
            }
        }
    }
    let mut moved: Vec<&Path> = Vec::new();
    for (relative, temporary) in staged {
        let target = dir.join(relative);
        if let Err(e) = temporary.persist(&target) {
            remove_empty_folders(&created);
            return Err(partial_move_error(&target, &e.error, &moved, files.len()));
        }
        moved.push(relative);
    }
    sync_folders(dir, &moved);
    Ok(())
}

/// `content` in a hidden temporary file beside `target`, flushed to disk and closed (a tree
/// of thousands of files would not fit the open-file limit).
fn temporary_beside(target: &Path, content: &str) -> std::io::Result<tempfile::TempPath> {
    let folder = target.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .suffix(".tmp")
        .tempfile_in(folder)?;
    std::io::Write::write_all(&mut file, content.as_bytes())?;
    file.as_file().sync_all()?;
    Ok(file.into_temp_path())
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
            crate::diag::path_name(target)
        );
    }
    let mut shown: Vec<String> = moved
        .iter()
        .take(SHOWN_MOVED)
        .map(|p| crate::diag::path_name(p))
        .collect();
    if moved.len() > SHOWN_MOVED {
        shown.push(format!("and {} more", moved.len() - SHOWN_MOVED));
    }
    format!(
        "cannot move {} into place: {error}; {} of {total} files were already written (an existing folder cannot be updated atomically): {}",
        crate::diag::path_name(target),
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
