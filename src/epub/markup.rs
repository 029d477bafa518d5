//! XML text and attribute escaping, and the well-formedness gate every generated document
//! passes before it is packed.
//!
//! The renderers never write user text into a buffer directly: they call [`text`] or
//! [`attr`], which escape what XML reserves and drop what XML 1.0 cannot carry at all
//! (most C0 controls, U+FFFE and U+FFFF). So a manuscript cannot produce malformed XHTML
//! by its content; [`check_well_formed`] is the second line of defence, against bugs in
//! our own markup, and it runs on every XHTML, OPF and NCX file of the book.

use crate::diag::{Diagnostic, Result};

/// Whether `c` may appear in an XML 1.0 document (the `Char` production), minus the C1
/// controls: those are legal XML but HTML calls them parse errors and they are never
/// meant in running text.
fn is_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Appends `s` as XML character data: `&`, `<` and `>` escaped, disallowed characters
/// dropped.
pub(crate) fn text(out: &mut String, s: &str) {
    escape(out, s, false);
}

/// Appends `s` for use inside a double-quoted attribute value: as [`text`], and `"` too.
pub(crate) fn attr(out: &mut String, s: &str) {
    escape(out, s, true);
}

/// `s` escaped as text, as a new string (for strings handed to epub-builder).
pub(crate) fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    text(&mut out, s);
    out
}

/// `s` with the characters XML cannot carry removed, unescaped (for strings that
/// epub-builder escapes itself).
pub(crate) fn clean(s: &str) -> String {
    s.chars().filter(|&c| is_allowed(c)).collect()
}

fn escape(out: &mut String, s: &str, quote: bool) {
    // Copy runs of harmless characters in one go; most text has nothing to escape.
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' if quote => "&quot;",
            c if is_allowed(c) => continue,
            _ => "",
        };
        out.push_str(&s[start..i]);
        out.push_str(replacement);
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
}

/// Parses `xml` with a real XML parser and fails with a diagnostic naming `name` and the
/// position if it is not well-formed (or uses an undeclared namespace prefix).
pub(crate) fn check_well_formed(name: &str, xml: &str) -> Result<()> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    match roxmltree::Document::parse_with_options(xml, options) {
        Ok(_) => Ok(()),
        Err(e) => Err(Diagnostic::error(format!("internal error: the EPUB's {name} is not well-formed XML: {e}"))
            .with_hint("this is a bug in pamphlet; please report it with the manuscript")
            .into()),
    }
}
