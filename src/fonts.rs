//! The body font family: loading, coverage, shaping and subsetting.
//!
//! (Stub: the API below is fixed; the bodies are being written. Do not ship.)

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
    pub fn italic(self) -> Style { match self { Style::Regular | Style::Italic => Style::Italic, _ => Style::BoldItalic } }
    /// This style toggled italic/upright (emphasis inside italic becomes upright).
    pub fn toggle_italic(self) -> Style { match self { Style::Regular => Style::Italic, Style::Italic => Style::Regular, Style::Bold => Style::BoldItalic, Style::BoldItalic => Style::Bold } }
    /// This style made bold.
    pub fn bold(self) -> Style { match self { Style::Regular | Style::Bold => Style::Bold, _ => Style::BoldItalic } }
}

/// The family: four faces compiled into the binary from `fonts/`.
pub struct Fonts { _p: () }

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
pub struct Face { _p: () }

/// A face cut down to the glyphs a document uses, for embedding in a PDF.
pub struct PdfSubset {
    /// The subset font program (TrueType, `glyf` outlines).
    pub data: Vec<u8>,
    /// New glyph id for each old one that was kept.
    pub map: std::collections::BTreeMap<u16, u16>,
}

impl Fonts {
    /// The family built into pamphlet, parsed once.
    pub fn builtin() -> &'static Fonts { todo!() }
    /// One face.
    pub fn face(&self, _style: Style) -> &Face { todo!() }
    /// The family name, as CSS and PDF name it.
    pub fn family_name(&self) -> &str { todo!() }
    /// The text of the family's licence, to ship beside embedded fonts.
    pub fn license_text(&self) -> &'static str { todo!() }
}

impl Face {
    /// The font file's bytes.
    pub fn data(&self) -> &'static [u8] { todo!() }
    /// The PostScript name.
    pub fn postscript_name(&self) -> &str { todo!() }
    /// Units per em of the font's own coordinates.
    pub fn units_per_em(&self) -> u16 { todo!() }
    /// Vertical metrics.
    pub fn metrics(&self) -> FaceMetrics { todo!() }
    /// Whether the face can draw `c`.
    pub fn has_char(&self, _c: char) -> bool { todo!() }
    /// Advance width of a glyph, in ems.
    pub fn advance(&self, _glyph: u16) -> f32 { todo!() }
    /// Shapes `text` with kerning and standard ligatures, appending to `out`.
    pub fn shape(&self, _text: &str, _out: &mut Vec<ShapedGlyph>) { todo!() }
    /// Shapes with extra OpenType features (such as `smcp`), appending to `out`.
    pub fn shape_with(&self, _text: &str, _features: &[[u8; 4]], _out: &mut Vec<ShapedGlyph>) { todo!() }
    /// A subset holding `glyphs` (and .notdef), for a PDF.
    pub fn subset_for_pdf(&self, _glyphs: &std::collections::BTreeSet<u16>) -> Result<PdfSubset> { todo!() }
    /// A standalone TrueType font with a `cmap`, holding what it takes to draw `chars`
    /// (with kerning and ligatures among them), for a web view or an EPUB.
    pub fn subset_for_web(&self, _chars: &std::collections::BTreeSet<char>) -> Result<Vec<u8>> { todo!() }
}
