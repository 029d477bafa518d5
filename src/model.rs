//! The document model: what a book *is*, independent of Markdown, XHTML and PDF.
//!
//! `manuscript` builds a [`Document`] once from the Markdown source; `epub` and `layout`
//! both read it and nothing else. The types are plain owned data so that either renderer
//! can walk them freely. Every node a user may be told about carries a [`Span`] into the
//! manuscript, so that a problem found late (a glyph missing from the font while the PDF
//! is laid out) can still be reported at its line and column.

use std::fmt;

/// A byte range in the manuscript source. `Span::DETACHED` marks generated content
/// (the title page, the colophon) that has no place in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// The span of generated content.
    pub const DETACHED: Span = Span { start: u32::MAX, end: u32::MAX };

    /// A span over `range`, clamped to what fits in 32 bits (manuscripts are far smaller).
    pub fn new(range: std::ops::Range<usize>) -> Span {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX - 1);
        Span { start: clamp(range.start), end: clamp(range.end) }
    }

    /// Whether this span points into the source.
    pub fn is_detached(self) -> bool {
        self.start == u32::MAX
    }
}

/// The metadata of a book, read from `book.toml` by `config`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// The main title.
    pub title: String,
    /// The subtitle, if any.
    pub subtitle: Option<String>,
    /// Authors, editors, translators, in the order given.
    pub creators: Vec<Creator>,
    /// BCP 47 language tag, such as `en` or `en-GB`.
    pub language: String,
    /// A stable unique identifier, normally `urn:uuid:…`.
    pub identifier: String,
    /// Publication date as written in book.toml (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub date: String,
    /// The publisher, if any.
    pub publisher: Option<String>,
    /// The rights statement, if any.
    pub rights: Option<String>,
    /// A description or blurb, if any.
    pub description: Option<String>,
    /// Subject keywords.
    pub subjects: Vec<String>,
    /// The last modification time of the edition, as seconds since the Unix epoch; it is
    /// taken from book.toml or `SOURCE_DATE_EPOCH`, never from the clock.
    pub modified: i64,
}

/// Someone credited for the book.
#[derive(Debug, Clone, PartialEq)]
pub struct Creator {
    /// The name as it should be printed.
    pub name: String,
    /// The role, as a MARC relator code (`aut`, `edt`, `trl`…).
    pub role: String,
}

/// A whole book: its metadata, its body and its notes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Title, creators and the rest of the metadata.
    pub meta: Metadata,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
    /// The footnotes, numbered by first reference: `notes[i].number == i + 1`.
    pub notes: Vec<Footnote>,
}

/// The number of a footnote as printed, counted from 1 in order of first reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoteId(pub u32);

impl NoteId {
    /// The index of this note in [`Document::notes`].
    pub fn index(self) -> usize {
        self.0.saturating_sub(1) as usize
    }
}

impl fmt::Display for NoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A footnote's body.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    /// The printed number.
    pub number: NoteId,
    /// The label used in the manuscript (`[^label]`), kept for diagnostics.
    pub label: String,
    /// How many times the text refers to this note (at least one).
    pub references: u32,
    /// The note's content.
    pub blocks: Vec<Block>,
    /// Where the definition stands in the manuscript.
    pub span: Span,
}

/// How a column of a table is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// No alignment given: the renderer's default.
    None,
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading; level 1 is the highest.
    Heading {
        /// 1 to 6.
        level: u8,
        /// A unique anchor: the `{#id}` given in the manuscript or one derived from the text.
        id: String,
        /// The heading's text.
        content: Vec<Inline>,
        /// Source position.
        span: Span,
    },
    /// A paragraph of running text.
    Paragraph {
        /// The text.
        content: Vec<Inline>,
        /// Source position.
        span: Span,
    },
    /// A block quotation, which may nest.
    Quote {
        /// The quoted blocks.
        blocks: Vec<Block>,
        /// Source position.
        span: Span,
    },
    /// A bulleted or numbered list.
    List {
        /// `Some(first number)` for an ordered list.
        start: Option<u64>,
        /// Whether the items are tight (no paragraph spacing between them).
        tight: bool,
        /// The items.
        items: Vec<ListItem>,
        /// Source position.
        span: Span,
    },
    /// Preformatted text, such as program code.
    Code {
        /// The info string's first word, if any.
        lang: Option<String>,
        /// The text, with its final newline.
        text: String,
        /// Source position.
        span: Span,
    },
    /// A thematic break: in a book, a section break.
    Rule {
        /// Source position.
        span: Span,
    },
    /// A table.
    Table {
        /// One alignment per column.
        align: Vec<Align>,
        /// The header row's cells.
        head: Vec<Vec<Inline>>,
        /// The body rows.
        rows: Vec<Vec<Vec<Inline>>>,
        /// Source position.
        span: Span,
    },
}

