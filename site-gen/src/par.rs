//! Order-preserving parallel maps on rayon's pool: rendering and writing use all cores,
//! and a map inside a map (a large group page's rows inside the pages' map) shares the
//! same threads instead of starting more.

use rayon::prelude::*;

/// `items.iter().map(f)` on all cores, results in order; inline when there are fewer
/// than `min_items` items (each too cheap to be worth handing to another thread).
pub fn map<T: Sync, R: Send>(items: &[T], min_items: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() < min_items.max(2) {
        return items.iter().map(f).collect();
    }
    items.par_iter().map(&f).collect()
}

/// Like [`map`], for items of very different cost (an idle thread steals from a busy
/// one), where at most one item for which `big` is true runs at a time: the big ones
/// run one after another on one thread while the others share the rest, so the memory
/// of the largest items is never held twice at once. Results are in the order of `items`.
pub fn map_dynamic_one_big<T: Sync, R: Send>(
    items: &[T],
    big: impl Fn(&T) -> bool,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let (bigs, smalls): (Vec<usize>, Vec<usize>) = (0..items.len()).partition(|&i| big(&items[i]));
    let (big_done, small_done) = rayon::join(
        || bigs.iter().map(|&i| f(&items[i])).collect::<Vec<R>>(),
        // One task per item: rayon's default split of a slice assumes items of equal
        // cost and, once split as many times as there are threads, runs the rest of a
        // part on one thread; with the costliest items first (as the pages are ordered),
        // one thread then rendered 84 % of a 10,000-program site while the other idled.
        || {
            smalls
                .par_iter()
                .with_max_len(1)
                .map(|&i| f(&items[i]))
                .collect::<Vec<R>>()
        },
    );
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, r) in bigs
        .into_iter()
        .zip(big_done)
        .chain(smalls.into_iter().zip(small_done))
    {
        slots[i] = Some(r);
    }
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn map_keeps_the_order_of_items() {
        let items: Vec<u64> = (0..1000).collect();
        let out = super::map(&items, 8, |&i| i * 2);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn map_dynamic_one_big_shares_the_costly_items_first_in_line_between_threads() {
        use std::collections::HashSet;
        use std::sync::Mutex;
        // As the pages are ordered: the costliest first. Each of the first 32 items takes
        // 3 ms; rayon's default split would run them all on one thread.
        let items: Vec<u64> = (0..128).collect();
        let threads = Mutex::new(HashSet::new());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        pool.install(|| {
            super::map_dynamic_one_big(
                &items,
                |_| false,
                |&i| {
                    if i < 32 {
                        threads.lock().unwrap().insert(std::thread::current().id());
                        std::thread::sleep(std::time::Duration::from_millis(3));
                    }
                },
            )
        });
        assert_eq!(threads.lock().unwrap().len(), 2);
    }

    #[test]
    fn map_dynamic_one_big_keeps_the_order_and_never_runs_two_big_items_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let items: Vec<u64> = (0..200).collect();
        let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let out = super::map_dynamic_one_big(
            &items,
            |&i| i % 10 == 0,
            |&i| {
                if i % 10 == 0 {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(2));
                    running.fetch_sub(1, Ordering::SeqCst);
                }
                i * 2
            },
        );
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(most.load(Ordering::SeqCst), 1);
    }
}
