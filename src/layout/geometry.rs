//! Page geometry: where the text block sits, how wide a line is, where the baselines fall.
//!
//! Everything the other layout steps need to know about the paper is worked out here once,
//! from [`PdfOptions`] and the body face's metrics: the margins (given, or derived from the
//! page), the measure, the leading, and the baseline grid that every body line snaps to so
//! that the lines of facing pages align. Nothing downstream reads the paper's name or the
//! raw options again.

use crate::config::{Margins, PdfOptions};
use crate::diag::{Diagnostic, Result};
use crate::fonts::{Face, FaceMetrics};

/// Points per millimetre, for messages.
const MM: f32 = 72.0 / 25.4;

/// The line length we aim for when deriving margins, in characters of running text.
/// Sixty to seventy characters is the classic comfortable measure for a single column; we
/// take the upper part of the range, since justification is more even with more spaces a
/// line (on A5 at 10 pt this gives margins of about 20 mm). The derived text block never
/// goes below or above the bounds that follow.
const TARGET_CHARS: f32 = 68.0;
/// The measure may take at most this share of the page width (narrow papers, large type)…
const MAX_MEASURE_SHARE: f32 = 0.80;
/// …and, on wide papers, no more than this many characters.
const MAX_CHARS: f32 = 75.0;

/// Of the two side margins, the inner (binding) one gets this share. Classic book pages
/// make it smaller than the outer, because the two inner margins of a spread read as one
/// gutter. We default to equal side margins: a saddle-stitched pamphlet opens flat and
/// loses almost nothing at the fold, and our measuring tool (`typometrics.py`) assumes one
/// text-block position for all pages, so alternating margins would read as overfull
/// lines on every left-hand page. Given margins do alternate (see [`Geometry::left`]).
const INNER_SHARE: f32 = 0.5;
/// The bottom margin is this many times the top, so the block sits a little above centre
/// and leaves the folio room.
const BOTTOM_OVER_TOP: f32 = 1.4;

/// The smallest text block we will set in: fewer than this many ems across or lines down
/// is a configuration mistake, reported as an error rather than a mess of overfull lines.
const MIN_MEASURE_EMS: f32 = 12.0;
/// See [`MIN_MEASURE_EMS`].
const MIN_LINES: u32 = 6;

/// A sample of ordinary English running text, used to find the average character width
/// of a face (space included) and so the measure in characters.
const SAMPLE: &str = "When the printer came back to the shop that evening, the proofs were \
    lying on the bench in a neat pile, and the apprentice had gone home, leaving a note \
    about the quality of the paper and the price of ink, which was going up again.";

/// The shape of every body page.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// Body type size in points.
    pub size: f32,
    /// Baseline-to-baseline distance of body text: the grid step.
    pub leading: f32,
    /// The margins in force (given or derived). The bottom margin is what remains below
    /// the last grid line, so it may be a little larger than asked.
    pub margins: Margins,
    /// Width of the text block in points.
    pub measure: f32,
    /// Distance of the first baseline below the top of the text block: the face's ascender
    /// at the body size (at most one em).
    pub ascent: f32,
    /// How far body descenders reach below the baseline (positive).
    pub descent: f32,
    /// Body lines on a full page.
    pub lines: u32,
    /// Average width of a character of running text, in points; for reporting the measure.
    pub char_width: f32,
}

impl Geometry {
    /// Works out the geometry for `opts`, with the body face's vertical `metrics` and the
    /// average character width `avg_char_em` (ems, see [`average_char_em`]).
    ///
    /// Fails with a diagnostic when the text block cannot hold the type.
    pub fn new(opts: &PdfOptions, metrics: FaceMetrics, avg_char_em: f32) -> Result<Geometry> {
        let size = opts.font_size;
        let leading = opts.leading.unwrap_or_else(|| default_leading(size));
        let char_width = (avg_char_em * size).max(0.1 * size);
        let margins = match opts.margins {
            Some(m) => m,
            None => derive_margins(opts.width, opts.height, size, char_width),
        };
        let measure = opts.width - margins.inner - margins.outer;
        // Like TeX's \topskip: the first baseline one ascender (at most an em) below the top
        // of the block. Fonts with tall accent stacks declare ascenders well over an em,
        // which would only push the block down.
        let ascent = metrics.ascender.clamp(0.7, 1.0) * size;
        let descent = (-metrics.descender).clamp(0.15, 0.4) * size;
        let block_height = opts.height - margins.top - margins.bottom;
        let lines = if block_height >= ascent + descent {
            ((block_height - ascent - descent) / leading).floor() as u32 + 1
        } else {
            0
        };
        if !measure.is_finite() || measure < MIN_MEASURE_EMS * size || lines < MIN_LINES {
            return Err(Diagnostic::error(format!(
                "the text block of {:.0} × {:.0} mm on {} paper is too small for {} pt type \
                 (it holds {:.0} characters across and {} lines down)",
                measure.max(0.0) / MM,
                block_height.max(0.0) / MM,
                opts.paper,
                size,
                (measure / char_width).max(0.0),
                lines,
            ))
            .with_hint(format!(
                "a line needs at least {MIN_MEASURE_EMS} ems and a page {MIN_LINES} lines: make \
                 the margins or the type smaller, or the paper larger"
            ))
            .into());
        }
        // The bottom margin takes whatever the whole lines leave over, so the last grid
        // line is the bottom of the block.
        let used = ascent + (lines - 1) as f32 * leading + descent;
        let margins = Margins { bottom: opts.height - margins.top - used, ..margins };
        Ok(Geometry {
            width: opts.width,
            height: opts.height,
            size,
            leading,
            margins,
            measure,
            ascent,
            descent,
            lines,
            char_width,
        })
    }

