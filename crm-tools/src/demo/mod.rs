//! Deterministic demo data (reference §8): two accounts, teams with a parent team, owners, users
//! at every permission level, ~10 % unassigned records, hidden and sensitive properties,
//! edge-case strings, associations, and planted signals with their [`GroundTruth`].
//!
//! The same [`DemoConfig`] always produces the same rows: the generator uses its own seeded
//! PRNG streams and a fixed "now", never the clock.
//!
//! ```no_run
//! use crm_tools::{demo, model::Catalogue, store::sqlite::open_writer};
//!
//! let catalogue = Catalogue::standard();
//! let conn = open_writer(std::path::Path::new("crm.sqlite"), &catalogue)?;
//! let truth = demo::seed(&conn, &catalogue, &demo::DemoConfig::default(), &mut |p| {
//!     eprintln!("{} {}/{}", p.phase, p.done, p.total);
//! })?;
//! println!("{}", truth.to_json());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod directory;
mod generate;
mod load;
pub mod postgres;
mod rng;
mod text;
mod truth;

use rusqlite::Connection;

pub use directory::{DEMO_USERS, DemoUser, MAIN_TENANT, OTHER_TENANT};
pub use postgres::{SeedMode, seed_postgres};
pub use truth::{GroundTruth, RegionConversion};

use crate::filter::DAY_MS;
use crate::model::Catalogue;
use crate::sql::{Dialect, SqliteDialect, rebuild_free_text};
use generate::{Generator, Volumes};

/// The default fixed "now": 2026-11-01T00:00:00Z, in epoch milliseconds.
pub const DEFAULT_NOW_MS: i64 = 1_793_491_200_000;

/// Records per tenant at scale 1 (the reference's "small" volumes).
pub const BASE_COMPANIES: usize = 400;
/// Contacts at scale 1.
pub const BASE_CONTACTS: usize = 1_500;
/// Deals at scale 1.
pub const BASE_DEALS: usize = 450;
/// Tickets at scale 1.
pub const BASE_TICKETS: usize = 300;

/// The second account's volumes, as a fraction of the main one's.
const OTHER_TENANT_SHARE: f64 = 0.1;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemoConfig {
    /// The PRNG seed.
    pub seed: u64,
    /// "Now" in epoch ms; must be a UTC midnight so the 90-day window is whole days.
    pub now_ms: i64,
    /// Multiplies the base volumes (1.0 = 1,500 contacts; 666.67 ≈ 1,000,000).
    pub scale: f64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            seed: 42,
            now_ms: DEFAULT_NOW_MS,
            scale: 1.0,
        }
    }
}

impl DemoConfig {
    /// The scale that yields `contacts` contacts in the main tenant.
    pub fn scale_for_contacts(contacts: usize) -> f64 {
        #[allow(clippy::cast_precision_loss, reason = "counts far below 2^53")]
        let s = contacts as f64 / BASE_CONTACTS as f64;
        s
    }

    fn volumes(&self, share: f64) -> Volumes {
        let n = |base: usize| {
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss,
                reason = "non-negative, bounded by the caller's scale"
            )]
            let v = (base as f64 * self.scale * share).round().max(1.0) as usize;
            v
        };
        Volumes {
            companies: n(BASE_COMPANIES),
            contacts: n(BASE_CONTACTS),
            deals: n(BASE_DEALS),
            tickets: n(BASE_TICKETS),
        }
    }
}

