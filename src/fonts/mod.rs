//! The body font family: loading, coverage, shaping and subsetting.
//!
//! pamphlet sets every book in one family, Charis SIL, whose four faces are compiled into
//! the binary from `fonts/` (see `fonts/README.md`), so a build never depends on the fonts
//! installed on the machine. Everything downstream asks this module about glyphs:
//!
//! - `check` and the manuscript stage ask for coverage ([`Face::missing_chars`]) to report
//!   characters the family cannot draw;
//! - `layout` shapes text into glyph ids and advances in ems ([`Face::shape`], in
//!   `shape.rs`);
//! - `pdf` embeds a cut-down face per style ([`Face::subset_for_pdf`]) and `epub` embeds a
//!   standalone web font per style ([`Face::subset_for_web`]), both in `subset.rs`.
//!
//! Faces are parsed once, on first use, and shared for the life of the process.

mod shape;
mod subset;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use read_fonts::types::NameId;

use crate::diag::Result;

/// One of the four faces of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    /// Upright, regular weight.
    Regular,
    /// Italic, regular weight.
    Italic,
    /// Upright, bold.
    Bold,
    /// Italic, bold.
    BoldItalic,
}

impl Style {
    /// All four, in a fixed order.
    pub const ALL: [Style; 4] = [Style::Regular, Style::Italic, Style::Bold, Style::BoldItalic];
    /// This style made italic (for emphasis inside bold, etc.).
    pub fn italic(self) -> Style {
        match self {
            Style::Regular | Style::Italic => Style::Italic,
            _ => Style::BoldItalic,
        }
    }
    /// This style toggled italic/upright (emphasis inside italic becomes upright).
    pub fn toggle_italic(self) -> Style {
        match self {
            Style::Regular => Style::Italic,
            Style::Italic => Style::Regular,
            Style::Bold => Style::BoldItalic,
            Style::BoldItalic => Style::Bold,
        }
    }
    /// This style made bold.
    pub fn bold(self) -> Style {
        match self {
            Style::Regular | Style::Bold => Style::Bold,
            _ => Style::BoldItalic,
        }
    }

    /// Whether the style is italic.
    pub fn is_italic(self) -> bool {
        matches!(self, Style::Italic | Style::BoldItalic)
    }

    /// Whether the style is bold.
    pub fn is_bold(self) -> bool {
        matches!(self, Style::Bold | Style::BoldItalic)
    }

    /// The style's name as a font's subfamily names it ("Bold Italic").
    pub fn subfamily(self) -> &'static str {
        match self {
            Style::Regular => "Regular",
            Style::Italic => "Italic",
            Style::Bold => "Bold",
            Style::BoldItalic => "Bold Italic",
        }
    }

    fn index(self) -> usize {
        match self {
            Style::Regular => 0,
            Style::Italic => 1,
            Style::Bold => 2,
            Style::BoldItalic => 3,
        }
    }
}

/// The font files, in the order of [`Style::ALL`].
static FILES: [&[u8]; 4] = [
    include_bytes!("../../fonts/CharisSIL-Regular.ttf"),
    include_bytes!("../../fonts/CharisSIL-Italic.ttf"),
    include_bytes!("../../fonts/CharisSIL-Bold.ttf"),
    include_bytes!("../../fonts/CharisSIL-BoldItalic.ttf"),
];

/// The family's licence (SIL Open Font License 1.1 with Charis's copyright notice).
static LICENSE: &str = include_str!("../../fonts/OFL.txt");

/// The family name the fonts carry.
const FAMILY_NAME: &str = "Charis SIL";

/// The family name of the web subsets. The OFL reserves "Charis" and "SIL" for the
/// original fonts; its FAQ (2.6) counts a subset delivered as a web font as a Modified
/// Version, which must not use a reserved name as its primary font name.
const WEB_FAMILY_NAME: &str = "Pamphlet Serif";

/// The family: four faces compiled into the binary from `fonts/`.
pub struct Fonts {
    faces: [Face; 4],
}

/// Vertical metrics of a face, as fractions of the em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceMetrics {
    /// Above the baseline (positive).
    pub ascender: f32,
    /// Below the baseline (negative).
    pub descender: f32,
    /// Height of capitals.
    pub cap_height: f32,
    /// Height of lower-case x.
    pub x_height: f32,
}

