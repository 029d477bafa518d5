//! The first pass over the pages: what the PDF has to provide before anything is written.
//!
//! Fonts have to be subset before a single glyph can be encoded (the subset renumbers the
//! glyphs), and links may point forwards to anchors on later pages, so one cheap walk over
//! the frames gathers both: the glyphs of each face with the text they stand for, and the
//! place of every named anchor.
//!
//! A glyph's text is decided per *cluster*: consecutive glyphs that share one byte range
//! of the run's text (a base letter and its separate accent; a single glyph is a cluster
//! of one, and a ligature is one glyph covering several characters). The content writer
//! splits runs the same way with [`clusters`], so both passes agree on what each cluster
//! stands for. A glyph's ToUnicode text is the text it stands for most often when it is a
//! cluster alone ([`Votes::winner`]); wherever the ToUnicode texts of a cluster's glyphs
//! do not spell the cluster's text, the content writer says it with `/ActualText`.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::fonts::Style;
use crate::layout::frame::{FrameItem, PagedDocument, Point, TextRun};

/// What the pages use.
#[derive(Debug, Default)]
pub(super) struct Usage<'d> {
    /// The faces that show at least one glyph, in style order.
    pub faces: BTreeMap<Style, FaceUsage<'d>>,
    /// Named destinations: the page index and point of the first anchor of each name.
    pub anchors: BTreeMap<&'d str, (usize, Point)>,
}

/// The glyphs one face shows.
#[derive(Debug, Default)]
pub(super) struct FaceUsage<'d> {
    /// Indexed by glyph id: for every glyph shown, the texts it stands for when it forms
    /// a cluster alone. Dense, because it is touched for every glyph of the book.
    glyphs: Vec<Option<Votes<'d>>>,
}

impl<'d> FaceUsage<'d> {
    /// The entry of glyph `id`, made if new.
    fn glyph(&mut self, id: u16) -> &mut Votes<'d> {
        let i = usize::from(id);
        if i >= self.glyphs.len() {
            self.glyphs.resize_with(i + 1, || None);
        }
        self.glyphs[i].get_or_insert_with(Votes::default)
    }

    /// The glyphs shown, by ascending id.
    pub fn glyphs(&self) -> impl DoubleEndedIterator<Item = (u16, &Votes<'d>)> {
        // Ids come from u16 indices, so the conversion cannot fail.
        self.glyphs.iter().enumerate().filter_map(|(i, v)| Some((u16::try_from(i).ok()?, v.as_ref()?)))
    }
}

/// How often a glyph stood alone for each text. Nearly every glyph has exactly one text,
/// so a short list beats a map.
#[derive(Debug, Default)]
pub(super) struct Votes<'d>(Vec<(&'d str, u32)>);

impl<'d> Votes<'d> {
    fn add(&mut self, text: &'d str) {
        match self.0.iter_mut().find(|(t, _)| *t == text) {
            Some((_, n)) => *n += 1,
            None => self.0.push((text, 1)),
        }
    }

    /// The text this glyph stands for most often; ties go to the smallest string so that
    /// the choice does not depend on the order of the pages. `None` if the glyph never
    /// stood alone for any text (an accent that only occurs beside its base letter).
    pub fn winner(&self) -> Option<&'d str> {
        self.0.iter().max_by(|(ta, na), (tb, nb)| na.cmp(nb).then_with(|| tb.cmp(ta))).map(|(t, _)| *t)
    }
}

/// Walks the document once.
pub(super) fn collect(doc: &PagedDocument) -> Usage<'_> {
    let mut usage = Usage::default();
    for (index, page) in doc.pages.iter().enumerate() {
        for (point, item) in &page.items {
            match item {
                FrameItem::Text(run) => {
                    let face = usage.faces.entry(run.style).or_default();
                    for cluster in clusters(run) {
                        let glyphs = &run.glyphs[cluster.glyphs.clone()];
                        for glyph in glyphs {
                            face.glyph(glyph.id);
                        }
                        if let ([glyph], false) = (glyphs, cluster.text.is_empty()) {
                            face.glyph(glyph.id).add(cluster.text);
                        }
                    }
                }
                FrameItem::Anchor(name) => {
                    usage.anchors.entry(name.as_str()).or_insert((index, *point));
                }
                FrameItem::Rule { .. } | FrameItem::Link { .. } => {}
            }
        }
    }
    // A run without glyphs adds its face with nothing in it; that face is not embedded.
    usage.faces.retain(|_, face| face.glyphs().next().is_some());
    usage
}

/// Consecutive glyphs of a run that stand for one piece of its text together.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Cluster<'d> {
    /// Indices into [`TextRun::glyphs`].
    pub glyphs: Range<usize>,
    /// The text they stand for. Text that no glyph covers (a gap between two ranges, or
    /// before the first or after the last) is given to the neighbouring cluster, so that
    /// copying the run gives back all of [`TextRun::text`].
    pub text: &'d str,
}

/// Splits a run into clusters, in glyph order. Ranges that are out of bounds or split a
/// character stand for no text rather than causing a panic.
pub(super) fn clusters(run: &TextRun) -> impl Iterator<Item = Cluster<'_>> {
    let glyphs = &run.glyphs;
    let text = run.text.as_str();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= glyphs.len() {
            return None;
        }
        let range = glyphs[start].range.clone();
        let end = start + glyphs[start..].iter().take_while(|g| g.range == range).count();
        let (lo, mut hi) = (range.start as usize, range.end as usize);
        // Widen over uncovered text, as long as the ranges run forwards.
        let lo_wide = if start == 0 { 0 } else { lo };
        if end == glyphs.len() {
            hi = hi.max(text.len());
        } else {
            hi = hi.max(glyphs[end].range.start as usize);
        }
        let piece = text.get(lo_wide..hi).or_else(|| text.get(lo..range.end as usize)).unwrap_or("");
        let cluster = Cluster { glyphs: start..end, text: piece };
        start = end;
        Some(cluster)
    })
}
