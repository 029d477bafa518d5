//! Line breaking: where a paragraph's lines end, chosen for the whole paragraph at once.
//!
//! This is the total-fit method of Knuth and Plass ("Breaking Paragraphs into Lines",
//! 1981), the one TeX uses, written for pamphlet. It works on abstract [`Item`]s: the
//! caller has already shaped the text and turned it into boxes (words and pieces of words),
//! glue (the spaces) and penalties (places where a line may end at a price, such as a
//! discretionary hyphen). Nothing here knows about fonts or glyphs, so the module can be
//! tested with invented widths, and the paginator can re-break a paragraph cheaply.
//!
//! # The cost of a line
//!
//! A candidate line runs from the first item after one break to the next break. Prefix
//! sums give its natural width `W`, its stretchability `Y` and shrinkability `Z` in O(1).
//! Against the room `L` (the line's measure plus whatever its first and last characters
//! may hang into the margins, see [`Item::Box`]) the *adjustment ratio* is
//! `r = (L − W) / Y` when the line must stretch and `r = (L − W) / Z` when it must shrink.
//! Glue never shrinks by more than its shrinkability, so `r < −1` means the line does not
//! fit. The *badness* is `100·|r|³`, as in TeX, except that stretched lines are weighted
//! by [`Params::loose_weight`]: a gap that grows looks worse than one that closes by the
//! same ratio, and our target is spacing close to the natural space.
//!
//! The *demerits* of a line are `(line_penalty + badness)²`, plus the square of the
//! break's penalty (minus it for a negative penalty), plus extras that look at the line
//! before: two hyphenated lines in a row, a hyphen on the last full line, a line whose
//! tightness class (very loose, loose, decent, tight) is more than one class away from
//! its neighbour's, and a paragraph's last line that is very short. The best paragraph is
//! the one with the least total demerits.
//!
//! # The search
//!
//! Walking the items once, left to right, the algorithm keeps *active nodes*: breaks
//! already reached at least cost from which a line may still start. At each legal break
//! it tries a line from every active node, keeps the cheapest way of arriving there for
//! each *state* that can matter to the lines that follow, and drops the nodes whose
//! material can no longer be squeezed into a line. A state is the tightness class of the
//! line just ended (for the adjacency rule), the length of the current run of hyphenated
//! lines (so the run can be capped, not just discouraged), and the line number where line
//! widths still differ or a [looseness](Linebreaker::linebreak) is asked for. Every
//! candidate line costs O(1), so a paragraph costs O(items × active nodes), and the
//! buffers are kept in a [`Linebreaker`] for reuse.
//!
//! # Passes
//!
//! A paragraph always gets lines. The passes, each tried only if the ones before found no
//! feasible paragraph (or, for a looseness request, could not grant it; only the first
//! two passes try to):
//!
//! 1. optionally, without hyphenation and with a strict tolerance ([`Params::pretolerance`]);
//! 2. with hyphenation, accepting lines up to [`Params::max_stretch`];
//! 3. an emergency pass that accepts much looser lines ([`Params::emergency_max_stretch`]),
//!    optionally grading them as if each had some extra stretch, as TeX's
//!    `\emergencystretch` does;
//! 4. a fallback that accepts any line that fits, however loose, and no longer caps runs
//!    of hyphens. Only material that is wider than the measure between two legal breaks
//!    (an unbreakable word) makes a line cross the margin: a node is dropped as soon as
//!    no later break can be reached from it, and when the last one goes, the line that
//!    sticks out least is set and reported as [`Line::overfull`], and the search goes on.
//!
//! # The last line
//!
//! The last line (and any line ending at a forced break) is set at its natural width and
//! not stretched, which is what TeX's `\parfillskip` of infinite stretch does. Unlike TeX,
//! a last line that is shorter than [`Params::short_last_line`] of the measure costs extra
//! demerits, growing as it gets shorter, so that a lone short word on the last line is
//! avoided when the paragraph can be set a little tighter or looser instead. This is a
//! price, not a rule: a paragraph that can only end that way still does.

use std::ops::Range;

/// A penalty of this cost or more forbids a break; one of minus this or less forces it
/// (TeX's convention).
pub const INFINITE_PENALTY: f32 = 10_000.0;

/// Widths within this many points of each other count as equal. The sums of a few
/// thousand widths drift by far less, and nobody can see a thousandth of a point.
const EPSILON: f64 = 1e-3;

/// The badness of a line that would have to stretch but has nothing to stretch with.
/// Beyond any ratio the tolerances admit, so only the fallback pass ever sets such a line,
/// and then prefers any line that can stretch, however far.
const UNSTRETCHABLE_BADNESS: f64 = 1e9;

/// How the paragraph is judged: the tuned constants of the line breaker.
///
/// [`Params::default`] holds values tuned for even spacing: for a space whose glue is
/// about ⅓ em wide, stretching by ⅙ em and shrinking by ¹⁄₉ em, they aim at inter-word
/// gaps whose median is within 5% of the natural space and whose 95th percentile is
/// within 35% (no line over 50%), with no more than two hyphenated lines in a row.
/// Each field says how it differs from TeX's default and why.
///
/// They were tuned on the essay in `book/`, set with Charis SIL's advance widths at
/// 10 pt on a 317 pt measure (A5 with the default margins) and hyphenated by
/// [`hyphenate`](super::hyphenate). Without glyph expansion the gaps came out with a
/// median of 0.99 and a 95th percentile of 1.31 times the natural space; three of 45
/// paragraphs need the emergency pass, where a line's only breaks leave a gap of up to
/// 1.94 (an unhyphenatable compound at the end of a first line). With ±1% expansion on
/// the boxes: median 0.97, 95th percentile 1.22, at most 1.32, no emergency pass. TeX's
/// own defaults on the same text: median 1.06, 95th percentile 1.44.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Demerits every line costs, so that of two equally good paragraphs the one with
    /// fewer lines wins. TeX's `\linepenalty` is 10, and so is ours: it is small beside
    /// the badness of a loose line, which is what matters here.
    pub line_penalty: f32,
    /// The cost the caller should give a discretionary hyphen's penalty (the line breaker
    /// reads costs from the items; this is where they are tuned). TeX's `\hyphenpenalty`
    /// is 50; ours is 80. With font expansion and margin kerning doing part of the
    /// spaces' work, 50 hyphenated one line in seven of the essay to shave the last
    /// hundredths off the spacing. Measured on the essay (with the space's shrink at
    /// 0.28): 50 → 57 hyphenated lines; 80 → 53, the 95th percentile of the gaps 1.27;
    /// 100 → 44 and 1.28, but one right-hand page then had to end on a hyphen that no
    /// re-break could mend. Runs of hyphens are held back by
    /// [`Params::double_hyphen_demerits`] and [`Params::max_hyphen_run`].
    pub hyphen_penalty: f32,
    /// The cost the caller should give a break after an explicit hyphen
    /// ("Marxism-|Leninism"), flagged like a discretionary one. TeX's `\exhyphenpenalty`
    /// is 50; ours is the same, since the line looks the same.
    pub explicit_hyphen_penalty: f32,
    /// The cost the caller should give a break after an en or em dash (not flagged: the
    /// line does not end in a hyphen). TeX treats a dash like an explicit hyphen (50);
    /// a line ending in a dash reads more easily than a hyphenated one, so ours is lower.
    pub dash_penalty: f32,
    /// The cost the caller should give a break inside a URL or path (see
    /// [`url_breaks`](super::hyphenate::url_breaks); nothing is added at the break). Low, because a URL is long and
    /// unbreakable otherwise, so a split URL is far better than a very loose line; but
    /// not zero, so that it is not split when spacing is equally good either way.
    pub url_penalty: f32,
    /// Extra demerits when two lines in a row end with a flagged (hyphen) break. TeX's
    /// `\doublehyphendemerits` is 10 000; ours is lower because hyphenation is our main
    /// tool for even spacing and [`Params::max_hyphen_run`] already caps runs outright;
    /// it is still more than two hyphens' worth, so runs of two stay exceptional.
    pub double_hyphen_demerits: f32,
    /// Extra demerits when the last full line of a paragraph ends with a hyphen, leaving
    /// a fragment of word on the last line. TeX's `\finalhyphendemerits` is 5000; ours
    /// is the same.
    pub final_hyphen_demerits: f32,
    /// Extra demerits when a line's tightness class is more than one class away from the
    /// line before's (a loose line next to a tight one). TeX's `\adjdemerits` is 10 000;
    /// ours is the same: the contrast is what the eye catches.
    pub adjacent_demerits: f32,
    /// The longest run of consecutive hyphenated lines allowed, except in the fallback
    /// pass. TeX has no such limit (only demerits); we make it a rule because a ladder of
    /// three hyphens is a defect that no amount of even spacing pays for.
    pub max_hyphen_run: u8,
    /// Factor on the badness of stretched lines (TeX: 1, both directions alike). With
    /// our glue a space at r = 1 is 50% wider than natural, but at r = −1 only a third
    /// narrower, and the eye is more bothered by holes than by tight lines; 3 makes a
    /// line stretched to r ≈ 0.7 cost as much as one shrunk all the way. Measured: 1
    /// gives a 95th percentile of 1.42, 2 of 1.34, 3 of 1.31, 4 of 1.29 but with more
    /// lines shrunk below 0.7 of the natural space.
    pub loose_weight: f32,
    /// If set, a first pass tries to set the paragraph without hyphenation, accepting
    /// only lines that stretch at most this ratio (TeX's `\pretolerance`, 100, is about
    /// r = 1). Off by default: a first pass that succeeds keeps every line it accepts,
    /// however loose, while hyphenation would have spaced them more evenly; the hyphen's
    /// penalty already keeps hyphens to the places where they help.
    pub pretolerance: Option<f32>,
    /// The largest stretch ratio a line may have in the normal pass. TeX's `\tolerance`
    /// of 200 is r ≈ 1.26; ours is 1, a gap at most 50% wider than natural with our glue,
    /// the limit the finished pages are measured against.
    pub max_stretch: f32,
    /// In the emergency pass, extra stretch each line is graded with, as a fraction of
    /// the line's width (TeX's `\emergencystretch`, off by default in TeX too). It
    /// spreads unavoidable looseness over several lines. TeX needs it to get past its
    /// tolerance at all; our emergency pass raises the tolerance instead
    /// ([`Params::emergency_max_stretch`]), and grading with extra stretch only blurs the
    /// difference between a loose line and a very loose one: at 0.05 (1.5 em) six lines
    /// of the test text went over 1.5 times the natural space, at 0 four did.
    pub emergency_stretch: f32,
    /// The largest stretch ratio (graded with the emergency stretch) accepted in the
    /// emergency pass: 3, a space 2.5 times its natural width. Above this the fallback
    /// pass takes over, which no longer caps runs of hyphens; at 2, narrow measures sent
    /// paragraphs there and got three hyphens in a row.
    pub emergency_max_stretch: f32,
    /// A paragraph's last line shorter than this fraction of the measure costs extra
    /// demerits. TeX has nothing of the kind (its `\parfillskip` accepts any last line).
    /// A fifth is a word or two on a 65-character line: shorter than that, the last line
    /// looks like an accident and wastes a line of the page.
    pub short_last_line: f32,
    /// The extra demerits for an empty last line; they fall linearly to nothing at
    /// [`Params::short_last_line`]. As much as a loose line next to a tight one
    /// ([`Params::adjacent_demerits`]), an equally visible flaw. It can only choose among
    /// lines within the tolerance, so it never makes spacing worse than the limits; with
    /// ±1% glyph expansion it left 4 short last lines of 45 paragraphs instead of 6.
    pub short_last_line_demerits: f32,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            line_penalty: 10.0,
            hyphen_penalty: 80.0,
            explicit_hyphen_penalty: 50.0,
            dash_penalty: 30.0,
            url_penalty: 30.0,
            double_hyphen_demerits: 6000.0,
            final_hyphen_demerits: 5000.0,
            adjacent_demerits: 10_000.0,
            max_hyphen_run: 2,
            loose_weight: 3.0,
            pretolerance: None,
            max_stretch: 1.0,
            emergency_stretch: 0.0,
            emergency_max_stretch: 3.0,
            short_last_line: 0.2,
            short_last_line_demerits: 10_000.0,
        }
    }
}

