//! Finding inputs (files, folders, stdin), decoding them and splitting them into documents,
//! each remembering where it came from.

mod block;
mod folder;
mod ignored;
mod json;
mod quirks;
mod skim;
pub mod tree;
pub mod yaml;
pub mod yaml11;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diag::{Diagnostic, Location};
pub(crate) use skim::too_many_list_items;
use tree::{Map, Node, Value};
pub use yaml::Limits;

/// The name stdin goes by in diagnostics.
pub const STDIN_NAME: &str = "<stdin>";

/// One input to read: a path as the command line gives it (a file, or a folder to walk), a
/// file, or stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    /// Checked when read: a folder is walked, anything else read as a file.
    Given(String),
    File {
        path: PathBuf,
        display: Arc<str>,
    },
    Stdin,
}

impl InputSource {
    pub fn display(&self) -> Arc<str> {
        match self {
            InputSource::Given(path) => Arc::from(crate::diag::escape_name(path.as_bytes())),
            InputSource::File { display, .. } => display.clone(),
            InputSource::Stdin => Arc::from(STDIN_NAME),
        }
    }
}

/// The command line's paths as inputs: `-` is stdin.
pub fn given(paths: &[String]) -> Vec<InputSource> {
    paths
        .iter()
        .map(|path| match path.as_str() {
            "-" => InputSource::Stdin,
            _ => InputSource::Given(path.clone()),
        })
        .collect()
}

/// Called with the number of files found so far each time a read finds one more, when set
/// (once, by the program): it may change how the process runs, never what it prints.
pub static ON_FILE_FOUND: std::sync::OnceLock<fn(usize)> = std::sync::OnceLock::new();

/// A Kubernetes object document: a mapping, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub location: Location,
    pub root: Map,
}

impl Document {
    pub fn node_location(&self, line: u32) -> Location {
        self.location.at_line(line)
    }
}

fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Every file the inputs name or hold, each made into a `T` on the thread that read it.
#[derive(Debug)]
pub struct Walked<T> {
    /// In input order: the command line's order, and a folder's files sorted by path.
    pub results: Vec<T>,
    /// The name of each result's file, in the same order.
    pub names: Vec<Arc<str>>,
    /// What went wrong finding the files (a path or folder that cannot be read, a folder
    /// without manifests), in the command line's order.
    pub discovery: Vec<Diagnostic>,
    /// How many of the files hold more than comments, blank lines, directives and document
    /// markers (counted by [`load_each_with_sources`] only).
    pub with_content: usize,
}

/// Finds and reads every input, files in parallel, and hands each file's name and bytes (or
/// why they could not be read) to `each`. Folders are walked recursively (only `*.yaml`,
/// `*.yml`, `*.json`; hidden entries, what ignore files and `--exclude` match, and Helm charts
/// skipped), and each file is read as soon as its folder is listed, opened by its name in the
/// open folder: no barrier between finding and reading, and no path looked up twice. The
/// result never depends on the number of threads.
pub fn read_each<T: Send>(
    inputs: &[InputSource],
    limits: &Limits,
    each: impl Fn(&Arc<str>, Result<Vec<u8>, Diagnostic>) -> T + Sync,
) -> Walked<T> {
    use rayon::prelude::*;
    let reader = Reader {
        limits,
        each: &each,
        found: AtomicUsize::new(0),
    };
    let parts: Vec<Found<T>> = inputs.par_iter().map(|i| reader.input(i)).collect();
    let mut walked = Walked {
        results: Vec::with_capacity(parts.iter().map(|p| p.files.len()).sum()),
        names: Vec::new(),
        discovery: Vec::new(),
        with_content: 0,
    };
    walked.names.reserve_exact(walked.results.capacity());
    for part in parts {
        for (name, result) in part.files {
            walked.names.push(name);
            walked.results.push(result);
        }
        walked.discovery.extend(part.diagnostics);
    }
    walked
}

/// What reading found under one path, in walk order.
struct Found<T> {
    files: Vec<(Arc<str>, T)>,
    diagnostics: Vec<Diagnostic>,
}

impl<T> Found<T> {
    fn failed(diagnostic: Diagnostic) -> Self {
        Found {
            files: Vec::new(),
            diagnostics: vec![diagnostic],
        }
    }

    fn nothing() -> Self {
        Found {
            files: Vec::new(),
            diagnostics: Vec::new(),
        }
    }
}

type Each<'a, T> = dyn Fn(&Arc<str>, Result<Vec<u8>, Diagnostic>) -> T + Sync + 'a;

/// One [`read_each`] run.
struct Reader<'a, T> {
    limits: &'a Limits,
    each: &'a Each<'a, T>,
    /// Files found so far, for [`ON_FILE_FOUND`].
    found: AtomicUsize,
}

