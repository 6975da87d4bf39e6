//! [`SqlValue`] as a PostgreSQL parameter and result value.
//!
//! Compiled SQL binds integers, floats and text without knowing the server's inferred type of
//! each placeholder (an id list compares with a `BIGINT` column, a number with a `DOUBLE
//! PRECISION` one), so a value is encoded as whatever type the server asks for, when it
//! converts losslessly. Read back, integral floats become integers, as SQLite's `NUMERIC`
//! affinity stores them, so both stores return the same values.

use std::error::Error;

use bytes::BytesMut;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

use crate::sql::SqlValue;

type BoxError = Box<dyn Error + Sync + Send>;

/// Floats at most this large convert to and from `i64` exactly.
const EXACT: f64 = 9_007_199_254_740_992.0;

fn is_text(ty: &Type) -> bool {
    <&str as ToSql>::accepts(ty)
}

fn integral(r: f64) -> Option<i64> {
    // In range and without a fraction, so the cast is exact.
    #[allow(
        clippy::cast_possible_truncation,
        reason = "checked integral and in range"
    )]
    (r.fract() == 0.0 && r.abs() < EXACT).then_some(r as i64)
}

impl ToSql for SqlValue {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        #[allow(clippy::cast_precision_loss, reason = "SQLite compares the same way")]
        match (self, ty) {
            (Self::Null, _) => Ok(IsNull::Yes),
            (Self::Integer(i), &Type::INT8) => i.to_sql(ty, out),
            (Self::Integer(i), &Type::INT4) => i32::try_from(*i)?.to_sql(ty, out),
            (Self::Integer(i), &Type::INT2) => i16::try_from(*i)?.to_sql(ty, out),
            (Self::Integer(i), &Type::FLOAT8) => (*i as f64).to_sql(ty, out),
            (Self::Integer(i), &Type::FLOAT4) => (*i as f32).to_sql(ty, out),
            (Self::Integer(i), &Type::BOOL) => (*i != 0).to_sql(ty, out),
            (Self::Real(r), &Type::FLOAT8) => r.to_sql(ty, out),
            #[allow(clippy::cast_possible_truncation, reason = "FLOAT4 asked for")]
            (Self::Real(r), &Type::FLOAT4) => (*r as f32).to_sql(ty, out),
            (Self::Real(r), &Type::INT8 | &Type::INT4 | &Type::INT2) => match integral(*r) {
                Some(i) => Self::Integer(i).to_sql(ty, out),
                None => Err(format!("{r} is not an integer ({ty} expected)").into()),
            },
            // PostgreSQL text cannot hold NUL, so no stored value contains one: a character
            // that stored text does not hold either keeps the comparison's answer (no match).
            (Self::Text(t), _) if is_text(ty) && t.contains('\0') => {
                t.replace('\0', "\u{ffff}").as_str().to_sql(ty, out)
            }
            (Self::Text(t), _) if is_text(ty) => t.as_str().to_sql(ty, out),
            (Self::Integer(i), _) if is_text(ty) => i.to_string().as_str().to_sql(ty, out),
            (Self::Real(r), _) if is_text(ty) => r.to_string().as_str().to_sql(ty, out),
            (v, _) => Err(format!("cannot bind {v:?} as {ty}").into()),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Decodes the binary `NUMERIC` format (base-10000 digits) to the nearest float: `SUM` and `AVG`
/// of integers are `NUMERIC`.
fn numeric(raw: &[u8]) -> Result<f64, BoxError> {
    let word = |i: usize| -> Result<i16, BoxError> {
        let b = raw.get(i..i + 2).ok_or("truncated numeric")?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    };
    let (ndigits, weight, sign) = (word(0)?, word(2)?, word(4)? as u16);
    if sign == 0xC000 {
        return Ok(f64::NAN);
    }
    let mut value = 0.0;
    for i in 0..usize::try_from(ndigits)? {
        let exponent = i32::from(weight) - i32::try_from(i)?;
        value += f64::from(word(8 + 2 * i)?) * 10_000f64.powi(exponent);
    }
    Ok(if sign == 0x4000 { -value } else { value })
}

fn real(r: f64) -> SqlValue {
    integral(r).map_or(SqlValue::Real(r), SqlValue::Integer)
}

impl<'a> FromSql<'a> for SqlValue {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Self::Integer(i64::from_sql(ty, raw)?),
            Type::INT4 => Self::Integer(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT2 => Self::Integer(i64::from(i16::from_sql(ty, raw)?)),
            Type::BOOL => Self::Integer(i64::from(bool::from_sql(ty, raw)?)),
            Type::FLOAT8 => real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => real(f64::from(f32::from_sql(ty, raw)?)),
            Type::NUMERIC => real(numeric(raw)?),
            _ => Self::Text(<&str as FromSql>::from_sql(ty, raw)?.to_owned()),
        })
    }

    fn from_sql_null(_ty: &Type) -> Result<Self, BoxError> {
        Ok(Self::Null)
    }

    fn accepts(ty: &Type) -> bool {
        matches!(
            *ty,
            Type::INT8
                | Type::INT4
                | Type::INT2
                | Type::BOOL
                | Type::FLOAT8
                | Type::FLOAT4
                | Type::NUMERIC
        ) || <&str as FromSql>::accepts(ty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_decodes() {
        // 12345.5: digits [1, 2345, 5000], weight 1, positive, dscale 1.
        let raw = [0, 3, 0, 1, 0, 0, 0, 1, 0, 1, 0x09, 0x29, 0x13, 0x88];
        assert_eq!(numeric(&raw).unwrap(), 12_345.5);
        assert_eq!(real(3.0), SqlValue::Integer(3));
        assert_eq!(real(2.5), SqlValue::Real(2.5));
    }
}
