//! Bounds on every text field, and the characters no field may hold. Both backends store
//! exactly what passes here, so a ledger moves between them unchanged (PostgreSQL refuses
//! NUL in text, SQLite would keep it). The limits are documented in docs/ledger-json.md.

use crate::error::CoreError;

/// Ids: ASCII letters, digits and `- _ . :`.
pub const ID: usize = 100;
/// Names of people, units, rounds, teams, departments, files, media types, forms, units of
/// measure.
pub const NAME: usize = 200;
/// Titles of categories, aspects, findings, rules, meetings and documents.
pub const TITLE: usize = 5_000;
/// Measure texts, progress accounts, reasons, descriptions and notes.
pub const TEXT: usize = 20_000;

/// Refuses control characters other than tab and line breaks, and more than `max`
/// characters; `required` refuses blank text.
pub fn check(field: &str, value: &str, max: usize, required: bool) -> Result<(), CoreError> {
    if required && value.trim().is_empty() {
        return Err(CoreError::invalid(field, "不能为空"));
    }
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(CoreError::invalid(
            field,
            format!("含有不允许的控制字符 U+{:04X}", u32::from(c)),
        ));
    }
    // Counting stops at the bound: a 20-million-character field costs no more than this.
    let count = value.chars().take(max + 1).count();
    if count > max {
        return Err(CoreError::invalid(
            field,
            format!("过长：最多 {max} 个字符"),
        ));
    }
    Ok(())
}

pub fn check_id(field: &str, id: &str) -> Result<(), CoreError> {
    let ok = !id.is_empty()
        && id.len() <= ID
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if ok {
        Ok(())
    } else {
        let shown: String = id.chars().take(40).collect();
        Err(CoreError::invalid(
            field,
            format!("标识“{shown}”无效：须为 1 至 {ID} 个字母、数字或 - _ . : 字符"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_length_are_refused() {
        assert!(check("t", "正常\n第二行\t制表", 10, true).is_ok());
        assert_eq!(
            check("t", "a\0b", 10, true),
            Err(CoreError::invalid("t", "含有不允许的控制字符 U+0000"))
        );
        assert!(check("t", "a\u{1b}[31m", 10, true).is_err());
        assert!(check("t", &"字".repeat(10), 10, true).is_ok());
        assert_eq!(
            check("t", &"字".repeat(11), 10, true),
            Err(CoreError::invalid("t", "过长：最多 10 个字符"))
        );
        assert_eq!(
            check("t", "  ", 10, true),
            Err(CoreError::invalid("t", "不能为空"))
        );
        assert!(check("t", "", 10, false).is_ok());
    }

    #[test]
    fn ids_are_short_ascii() {
        assert!(check_id("id", "fb-1.c2:a_3").is_ok());
        assert!(check_id("id", "").is_err());
        assert!(check_id("id", "问题").is_err());
        assert!(check_id("id", "a b").is_err());
        assert!(check_id("id", &"a".repeat(ID)).is_ok());
        assert!(check_id("id", &"a".repeat(ID + 1)).is_err());
    }
}
