//! Font embedding: which characters each face must draw, the subset fonts, and their
//! `@font-face` rules.
//!
//! Each of the four faces is cut down to the characters set in it. The walk mirrors the
//! stylesheet: headings and table headers are bold, emphasis toggles italic (`em em` is
//! upright in `style.css`), strong makes bold, code is in the reader's monospace and
//! needs no face. It errs on the side of more: every character of the book also goes
//! into the regular face, as do the characters the generated pages use, and each face
//! gets the hyphen that `hyphens: auto` inserts. A face nothing is set in is not embedded.

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::diag::Result;
use crate::fonts::{Fonts, Style};
use crate::model::{Block, Document, Inline};

/// The characters each face must draw, indexed like [`Style::ALL`].
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Coverage {
    sets: [BTreeSet<char>; 4],
}

fn slot(style: Style) -> usize {
    match style {
        Style::Regular => 0,
        Style::Italic => 1,
        Style::Bold => 2,
        Style::BoldItalic => 3,
    }
}

impl Coverage {
    /// The characters `style` must draw.
    pub(crate) fn get(&self, style: Style) -> &BTreeSet<char> {
        &self.sets[slot(style)]
    }

    /// Records that `s` is set in `style` (and so, conservatively, in regular too).
    pub(crate) fn add(&mut self, s: &str, style: Style) {
        for c in s.chars().filter(|c| !c.is_control()) {
            self.sets[slot(style)].insert(c);
            self.sets[0].insert(c);
        }
    }

    /// Walks `doc` and records what every face draws. `generated` are the texts of the
    /// title page, colophon, navigation and labels, each with its style.
    pub(crate) fn of(doc: &Document, generated: &[(Cow<'_, str>, Style)]) -> Coverage {
        let mut cov = Coverage::default();
        cov.blocks(&doc.blocks, Style::Regular);
        for note in &doc.notes {
            cov.blocks(&note.blocks, Style::Regular);
        }
        for (s, style) in generated {
            cov.add(s, *style);
        }
        // List markers and note numbers, whatever the text; the hyphen of automatic
        // hyphenation and the spaces in every face that is used at all.
        cov.add("0123456789.\u{2022}\u{25E6}\u{25AA}\u{2191}\u{2610}\u{2611}", Style::Regular);
        for set in &mut cov.sets {
            if !set.is_empty() {
                set.extend(['-', '\u{2010}', ' ', '\u{A0}']);
                set.extend('0'..='9');
            }
        }
        cov
    }

    fn blocks(&mut self, blocks: &[Block], style: Style) {
        for block in blocks {
            match block {
                Block::Heading { content, .. } => self.inlines(content, style.bold()),
                Block::Paragraph { content, .. } => self.inlines(content, style),
                Block::Quote { blocks, .. } => self.blocks(blocks, style),
                Block::List { items, .. } => items.iter().for_each(|item| self.blocks(&item.blocks, style)),
                // Set in the reader's monospace, not in the embedded family.
                Block::Code { .. } => {}
                Block::Rule { .. } => {}
                Block::Table { head, rows, .. } => {
                    head.iter().for_each(|cell| self.inlines(cell, style.bold()));
                    rows.iter().flatten().for_each(|cell| self.inlines(cell, style));
                }
            }
        }
    }

    fn inlines(&mut self, inlines: &[Inline], style: Style) {
        for inline in inlines {
            match inline {
                Inline::Text(t) => self.add(t, style),
                Inline::Emphasis(c) => self.inlines(c, style.toggle_italic()),
                Inline::Strong(c) => self.inlines(c, style.bold()),
                Inline::Strikethrough(c) | Inline::Superscript(c) | Inline::Subscript(c) => self.inlines(c, style),
                Inline::Link { content, .. } => self.inlines(content, style),
                // A caption is set upright; alt text is not shown.
                Inline::Image { title, .. } => self.add(title.as_deref().unwrap_or(""), Style::Regular),
                Inline::Code(_) | Inline::NoteRef { .. } | Inline::SoftBreak | Inline::HardBreak => {}
            }
        }
    }
}

/// The embedded fonts of a book, ready to pack.
pub(crate) struct Embedded {
    /// The `@font-face` rules and the body's `font-family`.
    pub css: String,
    /// Font files: path in the package and bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// The family's name.
    pub family: String,
    /// The name the subsets carry.
    pub web_family: String,
    /// The licence's text and where it goes in the package.
    pub licence: (&'static str, String),
    /// The licence's name, if its text tells it.
    pub licence_name: Option<&'static str>,
}

/// Subsets the built-in family to `cov` and writes its `@font-face` rules.
pub(crate) fn embed(cov: &Coverage) -> Result<Embedded> {
    let fonts = Fonts::builtin();
    let family = fonts.family_name().to_string();
    // The subsets are Modified Versions under the OFL, so they may not carry the
    // reserved name: they are named by the fonts module's web family name.
    let web_family = fonts.web_family_name().to_string();
    let mut css = String::with_capacity(512);
    let mut files = Vec::new();
    for style in Style::ALL {
        let chars = cov.get(style);
        if chars.is_empty() {
            continue;
        }
        let data = fonts.face(style).subset_for_web(chars)?;
        let (name, weight, font_style) = match style {
            Style::Regular => ("regular", "normal", "normal"),
            Style::Italic => ("italic", "normal", "italic"),
            Style::Bold => ("bold", "bold", "normal"),
            Style::BoldItalic => ("bold-italic", "bold", "italic"),
        };
        let path = format!("fonts/{name}.ttf");
        css.push_str("@font-face{font-family:\"");
        css.push_str(&css_string(&web_family));
        css.push_str("\";font-weight:");
        css.push_str(weight);
        css.push_str(";font-style:");
        css.push_str(font_style);
        css.push_str(";src:url(");
        css.push_str(&path);
        css.push_str(")}\n");
        files.push((path, data));
    }
    // Fallbacks for readers that ignore embedded fonts: the original family if it is
    // installed, common book faces, then any serif.
    css.push_str("body{font-family:\"");
    css.push_str(&css_string(&web_family));
    css.push_str("\",\"");
    css.push_str(&css_string(&family));
    css.push_str("\",Georgia,\"Times New Roman\",serif}\n");
    let text = fonts.license_text();
    let licence_name = licence_name(text);
    let licence = (text, licence_path(licence_name).to_string());
    Ok(Embedded { css, files, family, web_family, licence, licence_name })
}

/// The licence's name, if its text says which it is.
pub(crate) fn licence_name(text: &str) -> Option<&'static str> {
    if !text.contains("SIL Open Font License") {
        return None;
    }
    Some(if text.contains("Version 1.1") { "SIL Open Font License 1.1" } else { "SIL Open Font License" })
}

/// Where the licence's text goes in the package.
pub(crate) fn licence_path(name: Option<&str>) -> &'static str {
    if name.is_some() {
        "fonts/OFL.txt"
    } else {
        "fonts/LICENSE.txt"
    }
}

/// `s` safe inside a double-quoted CSS string (family names are plain words, but a
/// quote or backslash must not end the string).
fn css_string(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '"' | '\\' | '\n' | '\r') && !c.is_control()).collect()
}
