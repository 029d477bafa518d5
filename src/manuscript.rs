//! The manuscript: Markdown source → the document model.
//!
//! This is the only module that knows pulldown-cmark. It runs the parser once with
//! footnotes, smart punctuation, heading attributes, tables, strikethrough and task
//! lists, and folds the event stream into [`Document`] blocks. On the way it
//!
//! - numbers footnotes by first reference and gives each reference its own index, so
//!   several references to one note can each have an anchor;
//! - makes heading ids unique (an explicit `{#id}` or one derived from the text);
//! - keeps raw HTML out of the output: `<br>`, `<sup>` and `<sub>` are mapped to the
//!   model, HTML comments are dropped, anything else is kept as literal text with a
//!   warning;
//! - records problems as diagnostics with byte spans: a reference to a note that does not
//!   exist (pulldown-cmark leaves `[^x]` as literal text), a note never referred to, raw
//!   HTML, a duplicate heading id.
//!
//! Parsing cannot fail: every input yields a document, and the errors say why it must
//! not be built.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diag::{Diagnostic, Source};
use crate::model::{Align, Block, Document, Footnote, Inline, ListItem, Metadata, NoteId, Span};

/// Block quotes and lists nested deeper than this are flattened into their parent: no
/// book needs more, and it keeps the renderers' recursion bounded on hostile input.
pub const MAX_NESTING: usize = 32;

/// The parser options every part of pamphlet uses, so that `check` sees what `build` sees.
fn options() -> Options {
    Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// A parsed manuscript: the document and everything worth telling about it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document (with the metadata given to [`parse`]).
    pub document: Document,
    /// Errors and warnings, each placed in the source.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses `src` into a document carrying `meta`.
pub fn parse(src: &Source, meta: Metadata) -> Parsed {
    let mut builder = Builder::new(src);
    for (event, range) in Parser::new_ext(&src.text, options()).into_offset_iter() {
        builder.event(event, range);
    }
    builder.finish(meta)
}

/// A container of blocks being filled.
enum Open {
    Root,
    Quote { span: Span },
    List { start: Option<u64>, tight: bool, items: Vec<ListItem>, span: Span },
    Item { task: Option<bool> },
    Note { label: String, span: Span },
    Table { align: Vec<Align>, head: Vec<Vec<Inline>>, rows: Vec<Vec<Vec<Inline>>>, in_head: bool, span: Span },
    Row { cells: Vec<Vec<Inline>> },
}

/// An inline container being filled.
#[derive(Clone)]
enum InlineOpen {
    /// A paragraph, heading or table cell; `implicit` for the bare text of a tight list item.
    Root { implicit: bool },
    Emphasis,
    Strong,
    Strike,
    Sup,
    Sub,
    Link { url: String, title: Option<String> },
    Image { src: String, title: Option<String>, span: Span },
}

/// Folds pulldown-cmark events into the model.
struct Builder<'s> {
    src: &'s Source,
    /// Open block containers, each with the blocks gathered so far. Never empty.
    blocks: Vec<(Open, Vec<Block>)>,
    /// Open inline containers with their children; empty between blocks.
    inlines: Vec<(InlineOpen, Vec<Inline>)>,
    /// What the current inline root becomes when it closes.
    leaf: Option<Leaf>,
    /// Nesting depth of quotes and lists, to cap it.
    depth: usize,
    /// Containers not opened because of [`MAX_NESTING`]; their ends are skipped.
    skipped: Vec<TagEnd>,
    code: Option<(Option<String>, String, Span)>,
    /// The lines of an HTML block, gathered to be judged whole.
    html_block: Option<(String, Span)>,
    notes: NoteTable,
    ids: BTreeSet<String>,
    diagnostics: Vec<Diagnostic>,
}

/// The block an inline root turns into.
enum Leaf {
    Paragraph(Span),
    Heading { level: u8, id: Option<String>, span: Span },
    Cell,
}