impl<T: Send> Reader<'_, T> {
    fn input(&self, input: &InputSource) -> Found<T> {
        let InputSource::Given(arg) = input else {
            return self.file(input.display(), read_bytes(input, self.limits));
        };
        let path = Path::new(arg);
        let name = input.display();
        match std::fs::metadata(path) {
            Err(e) => Found::failed(Diagnostic::error(
                Some(file_location(&name)),
                format!("cannot read: {}", unreadable(path, &e)),
            )),
            Ok(meta) if meta.is_dir() => {
                let real = match std::fs::canonicalize(path) {
                    Ok(real) if is_system_folder(&real) => {
                        return Found::failed(Diagnostic::error(
                            Some(file_location(&name)),
                            format!("lsc does not read {}", SYSTEM_FOLDERS),
                        ));
                    }
                    Ok(real) => real,
                    Err(e) => {
                        return Found::failed(Diagnostic::error(
                            Some(file_location(&name)),
                            format!("cannot read folder: {}", io_reason(&e)),
                        ));
                    }
                };
                let options = WALK.get_or_init(WalkOptions::default);
                let (rules, warnings) =
                    match ignored::Root::new(path, &real, &options.exclude, self.limits) {
                        Ok(root) => root,
                        Err(e) => return Found::failed(Diagnostic::error(None, e)),
                    };
                let tree = Tree {
                    root: &real,
                    follow: options.follow,
                    rules: &rules,
                    command: options.command,
                };
                let mut found = self.walk(&tree, path, &real, None, &[], false, None);
                found.diagnostics.splice(0..0, warnings);
                // A folder whose entries could not be read has said why already.
                if found.files.is_empty() && found.diagnostics.is_empty() {
                    found.diagnostics.push(Diagnostic::warning(
                        Some(file_location(&name)),
                        "folder holds no *.yaml, *.yml or *.json file",
                    ));
                }
                found
            }
            Ok(meta) => match special_kind(&meta) {
                // A pipe named on the command line (`<(helm template ...)`, `/dev/stdin`) is
                // read; opened without waiting, so a FIFO nothing writes to is empty.
                Some(kind) if kind != "a FIFO" => Found::failed(Diagnostic::error(
                    Some(file_location(&name)),
                    format!(
                        "not a regular file but {kind}; lsc reads files, folders and stdin (`-`)"
                    ),
                )),
                _ => self.file(name, read_bytes(input, self.limits)),
            },
        }
    }

    fn file(&self, name: Arc<str>, bytes: Result<Vec<u8>, Diagnostic>) -> Found<T> {
        let count = self.found.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(hook) = ON_FILE_FOUND.get() {
            hook(count);
        }
        let result = (self.each)(&name, bytes);
        Found {
            files: vec![(name, result)],
            diagnostics: Vec::new(),
        }
    }

    /// Walks `dir` (sorted, hidden entries skipped), opened in `parent` when there is one,
    /// reading its files as it goes; entries are taken in parallel and their findings joined
    /// in sorted order. `real` is the folder's path with every symbolic link resolved, made
    /// by joining names (no system call) except where a link leads. `ancestors` are the
    /// folders on the way here. Only a symbolic link (`via_link`) can lead back to one of
    /// them, so only then are the folders' identities read (a system call each). A folder is
    /// closed once its entries are done, so the open ones are only those on the way to the
    /// entries being read. `rules` are the ignore files' rules of the folders above; the
    /// folder's own ignore files, found by its listing, add theirs. A folder holding a
    /// `Chart.yaml` is a Helm chart, whose templates are not manifests: skipped with a note.
    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        tree: &Tree<'_>,
        dir: &Path,
        real: &Path,
        parent: Option<&folder::Folder>,
        ancestors: &[&Path],
        via_link: bool,
        rules: Option<&ignored::Rules<'_>>,
    ) -> Found<T> {
        use folder::EntryKind;
        use rayon::prelude::*;
        let looped = via_link
            && folder_id(dir).is_some_and(|id| ancestors.iter().any(|a| folder_id(a) == Some(id)));
        if looped {
            return Found::failed(Diagnostic::warning(
                Some(file_location(&crate::diag::path_name(dir))),
                "symbolic link loop; folder skipped",
            ));
        }
        let name = dir.file_name().unwrap_or_default();
        let (open, listing) = match folder::open(parent, dir, name) {
            Ok(listed) => listed,
            Err(e) => {
                return Found::failed(Diagnostic::error(
                    Some(file_location(&crate::diag::path_name(dir))),
                    format!("cannot read folder: {}", io_reason(&e)),
                ));
            }
        };
        if listing.chart {
            return Found::failed(helm_chart(dir, tree.command));
        }
        let (own, mut warnings) = if listing.ignore_files.is_empty() {
            (None, Vec::new())
        } else {
            self.ignore_files(tree, dir, &open, &listing.ignore_files)
        };
        let chained = own.as_ref().map(|layer| ignored::Rules {
            layer,
            parent: rules,
        });
        let rules = chained.as_ref().or(rules);
        let ignores = |path: &Path, is_dir: bool| {
            (rules.is_some() || !tree.rules.is_empty()) && tree.rules.ignores(rules, path, is_dir)
        };
        let branch: Vec<&Path> = ancestors.iter().copied().chain([dir]).collect();
        let parts: Vec<Found<T>> = listing
            .entries
            .into_par_iter()
            .map(|(name, kind)| {
                let path = dir.join(&name);
                let skipped = |why: String| {
                    Found::failed(Diagnostic::warning(
                        Some(file_location(&crate::diag::path_name(&path))),
                        why,
                    ))
                };
                // The entry's own type needs no system call; only symbolic links are followed.
                // Git matches a link as a file, and lsc also as a folder when it leads to one.
                let (kind, target, link) = match kind {
                    EntryKind::Link if ignores(&path, false) => return Found::nothing(),
                    EntryKind::Link => match tree.follow_link(&path) {
                        Ok(Followed::To(kind, target)) => (kind, Some(target), true),
                        Ok(Followed::Refused(why)) => return skipped(why),
                        Err(e) => {
                            return Found::failed(Diagnostic::error(
                                Some(file_location(&crate::diag::path_name(&path))),
                                format!("cannot read: {}", unreadable(&path, &e)),
                            ));
                        }
                    },
                    kind => (kind, None, false),
                };
                match kind {
                    EntryKind::Folder if ignores(&path, true) => Found::nothing(),
                    EntryKind::Folder => {
                        // Joined for folders only: no allocation per file. A link's target
                        // was checked when followed; any other folder is in a system folder
                        // only when it is one, a child of `/`.
                        let in_root = target.is_none() && real.as_os_str() == "/";
                        let real = target.unwrap_or_else(|| real.join(&name));
                        if in_root && is_system_folder(&real) {
                            return skipped(format!(
                                "lsc does not read {SYSTEM_FOLDERS}; folder skipped"
                            ));
                        }
                        self.walk(tree, &path, &real, Some(&open), &branch, link, rules)
                    }
                    EntryKind::File | EntryKind::Special(_)
                        if !is_manifest(&path) || ignores(&path, false) =>
                    {
                        Found::nothing()
                    }
                    EntryKind::File => {
                        let display: Arc<str> = Arc::from(crate::diag::path_name(&path));
                        let opened = folder::open_file(&open, &path, &name);
                        let bytes = read_opened(&display, opened, self.limits);
                        self.file(display, bytes)
                    }
                    EntryKind::Special(what) => {
                        skipped(format!("not a regular file but {what}; skipped"))
                    }
                    EntryKind::Link => Found::nothing(),
                }
            })
            .collect();
        let mut found = Found {
            files: Vec::with_capacity(parts.iter().map(|p| p.files.len()).sum()),
            diagnostics: std::mem::take(&mut warnings),
        };
        for part in parts {
            found.files.extend(part.files);
            found.diagnostics.extend(part.diagnostics);
        }
        found
    }
}

