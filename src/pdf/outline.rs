//! The document outline (bookmarks): the headings as a tree in a viewer's sidebar.
//!
//! printpdf has bookmarks, but flat and sorted by page and title, which loses both the
//! nesting and the reading order; so the tree is built here with lopdf. Each heading
//! becomes the child of the nearest heading before it with a lower level, so a skipped
//! level (1 then 3) still nests instead of failing. Every item is open: a pamphlet's
//! outline is short enough to show whole.

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId};

use super::content::coord;
use super::metadata::text_string;
use crate::layout::frame::OutlineEntry;

/// Adds the outline for `entries` and returns the id of its root (the catalog's
/// `/Outlines`), or `None` if there is nothing to show. `pages` holds each page's object
/// id and height; entries on pages that do not exist are left out.
pub(super) fn add_outline(doc: &mut Document, entries: &[OutlineEntry], pages: &[(ObjectId, f32)]) -> Option<ObjectId> {
    let entries: Vec<&OutlineEntry> = entries.iter().filter(|e| e.page < pages.len()).collect();
    if entries.is_empty() {
        return None;
    }

    // Parents by level, in reading order; `None` is the root.
    let mut parent = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&top| entries[top].level >= entry.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let mut kids = vec![Vec::new(); entries.len()];
    let mut top = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match *p {
            Some(p) => kids[p].push(i),
            None => top.push(i),
        }
    }
    // Every descendant is visible, since every item is open.
    let mut descendants = vec![0i64; entries.len()];
    for i in (0..entries.len()).rev() {
        if let Some(p) = parent[i] {
            descendants[p] += 1 + descendants[i];
        }
    }

    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| doc.new_object_id()).collect();
    let id_of = |node: Option<usize>| node.map_or(root, |i| ids[i]);

    let link_siblings = |dict: &mut Dictionary, kids: &[usize]| {
        if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
            dict.set("First", ids[first]);
            dict.set("Last", ids[last]);
        }
    };

    for (i, entry) in entries.iter().enumerate() {
        let (page, height) = pages[entry.page];
        let siblings = parent[i].map_or(&top, |p| &kids[p]);
        let at = siblings.iter().position(|&s| s == i).unwrap_or(0);
        let mut dict = dictionary! {
            "Title" => text_string(&entry.title),
            "Parent" => id_of(parent[i]),
            "Dest" => vec![
                page.into(),
                "XYZ".into(),
                Object::Integer(0),
                Object::Real(coord(f64::from(height) - f64::from(entry.y))),
                Object::Null,
            ],
        };
        if at > 0 {
            dict.set("Prev", ids[siblings[at - 1]]);
        }
        if let Some(&next) = siblings.get(at + 1) {
            dict.set("Next", ids[next]);
        }
        link_siblings(&mut dict, &kids[i]);
        if !kids[i].is_empty() {
            dict.set("Count", descendants[i]);
        }
        doc.objects.insert(ids[i], Object::Dictionary(dict));
    }

    let mut outlines = dictionary! { "Type" => "Outlines", "Count" => entries.len() as i64 };
    link_siblings(&mut outlines, &top);
    doc.objects.insert(root, Object::Dictionary(outlines));
    Some(root)
}
