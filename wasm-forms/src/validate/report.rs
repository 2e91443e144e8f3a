//! What validation takes besides the schema ([`Context`]) and what it returns
//! ([`Report`], with the running sums of [`SumLine`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::calendar::Calendar;
use crate::finding::Finding;
use crate::rules::NoticeRules;

/// What validation needs besides the schema: the notice's rules, the working-day
/// calendar (for deadlines) and today's date (id numbers' birth dates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    #[serde(default)]
    pub rules: NoticeRules,
    #[serde(default)]
    pub calendar: Option<Calendar>,
    pub today: NaiveDate,
}

/// How findings number the rows of a table read from a file: row `i` (0-based) of the
/// table `table` is "第 `lines[i]` 行", the line (or sheet row) it was read from
/// ([`crate::io::TableRead::lines`]). Any other table, and a row past `lines`, is
/// "第 `i + 1` 行", as the default numbers every row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowNumbers<'a> {
    /// The table's id.
    pub table: &'a str,
    pub lines: &'a [usize],
}

impl RowNumbers<'_> {
    /// The number of row `i` (0-based) of the table `table` in messages.
    pub fn of(&self, table: &str, i: usize) -> usize {
        match self.lines.get(i) {
            Some(&line) if table == self.table => line,
            _ => i + 1,
        }
    }
}

/// The result of validating one response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// True when no finding is an error.
    pub valid: bool,
    pub findings: Vec<Finding>,
    /// The values after normalisation (full-width digits converted, spaces trimmed …);
    /// values that failed validation are kept as given, empty ones are left out.
    pub values: Map<String, Value>,
    /// Normalisations made, shown to the user (severity `warning`, never errors).
    pub notes: Vec<Finding>,
    /// Computed values (`total_hours`, `recommended_outcomes`, `organizer_passed`, …).
    pub computed: Map<String, Value>,
    /// For each `sum_equals` rule, the running sum of its items beside the total (shown
    /// live on the page while the amounts are typed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sums: Vec<SumLine>,
}

/// The state of one `sum_equals` rule: decimals as text (`3.5`), absent when unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SumLine {
    /// The total's field id.
    pub total: String,
    /// The sum of the valid items given so far; absent when none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sum: Option<String>,
    /// The total as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_value: Option<String>,
    /// |sum − total| when both are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference: Option<String>,
    /// sum = total, when both are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equal: Option<bool>,
}
