//! Layout: the document model → pages of positioned glyph runs.
//!
//! The typesetter proper. It knows nothing of PDF: it produces a [`PagedDocument`] of
//! pages holding glyph runs, rules, link areas and anchors (see [`frame`]), which the
//! `pdf` module writes out.
//!
//! The stages, each in its own file:
//!
//! - [`geometry`]: paper and type → margins, measure, baseline grid;
//! - [`collect`]: inlines → styled pieces of one string;
//! - [`paragraph`]: pieces → shaped items → lines ([`linebreak`], [`hyphenate`]) →
//!   justified glyph runs;
//! - [`flow`]: blocks → a flow of lines and spaces with their keeps;
//! - [`paginate`]: the flow → pages, with footnotes, widows, orphans and the grid;
//! - [`page`]: the title page, running heads and folios;
//!
//! and [`layout`] here runs them in that order and assembles the pages.

pub mod collect;
pub mod flow;
pub mod frame;
pub mod geometry;
pub mod hyphenate;
pub mod linebreak;
pub mod page;
pub mod paginate;
pub mod paragraph;

use std::fmt::Write as _;

use crate::config::PdfOptions;
use crate::fonts::{Fonts, Style};
use crate::model::{Block, Document, NoteId, Span};
use frame::{FrameItem, OutlineEntry, Page, PageLabel, PagedDocument, Point};
use geometry::{average_char_em, Geometry};
use paginate::{paginate, LineBox, NoteStyle};
use paragraph::Setter;

/// Type size of footnotes relative to the body.
const NOTE_SIZE: f32 = 0.8;
/// Leading of footnotes relative to their size.
const NOTE_LEADING: f32 = 1.25;

/// A laid-out document and the warnings found on the way.
pub struct Laid {
    /// The pages.
    pub document: frame::PagedDocument,
    /// Problems placed in the manuscript.
    pub warnings: Vec<LayoutWarning>,
}

/// A layout problem at a place in the manuscript.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutWarning {
    /// Where.
    pub span: crate::model::Span,
    /// What.
    pub message: String,
    /// The character the fonts cannot draw, when that is the problem: the span is the
    /// block's, and the caller, who has the source, finds the character in it.
    pub missing: Option<char>,
}

/// Lays out the document: a title page and its verso, then the body from a right-hand
/// page numbered 1, footnotes at the foot of their pages.
///
/// Fails only when the page cannot hold the type; everything else in the document is set
/// somehow, with a warning where it had to be bent (a missing glyph, an overfull line).
pub fn layout(doc: &Document, opts: &PdfOptions, fonts: &Fonts) -> crate::diag::Result<Laid> {
    let regular = fonts.face(Style::Regular);
    let geom = Geometry::new(opts, regular.metrics(), average_char_em(regular))?;
    let mut warnings = Vec::new();
    let mut setter = Setter::new(fonts, &doc.meta.language, &mut warnings);
    let title = page::title_page(&doc.meta, &geom, &mut setter, &mut warnings);
    let verso = page::colophon_page(&doc.meta, &geom, &mut setter, &mut warnings);

    // The body and the notes become lines.
    let mut flow = flow::Flow::new(&geom, setter);
    flow.body(&doc.blocks);
    let note_size = geom.size * NOTE_SIZE;
    let note_leading = (note_size * NOTE_LEADING * 4.0).round() / 4.0;
    let mut notes = flow.notes(&doc.notes, note_size, note_leading);
    attach_nested_notes(&mut notes, &flow.body_refs());
    let elems = std::mem::take(&mut flow.elems);

    // The lines become pages.
    let style = NoteStyle { leading: note_leading, gap: 0.6 * geom.leading };
    let bodies = paginate(&geom, style, elems, notes, &mut |chunk, looseness| flow.rebreak(chunk, looseness));
    warnings.append(&mut flow.warnings);

    // The pages get their furniture, and the headings their outline entries.
    let mut pages = vec![title, verso];
    let mut outline = Vec::new();
    let top_level = first_heading_level(&doc.blocks);
    let mut section: Option<String> = None;
    let mut last_level = 0u8;
    for (k, body) in bodies.into_iter().enumerate() {
        let number = k as u32 + 1;
        let recto = number % 2 == 1;
        let left = geom.left(recto);
        let mut page = Page { width: geom.width, height: geom.height, label: PageLabel::Arabic(number), items: Vec::new() };
        // The section in effect at the top of the page: the last heading before it, or
        // the one that opens it.
        if let Some(h) = body.lines.first().and_then(|(_, l)| l.heading.as_ref()) {
            section = Some(h.title.clone());
        }
        let head = match (number, recto) {
            (1, _) => None,
            (_, true) => Some(section.clone().unwrap_or_else(|| doc.meta.title.clone())),
            (_, false) => Some(doc.meta.title.clone()),
        };
        for (baseline, line) in body.lines {
            if let Some(h) = &line.heading {
                let level = (h.level.saturating_sub(top_level) + 1).min(last_level + 1).max(1);
                last_level = level;
                outline.push(OutlineEntry { level, title: h.title.clone(), page: pages.len(), y: baseline - line.height });
                section = Some(h.title.clone());
            }
            place(&mut page, line, left, baseline);
        }
        if let Some(y) = body.note_rule {
            page.items.push((Point { x: left, y }, FrameItem::Rule { width: geom.measure * 0.3, thickness: 0.4 }));
        }
        for (baseline, line) in body.notes {
            place(&mut page, line, left, baseline);
        }
        page::furniture(&mut page, number, head.as_deref(), &geom, &flow.setter);
        pages.push(page);
    }
    // Every note is referred to somewhere, so every note has found a page; should one
    // not have (a reference in a place that is not set), say so rather than lose it quietly.
    for note in &doc.notes {
        let anchor = FrameItem::Anchor(format!("fn{}", note.number));
        if !pages.iter().any(|p| p.items.iter().any(|(_, i)| *i == anchor)) {
            warnings.push(LayoutWarning {
                span: note.span,
                message: format!("footnote {} could not be placed in the PDF", note.number),
                missing: None,
            });
        }
    }
    dedup(&mut warnings);
    Ok(Laid { document: PagedDocument { pages, outline }, warnings })
}

