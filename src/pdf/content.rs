//! Page content: frame items → printpdf operations.
//!
//! Layout has already decided where every glyph goes; this file only has to make the
//! viewer's pen land there. A text run becomes one text object:
//!
//! ```text
//! BT  /FR 10 Tf  [101.5 Tz]  1 0 0 1 x y Tm  [(…) -12.3 (…)] TJ  ET
//! ```
//!
//! The viewer moves its pen after each glyph by the glyph's `/W` width; where the frame's
//! advance differs (kerning, justified spaces, the offsets of marks), a `TJ` number makes
//! up the difference. The writer tracks where the viewer's pen really is, using the same
//! rounded widths as `/W`, so rounding never accumulates along a line.
//!
//! printpdf has operations for everything here except showing glyph ids compactly: its
//! `ShowText` writes each glyph as a separate hex string, three times the size of one
//! binary string per stretch of glyphs. So the `TJ` itself goes out as a raw operator
//! (`Op::Unknown`), which printpdf passes through unchanged when `secure` is off.

use std::collections::BTreeMap;

use printpdf::{
    DictItem, FontId, Op, PaintMode, PdfFontHandle, PdfPage, Pt, Rect, TextMatrix, WindingOrder,
};

use super::collect::clusters;
use super::fonts::EmbeddedFont;
use crate::layout::frame::{FrameItem, PagedDocument, Point, TextRun};

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
                        ops.push(Op::DrawRectangle { rectangle: rule(*at, *width, *thickness, page.height) });
                    }
                    // Both become objects outside the content stream (see `finish`).
                    FrameItem::Link { .. } | FrameItem::Anchor(_) => {}
                }
            }
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

/// The parts of the text state that persist from one text object to the next, so that
/// each is written only when it changes. A content stream starts at the PDF defaults.
#[derive(Debug)]
struct TextState {
    /// The font resource and size last set with `Tf`.
    font: Option<(&'static str, f32)>,
    /// Horizontal scaling (`Tz`), in percent.
    scale: f32,
    /// Text rise (`Ts`), in points.
    rise: f32,
}

impl Default for TextState {
    fn default() -> TextState {
        TextState { font: None, scale: 100.0, rise: 0.0 }
    }
}

/// Writes one run as a text object.
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

    if run.artifact {
        // Running heads and folios: not part of the text for assistive technology.
        ops.push(Op::BeginMarkedContent { tag: "Artifact".into() });
    }
    ops.push(Op::StartTextSection);
    if state.font != Some((font.resource(), size)) {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(font.resource().into())),
            size: Pt(size),
        });
        state.font = Some((font.resource(), size));
    }
    if state.scale != percent {
        ops.push(Op::SetHorizontalScaling { percent });
        state.scale = percent;
    }
    let baseline = f64::from(page_height) - f64::from(at.y);
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Translate(Pt(coord(at.x.into())), Pt(coord(baseline))),
    });

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
            let adjust = tenth((pen - want) / unit);
            if adjust != 0.0 {
                tj.adjust(adjust);
                pen -= f64::from(adjust) * unit;
            }
            tj.glyph(font.code(glyph.id));
            pen += f64::from(font.width(glyph.id)) * unit;
            target += f64::from(glyph.advance);
        }
        if actual {
            tj.flush(ops);
            ops.push(Op::EndMarkedContent);
        }
    }
    tj.flush(ops);
    ops.push(Op::EndTextSection);
    if run.artifact {
        ops.push(Op::EndMarkedContent);
    }
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

/// A coordinate for the content stream: a thousandth of a point is finer than any
/// printer, and shorter numbers make smaller files. Anything not finite becomes 0 rather
/// than an unreadable `NaN` in the stream.
pub(super) fn coord(v: f64) -> f32 {
    if v.is_finite() { ((v * 1000.0).round() / 1000.0) as f32 } else { 0.0 }
}

/// A TJ number to a tenth of a unit: a thousandth of a point at 10 pt.
fn tenth(v: f64) -> f32 {
    if v.is_finite() { ((v * 10.0).round() / 10.0) as f32 } else { 0.0 }
}
