//! Paragraphs: collected text → shaped, hyphenated, broken and justified lines.
//!
//! The paragraph pipeline, one step per function:
//!
//! 1. **collect** ([`super::collect`]): inlines → one string and styled pieces;
//! 2. **shape** ([`Paragraph::prepare`]): each piece is shaped once, in its face, with
//!    kerning and ligatures; words are cut at hyphenation points and at their own hyphens
//!    and slashes, only where a glyph cluster begins, so a ligature is never split;
//! 3. **items**: the pieces of words become boxes (which may expand or condense by up to
//!    2%, as pdfTeX's font expansion does, and may hang punctuation into the margins), the
//!    spaces glue, the cut points penalties;
//! 4. **linebreak** ([`super::linebreak`]): Knuth–Plass total fit over the items, with a
//!    looseness the paginator may ask for;
//! 5. **finalize** ([`Paragraph::finalize`]): each line becomes glyph runs placed with
//!    exact advances: the justification goes into the space glyphs (real spaces, so copied
//!    text has its words apart), the expansion into the run's scale, the margin kerning
//!    into the line's start; links, strike-outs and note anchors come along.
//!
//! A [`Paragraph`] keeps what steps 2–3 made, so that re-breaking it for the paginator
//! costs only steps 4–5.

use std::collections::HashMap;
use std::ops::Range;

use crate::fonts::{Fonts, ShapedGlyph, Style};
use crate::layout::collect::{Collected, PieceKind};
use crate::layout::frame::{FrameItem, Glyph, LinkTarget, Point, TextRun};
use crate::layout::hyphenate::{is_url_like, url_breaks, Break, BreakKind, Hyphenator};
use crate::layout::linebreak::{self, Breaks, Item, Linebreaker, Measure, Params, Pass};
use crate::layout::paginate::LineBox;
use crate::layout::LayoutWarning;
use crate::model::{NoteId, Span};

/// How far a box may be expanded or condensed, as a share of its width (pdfTeX's
/// `\pdfadjustspacing` with a stretch and shrink of 20 thousandths). More is visible as a
/// change of colour between lines; less gives the spaces too much to do.
pub const EXPANSION: f32 = 0.02;

/// Stretch of the inter-word glue as a share of the space's width: TeX's proportion (and
/// what the line breaker's defaults are tuned for). Font expansion adds its own stretch
/// on top, so a line reaches the measure with less change in its spaces.
const SPACE_STRETCH: f32 = 0.5;
/// Shrink of the inter-word glue as a share of the space's width. TeX's 1/3 lets a space
/// close to 0.67 of its width, which reads as cramped beside our near-natural lines;
/// 0.28 keeps every gap above 0.7 (see [`Params::hyphen_penalty`] for the measurements).
const SPACE_SHRINK: f32 = 0.28;

/// How far characters at a line's end may hang into the right margin, as a share of their
/// advance: light punctuation almost half out, so the margin looks straight to the eye.
fn protrusion_right(c: char) -> f32 {
    match c {
        '.' | ',' => 0.6,
        '-' | '\u{2010}' | '\u{2011}' => 0.6,
        '’' | '\'' => 0.6,
        '”' | '"' => 0.5,
        ':' | ';' => 0.4,
        '…' => 0.3,
        '–' => 0.3,
        '—' => 0.22,
        '!' | '?' => 0.15,
        ')' | ']' => 0.05,
        _ => 0.0,
    }
}

/// How far characters at a line's start may hang into the left margin.
fn protrusion_left(c: char) -> f32 {
    match c {
        '“' | '"' => 0.5,
        '‘' | '\'' => 0.6,
        '(' | '[' => 0.05,
        _ => 0.0,
    }
}

/// How a paragraph's lines are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left and right (the last line flush left).
    Justify,
    /// Flush left, ragged right.
    Left,
    /// Centred.
    Center,
}

