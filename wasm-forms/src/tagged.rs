//! Reading `kind`-tagged tables (schema and scoring rules) without serde's buffering.
//!
//! `#[serde(tag = "kind")]` enums deserialize every variant through serde's internal
//! `Content` buffer, which copies the whole deserializer per variant into the browser
//! bundle. The rule enums instead read their keys once into a flat set of optional
//! values and then check them against the chosen kind's fields here, with serde's own
//! error messages (`missing field`, `unknown field … expected one of`, `unknown variant`).
//! In the wire form ([`crate::wire`]) a rule is what its derived `Serialize` writes:
//! the kind, then the variant's fields in declaration order, read with [`next`].

use std::marker::PhantomData;

use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer};

/// A `kind`-tagged enum read by [`deserialize`]: its kinds, the slots its tables are read
/// into, and how a value is made from those slots or from the wire form's sequence.
pub(crate) trait Tagged: Sized {
    type Slots: Slots;
    /// Every kind with its keys (for the messages of [`Seen::check`]).
    const KINDS: &'static [KindSpec];
    /// The kinds' names, as serde's `unknown variant` message lists them.
    const NAMES: &'static [&'static str];
    /// What a table is, for serde's `invalid type … expected` message.
    const EXPECTING: &'static str;
    /// The kind and the most fields any kind has: the length of the wire form's tuple.
    const WIRE_LEN: usize;
    /// The value of kind `spec` from the keys read into `slots` (checked against the kind).
    fn from_slots<E: de::Error>(spec: &'static KindSpec, slots: Self::Slots) -> Result<Self, E>;
    /// The value of `kind` from the rest of the wire form's sequence (its fields in
    /// declaration order); `Ok(None)` for a kind it does not have.
    fn from_seq<'de, A: SeqAccess<'de>>(kind: &str, seq: &mut A) -> Result<Option<Self>, A::Error>;
}

/// `Deserialize::deserialize` of a [`Tagged`] enum: a table with a `kind` in a
/// self-describing format, the kind and its fields in sequence in the wire form.
pub(crate) fn deserialize<'de, T: Tagged, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    if d.is_human_readable() {
        d.deserialize_map(TaggedVisitor::<T>(PhantomData))
    } else {
        d.deserialize_tuple(T::WIRE_LEN, TaggedVisitor::<T>(PhantomData))
    }
}

struct TaggedVisitor<T>(PhantomData<T>);

impl<'de, T: Tagged> Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(T::EXPECTING)
    }

    /// The wire form: the kind, then the variant's fields in declaration order.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let kind: String = next(&mut seq)?;
        T::from_seq(&kind, &mut seq)?.ok_or_else(|| de::Error::unknown_variant(&kind, T::NAMES))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let (spec, slots) = read_table::<A, T::Slots>(map, T::KINDS, T::NAMES)?;
        T::from_slots(spec, slots)
    }
}

/// The keys of one reader's tables, read into optional slots: the string-valued keys by
/// position in [`Slots::STRS`], the others by [`Slots::read_other`].
pub(crate) trait Slots: Default {
    const STRS: &'static [&'static str];
    /// The slot of `STRS[i]`.
    fn str_slot(&mut self, i: usize) -> &mut Option<String>;
    /// Reads the value of `key` (recorded in `seen`) when some kind has it; `Ok(false)`
    /// for a key no kind has, whose value is then skipped.
    fn read_other<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        seen: &mut Seen,
    ) -> Result<bool, A::Error>;
}

/// Reads one table of a self-describing format (TOML, JSON): `kind`, then every other
/// key into its slot, then checks the keys against the kind. The schema's and the
/// scoring part's rule readers share this loop.
fn read_table<'de, A: MapAccess<'de>, S: Slots>(
    mut map: A,
    kinds: &'static [KindSpec],
    names: &'static [&'static str],
) -> Result<(&'static KindSpec, S), A::Error> {
    let mut kind: Option<String> = None;
    let mut slots = S::default();
    let mut seen = Seen::default();
    while let Some(key) = map.next_key::<String>()? {
        if key == "kind" {
            if kind.is_some() {
                return Err(de::Error::duplicate_field("kind"));
            }
            kind = map.next_value()?;
        } else if let Some(i) = S::STRS.iter().position(|k| *k == key) {
            seen.key(S::STRS[i])?;
            *slots.str_slot(i) = map.next_value()?;
        } else if !slots.read_other(&key, &mut map, &mut seen)? {
            map.next_value::<IgnoredAny>()?;
            seen.unknown(key);
        }
    }
    let spec = seen.check(kind, kinds, names)?;
    Ok((spec, slots))
}

/// One kind of a tagged table: its name, its keys and which of them are required.
pub(crate) struct KindSpec {
    pub name: &'static str,
    pub fields: &'static [&'static str],
    pub required: &'static [&'static str],
}

/// The keys read so far from one table.
#[derive(Default)]
pub(crate) struct Seen {
    keys: Vec<&'static str>,
    unknown: Option<String>,
}

impl Seen {
    /// Records a known key; a key given twice is serde's `duplicate field` error.
    pub fn key<E: de::Error>(&mut self, key: &'static str) -> Result<(), E> {
        if self.keys.contains(&key) {
            return Err(E::duplicate_field(key));
        }
        self.keys.push(key);
        Ok(())
    }

    /// Records a key no kind has (reported once the kind and its keys are known).
    pub fn unknown(&mut self, key: String) {
        self.unknown.get_or_insert(key);
    }

    /// Finds the kind and checks the keys read against it.
    pub fn check<E: de::Error>(
        &self,
        kind: Option<String>,
        kinds: &'static [KindSpec],
        names: &'static [&'static str],
    ) -> Result<&'static KindSpec, E> {
        let kind = kind.ok_or_else(|| E::missing_field("kind"))?;
        let spec = kinds
            .iter()
            .find(|k| k.name == kind)
            .ok_or_else(|| E::unknown_variant(&kind, names))?;
        if let Some(u) = &self.unknown {
            return Err(E::unknown_field(u, spec.fields));
        }
        if let Some(k) = self.keys.iter().find(|k| !spec.fields.contains(k)) {
            return Err(E::unknown_field(k, spec.fields));
        }
        if let Some(r) = spec.required.iter().find(|r| !self.keys.contains(r)) {
            return Err(E::missing_field(r));
        }
        Ok(spec)
    }
}

/// A number read as `f64` where a `u32` is expected, with serde's messages.
pub(crate) fn to_u32<E: de::Error>(v: f64) -> Result<u32, E> {
    if v.fract() != 0.0 || !v.is_finite() {
        Err(E::invalid_type(Unexpected::Float(v), &"u32"))
    } else if (0.0..=f64::from(u32::MAX)).contains(&v) {
        Ok(v as u32)
    } else {
        Err(E::invalid_value(Unexpected::Signed(v as i64), &"u32"))
    }
}

/// The next field of a rule in the wire form; a rule cut short is an error.
pub(crate) fn next<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
    seq: &mut A,
) -> Result<T, A::Error> {
    seq.next_element()?
        .ok_or_else(|| de::Error::custom("a rule of the wire form ends early"))
}
