//! Pagination: a flow of finished lines → pages of body lines and footnotes.
//!
//! The flow is a flat list of [`Elem`]s: lines (already broken and justified, with their
//! items relative to the text block's left edge and their own baseline) and vertical
//! spaces. This module decides where each page ends and where every line's baseline falls;
//! it never looks inside a line. That keeps it testable on synthetic flows.
//!
//! How a page is made:
//!
//! 1. **Fill.** Lines are stacked from the top of the block. Body lines snap to the
//!    baseline grid (see [`Geometry::snap`]); lines that are off the grid (a block quote's
//!    smaller type) sit at their own leading, and the next body line snaps back. A line
//!    that first refers to a footnote brings the note along: the note area at the foot
//!    grows upwards and the body's room shrinks. A long note may be split (at least its
//!    first two lines stay with the reference), the rest continuing on the next page.
//! 2. **Judge the break.** Each line says whether the page may end after it: not after a
//!    heading or the first line after it ([`Keep::Hard`]), preferably not after a
//!    paragraph's first or penultimate line (orphans and widows, [`Keep::Soft`]) nor after
//!    a hyphenated line.
//! 3. **Mend a bad break.** First by re-breaking one paragraph that starts on the page one
//!    line looser or tighter (the caller's `rebreak`, which refuses if the spacing would
//!    suffer), so that the page stays full; failing that, by ending the page a line or two
//!    early. A hyphen at the foot is only mended by re-breaking: a short page is worse.
//!
//! 4. **Look ahead.** A page that ends cleanly may still leave the next page short, when
//!    that page's bad break cannot be mended from within it. Then one paragraph of this
//!    page is re-broken instead, if that keeps this page full and clean and lets the next
//!    one end cleanly too.
//!
//! The search is otherwise greedy, page by page: a page once made is never revisited, and
//! only paragraphs that start on the page being made are re-broken.

use crate::layout::frame::{FrameItem, Point};
use crate::layout::geometry::Geometry;
use crate::model::NoteId;

/// Whether the page may end after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Keep {
    /// Any time.
    #[default]
    None,
    /// Better not: the break would leave a widow or an orphan.
    Soft,
    /// Never, unless nothing else fits (a heading and what follows it).
    Hard,
}

/// A heading's mark on its first line: for the outline and the running heads.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadingMark {
    /// Outline level from 1.
    pub level: u8,
    /// The heading's plain text.
    pub title: String,
}

/// A finished line (or an indivisible block such as a table row), ready to be placed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineBox {
    /// What to paint, relative to the text block's left edge and this line's baseline
    /// (y grows downwards, as on the page).
    pub items: Vec<(Point, FrameItem)>,
    /// Distance from the previous line's baseline (plus its depth) to this baseline.
    pub advance: f32,
    /// Extent above the baseline, used when the line opens a page off the grid.
    pub height: f32,
    /// Extra extent below the baseline that the next line's advance counts from (for a
    /// block of several lines that must stay together, such as a table row).
    pub depth: f32,
    /// Whether the baseline snaps to the body grid.
    pub grid: bool,
    /// Whether the page may end after this line.
    pub keep: Keep,
    /// Footnotes first referred to in this line: their text goes on this line's page.
    pub notes: Vec<NoteId>,
    /// Which re-breakable unit (paragraph) the line belongs to, if any.
    pub chunk: Option<u32>,
    /// Whether the line ends with a hyphen added by hyphenation.
    pub hyphenated: bool,
    /// Set on a heading's first line.
    pub heading: Option<HeadingMark>,
}

/// One element of the flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Elem {
    /// A line.
    Line(LineBox),
    /// Vertical space, dropped at the top of a page.
    Space(f32),
}

/// A body page as placed: lines with their baselines (points from the top of the page).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageBody {
    /// Body lines and their baselines.
    pub lines: Vec<(f32, LineBox)>,
    /// Footnote lines and their baselines, bottom-aligned to the last grid line.
    pub notes: Vec<(f32, LineBox)>,
    /// The y of the rule above the notes, if there are any.
    pub note_rule: Option<f32>,
    /// Whether the page is shorter than it might have been (lines moved to the next page
    /// to avoid a widow, an orphan or a heading at the foot).
    pub short: bool,
}

/// What a re-broken paragraph offers: its new lines and how much worse they look.
pub struct Rebroken {
    /// The paragraph's lines, in the form of flow elements.
    pub elems: Vec<Elem>,
    /// The cost of the change, compared between candidates; lower is better.
    pub cost: f32,
}

/// Lines a page may lose to avoid a bad break.
const MAX_SHORT: usize = 2;
/// Tolerance when comparing positions, in points.
const EPS: f32 = 0.01;

/// Settings of the footnote area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoteStyle {
    /// Baseline-to-baseline distance of note lines.
    pub leading: f32,
    /// Room between the last body baseline and the first note baseline besides the rule's
    /// own line: the body's descenders and a little air.
    pub gap: f32,
}