/// One element of a paragraph, as the line breaker sees it. Widths are in any unit (the
/// caller uses points), the same unit as the [`Measure`].
///
/// A line may end at glue that follows a box (the glue disappears) or at a penalty whose
/// cost is below [`INFINITE_PENALTY`] (its width, a hyphen, is set at the end of the
/// line). After a break, glue and penalties up to the next box are discarded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// Material that is never broken: a word, a piece of a word, a kern.
    Box {
        /// Natural width.
        width: f32,
        /// How much wider it may be set when its line stretches: zero for plain text, a
        /// little (say 2% of the width) when the caller allows glyph expansion.
        stretch: f32,
        /// How much narrower it may be set when its line shrinks.
        shrink: f32,
        /// How far it may hang into the left margin when it opens a line (margin kerning
        /// for an opening quote or parenthesis). The line gets this much more room.
        protrude_left: f32,
        /// How far it may hang into the right margin when it ends a line (a stop, comma,
        /// hyphen, dash or closing quote). The line gets this much more room.
        protrude_right: f32,
    },
    /// Space that stretches and shrinks, and a place to break when it follows a box.
    Glue {
        /// Natural width.
        width: f32,
        /// How much it may grow (at adjustment ratio 1).
        stretch: f32,
        /// How much it may shrink (at adjustment ratio −1; never more).
        shrink: f32,
    },
    /// A place to break at a price.
    Penalty {
        /// Width set at the end of the line if the line breaks here (a discretionary
        /// hyphen); nothing otherwise.
        width: f32,
        /// The price of breaking here: at least [`INFINITE_PENALTY`] forbids it, at most
        /// minus that forces it, negative values invite it.
        cost: f32,
        /// Whether a line ending here counts as hyphenated, for the rules against runs
        /// of hyphens and a hyphen on the last full line.
        flagged: bool,
        /// How far the material set at the break (the hyphen) may hang into the right
        /// margin. When the penalty has no width, the box before it decides instead.
        protrude: f32,
    },
}

impl Item {
    /// A box of this width that neither stretches, shrinks nor protrudes.
    pub fn word(width: f32) -> Item {
        Item::Box { width, stretch: 0.0, shrink: 0.0, protrude_left: 0.0, protrude_right: 0.0 }
    }

    /// Glue.
    pub fn glue(width: f32, stretch: f32, shrink: f32) -> Item {
        Item::Glue { width, stretch, shrink }
    }

    /// A penalty that does not protrude.
    pub fn penalty(width: f32, cost: f32, flagged: bool) -> Item {
        Item::Penalty { width, cost, flagged, protrude: 0.0 }
    }

    /// A penalty that forces a line break here (a hard line break); the line before is
    /// set like a last line, at its natural width.
    pub fn forced_break() -> Item {
        Item::penalty(0.0, -INFINITE_PENALTY, false)
    }

    /// This item with the given stretch and shrink, if it is a box or glue.
    pub fn with_stretch(self, stretch: f32, shrink: f32) -> Item {
        match self {
            Item::Box { width, protrude_left, protrude_right, .. } => {
                Item::Box { width, stretch, shrink, protrude_left, protrude_right }
            }
            Item::Glue { width, .. } => Item::Glue { width, stretch, shrink },
            penalty => penalty,
        }
    }

    /// This item with margin protrusion: both sides for a box, `right` for a penalty,
    /// nothing for glue.
    pub fn protruding(self, left: f32, right: f32) -> Item {
        match self {
            Item::Box { width, stretch, shrink, .. } => {
                Item::Box { width, stretch, shrink, protrude_left: left, protrude_right: right }
            }
            Item::Penalty { width, cost, flagged, .. } => {
                Item::Penalty { width, cost, flagged, protrude: right }
            }
            glue => glue,
        }
    }

    /// Natural width. A penalty's width counts only at the end of a line, so it is not
    /// included here (see [`Line::end_width`]).
    pub fn width(&self) -> f32 {
        match *self {
            Item::Box { width, .. } | Item::Glue { width, .. } => finite(width),
            Item::Penalty { .. } => 0.0,
        }
    }

    /// The width to set this item at on a line with adjustment ratio `ratio` (see
    /// [`Line::ratio`]): grown by `ratio × stretch` when positive, shrunk by
    /// `ratio × shrink` (never beyond its shrink) when negative. Penalties take no room
    /// inside a line.
    pub fn set_width(&self, ratio: f32) -> f32 {
        let (width, stretch, shrink) = match *self {
            Item::Box { width, stretch, shrink, .. } | Item::Glue { width, stretch, shrink } => {
                (width, stretch, shrink)
            }
            Item::Penalty { .. } => return 0.0,
        };
        let ratio = finite(ratio);
        if ratio >= 0.0 {
            finite(width) + ratio * nonnegative(stretch)
        } else {
            finite(width) + ratio.max(-1.0) * nonnegative(shrink)
        }
    }
}

/// How wide each line is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure<'a> {
    /// Every line has this width.
    Uniform(f32),
    /// Line `i` has width `widths[i]`; lines past the end have the last width (TeX's
    /// `\parshape`). An empty slice means width 0, so every line is overfull.
    Shape(&'a [f32]),
}

impl Measure<'_> {
    /// The width of line `line` (counted from 0).
    pub fn width(&self, line: usize) -> f32 {
        let width = match *self {
            Measure::Uniform(width) => width,
            Measure::Shape(widths) => match widths.get(line).or(widths.last()) {
                Some(&width) => width,
                None => 0.0,
            },
        };
        finite(width)
    }

    /// The first line from which all lines have the same width: nodes past it need not
    /// remember their line number.
    fn uniform_from(&self) -> usize {
        match *self {
            Measure::Uniform(_) => 0,
            Measure::Shape(widths) => widths.len().saturating_sub(1),
        }
    }
}

/// Which pass found the paragraph's lines (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pass {
    /// Without discretionary hyphens (flagged penalties with a width), within
    /// [`Params::pretolerance`]. Breaks after explicit hyphens (flagged, no width) are
    /// still tried.
    Unhyphenated,
    /// With hyphenation, within [`Params::max_stretch`]: the normal case.
    Hyphenated,
    /// With the emergency stretch: some lines are looser than the normal tolerance.
    Emergency,
    /// The fallback: some lines may be very loose, and some may be overfull.
    Fallback,
}