/// A shaped glyph. Lengths are fractions of the em: multiply by the type size for points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    /// Glyph id in the face.
    pub id: u16,
    /// Byte offset in the shaped text of the first character this glyph stands for.
    pub cluster: u32,
    /// Advance, including kerning.
    pub x_advance: f32,
    /// Horizontal offset.
    pub x_offset: f32,
    /// Vertical offset, upwards.
    pub y_offset: f32,
}

/// One face.
pub struct Face {
    style: Style,
    data: &'static [u8],
    font: harfrust::Font,
    postscript_name: String,
    units_per_em: u16,
    num_glyphs: u16,
    metrics: FaceMetrics,
    italic_angle: f32,
    bounding_box: [f32; 4],
    shaper: shape::Shaper,
}

/// A face cut down to the glyphs a document uses, for embedding in a PDF.
pub struct PdfSubset {
    /// The subset font program (TrueType, `glyf` outlines).
    pub data: Vec<u8>,
    /// New glyph id for each old one that was kept.
    pub map: BTreeMap<u16, u16>,
}

impl Fonts {
    /// The family built into pamphlet, parsed once.
    pub fn builtin() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts { faces: Style::ALL.map(|style| Face::builtin(style, FILES[style.index()])) })
    }

    /// One face.
    pub fn face(&self, style: Style) -> &Face {
        &self.faces[style.index()]
    }

    /// The family name of the fonts as shipped ("Charis SIL"), as the PDF names it and a
    /// colophon credits it.
    ///
    /// The OFL lets a document embed subsets under this name; an EPUB's `@font-face`
    /// rules name its web subsets [`Fonts::web_family_name`] instead.
    pub fn family_name(&self) -> &str {
        FAMILY_NAME
    }

    /// The family name that [`Face::subset_for_web`] writes into its fonts, for an EPUB's
    /// `@font-face` rules. It differs from [`Fonts::family_name`] because the licence keeps
    /// the name "Charis SIL" for unmodified fonts.
    pub fn web_family_name(&self) -> &str {
        WEB_FAMILY_NAME
    }

    /// The text of the family's licence, to ship beside embedded fonts.
    pub fn license_text(&self) -> &'static str {
        LICENSE
    }

    /// The first character of `text` that the face of `style` cannot draw, with its byte
    /// offset. Line breaks, tabs and other characters that are never drawn don't count.
    pub fn first_missing(&self, style: Style, text: &str) -> Option<(usize, char)> {
        self.face(style).missing_chars(text).next()
    }
}

impl Face {
    /// Parses one of the built-in font files.
    ///
    /// Panics if the file is not a font: the four files are fixed at compile time and the
    /// tests load each of them, so this is an invariant of the build, not something a
    /// manuscript can cause.
    #[track_caller]
    fn builtin(style: Style, data: &'static [u8]) -> Face {
        let font = harfrust::Font::new(data, 0).expect("a built-in font file is a TrueType font");
        let postscript_name = font
            .names()
            .get(NameId::POSTSCRIPT_NAME)
            .and_then(|name| name.english_or_first())
            .map(|name| name.name().chars().collect())
            .unwrap_or_else(|| format!("CharisSIL-{}", style.subfamily().replace(' ', "")));
        let raw = *font.metrics();
        let units_per_em = raw.units_per_em;
        let em = f32::from(units_per_em);
        let to_em = |v: read_fonts::types::F48Dot16| v.to_f32() / em;
        let line = if raw.use_typo_metrics { raw.typo_line.or(raw.hhea_line) } else { raw.hhea_line.or(raw.typo_line) };
        // The fallbacks are the common proportions of a Latin text face; Charis's OS/2
        // table has every value, so they only guard against a future font that lacks them.
        let metrics = FaceMetrics {
            ascender: line.map_or(0.9, |l| to_em(l.ascender)),
            descender: line.map_or(-0.25, |l| to_em(l.descender)),
            cap_height: raw.cap_height.map_or(0.7, to_em),
            x_height: raw.x_height.map_or(0.5, to_em),
        };
        let bounds = raw.bounds;
        let bounding_box = [to_em(bounds.x_min), to_em(bounds.y_min), to_em(bounds.x_max), to_em(bounds.y_max)];
        let italic_angle = font.style_metrics().italic_angle.map_or(0.0, |a| a.to_f32());
        let num_glyphs = u16::try_from(font.num_glyphs()).unwrap_or(u16::MAX);
        let shaper = shape::Shaper::new();
        Face {
            style,
            data,
            font,
            postscript_name,
            units_per_em,
            num_glyphs,
            metrics,
            italic_angle,
            bounding_box,
            shaper,
        }
    }

    /// Which face of the family this is.
    pub fn style(&self) -> Style {
        self.style
    }

