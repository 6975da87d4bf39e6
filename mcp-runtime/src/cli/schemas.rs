//! `schemas export|check|lint`: the schema tooling as subcommands of any server binary.
//!
//! Add [`SchemasCommand`] to the binary's clap parser and hand it, with the same
//! [`McpServerBuilder`] the binary serves, to [`run`]: the subcommands then see exactly the
//! binary's tools, gateways and profiles. They need no network, no data directory and no
//! registered state.
//!
//! ```no_run
//! use clap::{Parser, Subcommand};
//! use mcp_runtime::{McpServer, McpServerBuilder, cli::{ServeArgs, schemas::{self, SchemasCommand}}};
//!
//! #[derive(Parser)]
//! #[command(args_conflicts_with_subcommands = true)]
//! struct Args {
//!     #[command(flatten)]
//!     serve: ServeArgs,
//!     #[command(subcommand)]
//!     command: Option<Command>,
//! }
//!
//! #[derive(Subcommand)]
//! enum Command {
//!     /// Serve MCP (the default).
//!     Serve(ServeArgs),
//!     /// Export, check or lint the tool schemas.
//!     #[command(subcommand)]
//!     Schemas(SchemasCommand),
//! }
//!
//! fn builder() -> McpServerBuilder { McpServer::builder().name("my-server") }
//!
//! #[tokio::main]
//! async fn main() -> std::process::ExitCode {
//!     let args = Args::parse();
//!     match args.command {
//!         None => mcp_runtime::cli::serve_main(builder(), &args.serve).await,
//!         Some(Command::Serve(serve)) => mcp_runtime::cli::serve_main(builder(), &serve).await,
//!         Some(Command::Schemas(command)) => schemas::run(builder(), &command),
//!     }
//! }
//! ```
//!
//! Exit codes: 0 success; 1 a difference (`check`), a lint error (`lint`) or a server that
//! does not build; 2 a usage error (unreadable or malformed snapshot, unwritable output).

use std::{io::Write as _, path::PathBuf, process::ExitCode};

use clap::builder::PossibleValue;

use crate::{
    McpServerBuilder,
    schema::{
        Export, ExportOptions, FindingKind, Profile, Severity, SnapshotError, diff, lint,
        read_snapshot,
    },
};

/// The `schemas` subcommands.
#[derive(Debug, Clone, clap::Subcommand)]
#[non_exhaustive]
pub enum SchemasCommand {
    /// Print the canonical, deterministic export of every tool and gateway (JSON) to stdout.
    Export(ExportArgs),
    /// Compare the export with a committed snapshot; classify each change as breaking or
    /// additive. Exits 1 on any change, or on breaking ones only with --allow-additive.
    Check(CheckArgs),
    /// Check every schema against the JSON Schema 2020-12 meta-schema, MCP's rules and each
    /// profile's rules. Exits 1 on errors.
    Lint(LintArgs),
}

