//! The EPUB 3 renderer: model → XHTML, CSS and navigation, packed by epub-builder.
//!
//! [`render`] reads a [`Document`] and nothing else of the pipeline. It works in stages:
//!
//! 1. `plan`: split the body into files (one per top-level `#` heading), place each
//!    footnote, give every heading a safe unique id, number the pictures.
//! 2. `xhtml` and `notes`: write each body file, the title page and the colophon as
//!    XHTML, escaped by construction (`markup`); links go through `url`.
//! 3. `nav`: the table of contents and landmarks.
//! 4. `embed`: when fonts are embedded, the characters each face draws, the subsets and
//!    their `@font-face` rules; `style.css` is the rest of the stylesheet.
//! 5. Every XHTML document is parsed with a real XML parser; a malformed one stops the
//!    build with a diagnostic instead of being written.
//! 6. `package`: epub-builder packs it all, with the repairs its output needs.
//!
//! The output is byte-reproducible: no clock, no randomness, ordered maps only, and
//! fixed ZIP entry times (see `package`).

mod embed;
mod markup;
mod nav;
mod notes;
mod package;
mod plan;
mod url;
mod xhtml;

#[cfg(test)]
mod tests;

use crate::assets::Images;
use crate::config::EpubOptions;
use crate::diag::{Diagnostic, Result};
use crate::fonts::Style;
use crate::model::{Block, Document, Inline, Metadata};

use embed::Coverage;
use markup::{check_well_formed, clean};
use nav::{Landmark, TocEntry};
use package::{Contents, COLOPHON_FILE, TITLE_FILE};
use plan::{walk, Node, Plan};
use xhtml::{label, FontCredit, Renderer};

/// The stylesheet's fixed part; the `@font-face` rules are generated before it.
const STYLE: &str = include_str!("style.css");