/// One line of a broken paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// Index of the first item set on the line. Items between the previous line's `end`
    /// and this are discarded (the break itself and the glue and penalties after it).
    pub start: usize,
    /// Index of the break: the line sets `items[start..end]`, plus [`Line::end_width`].
    /// For the last line, the end of the material (trailing glue and penalties of the
    /// paragraph are discarded, as TeX's `\unskip` does).
    pub end: usize,
    /// The adjustment ratio to set the line with: each glue and box is set at its natural
    /// width plus `ratio × stretch` when positive, plus `ratio × shrink` when negative
    /// (see [`Item::set_width`]). Never below −1. Zero for a last line that is shorter
    /// than the measure (it is set ragged), and for a line that cannot stretch.
    pub ratio: f32,
    /// The line's badness (0 = natural spacing, 100 = stretched or shrunk to the limit).
    /// Useful for warning about a very loose line.
    pub badness: f32,
    /// Whether the line ends at a flagged penalty (usually with a hyphen).
    pub hyphenated: bool,
    /// Width of what is set at the break, after the last item: the width of the penalty
    /// the line breaks at (a hyphen), or 0.
    pub end_width: f32,
    /// Whether the line is wider than its measure even when shrunk as far as it can, so
    /// it crosses the margin. Only the fallback pass does this, for material wider than
    /// the measure that has no break in it; the caller should warn.
    pub overfull: bool,
    /// The measure of this line.
    pub width: f32,
    /// How far the line's first box hangs into the left margin: set the line starting
    /// this far left of the margin.
    pub protrude_left: f32,
    /// How far the line's last box (or hyphen) may hang into the right margin: a
    /// justified line ends this far right of the margin. The set width of a full line is
    /// `width + protrude_left + protrude_right`.
    pub protrude_right: f32,
}

impl Line {
    /// The items set on this line, as a range of indices into the paragraph's items.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The width at which `item` is set on this line (see [`Item::set_width`]).
    pub fn set_width(&self, item: &Item) -> f32 {
        item.set_width(self.ratio)
    }
}

/// A paragraph broken into lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Breaks {
    /// The lines, first to last. Empty when the paragraph has no boxes.
    pub lines: Vec<Line>,
    /// The total demerits of the chosen breaks (lower is better); for comparing ways of
    /// setting the same paragraph.
    pub demerits: f64,
    /// The pass that found the lines; anything after [`Pass::Hyphenated`] means the
    /// paragraph could not be set within the normal tolerance.
    pub pass: Pass,
    /// How many lines longer (positive) or shorter (negative) than the optimum the
    /// paragraph was made, in answer to a looseness request; 0 when none was asked for
    /// or none could be granted.
    pub looseness: i32,
}

impl Breaks {
    /// Whether any line crosses the margin.
    pub fn has_overfull(&self) -> bool {
        self.lines.iter().any(|line| line.overfull)
    }
}

/// Breaks `items` into lines of `measure` with the default scratch buffers; see
/// [`Linebreaker::linebreak`].
pub fn linebreak(items: &[Item], measure: Measure<'_>, params: &Params, looseness: i32) -> Breaks {
    Linebreaker::new().linebreak(items, measure, params, looseness)
}

/// The line breaker with its scratch buffers, kept to break many paragraphs without
/// allocating for each.
#[derive(Debug, Default)]
pub struct Linebreaker {
    /// Prefix sums of width, stretch and shrink: `sums[i]` covers `items[..i]`.
    sums: Vec<Sums>,
    /// `starts[i]`: the first item at or after `i` that a line can start with.
    starts: Vec<usize>,
    /// `need[b]`: the least room, less what a line's start contributes, that any line
    /// ending at a break at or after `b` needs: the minimum over those breaks of the
    /// shrunk width from the paragraph's start, plus the hyphen, less the protrusion.
    /// A node is dropped as soon as no later line from it can fit.
    need: Vec<f64>,
    /// Every node created in the current pass; `prev` links point into it.
    nodes: Vec<Node>,
    /// Indices into `nodes` of the active nodes, oldest first.
    active: Vec<usize>,
    /// The best new node per state at the current break.
    candidates: Vec<Candidate>,
}

impl Linebreaker {
    /// A line breaker with empty buffers.
    pub fn new() -> Linebreaker {
        Linebreaker::default()
    }

    /// Breaks `items` into lines of `measure`, minimising total demerits under `params`.
    ///
    /// `looseness` asks, like TeX's `\looseness`, for a paragraph that many lines longer
    /// (positive) or shorter (negative) than the optimum, if the normal passes can set one
    /// within tolerance; otherwise it comes as close as it can, and
    /// [`Breaks::looseness`] says what was granted. The paginator uses ±1 against widows
    /// and orphans. The emergency and fallback passes ignore it.
    ///
    /// Never panics and always returns lines for a paragraph with at least one box:
    /// non-finite widths count as 0, negative stretch and shrink as 0.
    pub fn linebreak(
        &mut self,
        items: &[Item],
        measure: Measure<'_>,
        params: &Params,
        looseness: i32,
    ) -> Breaks {
        let Some(par) = self.prepare(items, measure) else {
            return Breaks {
                lines: Vec::new(),
                demerits: 0.0,
                pass: Pass::Hyphenated,
                looseness: 0,
            };
        };

        // The normal passes: keep the first that grants the looseness, or else the last
        // that found any paragraph at all.
        let mut found: Option<(Pass, Chosen, Vec<Line>)> = None;
        let normal =
            params.pretolerance.map(|_| Pass::Unhyphenated).into_iter().chain([Pass::Hyphenated]);
        for pass in normal {
            if let Some(chosen) = self.run(items, &par, params, pass, looseness) {
                let done = chosen.looseness == looseness;
                found = Some((pass, chosen, self.lines(items, &par, chosen.node)));
                if done {
                    break;
                }
            }
        }
        let (pass, chosen, lines) = match found {
            Some(found) => found,
            None => {
                let emergency = self.run(items, &par, params, Pass::Emergency, 0);
                let (pass, chosen) = match emergency {
                    Some(chosen) => (Pass::Emergency, Some(chosen)),
                    None => (Pass::Fallback, self.run(items, &par, params, Pass::Fallback, 0)),
                };
                // The fallback pass cannot fail: where nothing fits it sets an overfull
                // line and goes on. Should it fail anyway, set one box per line rather
                // than panic.
                let Some(chosen) = chosen else {
                    debug_assert!(false, "the fallback pass found no paragraph");
                    return Breaks {
                        lines: one_box_per_line(items, &par, measure),
                        demerits: f64::INFINITY,
                        pass: Pass::Fallback,
                        looseness: 0,
                    };
                };
                (pass, chosen, self.lines(items, &par, chosen.node))
            }
        };
        Breaks { lines, demerits: chosen.demerits, pass, looseness: chosen.looseness }
    }

