//! Calendar days for `--now` and the `{today}` of tool descriptions, with the filter module's
//! date parsing and formatting (no date crate).

use std::time::{SystemTime, UNIX_EPOCH};

pub(crate) use crm_tools::filter::format_day;
use crm_tools::filter::{DAY_MS, Value, parse_temporal};

/// Today's UTC midnight in epoch milliseconds.
pub(crate) fn today_ms() -> i64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    now - now.rem_euclid(DAY_MS)
}

/// `YYYY-MM-DD` → that day's UTC midnight in epoch milliseconds.
pub(crate) fn parse_day(text: &str) -> Result<i64, String> {
    match parse_temporal(text) {
        Some(Value::Day(ms)) => Ok(ms),
        _ => Err(format!("--now {text}: expected a date as YYYY-MM-DD")),
    }
}

/// The demo data's "now": `--now` if given, else today (UTC midnight).
pub(crate) fn demo_now(now: Option<&str>) -> Result<i64, String> {
    now.map_or_else(|| Ok(today_ms()), parse_day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        let ms = parse_day("2026-11-01").unwrap();
        assert_eq!(ms, crm_tools::demo::DEFAULT_NOW_MS);
        assert_eq!(format_day(ms), "2026-11-01");
        assert_eq!(format_day(parse_day("2024-02-29").unwrap()), "2024-02-29");
        assert_eq!(format_day(0), "1970-01-01");
        assert!(parse_day("2026-11-31").is_err());
        assert!(parse_day("yesterday").is_err());
        assert_eq!(today_ms().rem_euclid(DAY_MS), 0);
    }
}
