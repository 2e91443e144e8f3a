//! Small stand-ins for std algorithms whose generic code is large in the browser bundle.
//!
//! `slice::sort_by*` instantiates the whole driftsort (tens of KB of wasm) once per call
//! site; the lists sorted here are short (tiers, levels, one file's findings), so an
//! insertion sort with the same result (stable, same order) is enough. `str::parse::<f64>`
//! links a 20 KB table of powers of five; [`decimal_to_f64`] converts a decimal exactly
//! without it.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// The `f64` nearest to `d` (ties to even): the same number as
/// `d.to_string().parse::<f64>()`, by long division of the mantissa by 10^scale.
pub fn decimal_to_f64(d: Decimal) -> f64 {
    let n = d.mantissa().unsigned_abs();
    let v = if n == 0 {
        0.0
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
        fn decimal_to_f64_same_as_parse(m in any::<i128>(), s in 0u32..=28, bits in 1u32..=96) {
            let m = m % (1i128 << bits);
            let d = Decimal::from_i128_with_scale(m, s);
            prop_assert_eq!(decimal_to_f64(d).to_bits(), by_parse(d).to_bits(), "{}", d);
        }
    }
}
