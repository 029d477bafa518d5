//! `book.toml`: the book's metadata and output settings.
//!
//! The file is read in two steps. Serde mirrors it into `Raw*` structs that reject unknown
//! keys (toml reports the line and column); [`Config::from_toml`] then validates what serde
//! cannot (a paper size that parses, margins that fit the page, a date that is a date) and
//! produces typed settings. Renderers receive only their own part: [`EpubOptions`] or
//! [`PdfOptions`], never raw TOML.
//!
//! Every key is documented once, in the README's `book.toml` reference; a test parses the
//! example there so it cannot drift from the code.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Diagnostic, Failure, Result, Source};
use crate::model::{Creator, Metadata, Span};

/// Validated settings of one book.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The book's metadata.
    pub meta: Metadata,
    /// The manuscript file, relative to the book directory.
    pub manuscript: PathBuf,
    /// What to write.
    pub output: OutputOptions,
    /// EPUB settings.
    pub epub: EpubOptions,
    /// PDF settings.
    pub pdf: PdfOptions,
}

/// Which files to write, and under what name.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputOptions {
    /// File stem: `STEM.epub`, `STEM.pdf`.
    pub stem: String,
    /// The formats to write, in a fixed order.
    pub formats: Vec<Format>,
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// EPUB 3.
    Epub,
    /// The PDF pamphlet, one reading page per PDF page.
    Pdf,
}

impl Format {
    /// Every format, in build order.
    pub const ALL: [Format; 2] = [Format::Epub, Format::Pdf];

    /// The name used in book.toml and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Epub => "epub",
            Format::Pdf => "pdf",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        self.name()
    }

    /// Parses a format name.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name.trim())
    }
}

/// Settings of the EPUB renderer.
#[derive(Debug, Clone, PartialEq)]
pub struct EpubOptions {
    /// Whether to embed the body font (subset to the characters used).
    pub embed_fonts: bool,
}

/// Settings of the PDF typesetter. Lengths are in PostScript points.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfOptions {
    /// Page width.
    pub width: f32,
    /// Page height.
    pub height: f32,
    /// The paper's name as given, for messages.
    pub paper: String,
    /// Body type size.
    pub font_size: f32,
    /// Baseline-to-baseline distance of body text; `None` derives it from the type size.
    pub leading: Option<f32>,
    /// Margins; `None` derives them from the page.
    pub margins: Option<Margins>,
}