/// The settings a paragraph is set with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParaStyle {
    /// Type size in points.
    pub size: f32,
    /// Baseline-to-baseline distance.
    pub leading: f32,
    /// Line width in points.
    pub measure: f32,
    /// First-line indent in points.
    pub indent: f32,
    /// Alignment.
    pub align: Align,
    /// Whether words may be hyphenated.
    pub hyphenate: bool,
    /// Whether the lines sit on the body grid.
    pub grid: bool,
}

/// Per-face glyphs that layout adds itself.
#[derive(Debug, Clone, Copy, Default)]
struct FaceGlyphs {
    /// The space: id and advance in ems.
    space: (u16, f32),
    /// The hyphen added at a line's end.
    hyphen: (u16, f32),
}

/// The shared state of paragraph setting: fonts, the hyphenator, the line breaker's
/// buffers and scratch space, kept for the whole document.
pub struct Setter<'f> {
    /// The family.
    pub fonts: &'f Fonts,
    faces: [FaceGlyphs; 4],
    /// Breaks inside words by the patterns of the book's language.
    hyphenator: Hyphenator,
    /// Breaks at explicit hyphens and dashes only, for text that is never hyphenated.
    plain: Hyphenator,
    breaker: Linebreaker,
    params: Params,
    /// Scratch: break points of one word.
    points: Vec<Break>,
    /// Scratch: break points of one URL.
    url_points: Vec<usize>,
    /// Scratch: which bytes of a piece start a glyph cluster.
    cluster_starts: Vec<bool>,
    /// The break points of each word met so far: a book repeats its words, and looking
    /// them up in the patterns is a good part of the cost of setting a paragraph.
    word_breaks: HashMap<String, Vec<Break>>,
    /// Which printable ASCII characters each face has, one bit per character: most text
    /// is ASCII, and asking the font's `cmap` for every character is not free.
    ascii: [u128; 4],
}

fn style_index(style: Style) -> usize {
    match style {
        Style::Regular => 0,
        Style::Italic => 1,
        Style::Bold => 2,
        Style::BoldItalic => 3,
    }
}