/// Breaks `flow` into pages. `notes[i]` are the lines of the note numbered `i + 1`;
/// `rebreak(chunk, looseness)` re-breaks paragraph `chunk` with `looseness` −1, 0 or +1
/// lines against its best breaking, or declines.
pub fn paginate(
    geom: &Geometry,
    style: NoteStyle,
    mut flow: Vec<Elem>,
    mut notes: Vec<Vec<LineBox>>,
    rebreak: &mut dyn FnMut(u32, i32) -> Option<Rebroken>,
) -> Vec<PageBody> {
    let note_lens: Vec<usize> = notes.iter().map(Vec::len).collect();
    let p = Paginator { geom, style, notes: &note_lens };
    let mut pages = Vec::new();
    let mut start = 0;
    // Lines of a split note still to be set: (note index, first line not yet placed).
    let mut carried: Option<(usize, usize)> = None;
    // The paragraph the previous page ended in, which this page cannot re-break.
    let mut continuing: Option<u32> = None;
    let mut looseness: Vec<i8> = Vec::new();
    // Which notes already have a place, so that a second reference never sets a note twice.
    let mut placed = vec![false; notes.len()];
    loop {
        while start < flow.len() && matches!(flow[start], Elem::Space(_)) {
            start += 1;
        }
        if start >= flow.len() && carried.is_none() {
            break;
        }
        let carried_len = carried.map_or(0, |(n, from)| note_lens[n].saturating_sub(from));
        let mut fill = p.fill(flow[start..].iter(), carried_len, &placed);
        let mut end = fill.natural_end();
        let mut short = false;
        if !fill.exhausted {
            let verdict = fill.judge(end);
            if verdict != Verdict::Clean {
                let mended = p.mend(&flow, start, continuing, &fill, carried_len, &placed, &mut looseness, rebreak);
                if let Some((a, b, elems)) = mended {
                    flow.splice(a..b, elems);
                    fill = p.fill(flow[start..].iter(), carried_len, &placed);
                    end = fill.natural_end();
                } else if verdict != Verdict::Hyphen {
                    if let Some(e) = fill.retreat(end) {
                        short = e < end;
                        end = e;
                    }
                }
            }
        }
        // A clean, full page that would leave the next one short may be made differently.
        if !fill.exhausted && !short && fill.judge(end) == Verdict::Clean {
            let state = PageState { start, continuing, carried, placed: &placed };
            if let Some((a, b, elems)) = p.look_ahead(&flow, &state, end, &fill, &mut looseness, rebreak) {
                flow.splice(a..b, elems);
                fill = p.fill(flow[start..].iter(), carried_len, &placed);
                end = fill.natural_end();
            }
        }
        let (mut page, next_carried) = p.compose(&mut flow, start, end, &fill, carried, &mut notes, &mut placed);
        debug_assert_eq!(next_carried, p.after(&fill, end, carried, &mut vec![false; note_lens.len()]));
        page.short = short;
        continuing = page.lines.last().and_then(|(_, l)| l.chunk);
        // `fill` always takes at least one line or some carried note lines, so a page
        // never comes out empty; this guards the invariant in release builds.
        if end == 0 && page.notes.is_empty() {
            debug_assert!(false, "pagination made no progress");
            break;
        }
        carried = next_carried;
        start += end;
        pages.push(page);
    }
    pages
}

/// The paragraphs whose first line is on the page that starts at `flow[start]`, up to the
/// first line that did not fit (at `horizon`): the chunk and range in `flow` of each.
/// The paragraph `continuing` from the previous page is left out when it opens the page,
/// since its earlier lines are already set.
fn chunks_on_page(flow: &[Elem], start: usize, horizon: usize, continuing: Option<u32>) -> Vec<(u32, usize, usize)> {
    let mut chunks = Vec::new();
    let mut i = start;
    while i < flow.len() {
        let Elem::Line(line) = &flow[i] else {
            i += 1;
            continue;
        };
        let a = i;
        i += 1;
        let Some(c) = line.chunk else {
            if a >= horizon {
                break;
            }
            continue;
        };
        while i < flow.len() && matches!(&flow[i], Elem::Line(l) if l.chunk == Some(c)) {
            i += 1;
        }
        if !(a == start && continuing == Some(c)) {
            chunks.push((c, a, i));
        }
        if a >= horizon {
            break;
        }
    }
    chunks
}

/// Where a page starts and what it inherits from the page before.
struct PageState<'a> {
    /// Its first element in the flow.
    start: usize,
    /// The paragraph the previous page ended in, which this page cannot re-break.
    continuing: Option<u32>,
    /// Lines of a split note still to be set: (note index, first line not yet placed).
    carried: Option<(usize, usize)>,
    /// Which notes already have a place.
    placed: &'a [bool],
}

