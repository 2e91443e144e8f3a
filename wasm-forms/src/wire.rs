//! The schema's wire form: how a form page hands its checked schema to the browser
//! engine.
//!
//! `site-gen` writes each form's [`FormSchema`](crate::schema::FormSchema) into the page
//! as postcard (serde's compact format that is not self-describing: the fields in
//! declaration order, no keys, no numbers as text) in unpadded base64url, and the
//! engine's constructor reads it back here. Reading JSON instead made serde derive, for
//! every schema type, a key matcher, a map and a sequence visitor around serde_json's
//! parser: 148 KB of the 412 KB survey bundle; postcard reaches only the sequence
//! visitors. The types whose serde form needs a self-describing format (`Bound`, the
//! decimals of `dec`, the two `kind`-tagged rule enums) take a plain form when the
//! format is not human-readable (`Serializer::is_human_readable`); TOML and JSON read
//! and write them as before.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::handin::code::{b64_decode, b64_encode};

/// Why a value could not be written in the wire form or read back from it. `Display`
/// writes the message (in English: the page's own data is broken, not the user's);
/// [`crate::page::PageError`] names the part before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// postcard could not write the value.
    Write(postcard::Error),
    /// The text is not unpadded base64url.
    NotBase64,
    /// The bytes are not postcard of the type asked for.
    NotThisType(postcard::Error),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (head, e) = match self {
            WireError::Write(e) => ("cannot write the wire form: ", e),
            WireError::NotBase64 => return f.write_str("not base64url text"),
            WireError::NotThisType(e) => ("not a wire form of this type: ", e),
        };
        f.write_str(head)?;
        fmt::Display::fmt(e, f)
    }
}

impl std::error::Error for WireError {}

/// The wire text of `value`: postcard in unpadded base64url (HTML-inert as it is).
pub fn encode<T: Serialize>(value: &T) -> Result<String, WireError> {
    postcard::to_allocvec(value)
        .map(|bytes| b64_encode(&bytes))
        .map_err(WireError::Write)
}

/// Reads what [`encode`] wrote; surrounding whitespace is ignored.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, WireError> {
    let bytes = b64_decode(text.trim()).ok_or(WireError::NotBase64)?;
    postcard::from_bytes(&bytes).map_err(WireError::NotThisType)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Bound, NoticeKey};

    #[test]
    fn bounds_and_decimals_round_trip() {
        for b in [
            Bound::Value(3.5),
            Bound::Value(-0.0),
            Bound::Notice {
                notice: NoticeKey::DaysMax,
            },
        ] {
            let back: Bound = decode(&encode(&b).unwrap()).unwrap();
            assert_eq!(back, b);
        }
        let tiers = vec![crate::scoring::Tier {
            at_least: "92.5".parse().unwrap(),
            score: "0.1".parse().unwrap(),
        }];
        let back: Vec<crate::scoring::Tier> = decode(&encode(&tiers).unwrap()).unwrap();
        assert_eq!(back, tiers);
        assert_eq!(back[0].at_least.scale(), 1);
    }

    #[test]
    fn rules_and_calendars_round_trip() {
        let rules = crate::NoticeRules {
            min_trainees: Some(30),
            days: Some([2.5, 7.0]),
            complete_by: crate::date::parse("2024-11-30"),
            ..Default::default()
        };
        let back: crate::NoticeRules = decode(&encode(&rules).unwrap()).unwrap();
        assert_eq!(back, rules);
        let mut year = crate::calendar::YearDays {
            source: "国办发明电〔2023〕7号".into(),
            ..Default::default()
        };
        year.off
            .insert(crate::date::parse("2024-02-10").unwrap(), "春节".into());
        year.work
            .insert(crate::date::parse("2024-02-04").unwrap(), "春节".into());
        let cal = crate::calendar::Calendar {
            years: [(2024, year)].into_iter().collect(),
        };
        let back: crate::calendar::Calendar = decode(&encode(&cal).unwrap()).unwrap();
        assert_eq!(back, cal);
    }

    #[test]
    fn errors_are_typed_and_say_what_is_wrong() {
        assert_eq!(decode::<Bound>("{\"id\":1}"), Err(WireError::NotBase64));
        assert_eq!(WireError::NotBase64.to_string(), "not base64url text");
        let e = decode::<Bound>("").unwrap_err();
        let WireError::NotThisType(why) = &e else {
            panic!("{e:?}");
        };
        assert_eq!(
            e.to_string(),
            format!("not a wire form of this type: {why}")
        );
        assert_eq!(
            WireError::Write(postcard::Error::SerializeBufferFull).to_string(),
            format!(
                "cannot write the wire form: {}",
                postcard::Error::SerializeBufferFull
            )
        );
    }

    #[test]
    fn bad_text_is_an_error_not_a_panic() {
        assert!(decode::<Bound>("").is_err());
        assert!(decode::<Bound>("{\"id\":1}").is_err());
        assert!(decode::<Bound>("AAAA").is_err());
        let text = encode(&Bound::Value(1.0)).unwrap();
        assert!(decode::<Bound>(&text[..text.len() - 2]).is_err());
    }
}
