//! Page furniture and front matter: the title page, its verso, running heads and folios.
//!
//! These are the parts of a page that are not the flow. The title page and its verso are
//! made whole here; body pages get their running head (the book's title on the left-hand
//! page, the section in effect on the right-hand one) and their folio, both marked as
//! artifacts so that text extraction and screen readers skip them.

use crate::fonts::Style;
use crate::layout::collect::collect;
use crate::layout::frame::{FrameItem, Glyph, Page, PageLabel, Point, TextRun};
use crate::layout::geometry::Geometry;
use crate::layout::paragraph::{Align, ParaStyle, Paragraph, Setter};
use crate::layout::LayoutWarning;
use crate::model::{Inline, Metadata, Span};

/// The share of the measure that display lines (the title page's) may fill.
const DISPLAY_SHARE: f32 = 0.85;

/// Letter-spacing of small capitals, in ems: caps set solid look cramped.
const SMALL_CAP_TRACKING: f32 = 0.05;

/// A run of `text` shaped on one line, without breaking: for furniture. `features` such as
/// `smcp` are applied; `tracking` (ems) is added after every glyph but the last.
pub fn plain_run(
    setter: &Setter<'_>,
    text: &str,
    style: Style,
    size: f32,
    features: &[[u8; 4]],
    tracking: f32,
) -> TextRun {
    let face = setter.fonts.face(style);
    let mut shaped = Vec::new();
    face.shape_with(text, features, &mut shaped);
    let mut glyphs = Vec::with_capacity(shaped.len());
    for (k, g) in shaped.iter().enumerate() {
        let start = g.cluster as usize;
        let end = shaped[k + 1..].iter().map(|n| n.cluster as usize).find(|&c| c > start).unwrap_or(text.len());
        let extra = if k + 1 < shaped.len() { tracking * size } else { 0.0 };
        glyphs.push(Glyph {
            id: g.id,
            advance: g.x_advance * size + extra,
            x_offset: g.x_offset * size,
            y_offset: g.y_offset * size,
            range: start as u32..end.max(start) as u32,
        });
    }
    TextRun { style, size, scale: 1.0, text: text.to_string(), glyphs, artifact: false }
}

fn run_width(run: &TextRun) -> f32 {
    run.glyphs.iter().map(|g| g.advance).sum()
}

/// The small-capitals feature.
const SMCP: [[u8; 4]; 1] = [*b"smcp"];

