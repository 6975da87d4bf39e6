//! The soak driver: a mixed, realistic workload at saturation against a running `crm-server`
//! for a bounded time, every reply checked against what its request must produce.
//!
//! ```text
//! cargo run --release -p crm-tools --example soak -- --url http://127.0.0.1:PORT \
//!   --server-pid PID --expected DATA/expected.json --token 1=JWT … --token 5=JWT \
//!   --deep-research-token JWT [--duration 600] [--conns 32] [--csv soak.csv]
//! ```
//!
//! `bench/soak.sh` builds, seeds, starts the server, mints the tokens and runs this. The mix
//! (see `soak/mix.rs`) is calibrated against the server first; then `--conns` workers on one
//! keep-alive client send weighted random requests from it until `--duration` is over. Every
//! `--interval` seconds one line (and a CSV row): requests, req/s, p50/p99, errors, the
//! server's RSS and the CPU share of server and driver. Exit 1 on any unexpected reply, on the
//! server's death, or on RSS growth above `--max-rss-growth` % between the end of the warm-up
//! and the end of the run.

mod soak {
    //! The driver's parts: the checked mix, the wire format, the measurements.
    pub(crate) mod mix;
    pub(crate) mod stats;
    pub(crate) mod wire;
}

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use soak::mix::{self, Target, Template, Tokens};
use soak::stats::{self, Memory, Recorder};
use soak::wire;

#[derive(Debug, Parser)]
#[command(
    name = "soak",
    about = "Soak a running crm-server with a checked, mixed workload."
)]
struct Args {
    /// The server's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    url: String,
    /// The server's process id (its RSS and CPU are read from /proc).
    #[arg(long)]
    server_pid: u32,
    /// The demo data's expected.json (the generator's ground truth).
    #[arg(long)]
    expected: PathBuf,
    /// A /mcp dev token for a demo user, as USER=TOKEN; users 1 to 5 are needed.
    #[arg(long = "token", value_parser = parse_token, required = true)]
    tokens: Vec<(i64, String)>,
    /// User 1's token for /deep-research/mcp.
    #[arg(long)]
    deep_research_token: String,
    /// How long to run, in seconds.
    #[arg(long, default_value_t = 600)]
    duration: u64,
    /// Seconds before the RSS baseline is taken (default: 60, or 10 % of shorter runs).
    #[arg(long)]
    warmup: Option<u64>,
    /// Seconds per report line.
    #[arg(long, default_value_t = 5)]
    interval: u64,
    /// Concurrent workers (each one request in flight).
    #[arg(long, default_value_t = 32)]
    conns: usize,
    /// Write the per-interval series here.
    #[arg(long)]
    csv: Option<PathBuf>,
    /// Fail when RSS grows by more than this many % after the warm-up.
    #[arg(long, default_value_t = 5.0)]
    max_rss_growth: f64,
    /// Which resident memory --max-rss-growth judges: `total` (VmRSS) or `anon` (RssAnon,
    /// without the memory-mapped database file). Both are always reported.
    #[arg(long, value_enum, default_value_t = RssMetric::Total)]
    rss_metric: RssMetric,
    /// Per-request timeout in seconds (a timeout is an error).
    #[arg(long, default_value_t = 30)]
    timeout: u64,
}

/// The memory figure the growth limit applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RssMetric {
    /// `VmRSS`.
    Total,
    /// `RssAnon`.
    Anon,
}

fn parse_token(s: &str) -> Result<(i64, String), String> {
    let (user, token) = s.split_once('=').ok_or("expected USER=TOKEN")?;
    let user = user.parse().map_err(|_| format!("not a user id: {user}"))?;
    Ok((user, token.to_owned()))
}

/// One report line's numbers.
#[derive(Debug, Clone)]
struct Row {
    elapsed_s: f64,
    requests: usize,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    errors: u64,
    memory: Memory,
    server_cpu: f64,
    driver_cpu: f64,
}

const CSV_HEADER: &str = "elapsed_s,requests,req_per_s,p50_ms,p99_ms,max_ms,errors,rss_kib,rss_anon_kib,rss_file_kib,server_cpu_pct,driver_cpu_pct";

