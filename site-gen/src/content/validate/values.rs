//! Values a notice may write in more than one way: dates and amounts.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml::Spanned;
use wasm_forms::date;

use crate::content::diag::{Diagnostic, Diagnostics};
use crate::content::load::SourceFile;

/// A `date` written as a TOML date or a "YYYY-MM-DD" string.
pub(super) fn date_value(
    v: &Spanned<toml::Value>,
    what: &str,
    file: &SourceFile,
    d: &mut Diagnostics,
) -> Option<NaiveDate> {
    let mut fix = None;
    let parsed = match v.get_ref() {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            dt.date.and_then(|x| {
                NaiveDate::from_ymd_opt(i32::from(x.year), u32::from(x.month), u32::from(x.day))
            })
        }
        toml::Value::String(s) => date::read(s.trim(), date::Mode::Iso)
            .map_err(|e| fix = e.fix())
            .ok()
            .map(|(day, _)| day),
        _ => None,
    };
    if parsed.is_none() {
        let fix = fix.map(|f| format!(": {f}")).unwrap_or_default();
        d.push(Diagnostic::at(
            &file.path,
            &file.text,
            v.span(),
            format!(
                "{what} must be a date like 2020-07-21 (a TOML date or a \"YYYY-MM-DD\" string){fix}"
            ),
        ));
    }
    parsed
}

/// `amount_wan` as a number or a decimal string.
pub(super) fn amount_value(
    v: &Spanned<toml::Value>,
    file: &SourceFile,
    d: &mut Diagnostics,
) -> Option<Decimal> {
    let parsed = match v.get_ref() {
        toml::Value::Integer(i) => Some(Decimal::from(*i)),
        toml::Value::Float(f) => Decimal::try_from(*f).ok().map(|x| x.normalize()),
        toml::Value::String(s) => Decimal::from_str(s.trim()).ok(),
        _ => None,
    };
    // A number TOML reads but no amount holds (1e308): too large, not negative.
    let too_large = matches!(v.get_ref(), toml::Value::Float(f) if f.is_finite() && *f > 0.0);
    match parsed {
        Some(a) if a >= Decimal::ZERO => Some(a),
        None if too_large => {
            let typed = file.text.get(v.span()).unwrap_or("").trim();
            d.push(Diagnostic::at(
                &file.path,
                &file.text,
                v.span(),
                format!(
                    "amount_wan = {} is too large: expected an amount in 万元 of at most 18 digits, such as 3 or 2.5",
                    crate::content::diag::cut(typed, 40)
                ),
            ));
            None
        }
        _ => {
            d.push(Diagnostic::at(
                &file.path,
                &file.text,
                v.span(),
                "amount_wan must be a non-negative amount in 万元: a number (3, 2.5) or a decimal string (\"2.5\")",
            ));
            None
        }
    }
}
