//! The PDF writer: laid-out pages → PDF bytes.
//!
//! [`write()`] is the whole stage. It reads a finished [`PagedDocument`] and never lays
//! anything out; every position it writes comes from the frames. The work is split in
//! steps, one file each:
//!
//! 1. `collect`: one pass over the frames to learn which glyphs each face shows, what
//!    text each glyph stands for, and where the named anchors are.
//! 2. `fonts`: each face in use is subset and described as a Type0 font (CIDFontType2,
//!    Identity-H) with its own `/W` widths and ToUnicode CMap.
//! 3. `content`: every page's items become printpdf operations: text as glyph-id `TJ`
//!    arrays positioned to the frame's pen positions, rules as filled rectangles.
//! 4. printpdf turns pages and operations into an in-memory lopdf document
//!    ([`printpdf::to_lopdf_doc`], no serialise-and-reparse round trip).
//! 5. `finish`: lopdf adds what printpdf cannot express (embedded subset fonts, link
//!    annotations to named destinations, the nested `outline`, page labels, the
//!    `metadata`, a deterministic `/ID`) and writes compressed bytes with object streams.
//!
//! Why not let printpdf embed the fonts? Its lean build (no `text_layout`) embeds whole
//! font files, its subsetting build tags subsets with its random font ids, and both derive
//! ToUnicode from the font's own `cmap`, which cannot say that a ligature glyph stands for
//! "fi". Our shaper already knows the text of every glyph, so the fonts are built by hand
//! from that.
//!
//! The output is reproducible, byte for byte. Dates come from [`Metadata::modified`], never
//! the clock; printpdf's random trailer `/ID` and its information dictionary are replaced;
//! subset tags and the `/ID` are hashes of what the file contains; every map is ordered;
//! and the threads that subset and compress each work on separate objects, so how the
//! work is shared out cannot change a byte.

mod collect;
mod content;
mod finish;
mod fonts;
mod metadata;
mod outline;

#[cfg(test)]
mod tests;

use crate::diag::{Diagnostic, Result};
use crate::fonts::Fonts;
use crate::layout::frame::PagedDocument;
use crate::model::Metadata;

/// Writes `doc` as a PDF with `meta` as its document information, embedding subsets of
/// the faces of `fonts` that the pages use.
///
/// The same input always gives the same bytes.
///
/// # Errors
///
/// Fails if the document has no pages, a face cannot be subset (a glyph id the face does
/// not have) or the document cannot be serialised; all point to a bug elsewhere in
/// pamphlet rather than to the manuscript.
pub fn write(doc: &PagedDocument, meta: &Metadata, fonts: &Fonts) -> Result<Vec<u8>> {
    if doc.pages.is_empty() {
        // A PDF needs at least one page; layout always makes a title page, so this is a bug.
        return Err(internal("the laid-out document has no pages").into());
    }
    // 1. What the pages use.
    let usage = collect::collect(doc);

    // 2. One embedded subset font per face in use, in the fixed order of the styles.
    // Subsetting is the costliest part after compression and the faces are independent,
    // so each face past the first gets a thread of its own.
    let embedded = std::thread::scope(|scope| {
        let mut faces = usage.faces.iter();
        let first = faces.next();
        let others: Vec<_> = faces
            .map(|(&style, used)| scope.spawn(move || fonts::EmbeddedFont::new(style, fonts.face(style), used)))
            .collect();
        let mut embedded = Vec::with_capacity(usage.faces.len());
        if let Some((&style, used)) = first {
            embedded.push(fonts::EmbeddedFont::new(style, fonts.face(style), used)?);
        }
        for handle in others {
            let font = handle.join().unwrap_or_else(|_| Err(internal("subsetting a face panicked").into()));
            embedded.push(font?);
        }
        Ok::<_, crate::diag::Failure>(embedded)
    })?;
    // 3. Page contents as printpdf operations.
    let pages = content::pages(doc, &embedded);
    // 4. printpdf: page tree, content streams, catalog skeleton, all in memory.
    let mut pdf = printpdf::PdfDocument::new(&meta.title);
    pdf.pages = pages;
    let options = printpdf::PdfSaveOptions {
        // Compression and pruning happen once, in `finish`, after our own objects are in.
        optimize: false,
        subset_fonts: false,
        // Raw operators (`Op::Unknown`) carry our glyph-id `TJ` arrays; see `content`.
        secure: false,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let lopdf_doc = printpdf::to_lopdf_doc(&pdf, &options, &mut warnings);
    if let Some(w) = warnings.iter().find(|w| w.severity == printpdf::PdfParseErrorSeverity::Error) {
        return Err(internal(format!("printpdf rejected a page operation: {}", w.msg)).into());
    }
    // 5. Everything else, then bytes.
    finish::finish(lopdf_doc, doc, meta, &embedded, &usage)
}

/// An error that points to a bug in pamphlet or a broken font rather than to the book.
fn internal(message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(format!("cannot write the PDF: {}", message.into()))
        .with_hint("this is a bug in pamphlet; please report it with the book that caused it")
}

/// A stable 128-bit hash in the manner of FNV-1a, taking eight bytes at a step.
///
/// Used for the subset tags and the trailer `/ID`. std's `DefaultHasher` is not
/// guaranteed to stay the same across Rust releases, and a build must give the same bytes
/// whichever toolchain compiled pamphlet; this is fixed by its definition. Mixing in a
/// word rather than a byte per multiplication makes it eight times faster than FNV-1a
/// proper on the few hundred kilobytes of streams hashed for the `/ID`, which needs to
/// change when the content does, not to resist an adversary.
#[derive(Debug, Clone)]
struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Fnv128 {
        Fnv128(Self::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0; 8];
            w.copy_from_slice(word);
            self.0 ^= u128::from(u64::from_le_bytes(w));
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
        for &b in words.remainder() {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// Writes a length-prefixed field, so that ("ab", "c") and ("a", "bc") differ.
    fn field(&mut self, bytes: &[u8]) {
        self.write(&(bytes.len() as u64).to_le_bytes());
        self.write(bytes);
    }

    fn finish(&self) -> u128 {
        self.0
    }
}
