//! Test helpers: valid id numbers.

use wasm_forms::fields::id_check_char;

use crate::core_support::d;

/// A valid id number born 1980-01-01 + `n` days, with digit 17 odd (男) or even (女).
pub fn id(n: u32, male: bool) -> String {
    let birth = d("1980-01-01") + chrono::Duration::days(i64::from(n % 7000));
    let seq = (n % 50) * 2 + u32::from(male);
    let body = format!("330302{}{:03}", birth.format("%Y%m%d"), seq);
    let check = id_check_char(&body).unwrap();
    format!("{body}{check}")
}
