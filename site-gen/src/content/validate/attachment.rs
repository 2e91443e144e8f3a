//! Attachments: a form id, or a table naming a form or a list.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use toml::Spanned;

use crate::content::diag::{Diagnostic, Diagnostics};
use crate::content::load::SourceFile;
use crate::content::model::{Attachment, AttachmentTarget, Due, PlanList};

/// The notice's attachments, in its order; then the forms of each list (list id, the
/// attachment as written), which join the notice's attachment of the same form when it
/// has one, else follow it.
pub(super) fn attachments(
    in_notice: &[Spanned<toml::Value>],
    list_forms: &[(String, Spanned<toml::Value>)],
    form_ids: &BTreeSet<String>,
    form_titles: &HashMap<&str, &str>,
    lists: &[PlanList],
    file: &SourceFile,
    d: &mut Diagnostics,
) -> Vec<Attachment> {
    let at = |span: Range<usize>, msg: String| Diagnostic::at(&file.path, &file.text, span, msg);
    let mut attachments = Vec::new();
    for a in in_notice {
        if let Some(a) = attachment(a, true, form_ids, form_titles, lists, file, d) {
            attachments.push(a);
        }
    }
    for (list_id, raw_a) in list_forms {
        let Some(a) = attachment(raw_a, false, form_ids, form_titles, lists, file, d) else {
            continue;
        };
        let same = attachments.iter_mut().find(|b| b.target == a.target);
        match same {
            Some(b) if b.lists.contains(list_id) => d.push(at(
                raw_a.span(),
                format!("list `{list_id}` names this form twice"),
            )),
            Some(b) => b.lists.push(list_id.clone()),
            None => attachments.push(Attachment {
                lists: vec![list_id.clone()],
                ..a
            }),
        }
    }
    attachments
}

/// One attachment as written: a form id, or `{ title, form | list }` (`list` only in
/// the notice's own `attachments`).
fn attachment(
    a: &Spanned<toml::Value>,
    in_notice: bool,
    form_ids: &BTreeSet<String>,
    form_titles: &HashMap<&str, &str>,
    lists: &[PlanList],
    file: &SourceFile,
    d: &mut Diagnostics,
) -> Option<Attachment> {
    let at = |span: Range<usize>, msg: String| Diagnostic::at(&file.path, &file.text, span, msg);
    let span = a.span();
    let form_title = |id: &str| {
        form_titles
            .get(id)
            .map_or_else(|| id.to_string(), |t| t.to_string())
    };
    match a.get_ref() {
        toml::Value::String(id) => {
            if form_ids.contains(id) {
                return Some(Attachment {
                    title: form_title(id),
                    target: AttachmentTarget::Form(id.clone()),
                    lists: Vec::new(),
                    filled_by: None,
                    due: None,
                    when: None,
                });
            }
            d.push(at(span, unknown_form(id, form_ids)));
            None
        }
        toml::Value::Table(t) => {
            let Written {
                title,
                target,
                filled_by,
                due,
                when,
            } = written(t, in_notice, span.clone(), file, d);
            match target {
                Some(AttachmentTarget::Form(id)) if !form_ids.contains(&id) => {
                    d.push(at(span.clone(), unknown_form(&id, form_ids)));
                    None
                }
                Some(AttachmentTarget::List(id)) if !lists.iter().any(|l| l.id == id) => {
                    let known: Vec<&str> = lists.iter().map(|l| l.id.as_str()).collect();
                    d.push(at(
                        span.clone(),
                        format!("attachment names list `{id}`, which this notice does not define (its lists: {})", if known.is_empty() { "none".to_string() } else { known.join(", ") }),
                    ));
                    None
                }
                Some(target) => {
                    let title = match (title, &target) {
                        (Some(t), _) => t,
                        (None, AttachmentTarget::Form(id)) if !in_notice => form_title(id),
                        (None, _) => {
                            d.push(at(
                                span.clone(),
                                "missing field `title` in attachment".into(),
                            ));
                            return None;
                        }
                    };
                    if (filled_by.is_some() || due.is_some() || when.is_some())
                        && matches!(target, AttachmentTarget::List(_))
                    {
                        d.push(at(
                            span.clone(),
                            "`filled_by`, `due` and `when` describe a form, not a list".into(),
                        ));
                    }
                    Some(Attachment {
                        title,
                        target,
                        lists: Vec::new(),
                        filled_by,
                        due,
                        when,
                    })
                }
                None => {
                    d.push(at(
                        span.clone(),
                        "attachment needs `form = \"<form id>\"`".to_string()
                            + if in_notice {
                                " or `list = \"<list id>\"`"
                            } else {
                                ""
                            },
                    ));
                    None
                }
            }
        }
        other => {
            d.push(at(
                span,
                format!("invalid type: an attachment is a form id string or a table {{ title, form{} }}, found {}", if in_notice { " | list" } else { "" }, other.type_str()),
            ));
            None
        }
    }
}

