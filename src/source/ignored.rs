//! What a folder walk passes over: files and folders that the `.gitignore`, `.ignore` and
//! `.lscignore` files on the way, or the `--exclude` globs, match. The rules are gitignore's,
//! matched by the `ignore` crate's gitignore matcher (ripgrep's).
//!
//! A folder's ignore files apply to everything under it. Paths are matched from the deepest
//! folder's rules up, and the first folder whose rules say anything about the path decides
//! (so a deeper `!keep.yaml` re-includes what a shallower file ignores, as in git); within one
//! folder, `.lscignore` wins over `.ignore`, which wins over `.gitignore` (their lines are read
//! in that order, and the last matching line decides). The rules apply whether or not the folder
//! is in a git repository: exported trees, release tarballs and CI artifacts carry their
//! `.gitignore` without a `.git`. The ignore files of the folders above the one named on the
//! command line apply too, up to the repository's root (the nearest folder holding `.git`), as
//! git applies them; outside a repository only the folder's own and those below it do. A user's
//! global gitignore and `.git/info/exclude` are not read: they belong to one clone, and the
//! output should not change from one machine to the next. `--exclude` globs are gitignore lines
//! relative to each folder named on the command line, and win over every ignore file.

use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::diag::{Diagnostic, Location};

/// The ignore files of a folder, in the order their lines are read: a later file's lines win.
pub const IGNORE_FILES: [&str; 3] = [".gitignore", ".ignore", ".lscignore"];

/// The index in [`IGNORE_FILES`] of an ignore file's name.
pub fn ignore_file(name: &[u8]) -> Option<usize> {
    IGNORE_FILES.iter().position(|f| f.as_bytes() == name)
}

/// The rules of one folder's ignore files (or of `--exclude`), matched against paths under it.
#[derive(Debug)]
pub struct Layer {
    matcher: Gitignore,
    /// For a folder above the one being walked: the walked folder as named on the command
    /// line, and its real path, which is under this folder. Paths are matched from there.
    above: Option<(PathBuf, PathBuf)>,
}

impl Layer {
    /// The rules of the ignore files read from the folder `root` (each file's path and text,
    /// in [`IGNORE_FILES`] order); `None` when they hold none. A line that is not a valid glob
    /// is skipped with a warning naming its file and line.
    pub fn read(root: &Path, files: &[(PathBuf, String)]) -> (Option<Layer>, Vec<Diagnostic>) {
        let mut builder = GitignoreBuilder::new(root);
        let mut warnings = Vec::new();
        for (file, text) in files {
            for (number, line) in text.lines().enumerate() {
                if let Err(e) = builder.add_line(Some(file.clone()), line) {
                    warnings.push(Diagnostic::warning(
                        Some(Location {
                            file: crate::diag::path_name(file).into(),
                            document: 0,
                            line: u32::try_from(number + 1).unwrap_or(u32::MAX),
                        }),
                        format!("{}; line skipped", glob_error(&e)),
                    ));
                }
            }
        }
        match builder.build() {
            Ok(matcher) if !matcher.is_empty() => (
                Some(Layer {
                    matcher,
                    above: None,
                }),
                warnings,
            ),
            Ok(_) => (None, warnings),
            Err(e) => {
                warnings.push(Diagnostic::warning(
                    files
                        .first()
                        .map(|(file, _)| super::file_location(&crate::diag::path_name(file))),
                    format!("{}; its rules are not applied", glob_error(&e)),
                ));
                (None, warnings)
            }
        }
    }

    /// `--exclude`'s globs, relative to `root`, a folder named on the command line.
    pub fn exclude(root: &Path, globs: &[String]) -> Result<Option<Layer>, String> {
        if globs.is_empty() {
            return Ok(None);
        }
        let mut builder = GitignoreBuilder::new(root);
        for glob in globs {
            builder
                .add_line(None, glob)
                .map_err(|e| format!("--exclude {glob}: {}", glob_error(&e)))?;
        }
        let matcher = builder
            .build()
            .map_err(|e| format!("--exclude: {}", glob_error(&e)))?;
        Ok(Some(Layer {
            matcher,
            above: None,
        }))
    }

