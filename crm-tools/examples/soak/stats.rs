//! What the soak measures: latencies per interval (all samples kept and sorted: at a few
//! thousand requests per interval that costs nothing), errors by kind, and the server's memory
//! and CPU from `/proc`.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// How many mismatches are printed in full; the rest are only counted.
const PRINTED_ERRORS: usize = 5;

/// Shared by the workers and the reporter.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Microseconds of the requests finished in the current interval.
    samples: Vec<u32>,
    errors: BTreeMap<String, u64>,
    printed: usize,
}

/// One interval's latencies, taken out of the recorder.
#[derive(Debug)]
pub(crate) struct Window {
    pub(crate) requests: usize,
    pub(crate) p50_ms: f64,
    pub(crate) p99_ms: f64,
    pub(crate) max_ms: f64,
}

impl Recorder {
    /// A finished request (right or wrong: the latency counts either way).
    pub(crate) fn sample(&self, latency: Duration) {
        let micros = u32::try_from(latency.as_micros()).unwrap_or(u32::MAX);
        self.lock().samples.push(micros);
    }

    /// An unexpected outcome; the first few are printed in full.
    pub(crate) fn error(&self, kind: &str, detail: impl FnOnce() -> String) {
        let mut inner = self.lock();
        *inner.errors.entry(kind.to_owned()).or_default() += 1;
        if inner.printed < PRINTED_ERRORS {
            inner.printed += 1;
            eprintln!("ERROR {kind}: {}", detail());
        }
    }

    /// Takes the current interval's samples.
    pub(crate) fn window(&self) -> Window {
        let mut samples = std::mem::take(&mut self.lock().samples);
        samples.sort_unstable();
        let at = |q: f64| -> f64 {
            if samples.is_empty() {
                return 0.0;
            }
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss,
                reason = "an index into a vector of at most millions"
            )]
            let i = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
            f64::from(samples[i]) / 1000.0
        };
        Window {
            requests: samples.len(),
            p50_ms: at(0.50),
            p99_ms: at(0.99),
            max_ms: at(1.0),
        }
    }

    /// Errors so far, by kind.
    pub(crate) fn errors(&self) -> BTreeMap<String, u64> {
        self.lock().errors.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A worker that panicked mid-push leaves consistent data (a Vec push or a map entry).
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A process's resident memory, from `/proc/<pid>/status`, in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Memory {
    /// `VmRSS`: everything resident.
    pub(crate) total: u64,
    /// `RssAnon`: heap and stacks, where a leak shows.
    pub(crate) anon: u64,
    /// `RssFile`: mapped files, which includes SQLite's memory-mapped database, counted once
    /// per mapping (each pooled connection maps it) as queries touch its pages.
    pub(crate) file: u64,
}

/// The memory of `pid`, or `None` once it is gone.
pub(crate) fn memory(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
    };
    Some(Memory {
        total: field("VmRSS")?,
        anon: field("RssAnon").unwrap_or(0),
        file: field("RssFile").unwrap_or(0),
    })
}

/// User + system CPU time of a process (`self` or a pid), in clock ticks.
pub(crate) fn cpu_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may contain spaces; the fields after its ')' are fixed.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Clock ticks per second of `/proc/*/stat` (USER_HZ: 100 on every Linux ABI in use).
pub(crate) const TICKS_PER_SECOND: f64 = 100.0;

/// CPU use between two tick readings over `elapsed`, in % of one core.
pub(crate) fn cpu_percent(before: Option<u64>, after: Option<u64>, elapsed: Duration) -> f64 {
    match (before, after) {
        (Some(b), Some(a)) if elapsed > Duration::ZERO => {
            #[allow(clippy::cast_precision_loss, reason = "tick counts are small")]
            let ticks = a.saturating_sub(b) as f64;
            ticks / TICKS_PER_SECOND / elapsed.as_secs_f64() * 100.0
        }
        _ => 0.0,
    }
}

/// The smallest and largest of the per-interval values.
pub(crate) fn min_max(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}