/// Options of `schemas export`.
#[derive(Debug, Clone, Default, clap::Args)]
#[non_exhaustive]
pub struct ExportArgs {
    /// Rewrite every schema for this profile instead of exporting the canonical ones.
    #[arg(long)]
    pub profile: Option<Profile>,
    /// Include each tool's source location (file:line:column).
    #[arg(long)]
    pub locations: bool,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Options of `schemas check`.
#[derive(Debug, Clone, clap::Args)]
#[non_exhaustive]
pub struct CheckArgs {
    /// The committed snapshot.
    #[arg(long, default_value = "schemas.json")]
    pub snapshot: PathBuf,
    /// Succeed when every change is additive (breaking changes still fail).
    #[arg(long)]
    pub allow_additive: bool,
    /// Accept the current schemas: write them to the snapshot and exit 0.
    #[arg(long)]
    pub update: bool,
}

/// Options of `schemas lint`.
#[derive(Debug, Clone, Default, clap::Args)]
#[non_exhaustive]
pub struct LintArgs {
    /// Profiles whose rules to check (repeat or comma-separate; default: all).
    #[arg(long = "profile", value_delimiter = ',')]
    pub profiles: Vec<Profile>,
    /// Exit 1 on warnings (constraints a profile had to drop) too.
    #[arg(long)]
    pub deny_warnings: bool,
}

impl clap::ValueEnum for Profile {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

const USAGE: u8 = 2;

/// Run a `schemas` subcommand against the server `builder` describes.
pub fn run(builder: McpServerBuilder, command: &SchemasCommand) -> ExitCode {
    match command {
        SchemasCommand::Export(args) => export(builder, args),
        SchemasCommand::Check(args) => check(builder, args),
        SchemasCommand::Lint(args) => lint_command(builder, args),
    }
}

fn export(builder: McpServerBuilder, args: &ExportArgs) -> ExitCode {
    let options = ExportOptions {
        profile: args.profile,
        locations: args.locations,
    };
    let export = match Export::from_builder(builder, &options) {
        Ok(export) => export,
        Err(e) => return fail(&e.to_string()),
    };
    let text = export.to_json();
    let written = match &args.output {
        Some(path) => std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display())),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| format!("stdout: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write {e}");
            ExitCode::from(USAGE)
        }
    }
}

fn check(builder: McpServerBuilder, args: &CheckArgs) -> ExitCode {
    let export = match Export::from_builder(builder, &ExportOptions::default()) {
        Ok(export) => export,
        Err(e) => return fail(&e.to_string()),
    };
    let text = export.to_json();
    let path = &args.snapshot;
    let old = match read_snapshot(path) {
        Ok(found) => Some(found),
        Err(SnapshotError::Missing { .. }) if args.update => None,
        Err(e @ SnapshotError::Missing { .. }) => return fail(&e.to_string()),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(USAGE);
        }
    };
    let changes = old
        .as_ref()
        .map(|(snapshot, _)| diff(snapshot, &export))
        .unwrap_or_default();
    let old_text = old.as_ref().map_or("", |(_, t)| t.as_str());
    if args.update {
        if old_text == text {
            println!("{} is up to date", path.display());
            return ExitCode::SUCCESS;
        }
        if let Err(e) = std::fs::write(path, &text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(USAGE);
        }
        if old.is_none() {
            println!("created {}", path.display());
        } else {
            println!(
                "wrote {} ({} change(s) accepted)",
                path.display(),
                changes.len()
            );
        }
        for change in &changes {
            println!("  {change}");
        }
        return ExitCode::SUCCESS;
    }
    let breaking = changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
        .count();
    let additive = changes.len() - breaking;
    if changes.is_empty() && old_text == text {
        println!("{}: no changes", path.display());
        return ExitCode::SUCCESS;
    }
    print!(
        "{} differs from the server's schemas: {breaking} breaking, {additive} additive\n{}",
        path.display(),
        crate::schema::snapshot_report(&changes, old_text, &text)
    );
    if breaking == 0 && args.allow_additive {
        println!("\nok: only additive changes (--allow-additive)");
        ExitCode::SUCCESS
    } else {
        println!(
            "\naccept with `schemas check --update --snapshot {}`",
            path.display()
        );
        ExitCode::FAILURE
    }
}

fn lint_command(builder: McpServerBuilder, args: &LintArgs) -> ExitCode {
    let export = match Export::from_builder(builder, &ExportOptions::default()) {
        Ok(export) => export,
        Err(e) => return fail(&e.to_string()),
    };
    let profiles: &[Profile] = if args.profiles.is_empty() {
        &Profile::ALL
    } else {
        &args.profiles
    };
    let findings = lint(&export, profiles);
    for finding in &findings {
        println!("{finding}");
    }
    let errors = findings
        .iter()
        .filter(|f| f.kind == FindingKind::Error)
        .count();
    let warnings = findings.len() - errors;
    let names: Vec<&str> = profiles.iter().map(|p| p.name()).collect();
    println!(
        "{} tool(s), profiles {}: {errors} error(s), {warnings} warning(s)",
        export.tools.len(),
        names.join(", ")
    );
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}