    /// Fills the prefix sums and line starts, or says there is nothing to set.
    fn prepare<'a>(&mut self, items: &[Item], measure: Measure<'a>) -> Option<Paragraph<'a>> {
        // Trailing glue and penalties are dropped and the paragraph ends after its last
        // box, with an implicit forced break.
        let end = items.iter().rposition(|item| matches!(item, Item::Box { .. }))? + 1;

        self.sums.clear();
        self.sums.reserve(end + 1);
        let mut sum = Sums::default();
        self.sums.push(sum);
        for item in &items[..end] {
            if let Item::Box { width, stretch, shrink, .. }
            | Item::Glue { width, stretch, shrink } = *item
            {
                sum.add(width, stretch, shrink);
            }
            self.sums.push(sum);
        }

        self.starts.clear();
        self.starts.resize(end + 1, end);
        self.need.clear();
        self.need.resize(end + 1, f64::INFINITY);
        for i in (0..=end).rev() {
            if let Some(brk) = Break::at(items, i, end) {
                let shrunk = self.sums[i].width - self.sums[i].shrink;
                self.need[i] = shrunk + brk.width - right_protrusion(items, i, &brk);
            }
            if i < end {
                self.need[i] = self.need[i].min(self.need[i + 1]);
                let starts_line = match items[i] {
                    Item::Box { .. } => true,
                    Item::Penalty { cost, .. } => is_forced(cost),
                    Item::Glue { .. } => false,
                };
                self.starts[i] = if starts_line { i } else { self.starts[i + 1] };
            }
        }

        Some(Paragraph { end, measure, uniform_from: measure.uniform_from() })
    }

    /// One pass of the search. Returns the chosen final node, or `None` when no
    /// paragraph fits this pass's tolerance.
    fn run(
        &mut self,
        items: &[Item],
        par: &Paragraph,
        params: &Params,
        pass: Pass,
        looseness: i32,
    ) -> Option<Chosen> {
        let rules = Rules::new(params, pass, looseness);
        self.nodes.clear();
        self.active.clear();
        self.nodes.push(Node {
            pos: 0,
            start: 0,
            lines: 0,
            fitness: Fitness::Decent,
            run: 0,
            total: 0.0,
            prev: None,
        });
        self.active.push(0);

        for b in 0..=par.end {
            let Some(brk) = Break::at(items, b, par.end) else { continue };
            // A flagged break that adds a hyphen is a discretionary one, which the first
            // pass does without; one that adds nothing follows an explicit hyphen, which
            // is there anyway.
            if brk.flagged && brk.width != 0.0 && !brk.forced && !rules.hyphenate {
                continue;
            }
            let right = right_protrusion(items, b, &brk);
            self.candidates.clear();
            // Where nothing fits any more, the fallback pass breaks from the node whose
            // line sticks out least.
            let mut rescue: Option<(f64, usize)> = None;
            let mut kept = 0;
            for k in 0..self.active.len() {
                let a = self.active[k];
                let node = self.nodes[a];
                if node.start >= b && !brk.forced {
                    // Nothing but discarded items since that break: no line to end here.
                    self.active[kept] = a;
                    kept += 1;
                    continue;
                }
                let measure = f64::from(par.measure.width(node.lines));
                let left = left_protrusion(items, node.start);
                let room = measure + left + right;
                let from = self.sums[node.start];
                let material = self.sums[b].width - from.width;
                let width = material + brk.width;
                let stretch = self.sums[b].stretch - from.stretch;
                let shrink = self.sums[b].shrink - from.shrink;

                let fits = width - shrink <= room + EPSILON;
                // No line from this node to this or any later break can fit.
                let dead = self.need[b] - (from.width - from.shrink) > measure + left + EPSILON;

                if fits {
                    let shape = LineShape { width, stretch, shrink, room, measure };
                    if let Some(c) = rules.candidate(&node, a, &brk, &shape, par) {
                        offer(&mut self.candidates, c);
                    }
                }
                if dead || brk.forced {
                    if !fits {
                        let overflow = width - shrink - room;
                        if rescue.is_none_or(|(best, n)| {
                            overflow < best
                                || (overflow == best && node.total < self.nodes[n].total)
                        }) {
                            rescue = Some((overflow, a));
                        }
                    }
                } else {
                    self.active[kept] = a;
                    kept += 1;
                }
            }
            self.active.truncate(kept);

            if self.candidates.is_empty() && self.active.is_empty() {
                match rescue {
                    Some((_, a)) if pass == Pass::Fallback => {
                        let node = self.nodes[a];
                        self.candidates.push(rules.overfull(&node, a, &brk, par));
                    }
                    _ => return None,
                }
            }

            let start = if b < par.end { self.starts[b + 1] } else { par.end };
            for c in &self.candidates {
                self.active.push(self.nodes.len());
                self.nodes.push(Node {
                    pos: b,
                    start,
                    lines: c.lines,
                    fitness: c.fitness,
                    run: c.run,
                    total: c.total,
                    prev: Some(c.prev),
                });
            }
        }

        // The break at the end is forced, so only nodes there are left active.
        let finals = self.active.iter().map(|&i| (i, self.nodes[i]));
        let best = finals.clone().min_by(|x, y| x.1.total.total_cmp(&y.1.total))?;
        let mut chosen = Chosen { node: best.0, demerits: best.1.total, looseness: 0 };
        if looseness != 0 {
            // As TeX does: among the line counts between the optimum and the target, the
            // farthest from the optimum, then the fewest demerits.
            for (i, node) in finals {
                let diff = node.lines as i64 - best.1.lines as i64;
                let within = if looseness > 0 {
                    (0..=i64::from(looseness)).contains(&diff)
                } else {
                    (i64::from(looseness)..=0).contains(&diff)
                };
                let farther = diff.abs() > i64::from(chosen.looseness).abs();
                let as_far_cheaper =
                    diff == i64::from(chosen.looseness) && node.total < chosen.demerits;
                if within && (farther || as_far_cheaper) {
                    chosen = Chosen { node: i, demerits: node.total, looseness: diff as i32 };
                }
            }
        }
        Some(chosen)
    }

    /// The lines ending at `last` and its predecessors.
    fn lines(&self, items: &[Item], par: &Paragraph, last: usize) -> Vec<Line> {
        let mut count = 0;
        let mut at = last;
        while let Some(prev) = self.nodes[at].prev {
            count += 1;
            at = prev;
        }
        let mut lines = Vec::with_capacity(count);
        let mut at = last;
        while let Some(prev) = self.nodes[at].prev {
            let (node, from) = (self.nodes[at], self.nodes[prev]);
            lines.push(self.line(items, par, from, node.pos));
            at = prev;
        }
        lines.reverse();
        lines
    }

    /// The line from the break at `from` to the break at `b`, measured.
    fn line(&self, items: &[Item], par: &Paragraph, from: Node, b: usize) -> Line {
        let brk = Break::at(items, b, par.end).unwrap_or(Break::FINAL);
        let start = from.start.min(b);
        let measure = f64::from(par.measure.width(from.lines));
        let left = left_protrusion(items, start);
        let right = right_protrusion(items, b, &brk);
        let room = measure + left + right;
        let width = self.sums[b].width - self.sums[start].width + brk.width;
        let stretch = self.sums[b].stretch - self.sums[start].stretch;
        let shrink = self.sums[b].shrink - self.sums[start].shrink;

        let ratio = if width > room + EPSILON {
            if shrink > 0.0 {
                ((room - width) / shrink).max(-1.0)
            } else {
                -1.0
            }
        } else if width < room - EPSILON && !brk.forced && stretch > 0.0 {
            (room - width) / stretch
        } else {
            0.0
        };
        let badness = if width < room - EPSILON && !brk.forced && stretch <= 0.0 {
            UNSTRETCHABLE_BADNESS
        } else {
            100.0 * ratio.abs().powi(3)
        };
        Line {
            start,
            end: b,
            ratio: ratio as f32,
            badness: badness.min(f64::from(f32::MAX)) as f32,
            hyphenated: brk.flagged && b < par.end,
            end_width: brk.width as f32,
            overfull: width - shrink > room + EPSILON,
            width: measure as f32,
            protrude_left: left as f32,
            protrude_right: right as f32,
        }
    }
}

/// Sets each box on a line of its own: the last resort, should the search ever fail.
fn one_box_per_line(items: &[Item], par: &Paragraph, measure: Measure<'_>) -> Vec<Line> {
    let boxes: Vec<usize> =
        (0..par.end).filter(|&i| matches!(items[i], Item::Box { .. })).collect();
    let count = boxes.len();
    boxes
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let start = if n == 0 { 0 } else { i };
            let end = if n + 1 == count { par.end } else { i + 1 };
            Line {
                start,
                end,
                ratio: 0.0,
                badness: 0.0,
                hyphenated: false,
                end_width: 0.0,
                overfull: items[start..end].iter().map(Item::width).sum::<f32>() > measure.width(n),
                width: measure.width(n),
                protrude_left: 0.0,
                protrude_right: 0.0,
            }
        })
        .collect()
}

/// How far the box opening a line at `start` may hang into the left margin.
fn left_protrusion(items: &[Item], start: usize) -> f64 {
    match items.get(start) {
        Some(&Item::Box { protrude_left, .. }) => finite(protrude_left).into(),
        _ => 0.0,
    }
}

/// How far the end of a line breaking at `b` may hang into the right margin: the
/// hyphen's protrusion when the break sets one, else the protrusion of the box before.
fn right_protrusion(items: &[Item], b: usize, brk: &Break) -> f64 {
    if brk.width != 0.0 {
        return brk.protrude;
    }
    match b.checked_sub(1).and_then(|i| items.get(i)) {
        Some(&Item::Box { protrude_right, .. }) => finite(protrude_right).into(),
        _ => 0.0,
    }
}

fn finite(x: f32) -> f32 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

fn nonnegative(x: f32) -> f32 {
    finite(x).max(0.0)
}

fn is_forced(cost: f32) -> bool {
    cost <= -INFINITE_PENALTY
}

/// The judging rules of one pass.
struct Rules {
    hyphenate: bool,
    /// The largest stretch ratio accepted (infinite in the fallback pass).
    max_stretch: f64,
    /// Extra stretch per unit of measure used for grading (the emergency stretch).
    extra_stretch: f64,
    /// The longest run of hyphenated lines allowed, if limited in this pass.
    max_run: Option<u8>,
    /// Whether nodes remember their line number everywhere, for looseness.
    count_lines: bool,
    line_penalty: f64,
    loose_weight: f64,
    double_hyphen: f64,
    final_hyphen: f64,
    adjacent: f64,
    short_last_line: f64,
    short_last_line_demerits: f64,
}

impl Rules {
    fn new(params: &Params, pass: Pass, looseness: i32) -> Rules {
        let (hyphenate, max_stretch, extra_stretch) = match pass {
            Pass::Unhyphenated => (false, params.pretolerance.unwrap_or(params.max_stretch), 0.0),
            Pass::Hyphenated => (true, params.max_stretch, 0.0),
            Pass::Emergency => (true, params.emergency_max_stretch, params.emergency_stretch),
            Pass::Fallback => (true, f32::INFINITY, 0.0),
        };
        let max_stretch = if max_stretch.is_nan() { 0.0 } else { f64::from(max_stretch) };
        Rules {
            hyphenate,
            max_stretch,
            extra_stretch: nonnegative(extra_stretch).into(),
            max_run: (pass != Pass::Fallback).then_some(params.max_hyphen_run),
            count_lines: looseness != 0,
            line_penalty: finite(params.line_penalty).into(),
            loose_weight: nonnegative(params.loose_weight).into(),
            double_hyphen: finite(params.double_hyphen_demerits).into(),
            final_hyphen: finite(params.final_hyphen_demerits).into(),
            adjacent: finite(params.adjacent_demerits).into(),
            short_last_line: nonnegative(params.short_last_line).into(),
            short_last_line_demerits: finite(params.short_last_line_demerits).into(),
        }
    }

