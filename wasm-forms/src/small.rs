//! Small stand-ins for std algorithms whose generic code is large in the browser bundle.
//!
//! `slice::sort_by*` instantiates the whole driftsort (tens of KB of wasm) once per call
//! site; the lists sorted here are short (tiers, levels, one file's findings), so an
//! insertion sort with the same result (stable, same order) is enough. `str::parse::<f64>`
//! links a 20 KB table of powers of five; [`decimal_to_f64`] converts a decimal exactly
//! without it. `core::fmt`'s f64 printing (Grisu and Dragon, 20 KB) is replaced by
//! [`f64_text`] and [`f64_exp_text`]: the same text from the shortest digits that zmij
//! (serde_json's own float printer, already in the bundle) finds. The engine's maps and
//! sets are in [`crate::map`].

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// The shortest digits of a finite `f` that read back as `f`, without leading or trailing
/// zeros, and the position of the decimal point: `|f| = 0.d₁d₂… × 10^point`.
fn shortest_digits(f: f64) -> (bool, Vec<u8>, i32) {
    let mut buf = zmij::Buffer::new();
    let text = buf.format_finite(f);
    let negative = text.starts_with('-');
    let text = text.trim_start_matches('-');
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let mut point = int.len() as i32 + exp;
    let lead = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..lead);
    point -= lead as i32;
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (negative, digits, point)
}

/// `format!("{f}")`: the shortest digits, in plain notation (`0.2`,
/// `1000000000000000000000`, `-0`; `NaN`, `inf`, `-inf`).
pub fn f64_text(f: f64) -> String {
    if !f.is_finite() {
        return zmij::Buffer::new().format(f).to_owned();
    }
    let (negative, digits, point) = shortest_digits(f);
    let mut out = String::from(if negative { "-" } else { "" });
    let digit = |d: &u8| char::from(*d);
    if digits.is_empty() {
        out.push('0');
    } else if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', point.unsigned_abs() as usize));
        out.extend(digits.iter().map(digit));
    } else {
        let point = point as usize;
        if point >= digits.len() {
            out.extend(digits.iter().map(digit));
            out.extend(std::iter::repeat_n('0', point - digits.len()));
        } else {
            out.extend(digits[..point].iter().map(digit));
            out.push('.');
            out.extend(digits[point..].iter().map(digit));
        }
    }
    out
}

/// `format!("{f:e}")` for a finite `f`: the shortest digits with an exponent (`1e21`,
/// `1.5e-7`, `0e0`).
pub fn f64_exp_text(f: f64) -> String {
    let (negative, digits, point) = shortest_digits(f);
    let mut out = String::from(if negative { "-" } else { "" });
    match digits.split_first() {
        None => out.push_str("0e0"),
        Some((first, rest)) => {
            out.push(char::from(*first));
            if !rest.is_empty() {
                out.push('.');
                out.extend(rest.iter().map(|d| char::from(*d)));
            }
            out.push('e');
            out.push_str(&(point - 1).to_string());
        }
    }
    out
}

/// 10^0 … 10^22: the powers of ten an f64 holds exactly.
const EXACT_POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The `f64` nearest to `d` (ties to even): the same number as
/// `d.to_string().parse::<f64>()`. A mantissa below 2^53 over 10^scale ≤ 10^22 (amounts,
/// days, scores: nearly every value) is one correctly rounded division of two exact
/// floats; anything else is a long division of the mantissa by 10^scale (in wasm a u128
/// division is a slow library call, so the quick case matters on a 10,000-row roster).
pub fn decimal_to_f64(d: Decimal) -> f64 {
    let n = d.mantissa().unsigned_abs();
    let scale = d.scale() as usize;
    let v = if n == 0 {
        0.0
    } else if n < 1 << 53 && scale < EXACT_POW10.len() {
        n as f64 / EXACT_POW10[scale]
    } else {
        ratio_to_f64(n, 10u128.pow(d.scale()))
    };
    if d.is_sign_negative() {
        -v
    } else {
        v
    }
}