impl Row {
    fn csv(&self) -> String {
        format!(
            "{:.1},{},{:.1},{:.3},{:.3},{:.3},{},{},{},{},{:.1},{:.1}",
            self.elapsed_s,
            self.requests,
            self.rps,
            self.p50_ms,
            self.p99_ms,
            self.max_ms,
            self.errors,
            self.memory.total,
            self.memory.anon,
            self.memory.file,
            self.server_cpu,
            self.driver_cpu
        )
    }

    fn line(&self) -> String {
        format!(
            "[{:>5.0}s] {:>7} req {:>7.1}/s  p50 {:>7.2} ms  p99 {:>8.2} ms  errors {:>3}  rss {:>6.1} MiB (anon {:>5.1})  cpu server {:>3.0}% driver {:>3.0}%",
            self.elapsed_s,
            self.requests,
            self.rps,
            self.p50_ms,
            self.p99_ms,
            self.errors,
            kib_to_mib(self.memory.total),
            kib_to_mib(self.memory.anon),
            self.server_cpu,
            self.driver_cpu
        )
    }
}

#[allow(clippy::cast_precision_loss, reason = "memory sizes far below 2^53")]
fn kib_to_mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// What the workers share.
#[derive(Debug)]
struct Shared {
    client: reqwest::Client,
    base: String,
    timeout: Duration,
    templates: Vec<Template>,
    /// Cumulative weights, for a weighted pick.
    cumulative: Vec<u64>,
    recorder: Recorder,
    deadline: Instant,
}

