//! The lopdf finish: everything printpdf's document lacks, then the bytes.
//!
//! printpdf hands over an in-memory lopdf document with the page tree, the content
//! streams and a bare catalog. This file adds, with plain lopdf objects:
//!
//! - the embedded subset fonts ([`super::fonts`]) and one shared resource dictionary;
//! - link annotations without a border: URI actions, and GoTo actions to named
//!   destinations, which printpdf cannot express (its links target page numbers);
//! - the named destinations of the anchors, as a `/Names` tree in the catalog;
//! - the nested outline ([`super::outline`]) and the `/PageLabels` number tree;
//! - `/Lang`, `/ViewerPreferences`, and the document information and XMP metadata
//!   ([`super::metadata`]);
//! - a trailer `/ID` hashed from the identifier and the content, replacing printpdf's
//!   random one, so that rebuilding gives the same bytes.
//!
//! Finally unused objects are dropped, streams are Flate-compressed, and the file is
//! written with object streams and a cross-reference stream (PDF 1.5), which saves a
//! few kilobytes of uncompressed dictionaries and xref table.

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, StringFormat};

use super::collect::Usage;
use super::content::coord;
use super::fonts::EmbeddedFont;
use super::metadata;
use super::outline::add_outline;
use super::{internal, Fnv128};
use crate::diag::Result;
use crate::layout::frame::{FrameItem, LinkTarget, PageLabel, PagedDocument};
use crate::model::Metadata;

/// Completes `doc` (as made by printpdf from `frames`) and serialises it.
pub(super) fn finish(
    mut doc: Document,
    frames: &PagedDocument,
    meta: &Metadata,
    fonts: &[EmbeddedFont<'_>],
    usage: &Usage<'_>,
) -> Result<Vec<u8>> {
    // Object streams, /Lang, ActualText and the rest need more than printpdf's 1.3.
    doc.version = "1.7".into();

    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if page_ids.len() != frames.pages.len() {
        return Err(
            internal(format!("printpdf wrote {} pages for {} laid out", page_ids.len(), frames.pages.len())).into()
        );
    }
    let pages: Vec<(ObjectId, f32)> = page_ids.iter().zip(&frames.pages).map(|(&id, page)| (id, page.height)).collect();

    // Fonts, in one resource dictionary that every page shares.
    let mut font_dict = Dictionary::new();
    for font in fonts {
        font_dict.set(font.resource(), font.add_to(&mut doc));
    }
    let resources = doc.add_object(dictionary! { "Font" => font_dict });

    // Per page: resources, and link annotations in place of printpdf's empty list.
    for (&(page_id, height), page) in pages.iter().zip(&frames.pages) {
        let mut annots = Vec::new();
        for (at, item) in &page.items {
            let FrameItem::Link { width, height: h, target } = item else { continue };
            let action = match target {
                LinkTarget::Url(url) => {
                    dictionary! { "S" => "URI", "URI" => Object::string_literal(uri_ascii(url)) }
                }
                // An anchor that was never placed: the caller reports it; drop the link.
                LinkTarget::Anchor(name) if !usage.anchors.contains_key(name.as_str()) => continue,
                LinkTarget::Anchor(name) => {
                    dictionary! { "S" => "GoTo", "D" => Object::string_literal(name.as_bytes()) }
                }
            };
            let top = f64::from(height) - f64::from(at.y);
            let rect = [at.x.into(), top - f64::from(*h), f64::from(at.x) + f64::from(*width), top];
            let annot = dictionary! {
                "Type" => "Annot",
                "Subtype" => "Link",
                "Rect" => rect.iter().map(|&v| Object::Real(coord(v))).collect::<Vec<_>>(),
                "Border" => vec![0.into(), 0.into(), 0.into()],
                "A" => action,
            };
            annots.push(Object::Reference(doc.add_object(annot)));
        }
        let dict = doc.get_dictionary_mut(page_id).map_err(|e| internal(format!("page object: {e}")))?;
        dict.set("Resources", resources);
        if annots.is_empty() {
            dict.remove(b"Annots");
        } else {
            dict.set("Annots", annots);
        }
    }

    // Catalog entries.
    let mut extra = Dictionary::new();
    if !usage.anchors.is_empty() {
        // A name tree with a single node: the keys sorted, each with its destination.
        let mut names = Vec::with_capacity(usage.anchors.len() * 2);
        for (name, &(page, at)) in &usage.anchors {
            let (page_id, height) = pages[page];
            names.push(Object::string_literal(name.as_bytes()));
            names.push(Object::Array(vec![
                page_id.into(),
                "XYZ".into(),
                Object::Real(coord(at.x.into())),
                Object::Real(coord(f64::from(height) - f64::from(at.y))),
                Object::Null,
            ]));
        }
        extra.set("Names", dictionary! { "Dests" => dictionary! { "Names" => names } });
    }
    if let Some(outlines) = add_outline(&mut doc, &frames.outline, &pages) {
        extra.set("Outlines", outlines);
        extra.set("PageMode", "UseOutlines");
    }
    extra.set("PageLabels", dictionary! { "Nums" => page_labels(frames) });
    if !meta.language.is_empty() {
        extra.set("Lang", metadata::text_string(&meta.language));
    }
    extra.set("ViewerPreferences", dictionary! { "DisplayDocTitle" => true });
    // Document information as XMP, and as the information dictionary replacing printpdf's.
    extra.set("Metadata", doc.add_object(metadata::xmp(meta)));
    let info = doc.add_object(metadata::info(meta));
    doc.trailer.set("Info", info);
    let catalog = doc.catalog_mut().map_err(|e| internal(format!("catalog: {e}")))?;
    for (key, value) in extra {
        catalog.set(key, value);
    }

    drop_unused(&mut doc);

    // The /ID: the same book gives the same ID, a changed book a different one.
    let mut hash = Fnv128::new();
    hash.field(meta.identifier.as_bytes());
    hash.field(&meta.modified.to_le_bytes());
    for object in doc.objects.values() {
        if let Object::Stream(stream) = object {
            hash.field(&stream.content);
        }
    }
    let id = Object::String(hash.finish().to_be_bytes().to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", vec![id.clone(), id]);

    compress(&mut doc).map_err(crate::diag::Failure::from)?;
    let mut bytes = Vec::new();
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .compression_level(COMPRESSION)
        .build();
    doc.save_with_options(&mut bytes, options).map_err(|e| internal(format!("serialising: {e}")))?;
    Ok(bytes)
}

/// The zlib level for streams. The default level; the best (9) takes four times as long
/// for half a percent less.
const COMPRESSION: u32 = 6;

/// Flate-compresses every stream that is not yet, where that makes it smaller. (lopdf's
/// own `compress` always uses the slowest level.)
///
/// Compression is the most expensive step of the writer, and streams are independent, so
/// they are shared out among a few threads, largest first. Each stream's bytes depend
/// only on its content, so the file is the same however the work is divided.
fn compress(doc: &mut Document) -> std::result::Result<(), crate::diag::Diagnostic> {
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| match o {
            Object::Stream(s) if s.allows_compression && !s.dict.has(b"Filter") => Some(s),
            _ => None,
        })
        .collect();
    streams.sort_by_key(|s| std::cmp::Reverse(s.content.len()));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let mut shares: Vec<(usize, Vec<&mut lopdf::Stream>)> = (0..threads).map(|_| (0, Vec::new())).collect();
    for stream in streams {
        if let Some(share) = shares.iter_mut().min_by_key(|(load, _)| *load) {
            share.0 += stream.content.len();
            share.1.push(stream);
        }
    }
    let mut shares = shares.into_iter().map(|(_, s)| s);
    let first = shares.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let others: Vec<_> = shares.map(|share| scope.spawn(move || compress_all(share))).collect();
        let mut result = compress_all(first);
        for handle in others {
            let done = handle.join().unwrap_or_else(|_| Err(internal("a compression thread panicked")));
            result = result.and(done);
        }
        result
    })
}