    /// The cost of the line from `node` to `brk`, as a new node, if the line is
    /// acceptable in this pass. The caller has checked that it fits when shrunk.
    fn candidate(
        &self,
        node: &Node,
        prev: usize,
        brk: &Break,
        line: &LineShape,
        par: &Paragraph,
    ) -> Option<Candidate> {
        let fill = brk.forced;
        let (ratio, badness) = if line.width > line.room {
            // Shrinking: the same in every pass, and never past −1 (the caller checked).
            let ratio = if line.shrink > 0.0 {
                ((line.room - line.width) / line.shrink).max(-1.0)
            } else {
                0.0
            };
            (ratio, 100.0 * ratio.abs().powi(3))
        } else if fill || line.room - line.width <= EPSILON {
            // A last line is set at its natural width with the rest left blank.
            (0.0, 0.0)
        } else {
            let stretch = line.stretch + self.extra_stretch * line.measure;
            if stretch <= 0.0 {
                if self.max_stretch.is_finite() {
                    return None;
                }
                (f64::INFINITY, UNSTRETCHABLE_BADNESS)
            } else {
                let ratio = (line.room - line.width) / stretch;
                if ratio > self.max_stretch {
                    return None;
                }
                (ratio, 100.0 * ratio.powi(3) * self.loose_weight)
            }
        };

        let run = if brk.flagged && !brk.last { node.run.saturating_add(1) } else { 0 };
        if self.max_run.is_some_and(|max| run > max) {
            return None;
        }
        let fitness = Fitness::of(ratio);

        let mut demerits = (self.line_penalty + badness).powi(2);
        if brk.cost >= 0.0 {
            demerits += brk.cost * brk.cost;
        } else if !brk.forced {
            demerits -= brk.cost * brk.cost;
        }
        if run >= 2 {
            demerits += self.double_hyphen;
        }
        if brk.last && node.run > 0 {
            demerits += self.final_hyphen;
        }
        if fitness.distance(node.fitness) > 1 {
            demerits += self.adjacent;
        }
        if brk.last && line.measure > 0.0 && self.short_last_line > 0.0 {
            let fill = line.width / line.measure;
            if fill < self.short_last_line {
                demerits += self.short_last_line_demerits * (1.0 - fill / self.short_last_line);
            }
        }

        let lines = node.lines + 1;
        Some(Candidate {
            fitness,
            // Only the length of a run up to the limit matters; in the fallback pass,
            // only whether the line is hyphenated.
            run: run.min(self.max_run.unwrap_or(1)),
            key_line: if self.count_lines || lines < par.uniform_from { lines } else { usize::MAX },
            lines,
            total: node.total + demerits,
            prev,
        })
    }

    /// The overfull line the fallback pass sets from `node` to `brk` when nothing fits.
    fn overfull(&self, node: &Node, prev: usize, brk: &Break, par: &Paragraph) -> Candidate {
        let lines = node.lines + 1;
        Candidate {
            fitness: Fitness::Tight,
            run: u8::from(brk.flagged && !brk.last),
            key_line: if self.count_lines || lines < par.uniform_from { lines } else { usize::MAX },
            lines,
            total: node.total + (self.line_penalty + UNSTRETCHABLE_BADNESS).powi(2),
            prev,
        }
    }
}

/// Keeps `c` if it is the cheapest way yet to reach its state at this break.
fn offer(candidates: &mut Vec<Candidate>, c: Candidate) {
    let same = candidates
        .iter_mut()
        .find(|o| o.fitness == c.fitness && o.run == c.run && o.key_line == c.key_line);
    match same {
        Some(old) if c.total < old.total => *old = c,
        Some(_) => {}
        None => candidates.push(c),
    }
}

/// What the search knows of the paragraph besides the buffers.
struct Paragraph<'a> {
    /// One past the last box: the position of the implicit final break.
    end: usize,
    measure: Measure<'a>,
    /// See [`Measure::uniform_from`].
    uniform_from: usize,
}

/// A legal break, as the search sees it.
#[derive(Clone, Copy)]
struct Break {
    cost: f64,
    width: f64,
    protrude: f64,
    flagged: bool,
    /// The line before is set like a last line.
    forced: bool,
    /// The end of the paragraph.
    last: bool,
}

impl Break {
    const FINAL: Break =
        Break { cost: 0.0, width: 0.0, protrude: 0.0, flagged: false, forced: true, last: true };

    /// The break at `b`, if a line may end there. `end` is the paragraph's end, where a
    /// line must end.
    fn at(items: &[Item], b: usize, end: usize) -> Option<Break> {
        if b >= end {
            return (b == end).then_some(Break::FINAL);
        }
        match items[b] {
            Item::Glue { .. } if b > 0 && matches!(items[b - 1], Item::Box { .. }) => Some(Break {
                cost: 0.0,
                width: 0.0,
                protrude: 0.0,
                flagged: false,
                forced: false,
                last: false,
            }),
            // NaN compares false: never a break.
            Item::Penalty { width, cost, flagged, protrude } if cost < INFINITE_PENALTY => {
                let forced = is_forced(cost);
                Some(Break {
                    cost: if forced { 0.0 } else { f64::from(cost) },
                    width: finite(width).into(),
                    protrude: finite(protrude).into(),
                    flagged,
                    forced,
                    last: false,
                })
            }
            _ => None,
        }
    }
}

/// The measurements of a candidate line.
struct LineShape {
    width: f64,
    stretch: f64,
    shrink: f64,
    /// The measure plus the protrusions at both ends.
    room: f64,
    measure: f64,
}

/// Running totals of width, stretch and shrink.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    width: f64,
    stretch: f64,
    shrink: f64,
}

impl Sums {
    fn add(&mut self, width: f32, stretch: f32, shrink: f32) {
        self.width += f64::from(finite(width));
        self.stretch += f64::from(nonnegative(stretch));
        self.shrink += f64::from(nonnegative(shrink));
    }
}

/// A break reached at least cost for its state.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The break's index in the items (0 for the paragraph's start).
    pos: usize,
    /// The first item of the line after this break.
    start: usize,
    /// Lines set up to this break.
    lines: usize,
    /// Tightness of the line ending here.
    fitness: Fitness,
    /// Hyphenated lines in a row ending here.
    run: u8,
    /// Demerits of the paragraph up to here.
    total: f64,
    /// The node the line ending here started from.
    prev: Option<usize>,
}

/// A new node in the making.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    fitness: Fitness,
    run: u8,
    /// The line number where it matters to the future, or `usize::MAX`.
    key_line: usize,
    lines: usize,
    total: f64,
    prev: usize,
}

/// The outcome of a pass.
#[derive(Debug, Clone, Copy)]
struct Chosen {
    node: usize,
    demerits: f64,
    looseness: i32,
}

/// How tight a line is, in TeX's four classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fitness {
    VeryLoose,
    Loose,
    Decent,
    Tight,
}

impl Fitness {
    /// The class of a line set with adjustment ratio `r` (TeX's bounds: a badness of
    /// 12 is r = ±0.5, of 100 is r = 1).
    fn of(r: f64) -> Fitness {
        if r < -0.5 {
            Fitness::Tight
        } else if r <= 0.5 {
            Fitness::Decent
        } else if r <= 1.0 {
            Fitness::Loose
        } else {
            Fitness::VeryLoose
        }
    }

