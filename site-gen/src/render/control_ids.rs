//! The id/path scheme of the form pages' controls: the one place that says how a
//! control is named. `forms.js` reads these names, ids and `data-` attributes; the
//! templates only print them.

/// `trainees[3].id_number` → `f-trainees-3-id_number`.
pub fn control_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        match c {
            '[' | '.' => id.push('-'),
            ']' => {}
            c => id.push(c),
        }
    }
    id
}

/// The path of a table cell: `trainees[3].id_number` (`row` is `3`, or `__i__` in the
/// row template that `forms.js` copies).
pub fn cell_path(table: &str, row: &str, column: &str) -> String {
    format!("{table}[{row}].{column}")
}

/// The path of a member of a fixed record or of the counts: `expenses.venue`.
pub fn member_path(parent: &str, member: &str) -> String {
    format!("{parent}.{member}")
}

/// The id of the `i`th radio of a group: the first has the group's control id (its
/// label points there), the others the id with the value appended.
pub fn radio_id(cid: &str, i: usize, value: &str) -> String {
    if i == 0 {
        cid.to_owned()
    } else {
        format!("{cid}-{value}")
    }
}

/// The id of a field's hint (`aria-describedby`).
pub fn hint_id(path: &str) -> String {
    format!("{}-hint", control_id(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_ids_replace_brackets_and_dots() {
        assert_eq!(
            control_id("trainees[3].id_number"),
            "f-trainees-3-id_number"
        );
        assert_eq!(control_id("survey.forms"), "f-survey-forms");
    }
}