/// Moves a line's items onto the page, its origin at (`left`, `baseline`).
fn place(page: &mut Page, line: LineBox, left: f32, baseline: f32) {
    page.items.extend(line.items.into_iter().map(|(p, item)| (Point { x: p.x + left, y: p.y + baseline }, item)));
}

/// The level of the highest heading, which becomes level 1 of the outline.
fn first_heading_level(blocks: &[Block]) -> u8 {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min()
        .unwrap_or(1)
}

/// A note whose first reference stands inside another note is set right after that
/// note, on the same page (the body never brings it).
fn attach_nested_notes(notes: &mut [Vec<LineBox>], body_refs: &[NoteId]) {
    let mut attached = vec![false; notes.len()];
    for &n in body_refs {
        if let Some(a) = attached.get_mut(n.index()) {
            *a = true;
        }
    }
    for i in 0..notes.len() {
        let mut k = 0;
        while k < notes[i].len() {
            let refs = notes[i][k].notes.clone();
            for r in refs {
                let j = r.index();
                if j < notes.len() && j != i && !attached[j] {
                    attached[j] = true;
                    let moved = std::mem::take(&mut notes[j]);
                    notes[i].extend(moved);
                }
            }
            k += 1;
        }
    }
}

fn dedup(warnings: &mut Vec<LayoutWarning>) {
    let mut seen: Vec<(Span, String)> = Vec::new();
    warnings.retain(|w| {
        let key = (w.span, w.message.clone());
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
}

/// A plain-text dump of the pages, positions rounded to a tenth of a point: for snapshot
/// tests and for looking at a layout without a PDF viewer.
pub fn dump(doc: &PagedDocument) -> String {
    let mut s = String::new();
    for (i, page) in doc.pages.iter().enumerate() {
        let _ = writeln!(s, "page {i} {:?} {:.1}x{:.1}", page.label, page.width, page.height);
        for (p, item) in &page.items {
            let _ = match item {
                FrameItem::Text(run) => writeln!(
                    s,
                    "  text {:.1},{:.1} {:?} {:.1}pt x{:.3}{} {:?}",
                    p.x,
                    p.y,
                    run.style,
                    run.size,
                    run.scale,
                    if run.artifact { " artifact" } else { "" },
                    run.text
                ),
                FrameItem::Rule { width, thickness } => writeln!(s, "  rule {:.1},{:.1} w{width:.1} t{thickness:.1}", p.x, p.y),
                FrameItem::Link { width, height, target } => {
                    writeln!(s, "  link {:.1},{:.1} {width:.1}x{height:.1} {target:?}", p.x, p.y)
                }
                FrameItem::Anchor(name) => writeln!(s, "  anchor {:.1},{:.1} {name}", p.x, p.y),
            };
        }
    }
    for e in &doc.outline {
        let _ = writeln!(s, "outline {} {:?} page {} y {:.1}", e.level, e.title, e.page, e.y);
    }
    s
}

#[cfg(test)]
mod tests;