// One thread is enough to saturate the server with keep-alive requests and keeps the driver's
// CPU share small and measurable (bench/soak.sh pins it to its own core).
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("soak: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<bool, String> {
    let warmup = args.warmup.unwrap_or((args.duration / 10).min(60));
    if args.interval == 0 || args.conns == 0 || warmup + args.interval > args.duration {
        return Err(format!(
            "need --interval > 0, --conns > 0 and --warmup ({warmup} s) + one --interval ({} s) within --duration ({} s)",
            args.interval, args.duration
        ));
    }
    let truth: serde_json::Value = std::fs::read_to_string(&args.expected)
        .map_err(|e| format!("{}: {e}", args.expected.display()))
        .and_then(|s| {
            serde_json::from_str(&s).map_err(|e| format!("{}: {e}", args.expected.display()))
        })?;
    let tokens = Tokens {
        users: args.tokens.iter().cloned().collect(),
        deep_research: args.deep_research_token.clone(),
    };
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.conns)
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    let base = args.url.trim_end_matches('/').to_owned();
    let timeout = Duration::from_secs(args.timeout);
    let target = Target {
        client: &client,
        base: &base,
        timeout,
        tokens: &tokens,
        truth: &truth,
    };
    let templates = mix::calibrate(&target)
        .await
        .map_err(|e| format!("calibration failed: {e}"))?;
    let mut cumulative = Vec::with_capacity(templates.len());
    let mut sum = 0;
    for t in &templates {
        sum += u64::from(t.weight);
        cumulative.push(sum);
    }
    println!(
        "soak: {} checked requests in the mix (total weight {sum}), {} workers, {} s (warm-up {warmup} s), server pid {}",
        templates.len(),
        args.conns,
        args.duration,
        args.server_pid
    );
    let start = Instant::now();
    let shared = Arc::new(Shared {
        client,
        base,
        timeout,
        templates,
        cumulative,
        recorder: Recorder::default(),
        deadline: start + Duration::from_secs(args.duration),
    });
    let workers: Vec<_> = (0..args.conns)
        .map(|i| tokio::spawn(worker(Arc::clone(&shared), i as u64)))
        .collect();

    let mut csv = match &args.csv {
        Some(path) => {
            let mut f =
                std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
            writeln!(f, "{CSV_HEADER}").map_err(|e| e.to_string())?;
            Some(f)
        }
        None => None,
    };
    let pid = args.server_pid.to_string();
    let mut rows = Vec::new();
    let mut server_alive = true;
    let mut last = (start, stats::cpu_ticks(&pid), stats::cpu_ticks("self"));
    let mut tick = 1;
    loop {
        let at = start + Duration::from_secs(args.interval * tick);
        let end = at.min(shared.deadline);
        tokio::time::sleep_until(end.into()).await;
        let done = end >= shared.deadline;
        if done {
            // The last window holds every request that finishes, including those in flight.
            for w in &workers {
                while !w.is_finished() {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
        let now = Instant::now();
        let (server_ticks, driver_ticks) = (stats::cpu_ticks(&pid), stats::cpu_ticks("self"));
        let window = shared.recorder.window();
        let memory = stats::memory(args.server_pid);
        server_alive &= memory.is_some();
        let span = now.duration_since(last.0);
        #[allow(clippy::cast_precision_loss, reason = "request counts far below 2^53")]
        let rps = window.requests as f64 / span.as_secs_f64().max(1e-9);
        let row = Row {
            elapsed_s: (now - start).as_secs_f64(),
            requests: window.requests,
            rps,
            p50_ms: window.p50_ms,
            p99_ms: window.p99_ms,
            max_ms: window.max_ms,
            errors: shared.recorder.errors().values().sum(),
            memory: memory.unwrap_or_default(),
            server_cpu: stats::cpu_percent(last.1, server_ticks, span),
            driver_cpu: stats::cpu_percent(last.2, driver_ticks, span),
        };
        println!("{}", row.line());
        if let Some(f) = csv.as_mut() {
            writeln!(f, "{}", row.csv()).map_err(|e| e.to_string())?;
        }
        rows.push(row);
        last = (now, server_ticks, driver_ticks);
        if !server_alive {
            eprintln!("soak: the server (pid {}) is gone", args.server_pid);
            for w in &workers {
                w.abort();
            }
            break;
        }
        if done {
            break;
        }
        tick += 1;
    }
    for w in workers {
        // A worker that panicked is a driver bug, reported as such; the server is judged by
        // its replies.
        if let Err(e) = w.await
            && e.is_panic()
        {
            return Err(format!("a worker panicked: {e}"));
        }
    }
    Ok(summary(
        &args,
        warmup,
        &rows,
        &shared.recorder.errors(),
        server_alive,
    ))
}

/// Sends weighted random requests from the mix until the deadline, checking each reply.
async fn worker(shared: Arc<Shared>, index: u64) {
    // xorshift64*: a distinct, fixed sequence per worker; the mix needs no better randomness.
    let mut state =
        0x9E37_79B9_7F4A_7C15_u64 ^ (index.wrapping_add(1).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let total = shared.cumulative.last().copied().unwrap_or(1);
    while Instant::now() < shared.deadline {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let pick = state.wrapping_mul(0x2545_F491_4F6C_DD1D) % total;
        let i = shared.cumulative.partition_point(|&c| c <= pick);
        let Some(template) = shared.templates.get(i) else {
            continue;
        };
        let began = Instant::now();
        let outcome = wire::send(
            &shared.client,
            &shared.base,
            &template.request,
            shared.timeout,
        )
        .await;
        shared.recorder.sample(began.elapsed());
        match outcome {
            Ok(got) if got == template.golden => {}
            Ok(got) => {
                let reason = if got.status == template.golden.status {
                    "reply differs".to_owned()
                } else {
                    format!("HTTP {}", got.status)
                };
                shared
                    .recorder
                    .error(&format!("{} ({reason})", template.kind), || {
                        format!(
                            "\n  request:  {}\n  expected: {}\n  got:      {}",
                            template.request.body,
                            template.golden.brief(),
                            got.brief()
                        )
                    });
            }
            Err(e) => {
                // A refused or reset connection fails at once: don't spin on a dead server.
                tokio::time::sleep(Duration::from_millis(50)).await;
                let class = e.split(' ').next().unwrap_or("transport").to_owned();
                shared
                    .recorder
                    .error(&format!("{} ({class})", template.kind), || {
                        format!("{e}\n  request: {}", template.request.body)
                    });
            }
        }
    }
}

/// Prints the verdict; true when the run passed.
fn summary(
    args: &Args,
    warmup: u64,
    rows: &[Row],
    errors: &BTreeMap<String, u64>,
    server_alive: bool,
) -> bool {
    let requests: usize = rows.iter().map(|r| r.requests).sum();
    let elapsed = rows.last().map_or(0.0, |r| r.elapsed_s);
    #[allow(clippy::cast_precision_loss, reason = "request counts far below 2^53")]
    let rps = requests as f64 / elapsed.max(1e-9);
    #[allow(clippy::cast_precision_loss, reason = "seconds")]
    let warm_at = warmup as f64;
    let total = Growth::of(rows, warm_at, |m| m.total);
    let anon = Growth::of(rows, warm_at, |m| m.anon);
    let judged = match args.rss_metric {
        RssMetric::Total => &total,
        RssMetric::Anon => &anon,
    };
    let (p99_min, p99_max) =
        stats::min_max(rows.iter().filter(|r| r.requests > 0).map(|r| r.p99_ms));
    let (p50_min, p50_max) =
        stats::min_max(rows.iter().filter(|r| r.requests > 0).map(|r| r.p50_ms));
    let n = rows.len().max(1);
    #[allow(clippy::cast_precision_loss, reason = "a few hundred rows")]
    let mean = |f: fn(&Row) -> f64| rows.iter().map(f).sum::<f64>() / n as f64;
    let error_total: u64 = errors.values().sum();

    println!("\n===== soak summary =====");
    println!(
        "requests:     {requests} in {elapsed:.0} s ({rps:.1} req/s), {} workers",
        args.conns
    );
    println!(
        "p50 per interval: {p50_min:.2} .. {p50_max:.2} ms; p99 per interval: {p99_min:.2} .. {p99_max:.2} ms"
    );
    println!(
        "cpu (mean, % of one core): server {:.0} %, driver {:.0} %",
        mean(|r| r.server_cpu),
        mean(|r| r.driver_cpu)
    );
    println!(
        "RSS limit:    {:+.1} % growth of {} after the warm-up ({warmup} s)",
        args.max_rss_growth,
        match args.rss_metric {
            RssMetric::Total => "VmRSS",
            RssMetric::Anon => "RssAnon",
        }
    );
    println!("server VmRSS:   {}", total.describe());
    println!("server RssAnon: {}", anon.describe());
    println!("errors:       {error_total}");
    for (kind, count) in errors {
        println!("  {count:>8}  {kind}");
    }
    let mut failures = Vec::new();
    if error_total > 0 {
        failures.push(format!("{error_total} unexpected replies"));
    }
    if !server_alive {
        failures.push("the server died".to_owned());
    }
    if judged.percent.is_nan() || judged.percent > args.max_rss_growth {
        failures.push(format!(
            "RSS grew {:.2} % after the warm-up (limit {} %)",
            judged.percent, args.max_rss_growth
        ));
    }
    if requests == 0 {
        failures.push("no request completed".to_owned());
    }
    if failures.is_empty() {
        println!("verdict:      PASS");
        true
    } else {
        println!("verdict:      FAIL ({})", failures.join("; "));
        false
    }
}

/// One memory figure over the run.
#[derive(Debug)]
struct Growth {
    first: u64,
    /// At the first report at or after the warm-up.
    warm: u64,
    /// The largest after the warm-up.
    peak: u64,
    end: u64,
    /// `end` over `warm`, in % (infinite without a baseline).
    percent: f64,
}

impl Growth {
    fn of(rows: &[Row], warm_at: f64, figure: fn(&Memory) -> u64) -> Self {
        let at = |r: Option<&Row>| r.map_or(0, |r| figure(&r.memory));
        let warm = at(rows.iter().find(|r| r.elapsed_s >= warm_at));
        let end = at(rows.last());
        #[allow(clippy::cast_precision_loss, reason = "memory sizes far below 2^53")]
        let percent = if warm > 0 {
            (end as f64 - warm as f64) / warm as f64 * 100.0
        } else {
            f64::INFINITY
        };
        Self {
            first: at(rows.first()),
            warm,
            peak: rows
                .iter()
                .filter(|r| r.elapsed_s >= warm_at)
                .map(|r| figure(&r.memory))
                .max()
                .unwrap_or(0),
            end,
            percent,
        }
    }

    fn describe(&self) -> String {
        format!(
            "first {:.1} MiB, after warm-up {:.1} MiB, peak after warm-up {:.1} MiB, end {:.1} MiB, growth {:+.2} %",
            kib_to_mib(self.first),
            kib_to_mib(self.warm),
            kib_to_mib(self.peak),
            kib_to_mib(self.end),
            self.percent
        )
    }
}