impl<'f> Setter<'f> {
    /// A setter for `fonts`, hyphenating for `language` (a BCP 47 tag) where it can; a
    /// language without patterns is set without hyphenation, with a warning.
    pub fn new(fonts: &'f Fonts, language: &str, warnings: &mut Vec<LayoutWarning>) -> Setter<'f> {
        let mut faces = [FaceGlyphs::default(); 4];
        let mut scratch = Vec::new();
        for style in Style::ALL {
            let face = fonts.face(style);
            let mut one = |text: &str| {
                scratch.clear();
                face.shape(text, &mut scratch);
                scratch.first().map_or((0, 0.25), |g| (g.id, g.x_advance))
            };
            faces[style_index(style)] = FaceGlyphs { space: one(" "), hyphen: one("-") };
        }
        let mut ascii = [0u128; 4];
        for style in Style::ALL {
            let face = fonts.face(style);
            for c in ' '..='~' {
                if face.has_char(c) {
                    ascii[style_index(style)] |= 1 << (c as u32);
                }
            }
        }
        let hyphenator = Hyphenator::new(language).unwrap_or_else(|unknown| {
            let d = unknown.to_diagnostic();
            let hint = d.hint.map(|h| format!(" ({h})")).unwrap_or_default();
            warnings.push(LayoutWarning { span: Span::DETACHED, message: format!("{}{hint}", d.message), missing: None });
            Hyphenator::without_patterns()
        });
        Setter {
            fonts,
            faces,
            hyphenator,
            plain: Hyphenator::without_patterns(),
            breaker: Linebreaker::new(),
            params: Params::default(),
            points: Vec::new(),
            url_points: Vec::new(),
            cluster_starts: Vec::new(),
            word_breaks: HashMap::new(),
            ascii,
        }
    }

    fn glyphs(&self, style: Style) -> FaceGlyphs {
        self.faces[style_index(style)]
    }

    /// Whether the face of `style` can draw `c`.
    pub fn has_char(&self, style: Style, c: char) -> bool {
        if (' '..='~').contains(&c) {
            self.ascii[style_index(style)] & (1 << (c as u32)) != 0
        } else {
            self.fonts.face(style).has_char(c)
        }
    }
}

/// What one item of a paragraph stands for (parallel to the line breaker's items).
#[derive(Debug, Clone, PartialEq)]
enum Atom {
    /// A word or a piece of one: glyphs of `piece`, covering `text`.
    Word { piece: usize, glyphs: Range<usize>, text: Range<usize> },
    /// An inter-word space (however many the source had), set in the face of `piece`.
    Space { piece: usize },
    /// A place to hyphenate: the hyphen is added if the line ends here.
    Hyphen { piece: usize },
    /// A place to break with nothing added (after a hyphen, a dash or a slash).
    Break,
    /// The first line's indent.
    Indent,
    /// A forced line break.
    Forced,
}

/// A shaped paragraph, ready to be broken into lines (again and again if need be).
#[derive(Debug, Clone)]
pub struct Paragraph {
    col: Collected,
    glyphs: Vec<ShapedGlyph>,
    atoms: Vec<Atom>,
    items: Vec<Item>,
    /// The settings.
    pub style: ParaStyle,
    /// Where the paragraph stands in the manuscript.
    pub span: Span,
}

/// A paragraph's lines as set, with what the paginator and the measurements need.
#[derive(Debug, Clone)]
pub struct SetLines {
    /// The lines.
    pub lines: Vec<LineBox>,
    /// The demerits of the breaking.
    pub demerits: f64,
    /// The looseness granted.
    pub looseness: i32,
    /// The inter-word gap of each justified line (not the last), as a share of the
    /// natural space.
    pub gaps: Vec<f32>,
    /// Whether some line needed the emergency or fallback pass.
    pub strained: bool,
}

impl Paragraph {
    /// Steps 2 and 3: shapes the collected text and turns it into line-breaking items.
    pub fn prepare(col: Collected, style: ParaStyle, span: Span, setter: &mut Setter<'_>) -> Paragraph {
        let mut p = Paragraph { col, glyphs: Vec::new(), atoms: Vec::new(), items: Vec::new(), style, span };
        if style.indent > 0.0 {
            p.atoms.push(Atom::Indent);
            p.items.push(Item::word(style.indent));
        }
        for index in 0..p.col.pieces.len() {
            p.shape_piece(index, setter);
        }
        p
    }

    /// The width of the paragraph set on one line at natural spacing.
    pub fn natural_width(&self) -> f32 {
        self.items.iter().map(Item::width).sum()
    }

    /// Whether the paragraph has nothing to set.
    pub fn is_empty(&self) -> bool {
        !self.atoms.iter().any(|a| matches!(a, Atom::Word { .. }))
    }

    /// The size of a piece in points.
    fn piece_size(&self, piece: usize) -> f32 {
        self.style.size * self.col.pieces[piece].size
    }