    /// The font file's bytes.
    pub fn data(&self) -> &'static [u8] {
        self.data
    }

    /// The PostScript name.
    pub fn postscript_name(&self) -> &str {
        &self.postscript_name
    }

    /// Units per em of the font's own coordinates.
    pub fn units_per_em(&self) -> u16 {
        self.units_per_em
    }

    /// Number of glyphs in the face; valid glyph ids are below it.
    pub fn num_glyphs(&self) -> u16 {
        self.num_glyphs
    }

    /// Vertical metrics.
    ///
    /// Charis's ascender and descender (about 1.2 and −0.44 em) make room for stacked
    /// diacritics; they suit clipping boxes, not line spacing.
    pub fn metrics(&self) -> FaceMetrics {
        self.metrics
    }

    /// The slant of the face in degrees, counter-clockwise from the vertical (negative for
    /// italics, which lean right), as a PDF font descriptor states it.
    pub fn italic_angle(&self) -> f32 {
        self.italic_angle
    }

    /// The box enclosing every glyph of the face, in ems from the origin:
    /// `[x_min, y_min, x_max, y_max]` with y upwards, as a PDF font descriptor states it.
    pub fn bounding_box(&self) -> [f32; 4] {
        self.bounding_box
    }

    /// Whether the face can draw `c`.
    pub fn has_char(&self, c: char) -> bool {
        self.glyph_for_char(c).is_some()
    }

    /// The glyph the face's `cmap` gives `c`, if any (never .notdef).
    pub fn glyph_for_char(&self, c: char) -> Option<u16> {
        let glyph = self.font.charmap().map_unicode(c)?;
        u16::try_from(glyph.to_u32()).ok()
    }

    /// The characters of `text` that the face cannot draw, with their byte offsets, in
    /// order. Characters that are never drawn (controls such as line breaks, and default
    /// ignorables such as zero-width joiners and variation selectors) are skipped.
    pub fn missing_chars<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, char)> + 't {
        text.char_indices().filter(move |&(_, c)| is_drawn(c) && !self.has_char(c))
    }

    /// Advance width of a glyph, in ems.
    pub fn advance(&self, glyph: u16) -> f32 {
        let advance = self.font.glyph_metrics().h_advance(read_fonts::types::GlyphId::from(glyph));
        advance / f32::from(self.units_per_em)
    }

    /// Shapes `text` with kerning and standard ligatures, appending to `out`.
    pub fn shape(&self, text: &str, out: &mut Vec<ShapedGlyph>) {
        self.shaper.shape(self, text, &[], out);
    }

    /// Shapes with extra OpenType features (such as `smcp`), appending to `out`.
    pub fn shape_with(&self, text: &str, features: &[[u8; 4]], out: &mut Vec<ShapedGlyph>) {
        self.shaper.shape(self, text, features, out);
    }

    /// A subset holding `glyphs` (and .notdef), for a PDF.
    ///
    /// Glyphs are renumbered (see [`PdfSubset::map`]) and the font has no `cmap`, so a PDF
    /// embeds it as a CIDFontType2 with `/CIDToGIDMap /Identity` and shows the new ids.
    /// Hinting is left out. Fails only on a glyph id the face does not have, which is a bug
    /// in the caller.
    pub fn subset_for_pdf(&self, glyphs: &BTreeSet<u16>) -> Result<PdfSubset> {
        subset::subset_for_pdf(self, glyphs)
    }

    /// A standalone TrueType font with a `cmap`, holding what it takes to draw `chars`
    /// (with kerning and ligatures among them), for a web view or an EPUB.
    ///
    /// Characters the face lacks are left out. The font's family name is
    /// [`Fonts::web_family_name`]; it keeps the standard ligatures (`liga`) among `chars`
    /// and no hinting. Charis has no kerning to keep.
    pub fn subset_for_web(&self, chars: &BTreeSet<char>) -> Result<Vec<u8>> {
        subset::subset_for_web(self, chars)
    }
}

/// Whether a character is ever drawn, so that a font needs a glyph for it.
///
/// Controls and the line and paragraph separators are layout's business (line breaks,
/// tabs). Default-ignorable code points (Unicode's `Default_Ignorable_Code_Point`
/// property) render as nothing when a font lacks them, so their absence is not worth a
/// warning.
fn is_drawn(c: char) -> bool {
    !c.is_control()
        && !matches!(c, '\u{2028}' | '\u{2029}')
        && !matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
            | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(test)]
mod tests;
