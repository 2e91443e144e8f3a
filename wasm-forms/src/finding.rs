//! Findings: what validation, scoring and aggregation report about a response.
//!
//! A finding names the field path (`trainees[3].id_number`), a severity and a message in
//! Chinese that says what is wrong and what is expected. Findings are data, never panics
//! or exceptions: invalid input is a report.

use serde::{Deserialize, Serialize};

/// `Error` makes a response invalid; `Warning` does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem (or normalisation note) found in a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Field path: `goal_setting`, `trainees[3].id_number`, `survey.indicators.faculty`;
    /// empty for the response as a whole.
    pub path: String,
    pub severity: Severity,
    /// Chinese, says what is wrong and what is expected.
    pub message: String,
}

impl Finding {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            path: path.into(),
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            path: path.into(),
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when none of the findings is an error.
pub fn all_valid(findings: &[Finding]) -> bool {
    !findings.iter().any(Finding::is_error)
}