impl Block {
    /// Where the block stands in the manuscript.
    pub fn span(&self) -> Span {
        match self {
            Block::Heading { span, .. }
            | Block::Paragraph { span, .. }
            | Block::Quote { span, .. }
            | Block::List { span, .. }
            | Block::Code { span, .. }
            | Block::Rule { span }
            | Block::Table { span, .. } => *span,
        }
    }
}

/// One item of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// `Some(checked)` for a task-list item.
    pub task: Option<bool>,
    /// The item's content. In a tight list its paragraphs carry no spacing.
    pub blocks: Vec<Block>,
}

/// An inline element.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text, with smart punctuation already applied.
    Text(String),
    /// Emphasis, usually italic.
    Emphasis(Vec<Inline>),
    /// Strong emphasis, usually bold.
    Strong(Vec<Inline>),
    /// Struck-out text.
    Strikethrough(Vec<Inline>),
    /// Superscript (from raw `<sup>`).
    Superscript(Vec<Inline>),
    /// Subscript (from raw `<sub>`).
    Subscript(Vec<Inline>),
    /// Inline code.
    Code(String),
    /// A hyperlink.
    Link {
        /// The destination as written: a URL, or `#id` for a place in the book.
        url: String,
        /// The link's title, if any.
        title: Option<String>,
        /// The linked text.
        content: Vec<Inline>,
    },
    /// A picture.
    Image {
        /// The file, relative to the book directory.
        src: String,
        /// The description read to those who cannot see it.
        alt: String,
        /// The title, if any.
        title: Option<String>,
        /// Source position, for a missing file.
        span: Span,
    },
    /// A reference to a footnote.
    NoteRef {
        /// Which note.
        note: NoteId,
        /// Which reference to that note this is, from 0, so each gets its own anchor.
        nth: u32,
        /// Source position.
        span: Span,
    },
    /// A soft line break in the source: a space in the output.
    SoftBreak,
    /// A forced line break.
    HardBreak,
}

impl Inline {
    /// The inlines nested inside this one; empty for text, code, pictures, notes and
    /// breaks. Walkers use it so that a new container variant is handled in one place.
    pub fn children(&self) -> &[Inline] {
        match self {
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Link { content: c, .. } => c,
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Image { .. }
            | Inline::NoteRef { .. }
            | Inline::SoftBreak
            | Inline::HardBreak => &[],
        }
    }

    /// Appends the plain text of `inlines` to `out` (notes and images left out): what a
    /// heading contributes to a table of contents, an outline or a running head.
    pub fn plain_text(inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text(t) | Inline::Code(t) => out.push_str(t),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Link { content: c, .. } => Inline::plain_text(c, out),
                Inline::SoftBreak | Inline::HardBreak => out.push(' '),
                Inline::Image { .. } | Inline::NoteRef { .. } => {}
            }
        }
    }

    /// The plain text of `inlines` as a new string.
    pub fn to_plain(inlines: &[Inline]) -> String {
        let mut s = String::new();
        Inline::plain_text(inlines, &mut s);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_skips_notes_and_joins_breaks() {
        let inl = vec![
            Inline::Text("On ".into()),
            Inline::Emphasis(vec![Inline::Text("“Necessity”".into())]),
            Inline::NoteRef { note: NoteId(1), nth: 0, span: Span::DETACHED },
            Inline::SoftBreak,
            Inline::Code("x".into()),
        ];
        assert_eq!(Inline::to_plain(&inl), "On “Necessity” x");
    }

    #[test]
    fn note_index_is_number_minus_one() {
        assert_eq!(NoteId(1).index(), 0);
        assert_eq!(NoteId(0).index(), 0);
    }
}
