//! `--out DIR`: one file per object, `DIR/<namespace>/<kind>-<name>.yaml`. Every target is
//! checked before the first is written, and each file is written whole (temporary file,
//! then rename), so a refused or failed run leaves no half-written tree behind.

use std::path::{Path, PathBuf};

use super::Format;
use crate::convert::Emitted;

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

fn render(object: &Emitted, format: Format) -> String {
    let mut out = String::new();
    match format {
        Format::Yaml => super::yaml::write_document(&mut out, &object.node),
        Format::Json => {
            super::json::write_value(&mut out, &object.node.value, 0);
            out.push('\n');
        }
    }
    out
}

/// Writes every object; refuses (before writing anything) when a file exists and `force` is
/// not set.
pub fn write_tree(
    dir: &Path,
    objects: &[Emitted],
    format: Format,
    force: bool,
) -> Result<(), String> {
    let targets: Vec<(PathBuf, &Emitted)> = objects
        .iter()
        .map(|o| (object_path(dir, o, format), o))
        .collect();
    if !force {
        let existing: Vec<String> = targets
            .iter()
            .filter(|(p, _)| p.exists())
            .map(|(p, _)| p.display().to_string())
            .collect();
        if let Some(first) = existing.first() {
            return Err(format!(
                "{first} exists{}; nothing was written (use --force to overwrite)",
                match existing.len() {
                    1 => String::new(),
                    n => format!(" (and {} more)", n - 1),
                }
            ));
        }
    }
    for (path, object) in &targets {
        let parent = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        let temporary = path.with_extension("lsc-tmp");
        std::fs::write(&temporary, render(object, format))
            .and_then(|()| std::fs::rename(&temporary, path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&temporary);
                format!("cannot write {}: {e}", path.display())
            })?;
    }
    Ok(())
}
