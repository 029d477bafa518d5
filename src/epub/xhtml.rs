//! Model → XHTML: the body files, the title page and the colophon.
//!
//! Everything is written into one `String` per file through the escaping helpers of
//! [`markup`](super::markup), so user text can never open a tag. The markup is plain
//! semantic XHTML 5: `<section>`s nested by heading level and labelled by their heading,
//! `<blockquote>`, `<hr/>` for section breaks, lists, tables with `<thead>` and
//! `scope="col"`, `<figure>` for pictures standing alone, and DPUB-ARIA roles beside each
//! `epub:type` (Ace wants both). Footnotes are in `notes.rs`.

use std::collections::BTreeSet;

use crate::model::{Align, Block, Creator, Document, Inline, ListItem, Metadata};

use super::markup::{attr, text};
use super::plan::Plan;
use super::url::{classify, Target};

/// Words the generated pages use. English only for now; see the module's known gaps.
pub(crate) mod label {
    /// The table of contents' heading.
    pub const CONTENTS: &str = "Contents";
    /// The title page's entry in the table of contents and landmarks.
    pub const TITLE_PAGE: &str = "Title Page";
    /// The colophon's heading.
    pub const COLOPHON: &str = "Colophon";
    /// The name of the group of footnotes at the end of a file.
    pub const NOTES: &str = "Notes";
    /// The landmarks navigation's name.
    pub const LANDMARKS: &str = "Landmarks";
    /// The landmark of the start of the text.
    pub const START: &str = "Start of Text";
}

/// Writes the start of an XHTML document up to and including `<body…>`.
pub(crate) fn open_document(out: &mut String, lang: &str, title: &str, body_type: &str) {
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" \
         xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"",
    );
    attr(out, lang);
    out.push_str("\" xml:lang=\"");
    attr(out, lang);
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
    text(out, title);
    out.push_str("</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n<body");
    if !body_type.is_empty() {
        out.push_str(" epub:type=\"");
        out.push_str(body_type);
        out.push('"');
    }
    out.push_str(">\n");
}

/// Writes the end of an XHTML document.
pub(crate) fn close_document(out: &mut String) {
    out.push_str("</body>\n</html>\n");
}

/// The language to declare: the book's, or `und` (undetermined) if it has none.
pub(crate) fn language(meta: &Metadata) -> &str {
    let lang = meta.language.trim();
    if lang.is_empty() {
        "und"
    } else {
        lang
    }
}

/// What is written at the start of the first paragraph of a group of blocks: a task
/// list's box, or a footnote's backlinks.
#[derive(Clone, Copy)]
pub(crate) enum Lead {
    /// Nothing.
    None,
    /// A task-list box, checked or not.
    Task(bool),
    /// The backlinks of footnote `i`.
    Backlinks(usize),
}

/// Renders the body files of one planned document.
pub(crate) struct Renderer<'a> {
    pub(crate) doc: &'a Document,
    pub(crate) plan: &'a Plan<'a>,
    /// The body file being written, for resolving links.
    pub(crate) file: usize,
    /// Note references whose `id` has been written, so a malformed model repeating one
    /// cannot produce a duplicate id.
    written_refs: BTreeSet<(u32, u32)>,
}