    /// Shapes one piece and appends its atoms and items.
    fn shape_piece(&mut self, index: usize, setter: &mut Setter<'_>) {
        let piece = self.col.pieces[index].clone();
        if piece.kind == PieceKind::HardBreak {
            self.atoms.push(Atom::Forced);
            self.items.push(Item::forced_break());
            return;
        }
        let size = self.piece_size(index);
        let face = setter.fonts.face(piece.style);
        let text = &self.col.text[piece.range.clone()];
        let first_glyph = self.glyphs.len();
        face.shape(text, &mut self.glyphs);
        // Which byte offsets of the piece begin a cluster: only there may a word be cut.
        let starts = &mut setter.cluster_starts;
        starts.clear();
        starts.resize(text.len() + 1, false);
        starts[text.len()] = true;
        for g in &self.glyphs[first_glyph..] {
            if let Some(s) = starts.get_mut(g.cluster as usize) {
                *s = true;
            }
        }
        let space = setter.glyphs(piece.style).space;
        let space_width = space.1 * size;
        let hyphen_width = setter.glyphs(piece.style).hyphen.1 * size;
        let base = piece.range.start;
        let mut g = first_glyph; // next glyph not yet given to an atom
        let mut chars = text.char_indices().peekable();
        while let Some(&(i, c)) = chars.peek() {
            if c == ' ' {
                let mut end = i;
                while let Some(&(j, ' ')) = chars.peek() {
                    end = j + 1;
                    chars.next();
                }
                while g < self.glyphs.len() && (self.glyphs[g].cluster as usize) < end {
                    g += 1;
                }
                // Consecutive spaces (across pieces too) make one glue, and a space opening
                // the paragraph makes none.
                let after_word = matches!(self.atoms.last(), Some(Atom::Word { .. }));
                if after_word {
                    self.atoms.push(Atom::Space { piece: index });
                    self.items.push(Item::glue(space_width, space_width * SPACE_STRETCH, space_width * SPACE_SHRINK));
                }
                continue;
            }
            // A word: up to the next space or the piece's end.
            let mut end = text.len();
            while let Some(&(j, c)) = chars.peek() {
                if c == ' ' {
                    end = j;
                    break;
                }
                chars.next();
            }
            let word = &text[i..end];
            // Where the word may be cut, as offsets within it, and how: URLs and code at
            // their slashes and dots, prose at its syllables (if this text may be
            // hyphenated) and after its own hyphens and dashes.
            let mut cuts: Vec<(usize, Cut)> = Vec::new();
            if piece.literal || is_url_like(word) {
                setter.url_points.clear();
                url_breaks(word, &mut setter.url_points);
                cuts.extend(setter.url_points.iter().map(|&at| (at, Cut::Url)));
            } else if piece.kind == PieceKind::Text {
                setter.points.clear();
                if !self.style.hyphenate {
                    setter.plain.breaks(word, &mut setter.points);
                } else if let Some(known) = setter.word_breaks.get(word) {
                    setter.points.extend_from_slice(known);
                } else {
                    setter.hyphenator.breaks(word, &mut setter.points);
                    setter.word_breaks.insert(word.to_string(), setter.points.clone());
                }
                cuts.extend(setter.points.iter().map(|b| {
                    let cut = match b.kind {
                        BreakKind::Discretionary => Cut::Hyphen,
                        BreakKind::Hyphen => Cut::Explicit,
                        BreakKind::Dash => Cut::Dash,
                    };
                    (b.offset, cut)
                }));
            }
            // Only where a glyph cluster begins: a ligature is never split.
            cuts.retain(|&(at, _)| {
                at > 0 && at < word.len() && setter.cluster_starts.get(i + at).copied().unwrap_or(false)
            });
            let mut from = 0;
            for k in 0..=cuts.len() {
                let (to, cut) = match cuts.get(k) {
                    Some(&(at, cut)) => (at, Some(cut)),
                    None => (word.len(), None),
                };
                let (a, b) = (i + from, i + to);
                let g0 = g;
                while g < self.glyphs.len() && (self.glyphs[g].cluster as usize) < b {
                    g += 1;
                }
                let width: f32 = self.glyphs[g0..g].iter().map(|x| x.x_advance).sum::<f32>() * size;
                let (left, right) = protrusions(&text[a..b], &self.glyphs[g0..g], size, piece.kind);
                self.atoms.push(Atom::Word { piece: index, glyphs: g0..g, text: base + a..base + b });
                self.items.push(
                    Item::word(width)
                        .with_stretch(width * EXPANSION, width * EXPANSION)
                        .protruding(if from == 0 { left } else { 0.0 }, right),
                );
                let p = setter.params;
                match cut {
                    None => {}
                    Some(Cut::Hyphen) => {
                        self.atoms.push(Atom::Hyphen { piece: index });
                        let hang = protrusion_right('-') * hyphen_width;
                        self.items.push(Item::penalty(hyphen_width, p.hyphen_penalty, true).protruding(0.0, hang));
                    }
                    Some(Cut::Explicit) => {
                        self.atoms.push(Atom::Break);
                        self.items.push(Item::penalty(0.0, p.explicit_hyphen_penalty, true));
                    }
                    Some(Cut::Dash) => {
                        self.atoms.push(Atom::Break);
                        self.items.push(Item::penalty(0.0, p.dash_penalty, false));
                    }
                    Some(Cut::Url) => {
                        self.atoms.push(Atom::Break);
                        self.items.push(Item::penalty(0.0, p.url_penalty, false));
                    }
                }
                from = to;
            }
        }
    }

