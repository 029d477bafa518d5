//! Planning: which XHTML file each part of the book goes into, and the ids and paths the
//! renderer needs before it writes a single tag.
//!
//! The body is split before every top-level `#` heading, so a book of chapters gets one
//! file per chapter (readers start each file on a new page and load it faster) while an
//! essay whose sections are `##` stays in one file. Each footnote goes to the end of the
//! file of its first reference (see `notes.rs` for why). Heading ids are made unique and
//! safe as XML ids here, once, so that section anchors, internal links, the table of
//! contents and the NCX all agree.

use std::collections::{BTreeMap, BTreeSet};

use crate::assets::{Image, Images};
use crate::diag::{Diagnostic, Result};
use crate::model::{Block, Document, Inline};

/// One XHTML file of the body.
#[derive(Debug)]
pub(crate) struct BodyFile<'d> {
    /// File name inside the package, such as `text.xhtml`.
    pub name: String,
    /// The top-level blocks it holds.
    pub blocks: &'d [Block],
    /// Whether it opens with a level-1 heading of its own; if not, the book's title is
    /// set as its heading so that every file has a proper outline.
    pub own_heading: bool,
    /// The footnotes placed at its end, by index into `Document::notes`, ascending.
    pub notes: Vec<usize>,
}

/// A picture as packed: where it goes in the package and its data.
#[derive(Debug)]
pub(crate) struct Picture<'d> {
    /// Path inside the package, such as `images/1.png`.
    pub path: String,
    /// The loaded file.
    pub image: &'d Image,
}

/// Everything decided before rendering.
#[derive(Debug)]
pub(crate) struct Plan<'d> {
    /// The body files, in reading order (never empty).
    pub files: Vec<BodyFile<'d>>,
    /// For each manuscript id a heading carries: its file and its id as written.
    pub anchors: BTreeMap<&'d str, (usize, String)>,
    /// The id written for each heading, keyed by the heading's address in the document.
    heading_ids: BTreeMap<usize, String>,
    /// The id of the generated title heading of files without one of their own.
    pub top_id: String,
    /// For each footnote, the file that holds it.
    pub note_file: Vec<usize>,
    /// For each footnote, the references to it (their `nth` and the file they are in),
    /// in order of appearance.
    pub note_refs: Vec<Vec<(u32, usize)>>,
    /// The pictures, by manuscript `src`.
    pub pictures: BTreeMap<&'d str, Picture<'d>>,
}