    /// The baseline of grid line `k` (from 0), in points from the top of the page.
    pub fn baseline(&self, k: u32) -> f32 {
        self.first_baseline() + k as f32 * self.leading
    }

    /// The first body baseline, in points from the top of the page.
    pub fn first_baseline(&self) -> f32 {
        self.margins.top + self.ascent
    }

    /// The last body baseline of a full page.
    pub fn last_baseline(&self) -> f32 {
        self.baseline(self.lines.saturating_sub(1))
    }

    /// The smallest grid baseline at or below `y` (with a little tolerance for rounding).
    pub fn snap(&self, y: f32) -> f32 {
        let k = ((y - self.first_baseline()) / self.leading - 1e-3).ceil().max(0.0);
        self.first_baseline() + k * self.leading
    }

    /// The left edge of the text block on a page: recto (odd, right-hand) pages have the
    /// inner margin on the left, verso pages on the right.
    pub fn left(&self, recto: bool) -> f32 {
        if recto {
            self.margins.inner
        } else {
            self.margins.outer
        }
    }

    /// The measure in average characters of running text.
    pub fn chars_per_line(&self) -> f32 {
        self.measure / self.char_width
    }

    /// Baseline of the running head, in the top margin; kept within the top 5% of the page
    /// so that it reads as furniture, not as text.
    pub fn head_baseline(&self) -> f32 {
        (self.margins.top - 1.6 * self.leading).clamp(self.size, (0.05 * self.height).max(self.size))
    }

    /// Baseline of the folio, in the bottom margin (within the bottom 5% of the page).
    pub fn folio_baseline(&self) -> f32 {
        let below_block = self.height - self.margins.bottom + 2.0 * self.leading;
        below_block.max(self.height - 0.05 * self.height).min(self.height - 0.6 * self.size)
    }
}

/// The leading used when none is given: a little more open than the 1.2 of word processors,
/// as book type with a long measure wants.
pub fn default_leading(size: f32) -> f32 {
    (size * 1.3 * 4.0).round() / 4.0
}

/// Margins derived from the page: a measure of about [`TARGET_CHARS`] characters, the
/// remaining width split between the sides (see [`INNER_SHARE`]), the top margin equal to the inner one and the
/// bottom [`BOTTOM_OVER_TOP`] times the top.
pub fn derive_margins(width: f32, height: f32, size: f32, char_width: f32) -> Margins {
    let measure = (TARGET_CHARS * char_width)
        .min(MAX_MEASURE_SHARE * width)
        .min(MAX_CHARS * char_width)
        .max(MIN_MEASURE_EMS * size);
    let sides = (width - measure).max(0.0);
    let inner = sides * INNER_SHARE;
    let outer = sides - inner;
    // On a tall narrow page the top margin follows the inner one; never less than two lines
    // (the running head lives there) nor more than a tenth of the page.
    let top = inner.clamp(2.2 * size, (0.1 * height).max(2.2 * size));
    Margins { top, bottom: top * BOTTOM_OVER_TOP, inner, outer }
}

