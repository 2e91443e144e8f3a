//! The engine's sorted maps and sets: [`VecMap`] and [`VecSet`], a `Vec` kept sorted by
//! key, in place of std's `BTreeMap` and `BTreeSet`.
//!
//! Why: every key and value type of a `BTreeMap` monomorphises the whole B-tree (node
//! splits and merges, insert_recursing, navigation, clone, drop, IntoIter): in the
//! evaluation report's bundle 11–14 such instances were 63 KB of 438 KB raw, about
//! 14.7 KB of the 149.8 KB gzip (measured with twiggy); with these maps in their place
//! (and serde_json's `Map` no longer given a `remove`) the bundle was 9.7 KB gzip
//! smaller. A sorted vector is a binary search and a `Vec::insert` per type.
//! The engine's maps are small (the levels of an indicator, the indicators of a survey,
//! a year's holidays, a form's inputs, the programs of a collection), where a vector's
//! insert is also the faster one. Where there may be one key per table row or per
//! collected response, in no order (the duplicate checks), an insert each would move
//! half the vector every time: [`VecMap::group`] sorts those pairs once instead. The
//! one B-tree left in the bundles is serde_json's `Map`.
//!
//! They behave as `BTreeMap`/`BTreeSet` where the engine uses them: iteration in key
//! order, `insert` replaces the value of an equal key (and keeps the key), serde writes a
//! map (or sequence) in key order and reads one back with the later of two equal keys
//! winning. `FromIterator` inserts one pair at a time (no sort instance per type).

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};

/// A map kept as its keys in a sorted vector (unique) and its values in a second vector,
/// in the same order. Two vectors rather than one of pairs: the search is then one
/// instance per key type, shared by every map with `String` keys.
#[derive(Clone, PartialEq, Eq)]
pub struct VecMap<K, V> {
    keys: Vec<K>,
    values: Vec<V>,
}

impl<K, V> VecMap<K, V> {
    /// An empty map (no allocation).
    pub const fn new() -> Self {
        VecMap {
            keys: Vec::new(),
            values: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The pairs in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.keys.iter().zip(self.values.iter()))
    }

    /// The pairs in key order, values mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&K, &mut V)> {
        self.keys.iter().zip(self.values.iter_mut())
    }

    /// The keys in order.
    pub fn keys(&self) -> std::slice::Iter<'_, K> {
        self.keys.iter()
    }

    /// The values in key order.
    pub fn values(&self) -> std::slice::Iter<'_, V> {
        self.values.iter()
    }
}

/// `Ok(i)`: `key` is at `i` of the sorted `keys`; `Err(i)`: it would go at `i`.
fn find<K: Borrow<Q>, Q: Ord + ?Sized>(keys: &[K], key: &Q) -> Result<usize, usize> {
    keys.binary_search_by(|k| k.borrow().cmp(key))
}

/// The place of `key` in the sorted `keys`: `Ok(i)` where an equal key already is (it
/// stays; `key` is dropped), `Err(i)` where `key` has just been inserted. The half of an
/// insert that does not depend on the value type.
fn place<K: Ord>(keys: &mut Vec<K>, key: K) -> Result<usize, usize> {
    let at = find(keys, &key);
    if let Err(i) = at {
        keys.insert(i, key);
    }
    at
}

impl<K: Ord, V> VecMap<K, V> {
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        find(&self.keys, key).ok().map(|i| &self.values[i])
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match find(&self.keys, key) {
            Ok(i) => Some(&mut self.values[i]),
            Err(_) => None,
        }
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        find(&self.keys, key).is_ok()
    }

    /// Inserts `value` under `key`; an equal key already present keeps its place (and
    /// itself) and its old value is returned, as `BTreeMap::insert` does.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match place(&mut self.keys, key) {
            Ok(i) => Some(std::mem::replace(&mut self.values[i], value)),
            Err(i) => {
                self.values.insert(i, value);
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let i = find(&self.keys, key).ok()?;
        self.keys.remove(i);
        Some(self.values.remove(i))
    }

    /// The value of `key`, inserted by `make` when absent: `entry(key).or_insert_with`.
    pub fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match place(&mut self.keys, key) {
            Ok(i) => i,
            Err(i) => {
                self.values.insert(i, make());
                i
            }
        };
        &mut self.values[i]
    }

    /// The value of `key`, inserted as `V::default()` when absent: `entry(key).or_default`.
    pub fn get_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        self.get_or_insert_with(key, V::default)
    }
}

