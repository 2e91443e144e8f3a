//! Decimals as the forms write them: read from a JSON / TOML number or a decimal
//! string and written as a plain number ([`dec`], for serde), as text people read
//! ([`fmt_dec`]) and as a JSON value ([`decimal_json`]); the engine's checked and
//! saturating arithmetic ([`checked_add`], [`saturating_add`], [`checked_mul`],
//! [`checked_div`]). Exact: no binary floating point on any result path.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;

/// Serde helpers for [`Decimal`] values: written as plain JSON / TOML numbers (`4.8`,
/// never `"4.8"`), read from a number or a decimal string.
pub mod dec {
    use std::str::FromStr;

    use rust_decimal::Decimal;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    /// Serialize as a number. The number printed is the shortest float that reads back as
    /// the same decimal (`4.8`, `0.2`); scores never have more than one decimal.
    /// In a format that is not human-readable (the wire form of crate::wire) the
    /// decimal is written exactly, as its text (`92.5`).
    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        if !s.is_human_readable() {
            return s.serialize_str(&d.to_string());
        }
        let d = d.normalize();
        if d.scale() == 0 {
            if let Ok(i) = i64::try_from(d.mantissa()) {
                return s.serialize_i64(i);
            }
        }
        // The nearest f64, as `d.to_string().parse::<f64>()` gives it.
        s.serialize_f64(crate::small::decimal_to_f64(d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        if d.is_human_readable() {
            d.deserialize_any(DecVisitor)
        } else {
            d.deserialize_str(DecVisitor)
        }
    }

    /// Reads a decimal from a float through its shortest decimal representation, so
    /// `0.2` becomes exactly 0.2.
    pub fn from_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        Decimal::from_str(&crate::small::f64_text(f))
            .ok()
            .or_else(|| Decimal::from_scientific(&crate::small::f64_exp_text(f)).ok())
    }

    /// Parses a decimal string as people write it (surrounding spaces allowed).
    pub fn parse_str(s: &str) -> Option<Decimal> {
        let t = s.trim();
        if t.is_empty() {
            return None;
        }
        Decimal::from_str(t)
            .ok()
            .or_else(|| Decimal::from_scientific(t).ok())
    }

    struct DecVisitor;

    impl Visitor<'_> for DecVisitor {
        type Value = Decimal;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a decimal number")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
            from_f64(v).ok_or_else(|| {
                E::custom(format!(
                    "{} is not a finite decimal",
                    crate::small::f64_text(v)
                ))
            })
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
            parse_str(v).ok_or_else(|| E::custom(format!("`{v}` is not a decimal number")))
        }
    }

    /// Same as the parent module for `Option<Decimal>`.
    pub mod option {
        use rust_decimal::Decimal;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
            #[derive(Deserialize)]
            struct W(#[serde(with = "super")] Decimal);
            Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
        }
    }
}

// rust_decimal's checked and saturating operations are `#[inline(always)]`, so every
// call site held its own copy of the operation (about 1 KB of wasm each in the browser
// bundles). The engine's sums, products and quotients go through these, one copy each.

/// `a + b`, or `None` outside Decimal's range (`Decimal::checked_add`).
#[inline(never)]
pub fn checked_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
}

/// `a + b`, at `Decimal::MAX` or `Decimal::MIN` outside the range
/// (`Decimal::saturating_add`).
#[inline(never)]
pub fn saturating_add(a: Decimal, b: Decimal) -> Decimal {
    a.saturating_add(b)
}

/// `a × b`, or `None` outside Decimal's range (`Decimal::checked_mul`).
#[inline(never)]
pub fn checked_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(b)
}

/// `a ÷ b`, or `None` for `b` = 0 or outside the range (`Decimal::checked_div`).
#[inline(never)]
pub fn checked_div(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_div(b)
}

/// Decimal as people write it: `4.8`, `0.2`, `5`, `92.5`.
pub fn fmt_dec(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A decimal as a JSON number (integers as integers).
pub fn decimal_json(d: Decimal) -> Value {
    let d = d.normalize();
    if d.scale() == 0 {
        if let Some(i) = d.to_i64() {
            return Value::from(i);
        }
    }
    // The nearest f64, as `d.to_string().parse::<f64>()` gives it.
    serde_json::Number::from_f64(crate::small::decimal_to_f64(d))
        .map_or_else(|| Value::String(d.to_string()), Value::Number)
}