impl<T> Reader<'_, T> {
    /// The rules of the ignore files `dir`'s listing found (`files`: their index in
    /// [`ignored::IGNORE_FILES`] and kind), each opened in the open folder; a link is followed
    /// as a manifest's would be. One that cannot be read, or is no regular file (never opened),
    /// is a warning, and the walk goes on without its rules.
    fn ignore_files(
        &self,
        tree: &Tree<'_>,
        dir: &Path,
        open: &folder::Folder,
        files: &[(usize, folder::EntryKind)],
    ) -> (Option<ignored::Layer>, Vec<Diagnostic>) {
        use folder::EntryKind;
        let mut texts = Vec::new();
        let mut warnings = Vec::new();
        for &(index, kind) in files {
            let Some(name) = ignored::IGNORE_FILES.get(index) else {
                continue;
            };
            let path = dir.join(name);
            let display: Arc<str> = Arc::from(crate::diag::path_name(&path));
            let skipped = |why: String| {
                ignored::unread(Diagnostic::warning(Some(file_location(&display)), why))
            };
            let bytes = match kind {
                EntryKind::File => read_opened(
                    &display,
                    folder::open_file(open, &path, std::ffi::OsStr::new(name)),
                    self.limits,
                ),
                EntryKind::Link => match tree.follow_link(&path) {
                    Ok(Followed::To(EntryKind::File, target)) => {
                        read_opened(&display, open_given(&target), self.limits)
                    }
                    Ok(Followed::To(EntryKind::Special(what), _)) => {
                        warnings.push(skipped(format!("not a regular file but {what}")));
                        continue;
                    }
                    Ok(Followed::To(_, _)) => {
                        warnings.push(skipped("a folder, not a file".to_string()));
                        continue;
                    }
                    Ok(Followed::Refused(why)) => {
                        warnings.push(skipped(why));
                        continue;
                    }
                    Err(e) => Err(Diagnostic::error(
                        Some(file_location(&display)),
                        format!("cannot read: {}", unreadable(&path, &e)),
                    )),
                },
                EntryKind::Special(what) => {
                    warnings.push(skipped(format!("not a regular file but {what}")));
                    continue;
                }
                EntryKind::Folder => {
                    warnings.push(skipped("a folder, not a file".to_string()));
                    continue;
                }
            };
            match bytes {
                Ok(bytes) => texts.push((path, String::from_utf8_lossy(&bytes).into_owned())),
                Err(e) => warnings.push(ignored::unread(e)),
            }
        }
        let (layer, mut bad) = ignored::Layer::read(dir, &texts);
        warnings.append(&mut bad);
        (layer, warnings)
    }
}

/// How folders are walked, from the command line; set once, by the program, before anything is
/// read (the default otherwise).
pub static WALK: std::sync::OnceLock<WalkOptions> = std::sync::OnceLock::new();