impl<K: Ord, V> VecMap<K, Vec<V>> {
    /// The values of `pairs` grouped by key: each key once, with its values in the order
    /// given. For many pairs in no order (the cells of a table column, the response ids
    /// of a collection): one stable sort, n log n, where an insert per pair would move
    /// half the map each time.
    pub fn group(pairs: Vec<(K, V)>) -> Self {
        let mut map: Self = VecMap::new();
        for (k, v) in merge_sort(pairs) {
            match (map.keys.last(), map.values.last_mut()) {
                (Some(last), Some(group)) if *last == k => group.push(v),
                _ => {
                    map.keys.push(k);
                    map.values.push(vec![v]);
                }
            }
        }
        map
    }
}

/// `pairs` sorted by key, stably (equal keys keep their order): a top-down merge sort,
/// a small instance per type where std's sort would add tens of KB to the bundle.
fn merge_sort<K: Ord, V>(mut pairs: Vec<(K, V)>) -> Vec<(K, V)> {
    if pairs.len() < 2 {
        return pairs;
    }
    let right = merge_sort(pairs.split_off(pairs.len() / 2));
    let left = merge_sort(pairs);
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut right = right.into_iter();
    let mut next = right.next();
    for l in left {
        // Only a smaller key goes before `l`: of equal keys the left one stays first.
        while let Some(r) = next.take_if(|r| r.0 < l.0) {
            out.push(r);
            next = right.next();
        }
        out.push(l);
    }
    out.extend(next);
    out.extend(right);
    out
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap::new()
    }
}

/// `map[&key]`, as for a `BTreeMap`: panics when the key is absent (for tests; the
/// engine uses [`VecMap::get`]).
impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for VecMap<K, V> {
    type Output = V;

    fn index(&self, key: &Q) -> &V {
        match self.get(key) {
            Some(v) => v,
            None => panic!("no such key in the map"),
        }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A map of the pairs, inserted one at a time (of a key given twice the last value
/// stays), as `collect::<BTreeMap<_, _>>()` gives.
impl<K: Ord, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut map = VecMap::new();
        map.extend(pairs);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for VecMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, pairs: I) {
        for (k, v) in pairs {
            self.insert(k, v);
        }
    }
}

/// The pairs of a [`VecMap`] in key order, borrowed.
#[derive(Clone)]
pub struct Iter<'a, K, V>(std::iter::Zip<std::slice::Iter<'a, K>, std::slice::Iter<'a, V>>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back()
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::iter::Zip<std::vec::IntoIter<K>, std::vec::IntoIter<V>>;

    fn into_iter(self) -> Self::IntoIter {
        self.keys.into_iter().zip(self.values)
    }
}

/// A map in key order, as serde writes a `BTreeMap`.
impl<K: Serialize, V: Serialize> Serialize for VecMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// A map; of two equal keys the later value wins, as in a `BTreeMap` read by serde.
impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for VecMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = VecMap<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = VecMap::new();
                while let Some((k, v)) = access.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// A set kept as a sorted vector of unique values.
#[derive(Clone, PartialEq, Eq)]
pub struct VecSet<T> {
    values: Vec<T>,
}

impl<T> VecSet<T> {
    /// An empty set (no allocation).
    pub const fn new() -> Self {
        VecSet { values: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.values.iter()
    }
}

impl<T: Ord> VecSet<T> {
    /// Adds `value`; `false` when an equal value was already there (which stays).
    pub fn insert(&mut self, value: T) -> bool {
        place(&mut self.values, value).is_err()
    }

    pub fn contains<Q>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        find(&self.values, value).is_ok()
    }

    pub fn remove<Q>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match find(&self.values, value) {
            Ok(i) => {
                self.values.remove(i);
                true
            }
            Err(_) => false,
        }
    }
}

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        VecSet::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<T: Ord> FromIterator<T> for VecSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(values: I) -> Self {
        let mut set = VecSet::new();
        for v in values {
            set.insert(v);
        }
        set
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T> IntoIterator for VecSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.values.into_iter()
    }
}

