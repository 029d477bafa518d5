//! Navigation: the table of contents as a tree, the EPUB 3 navigation document written
//! from it, and the same tree handed to epub-builder for the EPUB 2 `toc.ncx`.
//!
//! We write `nav.xhtml` ourselves because epub-builder 0.8.3's template cannot be fixed
//! through its API and Ace rejects it: its `<html>` has no `lang` (serious,
//! html-has-lang), the toc `<nav>` lacks `role="doc-toc"` (epub-type-has-matching-role)
//! and the two `<nav>`s have no names to tell them apart (landmark-unique); it also emits
//! a landmarks `<nav>` with no `<ol>` (an EPUBCheck error) when no file has a reference
//! type. `package.rs` puts our document in its place in the archive.

use epub_builder::TocElement;

use super::markup::{attr, text};
use super::xhtml::{close_document, label, open_document};

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TocEntry {
    /// The target, relative to the package directory: `text.xhtml#id`.
    pub href: String,
    /// Plain text of the heading.
    pub title: String,
    /// Entries nested under this one.
    pub children: Vec<TocEntry>,
    /// The heading level, for nesting.
    pub level: u8,
}

impl TocEntry {
    /// A leaf entry.
    pub(crate) fn new(href: String, title: String, level: u8) -> TocEntry {
        TocEntry { href, title, children: Vec::new(), level }
    }

    /// Adds `entry` under the last child whose level is lower, or as a child of `self`.
    pub(crate) fn add(&mut self, entry: TocEntry) {
        match self.children.last_mut() {
            Some(last) if last.level < entry.level => last.add(entry),
            _ => self.children.push(entry),
        }
    }

    /// The same entry for epub-builder, which writes `toc.ncx` from it. Titles are given
    /// unescaped: epub-builder escapes them itself (its `escape_html` is left on).
    pub(crate) fn to_element(&self, depth: i32) -> TocElement {
        let mut element = TocElement::new(self.href.as_str(), self.title.as_str()).level(depth);
        for child in &self.children {
            element = element.child(child.to_element(depth + 1));
        }
        element
    }

    /// How many levels deep the tree under and including this entry goes.
    pub(crate) fn depth(&self) -> usize {
        1 + self.children.iter().map(TocEntry::depth).max().unwrap_or(0)
    }
}

/// A landmark: an `epub:type` and where it points.
pub(crate) struct Landmark<'a> {
    /// The structural semantics term: `titlepage`, `toc`, `bodymatter`…
    pub kind: &'static str,
    /// The target.
    pub href: &'a str,
    /// The visible label.
    pub title: &'static str,
}

/// The navigation document.
pub(crate) fn nav_document(lang: &str, toc: &[TocEntry], landmarks: &[Landmark<'_>]) -> String {
    let mut out = String::with_capacity(2048);
    open_document(&mut out, lang, label::CONTENTS, "");
    out.push_str(
        "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">\n<h1 id=\"toc-title\">",
    );
    text(&mut out, label::CONTENTS);
    out.push_str("</h1>\n");
    list(&mut out, toc);
    out.push_str("</nav>\n");
    // Landmarks are for the reading system, not for reading: hidden if it shows the file.
    out.push_str("<nav epub:type=\"landmarks\" aria-label=\"");
    attr(&mut out, label::LANDMARKS);
    out.push_str("\" hidden=\"hidden\">\n<ol>\n");
    for landmark in landmarks {
        out.push_str("<li><a epub:type=\"");
        out.push_str(landmark.kind);
        out.push_str("\" href=\"");
        attr(&mut out, landmark.href);
        out.push_str("\">");
        text(&mut out, landmark.title);
        out.push_str("</a></li>\n");
    }
    out.push_str("</ol>\n</nav>\n");
    close_document(&mut out);
    out
}

/// An `<ol>` of entries (the caller never passes an empty list: the title page and the
/// text are always there).
fn list(out: &mut String, entries: &[TocEntry]) {
    out.push_str("<ol>\n");
    for entry in entries {
        out.push_str("<li><a href=\"");
        attr(out, &entry.href);
        out.push_str("\">");
        text(out, &entry.title);
        out.push_str("</a>");
        if !entry.children.is_empty() {
            out.push('\n');
            list(out, &entry.children);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}