/// Where a seeding run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The table being written (`contacts`, …).
    pub phase: &'static str,
    /// Rows and association pairs written so far.
    pub done: u64,
    /// The estimated total (for a progress bar's length).
    pub total: u64,
}

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SeedError {
    /// The database already holds accounts; seeding only fills an empty one.
    #[error("the database is already seeded")]
    AlreadySeeded,
    /// `scale` is not a positive finite number or `now` is not a UTC midnight.
    #[error("invalid demo configuration: {0}")]
    Config(&'static str),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// PostgreSQL failed.
    #[error("database error: {0}")]
    Postgres(#[from] ::postgres::Error),
    /// The store could not be opened or migrated.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Writing a `COPY` stream failed.
    #[error("copy: {0}")]
    Io(#[from] std::io::Error),
}

/// Fills an empty, migrated database (see [`crate::store::sqlite::open_writer`]) and returns
/// the main tenant's ground truth. `progress` is called at each phase and every 10,000 rows.
pub fn seed(
    conn: &Connection,
    catalogue: &Catalogue,
    config: &DemoConfig,
    progress: &mut dyn FnMut(Progress),
) -> Result<GroundTruth, SeedError> {
    validate(config)?;
    let seeded: i64 = conn.query_row("SELECT COUNT(*) FROM tenants", [], |r| r.get(0))?;
    if seeded > 0 {
        return Err(SeedError::AlreadySeeded);
    }
    // Bulk-load settings: a crash mid-seed leaves a file to delete and re-seed, so neither
    // durability per commit nor a write-ahead copy of every page buys anything here.
    conn.query_row("PRAGMA journal_mode = MEMORY", [], |_| Ok(()))?;
    conn.execute_batch(
        "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY; PRAGMA threads = 4",
    )?;
    // Building the record and association indexes once, after the load, is much cheaper than
    // maintaining them row by row; so is filling the free-text indexes in one pass instead of
    // through their triggers. Their definitions come from the migrated schema itself.
    let indexes: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') \
             AND sql IS NOT NULL \
             AND tbl_name IN ('contacts', 'companies', 'deals', 'tickets', 'associations')",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (kind, name, _) in &indexes {
        let kind = if kind == "trigger" {
            "TRIGGER"
        } else {
            "INDEX"
        };
        conn.execute_batch(&format!("DROP {kind} {}", SqliteDialect.quote_ident(name)))?;
    }
    let result = seed_in(conn, catalogue, config, progress);
    if result.is_err() {
        // Best effort: the original error is the one worth reporting.
        let _ = conn.execute_batch("ROLLBACK");
    }
    let written = result.as_ref().map_or(0, |_| loaded_rows(conn));
    progress(Progress {
        phase: "indexes",
        done: written,
        total: written,
    });
    for sql in rebuild_free_text(catalogue) {
        conn.execute_batch(&sql)?;
    }
    for (_, _, sql) in &indexes {
        conn.execute_batch(sql)?;
    }
    // Sampled statistics (analysis_limit) so the planner picks the right index without a full
    // scan of a million-row file.
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA analysis_limit = 1000; ANALYZE")?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    progress(Progress {
        phase: "done",
        done: written,
        total: written,
    });
    result
}

/// Rows in the record and association tables, for the final progress report.
fn loaded_rows(conn: &Connection) -> u64 {
    ["contacts", "companies", "deals", "tickets"]
        .iter()
        .map(|t| {
            conn.query_row(
                &format!("SELECT COUNT(*) FROM {}", SqliteDialect.quote_ident(t)),
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_or(0, |n| u64::try_from(n).unwrap_or(0))
        })
        .sum()
}

fn seed_in(
    conn: &Connection,
    catalogue: &Catalogue,
    config: &DemoConfig,
    progress: &mut dyn FnMut(Progress),
) -> Result<GroundTruth, SeedError> {
    let mut truth = empty_truth(config);
    let mut sink = load::SqliteSink::new(conn, catalogue)?;
    // The sink has opened a transaction; the directory rows go into it.
    directory::write(&mut sink)?;
    generate_into(&mut sink, catalogue, config, &mut truth, progress)?;
    truth.finish();
    Ok(truth)
}

fn validate(config: &DemoConfig) -> Result<(), SeedError> {
    if !(config.scale.is_finite() && config.scale > 0.0) {
        return Err(SeedError::Config("scale must be a positive number"));
    }
    if config.now_ms.rem_euclid(DAY_MS) != 0 {
        return Err(SeedError::Config("now must be a UTC midnight"));
    }
    Ok(())
}

/// The ground truth before the generator counts anything into it.
fn empty_truth(config: &DemoConfig) -> GroundTruth {
    GroundTruth {
        tenant: MAIN_TENANT,
        now: rfc3339_day(config.now_ms, true),
        window_start: rfc3339_day(config.now_ms - 90 * DAY_MS, false),
        ..GroundTruth::default()
    }
}

/// Runs the generator for both accounts into `sink` and finishes it.
fn generate_into(
    sink: &mut dyn load::Sink,
    catalogue: &Catalogue,
    config: &DemoConfig,
    truth: &mut GroundTruth,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), SeedError> {
    let main = config.volumes(1.0);
    let other = config.volumes(OTHER_TENANT_SHARE);
    let total = main.total() + other.total();
    let mut loader = load::Loader::new(sink, catalogue);
    for (tenant, volumes, seed) in [
        (MAIN_TENANT, main, config.seed),
        (OTHER_TENANT, other, config.seed.wrapping_add(1)),
    ] {
        let mut generator = Generator {
            loader: &mut loader,
            tenant,
            seed,
            now: config.now_ms,
            truth: (tenant == MAIN_TENANT).then_some(&mut *truth),
            progress,
            total,
        };
        generator.run(volumes)?;
    }
    loader.finish()?;
    Ok(())
}

/// `YYYY-MM-DD` (or `YYYY-MM-DDT00:00:00Z` with `time`) of a UTC midnight.
fn rfc3339_day(ms: i64, time: bool) -> String {
    // Civil-from-days (Howard Hinnant's algorithm): no date crate needed for one conversion.
    let days = ms.div_euclid(DAY_MS) + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    if time {
        format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_format() {
        assert_eq!(rfc3339_day(DEFAULT_NOW_MS, true), "2026-11-01T00:00:00Z");
        assert_eq!(
            rfc3339_day(DEFAULT_NOW_MS - 90 * DAY_MS, false),
            "2026-08-03"
        );
        assert_eq!(rfc3339_day(0, false), "1970-01-01");
    }
}