/// Compresses `streams` one after the other with a single [`Deflater`].
fn compress_all(streams: Vec<&mut lopdf::Stream>) -> std::result::Result<(), crate::diag::Diagnostic> {
    let mut deflater = Deflater::new();
    for stream in streams {
        deflater.pack(stream)?;
    }
    Ok(())
}

/// A zlib compressor for streams. Setting one up clears a few hundred kilobytes of
/// tables, which for the small streams of a PDF costs as much as compressing them, so
/// each thread keeps one and resets it between streams.
pub(super) struct Deflater(flate2::Compress);

impl Deflater {
    pub(super) fn new() -> Deflater {
        Deflater(flate2::Compress::new(flate2::Compression::new(COMPRESSION), true))
    }

    /// `input`, zlib-compressed.
    pub(super) fn deflate(&mut self, input: &[u8]) -> std::result::Result<Vec<u8>, crate::diag::Diagnostic> {
        use flate2::{FlushCompress, Status};
        let zlib = &mut self.0;
        zlib.reset();
        let mut packed = Vec::with_capacity(input.len() / 2 + 64);
        loop {
            let read = usize::try_from(zlib.total_in()).unwrap_or(usize::MAX).min(input.len());
            let status = zlib
                .compress_vec(&input[read..], &mut packed, FlushCompress::Finish)
                .map_err(|e| internal(format!("compressing a stream: {e}")))?;
            match status {
                Status::StreamEnd => return Ok(packed),
                // Out of room: give it more and carry on.
                Status::Ok | Status::BufError => packed.reserve(packed.capacity().max(64)),
            }
        }
    }

    /// Compresses `stream` in place if that makes it smaller.
    pub(super) fn pack(&mut self, stream: &mut lopdf::Stream) -> std::result::Result<(), crate::diag::Diagnostic> {
        let packed = self.deflate(&stream.content)?;
        if packed.len() < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
        Ok(())
    }
}

/// Removes printpdf's objects that nothing refers to any more (its per-page resource
/// dictionaries and empty XObject, ExtGState and Shading dictionaries) and numbers the
/// rest from 1 without gaps.
fn drop_unused(doc: &mut Document) {
    doc.prune_objects();
    doc.renumber_objects();
}

/// The `/Nums` array of the page labels: one entry where the numbering style changes or
/// the numbers do not follow on from the page before.
fn page_labels(frames: &PagedDocument) -> Vec<Object> {
    let mut nums = Vec::new();
    let mut previous: Option<(bool, u32)> = None;
    for (index, page) in frames.pages.iter().enumerate() {
        let (roman, n) = match page.label {
            PageLabel::Roman(n) => (true, n),
            PageLabel::Arabic(n) => (false, n),
        };
        let follows = previous.is_some_and(|(r, p)| r == roman && p.checked_add(1) == Some(n));
        if !follows {
            let style = if roman { "r" } else { "D" };
            // Labels count from 1; a 0 would be invalid, so it starts the range at 1.
            nums.push(Object::Integer(index as i64));
            nums.push(dictionary! { "S" => style, "St" => i64::from(n.max(1)) }.into());
        }
        previous = Some((roman, n));
    }
    nums
}

/// A URI for a `/URI` action, which PDF requires to be 7-bit ASCII: other bytes, spaces
/// and control characters are percent-encoded (RFC 3986 §2.1).
fn uri_ascii(url: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_graphic() {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    out
}
