//! Small stand-ins for std algorithms whose generic code is large in the browser bundle.
//!
//! `slice::sort_by*` instantiates the whole driftsort (tens of KB of wasm) once per call
//! site; the lists sorted here are short (tiers, levels, one file's findings), so an
//! insertion sort with the same result (stable, same order) is enough.

use std::cmp::Ordering;

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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_as_std_stable_sort(v in prop::collection::vec((0u8..4, any::<u16>()), 0..40)) {
            let mut a = v.clone();
            let mut b = v;
            a.sort_by_key(|x| x.0);
            sort_by(&mut b, |x, y| x.0.cmp(&y.0));
            prop_assert_eq!(a, b);
        }
    }
}