#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// `--follow`: symbolic links are followed out of the folder being walked.
    pub follow: bool,
    /// `--exclude`: gitignore globs, relative to each folder named on the command line.
    pub exclude: Vec<String>,
    /// The subcommand, named in the note that says how to render a skipped Helm chart.
    pub command: &'static str,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            follow: false,
            exclude: Vec::new(),
            command: "render",
        }
    }
}

impl WalkOptions {
    /// Refuses `--exclude` globs that do not parse, naming the first.
    pub fn check(&self) -> Result<(), String> {
        ignored::Layer::exclude(Path::new("."), &self.exclude).map(drop)
    }
}

/// The note for a folder holding `Chart.yaml`: its templates are not manifests until Helm
/// renders them.
fn helm_chart(dir: &Path, command: &str) -> Diagnostic {
    let name = crate::diag::path_name(dir);
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+@%:=,".contains(c);
    let argument = if name.chars().all(plain) {
        name.clone()
    } else {
        format!("'{}'", name.replace('\'', "'\\''"))
    };
    Diagnostic {
        location: Some(file_location(&name)),
        ..Diagnostic::note(format!(
            "a Helm chart (Chart.yaml), skipped; render it first: helm template {argument} | lsc {command} -"
        ))
    }
}

/// The kernel's and devices' folders: reading them hangs or never ends, so no walk goes there,
/// through a link or with `--follow` either.
const SYSTEM_FOLDERS: &str = "/proc, /sys or /dev";

fn is_system_folder(real: &Path) -> bool {
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|system| real.starts_with(system))
}

/// A folder named on the command line, being walked.
struct Tree<'a> {
    /// Its path with every symbolic link resolved.
    root: &'a Path,
    /// `--follow`: links may lead out of it.
    follow: bool,
    /// `--exclude`'s globs and the ignore files above it.
    rules: &'a ignored::Root,
    /// The subcommand, for the Helm chart note.
    command: &'a str,
}

/// Where a symbolic link leads, or why it is not followed.
enum Followed {
    To(folder::EntryKind, PathBuf),
    Refused(String),
}

impl Tree<'_> {
    /// Resolves the link at `path`: followed when it stays in the tree (or `--follow`), never
    /// into the system folders.
    fn follow_link(&self, path: &Path) -> std::io::Result<Followed> {
        use folder::EntryKind;
        let real = std::fs::canonicalize(path)?;
        if is_system_folder(&real) {
            return Ok(Followed::Refused(format!(
                "symbolic link to {}: lsc does not read {SYSTEM_FOLDERS}; skipped",
                crate::diag::path_name(&real)
            )));
        }
        if !self.follow && !real.starts_with(self.root) {
            return Ok(Followed::Refused(format!(
                "symbolic link out of the folder being read, to {}; skipped (--follow follows it)",
                crate::diag::path_name(&real)
            )));
        }
        let meta = std::fs::metadata(&real)?;
        let kind = if meta.is_dir() {
            EntryKind::Folder
        } else if let Some(what) = special_kind(&meta) {
            EntryKind::Special(what)
        } else {
            EntryKind::File
        };
        Ok(Followed::To(kind, real))
    }
}

/// What a file that is neither a regular file nor a folder is.
fn special_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() || kind.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
    }
    Some("a special file")
}

/// What identifies a folder whatever the path it is reached by.
#[cfg(unix)]
type FolderId = (u64, u64);
#[cfg(not(unix))]
type FolderId = PathBuf;

#[cfg(unix)]
fn folder_id(dir: &Path) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn folder_id(dir: &Path) -> Option<FolderId> {
    std::fs::canonicalize(dir).ok()
}

fn file_location(file: &str) -> Location {
    Location {
        file: Arc::from(file),
        document: 0,
        line: 0,
    }
}

/// Why `path` cannot be read, naming the target of a broken symbolic link.
fn unreadable(path: &Path, e: &std::io::Error) -> String {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match std::fs::read_link(path) {
        Ok(target) if is_link && e.kind() == std::io::ErrorKind::NotFound => format!(
            "broken symbolic link: its target {} does not exist",
            crate::diag::path_name(&target)
        ),
        _ => io_reason(e),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = e.to_string();
            // Drop Rust's " (os error N)" suffix: users want the reason.
            match text.split_once(" (os error") {
                Some((reason, _)) => reason.to_lowercase(),
                None => text,
            }
        }
    }
}

/// Bytes read from a file before its size is asked: a file that fills them is larger, and the
/// rest is read into a buffer of its size.
const FIRST_READ: u64 = 16 * 1024;

/// Reads an input's bytes, refusing inputs over the size bound (a given path is read as a
/// file).
pub fn read_bytes(input: &InputSource, limits: &Limits) -> Result<Vec<u8>, Diagnostic> {
    let name = input.display();
    match input {
        InputSource::Given(path) => read_opened(&name, open_given(Path::new(path)), limits),
        InputSource::File { path, .. } => read_opened(&name, std::fs::File::open(path), limits),
        InputSource::Stdin => {
            // A file redirected to stdin says its size; a pipe is read in pieces.
            let limit = u64::try_from(limits.max_input_bytes).unwrap_or(u64::MAX);
            let size = stdin_size().map_or(0, |size| size.min(limit).saturating_add(1));
            let first = usize::try_from(size).unwrap_or(0);
            let mut stdin = std::io::stdin().lock().take(limit.saturating_add(1));
            match read_in_pieces(&mut stdin, first, limits.max_input_bytes) {
                Ok(Some(bytes)) => Ok(bytes),
                Ok(None) => Err(too_large(&name, limits)),
                Err(e) => Err(cannot_read(&name, &e)),
            }
        }
    }
}

