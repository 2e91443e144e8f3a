//! A form field's `autocomplete` must be one that HTML allows on the control its page
//! shows it as (the "autofill field names" of the HTML standard, by control group): a
//! browser ignores any other, and the page would not be valid HTML. So `street-address`
//! (a multi-line address) is only for a `multiline` text field, a phone field (an
//! `<input type="tel">`) takes only the `tel…` names, and a yes/no field (a checkbox or
//! radio buttons) takes none. The controls are those `forms_page` renders: `multiline`
//! text as a `<textarea>`, `mobile`/`phone` as `type="tel"`, `email` as `type="email"`,
//! `date` as `type="date"`, `bool` as a checkbox or radios, `choice` as a `<select>` or
//! radios, every other type as a one-line text input.

use wasm_forms::schema::{Field, FieldType};

/// Names of the "Text" group (one-line text inputs and up).
const TEXT: &[&str] = &[
    "name",
    "honorific-prefix",
    "given-name",
    "additional-name",
    "family-name",
    "honorific-suffix",
    "nickname",
    "organization-title",
    "organization",
    "address-line1",
    "address-line2",
    "address-line3",
    "address-level4",
    "address-level3",
    "address-level2",
    "address-level1",
    "country",
    "country-name",
    "postal-code",
    "cc-name",
    "cc-given-name",
    "cc-additional-name",
    "cc-family-name",
    "cc-number",
    "cc-csc",
    "cc-type",
    "transaction-currency",
    "language",
    "sex",
    // Username, Password, Url, E-mail, Numeric, Month, Date groups: also allowed on a
    // one-line text input.
    "username",
    "new-password",
    "current-password",
    "one-time-code",
    "url",
    "photo",
    "impp",
    "email",
    "cc-exp-month",
    "cc-exp-year",
    "transaction-amount",
    "bday-day",
    "bday-month",
    "bday-year",
    "cc-exp",
    "bday",
];

/// The "Tel" group: the only names an `<input type="tel">` takes (a one-line text input
/// takes them too).
const TEL: &[&str] = &[
    "tel",
    "tel-country-code",
    "tel-national",
    "tel-area-code",
    "tel-local",
    "tel-local-prefix",
    "tel-local-suffix",
    "tel-extension",
];

/// The "Multiline" group: only for a `<textarea>` (or a `<select>`).
const MULTILINE: &[&str] = &["street-address"];

/// Why `field`'s `autocomplete` does not fit the control its page shows, if it does not.
pub fn problem(field: &Field) -> Option<String> {
    let token = field.autocomplete.as_deref()?;
    let id = &field.id;
    let known = |t: &str| TEXT.contains(&t) || TEL.contains(&t) || MULTILINE.contains(&t);
    if !(token == "on" || token == "off" || known(token)) {
        return Some(format!(
            "字段“{id}”的 autocomplete = \"{token}\" 不是 HTML 的自动填写名称（如 name、tel、email、postal-code、organization、address-line1）"
        ));
    }
    let allowed: Result<(), &str> = match field.kind {
        FieldType::Bool => Err("bool 字段显示为勾选框或单选按钮，不能使用 autocomplete"),
        FieldType::Text if field.multiline => Ok(()),
        FieldType::Choice => Ok(()),
        FieldType::Mobile | FieldType::Phone if !(TEL.contains(&token) || token == "on" || token == "off") => {
            Err("电话字段（type=\"tel\" 输入框）只能使用 tel、tel-national 等电话名称")
        }
        FieldType::Email if !matches!(token, "email" | "username" | "on" | "off") => {
            Err("email 字段只能使用 email 或 username")
        }
        FieldType::Date if !matches!(token, "bday" | "on" | "off") => {
            Err("date 字段（日期选择框）只能使用 bday")
        }
        _ if MULTILINE.contains(&token) => Err(
            "street-address 是多行地址，只能用于 multiline = true 的 text 字段；单行的地址请用 address-line1",
        ),
        _ => Ok(()),
    };
    allowed
        .err()
        .map(|why| format!("字段“{id}”的 autocomplete = \"{token}\" 不适用：{why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: &str, extra: &str, token: &str) -> Field {
        let src = format!(
            "id = \"f\"\ntitle = \"t\"\nversion = 1\n[[sections]]\nlegend = \"s\"\n[[sections.fields]]\nid = \"x\"\nlabel = \"x\"\ntype = \"{kind}\"\n{extra}\nautocomplete = \"{token}\"\n"
        );
        let schema = wasm_forms::schema::parse_toml(&src).unwrap_or_else(|e| panic!("{e:?}"));
        schema.sections[0].fields[0].clone()
    }

    #[test]
    fn a_name_fits_the_control_the_page_shows() {
        assert_eq!(problem(&field("text", "", "address-line1")), None);
        assert_eq!(
            problem(&field("text", "multiline = true", "street-address")),
            None
        );
        assert_eq!(problem(&field("mobile", "", "tel")), None);
        assert_eq!(problem(&field("email", "", "email")), None);
        assert_eq!(problem(&field("postcode", "", "postal-code")), None);
        assert_eq!(problem(&field("text", "", "off")), None);
    }

    #[test]
    fn a_name_the_control_does_not_take_is_an_error_saying_what_to_use() {
        let e = problem(&field("text", "", "street-address")).unwrap();
        assert!(
            e.contains("“x”") && e.contains("multiline = true") && e.contains("address-line1"),
            "{e}"
        );
        let e = problem(&field("mobile", "", "email")).unwrap();
        assert!(e.contains("tel"), "{e}");
        let e = problem(&field("text", "", "street")).unwrap();
        assert!(e.contains("不是 HTML 的自动填写名称"), "{e}");
        let e = problem(&field("bool", "", "on")).unwrap();
        assert!(e.contains("勾选框"), "{e}");
    }
}
