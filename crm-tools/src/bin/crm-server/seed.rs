//! `crm-server seed` and first-run seeding: the demo generator behind a progress bar, written
//! to a side file and renamed into place, so a server never opens a half-seeded database.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crm_tools::demo::{self, DemoConfig, GroundTruth, Progress, SeedError, SeedMode};
use crm_tools::model::Catalogue;
use crm_tools::store::Location;
use crm_tools::store::sqlite::open_writer;
use indicatif::{ProgressBar, ProgressStyle};

use crate::database::{StorageArgs, describe, expected_path};
use crate::serve::ServeOptions;
use crate::{USAGE, date};

/// Options of `crm-server seed` (`--now` is the global option).
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct SeedArgs {
    /// Multiply the base volumes (1 = 1,500 contacts, 400 companies, 450 deals, 300 tickets).
    #[arg(long, conflicts_with = "contacts")]
    scale: Option<f64>,
    /// Size the data by its number of contacts instead (e.g. 1000000).
    #[arg(long)]
    contacts: Option<usize>,
    /// The generator's seed: the same seed, scale and --now give the same rows.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Replace an existing database (PostgreSQL: empty its CRM tables first).
    #[arg(long)]
    force: bool,
}

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SeedFailure {
    /// The options are wrong (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Something else went wrong (exit 1).
    #[error("{0}")]
    Failed(String),
    /// The PostgreSQL database already holds data (exit 2 from `seed`; fine for `serve`, where
    /// another replica seeded first).
    #[error("{0} already holds data; pass --force to empty it and seed again")]
    AlreadySeeded(String),
}

impl SeedFailure {
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Self::Usage(_) | Self::AlreadySeeded(_) => ExitCode::from(USAGE),
            Self::Failed(_) => ExitCode::FAILURE,
        }
    }
}

/// Runs `crm-server seed`.
pub(crate) fn run(storage: &StorageArgs, options: &ServeOptions, args: &SeedArgs) -> ExitCode {
    match seed_command(storage, options, args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

fn seed_command(
    storage: &StorageArgs,
    options: &ServeOptions,
    args: &SeedArgs,
) -> Result<(), SeedFailure> {
    let database = storage
        .database()
        .map_err(|e| SeedFailure::Usage(e.to_string()))?;
    let scale = match (args.scale, args.contacts) {
        (_, Some(0)) => return Err(SeedFailure::Usage("--contacts must be at least 1".into())),
        (_, Some(contacts)) => DemoConfig::scale_for_contacts(contacts),
        (Some(scale), None) if !(scale.is_finite() && scale > 0.0) => {
            return Err(SeedFailure::Usage(format!(
                "--scale {scale}: must be a positive number"
            )));
        }
        (Some(scale), None) => scale,
        (None, None) => 1.0,
    };
    if let Location::Sqlite(path) = &database
        && path.exists()
        && !args.force
    {
        return Err(SeedFailure::Usage(format!(
            "{} already exists; pass --force to replace it",
            path.display()
        )));
    }
    let config = DemoConfig {
        seed: args.seed,
        now_ms: date::demo_now(options.now.as_deref()).map_err(SeedFailure::Usage)?,
        scale,
    };
    let started = Instant::now();
    let expected = storage.expected(&database);
    let truth = match &database {
        Location::Sqlite(path) => seed_database(path, &config)?,
        Location::Postgres(url) => {
            let mode = if args.force {
                SeedMode::Replace
            } else {
                SeedMode::IfEmpty
            };
            seed_postgres(url, &config, mode, &expected)?
        }
    };
    let contacts = truth.counts.get("contacts").copied().unwrap_or_default();
    let records: u64 = truth.counts.values().sum();
    println!(
        "seeded {} in {:.1} s: {records} records in the main account ({contacts} contacts), now = {}, seed {}, scale {}",
        describe(&database),
        started.elapsed().as_secs_f64(),
        truth.now,
        config.seed,
        config.scale
    );
    println!(
        "ground truth: {} (best 90-day converting region: {})",
        expected.display(),
        truth.best_region
    );
    Ok(())
}

/// Generates the demo data into `database` (replacing it) and writes `expected.json` beside it.
pub(crate) fn seed_database(
    database: &Path,
    config: &DemoConfig,
) -> Result<GroundTruth, SeedFailure> {
    let failed = |what: &str, path: &Path, e: &dyn std::fmt::Display| {
        SeedFailure::Failed(format!("{what} {}: {e}", path.display()))
    };
    if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| failed("cannot create", dir, &e))?;
    }
    let partial = side_file(database, ".seeding");
    remove_database(&partial).map_err(|e| failed("cannot remove", &partial, &e))?;
    let catalogue = Catalogue::standard();
    let conn =
        open_writer(&partial, &catalogue).map_err(|e| failed("cannot open", &partial, &e))?;
    let mut reporter = Reporter::new();
    let truth = demo::seed(&conn, &catalogue, config, &mut |p| reporter.report(p));
    reporter.bar.finish_and_clear();
    drop(conn);
    let truth = match truth {
        Ok(truth) => truth,
        Err(e) => {
            // Best effort: the seeding error is the one to report.
            let _ = remove_database(&partial);
            return Err(SeedFailure::Failed(format!("seeding failed: {e}")));
        }
    };
    // The old file's journal must not outlive it: SQLite would replay it onto the new one.
    remove_database(database).map_err(|e| failed("cannot replace", database, &e))?;
    std::fs::rename(&partial, database).map_err(|e| failed("cannot move into", database, &e))?;
    let expected = expected_path(database);
    std::fs::write(&expected, truth.to_json() + "\n")
        .map_err(|e| failed("cannot write", &expected, &e))?;
    Ok(truth)
}