/// Opens a file named on the command line without waiting for a writer should it be a FIFO
/// (`open` would block until one comes); it is read as a pipe, waiting for data, from then on.
#[cfg(unix)]
fn open_given(path: &Path) -> std::io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK,
        Mode::empty(),
    )?;
    rustix::fs::fcntl_setfl(&fd, OFlags::empty())?;
    Ok(std::fs::File::from(fd))
}

#[cfg(not(unix))]
fn open_given(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Reads a file just opened (or says why it could not be opened), refusing it over the size
/// bound.
fn read_opened(
    name: &Arc<str>,
    opened: std::io::Result<std::fs::File>,
    limits: &Limits,
) -> Result<Vec<u8>, Diagnostic> {
    let limit = u64::try_from(limits.max_input_bytes).unwrap_or(u64::MAX);
    let mut bytes = Vec::new();
    let read = opened.and_then(|mut file| {
        // Most manifest files are read whole by the first call, without asking for their
        // size (a system call per file, and trees hold tens of thousands); a larger one is
        // then read into a buffer of its size, which saves the growth steps.
        let first = FIRST_READ.min(limit.saturating_add(1));
        bytes.reserve_exact(usize::try_from(first).unwrap_or(0));
        let read = (&mut file).take(first).read_to_end(&mut bytes)?;
        if u64::try_from(read).is_ok_and(|read| read == first) {
            let size = file.metadata().map_or(0, |m| m.len()).min(limit);
            let rest = usize::try_from(size.saturating_sub(first)).unwrap_or(0);
            bytes.reserve_exact(rest.saturating_add(1));
            file.take(limit.saturating_add(1).saturating_sub(first))
                .read_to_end(&mut bytes)?;
        }
        Ok(())
    });
    match read {
        Err(e) => Err(cannot_read(name, &e)),
        Ok(()) if bytes.len() > limits.max_input_bytes => Err(too_large(name, limits)),
        Ok(()) => Ok(bytes),
    }
}

fn cannot_read(name: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        Some(file_location(name)),
        format!("cannot read: {}", io_reason(e)),
    )
}

fn too_large(name: &str, limits: &Limits) -> Diagnostic {
    Diagnostic::error(
        Some(file_location(name)),
        format!(
            "input is larger than {} bytes (--max-input-bytes raises this bound)",
            limits.max_input_bytes
        ),
    )
}