/// Page margins in points. Inner is the binding side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Top margin (to the top of the text block).
    pub top: f32,
    /// Bottom margin (below the text block; the folio sits in it).
    pub bottom: f32,
    /// The margin on the binding side.
    pub inner: f32,
    /// The margin on the fore-edge side.
    pub outer: f32,
}

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;
/// Points per inch.
const INCH: f32 = 72.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    book: RawBook,
    #[serde(default)]
    output: RawOutput,
    #[serde(default)]
    epub: RawEpub,
    #[serde(default)]
    pdf: RawPdf,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBook {
    title: toml::Spanned<String>,
    subtitle: Option<String>,
    #[serde(default)]
    creators: Vec<RawCreator>,
    language: toml::Spanned<String>,
    identifier: toml::Spanned<String>,
    date: toml::Spanned<String>,
    modified: Option<toml::Spanned<String>>,
    publisher: Option<String>,
    rights: Option<String>,
    description: Option<String>,
    #[serde(default)]
    subjects: Vec<String>,
    manuscript: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCreator {
    name: String,
    #[serde(default = "default_role")]
    role: String,
}

fn default_role() -> String {
    "aut".to_string()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOutput {
    stem: Option<toml::Spanned<String>>,
    formats: Option<toml::Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEpub {
    embed_fonts: bool,
}

impl Default for RawEpub {
    fn default() -> Self {
        RawEpub { embed_fonts: true }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPdf {
    paper: Option<toml::Spanned<String>>,
    font_size: Option<toml::Spanned<f64>>,
    leading: Option<toml::Spanned<f64>>,
    margins: Option<toml::Spanned<RawMargins>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMargins {
    top: String,
    bottom: String,
    inner: String,
    outer: String,
}

impl Config {
    /// Reads and validates `BOOK_DIR/book.toml`.
    pub fn load(book_dir: &Path) -> Result<Config> {
        let path = book_dir.join("book.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::error(format!("cannot read {}: {e}", path.display()))
                .with_hint("a book directory needs a book.toml; `pamphlet new DIR` makes one")
        })?;
        Config::from_toml(&Source::new(path, text), std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
    }

    /// Parses and validates the text of a book.toml. `source_date_epoch` overrides the
    /// modification time, as reproducible-build tools expect.
    pub fn from_toml(src: &Source, source_date_epoch: Option<&str>) -> Result<Config> {
        let raw: RawConfig = toml::from_str(&src.text).map_err(|e| {
            let span = e.span().map_or(Span::DETACHED, Span::new);
            // toml's own message repeats the position and quotes the line; keep its first
            // line only, since ours prints the position in the usual `file:line:col` form.
            let msg = e.message().lines().next().unwrap_or("invalid TOML").to_string();
            src.error(span, msg)
        })?;
        let mut errors = Vec::new();
        let at = |s: std::ops::Range<usize>, m: String| src.error(Span::new(s), m);

        let b = raw.book;
        let require = |v: &toml::Spanned<String>, key: &str, errors: &mut Vec<Diagnostic>| {
            if v.get_ref().trim().is_empty() {
                errors.push(at(v.span(), format!("`book.{key}` must not be empty")));
            }
        };
        require(&b.title, "title", &mut errors);
        require(&b.language, "language", &mut errors);
        require(&b.identifier, "identifier", &mut errors);
        if !is_language_tag(b.language.get_ref()) {
            errors.push(
                at(b.language.span(), format!("`{}` is not a language tag", b.language.get_ref()))
                    .with_hint("use a BCP 47 tag such as \"en\", \"en-GB\" or \"fr\""),
            );
        }
        if parse_date(b.date.get_ref()).is_none() {
            errors.push(
                at(b.date.span(), format!("`{}` is not a date", b.date.get_ref()))
                    .with_hint("write it as YYYY, YYYY-MM or YYYY-MM-DD"),
            );
        }
        let modified = match (source_date_epoch, &b.modified) {
            (Some(epoch), _) => match epoch.trim().parse::<i64>() {
                Ok(t) if t >= 0 => t,
                _ => {
                    errors.push(Diagnostic::error(format!(
                        "SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"
                    )));
                    0
                }
            },
            (None, Some(m)) => match parse_timestamp(m.get_ref()) {
                Some(t) => t,
                None => {
                    errors.push(
                        at(m.span(), format!("`{}` is not a timestamp", m.get_ref()))
                            .with_hint("write it as YYYY-MM-DDThh:mm:ssZ"),
                    );
                    0
                }
            },
            (None, None) => parse_date(b.date.get_ref()).map_or(0, |(y, m, d)| days_from_civil(y, m, d) * 86_400),
        };
        let creators = b
            .creators
            .into_iter()
            .map(|c| Creator { name: c.name, role: c.role })
            .collect();

        let stem = match &raw.output.stem {
            Some(s) if !is_file_stem(s.get_ref()) => {
                errors.push(
                    at(s.span(), format!("`{}` is not a usable file name", s.get_ref()))
                        .with_hint("use letters, digits, '-', '_' and '.', without a path"),
                );
                String::new()
            }
            Some(s) => s.get_ref().clone(),
            None => slug(b.title.get_ref()),
        };
        let mut formats = Vec::new();
        match &raw.output.formats {
            None => formats.extend(Format::ALL),
            Some(list) => {
                for name in list.get_ref() {
                    match Format::parse(name) {
                        Some(f) if !formats.contains(&f) => formats.push(f),
                        Some(_) => {}
                        None => errors.push(
                            at(list.span(), format!("unknown format `{name}`"))
                                .with_hint("the formats are \"epub\" and \"pdf\""),
                        ),
                    }
                }
                formats.sort();
            }
        }

        let pdf = pdf_options(raw.pdf, src, &mut errors);

        if !errors.is_empty() {
            return Err(Failure::from(errors));
        }
        let manuscript = PathBuf::from(b.manuscript.unwrap_or_else(|| "manuscript.md".into()));
        Ok(Config {
            meta: Metadata {
                title: b.title.into_inner(),
                subtitle: b.subtitle,
                creators,
                language: b.language.into_inner(),
                identifier: b.identifier.into_inner(),
                date: b.date.into_inner(),
                publisher: b.publisher,
                rights: b.rights,
                description: b.description,
                subjects: b.subjects,
                modified,
            },
            manuscript,
            output: OutputOptions { stem, formats },
            epub: EpubOptions { embed_fonts: raw.epub.embed_fonts },
            pdf,
        })
    }
}

fn pdf_options(raw: RawPdf, src: &Source, errors: &mut Vec<Diagnostic>) -> PdfOptions {
    let at = |s: std::ops::Range<usize>, m: String| src.error(Span::new(s), m);
    let (paper, (width, height)) = match &raw.paper {
        None => ("a5".to_string(), paper_size("a5").unwrap_or((420.0, 595.0))),
        Some(p) => match paper_size(p.get_ref()) {
            Some(size) => (p.get_ref().clone(), size),
            None => {
                errors.push(at(p.span(), format!("`{}` is not a paper size", p.get_ref())).with_hint(
                    "use a5, a6, b6, half-letter, a4, letter, or WIDTHxHEIGHT with mm or in, \
                     such as \"120x180mm\"",
                ));
                (p.get_ref().clone(), (1.0, 1.0))
            }
        },
    };
    let mut positive = |v: &Option<toml::Spanned<f64>>, key: &str, lo: f64, hi: f64| -> Option<f32> {
        let v = v.as_ref()?;
        let x = *v.get_ref();
        if !(lo..=hi).contains(&x) {
            errors.push(at(v.span(), format!("`pdf.{key}` = {x} is out of range")).with_hint(format!(
                "give a size in points between {lo} and {hi}"
            )));
            return None;
        }
        Some(x as f32)
    };
    let font_size = positive(&raw.font_size, "font-size", 4.0, 72.0);
    let leading = positive(&raw.leading, "leading", 4.0, 100.0);
    let font_size = font_size.unwrap_or_else(|| default_font_size(width));
    if let (Some(l), Some(v)) = (leading, &raw.leading) {
        if l < font_size {
            errors.push(
                at(v.span(), format!("`pdf.leading` = {l} is less than the type size {font_size}"))
                    .with_hint("lines would overlap; leading is usually 1.2 to 1.4 times the type size"),
            );
        }
    }
    let margins = raw.margins.as_ref().and_then(|m| {
        let span = m.span();
        let m = m.get_ref();
        let mut len = |s: &str, key: &str| match parse_length(s) {
            Some(v) if v >= 0.0 => Some(v),
            _ => {
                errors.push(
                    at(span.clone(), format!("`pdf.margins.{key}` = \"{s}\" is not a length"))
                        .with_hint("write a number with a unit: \"18mm\", \"0.75in\" or \"54pt\""),
                );
                None
            }
        };
        let margins = Margins {
            top: len(&m.top, "top")?,
            bottom: len(&m.bottom, "bottom")?,
            inner: len(&m.inner, "inner")?,
            outer: len(&m.outer, "outer")?,
        };
        // The text block must hold at least a dozen characters across and a few lines down;
        // anything less is a mistake, not a design.
        if margins.inner + margins.outer + 6.0 * font_size > width
            || margins.top + margins.bottom + 4.0 * font_size > height
        {
            errors.push(
                at(span, format!(
                    "the margins leave no room for text on a {:.0} × {:.0} mm page",
                    width / MM,
                    height / MM
                ))
                .with_hint("make the margins smaller or the paper larger"),
            );
            return None;
        }
        Some(margins)
    });
    PdfOptions { width, height, paper, font_size, leading, margins }
}

/// The default type size for a page width: 10 pt on A5, scaled so that a line keeps
/// roughly 60–70 characters.
fn default_font_size(width: f32) -> f32 {
    match width {
        w if w < 330.0 => 8.5,
        w if w < 380.0 => 9.0,
        w if w < 500.0 => 10.0,
        _ => 11.0,
    }
}

/// Width and height in points of a named or `WxH` paper size.
pub fn paper_size(name: &str) -> Option<(f32, f32)> {
    let mm = |w: f32, h: f32| Some((w * MM, h * MM));
    match name.trim().to_ascii_lowercase().as_str() {
        "a4" => mm(210.0, 297.0),
        "a5" => mm(148.0, 210.0),
        "a6" => mm(105.0, 148.0),
        "b6" => mm(125.0, 176.0),
        "letter" => Some((8.5 * INCH, 11.0 * INCH)),
        "half-letter" => Some((5.5 * INCH, 8.5 * INCH)),
        custom => {
            let (dims, unit) = if let Some(d) = custom.strip_suffix("mm") {
                (d, MM)
            } else if let Some(d) = custom.strip_suffix("in") {
                (d, INCH)
            } else {
                return None;
            };
            let (w, h) = dims.split_once('x')?;
            let (w, h) = (w.trim().parse::<f32>().ok()?, h.trim().parse::<f32>().ok()?);
            // Between a playing card and a broadsheet: outside that it is a typo.
            let ok = |v: f32| v.is_finite() && (50.0..=1500.0).contains(&(v * unit / MM));
            (ok(w) && ok(h)).then_some((w * unit, h * unit))
        }
    }
}

/// A length with a unit (`mm`, `cm`, `in`, `pt`) in points.
pub fn parse_length(s: &str) -> Option<f32> {
    let s = s.trim();
    let (num, unit) = [("mm", MM), ("cm", 10.0 * MM), ("in", INCH), ("pt", 1.0)]
        .into_iter()
        .find_map(|(suffix, unit)| s.strip_suffix(suffix).map(|n| (n, unit)))?;
    let v = num.trim().parse::<f32>().ok()?;
    v.is_finite().then_some(v * unit)
}

fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn is_file_stem(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A file-name-safe slug of a title: lowercase ASCII words joined by hyphens.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for word in title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let word: String = word.chars().filter(char::is_ascii_alphanumeric).collect();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() {
        out.push_str("book");
    }
    out
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as (year, month, day); a missing part is 1.
pub fn parse_date(s: &str) -> Option<(i64, u32, u32)> {
    let mut parts = s.trim().split('-');
    let num = |p: Option<&str>, len: usize| -> Option<Option<u32>> {
        match p {
            None => Some(None),
            Some(p) if p.len() == len && p.chars().all(|c| c.is_ascii_digit()) => Some(p.parse().ok()),
            Some(_) => None,
        }
    };
    let y = num(parts.next(), 4)??;
    let m = num(parts.next(), 2)?.unwrap_or(1);
    let d = num(parts.next(), 2)?.unwrap_or(1);
    if parts.next().is_some() || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y.into(), m) {
        return None;
    }
    Some((y.into(), m, d))
}

/// `YYYY-MM-DDThh:mm:ssZ` as seconds since the Unix epoch.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim().strip_suffix('Z')?;
    let (date, time) = s.split_once('T')?;
    let (y, m, d) = parse_date(date).filter(|_| date.len() == 10)?;
    let hms: Vec<i64> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [h, mi, se] = hms[..] else { return None };
    if !(0..24).contains(&h) || !(0..60).contains(&mi) || !(0..61).contains(&se) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + h * 3600 + mi * 60 + se)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`] applied to a timestamp: (year, month, day, hour,
/// minute, second) in UTC.
pub fn civil_from_timestamp(t: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, (secs / 3600) as u32, (secs % 3600 / 60) as u32, (secs % 60) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[book]
title = "A Book"
language = "en"
identifier = "urn:uuid:3f1f0f7e-0000-4000-8000-000000000001"
date = "2024-05-01"
"#;

    fn parse(text: &str) -> Result<Config> {
        Config::from_toml(&Source::new("book.toml", text.to_string()), None)
    }

    fn first_error(text: &str) -> String {
        parse(text).unwrap_err().diagnostics[0].to_string()
    }

    /// The README's reference must stay true: its example parses, and it names every key.
    #[test]
    fn readme_reference_parses() {
        let readme = include_str!("../README.md");
        let start = readme.find("## `book.toml` reference").unwrap();
        let block = &readme[start..];
        let block = &block[block.find("```toml\n").unwrap() + 8..];
        let block = &block[..block.find("```").unwrap()];
        let c = parse(block).unwrap();
        assert_eq!(c.pdf.leading, Some(13.0));
        assert!(c.pdf.margins.is_some());
        assert_eq!(c.meta.modified, parse_timestamp("2026-11-27T12:00:00Z").unwrap());
        for key in ["title", "subtitle", "creators", "language", "identifier", "date", "modified", "publisher",
            "rights", "description", "subjects", "manuscript", "stem", "formats", "embed-fonts", "paper",
            "font-size", "leading", "margins"] {
            assert!(block.contains(&format!("{key} = ")), "README does not document `{key}`");
        }
    }

    #[test]
    fn the_essay_book_parses() {
        let c = parse(include_str!("../book/book.toml")).unwrap();
        assert_eq!(c.output.stem, "taking-stock");
        assert_eq!(c.meta.identifier, "urn:uuid:7c8a5d60-813f-4e8b-ac8e-8b801ac8e15f");
    }

    #[test]
    fn minimal_book_gets_defaults() {
        let c = parse(MINIMAL).unwrap();
        assert_eq!(c.output.stem, "a-book");
        assert_eq!(c.output.formats, vec![Format::Epub, Format::Pdf]);
        assert!(c.epub.embed_fonts);
        assert_eq!(c.pdf.paper, "a5");
        assert!((c.pdf.width - 419.53).abs() < 0.1);
        assert_eq!(c.pdf.font_size, 10.0);
        assert_eq!(c.meta.modified, days_from_civil(2024, 5, 1) * 86_400);
        assert_eq!(c.manuscript, PathBuf::from("manuscript.md"));
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let e = first_error(&format!("{MINIMAL}colour = \"red\"\n"));
        assert!(e.starts_with("book.toml:7:1: error:"), "{e}");
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn missing_required_key_is_an_error() {
        let e = first_error("[book]\ntitle = \"x\"\nlanguage = \"en\"\ndate = \"2024\"\n");
        assert!(e.contains("identifier"), "{e}");
        assert!(e.starts_with("book.toml:1:1"), "{e}");
    }

    #[test]
    fn semantic_errors_point_at_the_value() {
        let e = first_error(&MINIMAL.replace("2024-05-01", "May 2024"));
        assert!(e.starts_with("book.toml:6:8: error: `May 2024` is not a date"), "{e}");
        let e = first_error(&format!("{MINIMAL}[pdf]\npaper = \"a3.5\"\n"));
        assert!(e.contains("`a3.5` is not a paper size"), "{e}");
    }

    #[test]
    fn impossible_margins_are_rejected() {
        let text = format!(
            "{MINIMAL}[pdf]\npaper = \"a6\"\nmargins = {{ top = \"10mm\", bottom = \"10mm\", inner = \"60mm\", outer = \"60mm\" }}\n"
        );
        assert!(first_error(&text).contains("no room for text"));
        let text = format!("{MINIMAL}[pdf]\nfont-size = 0\n");
        assert!(first_error(&text).contains("out of range"));
        let text = format!("{MINIMAL}[pdf]\npaper = \"0x100mm\"\n");
        assert!(first_error(&text).contains("not a paper size"));
    }

    #[test]
    fn paper_sizes() {
        let (w, h) = paper_size("letter").unwrap();
        assert_eq!((w, h), (612.0, 792.0));
        let (w, h) = paper_size("120x180mm").unwrap();
        assert!((w - 340.16).abs() < 0.01 && (h - 510.24).abs() < 0.01);
        assert_eq!(paper_size("5x8in"), Some((360.0, 576.0)));
        assert_eq!(paper_size("-5x8in"), None);
        assert_eq!(paper_size("a5x"), None);
    }

    #[test]
    fn source_date_epoch_wins() {
        let c = Config::from_toml(&Source::new("b", MINIMAL.to_string()), Some("1700000000")).unwrap();
        assert_eq!(c.meta.modified, 1_700_000_000);
        assert!(Config::from_toml(&Source::new("b", MINIMAL.to_string()), Some("soon")).is_err());
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_timestamp("2024-02-29T12:00:00Z"), Some(1_709_208_000));
        assert_eq!(civil_from_timestamp(1_709_208_000), (2024, 2, 29, 12, 0, 0));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2024"), Some((2024, 1, 1)));
    }

    #[test]
    fn slugs_and_lengths() {
        assert_eq!(slug("Taking Stock, Settling Accounts"), "taking-stock-settling-accounts");
        assert_eq!(slug("“¿?”"), "book");
        assert_eq!(parse_length("18mm").map(|v| (v * 100.0).round()), Some(5102.0));
        assert_eq!(parse_length("1in"), Some(72.0));
        assert_eq!(parse_length("18"), None);
    }
}
