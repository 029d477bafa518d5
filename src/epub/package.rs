//! Packing: the files of the book, the package document's metadata, and the ZIP, by
//! epub-builder 0.8.3.
//!
//! epub-builder does the container, the manifest, the spine, the EPUB 2 guide and
//! `toc.ncx`, and writes the archive. Where its output is wrong and its API offers no
//! way to fix it, we repair the archive it produced: the generated files cannot be
//! intercepted on their way in, because the `Zip` trait epub-builder writes through is
//! not exported (it sits in a private module), so no other implementation can be given.
//! [`repair`] copies every entry of the archive unchanged (still compressed) except three,
//! which it changes by exact text replacements that must each match once (so a changed
//! epub-builder fails loudly rather than silently), checks with an XML parser, and
//! recompresses:
//!
//! - `content.opf`: (a) epub-builder numbers `dc:language` ids from the same counter as
//!   `dc:creator` ids, so a book with an author and a language has the id
//!   `epub-creator-0` twice (EPUBCheck RSC-005); the language's id is dropped (nothing
//!   refers to it). The `<package>` element gets `xml:lang` (Ace: epub-lang, serious).
//!   `dc:identifier` is only settable as a UUID, so we set the nil UUID and replace it
//!   with the book's identifier. Creator roles are always `aut`; each is replaced by the
//!   creator's MARC relator. There is no `dc:publisher` setter; it is inserted after the
//!   title.
//! - `toc.ncx`: gets the `dtb:uid` the NCX format requires (EPUBCheck 5 does not check
//!   an EPUB 3's NCX, but the EPUB 2 readers the NCX is for may), the book's title as
//!   `docTitle` instead of "Contents", and its real depth.
//! - `nav.xhtml`: replaced by ours (see `nav.rs` for what Ace finds in epub-builder's).
//!   (b) Its landmarks `<nav>` is empty, with no `<ol>`, when no file has a reference
//!   type; ours always lists the title page and the start of the text.
//!
//! Pitfall (c), that `MetadataOpfV3` content is written unescaped, is met by escaping
//! everything we give it (see [`meta_v3`]). Pitfall (d), the clock in the archive: with
//! `default-features = false` epub-builder's `zip` is built without its `time` feature,
//! so it dates entries 1980-01-01 00:00; [`repair`] sets that date on every entry it
//! copies or writes anyway, so the bytes do not depend on a feature another crate could
//! switch on. epub-builder's own clock and random UUID are never consulted because we set
//! the modification date and a UUID ourselves. Tests read the archive's headers and
//! build twice to hold all of this.

use std::io::{Cursor, Read, Write};

use epub_builder::{EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, ZipLibrary};

use crate::config::{days_from_civil, parse_date};
use crate::diag::{Diagnostic, Failure, Result};
use crate::model::Metadata;

use super::markup::{check_well_formed, clean, escaped};
use super::nav::TocEntry;
use super::xhtml::{label, language};

/// What the package holds besides its generated files.
pub(crate) struct Contents<'a> {
    /// The book's metadata.
    pub meta: &'a Metadata,
    /// The title page.
    pub title_page: String,
    /// The body files: name, XHTML and table-of-contents entry (if any).
    pub body: Vec<(String, String, Option<TocEntry>)>,
    /// The colophon.
    pub colophon: String,
    /// Our navigation document, replacing epub-builder's.
    pub nav: String,
    /// The stylesheet.
    pub css: String,
    /// Other resources: path, bytes and media type (fonts, their licence, pictures).
    pub resources: Vec<(String, &'a [u8], &'static str)>,
    /// The accessibility metadata: `(property, value)` pairs.
    pub a11y: Vec<(&'static str, String)>,
}

/// The title page's file name.
pub(crate) const TITLE_FILE: &str = "title.xhtml";
/// The colophon's file name.
pub(crate) const COLOPHON_FILE: &str = "colophon.xhtml";

/// An exact replacement [`repair`] makes in a file epub-builder generated.
#[derive(Debug, Clone)]
pub(crate) struct Fix {
    /// What it repairs, for the error if it no longer applies.
    what: &'static str,
    from: String,
    to: String,
}

/// Applies `fixes` to `doc`; each `from` must occur exactly once.
pub(crate) fn apply(file: &str, doc: &str, fixes: &[Fix]) -> Result<String> {
    let mut doc = doc.to_string();
    for fix in fixes {
        let count = doc.matches(fix.from.as_str()).count();
        if count != 1 {
            return Err(Diagnostic::error(format!(
                "internal error: cannot {} in the EPUB's {file}: epub-builder's output changed ({:?} found {count} times)",
                fix.what, fix.from
            ))
            .with_hint("pamphlet was built against epub-builder 0.8.3; this is a bug in pamphlet")
            .into());
        }
        doc = doc.replacen(fix.from.as_str(), &fix.to, 1);
    }
    Ok(doc)
}

