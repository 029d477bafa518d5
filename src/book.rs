//! A book directory through the whole pipeline: load once, render to each format, write
//! each file whole or not at all.
//!
//! This is what the CLI and the integration tests drive. Loading reads `book.toml`, the
//! manuscript and its pictures, and parses the manuscript once into the document that
//! every renderer reads.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::assets::{self, Images};
use crate::config::{Config, Format};
use crate::diag::{Diagnostic, Failure, Result, Source};
use crate::fonts::{Fonts, Style};
use crate::manuscript;
use crate::model::{Document, Span};

/// A loaded book: its settings, its source and the document parsed from it.
#[derive(Debug, Clone)]
pub struct Book {
    /// The book directory.
    pub dir: PathBuf,
    /// The validated book.toml.
    pub config: Config,
    /// The manuscript's text, for turning spans into lines and columns.
    pub source: Source,
    /// The parsed document.
    pub document: Document,
    /// The pictures the document shows.
    pub images: Images,
    /// Warnings found while loading.
    pub warnings: Vec<Diagnostic>,
}

/// One file a build wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// Which format.
    pub format: Format,
    /// Where it was written.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// What was checked before it was written, for the user.
    pub checked: String,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// The files written, in format order.
    pub written: Vec<Written>,
    /// Warnings about the book (none stop the build).
    pub warnings: Vec<Diagnostic>,
    /// Wall time from loading to the last rename.
    pub elapsed: Duration,
}

impl Book {
    /// Loads the book in `dir`: book.toml, the manuscript and its pictures.
    pub fn load(dir: &Path) -> Result<Book> {
        let config = Config::load(dir)?;
        let path = dir.join(&config.manuscript);
        let source = read_manuscript(&path)?;
        let parsed = manuscript::parse(&source, config.meta.clone());
        let mut diagnostics = parsed.diagnostics;
        let document = parsed.document;
        if document.blocks.is_empty() {
            diagnostics.push(
                Diagnostic::error("the manuscript has no text")
                    .in_file(&path)
                    .with_hint("write the book in Markdown; `pamphlet new DIR` shows every feature"),
            );
        }
        let (images, image_problems) = assets::load(dir, &document, &source);
        diagnostics.extend(image_problems);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Failure::from(diagnostics));
        }
        Ok(Book { dir: dir.to_path_buf(), config, source, document, images, warnings: diagnostics })
    }

    /// The EPUB's bytes.
    pub fn epub(&self) -> Result<Vec<u8>> {
        crate::epub::render(&self.document, &self.config.epub, &self.images)
    }

    /// The PDF's bytes and the number of pages, with layout warnings placed in the
    /// manuscript.
    pub fn pdf(&self) -> Result<(Vec<u8>, usize, Vec<Diagnostic>)> {
        let fonts = Fonts::builtin();
        let laid = crate::layout::layout(&self.document, &self.config.pdf, fonts)?;
        // Layout knows only the block a missing character stands in; find the character
        // itself in the source, each warning after the one before for the same block.
        let mut searched_to: std::collections::BTreeMap<(u32, char), usize> = Default::default();
        let warnings = laid
            .warnings
            .iter()
            .map(|w| {
                let span = match w.missing {
                    Some(c) if !w.span.is_detached() => {
                        let from = searched_to.entry((w.span.start, c)).or_insert(w.span.start as usize);
                        let found = self.source.text.get(*from..w.span.end as usize).and_then(|s| s.find(c));
                        match found {
                            Some(i) => {
                                let at = *from + i;
                                *from = at + c.len_utf8();
                                Span::new(at..at + c.len_utf8())
                            }
                            None => w.span,
                        }
                    }
                    _ => w.span,
                };
                self.source.warning(span, w.message.clone())
            })
            .collect();
        let pages = laid.document.pages.len();
        let bytes = crate::pdf::write(&laid.document, &self.document.meta, fonts)?;
        Ok((bytes, pages, warnings))
    }
}