/// A sequence in order, as serde writes a `BTreeSet`.
impl<T: Serialize> Serialize for VecSet<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// A sequence; of equal values the first is kept, as in a `BTreeSet` read by serde.
impl<'de, T: Deserialize<'de> + Ord> Deserialize<'de> for VecSet<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeqVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Ord> Visitor<'de> for SeqVisitor<T> {
            type Value = VecSet<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut set = VecSet::new();
                while let Some(v) = access.next_element()? {
                    set.insert(v);
                }
                Ok(set)
            }
        }
        deserializer.deserialize_seq(SeqVisitor(PhantomData))
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// One operation on a map, applied to both a `VecMap` and a `BTreeMap`.
    #[derive(Debug, Clone)]
    enum Op {
        Insert(u8, u16),
        Remove(u8),
        Get(u8),
        GetOrInsert(u8, u16),
        AddToDefault(u8, u16),
    }

    fn op() -> impl Strategy<Value = Op> {
        // Keys from a small range so that equal keys are common.
        prop_oneof![
            (0u8..24, any::<u16>()).prop_map(|(k, v)| Op::Insert(k, v)),
            (0u8..24).prop_map(Op::Remove),
            (0u8..24).prop_map(Op::Get),
            (0u8..24, any::<u16>()).prop_map(|(k, v)| Op::GetOrInsert(k, v)),
            (0u8..24, any::<u16>()).prop_map(|(k, v)| Op::AddToDefault(k, v)),
        ]
    }

    proptest! {
        #[test]
        fn same_as_btree_map(ops in proptest::collection::vec(op(), 0..120)) {
            let mut ours: VecMap<u8, u16> = VecMap::new();
            let mut std: BTreeMap<u8, u16> = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => prop_assert_eq!(ours.insert(k, v), std.insert(k, v)),
                    Op::Remove(k) => prop_assert_eq!(ours.remove(&k), std.remove(&k)),
                    Op::Get(k) => {
                        prop_assert_eq!(ours.get(&k), std.get(&k));
                        prop_assert_eq!(ours.contains_key(&k), std.contains_key(&k));
                    }
                    Op::GetOrInsert(k, v) => {
                        prop_assert_eq!(
                            *ours.get_or_insert_with(k, || v),
                            *std.entry(k).or_insert_with(|| v)
                        );
                    }
                    Op::AddToDefault(k, v) => {
                        let a = ours.get_or_default(k);
                        *a = a.wrapping_add(v);
                        let b = std.entry(k).or_default();
                        *b = b.wrapping_add(v);
                        if let Some(x) = ours.get_mut(&k) {
                            *x ^= 1;
                        }
                        if let Some(x) = std.get_mut(&k) {
                            *x ^= 1;
                        }
                    }
                }
                prop_assert_eq!(ours.len(), std.len());
            }
            let pairs: Vec<(u8, u16)> = ours.iter().map(|(k, v)| (*k, *v)).collect();
            let expected: Vec<(u8, u16)> = std.iter().map(|(k, v)| (*k, *v)).collect();
            prop_assert_eq!(&pairs, &expected);
            prop_assert_eq!(ours.keys().copied().collect::<Vec<_>>(), std.keys().copied().collect::<Vec<_>>());
            prop_assert_eq!(ours.values().copied().collect::<Vec<_>>(), std.values().copied().collect::<Vec<_>>());
            prop_assert_eq!(ours.into_iter().collect::<Vec<_>>(), expected);
        }

        #[test]
        fn collect_is_btree_collect(pairs in proptest::collection::vec((0u8..16, any::<u32>()), 0..40)) {
            let ours: VecMap<u8, u32> = pairs.iter().copied().collect();
            let std: BTreeMap<u8, u32> = pairs.into_iter().collect();
            prop_assert_eq!(ours.into_iter().collect::<Vec<_>>(), std.into_iter().collect::<Vec<_>>());
        }

        #[test]
        fn set_same_as_btree_set(ops in proptest::collection::vec((any::<bool>(), 0u8..24), 0..120)) {
            let mut ours: VecSet<u8> = VecSet::new();
            let mut std: BTreeSet<u8> = BTreeSet::new();
            for (add, v) in ops {
                if add {
                    prop_assert_eq!(ours.insert(v), std.insert(v));
                } else {
                    prop_assert_eq!(ours.remove(&v), std.remove(&v));
                }
                prop_assert_eq!(ours.contains(&v), std.contains(&v));
                prop_assert_eq!(ours.len(), std.len());
            }
            prop_assert_eq!(ours.iter().copied().collect::<Vec<_>>(), std.iter().copied().collect::<Vec<_>>());
            prop_assert_eq!(ours.into_iter().collect::<Vec<_>>(), std.into_iter().collect::<Vec<_>>());
        }

        #[test]
        fn json_same_as_btree_map(pairs in proptest::collection::vec(("[a-e]{0,3}", any::<i32>()), 0..30)) {
            let ours: VecMap<String, i32> = pairs.iter().cloned().collect();
            let std: BTreeMap<String, i32> = pairs.into_iter().collect();
            let json = serde_json::to_string(&ours).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&std).unwrap());
            prop_assert_eq!(
                serde_json::to_string_pretty(&ours).unwrap(),
                serde_json::to_string_pretty(&std).unwrap()
            );
            let back: VecMap<String, i32> = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, ours);
        }

        #[test]
        fn reads_json_as_btree_map(pairs in proptest::collection::vec(("[a-d]{0,2}", any::<i32>()), 0..30)) {
            // A JSON object written by hand: keys in any order, some given twice.
            let body: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}:{v}", serde_json::to_string(k).unwrap()))
                .collect();
            let json = format!("{{{}}}", body.join(","));
            let ours: VecMap<String, i32> = serde_json::from_str(&json).unwrap();
            let std: BTreeMap<String, i32> = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(
                ours.into_iter().collect::<Vec<_>>(),
                std.into_iter().collect::<Vec<_>>()
            );
        }

        #[test]
        fn postcard_same_as_btree(pairs in proptest::collection::vec((any::<i32>(), "[a-z]{0,4}"), 0..30)) {
            let ours: VecMap<i32, String> = pairs.iter().cloned().collect();
            let std: BTreeMap<i32, String> = pairs.into_iter().collect();
            let bytes = postcard::to_allocvec(&ours).unwrap();
            prop_assert_eq!(&bytes, &postcard::to_allocvec(&std).unwrap());
            let back: VecMap<i32, String> = postcard::from_bytes(&bytes).unwrap();
            prop_assert_eq!(back, ours);
        }

        #[test]
        fn set_json_same_as_btree_set(values in proptest::collection::vec("[a-e]{0,3}", 0..30)) {
            let ours: VecSet<String> = values.iter().cloned().collect();
            let std: BTreeSet<String> = values.iter().cloned().collect();
            let json = serde_json::to_string(&ours).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&std).unwrap());
            let unsorted = serde_json::to_string(&values).unwrap();
            let back: VecSet<String> = serde_json::from_str(&unsorted).unwrap();
            prop_assert_eq!(back, ours);
        }
    }

    proptest! {
        #[test]
        fn group_is_btree_grouping(pairs in proptest::collection::vec((0u8..12, any::<u16>()), 0..200)) {
            let mut std: BTreeMap<u8, Vec<u16>> = BTreeMap::new();
            for &(k, v) in &pairs {
                std.entry(k).or_default().push(v);
            }
            let ours = VecMap::group(pairs);
            prop_assert_eq!(ours.into_iter().collect::<Vec<_>>(), std.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn group_of_many_unordered_keys() {
        // 10,000 keys in a scrambled order, each twice: every group has both, in order.
        let n = 10_000u32;
        let pairs: Vec<(String, u32)> = (0..2 * n)
            .map(|i| (format!("id{}", (i % n) * 7919 % n), i))
            .collect();
        let groups = VecMap::group(pairs);
        assert_eq!(groups.len(), n as usize);
        let keys: Vec<&String> = groups.keys().collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        for (k, at) in &groups {
            assert_eq!(at.len(), 2, "{k}");
            assert_eq!(at[1], at[0] + n, "{k}");
        }
    }

    #[test]
    fn insert_keeps_the_first_key_and_returns_the_old_value() {
        // Keys equal by Ord but told apart by a second field: BTreeMap keeps the first.
        #[derive(Debug, Clone, Copy)]
        struct K(u8, u8);
        impl PartialEq for K {
            fn eq(&self, o: &Self) -> bool {
                self.0 == o.0
            }
        }
        impl Eq for K {}
        impl PartialOrd for K {
            fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(o))
            }
        }
        impl Ord for K {
            fn cmp(&self, o: &Self) -> std::cmp::Ordering {
                self.0.cmp(&o.0)
            }
        }
        let mut ours = VecMap::new();
        let mut std = BTreeMap::new();
        for (k, v) in [(K(2, 0), 'a'), (K(1, 0), 'b'), (K(2, 1), 'c')] {
            assert_eq!(ours.insert(k, v), std.insert(k, v));
        }
        let ours: Vec<(u8, u8, char)> = ours.iter().map(|(k, v)| (k.0, k.1, *v)).collect();
        let std: Vec<(u8, u8, char)> = std.iter().map(|(k, v)| (k.0, k.1, *v)).collect();
        assert_eq!(ours, std);
        assert_eq!(ours, [(1, 0, 'b'), (2, 0, 'c')]);
    }

    #[test]
    fn debug_is_btree_map_debug() {
        let ours: VecMap<&str, u8> = [("b", 2), ("a", 1)].into_iter().collect();
        let std: BTreeMap<&str, u8> = [("b", 2), ("a", 1)].into_iter().collect();
        assert_eq!(format!("{ours:?}"), format!("{std:?}"));
        let set: VecSet<u8> = [3, 1, 3].into_iter().collect();
        assert_eq!(format!("{set:?}"), "{1, 3}");
    }

    #[test]
    fn reading_a_non_map_is_an_error() {
        let e = serde_json::from_str::<VecMap<String, u8>>("[1]").unwrap_err();
        assert!(e.to_string().contains("expected a map"), "{e}");
        let e = serde_json::from_str::<VecMap<String, u8>>(r#"{"a":"x"}"#).unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
    }
}