/// Renders `doc` as an EPUB 3 and returns the file's bytes.
///
/// `images` must hold every picture the document shows (the assets loader reads them);
/// a missing one is an error. The same inputs always give the same bytes.
pub fn render(doc: &Document, opts: &EpubOptions, images: &Images) -> Result<Vec<u8>> {
    if doc.meta.identifier.trim().is_empty() {
        return Err(Diagnostic::error("the book has no identifier, which an EPUB must have")
            .with_hint("set `identifier` in book.toml, for example to \"urn:uuid:\" and a new UUID")
            .into());
    }
    // Config requires a title; should one still be missing, a title page with an empty
    // heading and documents with empty titles would fail both validators.
    let untitled;
    let doc = if doc.meta.title.trim().is_empty() {
        untitled = Document { meta: Metadata { title: "Untitled".into(), ..doc.meta.clone() }, ..doc.clone() };
        &untitled
    } else {
        doc
    };
    let meta = &doc.meta;
    let lang = xhtml::language(meta);
    let plan = Plan::new(doc, images)?;

    let mut renderer = Renderer::new(doc, &plan);
    let mut body = Vec::with_capacity(plan.files.len());
    for (i, file) in plan.files.iter().enumerate() {
        let xhtml = renderer.body_file(i);
        check_well_formed(&file.name, &xhtml)?;
        body.push((file.name.clone(), xhtml, toc_entry(doc, &plan, i)));
    }

    let embedded = if opts.embed_fonts {
        let fonts = crate::fonts::Fonts::builtin();
        let licence_name = embed::licence_name(fonts.license_text());
        let credit = FontCredit {
            family: fonts.family_name(),
            web_family: fonts.web_family_name(),
            licence: licence_name,
            licence_file: embed::licence_path(licence_name),
        };
        let cov = Coverage::of(doc, &generated_texts(doc, Some(&credit), &body));
        Some(embed::embed(&cov)?)
    } else {
        None
    };
    let credit = embedded.as_ref().map(|e| FontCredit {
        family: &e.family,
        web_family: &e.web_family,
        licence: e.licence_name,
        licence_file: &e.licence.1,
    });

    let title_page = xhtml::title_page(meta);
    check_well_formed(TITLE_FILE, &title_page)?;
    let colophon = xhtml::colophon(meta, credit.as_ref());
    check_well_formed(COLOPHON_FILE, &colophon)?;

    let mut toc = vec![TocEntry::new(TITLE_FILE.into(), label::TITLE_PAGE.into(), 1)];
    toc.extend(body.iter().filter_map(|(_, _, entry)| entry.clone()));
    toc.push(TocEntry::new(COLOPHON_FILE.into(), label::COLOPHON.into(), 1));
    let landmarks = [
        Landmark { kind: "titlepage", href: TITLE_FILE, title: label::TITLE_PAGE },
        Landmark { kind: "bodymatter", href: &body[0].0, title: label::START },
    ];
    let nav = nav::nav_document(lang, &toc, &landmarks);

    let mut css = String::with_capacity(STYLE.len() + 512);
    let mut resources: Vec<(String, &[u8], &'static str)> = Vec::new();
    if let Some(e) = &embedded {
        css.push_str(&e.css);
        for (path, data) in &e.files {
            resources.push((path.clone(), data, "font/ttf"));
        }
        resources.push((e.licence.1.clone(), e.licence.0.as_bytes(), "text/plain"));
    }
    css.push_str(STYLE);
    for picture in plan.pictures.values() {
        resources.push((picture.path.clone(), &picture.image.bytes, picture.image.media_type));
    }
    // Ordered by path, so the archive's order does not depend on the manuscript's.
    resources.sort_by(|a, b| a.0.cmp(&b.0));

    package::pack(Contents { meta, title_page, body, colophon, nav, css, resources, a11y: accessibility(doc, &plan) })
}

/// The table-of-contents entry of body file `i`, with its sections under it.
fn toc_entry(doc: &Document, plan: &Plan<'_>, i: usize) -> Option<TocEntry> {
    let file = &plan.files[i];
    let mut blocks = file.blocks;
    let title = match blocks.first() {
        Some(Block::Heading { content, .. }) if file.own_heading => {
            blocks = &blocks[1..];
            heading_text(content)
        }
        _ => heading_text(&[Inline::Text(doc.meta.title.clone())]),
    };
    let mut entry = TocEntry::new(file.name.clone(), title, 0);
    for block in blocks {
        if let Block::Heading { level, content, .. } = block {
            let text = heading_text(content);
            if !text.is_empty() {
                let href = format!("{}#{}", file.name, plan.heading_id(block));
                entry.add(TocEntry::new(href, text, *level));
            }
        }
    }
    (!entry.title.is_empty()).then_some(entry)
}

/// A heading as one line of plain text, for the table of contents.
fn heading_text(content: &[Inline]) -> String {
    clean(&Inline::to_plain(content)).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of the generated pages with the style it is set in, for font subsetting.
fn generated_texts<'a>(
    doc: &'a Document,
    font: Option<&FontCredit<'_>>,
    body: &'a [(String, String, Option<TocEntry>)],
) -> Vec<(std::borrow::Cow<'a, str>, Style)> {
    use std::borrow::Cow::{Borrowed, Owned};
    let meta = &doc.meta;
    let mut texts = vec![
        (Borrowed(meta.title.as_str()), Style::Bold),
        (Borrowed(meta.title.as_str()), Style::Italic),
        (Borrowed(label::CONTENTS), Style::Bold),
        (Borrowed(label::COLOPHON), Style::Bold),
        (Borrowed(label::TITLE_PAGE), Style::Regular),
        (
            Borrowed("Edited by Translated by Illustrated by Introduction by Afterword by Photographs by and, :"),
            Style::Regular,
        ),
        (Borrowed("Published by Date: Identifier: "), Style::Regular),
        (Borrowed(meta.date.as_str()), Style::Regular),
        (Borrowed(meta.identifier.as_str()), Style::Regular),
        (Owned(xhtml::made_line(font)), Style::Regular),
        (Borrowed("\u{2610}\u{2611}"), Style::Regular),
    ];
    for s in [&meta.subtitle, &meta.publisher, &meta.rights].into_iter().flatten() {
        texts.push((Borrowed(s.as_str()), Style::Regular));
    }
    if let Some(subtitle) = &meta.subtitle {
        texts.push((Borrowed(subtitle.as_str()), Style::Italic));
    }
    for creator in &meta.creators {
        texts.push((Borrowed(creator.name.as_str()), Style::Regular));
    }
    // Table-of-contents entries are set upright.
    let mut stack: Vec<&TocEntry> = body.iter().filter_map(|(_, _, e)| e.as_ref()).collect();
    while let Some(entry) = stack.pop() {
        texts.push((Borrowed(entry.title.as_str()), Style::Regular));
        stack.extend(&entry.children);
    }
    texts
}

/// The accessibility metadata, true of this book: what is in it, what helps, and a
/// conformance claim only where the content lets us make it.
fn accessibility(doc: &Document, plan: &Plan<'_>) -> Vec<(&'static str, String)> {
    let pictures = !plan.pictures.is_empty();
    // A picture with neither alt text nor title is shown as decorative; whether it
    // really is, only the author knows, so then no conformance is claimed.
    let mut all_described = true;
    let mut check = |node: Node<'_>| {
        if let Node::Inline(Inline::Image { alt, title, .. }) = node {
            if alt.trim().is_empty() && title.as_deref().is_none_or(|t| t.trim().is_empty()) {
                all_described = false;
            }
        }
    };
    walk(&doc.blocks, &mut check);
    for note in &doc.notes {
        walk(&note.blocks, &mut check);
    }
    let mut a11y: Vec<(&'static str, String)> = vec![("schema:accessMode", "textual".into())];
    if pictures {
        a11y.push(("schema:accessMode", "visual".into()));
    }
    // Text alone suffices unless a picture goes undescribed.
    if all_described {
        a11y.push(("schema:accessModeSufficient", "textual".into()));
    }
    if pictures {
        a11y.push(("schema:accessModeSufficient", "textual,visual".into()));
    }
    for feature in ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability", "ARIA"] {
        a11y.push(("schema:accessibilityFeature", feature.into()));
    }
    if pictures && all_described {
        a11y.push(("schema:accessibilityFeature", "alternativeText".into()));
    }
    a11y.push(("schema:accessibilityHazard", "none".into()));
    let mut summary = String::from(
        "Reflowable text with a table of contents, headings for every section and a logical reading \
         order. Footnotes are linked from the text and back. No colours or sizes are fixed, so the \
         reader's font, size and colour settings apply.",
    );
    if pictures {
        summary.push_str(if all_described {
            " Every picture has a text alternative."
        } else {
            " Some pictures have no text alternative and are presented as decorative."
        });
    }
    a11y.push(("schema:accessibilitySummary", summary));
    if all_described {
        a11y.push(("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA".into()));
    }
    a11y
}