impl<'a> Renderer<'a> {
    /// A renderer for `doc` as `plan` lays it out.
    pub(crate) fn new(doc: &'a Document, plan: &'a Plan<'a>) -> Renderer<'a> {
        Renderer { doc, plan, file: 0, written_refs: BTreeSet::new() }
    }

    /// The XHTML of body file `file`.
    pub(crate) fn body_file(&mut self, file: usize) -> String {
        self.file = file;
        let planned = &self.plan.files[file];
        let meta = &self.doc.meta;
        let mut out = String::with_capacity(planned.blocks.len() * 600 + 2048);
        // The document's <title> must not be empty (EPUBCheck, and Ace: document-title).
        let title = match planned.blocks.first() {
            Some(Block::Heading { content, .. }) if planned.own_heading => Inline::to_plain(content),
            _ => String::new(),
        };
        let title = if title.trim().is_empty() { meta.title.clone() } else { title };
        open_document(&mut out, language(meta), &title, "bodymatter");
        // Real chapters get chapter semantics; a book that is one text does not.
        let chapter = if self.plan.files.len() > 1 { " epub:type=\"chapter\" role=\"doc-chapter\"" } else { "" };
        let mut blocks = planned.blocks;
        // Open the file's top section: around its own level-1 heading, or around a
        // heading made of the book's title.
        out.push_str("<section");
        out.push_str(chapter);
        if let (true, Some(first @ Block::Heading { content, .. })) = (planned.own_heading, blocks.first()) {
            let id = self.plan.heading_id(first);
            open_section_rest(&mut out, id, content);
            out.push_str("<h1 id=\"");
            attr(&mut out, id);
            out.push_str("\">");
            self.inlines(&mut out, content);
            out.push_str("</h1>\n");
            blocks = &blocks[1..];
        } else {
            let title = [Inline::Text(meta.title.clone())];
            open_section_rest(&mut out, &self.plan.top_id, &title);
            out.push_str("<h1 id=\"");
            attr(&mut out, &self.plan.top_id);
            out.push_str("\">");
            text(&mut out, &meta.title);
            out.push_str("</h1>\n");
        }
        self.sectioned(&mut out, blocks);
        out.push_str("</section>\n");
        self.notes_section(&mut out, file);
        close_document(&mut out);
        out
    }

    /// Top-level blocks, with a `<section>` opened at each heading and closed before the
    /// next heading of the same or a higher level. The heading element is numbered by
    /// nesting depth, so a skipped level in the manuscript (`#` then `###`) still gives
    /// a gapless outline (`h1` then `h2`).
    fn sectioned(&mut self, out: &mut String, blocks: &[Block]) {
        let mut open: Vec<u8> = Vec::new();
        for block in blocks {
            if let Block::Heading { level, content, .. } = block {
                while open.last().is_some_and(|&l| l >= *level) {
                    open.pop();
                    out.push_str("</section>\n");
                }
                open.push(*level);
                // The file's h1 is depth 1.
                let depth = (open.len() + 1).min(6);
                let id = self.plan.heading_id(block);
                out.push_str("<section");
                open_section_rest(out, id, content);
                self.heading(out, depth, id, content);
            } else {
                self.block(out, block, false, Lead::None);
            }
        }
        for _ in open {
            out.push_str("</section>\n");
        }
    }

    fn heading(&mut self, out: &mut String, depth: usize, id: &str, content: &[Inline]) {
        let digit = char::from(b'0' + depth.clamp(1, 6) as u8);
        out.push_str("<h");
        out.push(digit);
        out.push_str(" id=\"");
        attr(out, id);
        out.push_str("\">");
        self.inlines(out, content);
        out.push_str("</h");
        out.push(digit);
        out.push_str(">\n");
    }

    /// A run of blocks inside a container (quote, list item, footnote). `lead` goes at
    /// the start of the first paragraph, or in a paragraph of its own if the run does
    /// not start with one.
    pub(crate) fn blocks(&mut self, out: &mut String, blocks: &[Block], tight: bool, lead: Lead) {
        let mut lead = lead;
        if !matches!(lead, Lead::None) && !matches!(blocks.first(), Some(Block::Paragraph { .. })) {
            if tight {
                self.lead(out, lead);
            } else {
                out.push_str("<p class=\"lead\">");
                self.lead(out, lead);
                out.push_str("</p>\n");
            }
            lead = Lead::None;
        }
        for (i, block) in blocks.iter().enumerate() {
            // In a tight list item the first paragraph is bare text, as in HTML lists.
            self.block(out, block, tight && i == 0, lead);
            lead = Lead::None;
        }
    }

    fn lead(&mut self, out: &mut String, lead: Lead) {
        match lead {
            Lead::None => {}
            // A character rather than a disabled <input>: it survives every reader's
            // conversion (Kindle drops form controls) and, with a role and a label,
            // screen readers announce its state.
            Lead::Task(true) => {
                out.push_str("<span class=\"box\" role=\"img\" aria-label=\"Done\">\u{2611}\u{FE0E}</span> ")
            }
            Lead::Task(false) => {
                out.push_str("<span class=\"box\" role=\"img\" aria-label=\"Not done\">\u{2610}\u{FE0E}</span> ")
            }
            Lead::Backlinks(i) => self.backlinks(out, i),
        }
    }

    /// One block. `bare` writes a paragraph's content without `<p>` (tight list items);
    /// `lead` is only ever given with a paragraph (see [`Renderer::blocks`]).
    fn block(&mut self, out: &mut String, block: &Block, bare: bool, lead: Lead) {
        match block {
            Block::Heading { level, content, .. } => {
                // A heading inside a quote, list or note: no section, no outline entry.
                let id = self.plan.heading_id(block).to_string();
                self.heading(out, usize::from(*level).clamp(2, 6), &id, content);
            }
            Block::Paragraph { content, .. } => {
                if let (Some(image), Lead::None) = (lone_image(content), lead) {
                    self.figure(out, image);
                } else if bare {
                    self.lead(out, lead);
                    self.inlines(out, content);
                } else {
                    out.push_str("<p>");
                    self.lead(out, lead);
                    self.inlines(out, content);
                    out.push_str("</p>\n");
                }
            }
            Block::Quote { blocks, .. } => {
                out.push_str("<blockquote>\n");
                self.blocks(out, blocks, false, Lead::None);
                out.push_str("</blockquote>\n");
            }
            Block::List { start, tight, items, .. } => self.list(out, *start, *tight, items),
            Block::Code { lang, text: code, .. } => {
                out.push_str("<pre><code");
                if let Some(lang) = lang {
                    let class: String =
                        lang.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+')).collect();
                    if !class.is_empty() {
                        out.push_str(" class=\"language-");
                        out.push_str(&class);
                        out.push('"');
                    }
                }
                out.push('>');
                text(out, code.strip_suffix('\n').unwrap_or(code));
                out.push_str("</code></pre>\n");
            }
            Block::Rule { .. } => out.push_str("<hr/>\n"),
            Block::Table { align, head, rows, .. } => self.table(out, align, head, rows),
        }
    }

    fn list(&mut self, out: &mut String, start: Option<u64>, tight: bool, items: &[ListItem]) {
        match start {
            None => out.push_str("<ul>\n"),
            Some(1) => out.push_str("<ol>\n"),
            Some(n) => {
                out.push_str("<ol start=\"");
                out.push_str(&n.to_string());
                out.push_str("\">\n");
            }
        }
        for item in items {
            match item.task {
                Some(done) => {
                    out.push_str("<li class=\"task\">");
                    self.blocks(out, &item.blocks, tight, Lead::Task(done));
                }
                None => {
                    out.push_str("<li>");
                    self.blocks(out, &item.blocks, tight, Lead::None);
                }
            }
            out.push_str("</li>\n");
        }
        out.push_str(if start.is_some() { "</ol>\n" } else { "</ul>\n" });
    }

    fn table(&mut self, out: &mut String, align: &[Align], head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        // Alignment by class: the `align` attribute is obsolete in HTML 5.
        let class = |i: usize| match align.get(i) {
            Some(Align::Left) => " class=\"al\"",
            Some(Align::Center) => " class=\"ac\"",
            Some(Align::Right) => " class=\"ar\"",
            Some(Align::None) | None => "",
        };
        out.push_str("<table>\n");
        if head.iter().any(|cell| !cell.is_empty()) {
            out.push_str("<thead>\n<tr>");
            for (i, cell) in head.iter().enumerate() {
                // An empty header cell is not a header (axe: empty-table-header).
                let tag = if cell.is_empty() { "td" } else { "th" };
                out.push('<');
                out.push_str(tag);
                if tag == "th" {
                    out.push_str(" scope=\"col\"");
                }
                out.push_str(class(i));
                out.push('>');
                self.inlines(out, cell);
                out.push_str("</");
                out.push_str(tag);
                out.push('>');
            }
            out.push_str("</tr>\n</thead>\n");
        }
        out.push_str("<tbody>\n");
        for row in rows {
            out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                out.push_str("<td");
                out.push_str(class(i));
                out.push('>');
                self.inlines(out, cell);
                out.push_str("</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn figure(&mut self, out: &mut String, image: &Inline) {
        let Inline::Image { title, .. } = image else { return };
        out.push_str("<figure>\n");
        self.image(out, image, false);
        if let Some(caption) = title.as_deref().filter(|t| !t.trim().is_empty()) {
            out.push_str("\n<figcaption>");
            text(out, caption);
            out.push_str("</figcaption>");
        }
        out.push_str("\n</figure>\n");
    }

    /// An `<img>`. The alt text is the manuscript's, else its title; with neither, the
    /// picture is marked decorative (`alt=""`), which is what an empty alt means in HTML.
    fn image(&mut self, out: &mut String, image: &Inline, inline: bool) {
        let Inline::Image { src, alt, title, .. } = image else { return };
        let Some(picture) = self.plan.pictures.get(src.as_str()) else {
            // Planning refuses documents with missing pictures; keep the words anyway.
            text(out, alt);
            return;
        };
        out.push_str("<img");
        if inline {
            out.push_str(" class=\"inline\"");
        }
        out.push_str(" src=\"");
        attr(out, &picture.path);
        out.push_str("\" alt=\"");
        let alt = if alt.trim().is_empty() { title.as_deref().unwrap_or("") } else { alt };
        attr(out, alt.trim());
        out.push('"');
        if picture.image.width > 0 && picture.image.height > 0 {
            out.push_str(&format!(" width=\"{}\" height=\"{}\"", picture.image.width, picture.image.height));
        }
        out.push_str("/>");
    }

    /// Inline content.
    pub(crate) fn inlines(&mut self, out: &mut String, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(out, inline);
        }
    }

    fn inline(&mut self, out: &mut String, inline: &Inline) {
        let wrap = |r: &mut Self, out: &mut String, tag: &str, content: &[Inline]| {
            out.push('<');
            out.push_str(tag);
            out.push('>');
            r.inlines(out, content);
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        };
        match inline {
            Inline::Text(t) => text(out, t),
            Inline::Emphasis(c) => wrap(self, out, "em", c),
            Inline::Strong(c) => wrap(self, out, "strong", c),
            // Struck-out text is no longer accurate rather than an edit: <s>, not <del>.
            Inline::Strikethrough(c) => wrap(self, out, "s", c),
            Inline::Superscript(c) => wrap(self, out, "sup", c),
            Inline::Subscript(c) => wrap(self, out, "sub", c),
            Inline::Code(code) => {
                out.push_str("<code>");
                text(out, code);
                out.push_str("</code>");
            }
            Inline::Link { url, title, content } => self.link(out, url, title.as_deref(), content),
            Inline::Image { .. } => self.image(out, inline, true),
            Inline::NoteRef { note, nth, .. } => self.note_ref(out, note.0, *nth),
            Inline::SoftBreak => out.push('\n'),
            Inline::HardBreak => out.push_str("<br/>\n"),
        }
    }

    fn link(&mut self, out: &mut String, url: &str, title: Option<&str>, content: &[Inline]) {
        let href = match classify(url) {
            Target::External(href) => href,
            Target::Internal(id) => match self.plan.anchors.get(id) {
                Some((file, written)) => self.href_to(*file, written),
                // A link to nothing would be an EPUBCheck error; keep the words.
                None => return self.inlines(out, content),
            },
            Target::Dropped => return self.inlines(out, content),
        };
        out.push_str("<a href=\"");
        attr(out, &href);
        out.push('"');
        if let Some(title) = title.filter(|t| !t.trim().is_empty()) {
            out.push_str(" title=\"");
            attr(out, title);
            out.push('"');
        }
        out.push('>');
        self.inlines(out, content);
        out.push_str("</a>");
    }

    /// A reference to `id` in body file `file`, relative to the file being written.
    pub(crate) fn href_to(&self, file: usize, id: &str) -> String {
        if file == self.file {
            format!("#{id}")
        } else {
            format!("{}#{id}", self.plan.files[file].name)
        }
    }

    /// Records that the reference `(note, nth)` gets its id written now; false if it
    /// already was.
    pub(crate) fn claim_ref(&mut self, note: u32, nth: u32) -> bool {
        self.written_refs.insert((note, nth))
    }
}

/// Ends a `<section` start tag, labelled by its heading `id` unless the heading has no
/// text: an empty label would make `aria-labelledby` a prohibited attribute (axe:
/// aria-prohibited-attr), since a section without a name has no role that allows it.
fn open_section_rest(out: &mut String, id: &str, heading: &[Inline]) {
    if !Inline::to_plain(heading).trim().is_empty() {
        out.push_str(" aria-labelledby=\"");
        attr(out, id);
        out.push('"');
    }
    out.push_str(">\n");
}

/// The image of a paragraph that holds nothing else (breaks and spaces aside).
fn lone_image(content: &[Inline]) -> Option<&Inline> {
    let mut found = None;
    for inline in content {
        match inline {
            Inline::Image { .. } if found.is_none() => found = Some(inline),
            Inline::SoftBreak | Inline::HardBreak => {}
            Inline::Text(t) if t.trim().is_empty() => {}
            _ => return None,
        }
    }
    found
}

/// How a creator is credited: "Edited by", "Translated by"…, or nothing for an author.
fn credit(role: &str) -> &'static str {
    match role {
        "edt" => "Edited by ",
        "trl" => "Translated by ",
        "ill" => "Illustrated by ",
        "aui" => "Introduction by ",
        "aft" => "Afterword by ",
        "pht" => "Photographs by ",
        _ => "",
    }
}

/// Writes the creators as lines of credits into `out`, each in `<p class="…">`.
fn credits(out: &mut String, creators: &[Creator], class: &str) {
    // Group consecutive creators with the same credit: "A and B", "Edited by C".
    let mut i = 0;
    while i < creators.len() {
        let phrase = credit(&creators[i].role);
        let mut j = i + 1;
        while j < creators.len() && credit(&creators[j].role) == phrase {
            j += 1;
        }
        out.push_str("<p class=\"");
        out.push_str(class);
        out.push_str("\">");
        text(out, phrase);
        for (k, creator) in creators[i..j].iter().enumerate() {
            if k > 0 {
                out.push_str(if k + 1 == j - i { " and " } else { ", " });
            }
            text(out, &creator.name);
        }
        out.push_str("</p>\n");
        i = j;
    }
}

/// The title page: title, subtitle, creators and publisher.
pub(crate) fn title_page(meta: &Metadata) -> String {
    let mut out = String::with_capacity(1024);
    open_document(&mut out, language(meta), &meta.title, "frontmatter");
    out.push_str("<section class=\"titlepage\" epub:type=\"titlepage\" aria-labelledby=\"title\">\n<h1 id=\"title\">");
    text(&mut out, &meta.title);
    out.push_str("</h1>\n");
    if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push_str("<p class=\"subtitle\" epub:type=\"subtitle\" role=\"doc-subtitle\">");
        text(&mut out, subtitle);
        out.push_str("</p>\n");
    }
    credits(&mut out, &meta.creators, "creator");
    if let Some(publisher) = meta.publisher.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push_str("<p class=\"publisher\">");
        text(&mut out, publisher);
        out.push_str("</p>\n");
    }
    out.push_str("</section>\n");
    close_document(&mut out);
    out
}

