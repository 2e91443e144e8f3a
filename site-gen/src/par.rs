//! Order-preserving parallel map on scoped threads: rendering and writing use all cores
//! without a thread-pool dependency.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

/// Worker threads: one per core, at most 8. Asked once: on Linux the answer reads the
/// process's cgroup files, which costs more than a small job does.
fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map(std::num::NonZeroUsize::get)
            .unwrap_or(1)
            .min(8)
    })
}

/// `items.iter().map(f)` on all cores (contiguous chunks, at most 8 threads), results in
/// order; runs inline when there are fewer than `min_items` items or only one core.
pub fn map<T: Sync, R: Send>(items: &[T], min_items: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads();
    if threads <= 1 || items.len() < min_items.max(2) {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        join_all(handles).into_iter().flatten().collect()
    })
}

/// Waits for every thread, passing a thread's panic on as it was.
fn join_all<T>(handles: Vec<std::thread::ScopedJoinHandle<'_, T>>) -> Vec<T> {
    handles
        .into_iter()
        .map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
        .collect()
}

/// The results the threads made, each tagged with its item's index, in item order.
fn in_order<R>(parts: Vec<Vec<(usize, R)>>, len: usize) -> Vec<R> {
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(len).collect();
    for (i, r) in parts.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots.into_iter().flatten().collect()
}

/// Like [`map`], for items of very different cost: each thread takes the next item
/// when it has finished one, so no core idles while another has a long queue. Results
/// are in the order of `items`.
pub fn map_dynamic<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let (f, next) = (&f, &next);
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        join_all(handles)
    });
    in_order(parts, items.len())
}

/// Like [`map_dynamic`], but at most one item for which `big` is true runs at a time:
/// a thread that would take a big item while another one runs takes the next small item
/// instead, and waits only when big ones alone are left. So the memory of the largest
/// items is never held twice at once. Results are in the order of `items`.
pub fn map_dynamic_one_big<T: Sync, R: Send>(
    items: &[T],
    big: impl Fn(&T) -> bool,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads().min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let (bigs, smalls): (Vec<usize>, Vec<usize>) = (0..items.len()).partition(|&i| big(&items[i]));
    struct Queue {
        next_big: usize,
        next_small: usize,
        big_running: bool,
    }
    let queue = Mutex::new(Queue {
        next_big: 0,
        next_small: 0,
        big_running: false,
    });
    let freed = Condvar::new();
    /// Marks the running big item as done, also when it panics.
    struct Done<'a>(&'a Mutex<Queue>, &'a Condvar);
    impl Drop for Done<'_> {
        fn drop(&mut self) {
            self.0.lock().unwrap_or_else(|p| p.into_inner()).big_running = false;
            self.1.notify_all();
        }
    }
    let (f, queue, freed, bigs, smalls) = (&f, &queue, &freed, &bigs, &smalls);
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let next = {
                            let mut q = queue.lock().unwrap_or_else(|p| p.into_inner());
                            loop {
                                if !q.big_running && q.next_big < bigs.len() {
                                    q.big_running = true;
                                    q.next_big += 1;
                                    break Some((bigs[q.next_big - 1], true));
                                }
                                if q.next_small < smalls.len() {
                                    q.next_small += 1;
                                    break Some((smalls[q.next_small - 1], false));
                                }
                                if q.next_big >= bigs.len() {
                                    break None;
                                }
                                q = freed.wait(q).unwrap_or_else(|p| p.into_inner());
                            }
                        };
                        let Some((i, is_big)) = next else { break };
                        let _done = is_big.then(|| Done(queue, freed));
                        done.push((i, f(&items[i])));
                    }
                    done
                })
            })
            .collect();
        join_all(handles)
    });
    in_order(parts, items.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn map_dynamic_keeps_the_order_of_items() {
        let items: Vec<u64> = (0..1000).collect();
        let out = super::map_dynamic(&items, |&i| i * 2);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
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
