//! Calendar days for `--now` and the `{today}` of tool descriptions, without a date crate (the
//! crate's filter module already parses dates; formatting one day is a few lines).

use std::time::{SystemTime, UNIX_EPOCH};

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

/// `YYYY-MM-DD` of the UTC day holding `ms` (H. Hinnant's civil-from-days).
pub(crate) fn format_day(ms: i64) -> String {
    let z = ms.div_euclid(DAY_MS) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
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