/// Reads everything into one buffer in pieces of at least 1 MiB (the first of `first` bytes),
/// joined at the end, instead of `read_to_end`'s doubling: the allocator may keep each
/// outgrown buffer resident for a while, which made 100 MB on stdin cost 250 MB. `None` when
/// there is more than `max`: that is refused, so it is not joined.
fn read_in_pieces(
    reader: &mut impl Read,
    first: usize,
    max: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    const PIECE: usize = 1024 * 1024;
    let mut pieces = Vec::new();
    let mut piece = Vec::with_capacity(first.max(PIECE));
    loop {
        let room = u64::try_from(piece.capacity() - piece.len()).unwrap_or(u64::MAX);
        reader.take(room).read_to_end(&mut piece)?;
        if piece.len() < piece.capacity() {
            break;
        }
        pieces.push(std::mem::replace(&mut piece, Vec::with_capacity(PIECE)));
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    let total: usize = pieces.iter().map(Vec::len).sum();
    if total > max {
        return Ok(None);
    }
    if pieces.len() <= 1 {
        return Ok(Some(pieces.pop().unwrap_or_default()));
    }
    let mut bytes = Vec::with_capacity(total);
    for piece in pieces {
        bytes.extend_from_slice(&piece);
    }
    Ok(Some(bytes))
}

/// The size of stdin when it is a regular file (`lsc render - < file`).
#[cfg(unix)]
pub fn stdin_size() -> Option<u64> {
    use std::os::fd::AsFd;
    let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    let meta = std::fs::File::from(fd).metadata().ok()?;
    meta.is_file().then_some(meta.len())
}

#[cfg(not(unix))]
pub fn stdin_size() -> Option<u64> {
    None
}

/// Decodes UTF-8 (a UTF-8 byte order mark is dropped); other encodings are refused by name.
pub fn decode(name: &Arc<str>, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let at = |line: u32, message: String| {
        Diagnostic::error(
            Some(Location {
                file: name.clone(),
                document: 0,
                line,
            }),
            message,
        )
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if let Some(encoding) = other_encoding(&bytes) {
        return Err(at(
            1,
            format!(
                "file is {encoding} encoded; lsc reads UTF-8 (convert it with `iconv -f {encoding} -t UTF-8`)"
            ),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = bytes
                .get(..e.utf8_error().valid_up_to())
                .unwrap_or_default();
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
            let column = 1 + valid.iter().rev().take_while(|&&b| b != b'\n').count();
            Err(at(
                u32::try_from(line).unwrap_or(u32::MAX),
                format!(
                    "file is not valid UTF-8 (invalid byte at column {column}); lsc reads UTF-8"
                ),
            ))
        }
    }
}

/// The encoding of a text that is not UTF-8, told as YAML 1.2 tells them (section 5.2): by
/// the byte order mark, or by where the zero bytes of a first ASCII character fall. UTF-32's
/// mark starts with UTF-16's, so it is looked at first. Without a mark, iconv's `UTF-16` and
/// `UTF-32` mean big endian: the hint names the order.
fn other_encoding(bytes: &[u8]) -> Option<&'static str> {
    let ascii = |b: u8| b != 0 && b.is_ascii();
    match *bytes {
        [0, 0, 0xFE, 0xFF, ..] => Some("UTF-32"),
        [0xFF, 0xFE, 0, 0, ..] => Some("UTF-32"),
        [0xFE, 0xFF, ..] | [0xFF, 0xFE, ..] => Some("UTF-16"),
        [0, 0, 0, a, ..] if ascii(a) => Some("UTF-32BE"),
        [a, 0, 0, 0, ..] if ascii(a) => Some("UTF-32LE"),
        [0, a, 0, b, ..] if ascii(a) && ascii(b) => Some("UTF-16BE"),
        [a, 0, b, 0, ..] if ascii(a) && ascii(b) => Some("UTF-16LE"),
        _ => None,
    }
}

/// Errors listed for documents of one input that are not objects (not mappings, or empty
/// ones): a file of millions of `{}` would otherwise keep an error for each.
const LISTED: usize = 1000;

/// Errors about the documents of one input that are not objects, the first [`LISTED`] of
/// them kept, the others counted.
#[derive(Debug, Default)]
pub struct NotObjects {
    listed: Vec<Diagnostic>,
    unlisted: usize,
}

impl NotObjects {
    fn push(&mut self, diagnostic: Diagnostic) {
        if self.listed.len() < LISTED {
            self.listed.push(diagnostic);
        } else {
            self.unlisted += 1;
        }
    }

    /// An empty mapping where an object was expected: kept as a document it would cost more
    /// than its text, only to be refused later.
    pub fn refuse_empty(&mut self, location: Location) {
        self.push(Diagnostic::error(
            Some(location),
            "object has no apiVersion; every Kubernetes object needs apiVersion and kind",
        ));
    }

    /// The listed errors, and one that counts the others.
    pub fn into_diagnostics(mut self, name: &Arc<str>) -> Vec<Diagnostic> {
        if self.unlisted > 0 {
            self.listed.push(Diagnostic::error(
                Some(file_location(name)),
                format!(
                    "{} more documents are not Kubernetes objects (only the first {LISTED} are listed)",
                    self.unlisted
                ),
            ));
        }
        self.listed
    }
}

/// Splits an input's text into object documents. Empty documents are skipped, a `kind: List`
/// (or any `*List` with `items`) is expanded into its items, and a document that is not a
/// mapping is an error. Before anything is parsed, a text with a document over
/// `max_document_bytes` or a control character is refused whole.
pub fn documents(name: &Arc<str>, text: &str, limits: &Limits) -> (Vec<Document>, Vec<Diagnostic>) {
    if let Some(refusal) = refuse_unparsed(name, text, limits) {
        return (Vec::new(), vec![refusal]);
    }
    let mut documents = Vec::new();
    let mut not_objects = NotObjects::default();
    let error = yaml::parse_each(text, limits, &mut |doc| {
        let Some(root) = doc.root else { return };
        let location = Location {
            file: name.clone(),
            document: doc.number,
            line: root.line,
        };
        expand(root, location, &mut documents, &mut not_objects);
    });
    if documents.len() > limits.max_documents {
        // Items of a List the parser did not count (it counts those of a root `items`).
        let message = yaml::documents_message(limits.max_documents);
        return (
            Vec::new(),
            vec![Diagnostic::error(Some(file_location(name)), message)],
        );
    }
    documents.shrink_to_fit();
    let mut diagnostics = not_objects.into_diagnostics(name);
    if let Some(e) = error {
        let mut message = e.message;
        if text.contains("{{") {
            message.push_str(TEMPLATE_HINT);
        }
        diagnostics.push(Diagnostic::error(
            Some(Location {
                file: name.clone(),
                document: e.document,
                line: e.line,
            }),
            message,
        ));
    }
    (documents, diagnostics)
}

/// Added to the parse error of a text holding `{{`: a Helm chart's template or another Go
/// template, which is YAML only once rendered.
const TEMPLATE_HINT: &str = "; this looks like a Helm or Go template: render it first";

/// The offset of the first byte below 0x20 other than tab, line feed and carriage return.
/// Tested 32 bytes at a time, without a branch per byte, so the compiler can vectorise it: every
/// input byte passes here.
fn first_control_character(bytes: &[u8]) -> Option<usize> {
    const CHUNK: usize = 32;
    let control = |b: u8| b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r';
    let mut chunks = bytes.chunks_exact(CHUNK);
    let mut offset = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |found, &b| found | control(b)) {
            break;
        }
        offset += CHUNK;
    }
    let rest = bytes.get(offset..).unwrap_or_default();
    rest.iter().position(|&b| control(b)).map(|at| offset + at)
}