/// The features for small capitals in `style`, or none if the face lacks them; Charis
/// has them.
fn small_caps(setter: &Setter<'_>, style: Style) -> &'static [[u8; 4]] {
    // A face without `smcp` simply ignores the feature; ask it to change a glyph to know.
    let face = setter.fonts.face(style);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    face.shape("x", &mut a);
    face.shape_with("x", &[*b"smcp"], &mut b);
    if a.first().map(|g| g.id) != b.first().map(|g| g.id) {
        &SMCP
    } else {
        &[]
    }
}

/// Adds the running head (if any) and the folio to body page number `number`.
pub fn furniture(page: &mut Page, number: u32, head: Option<&str>, geom: &Geometry, setter: &Setter<'_>) {
    let recto = number % 2 == 1;
    let left = geom.left(recto);
    if let Some(head) = head.filter(|h| !h.trim().is_empty()) {
        let style = Style::Regular;
        let features = small_caps(setter, style);
        let tracking = if features.is_empty() { 0.0 } else { SMALL_CAP_TRACKING };
        let mut run = plain_run(setter, head.trim(), style, geom.size, features, tracking);
        // A head wider than the measure is cut with an ellipsis, at a glyph boundary.
        let room = geom.measure * 0.9;
        if run_width(&run) > room {
            let ellipsis = plain_run(setter, "…", style, geom.size, &[], 0.0);
            let mut width = run_width(&ellipsis);
            let keep = run.glyphs.iter().take_while(|g| {
                width += g.advance;
                width <= room
            });
            let n = keep.count();
            let cut = run.glyphs.get(n).map_or(run.text.len(), |g| g.range.start as usize);
            run.glyphs.truncate(n);
            run.text.truncate(cut);
            let at = run.text.len() as u32;
            run.text.push('…');
            run.glyphs
                .extend(ellipsis.glyphs.into_iter().map(|g| Glyph { range: at..at + '…'.len_utf8() as u32, ..g }));
        }
        run.artifact = true;
        let x = left + (geom.measure - run_width(&run)) / 2.0;
        page.items.push((Point { x, y: geom.head_baseline() }, FrameItem::Text(run)));
    }
    let mut folio = plain_run(setter, &number.to_string(), Style::Regular, geom.size * 0.9, &[], 0.0);
    folio.artifact = true;
    let x = left + (geom.measure - run_width(&folio)) / 2.0;
    page.items.push((Point { x, y: geom.folio_baseline() }, FrameItem::Text(folio)));
}

/// Lines of `text` centred on the measure, at `size` in `style`, as runs relative to the
/// first baseline; returns the items and the number of lines.
fn centred(
    setter: &mut Setter<'_>,
    warnings: &mut Vec<LayoutWarning>,
    text: &str,
    style: Style,
    size: f32,
    leading: f32,
    measure: f32,
) -> (Vec<(Point, FrameItem)>, usize) {
    let col = collect(&[Inline::Text(text.to_string())], style, Span::DETACHED, setter, warnings);
    let pstyle = ParaStyle { size, leading, measure, indent: 0.0, align: Align::Center, hyphenate: false, grid: false };
    let mut para = Paragraph::prepare(col, pstyle, Span::DETACHED, setter);
    // Display lines are balanced: a title too long for one line is set on as many lines
    // of about equal length, not one full line and a word. They stay a little short of the
    // full measure, which would make them look like a justified line of text.
    let room = measure * DISPLAY_SHARE;
    let natural = para.natural_width();
    let lines = (natural / room).ceil().max(1.0);
    para.style.measure = if lines > 1.0 { (natural / lines * 1.15).min(room) } else { room };
    let set = para.set(setter, 0, warnings);
    let n = set.lines.len();
    let shift = (measure - para.style.measure) / 2.0;
    let mut items = Vec::new();
    for (k, line) in set.lines.into_iter().enumerate() {
        for (mut p, item) in line.items {
            p.x += shift;
            p.y += k as f32 * leading;
            items.push((p, item));
        }
    }
    (items, n)
}

/// The title page: title, subtitle and creators in the upper third, the publisher at the
/// foot. No running head, no folio.
pub fn title_page(
    meta: &Metadata,
    geom: &Geometry,
    setter: &mut Setter<'_>,
    warnings: &mut Vec<LayoutWarning>,
) -> Page {
    let mut page = Page { width: geom.width, height: geom.height, label: PageLabel::Roman(1), items: Vec::new() };
    let left = geom.left(true);
    let mut y = geom.margins.top + 0.22 * (geom.height - geom.margins.top - geom.margins.bottom);
    let mut place = |items: Vec<(Point, FrameItem)>, at: f32| {
        page.items.extend(items.into_iter().map(|(p, i)| (Point { x: p.x + left, y: p.y + at }, i)));
    };
    let size = geom.size;
    let title = meta.title.trim();
    if !title.is_empty() {
        let (big, lead) = (size * 2.0, size * 2.4);
        y += big;
        let (items, n) = centred(setter, warnings, title, Style::Bold, big, lead, geom.measure);
        place(items, y);
        y += (n.max(1) - 1) as f32 * lead;
    }
    if let Some(sub) = meta.subtitle.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let (mid, lead) = (size * 1.3, size * 1.6);
        y += 2.2 * size;
        let (items, n) = centred(setter, warnings, sub, Style::Italic, mid, lead, geom.measure);
        place(items, y);
        y += (n.max(1) - 1) as f32 * lead;
    }
    let names: Vec<&str> = meta.creators.iter().map(|c| c.name.trim()).filter(|n| !n.is_empty()).collect();
    if !names.is_empty() {
        y += 4.0 * size;
        let (items, _) =
            centred(setter, warnings, &names.join(", "), Style::Regular, size * 1.2, size * 1.5, geom.measure);
        place(items, y);
    }
    if let Some(publisher) = meta.publisher.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let features = small_caps(setter, Style::Regular);
        let tracking = if features.is_empty() { 0.0 } else { SMALL_CAP_TRACKING };
        let run = plain_run(setter, publisher, Style::Regular, size, features, tracking);
        let x = left + ((geom.measure - run_width(&run)) / 2.0).max(0.0);
        page.items.push((Point { x, y: geom.last_baseline() }, FrameItem::Text(run)));
    }
    page
}

/// The title page's verso: the rights statement and the publisher at the foot, small; a
/// blank page if there is neither.
pub fn colophon_page(
    meta: &Metadata,
    geom: &Geometry,
    setter: &mut Setter<'_>,
    warnings: &mut Vec<LayoutWarning>,
) -> Page {
    let mut page = Page { width: geom.width, height: geom.height, label: PageLabel::Roman(2), items: Vec::new() };
    let size = geom.size * 0.8;
    let lead = size * 1.3;
    let mut lines: Vec<String> = Vec::new();
    if let Some(r) = meta.rights.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        lines.push(r.to_string());
    }
    let year = meta.date.get(..4).unwrap_or("");
    match meta.publisher.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) if !year.is_empty() => lines.push(format!("{p}, {year}")),
        Some(p) => lines.push(p.to_string()),
        None => {}
    }
    if lines.is_empty() {
        return page;
    }
    let left = geom.left(false);
    let mut sets = Vec::new();
    for text in &lines {
        let col = collect(&[Inline::Text(text.clone())], Style::Regular, Span::DETACHED, setter, warnings);
        let pstyle = ParaStyle {
            size,
            leading: lead,
            measure: geom.measure,
            indent: 0.0,
            align: Align::Left,
            hyphenate: true,
            grid: false,
        };
        let para = Paragraph::prepare(col, pstyle, Span::DETACHED, setter);
        sets.push(para.set(setter, 0, warnings).lines);
    }
    let total: usize = sets.iter().map(Vec::len).sum::<usize>() + sets.len() - 1;
    let mut y = geom.last_baseline() - (total.max(1) - 1) as f32 * lead;
    for set in sets {
        for line in set {
            for (p, item) in line.items {
                page.items.push((Point { x: p.x + left, y: p.y + y }, item));
            }
            y += lead;
        }
        y += lead;
    }
    page
}