    /// Step 4: breaks the paragraph into lines, `looseness` lines longer or shorter than
    /// the best if that can be done within tolerance.
    pub fn break_lines(&self, setter: &mut Setter<'_>, looseness: i32) -> Breaks {
        let measure = Measure::Uniform(self.style.measure);
        setter.breaker.linebreak(&self.items, measure, &setter.params, looseness)
    }

    /// Steps 4 and 5: the paragraph set with `looseness`.
    pub fn set(&self, setter: &mut Setter<'_>, looseness: i32, warnings: &mut Vec<LayoutWarning>) -> SetLines {
        let breaks = self.break_lines(setter, looseness);
        self.finalize(&breaks, setter, warnings)
    }

    /// Step 5: turns broken lines into line boxes of glyph runs.
    pub fn finalize(&self, breaks: &Breaks, setter: &Setter<'_>, warnings: &mut Vec<LayoutWarning>) -> SetLines {
        let mut out = SetLines {
            lines: Vec::with_capacity(breaks.lines.len()),
            demerits: breaks.demerits,
            looseness: breaks.looseness,
            gaps: Vec::new(),
            strained: breaks.pass > Pass::Hyphenated,
        };
        let count = breaks.lines.len();
        for (n, line) in breaks.lines.iter().enumerate() {
            let last = n + 1 == count || matches!(self.atoms.get(line.end), Some(Atom::Forced));
            let (lb, gap) = self.set_line(line, last, setter);
            if line.overfull {
                let excess = lb_width(&lb) - self.style.measure - line.protrude_right;
                warnings.push(LayoutWarning {
                    span: self.span,
                    message: format!(
                        "a line is {excess:.1} pt wider than the measure: “{}”",
                        line_text(&lb).chars().take(60).collect::<String>()
                    ),
                    missing: None,
                });
            }
            if let Some(gap) = gap {
                out.gaps.push(gap);
            }
            out.lines.push(lb);
        }
        out
    }