/// What is refused before the parser sees the text: a document over the size bound (found by
/// a line scan, so a huge one never gets a tree) and control characters, which YAML and JSON
/// allow only escaped (kubectl refuses them too; saphyr-parser would read most of them).
fn refuse_unparsed(name: &Arc<str>, text: &str, limits: &Limits) -> Option<Diagnostic> {
    if let Some(found) = skim::too_many_documents(text, limits.max_documents) {
        return Some(Diagnostic::error(
            Some(Location {
                file: name.clone(),
                document: found.number,
                line: u32::try_from(found.line).unwrap_or(u32::MAX),
            }),
            yaml::documents_message(limits.max_documents),
        ));
    }
    if let Some(found) = skim::oversized_document(text, limits.max_document_bytes) {
        return Some(Diagnostic::error(
            Some(Location {
                file: name.clone(),
                document: found.number,
                line: u32::try_from(found.line).unwrap_or(u32::MAX),
            }),
            format!(
                "document of {} bytes, from this line on, is larger than {} bytes (--max-document-bytes raises this bound)",
                found.bytes, limits.max_document_bytes
            ),
        ));
    }
    if let Some((line, column, opening)) = json::comment(name, text) {
        return Some(Diagnostic::error(
            Some(Location {
                file: name.clone(),
                document: 0,
                line: u32::try_from(line).unwrap_or(u32::MAX),
            }),
            format!(
                "`{opening}` comment at column {column}: comments are not allowed in JSON; remove it, or write the file as YAML, whose comments start with `#`"
            ),
        ));
    }
    let at = first_control_character(text.as_bytes())?;
    let before = text.get(..at).unwrap_or_default();
    let line = 1 + before.matches('\n').count();
    let column = 1 + before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count();
    let byte = text.as_bytes().get(at).copied().unwrap_or_default();
    let message = if byte == 0 {
        format!(
            "NUL byte at column {column}: lsc reads YAML or JSON text in UTF-8, and this looks like a binary file (or UTF-16 without a byte order mark)"
        )
    } else {
        format!(
            "control character U+{byte:04X} at column {column}: YAML and JSON allow it only escaped in a double-quoted string (\"\\u{byte:04X}\"); kubectl refuses it too"
        )
    };
    Some(Diagnostic::error(
        Some(Location {
            file: name.clone(),
            document: 0,
            line: u32::try_from(line).unwrap_or(u32::MAX),
        }),
        message,
    ))
}

fn expand(
    root: Node,
    location: Location,
    documents: &mut Vec<Document>,
    diagnostics: &mut NotObjects,
) {
    let map = match root.value {
        Value::Map(map) if map.entries.is_empty() => {
            diagnostics.refuse_empty(location);
            return;
        }
        Value::Map(map) => map,
        Value::Null => return,
        other => {
            diagnostics.push(Diagnostic::error(
                Some(location),
                format!(
                    "document is {}, not a mapping; a Kubernetes object starts with `apiVersion:` and `kind:`",
                    other.type_name()
                ),
            ));
            return;
        }
    };
    let is_list = match map.get_value("kind").map(|n| &n.value) {
        Some(Value::Str(kind)) => kind.ends_with("List") && map.get("items").is_some(),
        _ => false,
    };
    if !is_list {
        documents.push(Document {
            location,
            root: map,
        });
        return;
    }
    let Some(items) = map.entries.into_iter().find(|e| e.key == "items") else {
        return;
    };
    match items.value.value {
        Value::Seq(items) => {
            for (i, item) in items.into_iter().enumerate() {
                let item_location = location.at_line(item.line);
                match item.value {
                    Value::Map(map) if map.entries.is_empty() => {
                        diagnostics.refuse_empty(item_location);
                    }
                    Value::Map(map) => documents.push(Document {
                        location: item_location,
                        root: map,
                    }),
                    other => diagnostics.push(Diagnostic::error(
                        Some(item_location),
                        format!("items[{i}] is {}, not a mapping", other.type_name()),
                    )),
                }
            }
        }
        Value::Null => {}
        other => diagnostics.push(Diagnostic::error(
            Some(location.at_line(items.key_line)),
            format!("items is {}, not a list", other.type_name()),
        )),
    }
}

/// Everything read from the inputs: documents in input order and what went wrong.
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read, in input order (to sort diagnostics by).
    pub names: Vec<Arc<str>>,
    /// What went wrong finding the files ([`Walked::discovery`]).
    pub discovery: Vec<Diagnostic>,
}

/// Reads and parses every input, files in parallel; the result is in input order whatever
/// the number of threads, so output never depends on it.
pub fn load(inputs: &[InputSource], limits: &Limits) -> Loaded {
    let each = load_each(inputs, limits, |d, g| (d, g));
    let mut loaded = Loaded {
        names: each.names,
        discovery: each.discovery,
        ..Loaded::default()
    };
    for (documents, diagnostics) in each.results {
        loaded.documents.extend(documents);
        loaded.diagnostics.extend(diagnostics);
    }
    loaded
}

/// Reads and parses every input in parallel and hands each one's documents and diagnostics to
/// `each` on the same thread, so what `each` keeps (a typed model, say) can be all that stays
/// in memory. The results are in input order.
pub fn load_each<T: Send>(
    inputs: &[InputSource],
    limits: &Limits,
    each: impl Fn(Vec<Document>, Vec<Diagnostic>) -> T + Sync,
) -> Walked<T> {
    load_each_with_sources(inputs, limits, false, each).0
}

