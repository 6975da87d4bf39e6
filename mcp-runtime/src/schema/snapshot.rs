//! Snapshots: the committed export a server's schemas are checked against.

use std::{
    fmt::Write as _,
    path::{Path, PathBuf},
};

use super::{Change, Export, ExportOptions, diff};
use crate::McpServerBuilder;

/// The environment variable that makes [`assert_snapshot`] write the snapshot instead of
/// comparing (`MCP_UPDATE_SCHEMAS=1 cargo test`).
pub const UPDATE_ENV: &str = "MCP_UPDATE_SCHEMAS";

/// A snapshot that cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// No file at the path.
    #[error("no schema snapshot at {}; create it with `schemas check --update` or {UPDATE_ENV}=1 cargo test", path.display())]
    Missing {
        /// The path.
        path: PathBuf,
    },
    /// The file cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not an export document.
    #[error("{} is not a schema export: {source}", path.display())]
    Malformed {
        /// The path.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
}

/// Whether [`UPDATE_ENV`] asks to rewrite snapshots.
pub fn update_requested() -> bool {
    std::env::var(UPDATE_ENV).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// Read the snapshot at `path`: the document and its text (line ends normalised to `\n`).
///
/// # Errors
///
/// The file is missing, unreadable or not an export document.
pub fn read_snapshot(path: &Path) -> Result<(Export, String), SnapshotError> {
    let text = std::fs::read_to_string(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            SnapshotError::Missing {
                path: path.to_owned(),
            }
        } else {
            SnapshotError::Io {
                path: path.to_owned(),
                source,
            }
        }
    })?;
    // A checkout with CRLF line ends (git `autocrlf` on Windows) is the same snapshot.
    let text = text.replace("\r\n", "\n");
    let export = Export::from_json(&text).map_err(|source| SnapshotError::Malformed {
        path: path.to_owned(),
        source,
    })?;
    Ok((export, text))
}

/// Compare `export` with the snapshot at `path`: every classified change (empty: equal).
///
/// # Errors
///
/// As [`read_snapshot`].
pub fn check_snapshot(export: &Export, path: &Path) -> Result<Vec<Change>, SnapshotError> {
    let (snapshot, _) = read_snapshot(path)?;
    Ok(diff(&snapshot, export))
}

/// A readable report: the classified changes, then a line diff of the documents.
pub(crate) fn report(changes: &[Change], old_text: &str, new_text: &str) -> String {
    let mut out = String::new();
    for change in changes {
        let _ = writeln!(out, "  {change}");
    }
    if old_text != new_text {
        let diff = similar::TextDiff::from_lines(old_text, new_text);
        let _ = write!(
            out,
            "\n{}",
            diff.unified_diff()
                .context_radius(3)
                .header("snapshot", "current")
        );
    }
    out
}

/// Fail the test when the schemas of the server `builder` builds differ from the snapshot at
/// `path` in any way, breaking or additive; with [`UPDATE_ENV`] set, write the snapshot
/// instead. Prefer the [`assert_schema_snapshot!`](crate::assert_schema_snapshot) macro,
/// which resolves the path against the crate's directory.
///
/// # Panics
///
/// On any difference, on an unreadable snapshot, or when the server does not build.
#[track_caller]
#[allow(
    clippy::panic,
    reason = "a test assertion: failing the test is its purpose"
)]
pub fn assert_snapshot(builder: McpServerBuilder, path: impl AsRef<Path>) {
    let path = path.as_ref();
    let export = match Export::from_builder(builder, &ExportOptions::default()) {
        Ok(export) => export,
        Err(e) => panic!("cannot export the server's schemas: {e}"),
    };
    let text = export.to_json();
    if update_requested() {
        if let Err(e) = std::fs::write(path, &text) {
            panic!("cannot write {}: {e}", path.display());
        }
        return;
    }
    let (snapshot, old_text) = match read_snapshot(path) {
        Ok(found) => found,
        Err(e) => panic!("{e}"),
    };
    let changes = diff(&snapshot, &export);
    if !changes.is_empty() || old_text != text {
        panic!(
            "the tool schemas differ from the snapshot {}:\n{}\nReview the changes, then \
             accept them with `{UPDATE_ENV}=1 cargo test` or `<server> schemas check --update`.",
            path.display(),
            report(&changes, &old_text, &text),
        );
    }
}

/// Assert that every schema of a server builder passes the lint in every profile (errors
/// only; warnings such as keywords a profile drops are allowed).
///
/// # Panics
///
/// On any lint error, or when the server's schemas cannot be exported.
#[track_caller]
#[allow(
    clippy::panic,
    reason = "a test assertion: failing the test is its purpose"
)]
pub fn assert_lint_clean(builder: McpServerBuilder) {
    let export = match Export::from_builder(builder, &ExportOptions::default()) {
        Ok(export) => export,
        Err(e) => panic!("cannot export the server's schemas: {e}"),
    };
    let errors: Vec<String> = super::lint(&export, &super::Profile::ALL)
        .iter()
        .filter(|f| f.kind == super::FindingKind::Error)
        .map(ToString::to_string)
        .collect();
    if !errors.is_empty() {
        panic!("the tool schemas fail the lint:\n{}", errors.join("\n"));
    }
}

/// Assert that the schemas of a server builder match the committed snapshot
/// `schemas.json` (or the given path) next to the calling crate's `Cargo.toml`; see
/// [`schema::assert_snapshot`](crate::schema::assert_snapshot).
///
/// ```no_run
/// # fn builder() -> mcp_runtime::McpServerBuilder { mcp_runtime::McpServer::builder() }
/// #[test]
/// fn schemas_match_the_snapshot() {
///     mcp_runtime::assert_schema_snapshot!(builder());
/// }
/// ```
#[macro_export]
macro_rules! assert_schema_snapshot {
    ($builder:expr $(,)?) => {
        $crate::assert_schema_snapshot!($builder, "schemas.json")
    };
    ($builder:expr, $path:expr $(,)?) => {
        $crate::schema::assert_snapshot(
            $builder,
            ::std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join($path),
        )
    };
}
