//! Page content: frame items → printpdf operations.
//!
//! Layout has already decided where every glyph goes; this file only has to make the
//! viewer's pen land there. Consecutive text runs share one text object, each run
//! starting with a move (`Td`) from the start of the one before:
//!
//! ```text
//! BT  /FR 10 Tf  56 525.276 Td  [(…) -130 (…)] TJ  0 -13 Td  [(…)] TJ  …  ET
//! ```
//!
//! The viewer moves its pen after each glyph by the glyph's `/W` width; where the frame's
//! advance differs (kerning, justified spaces, the offsets of marks), a `TJ` number makes
//! up the difference. The writer tracks where the viewer's pen really is, using the same
//! widths as `/W`, so rounding never accumulates along a line: every glyph lands within
//! half a `TJ` unit of its place (see [`TJ_STEP`]).
//!
//! printpdf has operations for everything here except showing glyph ids compactly: its
//! `ShowText` writes each glyph as a separate hex string, three times the size of one
//! binary string per stretch of glyphs. So the `TJ` itself goes out as a raw operator
//! (`Op::Unknown`), which printpdf passes through unchanged when `secure` is off.

use std::collections::BTreeMap;

use printpdf::{DictItem, FontId, Op, PaintMode, PdfFontHandle, PdfPage, Pt, Rect, WindingOrder};

use super::collect::clusters;
use super::fonts::EmbeddedFont;
use crate::layout::frame::{FrameItem, PagedDocument, Point, TextRun};

/// The granularity of `TJ` numbers, in thousandths of an em: whole units. Half a unit,
/// the largest error, is 0.005 pt at 10 pt, far below anything a printer or a
/// measurement of word boxes resolves; a decimal more would cost about 5% of the file.
const TJ_STEP: f64 = 1.0;