/// The replacements to make in `content.opf`.
pub(crate) fn opf_fixes(meta: &Metadata) -> Vec<Fix> {
    let lang = escaped(language(meta));
    let mut fixes = vec![
        Fix {
            what: "declare the package's language",
            from: "unique-identifier=\"epub-id-1\">".into(),
            to: format!("unique-identifier=\"epub-id-1\" xml:lang=\"{lang}\">"),
        },
        Fix {
            what: "replace the placeholder identifier",
            from: format!(">{}</dc:identifier>", uuid::Uuid::nil().urn()),
            to: format!(">{}</dc:identifier>", escaped(&meta.identifier)),
        },
        Fix {
            what: "remove the language's duplicate id",
            from: "<dc:language id=\"epub-creator-0\">".into(),
            to: "<dc:language>".into(),
        },
    ];
    if let Some(publisher) = meta.publisher.as_deref().filter(|p| !p.trim().is_empty()) {
        fixes.push(Fix {
            what: "add the publisher",
            from: "</dc:title>".into(),
            to: format!("</dc:title>\n    <dc:publisher>{}</dc:publisher>", escaped(publisher)),
        });
    }
    for (i, creator) in meta.creators.iter().enumerate().filter(|(_, c)| !c.name.trim().is_empty()) {
        // A MARC relator is three lower-case letters; anything else stays `aut`.
        let role = creator.role.trim();
        if role != "aut" && role.len() == 3 && role.bytes().all(|b| b.is_ascii_lowercase()) {
            let id = creator_index(meta, i);
            fixes.push(Fix {
                what: "set a creator's role",
                from: format!(
                    "<meta refines=\"#epub-creator-{id}\" property=\"role\" scheme=\"marc:relators\">aut</meta>"
                ),
                to: format!(
                    "<meta refines=\"#epub-creator-{id}\" property=\"role\" scheme=\"marc:relators\">{role}</meta>"
                ),
            });
        }
    }
    fixes
}

/// epub-builder's index of creator `i`, counting only creators with a name (those are
/// the ones we give it).
fn creator_index(meta: &Metadata, i: usize) -> usize {
    meta.creators[..i].iter().filter(|c| !c.name.trim().is_empty()).count()
}

/// The replacements to make in `toc.ncx`.
pub(crate) fn ncx_fixes(meta: &Metadata, depth: usize) -> Vec<Fix> {
    vec![
        Fix {
            what: "add the NCX's dtb:uid and depth",
            from: "<meta name=\"dtb:depth\" content=\"1\" />".into(),
            to: format!(
                "<meta name=\"dtb:uid\" content=\"{}\" />\n    <meta name=\"dtb:depth\" content=\"{depth}\" />",
                escaped(&meta.identifier).replace('"', "&quot;")
            ),
        },
        Fix {
            what: "title the NCX",
            from: format!("<text>{}</text>\n  </docTitle>", label::CONTENTS),
            to: format!("<text>{}</text>\n  </docTitle>", escaped(&meta.title)),
        },
    ]
}

/// Rewrites the archive epub-builder wrote: every entry dated 1980-01-01 00:00 with
/// mode 0644, `content.opf` and `toc.ncx` repaired by `opf` and `ncx`, `nav.xhtml`
/// replaced by `nav`. Untouched entries are copied without recompression.
pub(crate) fn repair(epub: &[u8], opf: &[Fix], ncx: &[Fix], nav: &str) -> Result<Vec<u8>> {
    let zip_error = |e: zip::result::ZipError| -> Failure {
        Diagnostic::error(format!("internal error: cannot rewrite the EPUB archive: {e}")).into()
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).map_err(zip_error)?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(epub.len() + 1024)));
    let epoch = zip::DateTime::default();
    for i in 0..archive.len() {
        let name = archive.by_index_raw(i).map_err(zip_error)?.name().to_string();
        let fixes = match name.as_str() {
            "OEBPS/content.opf" => Some(opf),
            "OEBPS/toc.ncx" => Some(ncx),
            "OEBPS/nav.xhtml" => None,
            _ => {
                let entry = archive.by_index_raw(i).map_err(zip_error)?;
                writer.raw_copy_file_touch(entry, epoch, Some(0o644)).map_err(zip_error)?;
                continue;
            }
        };
        let doc =
            match fixes {
                Some(fixes) => {
                    let mut generated = String::new();
                    archive.by_index(i).map_err(zip_error)?.read_to_string(&mut generated).map_err(|e| {
                        Diagnostic::error(format!("internal error: cannot read the EPUB's {name}: {e}"))
                    })?;
                    apply(&name, &generated, fixes)?
                }
                None => nav.to_string(),
            };
        check_well_formed(&name, &doc)?;
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(epoch)
            .unix_permissions(0o644);
        writer.start_file(name.as_str(), options).map_err(zip_error)?;
        writer
            .write_all(doc.as_bytes())
            .map_err(|e| Diagnostic::error(format!("internal error: cannot write the EPUB's {name}: {e}")))?;
    }
    Ok(writer.finish().map_err(zip_error)?.into_inner())
}

