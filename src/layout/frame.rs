//! What layout produces: pages of positioned items, in points, knowing nothing of PDF.
//!
//! Coordinates: the origin is the top-left corner of the page, x grows to the right and y
//! grows downwards. A text run's position is the left end of its baseline. The PDF writer
//! flips y; a debug dump or another backend can read the same frames.

use std::ops::Range;

use crate::fonts::Style;

/// A laid-out book: pages in reading order and the outline of its headings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PagedDocument {
    /// The pages, first to last.
    pub pages: Vec<Page>,
    /// The headings, in reading order, for the PDF's bookmarks.
    pub outline: Vec<OutlineEntry>,
}

/// One page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// The printed page number ("folio") or label, such as `1` or `i`; `None` for pages
    /// that carry none in print but still need a label in a viewer (the title page).
    pub label: PageLabel,
    /// Everything placed on the page, in painting order.
    pub items: Vec<(Point, FrameItem)>,
}

/// How a page is named in a PDF viewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageLabel {
    /// Front matter: lower-case roman numerals, counted from 1.
    Roman(u32),
    /// The body: arabic numerals.
    Arabic(u32),
}

/// A position on the page, in points from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// From the left edge.
    pub x: f32,
    /// From the top edge, downwards.
    pub y: f32,
}

/// Something placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameItem {
    /// Glyphs of one face at one size, starting at the point (on the baseline).
    Text(TextRun),
    /// A horizontal rule starting at the point (its vertical centre).
    Rule {
        /// Length in points.
        width: f32,
        /// Thickness in points.
        thickness: f32,
    },
    /// A clickable area whose top-left corner is the point.
    Link {
        /// Width of the area.
        width: f32,
        /// Height of the area.
        height: f32,
        /// Where it leads.
        target: LinkTarget,
    },
    /// A named destination at the point, which links can jump to.
    Anchor(String),
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// An external URL.
    Url(String),
    /// A named [`FrameItem::Anchor`] in this document.
    Anchor(String),
}

/// A run of shaped glyphs in one face and size.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Which face of the family.
    pub style: Style,
    /// Type size in points.
    pub size: f32,
    /// Horizontal scale of the glyphs (1.0 = as designed). Used for slight font expansion
    /// when justifying; kept within 0.98..=1.02. The glyphs' advances and offsets already
    /// include it: it only tells a backend to draw the outlines this much wider.
    pub scale: f32,
    /// The text the glyphs stand for, for copy and paste and search.
    pub text: String,
    /// The glyphs, in visual order.
    pub glyphs: Vec<Glyph>,
    /// Whether this is page furniture (running head, folio) rather than content.
    pub artifact: bool,
}

/// One glyph of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The glyph's id in the font.
    pub id: u16,
    /// How far the pen moves after it, in points (including kerning and any
    /// justification added to a space).
    pub advance: f32,
    /// Horizontal offset from the pen position, in points.
    pub x_offset: f32,
    /// Vertical offset from the baseline, in points, upwards.
    pub y_offset: f32,
    /// The bytes of [`TextRun::text`] this glyph stands for; several glyphs may share one
    /// range (a decomposed accent) and one glyph may cover several characters (a ligature).
    pub range: Range<u32>,
}

/// A heading in the PDF outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// Nesting level from 1.
    pub level: u8,
    /// The heading's plain text.
    pub title: String,
    /// Index of the page it stands on.
    pub page: usize,
    /// Its position on the page (top of the heading), in points from the top.
    pub y: f32,
}
