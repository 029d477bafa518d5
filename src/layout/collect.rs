//! Collection: a block's inline content → one string of text and the styled pieces of it.
//!
//! The first step of the paragraph pipeline (collect → shape → items → linebreak →
//! finalize). Markup nesting is flattened here once: every later step sees a plain string
//! and a list of [`Piece`]s, each a byte range of that string with everything needed to
//! shape and place it (face, relative size, rise, link, strike-through, whether it may be
//! hyphenated). Characters the font cannot draw are replaced here, with a warning that
//! carries the block's span, so that no empty box ever reaches the page unannounced.

use std::ops::Range;

use crate::fonts::Style;
use crate::layout::frame::LinkTarget;
use crate::layout::paragraph::Setter;
use crate::layout::LayoutWarning;
use crate::model::{Inline, NoteId, Span};

/// Relative size of superscripts, subscripts and note references.
pub const SCRIPT_SIZE: f32 = 0.68;
/// Rise of a superscript (and note reference) above the baseline, in ems of the text size.
pub const SUPER_RISE: f32 = 0.36;
/// Drop of a subscript below the baseline, in ems of the text size.
pub const SUB_DROP: f32 = 0.16;
/// Relative size of inline code: there is no monospace face (only the book's family may
/// be used), so code is set in the same face a touch smaller to set it apart.
pub const CODE_SIZE: f32 = 0.92;
/// Deepest markup nesting followed; beyond it the text is kept but the styling stops
/// changing, so pathological input cannot recurse without bound.
const MAX_DEPTH: usize = 32;

/// What a piece is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    /// Running text.
    Text,
    /// A footnote reference: the text is the printed number.
    NoteRef {
        /// Which note.
        note: NoteId,
        /// Which reference to it (0 for the first).
        nth: u32,
    },
    /// A forced line break (its text is empty).
    HardBreak,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The bytes of [`Collected::text`] it covers.
    pub range: Range<usize>,
    /// What it is.
    pub kind: PieceKind,
    /// The face.
    pub style: Style,
    /// Size relative to the block's type size.
    pub size: f32,
    /// Baseline shift upwards, in ems of the block's type size.
    pub rise: f32,
    /// Index into [`Collected::links`] of the link it belongs to.
    pub link: Option<usize>,
    /// Whether to strike it through.
    pub strike: bool,
    /// Code or a URL-like word: never hyphenated, but breakable after `/`, `.` and `-`.
    pub literal: bool,
    /// Where it comes from, for warnings.
    pub span: Span,
}

/// The flattened inline content of one block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Collected {
    /// All the text, soft breaks as spaces.
    pub text: String,
    /// The pieces, in order, covering `text` without overlap.
    pub pieces: Vec<Piece>,
    /// Link targets, referred to by [`Piece::link`].
    pub links: Vec<LinkTarget>,
}

/// The settings a run of inlines is collected under.
#[derive(Debug, Clone, Copy)]
struct Ctx {
    style: Style,
    size: f32,
    rise: f32,
    link: Option<usize>,
    strike: bool,
    literal: bool,
}

/// Collects `inlines` in `style`; `span` is the block's place in the manuscript.
pub fn collect(
    inlines: &[Inline],
    style: Style,
    span: Span,
    setter: &Setter<'_>,
    warnings: &mut Vec<LayoutWarning>,
) -> Collected {
    let mut c = Collector { out: Collected::default(), setter, warnings, span };
    let ctx = Ctx { style, size: 1.0, rise: 0.0, link: None, strike: false, literal: false };
    c.inlines(inlines, ctx, 0);
    c.out
}

struct Collector<'a> {
    out: Collected,
    setter: &'a Setter<'a>,
    warnings: &'a mut Vec<LayoutWarning>,
    span: Span,
}