    fn distance(self, other: Fitness) -> u8 {
        (self as u8).abs_diff(other as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A space of a third of an em at 10 pt, stretching a sixth and shrinking a ninth.
    const SPACE: Item = Item::Glue { width: 3.33, stretch: 1.67, shrink: 1.11 };

    /// Boxes of the given widths with `space` between them.
    fn words(widths: &[f32], space: Item) -> Vec<Item> {
        let mut items = Vec::new();
        for (i, &w) in widths.iter().enumerate() {
            if i > 0 {
                items.push(space);
            }
            items.push(Item::word(w));
        }
        items
    }

    fn breaks_of(b: &Breaks) -> Vec<usize> {
        b.lines.iter().map(|l| l.end).collect()
    }

    /// The set width of a line: its items at its ratio, plus what is set at the break.
    fn set_width(items: &[Item], line: &Line) -> f32 {
        items[line.range()].iter().map(|i| line.set_width(i)).sum::<f32>() + line.end_width
    }

    /// Whether a line may end at `b` (the search's own rule, restated).
    fn is_break(items: &[Item], b: usize) -> bool {
        match items[b] {
            Item::Glue { .. } => b > 0 && matches!(items[b - 1], Item::Box { .. }),
            Item::Penalty { cost, .. } => cost < INFINITE_PENALTY,
            Item::Box { .. } => false,
        }
    }

    /// The invariants every result must keep, whatever the input.
    fn check(items: &[Item], measure: Measure<'_>, b: &Breaks) {
        let Some(last_box) = items.iter().rposition(|i| matches!(i, Item::Box { .. })) else {
            assert!(b.lines.is_empty());
            return;
        };
        assert!(!b.lines.is_empty());
        assert_eq!(b.lines[0].start, 0, "the first line starts at the first item");
        assert_eq!(
            b.lines.last().map(|l| l.end),
            Some(last_box + 1),
            "the last line ends after the last box"
        );
        for (n, pair) in b.lines.windows(2).enumerate() {
            let (line, next) = (&pair[0], &pair[1]);
            assert!(
                line.start <= line.end && line.end < next.start.max(line.end + 1),
                "line {n}: {line:?} then {next:?}"
            );
            assert!(is_break(items, line.end), "line {n} ends at {}, not a legal break", line.end);
            // Everything between a break and the next line is discarded: no box is lost.
            let discarded = &items[line.end..next.start];
            assert!(
                !discarded.iter().any(|i| matches!(i, Item::Box { .. })),
                "a box skipped after line {n}"
            );
        }
        for (n, line) in b.lines.iter().enumerate() {
            assert!(line.ratio >= -1.0 && line.ratio.is_finite(), "line {n}: ratio {}", line.ratio);
            assert_eq!(line.width, measure.width(n));
            let room = line.width + line.protrude_left + line.protrude_right;
            let set = set_width(items, line);
            if line.overfull {
                assert!(set > room, "line {n} reported overfull but fits");
                // Only material with no break in it can force a line over the margin.
                let widest = widest_unbreakable(items, line);
                assert!(widest > room - 1e-3, "line {n} overfull but its pieces fit: {line:?}");
            } else {
                assert!(set <= room + 0.01, "line {n} crosses the margin: {set} > {room}");
            }
            let last = n + 1 == b.lines.len();
            let forced = matches!(items.get(line.end),
                Some(Item::Penalty { cost, .. }) if *cost <= -INFINITE_PENALTY);
            if line.ratio > 0.0 {
                assert!(!last && !forced, "line {n} ends the paragraph but was stretched");
                assert!((set - room).abs() < 0.01, "line {n} stretched to {set}, not {room}");
            }
        }
    }

    /// The widest stretch of a line's material, shrunk, between two legal breaks.
    fn widest_unbreakable(items: &[Item], line: &Line) -> f32 {
        let (mut widest, mut run) = (0.0f32, 0.0f32);
        for i in line.range() {
            if i > line.start && is_break(items, i) {
                widest = widest.max(run);
                run = 0.0;
            }
            run += items[i].set_width(-1.0);
        }
        widest.max(run + line.end_width)
    }

    #[test]
    fn nothing_to_set_gives_no_lines() {
        let p = Params::default();
        for items in
            [vec![], vec![SPACE], vec![Item::forced_break(), SPACE, Item::penalty(0.0, 0.0, false)]]
        {
            let b = linebreak(&items, Measure::Uniform(100.0), &p, 0);
            assert!(b.lines.is_empty());
            check(&items, Measure::Uniform(100.0), &b);
        }
    }

    #[test]
    fn one_word_is_one_ragged_line() {
        let items = [Item::word(30.0)];
        let b = linebreak(&items, Measure::Uniform(100.0), &Params::default(), 0);
        assert_eq!(b.lines.len(), 1);
        let line = b.lines[0];
        assert_eq!((line.start, line.end, line.ratio, line.overfull), (0, 1, 0.0, false));
        assert_eq!(b.pass, Pass::Hyphenated);
    }

    #[test]
    fn trailing_glue_and_final_break_make_no_empty_line() {
        let mut items = words(&[30.0, 30.0], SPACE);
        items.extend([SPACE, Item::forced_break(), SPACE]);
        let b = linebreak(&items, Measure::Uniform(100.0), &Params::default(), 0);
        assert_eq!(breaks_of(&b), vec![3]);
        check(&items, Measure::Uniform(100.0), &b);
    }

    /// Seven words of 20 with spaces of 10 (stretch 20, shrink 3) on a measure of 100:
    /// two words leave 50 to stretch over one space (r = 2.5, too loose) and four need 10
    /// of shrink from three spaces that have 9 (too tight). So every full line has three
    /// words, stretched by 20 over two spaces (r = 0.5), and the seventh word is left
    /// alone on the last line.
    #[test]
    fn fixed_width_words_hand_computed() {
        let items = words(&[20.0; 7], Item::glue(10.0, 20.0, 3.0));
        let b = linebreak(&items, Measure::Uniform(100.0), &Params::default(), 0);
        assert_eq!(breaks_of(&b), vec![5, 11, 13]);
        let ratios: Vec<f32> = b.lines.iter().map(|l| l.ratio).collect();
        assert_eq!(ratios, vec![0.5, 0.5, 0.0]);
        // Badness 100·0.5³ = 12.5, weighted for stretching, per full line, so
        // (10 + 12.5 w)² each; the last line (10 + 0)², and it is 20 of 100, just at the
        // short-line threshold: no extra.
        let w = f64::from(Params::default().loose_weight);
        let expected = 2.0 * (10.0 + 12.5 * w).powi(2) + 100.0;
        assert!((b.demerits - expected).abs() < 1e-3, "{} != {expected}", b.demerits);
        check(&items, Measure::Uniform(100.0), &b);
    }

    #[test]
    fn unbreakable_long_word_is_reported_overfull_and_the_rest_set() {
        let items = words(&[40.0, 30.0, 250.0, 30.0, 40.0, 20.0], SPACE);
        let b = linebreak(&items, Measure::Uniform(100.0), &Params::default(), 0);
        check(&items, Measure::Uniform(100.0), &b);
        assert_eq!(b.pass, Pass::Fallback);
        let overfull: Vec<_> = b.lines.iter().filter(|l| l.overfull).collect();
        assert_eq!(overfull.len(), 1, "{:?}", b.lines);
        // The overfull line holds the long word alone.
        assert_eq!(overfull[0].range(), 4..5);
        assert!(b.has_overfull());
    }

    #[test]
    fn a_word_wider_than_the_measure_alone_terminates() {
        let items = [Item::word(500.0)];
        let b = linebreak(&items, Measure::Uniform(100.0), &Params::default(), 0);
        assert_eq!(b.lines.len(), 1);
        assert!(b.lines[0].overfull);
    }

    /// A long URL with break points after its slashes stays inside the measure.
    #[test]
    fn url_break_points_keep_a_long_word_inside_the_measure() {
        let p = Params::default();
        let mut items = words(&[30.0, 20.0], SPACE);
        items.push(SPACE);
        for (i, w) in [40.0, 35.0, 45.0, 30.0, 50.0, 25.0].into_iter().enumerate() {
            if i > 0 {
                items.push(Item::penalty(0.0, p.url_penalty, false));
            }
            items.push(Item::word(w));
        }
        items.push(SPACE);
        items.extend(words(&[30.0, 20.0, 25.0], SPACE));
        let b = linebreak(&items, Measure::Uniform(100.0), &p, 0);
        check(&items, Measure::Uniform(100.0), &b);
        assert!(!b.has_overfull());
        assert!(
            b.lines.iter().any(|l| matches!(items[l.end], Item::Penalty { .. })),
            "the URL was not broken"
        );
    }

    /// "ab. cd": the first line is 3 too wide without its full stop hanging in the margin.
    #[test]
    fn a_full_stop_may_hang_into_the_margin() {
        let rigid = Item::glue(10.0, 0.0, 0.0);
        let stop = Item::word(43.0).protruding(0.0, 3.0);
        let items = [Item::word(50.0), rigid, stop, rigid, Item::word(50.0)];
        let b = linebreak(&items, Measure::Uniform(100.0), &Params::default(), 0);
        check(&items, Measure::Uniform(100.0), &b);
        assert_eq!(b.pass, Pass::Hyphenated);
        assert_eq!(breaks_of(&b), vec![3, 5]);
        assert_eq!(b.lines[0].protrude_right, 3.0);
        assert_eq!(set_width(&items, &b.lines[0]), 103.0);

        // Without protrusion the same line does not fit and only the fallback sets it.
        let plain = [items[0], rigid, Item::word(43.0), rigid, items[4]];
        let b = linebreak(&plain, Measure::Uniform(100.0), &Params::default(), 0);
        check(&plain, Measure::Uniform(100.0), &b);
        assert_eq!(b.pass, Pass::Fallback);
    }

    #[test]
    fn an_opening_quote_and_a_hyphen_may_hang_into_the_margins() {
        let rigid = Item::glue(10.0, 0.0, 0.0);
        // “ab cd-|ef: 50 + 10 + 40 + 5 is 105, room enough only if the quote hangs 2 into
        // the left margin and the hyphen 3 into the right one.
        let items = [
            Item::word(50.0).protruding(2.0, 0.0),
            rigid,
            Item::word(40.0),
            Item::Penalty { width: 5.0, cost: 50.0, flagged: true, protrude: 3.0 },
            Item::word(30.0),
        ];
        let b = linebreak(&items, Measure::Uniform(100.0), &Params::default(), 0);
        check(&items, Measure::Uniform(100.0), &b);
        assert_eq!(breaks_of(&b), vec![3, 5]);
        let first = b.lines[0];
        assert!(first.hyphenated && first.end_width == 5.0);
        assert_eq!((first.protrude_left, first.protrude_right), (2.0, 3.0));
    }

    #[test]
    fn lines_may_have_different_widths() {
        let items = words(&[20.0; 12], Item::glue(10.0, 10.0, 5.0));
        let widths = [50.0, 80.0, 100.0];
        let measure = Measure::Shape(&widths);
        let b = linebreak(&items, measure, &Params::default(), 0);
        check(&items, measure, &b);
        // 50 holds exactly two words and 80 three; on 100, three words stretch to r = 1
        // and four shrink to r = −2/3, so the last seven words go four and three.
        let counts: Vec<usize> = b.lines.iter().map(|l| l.range().len() / 2 + 1).collect();
        assert_eq!(counts, vec![2, 3, 4, 3]);
        let widths: Vec<f32> = b.lines.iter().map(|l| l.width).collect();
        assert_eq!(widths, vec![50.0, 80.0, 100.0, 100.0]);
        assert_eq!((b.lines[0].ratio, b.lines[1].ratio), (0.0, 0.0));
    }

    #[test]
    fn a_forced_break_ends_a_ragged_line() {
        let mut items = words(&[20.0, 20.0], SPACE);
        items.push(Item::forced_break());
        items.extend(words(&[20.0; 10], SPACE));
        let b = linebreak(&items, Measure::Uniform(100.0), &Params::default(), 0);
        check(&items, Measure::Uniform(100.0), &b);
        assert_eq!(b.lines[0].end, 3);
        assert_eq!(b.lines[0].ratio, 0.0);
        assert_eq!(b.lines[1].start, 4);
    }

    #[test]
    fn empty_shape_and_silly_numbers_do_not_panic() {
        let p = Params::default();
        let nasty = [
            Item::word(f32::NAN),
            Item::glue(f32::INFINITY, -3.0, f32::NAN),
            Item::word(-20.0),
            Item::penalty(f32::NAN, f32::NAN, true),
            Item::word(30.0).with_stretch(f32::NEG_INFINITY, 2.0),
            Item::forced_break(),
            Item::forced_break(),
            Item::penalty(4.0, -5.0, true),
            Item::word(1e30),
            Item::glue(0.0, 0.0, 0.0),
            Item::word(0.0),
        ];
        for measure in [
            Measure::Shape(&[]),
            Measure::Uniform(0.0),
            Measure::Uniform(-5.0),
            Measure::Uniform(f32::NAN),
            Measure::Uniform(100.0),
        ] {
            for looseness in [-2, 0, 3] {
                let b = linebreak(&nasty, measure, &p, looseness);
                assert!(!b.lines.is_empty());
                let bad = Params {
                    max_stretch: f32::NAN,
                    loose_weight: f32::NAN,
                    line_penalty: f32::INFINITY,
                    ..p
                };
                linebreak(&nasty, measure, &bad, looseness);
            }
        }
        // All boxes, no breaks at all.
        let boxes = vec![Item::word(30.0); 10];
        let b = linebreak(&boxes, Measure::Uniform(100.0), &p, 0);
        assert_eq!(b.lines.len(), 1);
        assert!(b.lines[0].overfull);
    }

    /// Forty-five words of 20 with spaces of 6 (stretch 10, shrink 6) on 200: a line holds
    /// six words (r = 1), seven (r = 0.4), eight (r ≈ −0.05) or nine (r ≈ −0.58). The
    /// optimum is six lines, mostly of eight; five lines of nine are feasible but tight,
    /// seven mostly of seven are feasible but loose, and eight is the most there can be
    /// (nine lines would need 48 words for their eight full lines).
    #[test]
    fn looseness_makes_the_paragraph_a_line_longer_or_shorter() {
        let items = words(&[20.0; 45], Item::glue(6.0, 10.0, 6.0));
        let measure = Measure::Uniform(200.0);
        let p = Params::default();
        let optimum = linebreak(&items, measure, &p, 0);
        assert_eq!((optimum.lines.len(), optimum.looseness), (6, 0));

        let longer = linebreak(&items, measure, &p, 1);
        check(&items, measure, &longer);
        assert_eq!((longer.lines.len(), longer.looseness), (7, 1));
        assert!(longer.demerits > optimum.demerits);

        let shorter = linebreak(&items, measure, &p, -1);
        check(&items, measure, &shorter);
        assert_eq!((shorter.lines.len(), shorter.looseness), (5, -1));
        assert!(shorter.demerits > optimum.demerits);

        // Asking for more than is possible gives as much as is.
        let much = linebreak(&items, measure, &p, 20);
        check(&items, measure, &much);
        assert_eq!((much.lines.len(), much.looseness, much.pass), (8, 2, Pass::Hyphenated));
    }

    #[test]
    fn looseness_that_cannot_be_granted_is_reported() {
        let items = [Item::word(30.0)];
        let b = linebreak(&items, Measure::Uniform(100.0), &Params::default(), -1);
        assert_eq!((b.lines.len(), b.looseness), (1, 0));
    }

    /// Thirteen words of 15 with spaces of 10 (stretch 10, shrink 6) on 100: a full line
    /// holds four words (r = 1/3) or five (r = −5/8). Four lines of four leave one word
    /// of 15 on the last line, the cheapest choice by plain demerits (1008 against 1586
    /// for 5 + 4 + 4). A last line of 15% of the measure costs a quarter of the extra
    /// demerits for a short last line, which tips the balance.
    #[test]
    fn a_short_last_line_is_avoided_when_it_can_be() {
        let items = words(&[15.0; 13], Item::glue(10.0, 10.0, 6.0));
        let measure = Measure::Uniform(100.0);
        let off = Params { short_last_line_demerits: 0.0, ..Params::default() };
        let without = linebreak(&items, measure, &off, 0);
        let with = linebreak(&items, measure, &Params::default(), 0);
        check(&items, measure, &with);
        let last_words = |b: &Breaks| b.lines.last().map_or(0, |l| l.range().len() / 2 + 1);
        assert_eq!(last_words(&without), 1, "{:?}", breaks_of(&without));
        assert_eq!(last_words(&with), 4, "{:?}", breaks_of(&with));
        assert_eq!(with.lines.len(), 3);
    }

    /// The minimum of the demerits over every way of breaking a small paragraph, computed
    /// the slow and obvious way, with the same rules (uniform measure, no protrusion).
    fn brute_force(items: &[Item], measure: f32, p: &Params) -> Option<f64> {
        let end = items.iter().rposition(|i| matches!(i, Item::Box { .. }))? + 1;
        let breaks: Vec<usize> = (0..end).filter(|&b| is_break(items, b)).collect();
        assert!(breaks.len() <= 16);
        let forced =
            |b: usize| matches!(items[b], Item::Penalty { cost, .. } if cost <= -INFINITE_PENALTY);
        let mut best: Option<f64> = None;
        'subsets: for mask in 0u32..(1 << breaks.len()) {
            let mut chosen: Vec<usize> =
                (0..breaks.len()).filter(|i| mask & (1 << i) != 0).map(|i| breaks[i]).collect();
            if breaks.iter().any(|&b| forced(b) && !chosen.contains(&b)) {
                continue;
            }
            chosen.push(end);
            let (mut start, mut total, mut prev_fit, mut run) = (0, 0.0, 2i32, 0);
            for (n, &b) in chosen.iter().enumerate() {
                let last = n + 1 == chosen.len();
                if start >= b && !(last || forced(b)) {
                    continue 'subsets;
                }
                let (mut w, mut y, mut z) = (0.0f64, 0.0f64, 0.0f64);
                for item in &items[start.min(b)..b] {
                    if let Item::Box { width, stretch, shrink, .. }
                    | Item::Glue { width, stretch, shrink } = *item
                    {
                        (w, y, z) = (w + width as f64, y + stretch as f64, z + shrink as f64);
                    }
                }
                let (mut cost, mut flagged, fill) = (0.0, false, last || forced(b));
                if !last {
                    if let Item::Penalty { width, cost: c, flagged: f, .. } = items[b] {
                        w += width as f64;
                        cost = if forced(b) { 0.0 } else { c as f64 };
                        flagged = f;
                    }
                }
                let l = measure as f64;
                // The room: the measure plus what the line's ends may hang out.
                let hang_left = match items[start.min(b)] {
                    Item::Box { protrude_left, .. } => protrude_left as f64,
                    _ => 0.0,
                };
                let hang_right = match (last, items.get(b), items.get(b.wrapping_sub(1))) {
                    (false, Some(Item::Penalty { width, protrude, .. }), _) if *width != 0.0 => {
                        *protrude as f64
                    }
                    (_, _, Some(Item::Box { protrude_right, .. })) => *protrude_right as f64,
                    _ => 0.0,
                };
                let room = l + hang_left + hang_right;
                let (r, bad) = if w > room + 1e-3 {
                    if w - z > room + 1e-3 {
                        continue 'subsets;
                    }
                    let r = (room - w) / z;
                    (r, 100.0 * (-r).powi(3))
                } else if fill || room - w <= 1e-3 {
                    (0.0, 0.0)
                } else {
                    if y <= 0.0 || (room - w) / y > p.max_stretch as f64 {
                        continue 'subsets;
                    }
                    let r = (room - w) / y;
                    (r, 100.0 * r.powi(3) * p.loose_weight as f64)
                };
                let fit = if r < -0.5 {
                    3
                } else if r <= 0.5 {
                    2
                } else if r <= 1.0 {
                    1
                } else {
                    0
                };
                let mut d = (p.line_penalty as f64 + bad).powi(2);
                d += if cost >= 0.0 { cost * cost } else { -cost * cost };
                let new_run = if flagged { run + 1 } else { 0 };
                if new_run > p.max_hyphen_run as i32 {
                    continue 'subsets;
                }
                if new_run >= 2 {
                    d += p.double_hyphen_demerits as f64;
                }
                if last && run > 0 {
                    d += p.final_hyphen_demerits as f64;
                }
                if (fit - prev_fit).abs() > 1 {
                    d += p.adjacent_demerits as f64;
                }
                if last && w / l < p.short_last_line as f64 {
                    d += p.short_last_line_demerits as f64
                        * (1.0 - w / l / p.short_last_line as f64);
                }
                total += d;
                (prev_fit, run) = (fit, new_run);
                start = (b + 1..end)
                    .find(|&i| matches!(items[i], Item::Box { .. }) || forced(i))
                    .unwrap_or(end);
            }
            if best.is_none_or(|x| total < x) {
                best = Some(total);
            }
        }
        best
    }

    /// A random word with a hyphenation point now and then: box, flagged penalty, box.
    fn push_word(items: &mut Vec<Item>, rng: &mut Lcg, p: &Params) {
        push_word_hyphenated(items, rng, p, 3);
    }

    /// A random word, hyphenated in one case out of `odds` when it is long enough.
    fn push_word_hyphenated(items: &mut Vec<Item>, rng: &mut Lcg, p: &Params, odds: u64) {
        let width = 8.0 + rng.below(40) as f32;
        if width > 20.0 && rng.below(odds) == 0 {
            let cut = width * (0.3 + rng.below(40) as f32 / 100.0);
            items.push(Item::word(cut));
            items.push(Item::Penalty {
                width: 3.0,
                cost: p.hyphen_penalty,
                flagged: true,
                protrude: 1.5,
            });
            items.push(
                Item::word(width - cut).protruding(0.0, if rng.below(4) == 0 { 1.0 } else { 0.0 }),
            );
        } else {
            items.push(Item::word(width));
        }
    }

    #[test]
    fn the_search_finds_the_same_optimum_as_trying_every_way() {
        let p = Params::default();
        let mut rng = Lcg(2024);
        let mut feasible = 0;
        for _ in 0..600 {
            let mut items = Vec::new();
            let mut breaks = 0;
            while breaks < 12 {
                if !items.is_empty() {
                    items.push(Item::glue(5.0 + rng.below(3) as f32, 6.0, 2.5));
                }
                push_word(&mut items, &mut rng, &p);
                breaks = (0..items.len()).filter(|&b| is_break(&items, b)).count();
            }
            let measure = 60.0 + rng.below(80) as f32;
            let b = linebreak(&items, Measure::Uniform(measure), &p, 0);
            check(&items, Measure::Uniform(measure), &b);
            match brute_force(&items, measure, &p) {
                Some(best) => {
                    feasible += 1;
                    assert_eq!(b.pass, Pass::Hyphenated);
                    assert!(
                        (b.demerits - best).abs() <= 1e-6 * best.abs().max(1.0),
                        "{} vs {best}: {items:?} in {measure}",
                        b.demerits
                    );
                }
                None => assert!(b.pass > Pass::Hyphenated, "search found what brute force did not"),
            }
        }
        assert!(feasible > 100, "only {feasible} feasible paragraphs: the test tests little");
    }

    /// A random paragraph of `words` words, the kind the property tests feed.
    fn random_paragraph(rng: &mut Lcg, words: usize, p: &Params) -> Vec<Item> {
        let mut items = Vec::new();
        for i in 0..words {
            if i > 0 {
                match rng.below(30) {
                    0 => items.push(Item::forced_break()),
                    1 => items.push(Item::penalty(0.0, p.url_penalty, false)),
                    _ => items.push(Item::glue(3.0 + rng.below(3) as f32, 1.7, 1.1)),
                }
            }
            match rng.below(150) {
                0 => items.push(Item::word(100.0 + rng.below(200) as f32)),
                1 => items.push(Item::word(10.0).protruding(2.0, 2.0).with_stretch(0.2, 0.2)),
                _ => push_word(&mut items, rng, p),
            }
        }
        items
    }

    #[test]
    fn random_paragraphs_keep_the_invariants() {
        let p = Params::default();
        let mut rng = Lcg(99);
        let mut passes = [0; 4];
        for case in 0..400 {
            let words = 1 + rng.below(120) as usize;
            let items = random_paragraph(&mut rng, words, &p);
            let shape = [50.0 + rng.below(200) as f32, 120.0 + rng.below(250) as f32];
            let measure =
                if case % 3 == 0 { Measure::Shape(&shape) } else { Measure::Uniform(shape[1]) };
            let looseness = [0, 0, 0, 1, -1][case % 5];
            let b = linebreak(&items, measure, &p, looseness);
            check(&items, measure, &b);
            passes[b.pass as usize] += 1;
            if b.pass < Pass::Fallback {
                assert!(max_hyphen_run(&b) <= p.max_hyphen_run as usize);
            }
        }
        assert!(
            passes[Pass::Hyphenated as usize] > 50 && passes[Pass::Fallback as usize] > 10,
            "{passes:?}"
        );
    }

    fn max_hyphen_run(b: &Breaks) -> usize {
        let (mut run, mut best) = (0, 0);
        for line in &b.lines {
            run = if line.hyphenated { run + 1 } else { 0 };
            best = best.max(run);
        }
        best
    }

    fn class_jumps(b: &Breaks) -> usize {
        let class = |r: f32| Fitness::of(r.into()) as i32;
        b.lines.windows(2).filter(|w| (class(w[0].ratio) - class(w[1].ratio)).abs() > 1).count()
    }

    /// Over random paragraphs, switching a rule off must change some choices, and every
    /// change must be in the rule's favour.
    fn rule_matters(off: Params, measure_rule: fn(&Breaks) -> usize) {
        let on = Params::default();
        let mut rng = Lcg(5);
        let mut changed = 0;
        for _ in 0..400 {
            let mut items = Vec::new();
            for i in 0..40 {
                if i > 0 {
                    items.push(Item::glue(4.0, 2.0, 1.3));
                }
                push_word_hyphenated(&mut items, &mut rng, &on, 1);
            }
            let measure = Measure::Uniform(250.0 + rng.below(80) as f32);
            let (a, b) = (linebreak(&items, measure, &on, 0), linebreak(&items, measure, &off, 0));
            if a.pass != Pass::Hyphenated || b.pass != Pass::Hyphenated {
                continue;
            }
            assert!(measure_rule(&a) <= measure_rule(&b));
            if measure_rule(&a) < measure_rule(&b) {
                changed += 1;
            }
        }
        assert!(changed > 0, "the rule never changed a choice");
    }

    #[test]
    fn adjacent_demerits_keep_loose_lines_from_tight_ones() {
        rule_matters(Params { adjacent_demerits: 0.0, ..Params::default() }, class_jumps);
    }

    #[test]
    fn double_hyphen_demerits_break_up_runs_of_hyphens() {
        let runs =
            |b: &Breaks| b.lines.windows(2).filter(|w| w[0].hyphenated && w[1].hyphenated).count();
        rule_matters(Params { double_hyphen_demerits: 0.0, ..Params::default() }, runs);
    }

    #[test]
    fn final_hyphen_demerits_keep_the_last_full_line_whole() {
        let hyphen_before_last =
            |b: &Breaks| usize::from(b.lines.iter().rev().nth(1).is_some_and(|l| l.hyphenated));
        rule_matters(
            Params { final_hyphen_demerits: 0.0, ..Params::default() },
            hyphen_before_last,
        );
    }

    #[test]
    fn runs_of_hyphens_are_capped() {
        let p = Params { max_hyphen_run: 1, double_hyphen_demerits: 0.0, ..Params::default() };
        let mut rng = Lcg(11);
        for _ in 0..200 {
            let items = random_paragraph(&mut rng, 60, &p);
            let b = linebreak(&items, Measure::Uniform(100.0), &p, 0);
            if b.pass < Pass::Fallback {
                assert!(max_hyphen_run(&b) <= 1);
            }
        }
    }

    #[test]
    fn a_first_pass_without_hyphens_is_kept_when_it_succeeds() {
        let p = Params { pretolerance: Some(1.0), ..Params::default() };
        let items = words(&[20.0; 7], Item::glue(10.0, 20.0, 3.0));
        let b = linebreak(&items, Measure::Uniform(100.0), &p, 0);
        assert_eq!(b.pass, Pass::Unhyphenated);
        let strict = Params { pretolerance: Some(0.1), ..p };
        assert_eq!(linebreak(&items, Measure::Uniform(100.0), &strict, 0).pass, Pass::Hyphenated);
    }

    #[test]
    fn a_line_too_loose_for_the_normal_pass_goes_to_the_emergency_pass() {
        // Two words of 30 with one space of stretch 10 on 100: r = 3.
        let items = words(&[30.0, 30.0, 95.0], Item::glue(10.0, 10.0, 5.0));
        let b = linebreak(&items, Measure::Uniform(100.0), &Params::default(), 0);
        check(&items, Measure::Uniform(100.0), &b);
        assert!(b.pass >= Pass::Emergency);
        assert!(!b.has_overfull());
    }

    #[test]
    fn the_linebreaker_reuses_its_buffers_with_the_same_results() {
        let p = Params::default();
        let mut breaker = Linebreaker::new();
        let mut rng = Lcg(3);
        for _ in 0..20 {
            let items = random_paragraph(&mut rng, 50, &p);
            assert_eq!(
                breaker.linebreak(&items, Measure::Uniform(150.0), &p, 0),
                linebreak(&items, Measure::Uniform(150.0), &p, 0)
            );
        }
    }

    /// Times a 300-word paragraph with a hyphenation point in most long words, on a
    /// measure of about 65 characters:
    /// `cargo test --release --lib layout::linebreak -- --ignored --nocapture`
    #[test]
    #[ignore = "a timing, not a test"]
    fn time_a_300_word_paragraph() {
        let p = Params::default();
        let mut rng = Lcg(1);
        let mut items = Vec::new();
        for i in 0..300 {
            if i > 0 {
                items.push(Item::glue(3.33, 1.67, 1.11));
            }
            push_word_hyphenated(&mut items, &mut rng, &p, 1);
        }
        let mut breaker = Linebreaker::new();
        for looseness in [0, 1] {
            let rounds = 2000;
            let start = std::time::Instant::now();
            let mut b = breaker.linebreak(&items, Measure::Uniform(317.0), &p, looseness);
            for _ in 1..rounds {
                b = breaker.linebreak(&items, Measure::Uniform(317.0), &p, looseness);
            }
            let each = start.elapsed() / rounds;
            println!(
                "300 words, {} items, looseness {looseness}: {} lines, {:?} pass, {} nodes, \
                 {each:?} per paragraph",
                items.len(),
                b.lines.len(),
                b.pass,
                breaker.nodes.len()
            );
        }
    }

    /// A tiny linear congruential generator: reproducible paragraphs without a crate.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n.max(1)
        }
    }
}
