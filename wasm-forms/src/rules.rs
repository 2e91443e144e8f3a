//! The rules a notice sets for its programs (`[rules]` of a notice file).
//!
//! Forms never copy these numbers: the minimum number of trainees, the range of course
//! days, the minimum hours and the working-day deadlines are read from the notice that
//! attaches the form. Every field is serialised (the page carries the rules in
//! [`crate::wire`]'s form, which has no keys to leave out).
//!
//! The keys are declared once, in [`notice_rules!`](crate::notice_rules): the engine's
//! [`NoticeRules`] holds them as values, and site-gen's reading of a notice file holds
//! the same keys with the days and the date as written (to point at them in its errors).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Declares a struct with the keys of a notice's `[rules]`, every key optional, in the
/// order the wire form writes them. The caller gives the struct's attributes, the type
/// of `days` (two numbers of days, `[min, max]`) and of `complete_by` (a date), each
/// with its own attributes.
#[macro_export]
macro_rules! notice_rules {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(#[$days_meta:meta])* days: $days:ty,
            $(#[$date_meta:meta])* complete_by: $date:ty $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            /// 每期学员不少于 N 名 / 学员不少于 N 人.
            #[serde(default)]
            pub min_trainees: Option<u32>,
            /// 研修时间 min-max 天, inclusive (may be halves, e.g. 2.5).
            $(#[$days_meta])*
            pub days: Option<$days>,
            /// 不少于 N 学时.
            #[serde(default)]
            pub min_hours: Option<f64>,
            /// The plan is filed N working days before the start.
            #[serde(default)]
            pub plan_due_working_days: Option<u32>,
            /// The report is due within N working days after the end.
            #[serde(default)]
            pub report_due_working_days: Option<u32>,
            /// Every program is done by this date.
            $(#[$date_meta])*
            pub complete_by: Option<$date>,
        }
    };
}

notice_rules! {
    /// `[rules]` of a notice; every key optional.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct NoticeRules {
        #[serde(default)]
        days: [f64; 2],
        #[serde(default, deserialize_with = "crate::date::deserialize_opt")]
        complete_by: NaiveDate,
    }
}