/// Generates the demo data into the PostgreSQL database at `url` and writes `expected`.
///
/// The blocking seeder runs on a thread of its own: this may be called from async code.
pub(crate) fn seed_postgres(
    url: &str,
    config: &DemoConfig,
    mode: SeedMode,
    expected: &Path,
) -> Result<GroundTruth, SeedFailure> {
    let truth = std::thread::scope(|s| {
        s.spawn(|| {
            let mut reporter = Reporter::new();
            let truth = demo::seed_postgres(url, &Catalogue::standard(), config, mode, &mut |p| {
                reporter.report(p)
            });
            reporter.bar.finish_and_clear();
            truth
        })
        .join()
    })
    .map_err(|_| SeedFailure::Failed("the seeding thread panicked".to_owned()))?
    .map_err(|e| match e {
        SeedError::AlreadySeeded => {
            SeedFailure::AlreadySeeded(describe(&Location::Postgres(url.to_owned())))
        }
        e => SeedFailure::Failed(format!("seeding failed: {e}")),
    })?;
    if let Some(dir) = expected.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| SeedFailure::Failed(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(expected, truth.to_json() + "\n")
        .map_err(|e| SeedFailure::Failed(format!("cannot write {}: {e}", expected.display())))?;
    Ok(truth)
}

/// Whether `database` already holds demo data (a file with at least one account).
pub(crate) fn is_seeded(database: &Path) -> Result<bool, String> {
    if !database.exists() {
        return Ok(false);
    }
    let conn = open_writer(database, &Catalogue::standard())
        .map_err(|e| format!("cannot open {}: {e}", database.display()))?;
    let accounts: i64 = conn
        .query_row("SELECT COUNT(*) FROM tenants", [], |r| r.get(0))
        .map_err(|e| format!("cannot read {}: {e}", database.display()))?;
    Ok(accounts > 0)
}

/// `crm.sqlite` → `crm.sqlite<suffix>`.
fn side_file(database: &Path, suffix: &str) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Removes a database file and its WAL companions; a missing file is fine.
fn remove_database(path: &Path) -> std::io::Result<()> {
    for file in [
        path.to_owned(),
        side_file(path, "-wal"),
        side_file(path, "-shm"),
        side_file(path, "-journal"),
    ] {
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// The progress display: a bar on a terminal; otherwise (logs, CI) one line per phase.
struct Reporter {
    bar: ProgressBar,
    phase: &'static str,
    started: Instant,
}

impl Reporter {
    fn new() -> Self {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} seeding {msg:>12} [{bar:32}] {human_pos}/{human_len} rows, {per_sec}, eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Self {
            bar,
            phase: "",
            started: Instant::now(),
        }
    }

    fn report(&mut self, p: Progress) {
        // The closing phases (indexes, done) count records only, not association pairs: never
        // move the bar backwards, so its position and rate stay those of the load.
        let done = p.done.max(self.bar.position());
        self.bar
            .set_length(p.total.max(done).max(self.bar.length().unwrap_or(0)));
        self.bar.set_position(done);
        self.bar.set_message(p.phase);
        if self.bar.is_hidden() && p.phase != self.phase {
            let secs = self.started.elapsed().as_secs_f64();
            eprintln!("seeding {}: {done} rows after {secs:.1} s", p.phase);
        }
        self.phase = p.phase;
    }
}
