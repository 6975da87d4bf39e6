//! Typed filter values.

/// A filter value after checking it against the property's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text for string and enumeration properties (compared case-insensitively).
    Text(String),
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// An instant, in epoch milliseconds (from RFC 3339 or epoch-ms input).
    Instant(i64),
    /// A whole UTC day, given by its first millisecond; comparisons treat it as `[start, start+1d)`.
    Day(i64),
    /// A record id (`associated_<type>` values).
    Id(i64),
}
