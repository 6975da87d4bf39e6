//! Seeding throughput:
//! `cargo run --release -p crm-tools --example seed_bench -- [contacts] [dir] [postgres://…]`.
//!
//! Seeds a fresh SQLite file with `contacts` contacts in the main tenant (default 100,000; the
//! other types and the second tenant scale with it) and prints the wall time and row rate; with
//! a PostgreSQL URL, seeds that database too (emptying it first) and prints its time.

use std::time::Instant;

use crm_tools::demo::{self, DemoConfig, Progress, SeedMode};
use crm_tools::model::Catalogue;
use crm_tools::store::sqlite::open_writer;

fn reporter(started: Instant) -> impl FnMut(Progress) {
    let mut last = 0;
    move |p: Progress| {
        if p.done >= last + 1_000_000 || p.phase == "done" || p.phase == "indexes" {
            last = p.done;
            eprintln!(
                "{:>8.1}s {:<10} {}/{}",
                started.elapsed().as_secs_f64(),
                p.phase,
                p.done,
                p.total
            );
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let contacts: usize = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let dir = args.next().map_or_else(std::env::temp_dir, Into::into);
    let postgres = args.next();
    let path = dir.join(format!("crm-seed-bench-{contacts}.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let catalogue = Catalogue::standard();
    let config = DemoConfig {
        scale: DemoConfig::scale_for_contacts(contacts),
        ..DemoConfig::default()
    };
    let started = Instant::now();
    let conn = open_writer(&path, &catalogue)?;
    let truth = demo::seed(&conn, &catalogue, &config, &mut reporter(started))?;
    drop(conn);
    let secs = started.elapsed().as_secs_f64();
    let size = std::fs::metadata(&path)?.len();
    println!(
        "sqlite: seeded {contacts} contacts ({:?}) in {secs:.1} s; file {} MB; best region {}",
        truth.counts,
        size / 1_000_000,
        truth.best_region
    );
    if let Some(url) = postgres {
        let started = Instant::now();
        let pg = demo::seed_postgres(
            &url,
            &catalogue,
            &config,
            SeedMode::Replace,
            &mut reporter(started),
        )?;
        println!(
            "postgres: seeded {contacts} contacts in {:.1} s; same ground truth as sqlite: {}",
            started.elapsed().as_secs_f64(),
            pg == truth
        );
    }
    Ok(())
}