/// The pages as printpdf pages, in order.
pub(super) fn pages(doc: &PagedDocument, fonts: &[EmbeddedFont<'_>]) -> Vec<PdfPage> {
    doc.pages
        .iter()
        .map(|page| {
            let mut ops = Vec::new();
            let mut state = TextState::default();
            for (at, item) in &page.items {
                match item {
                    FrameItem::Text(run) => {
                        if let Some(font) = fonts.iter().find(|f| f.style == run.style) {
                            text_run(&mut ops, &mut state, run, *at, page.height, font);
                        }
                    }
                    FrameItem::Rule { width, thickness } => {
                        // Paths may not be drawn inside a text object.
                        state.end_text(&mut ops);
                        ops.push(Op::DrawRectangle { rectangle: rule(*at, *width, *thickness, page.height) });
                    }
                    // Both become objects outside the content stream (see `finish`).
                    FrameItem::Link { .. } | FrameItem::Anchor(_) => {}
                }
            }
            state.end_text(&mut ops);
            let bounds = Rect {
                x: Pt(0.0),
                y: Pt(0.0),
                width: Pt(coord(page.width.into())),
                height: Pt(coord(page.height.into())),
                mode: None,
                winding_order: None,
            };
            PdfPage { media_box: bounds.clone(), trim_box: bounds.clone(), crop_box: bounds, ops }
        })
        .collect()
}

/// A horizontal rule centred on `at.y`, as a filled rectangle: black, the default fill.
fn rule(at: Point, width: f32, thickness: f32, page_height: f32) -> Rect {
    let bottom = f64::from(page_height) - f64::from(at.y) - f64::from(thickness) / 2.0;
    Rect {
        x: Pt(coord(at.x.into())),
        y: Pt(coord(bottom)),
        width: Pt(coord(width.into())),
        height: Pt(coord(thickness.into())),
        mode: Some(PaintMode::Fill),
        winding_order: Some(WindingOrder::NonZero),
    }
}

/// What the content stream has set so far, so that each setting is written only when
/// it changes. A content stream starts at the PDF defaults.
#[derive(Debug)]
struct TextState {
    /// The font resource and size last set with `Tf`.
    font: Option<(&'static str, f32)>,
    /// Horizontal scaling (`Tz`), in percent.
    scale: f32,
    /// Text rise (`Ts`), in points.
    rise: f32,
    /// The open text object, if any.
    open: Option<TextObject>,
}

/// A text object (`BT` … `ET`) still open for more runs.
#[derive(Debug, Clone, Copy)]
struct TextObject {
    /// Whether it is page furniture, wrapped in `/Artifact` marked content.
    artifact: bool,
    /// The start of the last run shown, in PDF coordinates (as rounded): `Td` moves
    /// relative to it.
    line: (f64, f64),
}

impl Default for TextState {
    fn default() -> TextState {
        TextState { font: None, scale: 100.0, rise: 0.0, open: None }
    }
}

impl TextState {
    /// Moves to `at` (PDF coordinates) for a run, opening a text object or continuing the
    /// open one if it is of the same kind.
    fn start_run(&mut self, ops: &mut Vec<Op>, artifact: bool, at: (f64, f64)) {
        let from = match self.open {
            Some(open) if open.artifact == artifact => open.line,
            _ => {
                self.end_text(ops);
                if artifact {
                    // Running heads and folios: not part of the text for assistive technology.
                    ops.push(Op::BeginMarkedContent { tag: "Artifact".into() });
                }
                ops.push(Op::StartTextSection);
                // A text object starts at the origin.
                (0.0, 0.0)
            }
        };
        let pos = printpdf::Point { x: Pt(coord(at.0 - from.0)), y: Pt(coord(at.1 - from.1)) };
        ops.push(Op::SetTextCursor { pos });
        self.open = Some(TextObject { artifact, line: at });
    }

    /// Closes the open text object, if any.
    fn end_text(&mut self, ops: &mut Vec<Op>) {
        if let Some(open) = self.open.take() {
            ops.push(Op::EndTextSection);
            if open.artifact {
                ops.push(Op::EndMarkedContent);
            }
        }
    }
}

/// Writes one run into a text object.
fn text_run(
    ops: &mut Vec<Op>,
    state: &mut TextState,
    run: &TextRun,
    at: Point,
    page_height: f32,
    font: &EmbeddedFont<'_>,
) {
    let size = coord(run.size.into());
    let scale = if run.scale.is_finite() && run.scale > 0.0 { run.scale } else { 1.0 };
    let percent = coord(f64::from(scale) * 100.0);
    if run.glyphs.is_empty() || size <= 0.0 {
        return;
    }

    let at = (f64::from(coord(at.x.into())), f64::from(coord(f64::from(page_height) - f64::from(at.y))));
    state.start_run(ops, run.artifact, at);
    if state.font != Some((font.resource(), size)) {
        ops.push(Op::SetFont { font: PdfFontHandle::External(FontId(font.resource().into())), size: Pt(size) });
        state.font = Some((font.resource(), size));
    }
    if state.scale != percent {
        ops.push(Op::SetHorizontalScaling { percent });
        state.scale = percent;
    }

    // Points moved per unit of a TJ number or a `/W` width (a thousandth of an em,
    // stretched by Tz).
    let unit = f64::from(size) * f64::from(percent) / 100.0 / 1000.0;
    // Where the viewer's pen is and where the frame's advances have brought us, in points
    // from the start of the run.
    let mut pen = 0.0f64;
    let mut target = 0.0f64;
    let mut tj = Tj::default();
    for cluster in clusters(run) {
        let glyphs = &run.glyphs[cluster.glyphs];
        // When the ToUnicode texts of these glyphs do not spell the cluster's text (an
        // accent without a mapping, a glyph that stands for different text elsewhere),
        // say what they stand for with a marked-content span.
        let actual = !spells(font, glyphs.iter().map(|g| g.id), cluster.text);
        if actual {
            tj.flush(ops);
            ops.push(Op::BeginMarkedContentWithProperties {
                tag: "Span".into(),
                properties: DictItem::Dict {
                    map: BTreeMap::from([(
                        "ActualText".to_string(),
                        DictItem::String { data: utf16_text(cluster.text), literal: false },
                    )]),
                },
            });
        }
        for glyph in glyphs {
            let rise = coord(glyph.y_offset.into());
            if rise != state.rise {
                tj.flush(ops);
                ops.push(Op::SetLineOffset { multiplier: rise });
                state.rise = rise;
            }
            let want = target + f64::from(glyph.x_offset);
            // A positive TJ number moves the pen left.
            let adjust = tj_number((pen - want) / unit);
            if adjust != 0.0 {
                tj.adjust(adjust);
                pen -= f64::from(adjust) * unit;
            }
            let (code, width) = font.code_and_width(glyph.id);
            tj.glyph(code);
            pen += f64::from(width) * unit;
            target += f64::from(glyph.advance);
        }
        if actual {
            tj.flush(ops);
            ops.push(Op::EndMarkedContent);
        }
    }
    tj.flush(ops);
}

/// Whether the ToUnicode texts of `glyphs`, one after the other, are exactly `text`.
fn spells(font: &EmbeddedFont<'_>, glyphs: impl Iterator<Item = u16>, text: &str) -> bool {
    let mut rest = text;
    for gid in glyphs {
        match rest.strip_prefix(font.unicode(gid)) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

/// A `TJ` array being built: binary two-byte codes in literal strings, with numbers
/// between them where the pen needs moving.
#[derive(Debug, Default)]
struct Tj {
    items: Vec<DictItem>,
    codes: Vec<u8>,
}

impl Tj {
    fn glyph(&mut self, code: u16) {
        self.codes.extend_from_slice(&code.to_be_bytes());
    }

    fn adjust(&mut self, amount: f32) {
        self.end_string();
        self.items.push(DictItem::Real(amount));
    }

    fn end_string(&mut self) {
        if !self.codes.is_empty() {
            let data = std::mem::take(&mut self.codes);
            self.items.push(DictItem::String { data, literal: true });
        }
    }

    /// Emits the array built so far, if it shows anything.
    fn flush(&mut self, ops: &mut Vec<Op>) {
        self.end_string();
        if self.items.iter().any(|i| matches!(i, DictItem::String { .. })) {
            let items = std::mem::take(&mut self.items);
            ops.push(Op::Unknown { key: "TJ".into(), value: vec![DictItem::Array(items)] });
        }
        self.items.clear();
    }
}

/// A PDF text string for marked content: UTF-16BE with its byte order mark.
fn utf16_text(text: &str) -> Vec<u8> {
    let mut out = vec![0xFE, 0xFF];
    out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    out
}

/// The largest number written, in either direction: the integer limit of PDF 32000-1
/// Annex C, which older readers still enforce. Only nonsense from a bug gets near it.
const LIMIT: f64 = 32_767.0;

/// A coordinate for the content stream: a thousandth of a point is finer than any
/// printer, and shorter numbers make smaller files. Anything not finite becomes 0 rather
/// than an unreadable `NaN` in the stream.
pub(super) fn coord(v: f64) -> f32 {
    if v.is_finite() {
        ((v.clamp(-LIMIT, LIMIT) * 1000.0).round() / 1000.0) as f32
    } else {
        0.0
    }
}

/// A TJ number rounded to [`TJ_STEP`].
fn tj_number(v: f64) -> f32 {
    if v.is_finite() {
        ((v.clamp(-LIMIT, LIMIT) / TJ_STEP).round() * TJ_STEP) as f32
    } else {
        0.0
    }
}
