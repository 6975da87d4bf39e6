//! Date parsing for filter values: ISO dates (whole UTC days), RFC 3339 instants and epoch ms.
//!
//! Hand-written rather than pulling a date crate: the accepted forms are few and fixed by the
//! query language, and the conversion is the well-known days-from-civil arithmetic.

use super::Value;

/// Milliseconds in a UTC day.
pub const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since the epoch (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if month <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        month,
        day,
    )
}

/// `YYYY-MM-DD` of the UTC day containing `ms`.
pub fn format_day(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(DAY_MS));
    format!("{y:04}-{m:02}-{d:02}")
}

/// RFC 3339 with milliseconds (`2026-09-14T13:07:22.000Z`), as HubSpot returns timestamps.
pub fn format_instant(ms: i64) -> String {
    let t = ms.rem_euclid(DAY_MS);
    let (h, m, s, milli) = (t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000);
    format!("{}T{h:02}:{m:02}:{s:02}.{milli:03}Z", format_day(ms))
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD` → days since the epoch.
fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(&s[0..4])?, digits(&s[5..7])?, digits(&s[8..10])?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// `HH:MM:SS[.fff…]` → milliseconds into the day.
fn parse_clock(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, sec) = (digits(&s[0..2])?, digits(&s[3..5])?, digits(&s[6..8])?);
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let millis = match &s[8..] {
        "" => 0,
        frac => {
            let f = frac.strip_prefix('.')?;
            let first3: String = f.chars().chain(std::iter::repeat('0')).take(3).collect();
            digits(f)?;
            digits(&first3)?
        }
    };
    Some(((h * 60 + m) * 60 + sec) * 1000 + millis)
}

/// RFC 3339 (`2025-01-31T10:00:00Z`, `…+02:00`, fractional seconds) → epoch ms.
fn parse_rfc3339(s: &str) -> Option<i64> {
    let (date, rest) = (s.get(..10)?, s.get(10..)?);
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t'))?;
    let days = parse_date(date)?;
    let (clock, offset_ms) =
        if let Some(c) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
            (c, 0)
        } else {
            let split = rest.len().checked_sub(6)?;
            let (c, off) = (rest.get(..split)?, rest.get(split..)?);
            let sign = match off.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if off.as_bytes().get(3) != Some(&b':') {
                return None;
            }
            let (oh, om) = (digits(off.get(1..3)?)?, digits(off.get(4..6)?)?);
            if oh > 23 || om > 59 {
                return None;
            }
            (c, sign * (oh * 60 + om) * 60_000)
        };
    Some(days * DAY_MS + parse_clock(clock)? - offset_ms)
}

/// Parses a date or datetime filter value: `YYYY-MM-DD` gives a [`Value::Day`], RFC 3339 or
/// epoch milliseconds give a [`Value::Instant`]. Anything else (including relative dates such as
/// `now-7d`) is `None`.
pub fn parse_temporal(s: &str) -> Option<Value> {
    if let Some(days) = parse_date(s) {
        return Some(Value::Day(days * DAY_MS));
    }
    if let Some(ms) = digits(s) {
        return Some(Value::Instant(ms));
    }
    parse_rfc3339(s).map(Value::Instant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_whole_utc_days() {
        assert_eq!(parse_temporal("1970-01-01"), Some(Value::Day(0)));
        assert_eq!(
            parse_temporal("2025-03-31"),
            Some(Value::Day(1_743_379_200_000))
        );
        assert_eq!(
            parse_temporal("2024-02-29"),
            Some(Value::Day(1_709_164_800_000))
        );
        assert_eq!(parse_temporal("2025-02-29"), None);
        assert_eq!(parse_temporal("2025-13-01"), None);
    }

    #[test]
    fn instants_and_epoch_ms() {
        assert_eq!(
            parse_temporal("2026-08-31T00:00:00Z"),
            Some(Value::Instant(1_788_134_400_000))
        );
        assert_eq!(
            parse_temporal("2026-08-31T02:00:00.5+02:00"),
            Some(Value::Instant(1_788_134_400_500))
        );
        assert_eq!(
            parse_temporal("1788134400000"),
            Some(Value::Instant(1_788_134_400_000))
        );
    }

    #[test]
    fn formats_round_trip() {
        assert_eq!(format_day(1_743_379_200_000), "2025-03-31");
        assert_eq!(
            format_instant(1_788_134_400_500),
            "2026-08-31T00:00:00.500Z"
        );
        assert_eq!(format_day(-1), "1969-12-31");
    }

    #[test]
    fn rejects_relative_and_garbage() {
        for bad in [
            "now-7d",
            "today",
            "last week",
            "2025-1-1",
            "2025-01-01T25:00:00Z",
            "",
            "2025-01-01T00:00:00+0200",
        ] {
            assert_eq!(parse_temporal(bad), None, "{bad}");
        }
    }
}