impl Collector<'_> {
    fn inlines(&mut self, inlines: &[Inline], ctx: Ctx, depth: usize) {
        let depth = depth + 1;
        let nest = |c: Ctx| if depth > MAX_DEPTH { ctx } else { c };
        for inline in inlines {
            match inline {
                Inline::Text(t) => self.text(t, ctx, PieceKind::Text, self.span),
                Inline::Code(t) => {
                    self.text(t, Ctx { size: ctx.size * CODE_SIZE, literal: true, ..ctx }, PieceKind::Text, self.span)
                }
                Inline::Emphasis(c) => self.inlines(c, nest(Ctx { style: ctx.style.toggle_italic(), ..ctx }), depth),
                Inline::Strong(c) => self.inlines(c, nest(Ctx { style: ctx.style.bold(), ..ctx }), depth),
                Inline::Strikethrough(c) => self.inlines(c, nest(Ctx { strike: true, ..ctx }), depth),
                Inline::Superscript(c) => {
                    let inner = Ctx { size: ctx.size * SCRIPT_SIZE, rise: ctx.rise + SUPER_RISE * ctx.size, ..ctx };
                    self.inlines(c, nest(inner), depth);
                }
                Inline::Subscript(c) => {
                    let inner = Ctx { size: ctx.size * SCRIPT_SIZE, rise: ctx.rise - SUB_DROP * ctx.size, ..ctx };
                    self.inlines(c, nest(inner), depth);
                }
                Inline::Link { url, content, .. } => {
                    let target = match url.strip_prefix('#') {
                        Some(id) => LinkTarget::Anchor(id.to_string()),
                        None => LinkTarget::Url(url.clone()),
                    };
                    self.out.links.push(target);
                    let link = Some(self.out.links.len() - 1);
                    // A bare URL as its own text is a literal: break it at its slashes and
                    // dots, never hyphenate it.
                    let literal = ctx.literal || Inline::to_plain(content).trim() == url.trim();
                    self.inlines(content, nest(Ctx { link, literal, ..ctx }), depth);
                }
                Inline::Image { alt, span, .. } => {
                    // Pictures are not set yet: the description stands in, in brackets.
                    let label =
                        if alt.trim().is_empty() { "[picture]".to_string() } else { format!("[{}]", alt.trim()) };
                    self.text(&label, Ctx { style: ctx.style.toggle_italic(), ..ctx }, PieceKind::Text, *span);
                }
                Inline::NoteRef { note, nth, span } => {
                    let number = note.to_string();
                    let sup = Ctx {
                        size: ctx.size * SCRIPT_SIZE,
                        rise: ctx.rise + SUPER_RISE * ctx.size,
                        link: None,
                        strike: false,
                        literal: true,
                        ..ctx
                    };
                    self.text(&number, sup, PieceKind::NoteRef { note: *note, nth: *nth }, *span);
                }
                Inline::SoftBreak => self.text(" ", ctx, PieceKind::Text, self.span),
                Inline::HardBreak => {
                    let at = self.out.text.len();
                    self.out.pieces.push(Piece {
                        range: at..at,
                        kind: PieceKind::HardBreak,
                        style: ctx.style,
                        size: ctx.size,
                        rise: 0.0,
                        link: None,
                        strike: false,
                        literal: false,
                        span: self.span,
                    });
                }
            }
        }
    }

    /// Appends `text` as a piece (merging with the previous piece when nothing differs),
    /// replacing characters the face lacks.
    fn text(&mut self, text: &str, ctx: Ctx, kind: PieceKind, span: Span) {
        if text.is_empty() {
            return;
        }
        let start = self.out.text.len();
        for ch in text.chars() {
            let ch = match ch {
                // Invisible format characters have nothing to draw: dropped quietly.
                '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => continue,
                '\t' | '\n' | '\r' => ' ',
                c if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' => ' ',
                c => c,
            };
            if ch == ' ' || self.setter.has_char(ctx.style, ch) {
                self.out.text.push(ch);
                continue;
            }
            let substitute =
                substitute(ch).filter(|s| s.chars().all(|c| self.setter.has_char(ctx.style, c))).unwrap_or("?");
            self.warnings.push(LayoutWarning {
                span,
                message: format!(
                    "the font has no glyph for `{ch}` (U+{:04X}); it is set as `{substitute}` in the PDF",
                    ch as u32
                ),
                missing: Some(ch),
            });
            self.out.text.push_str(substitute);
        }
        let range = start..self.out.text.len();
        if let Some(last) = self.out.pieces.last_mut() {
            let same = last.kind == PieceKind::Text
                && kind == PieceKind::Text
                && last.range.end == start
                && last.style == ctx.style
                && last.size == ctx.size
                && last.rise == ctx.rise
                && last.link == ctx.link
                && last.strike == ctx.strike
                && last.literal == ctx.literal;
            if same {
                last.range.end = range.end;
                return;
            }
        }
        self.out.pieces.push(Piece {
            range,
            kind,
            style: ctx.style,
            size: ctx.size,
            rise: ctx.rise,
            link: ctx.link,
            strike: ctx.strike,
            literal: ctx.literal,
            span,
        });
    }
}

/// A stand-in for characters some fonts lack, close in meaning.
fn substitute(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2011}' | '\u{2010}' => "-",
        '\u{2212}' => "-",
        '\u{2007}' | '\u{2009}' | '\u{200a}' | '\u{2002}' | '\u{2003}' => " ",
        '☐' => "[ ]",
        '☑' | '☒' => "[x]",
        '⁂' | '❧' => "*",
        '→' => "->",
        '←' => "<-",
        _ => return None,
    })
}