    fn matched(&self, path: &Path, is_dir: bool) -> Match<()> {
        let found = match &self.above {
            None => self.matcher.matched(path, is_dir),
            Some((walked, real)) => match path.strip_prefix(walked) {
                Ok(rest) => self.matcher.matched(real.join(rest), is_dir),
                Err(_) => Match::None,
            },
        };
        match found {
            Match::None => Match::None,
            Match::Ignore(_) => Match::Ignore(()),
            Match::Whitelist(_) => Match::Whitelist(()),
        }
    }
}

/// Why a glob does not parse (the glob itself is named by the caller).
fn glob_error(e: &ignore::Error) -> String {
    match e {
        ignore::Error::Glob { err, .. } => err.clone(),
        other => other.to_string(),
    }
}

/// The rules in force in a folder: its own ignore files', then those of the folders above it
/// down to the folder named on the command line.
#[derive(Debug)]
pub struct Rules<'a> {
    pub layer: &'a Layer,
    pub parent: Option<&'a Rules<'a>>,
}

/// What the walk of one folder named on the command line passes over besides the ignore files
/// in it: `--exclude`, and the ignore files of the folders above it in its repository.
#[derive(Debug, Default)]
pub struct Root {
    exclude: Option<Layer>,
    /// Shallowest first.
    above: Vec<Layer>,
}

impl Root {
    /// `--exclude`'s globs and the ignore files above `walked` (as named on the command line;
    /// `real` is its path with every link resolved). A glob that does not parse is an error;
    /// an ignore file above that cannot be read, a warning.
    pub fn new(
        walked: &Path,
        real: &Path,
        exclude: &[String],
        limits: &super::Limits,
    ) -> Result<(Root, Vec<Diagnostic>), String> {
        let exclude = Layer::exclude(walked, exclude)?;
        let (above, warnings) = above(walked, real, limits);
        Ok((Root { exclude, above }, warnings))
    }

    /// Nothing to match: no `--exclude` and no ignore file above.
    pub fn is_empty(&self) -> bool {
        self.exclude.is_none() && self.above.is_empty()
    }

    /// Whether the walk passes over `path` (a folder when `is_dir`): `--exclude` first, then
    /// the ignore files from the deepest folder up (`rules`, then those above), the first
    /// that matches deciding.
    pub fn ignores(&self, rules: Option<&Rules<'_>>, path: &Path, is_dir: bool) -> bool {
        if self
            .exclude
            .as_ref()
            .is_some_and(|e| e.matched(path, is_dir).is_ignore())
        {
            return true;
        }
        let mut at = rules;
        while let Some(rules) = at {
            match rules.layer.matched(path, is_dir) {
                Match::Ignore(()) => return true,
                Match::Whitelist(()) => return false,
                Match::None => at = rules.parent,
            }
        }
        for layer in self.above.iter().rev() {
            match layer.matched(path, is_dir) {
                Match::Ignore(()) => return true,
                Match::Whitelist(()) => return false,
                Match::None => {}
            }
        }
        false
    }
}

/// The layers of the folders above `real` (a folder named on the command line, every link
/// resolved, named `walked` there) up to the repository's root, the nearest folder holding
/// `.git`, shallowest first; none when `real` is a repository's root or in none. Their ignore
/// files are read by path; one that cannot be read is a warning.
fn above(walked: &Path, real: &Path, limits: &super::Limits) -> (Vec<Layer>, Vec<Diagnostic>) {
    let holds_git = |dir: &Path| std::fs::symlink_metadata(dir.join(".git")).is_ok();
    if holds_git(real) {
        return (Vec::new(), Vec::new());
    }
    let mut folders = Vec::new();
    let mut in_repository = false;
    for folder in real.ancestors().skip(1) {
        folders.push(folder);
        if holds_git(folder) {
            in_repository = true;
            break;
        }
    }
    let mut layers = Vec::new();
    let mut warnings = Vec::new();
    if !in_repository {
        return (layers, warnings);
    }
    for folder in folders.into_iter().rev() {
        let mut files = Vec::new();
        for name in IGNORE_FILES {
            let path = folder.join(name);
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_file() => {}
                _ => continue,
            }
            let display: std::sync::Arc<str> = crate::diag::path_name(&path).into();
            match super::read_opened(&display, super::open_given(&path), limits) {
                Ok(bytes) => files.push((path, String::from_utf8_lossy(&bytes).into_owned())),
                Err(e) => warnings.push(unread(e)),
            }
        }
        let (layer, mut bad) = Layer::read(folder, &files);
        warnings.append(&mut bad);
        if let Some(mut layer) = layer {
            layer.above = Some((walked.to_path_buf(), real.to_path_buf()));
            layers.push(layer);
        }
    }
    (layers, warnings)
}