    /// Sets one line. Returns the line and, for a justified line, its gap ratio.
    fn set_line(&self, line: &linebreak::Line, last: bool, setter: &Setter<'_>) -> (LineBox, Option<f32>) {
        let st = &self.style;
        // How the line is stretched: a justified line by the breaker's ratio; the last line
        // and ragged lines at natural width unless they must shrink to fit.
        let mut ratio = line.ratio;
        if st.align != Align::Justify || last {
            ratio = ratio.min(0.0);
        }
        // Expansion is capped at EXPANSION even when a line stretches beyond its tolerance
        // (an emergency line): the rest goes into the spaces.
        let box_ratio = ratio.clamp(-1.0, 1.0);
        let scale = 1.0 + box_ratio * EXPANSION;
        let range = line.range();
        let atoms = &self.atoms[range.clone()];
        let items = &self.items[range.clone()];
        // The spaces absorb what the boxes could not.
        let mut boxes = 0.0;
        let mut glue_natural = 0.0;
        for (atom, item) in atoms.iter().zip(items) {
            match atom {
                Atom::Word { .. } | Atom::Indent => {
                    boxes += item.width() * if matches!(atom, Atom::Word { .. }) { scale } else { 1.0 };
                }
                Atom::Space { .. } => glue_natural += item.width(),
                _ => {}
            }
        }
        let end_width = if line.hyphenated { line.end_width * scale } else { 0.0 };
        let target = st.measure + line.protrude_left + line.protrude_right;
        let glue_at = |r: f32| -> f32 {
            atoms.iter().zip(items).filter(|(a, _)| matches!(a, Atom::Space { .. })).map(|(_, i)| i.set_width(r)).sum()
        };
        let glue_set = if st.align == Align::Justify && !last {
            // Never tighter than the glue allows: an overfull line sticks out instead.
            (target - boxes - end_width).max(glue_at(-1.0))
        } else {
            glue_at(ratio)
        };
        let glue_factor = if glue_natural > 0.0 { glue_set / glue_natural } else { 1.0 };
        let content = boxes + end_width + glue_set;
        let x0 = match st.align {
            Align::Justify | Align::Left => -line.protrude_left,
            Align::Center => ((st.measure - content) / 2.0).max(-line.protrude_left),
        };

        let mut b = RunBuilder::new(self, setter, scale, x0);
        for atom in atoms {
            match atom {
                Atom::Word { piece, glyphs, text, .. } => b.word(*piece, glyphs.clone(), text.clone()),
                Atom::Space { piece, .. } => b.space(*piece, glue_factor),
                Atom::Indent => b.skip(st.indent),
                Atom::Hyphen { .. } | Atom::Break | Atom::Forced => {}
            }
        }
        if line.hyphenated {
            if let Some(Atom::Hyphen { piece }) = self.atoms.get(line.end) {
                b.hyphen(*piece);
            }
        }
        let items = b.finish();
        let spaces = atoms.iter().filter(|a| matches!(a, Atom::Space { .. })).count();
        let gap = (st.align == Align::Justify && !last && spaces > 0).then_some(glue_factor);
        let lb = LineBox {
            items,
            advance: st.leading,
            height: st.size * 0.8,
            depth: 0.0,
            grid: st.grid,
            hyphenated: line.hyphenated,
            ..LineBox::default()
        };
        let mut lb = lb;
        lb.notes = self.first_refs(atoms);
        (lb, gap)
    }

    /// Notes first referred to among `atoms`.
    fn first_refs(&self, atoms: &[Atom]) -> Vec<NoteId> {
        let mut notes = Vec::new();
        for atom in atoms {
            if let Atom::Word { piece, .. } = atom {
                if let PieceKind::NoteRef { note, nth: 0 } = self.col.pieces[*piece].kind {
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                }
            }
        }
        notes
    }
}

/// How a word may be cut at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// Hyphenation: a hyphen is added.
    Hyphen,
    /// After the word's own hyphen.
    Explicit,
    /// After a dash.
    Dash,
    /// Inside a URL or path, after `/` or `.`: nothing added.
    Url,
}

/// Margin protrusion of a piece of text: (left, right) in points.
fn protrusions(text: &str, glyphs: &[ShapedGlyph], size: f32, kind: PieceKind) -> (f32, f32) {
    if kind != PieceKind::Text {
        return (0.0, 0.0);
    }
    let left = match (text.chars().next(), glyphs.first()) {
        (Some(c), Some(g)) => protrusion_left(c) * g.x_advance * size,
        _ => 0.0,
    };
    let right = match (text.chars().next_back(), glyphs.last()) {
        (Some(c), Some(g)) => protrusion_right(c) * g.x_advance * size,
        _ => 0.0,
    };
    (left, right)
}

/// The horizontal extent of a line's text runs, from its left edge.
fn lb_width(lb: &LineBox) -> f32 {
    lb.items
        .iter()
        .filter_map(|(p, item)| match item {
            FrameItem::Text(run) => Some(p.x + run.glyphs.iter().map(|g| g.advance).sum::<f32>()),
            _ => None,
        })
        .fold(0.0, f32::max)
}

/// The text of a line's runs, for messages and tests.
pub fn line_text(lb: &LineBox) -> String {
    let mut s = String::new();
    for (_, item) in &lb.items {
        if let FrameItem::Text(run) = item {
            s.push_str(&run.text);
        }
    }
    s
}