/// What the colophon says about the embedded font, if one is embedded.
pub(crate) struct FontCredit<'a> {
    /// The family's name.
    pub family: &'a str,
    /// The name its embedded subsets carry.
    pub web_family: &'a str,
    /// The licence's name, if it can be told from its text.
    pub licence: Option<&'static str>,
    /// Where the licence's text is in the package.
    pub licence_file: &'a str,
}

/// The colophon: the metadata in full, and how the book was made.
pub(crate) fn colophon(meta: &Metadata, font: Option<&FontCredit<'_>>) -> String {
    let mut out = String::with_capacity(1536);
    open_document(&mut out, language(meta), label::COLOPHON, "backmatter");
    out.push_str(
        "<section class=\"colophon\" epub:type=\"colophon\" role=\"doc-colophon\" aria-labelledby=\"colophon\">\n\
         <h1 id=\"colophon\">",
    );
    text(&mut out, label::COLOPHON);
    out.push_str("</h1>\n<p><cite>");
    text(&mut out, &meta.title);
    if let Some(subtitle) = meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        out.push_str(": ");
        text(&mut out, subtitle);
    }
    out.push_str("</cite></p>\n");
    credits(&mut out, &meta.creators, "creator");
    let mut line = |label: &str, value: Option<&str>| {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            out.push_str("<p>");
            text(&mut out, label);
            text(&mut out, value);
            out.push_str("</p>\n");
        }
    };
    line("Published by ", meta.publisher.as_deref());
    line("Date: ", Some(meta.date.as_str()));
    line("", meta.rights.as_deref());
    line("Identifier: ", Some(meta.identifier.as_str()));
    out.push_str("<p class=\"made\">");
    text(&mut out, &made_line(font));
    out.push_str("</p>\n</section>\n");
    close_document(&mut out);
    out
}

/// The colophon's last line: how the book was made and, if a font is embedded, which one
/// and under what licence. (Its characters must be in the embedded font too.)
pub(crate) fn made_line(font: Option<&FontCredit<'_>>) -> String {
    let mut line = String::from("Made with pamphlet.");
    if let Some(font) = font {
        line.push_str(" Set in ");
        line.push_str(font.family);
        line.push_str(", embedded as a subset named ");
        line.push_str(font.web_family);
        match font.licence {
            Some(licence) => {
                line.push_str(" under the ");
                line.push_str(licence);
            }
            None => line.push_str(" under its licence"),
        }
        line.push_str(", whose text is in the file ");
        line.push_str(font.licence_file);
        line.push('.');
    }
    line
}