/// Builds the book in `dir` into `out_dir`, in `formats` (or those book.toml names).
pub fn build(dir: &Path, out_dir: &Path, formats: Option<&[Format]>) -> Result<BuildReport> {
    let start = Instant::now();
    let book = Book::load(dir)?;
    let formats = formats.unwrap_or(&book.config.output.formats);
    let mut warnings = book.warnings.clone();
    let mut outputs = Vec::new();
    // Render everything before writing anything, so a failure in the PDF does not leave
    // a new EPUB beside an old PDF.
    for &format in Format::ALL.iter().filter(|f| formats.contains(f)) {
        let (bytes, checked) = match format {
            Format::Epub => (book.epub()?, "XHTML well-formed, fonts subset".to_string()),
            Format::Pdf => {
                let (bytes, pages, w) = book.pdf()?;
                warnings.extend(w);
                (bytes, format!("{pages} pages, fonts embedded and subset"))
            }
        };
        outputs.push((format, bytes, checked));
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", out_dir.display())))?;
    let mut written = Vec::new();
    for (format, bytes, checked) in outputs {
        let path = out_dir.join(format!("{}.{}", book.config.output.stem, format.extension()));
        write_atomically(&path, &bytes)?;
        written.push(Written { format, path, size: bytes.len() as u64, checked });
    }
    Ok(BuildReport { written, warnings, elapsed: start.elapsed() })
}

/// Everything worth telling about the book in `dir`, without writing anything: the
/// errors that would stop a build and the warnings it would print, plus characters the
/// fonts cannot draw and straight quotes that smart punctuation left.
pub fn check(dir: &Path) -> Vec<Diagnostic> {
    let config = match Config::load(dir) {
        Ok(c) => c,
        Err(f) => return f.diagnostics,
    };
    let path = dir.join(&config.manuscript);
    let source = match read_manuscript(&path) {
        Ok(s) => s,
        Err(f) => return f.diagnostics,
    };
    let parsed = manuscript::parse(&source, config.meta.clone());
    let mut out = parsed.diagnostics;
    out.extend(assets::load(dir, &parsed.document, &source).1);
    out.extend(text_problems(&source, Fonts::builtin()));
    out.sort_by_key(|d| d.position);
    out
}

/// Characters the fonts cannot draw (errors: they would print as empty boxes) and
/// straight quotes left after smart punctuation (warnings: usually a typo such as a
/// quote after a footnote reference).
fn text_problems(source: &Source, fonts: &Fonts) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for piece in manuscript::text_pieces(&source.text) {
        let style = match (piece.bold, piece.italic) {
            (false, false) => Style::Regular,
            (false, true) => Style::Italic,
            (true, false) => Style::Bold,
            (true, true) => Style::BoldItalic,
        };
        let face = fonts.face(style);
        let mut seen = Vec::new();
        // The fonts module knows which characters are never drawn (controls, joiners).
        for (_, c) in face.missing_chars(&piece.text) {
            if seen.contains(&c) {
                continue;
            }
            seen.push(c);
            let span = manuscript::char_span(&source.text, &piece, c, 0);
            out.push(
                source
                    .error(span, format!("{} (U+{:04X}) is not in the font", describe(c), c as u32))
                    .with_hint(format!("{} has no glyph for it; use another character", fonts.family_name())),
            );
        }
        if !piece.code {
            for c in ['"', '\''] {
                if piece.text.contains(c) {
                    let span = manuscript::char_span(&source.text, &piece, c, 0);
                    out.push(source.warning(span, format!("straight quote {c} left after smart punctuation")).with_hint(
                        "smart punctuation could not tell which way it faces; type the curly quote (“ ” ‘ ’) itself",
                    ));
                }
            }
        }
    }
    out
}

fn describe(c: char) -> String {
    if c.is_whitespace() || c.is_control() {
        format!("character U+{:04X}", c as u32)
    } else {
        format!("‘{c}’")
    }
}