/// A node met while walking the document.
pub(crate) enum Node<'d> {
    /// A block, before its children.
    Block(&'d Block),
    /// An inline, before its children.
    Inline(&'d Inline),
}

/// Calls `f` on every block and inline of `blocks`, depth first, in reading order.
pub(crate) fn walk<'d>(blocks: &'d [Block], f: &mut dyn FnMut(Node<'d>)) {
    for block in blocks {
        f(Node::Block(block));
        match block {
            Block::Heading { content, .. } | Block::Paragraph { content, .. } => walk_inlines(content, f),
            Block::Quote { blocks, .. } => walk(blocks, f),
            Block::List { items, .. } => items.iter().for_each(|item| walk(&item.blocks, f)),
            Block::Table { head, rows, .. } => {
                head.iter().chain(rows.iter().flatten()).for_each(|cell| walk_inlines(cell, f));
            }
            Block::Code { .. } | Block::Rule { .. } => {}
        }
    }
}

fn walk_inlines<'d>(inlines: &'d [Inline], f: &mut dyn FnMut(Node<'d>)) {
    for inline in inlines {
        f(Node::Inline(inline));
        walk_inlines(inline.children(), f);
    }
}

impl<'d> Plan<'d> {
    /// Plans `doc`. Fails if a picture the text shows was not loaded.
    pub(crate) fn new(doc: &'d Document, images: &'d Images) -> Result<Plan<'d>> {
        let files = split(&doc.blocks);
        let mut plan = Plan {
            files,
            anchors: BTreeMap::new(),
            heading_ids: BTreeMap::new(),
            top_id: String::new(),
            note_file: vec![usize::MAX; doc.notes.len()],
            note_refs: vec![Vec::new(); doc.notes.len()],
            pictures: BTreeMap::new(),
        };
        plan.place_notes(doc);
        plan.assign_ids(doc);
        plan.collect_pictures(doc, images)?;
        Ok(plan)
    }

    /// The id written for `heading`, which must be a heading of the planned document.
    pub(crate) fn heading_id(&self, heading: &Block) -> &str {
        self.heading_ids.get(&(heading as *const Block as usize)).map_or("", String::as_str)
    }

    /// Puts each note in the file of its first reference, following references made from
    /// inside other notes; notes nothing refers to go to the last file.
    fn place_notes(&mut self, doc: &'d Document) {
        let notes = &doc.notes;
        let last = self.files.len() - 1;
        for file in 0..=last {
            let mut pending: Vec<usize> = Vec::new();
            let blocks = self.files[file].blocks;
            walk(blocks, &mut |node| self.record_ref(node, file, &mut pending));
            // Notes referred to from notes of this file also belong here.
            while let Some(i) = pending.pop() {
                walk(&notes[i].blocks, &mut |node| self.record_ref(node, file, &mut pending));
            }
        }
        for (i, file) in self.note_file.iter_mut().enumerate() {
            if *file == usize::MAX {
                *file = last;
            }
            self.files[*file].notes.push(i);
        }
    }

    /// Notes a reference met in `file`: its `nth`, and the note's home if it has none yet
    /// (then the note is queued in `pending`, to look for references inside it).
    fn record_ref(&mut self, node: Node<'_>, file: usize, pending: &mut Vec<usize>) {
        let Node::Inline(Inline::NoteRef { note, nth, .. }) = node else { return };
        let i = note.index();
        if note.0 == 0 || i >= self.note_file.len() {
            return;
        }
        if !self.note_refs[i].iter().any(|&(n, _)| n == *nth) {
            self.note_refs[i].push((*nth, file));
        }
        if self.note_file[i] == usize::MAX {
            self.note_file[i] = file;
            pending.push(i);
        }
    }

    /// Gives every heading an id that is a valid XML id and unique in the book, keeping
    /// the manuscript's id wherever it already is one.
    fn assign_ids(&mut self, doc: &'d Document) {
        let mut used: BTreeSet<String> = BTreeSet::new();
        self.top_id = unique("top", &mut used);
        for file in 0..self.files.len() {
            let mut headings: Vec<&'d Block> = Vec::new();
            let mut collect = |node: Node<'d>| {
                if let Node::Block(b @ Block::Heading { .. }) = node {
                    headings.push(b);
                }
            };
            walk(self.files[file].blocks, &mut collect);
            for &i in &self.files[file].notes {
                walk(&doc.notes[i].blocks, &mut collect);
            }
            for heading in headings {
                let Block::Heading { id, .. } = heading else { continue };
                let written = unique(&xml_id(id), &mut used);
                self.anchors.entry(id.as_str()).or_insert_with(|| (file, written.clone()));
                self.heading_ids.insert(heading as *const Block as usize, written);
            }
        }
    }

    /// Numbers the pictures in order of first appearance and checks each was loaded.
    fn collect_pictures(&mut self, doc: &'d Document, images: &'d Images) -> Result<()> {
        let mut missing: Vec<Diagnostic> = Vec::new();
        let mut visit = |node: Node<'d>, pictures: &mut BTreeMap<&'d str, Picture<'d>>| {
            let Node::Inline(Inline::Image { src, .. }) = node else { return };
            if pictures.contains_key(src.as_str()) {
                return;
            }
            match images.get(src) {
                Some(image) => {
                    let ext = if image.media_type == "image/png" { "png" } else { "jpg" };
                    let path = format!("images/{}.{ext}", pictures.len() + 1);
                    pictures.insert(src, Picture { path, image });
                }
                None if !missing.iter().any(|d| d.message.contains(&format!("`{src}`"))) => {
                    missing.push(
                        Diagnostic::error(format!("the picture `{src}` was not loaded, so the EPUB cannot show it"))
                            .with_hint("check that the file exists beside the manuscript and is a PNG or JPEG"),
                    );
                }
                None => {}
            }
        };
        for file in &self.files {
            walk(file.blocks, &mut |n| visit(n, &mut self.pictures));
        }
        for note in &doc.notes {
            walk(&note.blocks, &mut |n| visit(n, &mut self.pictures));
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(missing.into())
        }
    }
}

/// Splits the top-level blocks before each level-1 heading.
fn split(blocks: &[Block]) -> Vec<BodyFile<'_>> {
    let is_h1 = |b: &Block| matches!(b, Block::Heading { level: 1, .. });
    let mut starts: Vec<usize> = blocks.iter().enumerate().filter(|(_, b)| is_h1(b)).map(|(i, _)| i).collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    let count = starts.len();
    starts
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(blocks.len());
            let slice = &blocks[start..end];
            let name = if count == 1 { "text.xhtml".to_string() } else { format!("text-{}.xhtml", k + 1) };
            BodyFile { name, blocks: slice, own_heading: slice.first().is_some_and(is_h1), notes: Vec::new() }
        })
        .collect()
}

/// `id` as a valid XML id: characters outside `[A-Za-z0-9._-]` become `-`, and an id
/// that does not start with a letter or `_` gets an `s-` prefix. Ids that look like the
/// generated footnote anchors are prefixed too, so they cannot collide with them.
pub(crate) fn xml_id(id: &str) -> String {
    let mut out: String = id
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' })
        .collect();
    let footnote_like = ["fn", "fnref"]
        .iter()
        .any(|p| out.strip_prefix(p).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit())));
    if out.is_empty() || !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') || footnote_like {
        out.insert_str(0, "s-");
    }
    out
}

/// `base`, or `base-2`, `base-3`… whichever is not yet in `used`; records the result.
fn unique(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}