/// `n / den` rounded to nearest, ties to even; `0 < n < 2^127`, `0 < den < 2^126`.
fn ratio_to_f64(n: u128, den: u128) -> f64 {
    // 64 significant bits `m` of the quotient, `m × 2^e`, and whether anything is left.
    let int = n / den;
    let mut rem = n % den;
    let (mut m, mut e, mut bits): (u64, i32, u32) = (0, 0, 0);
    let mut sticky = false;
    if int != 0 {
        let b = 128 - int.leading_zeros();
        if b >= 64 {
            let shift = b - 64;
            m = (int >> shift) as u64;
            e = shift as i32;
            bits = 64;
            sticky = int & ((1u128 << shift) - 1) != 0 || rem != 0;
        } else {
            m = int as u64;
            bits = b;
        }
    }
    while bits < 64 {
        rem <<= 1;
        let bit = rem >= den;
        if bit {
            rem -= den;
        }
        m = (m << 1) | u64::from(bit);
        e -= 1;
        if m != 0 {
            bits += 1;
        }
    }
    if bits == 64 && !sticky {
        sticky = rem != 0;
    }
    // Round 64 bits to 53, ties to even.
    let mut hi = m >> 11;
    let rest = m & 0x7ff;
    e += 11;
    if rest > 0x400 || (rest == 0x400 && (sticky || hi & 1 == 1)) {
        hi += 1;
        if hi == 1 << 53 {
            hi >>= 1;
            e += 1;
        }
    }
    // hi < 2^53 is exact as f64; times a power of two (in range here) is exact.
    hi as f64 * f64::from_bits(((1023 + e) as u64) << 52)
}

/// Stable sort by `cmp`, like `slice::sort_by` (quadratic: for short lists only).
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && cmp(&v[j], &v[j - 1]) == Ordering::Less {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn by_parse(d: Decimal) -> f64 {
        d.to_string().parse::<f64>().unwrap()
    }

    #[test]
    fn f64_text_edges() {
        for f in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.2,
            2.5,
            100.0,
            1e15,
            1e16,
            1e21,
            1e22,
            1.5e-7,
            1e-5,
            0.0001,
            123456.789,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            4.8,
            92.5,
            1e300,
        ] {
            assert_eq!(f64_text(-f), format!("{}", -f), "{f:?}");
            assert_eq!(f64_text(f), format!("{f}"), "{f:?}");
            assert_eq!(f64_exp_text(f), format!("{f:e}"), "{f:?}");
        }
        for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(f64_text(f), format!("{f}"));
        }
    }

    #[test]
    fn decimal_to_f64_edges() {
        for (m, s) in [
            (1i128, 0u32),
            (48, 1),
            (2, 1),
            (1, 28),
            (-7, 3),
            ((1i128 << 96) - 1, 0),
            ((1i128 << 96) - 1, 28),
            ((1i128 << 96) - 1, 14),
            (9007199254740993, 0),
            (9007199254740993, 1),
            (123456789012345678901234567, 5),
        ] {
            let d = Decimal::from_i128_with_scale(m, s);
            assert_eq!(decimal_to_f64(d).to_bits(), by_parse(d).to_bits(), "{d}");
        }
    }

    proptest! {
        #[test]
        fn same_as_std_stable_sort(v in prop::collection::vec((0u8..4, any::<u16>()), 0..40)) {
            let mut a = v.clone();
            let mut b = v;
            a.sort_by_key(|x| x.0);
            sort_by(&mut b, |x, y| x.0.cmp(&y.0));
            prop_assert_eq!(a, b);
        }

        #[test]
        fn f64_text_same_as_std(bits in any::<u64>()) {
            let f = f64::from_bits(bits);
            if f.is_finite() {
                prop_assert_eq!(f64_text(f), format!("{f}"));
                prop_assert_eq!(f64_exp_text(f), format!("{f:e}"));
            }
        }

        #[test]
        fn f64_text_same_as_std_for_short_decimals(m in any::<i32>(), s in 0u32..12) {
            let f = f64::from(m) / 10f64.powi(s as i32);
            prop_assert_eq!(f64_text(f), format!("{f}"));
            prop_assert_eq!(f64_exp_text(f), format!("{f:e}"));
        }

        #[test]
        fn decimal_to_f64_same_as_parse(m in any::<i128>(), s in 0u32..=28, bits in 1u32..=96) {
            let m = m % (1i128 << bits);
            let d = Decimal::from_i128_with_scale(m, s);
            prop_assert_eq!(decimal_to_f64(d).to_bits(), by_parse(d).to_bits(), "{}", d);
        }
    }
}