/// Footnote labels, numbers and definitions.
#[derive(Default)]
struct NoteTable {
    /// Label → number, assigned at first reference.
    numbers: BTreeMap<String, NoteId>,
    /// References seen so far, per label.
    counts: BTreeMap<String, u32>,
    /// The span of each label's first reference.
    first_ref: BTreeMap<String, Span>,
    /// Definitions by label, with their span.
    defined: BTreeMap<String, (Vec<Block>, Span)>,
    /// Labels in the order of their definitions, for messages.
    definition_order: Vec<String>,
}

impl<'s> Builder<'s> {
    fn new(src: &'s Source) -> Self {
        Builder {
            src,
            blocks: vec![(Open::Root, Vec::new())],
            inlines: Vec::new(),
            leaf: None,
            depth: 0,
            skipped: Vec::new(),
            code: None,
            html_block: None,
            notes: NoteTable::default(),
            ids: BTreeSet::new(),
            diagnostics: Vec::new(),
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        let span = Span::new(range.clone());
        match event {
            Event::Start(tag) => self.start(tag, span),
            Event::End(end) => self.end(end),
            Event::Text(text) => {
                if let Some((_, code, _)) = &mut self.code {
                    code.push_str(&text);
                } else {
                    self.check_undefined_refs(range);
                    self.push_text(&text);
                }
            }
            Event::Code(text) => self.push_inline(Inline::Code(text.into_string())),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.push_text(&text),
            Event::Html(html) => match &mut self.html_block {
                Some((block, _)) => block.push_str(&html),
                None => self.html(&html, span),
            },
            Event::InlineHtml(html) => self.html(&html, span),
            Event::FootnoteReference(label) => {
                let label = label.into_string();
                let next = NoteId(self.notes.numbers.len() as u32 + 1);
                let note = *self.notes.numbers.entry(label.clone()).or_insert(next);
                let count = self.notes.counts.entry(label.clone()).or_insert(0);
                let nth = *count;
                *count += 1;
                self.notes.first_ref.entry(label).or_insert(span);
                self.push_inline(Inline::NoteRef { note, nth, span });
            }
            Event::SoftBreak => self.push_inline(Inline::SoftBreak),
            Event::HardBreak => self.push_inline(Inline::HardBreak),
            Event::Rule => {
                self.close_implicit();
                self.push_block(Block::Rule { span });
            }
            Event::TaskListMarker(checked) => {
                if let Some((Open::Item { task }, _)) = self.blocks.last_mut() {
                    *task = Some(checked);
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, span: Span) {
        match tag {
            Tag::Paragraph => self.open_leaf(Leaf::Paragraph(span)),
            Tag::Heading { level, id, .. } => {
                let level = heading_level(level);
                self.open_leaf(Leaf::Heading { level, id: id.map(|s| s.into_string()), span });
            }
            Tag::BlockQuote(_) => self.open_nested(Open::Quote { span }, TagEnd::BlockQuote(None)),
            Tag::List(start) => {
                let end = TagEnd::List(start.is_some());
                self.open_nested(Open::List { start, tight: false, items: Vec::new(), span }, end);
            }
            Tag::Item => {
                self.close_implicit();
                self.blocks.push((Open::Item { task: None }, Vec::new()));
            }
            Tag::FootnoteDefinition(label) => {
                self.close_implicit();
                self.blocks.push((Open::Note { label: label.into_string(), span }, Vec::new()));
            }
            Tag::CodeBlock(kind) => {
                self.close_implicit();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string).filter(|s| !s.is_empty())
                    }
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((lang, String::new(), span));
            }
            Tag::HtmlBlock => {
                self.close_implicit();
                self.html_block = Some((String::new(), span));
            }
            Tag::Table(aligns) => {
                self.close_implicit();
                let align = aligns.iter().map(|a| align(*a)).collect();
                let table = Open::Table { align, head: Vec::new(), rows: Vec::new(), in_head: false, span };
                self.blocks.push((table, Vec::new()));
            }
            Tag::TableHead => {
                if let Some((Open::Table { in_head, .. }, _)) = self.blocks.last_mut() {
                    *in_head = true;
                }
                self.blocks.push((Open::Row { cells: Vec::new() }, Vec::new()));
            }
            Tag::TableRow => self.blocks.push((Open::Row { cells: Vec::new() }, Vec::new())),
            Tag::TableCell => self.open_leaf(Leaf::Cell),
            Tag::Emphasis => self.open_inline(InlineOpen::Emphasis),
            Tag::Strong => self.open_inline(InlineOpen::Strong),
            Tag::Strikethrough => self.open_inline(InlineOpen::Strike),
            Tag::Superscript => self.open_inline(InlineOpen::Sup),
            Tag::Subscript => self.open_inline(InlineOpen::Sub),
            Tag::Link { dest_url, title, .. } => self.open_inline(InlineOpen::Link {
                url: dest_url.into_string(),
                title: non_empty(title.into_string()),
            }),
            Tag::Image { dest_url, title, .. } => self.open_inline(InlineOpen::Image {
                src: dest_url.into_string(),
                title: non_empty(title.into_string()),
                span,
            }),
            // Not enabled in `options()`; kept total so a future option cannot panic.
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, end: TagEnd) {
        if self.skipped.last() == Some(&end) {
            self.skipped.pop();
            return;
        }
        match end {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell => self.close_leaf(),
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image => self.close_inline(),
            TagEnd::CodeBlock => {
                if let Some((lang, text, span)) = self.code.take() {
                    self.push_block(Block::Code { lang, text, span });
                }
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) => {
                self.close_implicit();
                self.depth = self.depth.saturating_sub(1);
                self.close_container();
            }
            TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow => {
                self.close_implicit();
                self.close_container();
            }
            TagEnd::HtmlBlock => {
                if let Some((html, span)) = self.html_block.take() {
                    self.html(&html, span);
                }
            }
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    /// Opens a quote or list unless that would nest too deep; then its content joins
    /// the parent.
    fn open_nested(&mut self, open: Open, end: TagEnd) {
        self.close_implicit();
        if self.depth >= MAX_NESTING {
            self.skipped.push(end);
            if self.skipped.len() == 1 {
                let span = match &open {
                    Open::Quote { span } | Open::List { span, .. } => *span,
                    _ => Span::DETACHED,
                };
                self.diagnostics.push(self.src.warning(
                    span,
                    format!("quotes and lists nested more than {MAX_NESTING} deep are flattened"),
                ));
            }
            return;
        }
        self.depth += 1;
        self.blocks.push((open, Vec::new()));
    }

    /// Closes the innermost block container and hands its product to its parent.
    fn close_container(&mut self) {
        if self.blocks.len() <= 1 {
            return;
        }
        let Some((open, children)) = self.blocks.pop() else { return };
        match open {
            Open::Root => {}
            Open::Quote { span } => self.push_block(Block::Quote { blocks: children, span }),
            Open::List { start, tight, items, span } => {
                self.push_block(Block::List { start, tight, items, span })
            }
            Open::Item { task } => {
                if let Some((Open::List { items, .. }, _)) = self.blocks.last_mut() {
                    items.push(ListItem { task, blocks: children });
                }
            }
            Open::Note { label, span } => {
                if self.notes.defined.contains_key(&label) {
                    self.diagnostics.push(
                        self.src.warning(span, format!("footnote `{label}` is defined twice; the first definition is used")),
                    );
                } else {
                    self.notes.definition_order.push(label.clone());
                    self.notes.defined.insert(label, (children, span));
                }
            }
            Open::Table { align, head, rows, span, .. } => {
                self.push_block(Block::Table { align, head, rows, span })
            }
            Open::Row { cells } => {
                if let Some((Open::Table { head, rows, in_head, .. }, _)) = self.blocks.last_mut() {
                    if *in_head {
                        *head = cells;
                        *in_head = false;
                    } else {
                        rows.push(cells);
                    }
                }
            }
        }
    }

    fn push_block(&mut self, block: Block) {
        if let Some((_, children)) = self.blocks.last_mut() {
            children.push(block);
        }
    }

    fn open_leaf(&mut self, leaf: Leaf) {
        self.close_implicit();
        self.leaf = Some(leaf);
        self.inlines.clear();
        self.inlines.push((InlineOpen::Root { implicit: false }, Vec::new()));
    }

    /// Closes the paragraph, heading or cell being filled, closing any inline element
    /// left open (only raw `<sup>`/`<sub>` can be).
    fn close_leaf(&mut self) {
        while self.inlines.len() > 1 {
            self.close_inline();
        }
        let content = self.inlines.pop().map(|(_, c)| c).unwrap_or_default();
        let leaf = self.leaf.take();
        match leaf {
            Some(Leaf::Paragraph(span)) => self.push_block(Block::Paragraph { content, span }),
            None => {
                // Bare text in a tight list item.
                if let Some((Open::List { tight, .. }, _)) = self.blocks.iter_mut().rev().nth(1) {
                    *tight = true;
                }
                self.push_block(Block::Paragraph { content, span: Span::DETACHED });
            }
            Some(Leaf::Heading { level, id, span }) => {
                let id = self.unique_id(id, &content, span);
                self.push_block(Block::Heading { level, id, content, span });
            }
            Some(Leaf::Cell) => {
                if let Some((Open::Row { cells }, _)) = self.blocks.last_mut() {
                    cells.push(content);
                }
            }
        }
    }

    /// Ends the implicit paragraph of a tight list item before a block starts.
    fn close_implicit(&mut self) {
        if matches!(self.inlines.first(), Some((InlineOpen::Root { implicit: true }, _))) {
            self.close_leaf();
        }
    }

    fn open_inline(&mut self, open: InlineOpen) {
        self.ensure_root();
        self.inlines.push((open, Vec::new()));
    }

    fn close_inline(&mut self) {
        if self.inlines.len() < 2 {
            return;
        }
        let Some((open, children)) = self.inlines.pop() else { return };
        let inline = match open {
            InlineOpen::Root { .. } => return,
            InlineOpen::Emphasis => Inline::Emphasis(children),
            InlineOpen::Strong => Inline::Strong(children),
            InlineOpen::Strike => Inline::Strikethrough(children),
            InlineOpen::Sup => Inline::Superscript(children),
            InlineOpen::Sub => Inline::Subscript(children),
            InlineOpen::Link { url, title } => Inline::Link { url, title, content: children },
            InlineOpen::Image { src, title, span } => {
                Inline::Image { src, alt: Inline::to_plain(&children), title, span }
            }
        };
        self.push_inline(inline);
    }

    /// Inline content outside a paragraph is the bare text of a tight list item.
    fn ensure_root(&mut self) {
        if self.inlines.is_empty() {
            self.leaf = None;
            self.inlines.push((InlineOpen::Root { implicit: true }, Vec::new()));
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        self.ensure_root();
        if let Some((_, children)) = self.inlines.last_mut() {
            children.push(inline);
        }
    }

    fn push_text(&mut self, text: &str) {
        self.ensure_root();
        if let Some((_, children)) = self.inlines.last_mut() {
            // Smart punctuation splits text into many events; one run reads better
            // downstream and shapes in one go.
            if let Some(Inline::Text(last)) = children.last_mut() {
                last.push_str(text);
            } else {
                children.push(Inline::Text(text.to_string()));
            }
        }
    }

    /// Raw HTML: a few harmless elements map to the model, comments vanish, and the rest
    /// is shown as the text it is, so nothing unchecked reaches the XHTML.
    fn html(&mut self, html: &str, span: Span) {
        let tag = html.trim();
        if tag.starts_with("<!--") {
            return;
        }
        let name: String = tag
            .trim_start_matches('<')
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with("</");
        let plain = tag.ends_with('>') && !tag[1..tag.len() - 1].contains(['<', '>']);
        let known_inline = !self.inlines.is_empty() || !tag.contains('\n');
        match (name.as_str(), closing) {
            ("br", false) if plain && known_inline => return self.push_inline(Inline::HardBreak),
            ("sup", false) if plain && is_bare(tag) => return self.open_inline(InlineOpen::Sup),
            ("sub", false) if plain && is_bare(tag) => return self.open_inline(InlineOpen::Sub),
            ("sup", true) | ("sub", true) if plain => {
                let want = if name == "sup" { "sup" } else { "sub" };
                let top_matches = matches!(
                    (self.inlines.last(), want),
                    (Some((InlineOpen::Sup, _)), "sup") | (Some((InlineOpen::Sub, _)), "sub")
                );
                if top_matches {
                    return self.close_inline();
                }
            }
            _ => {}
        }
        self.diagnostics.push(
            self.src
                .warning(span, format!("raw HTML `{}` is kept as literal text", shorten(tag)))
                .with_hint("pamphlet maps only <br>, <sup> and <sub>; write the rest in Markdown"),
        );
        if self.inlines.is_empty() {
            // A block of HTML becomes a paragraph showing it.
            self.open_leaf(Leaf::Paragraph(span));
            self.push_text(html.trim_end());
            self.close_leaf();
        } else {
            self.push_text(html);
        }
    }

    /// GFM footnotes leave a reference to an undefined note as the literal text `[^x]`,
    /// which may arrive split over several text events ('[' and '^x' and ']'). Each '['
    /// the event covers is looked at in the source, so each reference is reported once.
    fn check_undefined_refs(&mut self, range: Range<usize>) {
        let text = &self.src.text;
        let Some(slice) = text.get(range.clone()) else { return };
        for (i, _) in slice.match_indices('[') {
            let start = range.start + i;
            let escaped = text[..start].ends_with('\\');
            let rest = &text[start..];
            let Some(label_end) = rest.strip_prefix("[^").and_then(|r| r.find(']')) else { continue };
            let label = &rest[2..2 + label_end];
            if escaped || label.is_empty() || label.contains(char::is_whitespace) {
                continue;
            }
            self.diagnostics.push(
                self.src
                    .error(Span::new(start..start + label_end + 3), format!("footnote `{label}` is not defined"))
                    .with_hint(format!("add a definition: `[^{label}]: The note's text.`")),
            );
        }
    }

    fn unique_id(&mut self, given: Option<String>, content: &[Inline], span: Span) -> String {
        let base = match given {
            Some(id) if is_xml_id(&id) => id,
            Some(id) => {
                self.diagnostics.push(
                    self.src
                        .warning(span, format!("heading id `{id}` is not a valid identifier; one is derived"))
                        .with_hint("start with a letter and use letters, digits, '-', '_' or '.'"),
                );
                slug_id(&Inline::to_plain(content))
            }
            None => slug_id(&Inline::to_plain(content)),
        };
        let mut id = base.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        if id != base {
            self.diagnostics.push(self.src.warning(span, format!("heading id `{base}` is used twice; this one becomes `{id}`")));
        }
        self.ids.insert(id.clone());
        id
    }

    fn finish(mut self, meta: Metadata) -> Parsed {
        if self.code.is_some() {
            self.end(TagEnd::CodeBlock);
        }
        self.close_implicit();
        while self.blocks.len() > 1 {
            self.close_container();
        }
        let blocks = self.blocks.pop().map(|(_, b)| b).unwrap_or_default();

        let NoteTable { numbers, counts, first_ref, mut defined, definition_order } = self.notes;
        let mut notes: Vec<Option<Footnote>> = vec![None; numbers.len()];
        for (label, number) in &numbers {
            match defined.remove(label) {
                Some((blocks, span)) => {
                    notes[number.index()] = Some(Footnote {
                        number: *number,
                        label: label.clone(),
                        references: counts.get(label).copied().unwrap_or(1),
                        blocks,
                        span,
                    });
                }
                None => {
                    // With GFM footnotes pulldown-cmark only emits references to defined
                    // notes; this guards the model's invariant all the same.
                    let span = first_ref.get(label).copied().unwrap_or(Span::DETACHED);
                    self.diagnostics.push(self.src.error(span, format!("footnote `{label}` is not defined")));
                    notes[number.index()] = Some(Footnote {
                        number: *number,
                        label: label.clone(),
                        references: 1,
                        blocks: Vec::new(),
                        span,
                    });
                }
            }
        }
        for label in definition_order {
            if let Some((_, span)) = defined.get(&label) {
                self.diagnostics.push(
                    self.src
                        .warning(*span, format!("footnote `{label}` is never referred to and is left out"))
                        .with_hint(format!("refer to it with `[^{label}]`, or delete it")),
                );
            }
        }
        self.diagnostics.sort_by_key(|d| d.position);
        Parsed {
            document: Document { meta, blocks, notes: notes.into_iter().flatten().collect() },
            diagnostics: self.diagnostics,
        }
    }
}

/// A piece of the manuscript's text as the reader will see it, for checks that need
/// exact positions (characters the fonts cannot draw, straight quotes).
#[derive(Debug, Clone, PartialEq)]
pub struct TextPiece {
    /// Where the piece stands in the source.
    pub span: Span,
    /// The text after smart punctuation and entity decoding.
    pub text: String,
    /// Whether it is set in italic (emphasis, odd nesting).
    pub italic: bool,
    /// Whether it is set in bold (strong emphasis or a heading).
    pub bold: bool,
    /// Whether it is code, where straight quotes are intended.
    pub code: bool,
}

/// Every piece of visible text in `src`, in order.
pub fn text_pieces(src: &str) -> Vec<TextPiece> {
    let mut out = Vec::new();
    let (mut italic, mut bold, mut code_block, mut heading) = (0u32, 0u32, false, false);
    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        let span = Span::new(range);
        match event {
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) => heading = true,
            Event::End(TagEnd::Heading(_)) => heading = false,
            Event::Start(Tag::CodeBlock(_)) => code_block = true,
            Event::End(TagEnd::CodeBlock) => code_block = false,
            Event::Text(t) => out.push(TextPiece {
                span,
                text: t.into_string(),
                italic: italic % 2 == 1,
                bold: bold > 0 || heading,
                code: code_block,
            }),
            Event::Code(t) => out.push(TextPiece {
                span,
                text: t.into_string(),
                italic: false,
                bold: false,
                code: true,
            }),
            _ => {}
        }
    }
    out
}

/// Finds the source span of the `nth` occurrence of `c` in `piece`, falling back to the
/// piece's start where the source spells the character differently (an entity, say).
pub fn char_span(src: &str, piece: &TextPiece, c: char, nth: usize) -> Span {
    let (start, end) = (piece.span.start as usize, piece.span.end as usize);
    src.get(start..end)
        .and_then(|s| s.match_indices(c).nth(nth))
        .map_or(piece.span, |(i, m)| Span::new(start + i..start + i + m.len()))
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn align(a: Alignment) -> Align {
    match a {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Whether an HTML start tag has no attributes (`<sup>`, not `<sup class=x>`).
fn is_bare(tag: &str) -> bool {
    !tag.contains(char::is_whitespace)
}

fn shorten(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    let mut out: String = line.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Whether `id` can serve as an XML id and a PDF destination name.
fn is_xml_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// An id from a heading's text: lower-case words joined by hyphens, ASCII letters and
/// digits kept, starting with a letter.
fn slug_id(text: &str) -> String {
    let slug = crate::config::slug(text);
    if slug.starts_with(|c: char| c.is_ascii_alphabetic()) && slug != "book" {
        slug
    } else {
        format!("section-{slug}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(md: &str) -> Parsed {
        parse(&Source::new("m.md", md.to_string()), Metadata::default())
    }

    fn blocks(md: &str) -> Vec<Block> {
        let p = parse_str(md);
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        p.document.blocks
    }

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    fn messages(p: &Parsed) -> Vec<String> {
        p.diagnostics.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn paragraphs_with_smart_punctuation() {
        let b = blocks("\"Quoted\" -- and --- it's...\nnext");
        let Block::Paragraph { content, .. } = &b[0] else { panic!("{b:?}") };
        assert_eq!(
            content,
            &vec![text("“Quoted” – and — it’s…"), Inline::SoftBreak, text("next")]
        );
    }

    #[test]
    fn headings_get_unique_ids() {
        let p = parse_str("# One {#intro}\n\n## Two\n\n## Two\n\n### “Why?”\n");
        let ids: Vec<_> = p
            .document
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { id, level, .. } => Some((*level, id.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            ids,
            vec![(1, "intro".into()), (2, "two".into()), (2, "two-2".into()), (3, "why".into())]
        );
        assert!(messages(&p)[0].contains("m.md:5:1: warning: heading id `two` is used twice"));
    }

    #[test]
    fn inline_constructs() {
        let b = blocks("*a* **b** `c` ~~d~~ [e](http://x.org \"t\") ![alt *f*](p.png)  \nz");
        let Block::Paragraph { content, .. } = &b[0] else { panic!() };
        assert_eq!(content[0], Inline::Emphasis(vec![text("a")]));
        assert_eq!(content[2], Inline::Strong(vec![text("b")]));
        assert_eq!(content[4], Inline::Code("c".into()));
        assert_eq!(content[6], Inline::Strikethrough(vec![text("d")]));
        assert_eq!(
            content[8],
            Inline::Link { url: "http://x.org".into(), title: Some("t".into()), content: vec![text("e")] }
        );
        let Inline::Image { src, alt, .. } = &content[10] else { panic!("{content:?}") };
        assert_eq!((src.as_str(), alt.as_str()), ("p.png", "alt f"));
        assert_eq!(content[11], Inline::HardBreak);
    }

    #[test]
    fn lists_nested_tight_and_tasks() {
        let b = blocks("3. one\n4. two\n   - [x] done\n   - [ ] open\n\n- loose\n\n- list\n");
        let Block::List { start, tight, items, .. } = &b[0] else { panic!("{b:?}") };
        assert_eq!((*start, *tight, items.len()), (Some(3), true, 2));
        let Block::List { items: inner, start: None, .. } = &items[1].blocks[1] else { panic!("{items:?}") };
        assert_eq!(inner[0].task, Some(true));
        assert_eq!(inner[1].task, Some(false));
        let Block::List { tight, items, .. } = &b[1] else { panic!() };
        assert!(!tight);
        assert!(matches!(&items[0].blocks[0], Block::Paragraph { .. }));
    }

    #[test]
    fn quotes_nest_and_code_blocks_keep_text() {
        let b = blocks("> a\n>\n> > b\n\n```rust extra\nfn x() {}\n```\n\n    indented\n\n***\n");
        let Block::Quote { blocks: q, .. } = &b[0] else { panic!() };
        assert!(matches!(&q[1], Block::Quote { .. }));
        assert_eq!(b[1], Block::Code { lang: Some("rust".into()), text: "fn x() {}\n".into(), span: b[1].span() });
        assert!(matches!(&b[2], Block::Code { lang: None, text, .. } if text == "indented\n"));
        assert!(matches!(b[3], Block::Rule { .. }));
    }

    #[test]
    fn tables() {
        let b = blocks("| a | b |\n|:--|--:|\n| 1 | *2* |\n| 3 |\n");
        let Block::Table { align, head, rows, .. } = &b[0] else { panic!("{b:?}") };
        assert_eq!(align, &vec![Align::Left, Align::Right]);
        assert_eq!(head, &vec![vec![text("a")], vec![text("b")]]);
        assert_eq!(rows[0][1], vec![Inline::Emphasis(vec![text("2")])]);
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn footnotes_numbered_by_first_reference() {
        let md = "[^b]: Bee.\n\nText[^a] and[^b] and[^a].\n\n[^a]: Ay.\n\n    Second paragraph.\n";
        let p = parse_str(md);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let notes = &p.document.notes;
        assert_eq!(notes.len(), 2);
        assert_eq!((notes[0].label.as_str(), notes[0].number, notes[0].references), ("a", NoteId(1), 2));
        assert_eq!(notes[0].blocks.len(), 2);
        assert_eq!((notes[1].label.as_str(), notes[1].number), ("b", NoteId(2)));
        let Block::Paragraph { content, .. } = &p.document.blocks[0] else { panic!() };
        let refs: Vec<_> = content
            .iter()
            .filter_map(|i| match i {
                Inline::NoteRef { note, nth, .. } => Some((note.0, *nth)),
                _ => None,
            })
            .collect();
        assert_eq!(refs, vec![(1, 0), (2, 0), (1, 1)]);
    }

    #[test]
    fn undefined_and_unused_footnotes() {
        let p = parse_str("Intro.\n\nSee[^missing] here.\n\n[^spare]: Never used.\n");
        let m = messages(&p);
        assert!(p.has_errors());
        assert!(m.iter().any(|m| m.starts_with("m.md:3:4: error: footnote `missing` is not defined")), "{m:?}");
        assert!(m.iter().any(|m| m.starts_with("m.md:5:1: warning: footnote `spare` is never referred to")), "{m:?}");
        assert!(p.document.notes.is_empty());
    }

    #[test]
    fn raw_html_mapped_or_kept_as_text() {
        let p = parse_str("H<sub>2</sub>O x<sup>2</sup> a<br>b <span class=\"x\">s</span> <!-- gone -->\n\n<div>\nblock\n</div>\n");
        let Block::Paragraph { content, .. } = &p.document.blocks[0] else { panic!() };
        assert_eq!(content[1], Inline::Subscript(vec![text("2")]));
        assert_eq!(content[3], Inline::Superscript(vec![text("2")]));
        assert_eq!(content[5], Inline::HardBreak);
        assert!(content.contains(&text("b <span class=\"x\">s</span> ")), "{content:?}");
        let Block::Paragraph { content, .. } = &p.document.blocks[1] else { panic!() };
        assert_eq!(content, &vec![text("<div>\nblock\n</div>")]);
        let m = messages(&p);
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m[0].starts_with("m.md:1:37: warning: raw HTML `<span class=\"x\">`"), "{m:?}");
        assert!(!p.has_errors());
    }

    #[test]
    fn unclosed_sup_is_closed_with_its_paragraph() {
        let b = blocks("a<sup>b\n\nc</sup>");
        assert_eq!(b[0], Block::Paragraph { content: vec![text("a"), Inline::Superscript(vec![text("b")])], span: b[0].span() });
        let Block::Paragraph { content, .. } = &b[1] else { panic!() };
        assert_eq!(content, &vec![text("c</sup>")]);
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let md = format!("{}deep\n", "> ".repeat(MAX_NESTING + 10));
        let p = parse_str(&md);
        let mut depth = 0;
        let mut b = &p.document.blocks;
        while let Some(Block::Quote { blocks, .. }) = b.first() {
            depth += 1;
            b = blocks;
        }
        assert_eq!(depth, MAX_NESTING);
        assert_eq!(p.diagnostics.len(), 1);
    }

    #[test]
    fn hostile_inputs_never_panic() {
        for md in [
            "", "\0", "[^", "[^]", "[^a]:", "[^a]: [^a]", "<sup>", "</sub>", "|a|\n|-|\n", "- [ ]",
            "```", "#", "> - > - > 1.", "[x]: <>", "*[*]*", "<br", "\u{feff}\r\n\r\n",
            "[^a]\n\n[^a]: x[^b]\n\n[^b]: y[^a]",
        ] {
            let _ = parse_str(md);
            let _ = text_pieces(md);
        }
    }

    #[test]
    fn text_pieces_track_style_and_position() {
        let src = "Plain *it **bi*** `\"c\"` \\\"q\n\n# Head\n";
        let pieces = text_pieces(src);
        let it = pieces.iter().find(|p| p.text == "it ").unwrap();
        assert!(it.italic && !it.bold);
        let bi = pieces.iter().find(|p| p.text == "bi").unwrap();
        assert!(bi.italic && bi.bold);
        assert!(pieces.iter().any(|p| p.code && p.text == "\"c\""));
        assert!(pieces.iter().any(|p| p.text == "Head" && p.bold));
        let q = pieces.iter().find(|p| p.text.contains('"') && !p.code).expect("straight quote left");
        let span = char_span(src, q, '"', 0);
        assert_eq!(&src[span.start as usize..span.end as usize], "\"");
    }
}