/// The keys of an attachment written as a table.
struct Written {
    title: Option<String>,
    target: Option<AttachmentTarget>,
    filled_by: Option<String>,
    due: Option<Due>,
    when: Option<String>,
}

/// Reads the keys of attachment table `t` (at `span`), each problem into `d`.
fn written(
    t: &toml::map::Map<String, toml::Value>,
    in_notice: bool,
    span: Range<usize>,
    file: &SourceFile,
    d: &mut Diagnostics,
) -> Written {
    let at = |span: Range<usize>, msg: String| Diagnostic::at(&file.path, &file.text, span, msg);
    let mut title = None;
    let mut target = None;
    let (mut filled_by, mut due, mut when) = (None, None, None);
    let expected = if in_notice {
        "`title`, `form`, `list`, `filled_by`, `due` or `when`"
    } else {
        "`title` or `form`"
    };
    for (k, v) in t {
        match (k.as_str(), v) {
            ("title", toml::Value::String(s)) => title = Some(s.clone()),
            ("filled_by", toml::Value::String(s)) if in_notice => {
                filled_by = Some(s.trim().to_string())
            }
            ("when", toml::Value::String(s)) if in_notice => {
                when = Some(s.trim().to_string())
            }
            ("due", toml::Value::String(s)) if in_notice => match s.as_str() {
                "plan" => due = Some(Due::Plan),
                "report" => due = Some(Due::Report),
                other => d.push(at(
                    span.clone(),
                    format!("due = \"{other}\" is not a deadline: expected \"plan\" (plan_due_working_days before the start) or \"report\" (report_due_working_days after the end)"),
                )),
            },
            ("filled_by" | "when" | "due", other) if in_notice => d.push(at(
                span.clone(),
                format!("invalid type: attachment `{k}` must be a string, found {}", other.type_str()),
            )),
            ("list", _) if !in_notice => d.push(at(
                span.clone(),
                "a list's attachments name forms (`form = \"<form id>\"`), not lists"
                    .into(),
            )),
            ("form", toml::Value::String(s)) | ("list", toml::Value::String(s)) => {
                if target.is_some() {
                    d.push(at(
                        span.clone(),
                        "an attachment names either a `form` or a `list`, not both".into(),
                    ));
                }
                target = Some(if k == "form" {
                    AttachmentTarget::Form(s.clone())
                } else {
                    AttachmentTarget::List(s.clone())
                });
            }
            ("title" | "form" | "list", other) => d.push(at(
                span.clone(),
                format!(
                    "invalid type: attachment `{k}` must be a string, found {}",
                    other.type_str()
                ),
            )),
            (other, _) => d.push(at(
                span.clone(),
                format!("unknown field `{other}` in attachment, expected {expected}"),
            )),
        }
    }
    Written {
        title,
        target,
        filled_by,
        due,
        when,
    }
}

fn unknown_form(id: &str, form_ids: &BTreeSet<String>) -> String {
    let known: Vec<&str> = form_ids.iter().map(String::as_str).collect();
    format!(
        "attachment names unknown form `{id}`: no forms/{id}.toml (known forms: {})",
        if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        }
    )
}