/// The fixed inputs of pagination.
struct Paginator<'a> {
    geom: &'a Geometry,
    style: NoteStyle,
    /// Line counts of the notes.
    notes: &'a [usize],
}

/// A place where the page could end: after the line at element `count - 1`.
#[derive(Debug, Clone, Copy)]
struct Cand {
    /// Elements consumed (from the page's first element) up to and including the line.
    count: usize,
    keep: Keep,
    hyphenated: bool,
    /// The line's baseline.
    baseline: f32,
    /// How many entries of [`Fill::notes`] are on the page if it ends here.
    notes: usize,
}

/// The outcome of stacking lines on one page.
#[derive(Debug, Default)]
struct Fill {
    cands: Vec<Cand>,
    /// Notes started on the page, in order, with the lines of each that fit.
    notes: Vec<(usize, usize)>,
    /// Lines of a carried-over note set at the head of the note area.
    carried: usize,
    /// Whether the whole remaining flow fitted.
    exhausted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Clean,
    Hyphen,
    Soft,
    Hard,
}

impl Fill {
    /// The number of elements the page takes if it is as full as it can be.
    fn natural_end(&self) -> usize {
        self.cands.last().map_or(0, |c| c.count)
    }

    fn judge(&self, end: usize) -> Verdict {
        let Some(c) = self.cands.iter().rev().find(|c| c.count == end) else {
            return Verdict::Clean;
        };
        match c.keep {
            Keep::Hard => Verdict::Hard,
            Keep::Soft => Verdict::Soft,
            Keep::None if c.hyphenated => Verdict::Hyphen,
            Keep::None => Verdict::Clean,
        }
    }

    /// The latest acceptable break at most [`MAX_SHORT`] lines before `end`: one that
    /// leaves no widow, orphan or lone heading. Failing that, any break that keeps a heading
    /// with its text, however early; `None` if there is none (the page stays as it is).
    fn retreat(&self, end: usize) -> Option<usize> {
        let last = self.cands.iter().rposition(|c| c.count == end)?;
        let near = last.saturating_sub(MAX_SHORT);
        if let Some(c) = self.cands[near..=last].iter().rev().find(|c| c.keep == Keep::None) {
            return Some(c.count);
        }
        if self.cands[last].keep == Keep::Hard {
            return self.cands[..last].iter().rev().find(|c| c.keep != Keep::Hard).map(|c| c.count);
        }
        None
    }
}

