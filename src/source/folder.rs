//! Listing folders: each sub-folder is opened by its name in its open parent, and listed with
//! `getdents64` straight into a buffer. The listing also tells, at no cost, which ignore files
//! a folder holds and whether it is a Helm chart (a `Chart.yaml`), so a folder without either
//! costs no system call more.
//!
//! Opening `a/b/c` by its path makes the kernel look up every folder on the way again; opening
//! `c` in the open `a/b` looks up one name. That, and listing without the `fstat` that glibc's
//! `opendir` adds, took about 9 % off the time to find and read the 20,364 files in 15,733
//! folders of the benchmark's 100,000-document tree (`tools/bench/read_floor.rs`). Files are
//! opened the same way, in their folder, while it is still open for its entries: a folder is
//! closed once they are done. (Keeping every folder open until a later reading pass would
//! hold a descriptor per folder, and a table of thousands of descriptors grows in steps that
//! each wait for every thread of the process, `synchronize_rcu`, which cost more than it
//! saved.)

use std::ffi::{OsStr, OsString};

/// What an entry of a folder is, as far as its listing tells without a system call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Folder,
    /// A regular file.
    File,
    /// A FIFO, socket or device: never opened (a FIFO without a writer blocks `open`), named
    /// in the warning.
    Special(&'static str),
    /// A symbolic link, or a file system that does not tell: followed with `stat`.
    Link,
}

/// A folder's entries, without `.`, `..` and hidden ones, sorted by name.
pub type Entries = Vec<(OsString, EntryKind)>;

/// What listing a folder found.
#[derive(Debug, Default)]
pub struct Listing {
    pub entries: Entries,
    /// The ignore files it holds (hidden, so not among the entries): their index in
    /// [`IGNORE_FILES`](crate::source::ignored::IGNORE_FILES), and their kind.
    pub ignore_files: Vec<(usize, EntryKind)>,
    /// It holds a `Chart.yaml` that is not a folder: it is a Helm chart.
    pub chart: bool,
}

impl Listing {
    /// Takes in one entry of the folder.
    fn add(&mut self, name: &OsStr, kind: EntryKind) {
        if is_hidden(name) {
            // Also `.` and `..`.
            if let Some(index) = crate::source::ignored::ignore_file(name.as_encoded_bytes()) {
                self.ignore_files.push((index, kind));
            }
            return;
        }
        if kind != EntryKind::Folder && name == "Chart.yaml" {
            self.chart = true;
        }
        self.entries.push((name.to_os_string(), kind));
    }

    fn sorted(mut self) -> Self {
        self.entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.ignore_files.sort_unstable_by_key(|f| f.0);
        self
    }
}

/// Entries whose name starts with a dot are skipped, as `ls` does.
fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

#[cfg(unix)]
mod imp {
    use super::{EntryKind, Listing};
    use rustix::fd::OwnedFd;
    use rustix::fs::{CWD, FileType, Mode, OFlags, RawDir, openat};
    use std::ffi::OsStr;
    use std::io;
    use std::mem::MaybeUninit;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    /// An open folder, in which its sub-folders are opened; closed when dropped.
    #[derive(Debug)]
    pub struct Folder(OwnedFd);

    /// Opens the folder `name` in `parent`, or `path` when there is no parent (a folder given on
    /// the command line), and lists it.
    pub fn open(
        parent: Option<&Folder>,
        path: &Path,
        name: &OsStr,
    ) -> io::Result<(Folder, Listing)> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = match parent {
            Some(Folder(parent)) => openat(parent, name, flags, Mode::empty()),
            None => openat(CWD, path, flags, Mode::empty()),
        }?;
        let mut listing = Listing::default();
        let mut buffer = [MaybeUninit::<u8>::uninit(); 8192];
        let mut raw = RawDir::new(&fd, &mut buffer);
        while let Some(entry) = raw.next() {
            let entry = entry?;
            let name = OsStr::from_bytes(entry.file_name().to_bytes());
            let kind = match entry.file_type() {
                FileType::Directory => EntryKind::Folder,
                FileType::RegularFile => EntryKind::File,
                FileType::Symlink | FileType::Unknown => EntryKind::Link,
                FileType::Fifo => EntryKind::Special("a FIFO"),
                FileType::Socket => EntryKind::Special("a socket"),
                FileType::CharacterDevice => EntryKind::Special("a character device"),
                FileType::BlockDevice => EntryKind::Special("a block device"),
            };
            listing.add(name, kind);
        }
        Ok((Folder(fd), listing.sorted()))
    }

    /// Opens the file `name` in `folder` for reading (`path`, the same file, is what other
    /// systems open). Its listing said it is a regular file; `O_NONBLOCK` (which does nothing
    /// to one) keeps `open` from waiting should it have been replaced by a FIFO since.
    pub fn open_file(folder: &Folder, _path: &Path, name: &OsStr) -> io::Result<std::fs::File> {
        let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK;
        Ok(std::fs::File::from(openat(
            &folder.0,
            name,
            flags,
            Mode::empty(),
        )?))
    }
}

#[cfg(not(unix))]
mod imp {
    use super::{EntryKind, Listing};
    use std::ffi::OsStr;
    use std::io;
    use std::path::Path;

    #[derive(Debug)]
    pub struct Folder;

    pub fn open(
        _parent: Option<&Folder>,
        path: &Path,
        _name: &OsStr,
    ) -> io::Result<(Folder, Listing)> {
        let mut listing = Listing::default();
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            let name = entry.file_name();
            let kind = match entry.file_type() {
                Ok(t) if t.is_dir() => EntryKind::Folder,
                Ok(t) if t.is_file() => EntryKind::File,
                Ok(t) if !t.is_symlink() => EntryKind::Special("a special file"),
                _ => EntryKind::Link,
            };
            listing.add(&name, kind);
        }
        Ok((Folder, listing.sorted()))
    }

    pub fn open_file(_folder: &Folder, path: &Path, _name: &OsStr) -> io::Result<std::fs::File> {
        std::fs::File::open(path)
    }
}

pub use imp::{Folder, open, open_file};
