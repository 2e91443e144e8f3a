//! One option of a choice: a choice field's option, a level of a rating matrix or of
//! survey counts, or the words of a scoring input's values. The form schema, the
//! scoring model and the survey model all use this one type.

use serde::{Deserialize, Serialize};

/// One option of a choice (or one level of a matrix / counts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub id: String,
    pub label: String,
    /// A level of a matrix or counts field that counts as satisfied in the satisfaction
    /// rate r (很满意 and 满意 of the Wenzhou survey).
    #[serde(default)]
    pub satisfied: bool,
}