/// An input's name and text.
pub type Source = (Arc<str>, String);

/// [`load_each`], also returning the text of every input read when `keep_text` (to show
/// source lines).
pub fn load_each_with_sources<T: Send>(
    inputs: &[InputSource],
    limits: &Limits,
    keep_text: bool,
    each: impl Fn(Vec<Document>, Vec<Diagnostic>) -> T + Sync,
) -> (Walked<T>, Vec<Source>) {
    let walked = read_each(inputs, limits, |name, bytes| {
        match bytes.and_then(|bytes| decode(name, bytes)) {
            Ok(text) => {
                let (docs, diagnostics) = documents(name, &text, limits);
                let content = holds_content(&text);
                (
                    each(docs, diagnostics),
                    keep_text.then(|| (name.clone(), text)),
                    content,
                )
            }
            Err(d) => (each(Vec::new(), vec![d]), None, true),
        }
    });
    let mut results = Vec::with_capacity(walked.results.len());
    let mut sources = Vec::new();
    let mut with_content = 0;
    for (result, text, content) in walked.results {
        results.push(result);
        sources.extend(text);
        with_content += usize::from(content);
    }
    let walked = Walked {
        results,
        names: walked.names,
        discovery: walked.discovery,
        with_content,
    };
    (walked, sources)
}

/// Whether a text holds anything but blank lines, comments, directives and document markers
/// (`---`, `...`): whether it is an input someone wrote something in. It stops at the first
/// such line, at the start of nearly every manifest.
pub fn holds_content(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim();
        let rest = ["---", "..."]
            .iter()
            .find_map(|marker| {
                line.strip_prefix(marker)
                    .filter(|r| r.is_empty() || r.starts_with([' ', '\t']))
            })
            .unwrap_or(line)
            .trim_start();
        !(rest.is_empty() || rest.starts_with('#') || line.starts_with('%'))
    })
}

#[cfg(test)]
mod tests {
    use super::first_control_character;

    #[test]
    fn content_is_anything_but_comments_markers_and_directives() {
        use super::holds_content;
        for empty in [
            "",
            "\n\n",
            "# only\n  # comments\n",
            "---\n---\n...\n",
            "%YAML 1.2\n--- # c\n",
        ] {
            assert!(!holds_content(empty), "{empty:?}");
        }
        for content in [
            "a: b\n",
            "# c\n---\nkind: X\n",
            "--- {}\n",
            "---\n  - x\n",
            "---x\n",
        ] {
            assert!(holds_content(content), "{content:?}");
        }
    }

    #[test]
    fn control_characters_are_found_at_every_offset() {
        let naive = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        };
        for len in [0, 1, 31, 32, 33, 64, 100] {
            let clean: Vec<u8> = (0..len).map(|i| b"ab\t\n\r c"[i % 7]).collect();
            assert_eq!(first_control_character(&clean), None, "{len}");
            for at in 0..len {
                for bad in [0u8, 1, 0x1b, 0x1f] {
                    let mut bytes = clean.clone();
                    if let Some(b) = bytes.get_mut(at) {
                        *b = bad;
                    }
                    assert_eq!(first_control_character(&bytes), naive(&bytes), "{len} {at}");
                    assert_eq!(first_control_character(&bytes), Some(at));
                }
            }
        }
    }
}

#[cfg(all(test, unix))]
mod walk_tests {
    use super::{Limits, given, read_each};

    #[test]
    fn links_back_to_any_folder_on_the_way_are_skipped_and_others_followed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        let made = std::fs::create_dir_all(root.join("a/b"))
            .and_then(|()| std::fs::write(root.join("a/b/f.yaml"), "kind: ConfigMap\n"))
            .and_then(|()| std::os::unix::fs::symlink("../..", root.join("a/b/up")))
            .and_then(|()| std::os::unix::fs::symlink("a", root.join("c")));
        made.unwrap_or_else(|e| panic!("{e}"));
        let inputs = given(&[root.display().to_string()]);
        let walked = read_each(&inputs, &Limits::default(), |_, bytes| {
            bytes.map(|b| b.len())
        });
        let prefix = format!("{}/", root.display());
        let found: Vec<&str> = walked
            .names
            .iter()
            .map(|name| name.strip_prefix(prefix.as_str()).unwrap_or(name))
            .collect();
        let diagnostics = walked.discovery;
        // `c` is a link to a sibling: followed. `up` leads back to the root, whether reached
        // through `a` or through `c`.
        assert_eq!(found, ["a/b/f.yaml", "c/b/f.yaml"]);
        // Both read through their open folders.
        let read: Vec<_> = walked.results.iter().map(|r| r.as_ref().ok()).collect();
        assert_eq!(read, [Some(&16), Some(&16)]);
        let warnings: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings
                .iter()
                .all(|w| w.contains("symbolic link loop; folder skipped") && w.ends_with("skipped")),
            "{warnings:?}"
        );
        assert!(
            warnings[0].contains("a/b/up") && warnings[1].contains("c/b/up"),
            "{warnings:?}"
        );
    }
}