/// An ignore file that could not be read: a warning (the walk goes on without its rules).
pub fn unread(mut diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.severity = crate::diag::Severity::Warning;
    diagnostic.message.push_str("; its rules are not applied");
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::{Layer, Root, Rules};
    use std::path::{Path, PathBuf};

    fn layer(root: &str, files: &[(&str, &str)]) -> Layer {
        let files: Vec<(PathBuf, String)> = files
            .iter()
            .map(|(name, text)| (Path::new(root).join(name), (*text).to_string()))
            .collect();
        let (layer, warnings) = Layer::read(Path::new(root), &files);
        assert!(warnings.is_empty(), "{warnings:?}");
        layer.unwrap_or_else(|| panic!("{root}: no rules"))
    }

    #[test]
    fn a_later_ignore_file_of_a_folder_wins_and_a_deeper_folder_wins_over_a_shallower() {
        let top = layer(
            "repo",
            &[
                (".gitignore", "*.json\nsecret.yaml\n"),
                (".lscignore", "!keep.json\n"),
            ],
        );
        let deep = layer("repo/apps", &[(".ignore", "!secret.yaml\n/local/\n")]);
        let root = Root::default();
        let top_rules = Rules {
            layer: &top,
            parent: None,
        };
        let deep_rules = Rules {
            layer: &deep,
            parent: Some(&top_rules),
        };
        let ignored = |rules: &Rules<'_>, path: &str, is_dir: bool| {
            root.ignores(Some(rules), Path::new(path), is_dir)
        };
        assert!(ignored(&top_rules, "repo/a.json", false));
        assert!(!ignored(&top_rules, "repo/keep.json", false));
        assert!(ignored(&top_rules, "repo/x/secret.yaml", false));
        assert!(!ignored(&deep_rules, "repo/apps/secret.yaml", false));
        assert!(ignored(&deep_rules, "repo/apps/b.json", false));
        // Anchored to its folder, and for folders only.
        assert!(ignored(&deep_rules, "repo/apps/local", true));
        assert!(!ignored(&deep_rules, "repo/apps/local", false));
        assert!(!ignored(&deep_rules, "repo/apps/x/local", true));
    }

    #[test]
    fn exclude_wins_over_a_re_include() {
        let (root, warnings) = Root::new(
            Path::new("./tree/"),
            Path::new("/real/tree"),
            &["/gen/".to_string(), "*.json".to_string()],
            &crate::source::Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(warnings.is_empty());
        let keep = layer("./tree", &[(".gitignore", "!*.json\n")]);
        let rules = Rules {
            layer: &keep,
            parent: None,
        };
        assert!(root.ignores(Some(&rules), Path::new("./tree/a/b.json"), false));
        assert!(root.ignores(None, Path::new("./tree/gen"), true));
        assert!(!root.ignores(None, Path::new("./tree/a/gen"), true));
        assert!(!root.ignores(None, Path::new("./tree/a.yaml"), false));
    }

    #[test]
    fn a_line_that_does_not_parse_is_a_warning_and_the_others_apply() {
        let files = [(PathBuf::from("t/.gitignore"), "ok.yaml\nbad{\n".to_string())];
        let (layer, warnings) = Layer::read(Path::new("t"), &files);
        let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "warning: t/.gitignore:2: unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?); line skipped"
            ]
        );
        let layer = layer.unwrap_or_else(|| panic!("no rules"));
        assert!(layer.matched(Path::new("t/ok.yaml"), false).is_ignore());
    }
}