/// Reads the manuscript, reporting invalid UTF-8 at its line and column.
fn read_manuscript(path: &Path) -> Result<Source> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(format!("cannot read the manuscript {}: {e}", path.display()))
            .with_hint("set `manuscript` in book.toml to the Markdown file, relative to the book directory")
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(path, text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let src = Source::new(path, prefix);
            Err(src
                .error(Span::new(valid..valid), format!("the manuscript is not valid UTF-8 (byte {valid})"))
                .with_hint("save the file as UTF-8")
                .into())
        }
    }
}

/// Writes `bytes` to `path` by way of a temporary file in the same directory, so a
/// reader never sees half a file and a failed build leaves the previous one intact.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let fail = |e: std::io::Error| Diagnostic::error(format!("cannot write {}: {e}", path.display()));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random manuscripts stitched from awkward fragments go through the whole pipeline:
    /// every one gives a book or diagnostics, never a panic.
    #[test]
    fn random_manuscripts_never_panic() {
        const FRAGMENTS: &[&str] = &[
            "Plain words and more words. ", "*em*", "**strong**", "`code`", "~~gone~~", "[^a]", "[^b]", "[^missing]",
            "\n\n[^a]: A note with *style*.\n\n", "\n\n[^b]: Note b[^a].\n\n", "\n\n# Head {#h}\n\n", "\n\n###### six\n\n",
            "\n\n> quote\n> > deeper\n\n", "\n\n- item\n  - nested\n\n", "\n\n3. three\n\n", "\n\n- [x] done\n\n",
            "\n\n```\ncode block\n```\n\n", "\n\n***\n\n", "\n\n| a | b |\n|--|:-:|\n| 1 |\n\n", "<br>", "<sup>",
            "</sub>", "<div>raw</div>", "\\\n", "https://example.org/a/very/long/path/without/any/spaces/at/all/to/break.html ",
            "Supercalifragilisticexpialidociousness-and-antidisestablishmentarianism ", "\u{1F600}", "\u{4E2D}", "\u{0}",
            "\u{202E}", "\u{AD}", "\u{200D}", "“", "”", "—", "\t", "\r\n", "[link](#h)", "[bad](javascript:x)", "&amp;",
            "&#0;", "\n", "    ", "1,108 ",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % n
        };
        let config = crate::config::Config::from_toml(
            &Source::new("book.toml", "[book]\ntitle = \"T\"\nlanguage = \"en\"\nidentifier = \"urn:x\"\ndate = \"2024\"\n[pdf]\npaper = \"a6\"\n".into()),
            None,
        )
        .unwrap();
        for _ in 0..150 {
            let len = 1 + next(40);
            let md: String = (0..len).map(|_| FRAGMENTS[next(FRAGMENTS.len())]).collect();
            let src = Source::new("m.md", md);
            let parsed = manuscript::parse(&src, config.meta.clone());
            let _ = crate::epub::render(&parsed.document, &config.epub, &Images::new());
            if let Ok(laid) = crate::layout::layout(&parsed.document, &config.pdf, Fonts::builtin()) {
                let _ = crate::pdf::write(&laid.document, &parsed.document.meta, Fonts::builtin());
            }
            let _ = text_problems(&src, Fonts::builtin());
        }
    }

    #[test]
    fn invalid_utf8_is_placed() {
        let dir = std::env::temp_dir().join(format!("pamphlet-utf8-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("m.md");
        std::fs::write(&path, b"line one\nab\xff\xfe").unwrap();
        let e = read_manuscript(&path).unwrap_err().to_string();
        assert!(e.contains("m.md:2:3: error: the manuscript is not valid UTF-8"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn atomic_write_replaces_whole() {
        let dir = std::env::temp_dir().join(format!("pamphlet-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.bin");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left");
        assert!(write_atomically(&dir.join("missing/x.bin"), b"x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