/// Builds the glyph runs of one line, left to right, and the links, anchors and rules
/// that follow the text.
struct RunBuilder<'a> {
    par: &'a Paragraph,
    setter: &'a Setter<'a>,
    scale: f32,
    x: f32,
    items: Vec<(Point, FrameItem)>,
    /// The run being built: its piece (for style, size, rise) and start.
    run: Option<(usize, f32, TextRun)>,
    /// Open link: (link index, x where it starts, x where its last glyph ended).
    link: Option<(usize, f32, f32)>,
    /// Open strike-out: (x start, x end, size).
    strike: Option<(f32, f32, f32)>,
}

impl<'a> RunBuilder<'a> {
    fn new(par: &'a Paragraph, setter: &'a Setter<'a>, scale: f32, x: f32) -> RunBuilder<'a> {
        RunBuilder { par, setter, scale, x, items: Vec::new(), run: None, link: None, strike: None }
    }

    /// Whether `piece` can join the open run.
    fn same_run(&self, piece: usize) -> bool {
        let Some((p, _, _)) = &self.run else { return false };
        let (a, b) = (&self.par.col.pieces[*p], &self.par.col.pieces[piece]);
        a.style == b.style && a.size == b.size && a.rise == b.rise && a.kind == b.kind
    }

    fn flush(&mut self) {
        if let Some((piece, x, run)) = self.run.take() {
            if !run.glyphs.is_empty() {
                let rise = self.par.col.pieces[piece].rise * self.par.style.size;
                self.items.push((Point { x, y: -rise }, FrameItem::Text(run)));
            }
        }
    }

    fn open(&mut self, piece: usize) -> &mut TextRun {
        if !self.same_run(piece) {
            self.flush();
        }
        let (par, x, scale) = (self.par, self.x, self.scale);
        let p = &par.col.pieces[piece];
        let run = self.run.get_or_insert_with(|| {
            let run = TextRun {
                style: p.style,
                size: par.piece_size(piece),
                scale,
                text: String::new(),
                glyphs: Vec::new(),
                artifact: false,
            };
            (piece, x, run)
        });
        &mut run.2
    }

    /// Follows links and strike-outs over `from..to` of `piece`.
    fn decorate(&mut self, piece: usize, from: f32, to: f32) {
        let p = &self.par.col.pieces[piece];
        match (p.link, &mut self.link) {
            (Some(l), Some((open, _, end))) if *open == l => *end = to,
            (l, _) => {
                self.close_link();
                if let Some(l) = l {
                    self.link = Some((l, from, to));
                }
            }
        }
        match (p.strike, &mut self.strike) {
            (true, Some((_, end, _))) => *end = to,
            (true, None) => self.strike = Some((from, to, self.par.piece_size(piece))),
            (false, _) => self.close_strike(),
        }
    }

    fn close_link(&mut self) {
        if let Some((l, a, b)) = self.link.take() {
            let size = self.par.style.size;
            let target = self.par.col.links.get(l).cloned().unwrap_or(LinkTarget::Url(String::new()));
            self.items
                .push((Point { x: a, y: -0.9 * size }, FrameItem::Link { width: b - a, height: 1.2 * size, target }));
        }
    }

    fn close_strike(&mut self) {
        if let Some((a, b, size)) = self.strike.take() {
            let x_height = self.setter.fonts.face(Style::Regular).metrics().x_height;
            self.items.push((
                Point { x: a, y: -0.55 * x_height * size },
                FrameItem::Rule { width: b - a, thickness: 0.06 * size },
            ));
        }
    }

    fn word(&mut self, piece: usize, glyphs: Range<usize>, text: Range<usize>) {
        let par = self.par;
        let p = &par.col.pieces[piece];
        let size = par.piece_size(piece);
        let scale = self.scale;
        let start_x = self.x;
        if let PieceKind::NoteRef { note, nth } = p.kind {
            // The reference's anchor, for the note's number to link back to, and its link
            // to the note.
            self.flush();
            let name = if nth == 0 { format!("fnref{note}") } else { format!("fnref{note}-{}", nth + 1) };
            self.items.push((Point { x: start_x, y: -par.style.size }, FrameItem::Anchor(name)));
        }
        let piece_start = p.range.start;
        let run = self.open(piece);
        let offset = run.text.len() as u32;
        run.text.push_str(&par.col.text[text.clone()]);
        let mut advance_sum = 0.0;
        let glyph_slice = &par.glyphs[glyphs];
        for (k, g) in glyph_slice.iter().enumerate() {
            let cluster = g.cluster as usize + piece_start;
            // The cluster's end: the next glyph's cluster if it is greater, else the word's end.
            let end = glyph_slice[k + 1..]
                .iter()
                .map(|n| n.cluster as usize + piece_start)
                .find(|&c| c > cluster)
                .unwrap_or(text.end)
                .min(text.end);
            let a = offset + (cluster.max(text.start) - text.start) as u32;
            let b = offset + (end.max(cluster) - text.start) as u32;
            let advance = g.x_advance * size * scale;
            advance_sum += advance;
            run.glyphs.push(Glyph {
                id: g.id,
                advance,
                x_offset: g.x_offset * size * scale,
                y_offset: g.y_offset * size,
                range: a..b.max(a),
            });
        }
        self.x += advance_sum;
        let end_x = self.x;
        self.decorate(piece, start_x, end_x);
        if let PieceKind::NoteRef { note, .. } = self.par.col.pieces[piece].kind {
            self.flush();
            let size = self.par.style.size;
            self.items.push((
                Point { x: start_x, y: -size },
                FrameItem::Link {
                    width: end_x - start_x,
                    height: 1.2 * size,
                    target: LinkTarget::Anchor(format!("fn{note}")),
                },
            ));
        }
    }

    fn space(&mut self, piece: usize, factor: f32) {
        let par = self.par;
        let size = par.piece_size(piece);
        let (id, em) = self.setter.glyphs(par.col.pieces[piece].style).space;
        let advance = em * size * factor;
        let start_x = self.x;
        // However many spaces the source had, one space stands for them.
        self.push_glyph(piece, ' ', id, advance);
        // A space inside a link or strike-out belongs to it; one at its edge does not,
        // which `decorate` sees when the next word is outside.
        let p = &par.col.pieces[piece];
        if let Some((l, _, end)) = &mut self.link {
            if p.link == Some(*l) {
                *end = start_x + advance;
            }
        }
        if let Some((_, end, _)) = &mut self.strike {
            if p.strike {
                *end = start_x + advance;
            }
        }
    }

    fn hyphen(&mut self, piece: usize) {
        let size = self.par.piece_size(piece);
        let (id, em) = self.setter.glyphs(self.par.col.pieces[piece].style).hyphen;
        let advance = em * size * self.scale;
        let start_x = self.x;
        self.push_glyph(piece, '-', id, advance);
        self.decorate(piece, start_x, self.x);
    }

    /// Sets one glyph standing for the one-byte character `ch` that the source does not
    /// spell there (a space for however many, or an added hyphen), and moves the pen.
    fn push_glyph(&mut self, piece: usize, ch: char, id: u16, advance: f32) {
        let run = self.open(piece);
        let offset = run.text.len() as u32;
        run.text.push(ch);
        let end = offset + ch.len_utf8() as u32;
        run.glyphs.push(Glyph { id, advance, x_offset: 0.0, y_offset: 0.0, range: offset..end });
        self.x += advance;
    }

    fn skip(&mut self, width: f32) {
        self.flush();
        self.x += width;
    }

    fn finish(mut self) -> Vec<(Point, FrameItem)> {
        // Links and strike-outs that end with a space are trimmed to their last glyph.
        self.flush();
        self.close_link();
        self.close_strike();
        self.items
    }
}