/// A `MetadataOpfV3` element. epub-builder writes its content as is (pitfall (c)), so it
/// is escaped here.
pub(crate) fn meta_v3(property: &str, value: &str) -> MetadataOpfV3 {
    MetadataOpfV3::new(property.to_string(), escaped(value))
}

/// Seconds since the epoch as chrono's date, or a diagnostic naming `what`.
fn datetime(seconds: i64, what: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| Diagnostic::error(format!("the {what} ({seconds} s after 1970) is out of range")).into())
}

/// Packs `contents` into EPUB bytes.
pub(crate) fn pack(contents: Contents<'_>) -> Result<Vec<u8>> {
    let meta = contents.meta;
    let toc_depth = contents.body.iter().filter_map(|(_, _, e)| e.as_ref()).map(TocEntry::depth).max().unwrap_or(1);
    let generated = build(&contents)?;
    repair(&generated, &opf_fixes(meta), &ncx_fixes(meta, toc_depth), &contents.nav)
}

/// The archive as epub-builder writes it, before [`repair`].
fn build(contents: &Contents<'_>) -> Result<Vec<u8>> {
    let meta = contents.meta;
    let mut b = EpubBuilder::new(ZipLibrary::new().map_err(builder_error)?).map_err(builder_error)?;
    b.epub_version(EpubVersion::V30);
    b.set_title(clean(&meta.title));
    b.add_language(clean(language(meta)));
    for creator in meta.creators.iter().filter(|c| !c.name.trim().is_empty()) {
        b.add_author(clean(&creator.name));
    }
    b.set_generator("pamphlet");
    b.set_toc_name(label::CONTENTS);
    if let Some(description) = meta.description.as_deref().filter(|d| !d.trim().is_empty()) {
        b.add_description(clean(description));
    }
    for subject in meta.subjects.iter().filter(|s| !s.trim().is_empty()) {
        b.add_subject(clean(subject));
    }
    if let Some(rights) = meta.rights.as_deref().filter(|r| !r.trim().is_empty()) {
        b.set_license(clean(rights));
    }
    // Dates from the metadata, never from the clock; the identifier is patched in.
    b.set_modified_date(datetime(meta.modified, "modification time")?);
    if let Some((y, m, d)) = parse_date(&meta.date) {
        b.set_publication_date(datetime(days_from_civil(y, m, d) * 86_400, "publication date")?);
    }
    b.set_uuid(uuid::Uuid::nil());
    for (property, value) in &contents.a11y {
        b.add_metadata_opf(Box::new(meta_v3(property, value)));
    }
    b.stylesheet(contents.css.as_bytes()).map_err(builder_error)?;
    for (path, bytes, media_type) in &contents.resources {
        b.add_resource(path, *bytes, *media_type).map_err(builder_error)?;
    }
    b.add_content(
        EpubContent::new(TITLE_FILE, contents.title_page.as_bytes())
            .title(label::TITLE_PAGE)
            .reftype(ReferenceType::TitlePage),
    )
    .map_err(builder_error)?;
    for (i, (name, xhtml, entry)) in contents.body.iter().enumerate() {
        let mut content = EpubContent::new(name.as_str(), xhtml.as_bytes());
        if let Some(entry) = entry {
            content.toc = entry.to_element(1);
        }
        if i == 0 {
            // The start of the text: the guide's "text" reference (Kindle opens there)
            // and, in epub-builder's own nav, the bodymatter landmark.
            content = content.reftype(ReferenceType::Text);
        }
        b.add_content(content).map_err(builder_error)?;
    }
    b.add_content(
        EpubContent::new(COLOPHON_FILE, contents.colophon.as_bytes())
            .title(label::COLOPHON)
            .reftype(ReferenceType::Colophon),
    )
    .map_err(builder_error)?;
    let mut out = Vec::with_capacity(64 * 1024);
    b.generate(&mut out).map_err(builder_error)?;
    Ok(out)
}

fn builder_error(e: epub_builder::Error) -> Failure {
    Diagnostic::error(format!("cannot write the EPUB: {e}")).into()
}