impl Paginator<'_> {
    /// The lowest a body baseline may sit when `note_lines` lines of notes share the page.
    fn limit(&self, note_lines: usize) -> f32 {
        let last = self.geom.last_baseline();
        if note_lines == 0 {
            last + EPS
        } else {
            last - note_lines as f32 * self.style.leading - self.style.gap + EPS
        }
    }

    /// The most note lines a page may give to notes carried over: enough to leave a few
    /// body lines.
    fn max_carried(&self) -> usize {
        let room = self.geom.last_baseline() - self.geom.first_baseline() - 3.0 * self.geom.leading - self.style.gap;
        ((room / self.style.leading).floor() as usize).max(1)
    }

    /// Stacks the elements of `elems` on a fresh page until one no longer fits.
    fn fill<'e>(&self, elems: impl Iterator<Item = &'e Elem>, carried: usize, placed: &[bool]) -> Fill {
        let g = self.geom;
        let set = carried.min(self.max_carried());
        let mut fill = Fill { carried: set, exhausted: true, ..Fill::default() };
        let mut note_lines = set;
        // A note split on this page (or a continuation that still does not fit) closes the
        // note area: a later note could not follow it on this page.
        let mut closed = set < carried;
        let mut prev: Option<(f32, f32)> = None; // (baseline, depth) of the last line
        let mut space = 0.0;
        let mut new_notes: Vec<usize> = Vec::new();
        for (i, elem) in elems.enumerate() {
            let line = match elem {
                Elem::Space(s) => {
                    if prev.is_some() {
                        space += s;
                    }
                    continue;
                }
                Elem::Line(l) => l,
            };
            // A page's first line sits on the first grid line whatever its kind, so that
            // the tops of facing pages align.
            let mut baseline = match prev {
                None => g.first_baseline(),
                Some((b, depth)) => b + depth + space + line.advance,
            };
            if line.grid {
                baseline = g.snap(baseline);
            }
            // The notes this line brings, and how many of their lines fit.
            new_notes.clear();
            new_notes.extend(
                line.notes
                    .iter()
                    .map(|n| n.index())
                    .filter(|&n| n < self.notes.len() && !placed[n] && !fill.notes.iter().any(|e| e.0 == n)),
            );
            let want: usize = new_notes.iter().map(|&n| self.notes[n]).sum();
            let bottom = baseline + line.depth;
            let mut split = None;
            let fits = if want == 0 {
                bottom <= self.limit(note_lines)
            } else if closed {
                false
            } else if bottom <= self.limit(note_lines + want) {
                true
            } else {
                // Split the last of the new notes: all the others whole, the last with at
                // least two lines (or whole if it has two or fewer).
                let before: usize = new_notes[..new_notes.len() - 1].iter().map(|&n| self.notes[n]).sum();
                let last_len = self.notes[new_notes[new_notes.len() - 1]];
                let min = last_len.min(2);
                let most = (min..last_len).rev().find(|&m| bottom <= self.limit(note_lines + before + m));
                match most {
                    Some(m) => {
                        split = Some(m);
                        true
                    }
                    None => false,
                }
            };
            if !fits && !fill.cands.is_empty() {
                fill.exhausted = false;
                break;
            }
            // The first line always goes on the page, fitting or not, so that the flow
            // advances; a page overfull this way can only come from a block taller than a
            // page.
            for (k, &n) in new_notes.iter().enumerate() {
                let lines = match split {
                    Some(m) if k + 1 == new_notes.len() => {
                        closed = true;
                        m
                    }
                    _ => self.notes[n],
                };
                note_lines += lines;
                fill.notes.push((n, lines));
            }
            fill.cands.push(Cand {
                count: i + 1,
                keep: line.keep,
                hyphenated: line.hyphenated,
                baseline,
                notes: fill.notes.len(),
            });
            prev = Some((baseline, line.depth));
            space = 0.0;
        }
        fill
    }

    /// Tries re-breaking each paragraph that starts on the page one line looser or
    /// tighter, and returns the cheapest change that makes the page end cleanly: the range
    /// of `flow` to replace and the replacement.
    #[allow(clippy::too_many_arguments, reason = "the pagination state, passed apart to keep borrows simple")]
    fn mend(
        &self,
        flow: &[Elem],
        start: usize,
        continuing: Option<u32>,
        fill: &Fill,
        carried: usize,
        placed: &[bool],
        looseness: &mut Vec<i8>,
        rebreak: &mut dyn FnMut(u32, i32) -> Option<Rebroken>,
    ) -> Option<(usize, usize, Vec<Elem>)> {
        let chunks = chunks_on_page(flow, start, start + fill.natural_end(), continuing);
        let mut best: Option<(f32, u32, i8, usize, usize, Vec<Elem>)> = None;
        for &(c, a, b) in &chunks {
            let current = looseness.get(c as usize).copied().unwrap_or(0);
            for delta in [1i8, -1] {
                let want = current + delta;
                if !(-1..=1).contains(&want) {
                    continue;
                }
                let Some(r) = rebreak(c, i32::from(want)) else { continue };
                if best.as_ref().is_some_and(|b| b.0 <= r.cost) {
                    continue;
                }
                let trial = flow[start..a].iter().chain(r.elems.iter()).chain(flow[b..].iter());
                let tf = self.fill(trial, carried, placed);
                if tf.exhausted || tf.judge(tf.natural_end()) == Verdict::Clean {
                    best = Some((r.cost, c, want, a, b, r.elems));
                }
            }
        }
        let (_, c, want, a, b, elems) = best?;
        Some(adopt(looseness, c, want, a, b, elems))
    }

    /// The notes that would be left to carry onto the next page if this one took the first
    /// `end` elements of `fill`; marks the notes begun on it in `placed`. The bookkeeping of
    /// [`Paginator::compose`] without moving any line, for looking ahead.
    fn after(&self, fill: &Fill, end: usize, carried: Option<(usize, usize)>, placed: &mut [bool]) -> Option<(usize, usize)> {
        let n_notes = fill.cands.iter().take_while(|c| c.count <= end).last().map_or(0, |c| c.notes);
        let mut next = None;
        if let Some((n, from)) = carried {
            let to = (from + fill.carried).min(self.notes[n]);
            if to < self.notes[n] {
                next = Some((n, to));
            }
        }
        for &(n, lines) in &fill.notes[..n_notes] {
            placed[n] = true;
            if lines < self.notes[n] {
                next = Some((n, lines));
            }
        }
        next
    }

    /// What the page after this one inherits if this one starts with `state` and takes the
    /// first `end` elements of `page` (the flow from this page's start), as `fill` found
    /// them: the notes placed, the note lines carried, the paragraph continuing.
    fn next_page(
        &self,
        state: &PageState<'_>,
        fill: &Fill,
        end: usize,
        page: &[Elem],
    ) -> (Vec<bool>, Option<(usize, usize)>, Option<u32>) {
        let mut placed = state.placed.to_vec();
        let carried = self.after(fill, end, state.carried, &mut placed);
        let continuing = match end.checked_sub(1).and_then(|k| page.get(k)) {
            Some(Elem::Line(l)) => l.chunk,
            _ => None,
        };
        (placed, carried, continuing)
    }

    /// Whether the page starting at `flow[start]` with `state`'s notes would come out
    /// short: its natural break is bad, no paragraph on it can be re-broken to mend that,
    /// and the break it would retreat to is earlier.
    fn would_be_short(
        &self,
        flow: &[Elem],
        state: &PageState<'_>,
        looseness: &[i8],
        rebreak: &mut dyn FnMut(u32, i32) -> Option<Rebroken>,
    ) -> bool {
        let carried_len = state.carried.map_or(0, |(n, from)| self.notes[n].saturating_sub(from));
        let fill = self.fill(flow[state.start..].iter(), carried_len, state.placed);
        let end = fill.natural_end();
        if fill.exhausted || matches!(fill.judge(end), Verdict::Clean | Verdict::Hyphen) {
            return false;
        }
        if fill.retreat(end).is_none_or(|e| e >= end) {
            return false;
        }
        let mut scratch = looseness.to_vec();
        self.mend(flow, state.start, state.continuing, &fill, carried_len, state.placed, &mut scratch, rebreak).is_none()
    }

    /// When this page can end cleanly after its first `end` elements but the next page
    /// would then come out short, tries re-breaking one paragraph that starts on this page
    /// one line looser or tighter so that both pages are full and end cleanly. Returns the
    /// cheapest such change, as [`Paginator::mend`] does, or `None`.
    ///
    /// This undoes a little of the greed of page-by-page pagination: a short page is often
    /// the fault of where the previous page ended, which the next page can no longer move.
    fn look_ahead(
        &self,
        flow: &[Elem],
        state: &PageState<'_>,
        end: usize,
        fill: &Fill,
        looseness: &mut Vec<i8>,
        rebreak: &mut dyn FnMut(u32, i32) -> Option<Rebroken>,
    ) -> Option<(usize, usize, Vec<Elem>)> {
        let (placed, carried, continuing) = self.next_page(state, fill, end, &flow[state.start..]);
        let next = PageState { start: state.start + end, continuing, carried, placed: &placed };
        if !self.would_be_short(flow, &next, looseness, rebreak) {
            return None;
        }
        let carried_len = state.carried.map_or(0, |(n, from)| self.notes[n].saturating_sub(from));
        let mut best: Option<(f32, u32, i8, usize, usize, Vec<Elem>)> = None;
        for (c, a, b) in chunks_on_page(flow, state.start, state.start + end, state.continuing) {
            let current = looseness.get(c as usize).copied().unwrap_or(0);
            for delta in [1i8, -1] {
                let want = current + delta;
                if !(-1..=1).contains(&want) {
                    continue;
                }
                if best.as_ref().is_some_and(|b| b.0 <= 0.0) {
                    break;
                }
                let Some(r) = rebreak(c, i32::from(want)) else { continue };
                if best.as_ref().is_some_and(|b| b.0 <= r.cost) {
                    continue;
                }
                let trial: Vec<Elem> =
                    flow[state.start..a].iter().chain(r.elems.iter()).chain(flow[b..].iter()).cloned().collect();
                let tf = self.fill(trial.iter(), carried_len, state.placed);
                let t_end = tf.natural_end();
                if tf.exhausted || tf.judge(t_end) != Verdict::Clean {
                    continue;
                }
                // The next page, as it would start after this one; whether it could still be
                // mended by re-breaking does not matter, it need not be.
                let (t_placed, t_carried, _) = self.next_page(state, &tf, t_end, &trial);
                let t_carried_len = t_carried.map_or(0, |(n, from)| self.notes[n].saturating_sub(from));
                let nf = self.fill(trial[t_end..].iter(), t_carried_len, &t_placed);
                if nf.exhausted || nf.judge(nf.natural_end()) == Verdict::Clean {
                    best = Some((r.cost, c, want, a, b, r.elems));
                }
            }
        }
        let (_, c, want, a, b, elems) = best?;
        Some(adopt(looseness, c, want, a, b, elems))
    }

    /// Moves the first `end` elements from `flow[start..]` onto a page, with their notes.
    /// Returns the page and the note lines still to be set on the next page.
    #[allow(clippy::too_many_arguments, reason = "the pagination state, passed apart to keep borrows simple")]
    fn compose(
        &self,
        flow: &mut [Elem],
        start: usize,
        end: usize,
        fill: &Fill,
        carried: Option<(usize, usize)>,
        notes: &mut [Vec<LineBox>],
        placed: &mut [bool],
    ) -> (PageBody, Option<(usize, usize)>) {
        let mut page = PageBody::default();
        let mut n_notes = 0;
        for c in fill.cands.iter().take_while(|c| c.count <= end) {
            if let Elem::Line(l) = std::mem::replace(&mut flow[start + c.count - 1], Elem::Space(0.0)) {
                page.lines.push((c.baseline, l));
            }
            n_notes = c.notes;
        }
        // The note area, bottom-aligned: carried lines first, then the notes begun here.
        let mut set: Vec<LineBox> = Vec::new();
        let mut next = None;
        if let Some((n, from)) = carried {
            let to = (from + fill.carried).min(notes[n].len());
            set.extend(notes[n][from..to].iter_mut().map(std::mem::take));
            if to < notes[n].len() {
                next = Some((n, to));
            }
        }
        for &(n, lines) in &fill.notes[..n_notes] {
            placed[n] = true;
            set.extend(notes[n][..lines].iter_mut().map(std::mem::take));
            if lines < notes[n].len() {
                next = Some((n, lines));
            }
        }
        if !set.is_empty() {
            let lead = self.style.leading;
            let first = self.geom.last_baseline() - (set.len() - 1) as f32 * lead;
            page.note_rule = Some(first - lead);
            for (k, l) in set.into_iter().enumerate() {
                page.notes.push((first + k as f32 * lead, l));
            }
        }
        (page, next)
    }
}