/// The average advance of a character (space included) of running text in `face`, in ems.
pub fn average_char_em(face: &Face) -> f32 {
    let mut glyphs = Vec::new();
    face.shape(SAMPLE, &mut glyphs);
    let width: f32 = glyphs.iter().map(|g| g.x_advance).sum();
    let chars = SAMPLE.chars().count().max(1) as f32;
    if width.is_finite() && width > 0.0 {
        width / chars
    } else {
        0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a5(size: f32, margins: Option<Margins>) -> PdfOptions {
        PdfOptions {
            width: 148.0 * MM,
            height: 210.0 * MM,
            paper: "a5".into(),
            font_size: size,
            leading: None,
            margins,
        }
    }

    /// Charis SIL's vertical metrics and average character width, so that these tests run
    /// without the font; `defaults_with_the_real_font` checks them against the face.
    const CHARIS: FaceMetrics = FaceMetrics { ascender: 0.95, descender: -0.3, cap_height: 0.64, x_height: 0.43 };
    const CHARIS_AVG: f32 = 0.45;

    #[test]
    fn a5_defaults_give_a_classic_page() {
        let g = Geometry::new(&a5(10.0, None), CHARIS, CHARIS_AVG).unwrap();
        let chars = g.chars_per_line();
        assert!((60.0..=70.0).contains(&chars), "{chars} characters");
        assert!(g.margins.inner <= g.margins.outer);
        assert!(g.margins.top < g.margins.bottom);
        assert!((16.0 * MM..22.0 * MM).contains(&g.margins.inner), "{:?}", g.margins);
        assert_eq!(g.leading, 13.0);
        assert!(g.lines >= 30, "{} lines", g.lines);
        // the last grid line is the bottom of the block
        let bottom = g.height - g.margins.bottom;
        assert!((g.last_baseline() + g.descent - bottom).abs() < 0.01);
    }

    #[test]
    fn defaults_with_the_real_font() {
        let face = crate::fonts::Fonts::builtin().face(crate::fonts::Style::Regular);
        let avg = average_char_em(face);
        assert!((avg - CHARIS_AVG).abs() < 0.03, "average character {avg} em");
        let g = Geometry::new(&a5(10.0, None), face.metrics(), avg).unwrap();
        assert!((60.0..=70.0).contains(&g.chars_per_line()), "{} characters", g.chars_per_line());
        assert_eq!(g.ascent, 10.0, "Charis's tall ascender is capped at an em");
    }

    #[test]
    fn grid_snaps_up() {
        let g = Geometry::new(&a5(10.0, None), CHARIS, CHARIS_AVG).unwrap();
        assert_eq!(g.snap(g.first_baseline()), g.first_baseline());
        assert_eq!(g.snap(g.baseline(3) - 0.0001), g.baseline(3));
        assert_eq!(g.snap(g.baseline(3) + 0.5), g.baseline(4));
        assert_eq!(g.snap(0.0), g.first_baseline());
    }

    #[test]
    fn recto_has_the_inner_margin_on_the_left() {
        let g = Geometry::new(&a5(10.0, None), CHARIS, CHARIS_AVG).unwrap();
        assert_eq!(g.left(true), g.margins.inner);
        assert_eq!(g.left(false), g.margins.outer);
    }

    #[test]
    fn furniture_stays_in_the_margins() {
        let g = Geometry::new(&a5(10.0, None), CHARIS, CHARIS_AVG).unwrap();
        assert!(g.head_baseline() < g.margins.top - g.size);
        assert!(g.head_baseline() < 0.07 * g.height);
        assert!(g.folio_baseline() > g.height - g.margins.bottom + g.size);
        assert!(g.folio_baseline() - g.size * 0.5 > 0.93 * g.height);
        assert!(g.folio_baseline() < g.height);
    }

    #[test]
    fn given_margins_are_kept() {
        let m = Margins { top: 18.0 * MM, bottom: 18.0 * MM, inner: 18.0 * MM, outer: 18.0 * MM };
        let g = Geometry::new(&a5(10.0, Some(m)), CHARIS, CHARIS_AVG).unwrap();
        assert!((g.measure - 112.0 * MM).abs() < 0.01);
        assert!(g.margins.bottom >= 18.0 * MM - 0.01);
    }

    #[test]
    fn too_small_a_block_is_an_error() {
        let m = Margins { top: 20.0, bottom: 20.0, inner: 180.0, outer: 180.0 };
        let e = Geometry::new(&a5(10.0, Some(m)), CHARIS, CHARIS_AVG).unwrap_err();
        assert!(e.to_string().contains("too small for 10 pt type"), "{e}");
        let m = Margins { top: 270.0, bottom: 270.0, inner: 20.0, outer: 20.0 };
        assert!(Geometry::new(&a5(10.0, Some(m)), CHARIS, CHARIS_AVG).is_err());
        // huge type on a small page
        assert!(Geometry::new(&a5(60.0, None), CHARIS, CHARIS_AVG).is_err());
    }

    #[test]
    fn other_papers_keep_a_sane_measure() {
        for (w, h, size) in [(105.0, 148.0, 8.5), (210.0, 297.0, 11.0), (125.0, 176.0, 9.0)] {
            let opts = PdfOptions { width: w * MM, height: h * MM, ..a5(size, None) };
            let g = Geometry::new(&opts, CHARIS, CHARIS_AVG).unwrap();
            assert!((40.0..=76.0).contains(&g.chars_per_line()), "{w}x{h}: {}", g.chars_per_line());
            assert!(g.margins.inner > 0.0 && g.margins.outer >= g.margins.inner);
        }
    }
}