/// Records that chunk `c` is now set with `want` lines more (or fewer) than its best
/// breaking, and returns the flow splice that does it.
fn adopt(looseness: &mut Vec<i8>, c: u32, want: i8, a: usize, b: usize, elems: Vec<Elem>) -> (usize, usize, Vec<Elem>) {
    if looseness.len() <= c as usize {
        looseness.resize(c as usize + 1, 0);
    }
    looseness[c as usize] = want;
    (a, b, elems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Margins, PdfOptions};
    use crate::fonts::FaceMetrics;

    /// A geometry with exactly `lines` body lines of 10 pt on 12 pt.
    fn geom(lines: u32) -> Geometry {
        let metrics = FaceMetrics { ascender: 0.8, descender: -0.2, cap_height: 0.7, x_height: 0.5 };
        let height = 50.0 + 8.0 + (lines - 1) as f32 * 12.0 + 2.0 + 50.0;
        let opts = PdfOptions {
            width: 400.0,
            height,
            paper: "test".into(),
            font_size: 10.0,
            leading: Some(12.0),
            margins: Some(Margins { top: 50.0, bottom: 50.0, inner: 50.0, outer: 50.0 }),
        };
        let g = Geometry::new(&opts, metrics, 0.5).unwrap();
        assert_eq!(g.lines, lines);
        g
    }

    const STYLE: NoteStyle = NoteStyle { leading: 10.0, gap: 6.0 };

    fn line(chunk: u32) -> LineBox {
        LineBox { advance: 12.0, height: 8.0, grid: true, chunk: Some(chunk), ..LineBox::default() }
    }

    /// A paragraph of `n` lines with widow and orphan keeps.
    fn para(chunk: u32, n: usize) -> Vec<Elem> {
        (0..n)
            .map(|i| {
                let mut l = line(chunk);
                if n >= 2 && (i == 0 || i + 2 == n) {
                    l.keep = Keep::Soft;
                }
                Elem::Line(l)
            })
            .collect()
    }

    fn no_rebreak(_: u32, _: i32) -> Option<Rebroken> {
        None
    }

    fn counts(pages: &[PageBody]) -> Vec<usize> {
        pages.iter().map(|p| p.lines.len()).collect()
    }

    #[test]
    fn full_pages_hold_the_grid() {
        let g = geom(10);
        let flow: Vec<Elem> = (0..25).map(|_| Elem::Line(line(0))).collect();
        let pages = paginate(&g, STYLE, flow, vec![], &mut no_rebreak);
        assert_eq!(counts(&pages), [10, 10, 5]);
        for p in &pages {
            for (k, (b, _)) in p.lines.iter().enumerate() {
                assert!((b - g.baseline(k as u32)).abs() < 1e-3);
            }
        }
    }

    #[test]
    fn off_grid_lines_return_to_the_grid() {
        let g = geom(20);
        let mut flow = vec![Elem::Line(line(0)), Elem::Space(5.0)];
        for _ in 0..3 {
            flow.push(Elem::Line(LineBox { advance: 10.5, grid: false, ..line(1) }));
        }
        flow.push(Elem::Space(5.0));
        flow.push(Elem::Line(line(2)));
        let pages = paginate(&g, STYLE, flow, vec![], &mut no_rebreak);
        let b: Vec<f32> = pages[0].lines.iter().map(|l| l.0).collect();
        assert!((b[1] - (b[0] + 5.0 + 10.5)).abs() < 1e-3);
        assert!((b[3] - b[2] - 10.5).abs() < 1e-3);
        let k = (b[4] - g.first_baseline()) / g.leading;
        assert!((k - k.round()).abs() < 1e-3, "body line off the grid at {k}");
        assert!(b[4] >= b[3] + 5.0 + 12.0 - 1e-3);
    }

    #[test]
    fn widows_and_orphans_move_lines_over() {
        let g = geom(10);
        // 9 lines, then a 3-line paragraph: its first line would be an orphan.
        let mut flow = para(0, 9);
        flow.extend(para(1, 3));
        let pages = paginate(&g, STYLE, flow, vec![], &mut no_rebreak);
        assert_eq!(counts(&pages), [9, 3]);
        assert!(pages[0].short);
        // 8 lines, then 3: its last line would be a widow.
        let mut flow = para(0, 8);
        flow.extend(para(1, 3));
        let pages = paginate(&g, STYLE, flow, vec![], &mut no_rebreak);
        assert_eq!(counts(&pages), [8, 3]);
        // 7 lines, then 4: a 3 + 1 split would leave a widow, 2 + 2 is fine.
        let mut flow = para(0, 7);
        flow.extend(para(1, 4));
        let pages = paginate(&g, STYLE, flow, vec![], &mut no_rebreak);
        assert_eq!(counts(&pages), [9, 2]);
    }

    #[test]
    fn rebreaking_keeps_pages_full() {
        let g = geom(10);
        let mut flow = para(0, 5);
        flow.extend(para(1, 6)); // 11 lines: the 11th would be a widow
        let mut calls = Vec::new();
        let mut rebreak = |c: u32, l: i32| {
            calls.push((c, l));
            // only paragraph 0 can lose a line
            (c == 0 && l == -1).then(|| Rebroken { elems: para(0, 4), cost: 1.0 })
        };
        let pages = paginate(&g, STYLE, flow, vec![], &mut rebreak);
        assert_eq!(counts(&pages), [10]);
        assert!(!pages[0].short);
        assert!(calls.contains(&(0, -1)));
    }

    /// A page that can only end cleanly one line short (its natural break would leave an
    /// orphan, and nothing on it can be re-broken) is filled by re-breaking a paragraph on
    /// the page before, which ends cleanly either way.
    #[test]
    fn the_page_before_is_re_broken_to_fill_a_short_page() {
        let g = geom(10);
        // Page 1: A (6) + the first 4 of B (8). Page 2: the other 4 of B, C (5), and the
        // first line of D (3), an orphan, so it would end after C, one line short.
        let mut flow = para(0, 6);
        flow.extend(para(1, 8));
        flow.extend(para(2, 5));
        flow.extend(para(3, 3));
        let pages = paginate(&g, STYLE, flow.clone(), vec![], &mut no_rebreak);
        assert_eq!(counts(&pages), [10, 9, 3], "without re-breaking the second page is short");
        // Only A can take a line more: page 1 then ends a line earlier in B, and page 2
        // takes B's last 5 lines and C, full and clean.
        let mut rebreak = |c: u32, l: i32| (c == 0 && l == 1).then(|| Rebroken { elems: para(0, 7), cost: 1.0 });
        let pages = paginate(&g, STYLE, flow, vec![], &mut rebreak);
        assert_eq!(counts(&pages), [10, 10, 3]);
        assert!(pages.iter().all(|p| !p.short));
    }

    #[test]
    fn headings_stay_with_two_lines() {
        let g = geom(10);
        let mut flow = para(0, 8);
        let mut h = line(99);
        h.chunk = None;
        h.keep = Keep::Hard;
        h.heading = Some(HeadingMark { level: 1, title: "H".into() });
        flow.push(Elem::Space(12.0));
        flow.push(Elem::Line(h));
        let mut p = para(1, 5);
        if let Elem::Line(l) = &mut p[0] {
            l.keep = Keep::Hard;
        }
        flow.extend(p);
        let pages = paginate(&g, STYLE, flow, vec![], &mut no_rebreak);
        assert_eq!(counts(&pages)[0], 8);
        assert!(pages[1].lines[0].1.heading.is_some());
        // the space above the heading was dropped at the top of the page
        assert!((pages[1].lines[0].0 - g.first_baseline()).abs() < 1e-3);
    }

    fn note(lines: usize) -> Vec<LineBox> {
        (0..lines).map(|_| LineBox { advance: 10.0, ..LineBox::default() }).collect()
    }

    #[test]
    fn a_note_goes_on_the_page_of_its_reference() {
        let g = geom(10);
        let mut flow: Vec<Elem> = (0..20).map(|_| Elem::Line(line(0))).collect();
        if let Elem::Line(l) = &mut flow[9] {
            l.notes.push(NoteId(1));
        }
        let pages = paginate(&g, STYLE, flow, vec![note(2)], &mut no_rebreak);
        // line 10 (index 9) cannot keep its note on page 1: it moves to page 2
        assert!(pages[0].notes.is_empty());
        assert_eq!(pages[1].notes.len(), 2);
        assert_eq!(pages[1].lines[0].1.notes, vec![NoteId(1)]);
        let last = pages[1].notes.last().unwrap().0;
        assert!((last - g.last_baseline()).abs() < 1e-3, "notes sit on the last grid line");
        let rule = pages[1].note_rule.unwrap();
        let lowest_body = pages[1].lines.last().unwrap().0;
        assert!(lowest_body < rule && rule < pages[1].notes[0].0);
    }

    #[test]
    fn a_long_note_is_split_across_pages() {
        let g = geom(10);
        let mut flow: Vec<Elem> = (0..20).map(|_| Elem::Line(line(0))).collect();
        if let Elem::Line(l) = &mut flow[2] {
            l.notes.push(NoteId(1));
        }
        let pages = paginate(&g, STYLE, flow, vec![note(12)], &mut no_rebreak);
        let on_first = pages[0].notes.len();
        assert!((2..12).contains(&on_first), "{on_first}");
        assert_eq!(pages[1].notes.len(), 12 - on_first);
        assert!(pages[1].note_rule.is_some());
        assert!(pages[0].lines.len() >= 3);
    }

    #[test]
    fn a_second_reference_does_not_repeat_the_note() {
        let g = geom(10);
        let mut flow: Vec<Elem> = (0..4).map(|_| Elem::Line(line(0))).collect();
        for i in [0, 3] {
            if let Elem::Line(l) = &mut flow[i] {
                l.notes.push(NoteId(1));
            }
        }
        let pages = paginate(&g, STYLE, flow, vec![note(1)], &mut no_rebreak);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].notes.len(), 1);
    }

    #[test]
    fn a_block_taller_than_a_page_still_advances() {
        let g = geom(6);
        let big = LineBox { depth: 200.0, ..line(0) };
        let flow = vec![Elem::Line(big), Elem::Line(line(1))];
        let pages = paginate(&g, STYLE, flow, vec![], &mut no_rebreak);
        assert_eq!(counts(&pages), [1, 1]);
    }

    /// Random flows of paragraphs, headings, off-grid lines, spaces and notes: every line
    /// is placed once and in order, every note on the page of its reference (or split
    /// from it onto the next), and no page is left empty.
    #[test]
    fn random_flows_keep_the_invariants() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for round in 0..200 {
            let g = geom(6 + next(20) as u32);
            let mut flow = Vec::new();
            let mut notes = Vec::new();
            let mut id = 0u32;
            for chunk in 0..next(30) as u32 {
                match next(6) {
                    0 => flow.push(Elem::Space(next(30) as f32)),
                    1 => {
                        let mut h = line(chunk);
                        h.keep = Keep::Hard;
                        flow.push(Elem::Line(h));
                    }
                    2 => flow.push(Elem::Line(LineBox { grid: false, advance: 7.0 + next(10) as f32, ..line(chunk) })),
                    _ => {
                        let mut p = para(chunk, 1 + next(12) as usize);
                        for e in &mut p {
                            if let Elem::Line(l) = e {
                                id += 1;
                                l.depth = id as f32 * 1e-6; // a tag to follow the line
                                if next(8) == 0 {
                                    notes.push(note(1 + next(if round % 3 == 0 { 30 } else { 3 }) as usize));
                                    l.notes.push(NoteId(notes.len() as u32));
                                }
                            }
                        }
                        flow.extend(p);
                    }
                }
            }
            let lines: usize = flow.iter().filter(|e| matches!(e, Elem::Line(_))).count();
            let note_lines: usize = notes.iter().map(Vec::len).sum();
            let mut shrink =
                |c: u32, l: i32| (next(2) == 0).then(|| Rebroken { elems: para(c, 2 + (l + 1) as usize), cost: 1.0 });
            let tagged: Vec<f32> = flow
                .iter()
                .filter_map(|e| match e {
                    Elem::Line(l) if l.depth > 0.0 => Some(l.depth),
                    _ => None,
                })
                .collect();
            let pages = paginate(&g, STYLE, flow.clone(), notes.clone(), &mut no_rebreak);
            assert_eq!(pages.iter().map(|p| p.lines.len()).sum::<usize>(), lines, "round {round}");
            assert_eq!(pages.iter().map(|p| p.notes.len()).sum::<usize>(), note_lines, "round {round}");
            assert!(pages.iter().all(|p| !p.lines.is_empty() || !p.notes.is_empty()));
            let seen: Vec<f32> =
                pages.iter().flat_map(|p| p.lines.iter().map(|l| l.1.depth)).filter(|&d| d > 0.0).collect();
            assert_eq!(seen, tagged, "round {round}: lines out of order");
            for p in &pages {
                for w in p.lines.windows(2) {
                    assert!(w[0].0 < w[1].0, "round {round}: baselines out of order");
                }
            }
            // With re-breaking in play the flow changes (and these stand-in paragraphs lose
            // their notes), but pagination still ends with every page holding something.
            let pages = paginate(&g, STYLE, flow, notes, &mut shrink);
            assert!(pages.iter().all(|p| !p.lines.is_empty() || !p.notes.is_empty()), "round {round}");
        }
    }

    #[test]
    fn empty_flow_gives_no_pages() {
        let pages = paginate(&geom(6), STYLE, vec![], vec![], &mut no_rebreak);
        assert!(pages.is_empty());
    }
}
