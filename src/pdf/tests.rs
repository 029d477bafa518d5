//! Tests of the PDF writer on hand-built pages set in the real fonts.
//!
//! The documents are small and built here, not by `layout`, so that each test states
//! exactly what it puts on the page. The output is checked two ways: by reading it back
//! with lopdf, and with the tools people will use on it (qpdf, poppler's pdffonts and
//! pdftotext, MuPDF). Those tools must be installed; a missing one fails the test rather
//! than skipping it, so that a green run always means the file was really checked.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use lopdf::{Document, Object, ObjectId};

use super::write;
use crate::fonts::{Fonts, Style};
use crate::layout::frame::{
    FrameItem, Glyph, LinkTarget, OutlineEntry, Page, PageLabel, PagedDocument, Point, TextRun,
};
use crate::model::{Creator, Metadata};

const A5: (f32, f32) = (419.528, 595.276);

/// Shapes `text` in `style` at `size` points; each space gets `extra` more points of
/// advance, as justification would give it.
fn run(style: Style, size: f32, text: &str, extra: f32) -> TextRun {
    let mut shaped = Vec::new();
    Fonts::builtin().face(style).shape(text, &mut shaped);
    let glyphs = shaped
        .iter()
        .enumerate()
        .map(|(i, g)| {
            // A glyph stands for the text from its cluster to the next cluster.
            let end = shaped[i + 1..].iter().map(|n| n.cluster).find(|&c| c > g.cluster).unwrap_or(text.len() as u32);
            let is_space = text.get(g.cluster as usize..end as usize) == Some(" ");
            Glyph {
                id: g.id,
                advance: g.x_advance * size + if is_space { extra } else { 0.0 },
                x_offset: g.x_offset * size,
                y_offset: g.y_offset * size,
                range: g.cluster..end,
            }
        })
        .collect();
    TextRun { style, size, scale: 1.0, text: text.into(), glyphs, artifact: false }
}

fn text(x: f32, y: f32, run: TextRun) -> (Point, FrameItem) {
    (Point { x, y }, FrameItem::Text(run))
}

fn page(label: PageLabel, items: Vec<(Point, FrameItem)>) -> Page {
    Page { width: A5.0, height: A5.1, label, items }
}

fn meta() -> Metadata {
    Metadata {
        title: "Taking Stock, Settling Accounts".into(),
        subtitle: Some("Coming to Terms with Stalinism".into()),
        creators: vec![Creator { name: "A. Writer".into(), role: "aut".into() }],
        language: "en".into(),
        identifier: "urn:uuid:7c8a5d60-813f-4e8b-ac8e-8b801ac8e15f".into(),
        date: "2024-02-29".into(),
        subjects: vec!["Stalinism".into(), "Essays".into()],
        // 2024-02-29T12:00:00Z
        modified: 1_709_208_000,
        ..Metadata::default()
    }
}

/// A small document with every kind of item: text in all four faces (a ligature, a
/// justified line, a scaled line), a running head as an artifact, rules, links in both
/// directions, anchors, five outline entries and front-matter page numbers.
fn sample() -> PagedDocument {
    let r = Style::Regular;
    let mut head = run(Style::Italic, 8.0, "Taking Stock", 0.0);
    head.artifact = true;
    let mut scaled = run(r, 10.0, "Scaled slightly wider", 0.0);
    scaled.scale = 1.02;
    for g in &mut scaled.glyphs {
        g.advance *= 1.02;
    }
    let link_text = run(r, 10.0, "see the notes", 0.0);
    let link_width = link_text.glyphs.iter().map(|g| g.advance).sum();
    let pages = vec![
        page(PageLabel::Roman(1), vec![text(60.0, 200.0, run(Style::Bold, 16.0, "Title page", 0.0))]),
        page(PageLabel::Roman(2), vec![text(60.0, 200.0, run(r, 10.0, "Contents", 0.0))]),
        page(
            PageLabel::Arabic(1),
            vec![
                text(60.0, 40.0, head),
                (Point { x: 60.0, y: 60.0 }, FrameItem::Anchor("chapter-one".into())),
                text(60.0, 80.0, run(Style::Bold, 14.0, "Chapter One", 0.0)),
                text(60.0, 110.0, run(r, 10.0, "The office staff waved off the affair.", 0.0)),
                text(60.0, 124.0, run(r, 10.0, "Justified words stand apart here", 4.5)),
                text(60.0, 138.0, scaled),
                text(60.0, 152.0, run(Style::BoldItalic, 10.0, "Bold italic words", 0.0)),
                (Point { x: 60.0, y: 170.0 }, FrameItem::Rule { width: 100.0, thickness: 0.5 }),
                text(60.0, 190.0, link_text),
                (
                    Point { x: 60.0, y: 182.0 },
                    FrameItem::Link { width: link_width, height: 10.0, target: LinkTarget::Anchor("notes".into()) },
                ),
                (
                    Point { x: 60.0, y: 200.0 },
                    FrameItem::Link {
                        width: 80.0,
                        height: 10.0,
                        target: LinkTarget::Url("https://example.org/a b".into()),
                    },
                ),
                (
                    Point { x: 60.0, y: 220.0 },
                    FrameItem::Link { width: 80.0, height: 10.0, target: LinkTarget::Anchor("nowhere".into()) },
                ),
            ],
        ),
        page(PageLabel::Arabic(2), vec![text(60.0, 80.0, run(r, 10.0, "Section two", 0.0))]),
        page(
            PageLabel::Arabic(3),
            vec![
                (Point { x: 60.0, y: 60.0 }, FrameItem::Anchor("notes".into())),
                text(60.0, 80.0, run(r, 10.0, "Notes", 0.0)),
            ],
        ),
    ];
    let outline = [(1, "Chapter One", 2), (2, "Part A", 2), (3, "Detail", 3), (2, "Part B", 3), (1, "Notes", 4)]
        .into_iter()
        .map(|(level, title, page)| OutlineEntry { level, title: title.into(), page, y: 60.0 })
        .collect();
    PagedDocument { pages, outline }
}

/// A PDF written for the command-line tools, in a directory of its own that is removed
/// (with anything the tools wrote beside it) when the test is done.
struct TempPdf(PathBuf);

impl std::ops::Deref for TempPdf {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempPdf {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Writes `bytes` as `name.pdf` in a fresh directory.
fn temp_pdf(name: &str, bytes: &[u8]) -> TempPdf {
    let dir = std::env::temp_dir().join(format!("pamphlet-pdf-tests-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create test dir");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).expect("write test pdf");
    TempPdf(path)
}

/// Runs a tool; panics (failing the test) if it is missing.
fn tool(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{program}` ({e}); install qpdf, poppler-utils and mupdf-tools"))
}

fn written(doc: &PagedDocument) -> Vec<u8> {
    write(doc, &meta(), Fonts::builtin()).expect("write pdf")
}

fn load(bytes: &[u8]) -> Document {
    Document::load_mem(bytes).expect("lopdf reads the output")
}

fn catalog(doc: &Document) -> &lopdf::Dictionary {
    doc.catalog().expect("catalog")
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    match obj {
        Object::Reference(id) => doc.get_object(*id).expect("dangling reference"),
        other => other,
    }
}

fn dict<'a>(doc: &'a Document, obj: &'a Object) -> &'a lopdf::Dictionary {
    deref(doc, obj).as_dict().expect("a dictionary")
}

fn page_ids(doc: &Document) -> Vec<ObjectId> {
    doc.get_pages().into_values().collect()
}

#[test]
fn output_parses_and_has_the_pages() {
    let bytes = written(&sample());
    assert!(bytes.starts_with(b"%PDF-1.7"));
    let doc = load(&bytes);
    assert_eq!(doc.get_pages().len(), 5);
}

#[test]
fn qpdf_finds_no_errors() {
    let path = temp_pdf("qpdf", &written(&sample()));
    let out = tool("qpdf", &["--check", path.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "qpdf --check failed:\n{report}{}", String::from_utf8_lossy(&out.stderr));
    assert!(report.contains("No syntax or stream encoding errors found"), "{report}");
    assert!(out.stderr.is_empty(), "qpdf warned: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn fonts_are_embedded_subset_with_unicode() {
    let path = temp_pdf("pdffonts", &written(&sample()));
    let out = tool("pdffonts", &[path.to_str().unwrap()]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{table}");
    // name type encoding emb sub uni object ID
    let rows: Vec<&str> = table.lines().skip(2).collect();
    assert_eq!(rows.len(), 4, "one font per face:\n{table}");
    let mut tags = BTreeSet::new();
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(&cols[1..4], ["CID", "TrueType", "Identity-H"], "{row}");
        assert_eq!(&cols[4..7], ["yes", "yes", "yes"], "emb sub uni: {row}");
        let (tag, _) = cols[0].split_once('+').expect("subset tag");
        assert!(tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()), "{tag}");
        tags.insert(tag.to_string());
    }
    assert_eq!(tags.len(), 4, "tags differ between faces");
}

#[test]
fn text_round_trips_through_pdftotext() {
    let path = temp_pdf("pdftotext", &written(&sample()));
    let out = tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let page = text.split('\u{c}').nth(2).expect("third page");
    let words: Vec<&str> = page.split_whitespace().collect();
    let expected = "Taking Stock Chapter One The office staff waved off the affair. \
                    Justified words stand apart here Scaled slightly wider Bold italic words see the notes";
    assert_eq!(words.join(" "), expected);
}

#[test]
fn glyphs_land_where_layout_put_them() {
    // poppler's word boxes start at the pen position of each word's first glyph.
    let line = run(Style::Regular, 10.0, "Justified words stand apart here", 4.5);
    let mut starts = vec![60.0f32];
    let mut x = 60.0;
    for (g, next) in line.glyphs.iter().zip(line.glyphs.iter().skip(1)) {
        x += g.advance;
        if line.text[g.range.start as usize..].starts_with(' ') {
            let _ = next;
            starts.push(x);
        }
    }
    let doc = PagedDocument { pages: vec![page(PageLabel::Arabic(1), vec![text(60.0, 100.0, line)])], outline: vec![] };
    let path = temp_pdf("bbox", &written(&doc));
    let out = tool("pdftotext", &["-bbox", path.to_str().unwrap(), "-"]);
    let html = String::from_utf8_lossy(&out.stdout);
    let found: Vec<f32> = html
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<word xMin=\""))
        .map(|l| l.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(found.len(), starts.len(), "{html}");
    for (f, s) in found.iter().zip(&starts) {
        assert!((f - s).abs() < 0.01, "word at {f}, laid out at {s}");
    }
}

/// The outline item dictionaries in reading order (depth first), with their depth.
fn outline_items(doc: &Document) -> Vec<(usize, &lopdf::Dictionary)> {
    fn walk<'a>(
        doc: &'a Document,
        node: &'a lopdf::Dictionary,
        depth: usize,
        out: &mut Vec<(usize, &'a lopdf::Dictionary)>,
    ) {
        let mut next = node.get(b"First").ok();
        while let Some(item) = next {
            let d = dict(doc, item);
            out.push((depth, d));
            walk(doc, d, depth + 1, out);
            next = d.get(b"Next").ok();
        }
    }
    let root = dict(doc, catalog(doc).get(b"Outlines").expect("outlines"));
    let mut out = Vec::new();
    walk(doc, root, 1, &mut out);
    out
}

#[test]
fn outline_nests_by_level_in_reading_order() {
    let doc = load(&written(&sample()));
    let root = dict(&doc, catalog(&doc).get(b"Outlines").unwrap());
    assert_eq!(root.get(b"Count").unwrap().as_i64().unwrap(), 5);
    let items = outline_items(&doc);
    let got: Vec<(usize, String)> = items
        .iter()
        .map(|(depth, d)| (*depth, String::from_utf8_lossy(d.get(b"Title").unwrap().as_str().unwrap()).into_owned()))
        .collect();
    let want = [(1, "Chapter One"), (2, "Part A"), (3, "Detail"), (2, "Part B"), (1, "Notes")];
    assert_eq!(got, want.map(|(d, t)| (d, t.to_string())));
    // Counts: Chapter One has 3 descendants, Part A 1, leaves none.
    let counts: Vec<Option<i64>> =
        items.iter().map(|(_, d)| d.get(b"Count").ok().map(|c| c.as_i64().unwrap())).collect();
    assert_eq!(counts, [Some(3), Some(1), None, None, None]);
    // Parents, Prev and Last agree with the walk.
    let parent_title = |d: &lopdf::Dictionary| {
        dict(&doc, d.get(b"Parent").unwrap()).get(b"Title").ok().map(|t| t.as_str().unwrap().to_vec())
    };
    assert_eq!(parent_title(items[2].1), Some(b"Part A".to_vec()));
    assert_eq!(parent_title(items[3].1), Some(b"Chapter One".to_vec()));
    assert_eq!(parent_title(items[4].1), None);
    assert!(items[3].1.get(b"Prev").is_ok() && items[1].1.get(b"Prev").is_err());
    let last = dict(&doc, root.get(b"Last").unwrap());
    assert_eq!(last.get(b"Title").unwrap().as_str().unwrap(), b"Notes");
    // Destinations: page and top of the heading.
    let dest = items[2].1.get(b"Dest").unwrap().as_array().unwrap();
    assert_eq!(dest[0].as_reference().unwrap(), page_ids(&doc)[3]);
    assert_eq!(dest[1].as_name().unwrap(), b"XYZ");
    assert!((dest[3].as_float().unwrap() - (A5.1 - 60.0)).abs() < 0.01);
    assert_eq!(catalog(&doc).get(b"PageMode").unwrap().as_name().unwrap(), b"UseOutlines");
}

#[test]
fn page_labels_merge_ranges() {
    let doc = load(&written(&sample()));
    let labels = dict(&doc, catalog(&doc).get(b"PageLabels").unwrap());
    let nums = labels.get(b"Nums").unwrap().as_array().unwrap();
    assert_eq!(nums.len(), 4);
    assert_eq!(nums[0].as_i64().unwrap(), 0);
    assert_eq!(nums[2].as_i64().unwrap(), 2);
    let range = |o: &Object| {
        let d = o.as_dict().unwrap();
        (d.get(b"S").unwrap().as_name().unwrap().to_vec(), d.get(b"St").unwrap().as_i64().unwrap())
    };
    assert_eq!(range(&nums[1]), (b"r".to_vec(), 1));
    assert_eq!(range(&nums[3]), (b"D".to_vec(), 1));
}

#[test]
fn links_resolve_and_have_no_border() {
    let doc = load(&written(&sample()));
    let pages = page_ids(&doc);
    let page = doc.get_dictionary(pages[2]).unwrap();
    let annots = page.get(b"Annots").unwrap().as_array().unwrap();
    // The link to an anchor that does not exist is dropped.
    assert_eq!(annots.len(), 2);
    for a in annots {
        let a = dict(&doc, a);
        assert_eq!(a.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
        let border: Vec<i64> =
            a.get(b"Border").unwrap().as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
        assert_eq!(border, [0, 0, 0]);
    }
    let internal = dict(&doc, annots.iter().next().unwrap()).get(b"A").unwrap().as_dict().unwrap();
    assert_eq!(internal.get(b"S").unwrap().as_name().unwrap(), b"GoTo");
    let name = internal.get(b"D").unwrap().as_str().unwrap();
    assert_eq!(name, b"notes");
    // The name tree holds sorted names; "notes" leads to the last page.
    let names = dict(&doc, catalog(&doc).get(b"Names").unwrap());
    let dests = dict(&doc, names.get(b"Dests").unwrap());
    let list = dests.get(b"Names").unwrap().as_array().unwrap();
    let keys: Vec<&[u8]> = list.iter().step_by(2).map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, [b"chapter-one".as_slice(), b"notes"]);
    let dest = list[3].as_array().unwrap();
    assert_eq!(dest[0].as_reference().unwrap(), pages[4]);

    let external = dict(&doc, &annots[1]).get(b"A").unwrap().as_dict().unwrap();
    assert_eq!(external.get(b"S").unwrap().as_name().unwrap(), b"URI");
    assert_eq!(external.get(b"URI").unwrap().as_str().unwrap(), b"https://example.org/a%20b");
}

#[test]
fn metadata_comes_from_the_book() {
    let doc = load(&written(&sample()));
    let info = dict(&doc, doc.trailer.get(b"Info").unwrap());
    let s = |k: &[u8]| String::from_utf8_lossy(info.get(k).unwrap().as_str().unwrap()).into_owned();
    assert_eq!(s(b"Title"), "Taking Stock, Settling Accounts");
    assert_eq!(s(b"Author"), "A. Writer");
    assert_eq!(s(b"Subject"), "Coming to Terms with Stalinism");
    assert_eq!(s(b"Keywords"), "Stalinism, Essays");
    assert_eq!(s(b"Creator"), "pamphlet");
    assert!(s(b"Producer").starts_with("pamphlet ") && s(b"Producer").ends_with(" (printpdf)"));
    assert_eq!(s(b"CreationDate"), "D:20240229120000Z");
    assert_eq!(s(b"ModDate"), "D:20240229120000Z");
    let cat = catalog(&doc);
    assert_eq!(cat.get(b"Lang").unwrap().as_str().unwrap(), b"en");
    let prefs = dict(&doc, cat.get(b"ViewerPreferences").unwrap());
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
}

#[test]
fn non_ascii_metadata_is_utf16() {
    let mut m = meta();
    m.title = "Über “quotes”".into();
    let bytes = write(&sample(), &m, Fonts::builtin()).unwrap();
    let path = temp_pdf("pdfinfo", &bytes);
    let out = tool("pdfinfo", &[path.to_str().unwrap()]);
    let info = String::from_utf8_lossy(&out.stdout);
    assert!(info.lines().any(|l| l == "Title:           Über “quotes”"), "{info}");
}

#[test]
fn writing_twice_gives_the_same_bytes() {
    let a = written(&sample());
    let b = written(&sample());
    assert!(a == b, "output differs between runs");
    // …and the ID depends on the content.
    let mut other = sample();
    other.pages.pop();
    let c = written(&other);
    let id = |bytes: &[u8]| load(bytes).trailer.get(b"ID").unwrap().as_array().unwrap()[0].as_str().unwrap().to_vec();
    assert_eq!(id(&a).len(), 16);
    assert_ne!(id(&a), id(&c));
}

/// The decoded content stream of page `index`.
fn content(doc: &Document, index: usize) -> String {
    let id = page_ids(doc)[index];
    String::from_utf8_lossy(&doc.get_page_content(id)).into_owned()
}

#[test]
fn scaled_runs_use_horizontal_scaling_and_artifacts_are_marked() {
    let doc = load(&written(&sample()));
    let c = content(&doc, 2);
    assert!(c.contains("102 Tz"), "{c}");
    // Back to normal for the next run.
    let after = c.split("102 Tz").nth(1).unwrap();
    assert!(after.contains("100 Tz"), "{c}");
    assert!(c.starts_with("/Artifact BMC\nBT"), "{c}");
    assert!(c.contains("re\nf"), "rule drawn as a filled rectangle:\n{c}");
}

#[test]
fn mupdf_and_poppler_render_without_warnings() {
    let path = temp_pdf("render", &written(&sample()));
    let p = path.to_str().unwrap();
    let dir = path.parent().unwrap();
    let out = tool("mutool", &["draw", "-q", "-o", dir.join("mu-%d.png").to_str().unwrap(), "-r", "36", p]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Some MuPDF builds say this about themselves for every file.
    let complaints: Vec<&str> = stderr.lines().filter(|l| *l != "warning: ICC support is not available").collect();
    assert!(out.status.success() && complaints.is_empty(), "mutool: {stderr}");
    let out = tool("pdftoppm", &["-r", "36", "-png", p, dir.join("pop").to_str().unwrap()]);
    assert!(out.status.success() && out.stderr.is_empty(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
}

/// The glyph of `c` in the regular face, with its advance at 10 pt.
fn glyph_of(c: char) -> (u16, f32) {
    let mut shaped = Vec::new();
    Fonts::builtin().face(Style::Regular).shape(&c.to_string(), &mut shaped);
    (shaped[0].id, shaped[0].x_advance * 10.0)
}

/// A run built glyph by glyph: each entry is a character to draw and the byte range of
/// `text` it stands for.
fn hand_run(text: &str, glyphs: &[(char, std::ops::Range<u32>)]) -> TextRun {
    let glyphs = glyphs
        .iter()
        .map(|(c, range)| {
            let (id, advance) = glyph_of(*c);
            Glyph { id, advance, x_offset: 0.0, y_offset: 0.0, range: range.clone() }
        })
        .collect();
    TextRun { style: Style::Regular, size: 10.0, scale: 1.0, text: text.into(), glyphs, artifact: false }
}

fn one_page(runs: Vec<TextRun>) -> PagedDocument {
    let items = runs.into_iter().enumerate().map(|(i, r)| text(60.0, 100.0 + 20.0 * i as f32, r)).collect();
    PagedDocument { pages: vec![page(PageLabel::Arabic(1), items)], outline: vec![] }
}

fn pdftotext(doc: &PagedDocument, name: &str) -> String {
    let path = temp_pdf(name, &written(doc));
    let out = tool("pdftotext", &[path.to_str().unwrap(), "-"]);
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn ligatures_map_to_all_their_letters() {
    let office = run(Style::Regular, 10.0, "office", 0.0);
    assert!(office.glyphs.len() < 6, "the font should set a ligature in “office”");
    let doc = load(&written(&one_page(vec![office])));
    // The ToUnicode CMap of the regular face maps one code to "fi" or "ffi".
    let cmap = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .map(|s| String::from_utf8_lossy(&s.decompressed_content().unwrap_or_else(|_| s.content.clone())).into_owned())
        .find(|s| s.contains("beginbfchar"))
        .expect("a ToUnicode CMap");
    assert!(cmap.contains("> <00660069>") || cmap.contains("> <006600660069>"), "{cmap}");
}

#[test]
fn a_separate_accent_gets_actual_text() {
    // "café" with the é drawn as e + combining acute, both standing for bytes 3..5.
    let cafe = hand_run("café", &[('c', 0..1), ('a', 1..2), ('f', 2..3), ('e', 3..5), ('\u{301}', 3..5)]);
    let doc = one_page(vec![cafe]);
    assert_eq!(pdftotext(&doc, "accent").trim(), "café");
    let c = content(&load(&written(&doc)), 0);
    assert!(c.contains("/Span <</ActualText<FEFF00E9>>> BDC"), "{c}");
}

#[test]
fn a_glyph_standing_for_other_text_gets_actual_text() {
    // The same glyph stands for "a" twice and once for "α": the CMap says "a", and the odd
    // one out says what it is with ActualText.
    let runs = vec![hand_run("aa", &[('a', 0..1), ('a', 1..2)]), hand_run("α", &[('a', 0..2)])];
    let words: Vec<String> = pdftotext(&one_page(runs), "conflict").split_whitespace().map(String::from).collect();
    assert_eq!(words, ["aa", "α"]);
}

#[test]
fn text_between_glyphs_is_not_lost() {
    // No glyph for the space: it goes with the "b" before it.
    let run = hand_run("ab c", &[('a', 0..1), ('b', 1..2), ('c', 3..4)]);
    assert_eq!(pdftotext(&one_page(vec![run]), "gap").trim(), "ab c");
}

#[test]
fn offsets_move_glyphs() {
    let mut run = hand_run("x2", &[('x', 0..1), ('2', 1..2)]);
    run.glyphs[1].y_offset = 3.5;
    run.glyphs[1].x_offset = 1.0;
    let c = content(&load(&written(&one_page(vec![run]))), 0);
    // Raised by Ts, pushed right by a negative TJ number (1 pt at 10 pt is 100 units).
    assert!(c.contains("3.5 Ts") && c.contains("-100"), "{c}");
}

#[test]
fn xmp_says_what_the_info_says() {
    let mut m = meta();
    m.rights = Some("© the author & friends".into());
    let bytes = write(&sample(), &m, Fonts::builtin()).unwrap();
    let path = temp_pdf("xmp", &bytes);
    let out = tool("pdfinfo", &["-meta", path.to_str().unwrap()]);
    let xml = String::from_utf8(out.stdout).unwrap();
    for part in [
        "<rdf:li xml:lang=\"x-default\">Taking Stock, Settling Accounts</rdf:li>",
        "<dc:creator><rdf:Seq><rdf:li>A. Writer</rdf:li></rdf:Seq></dc:creator>",
        "<rdf:li xml:lang=\"x-default\">© the author &amp; friends</rdf:li>",
        "<xmp:ModifyDate>2024-02-29T12:00:00Z</xmp:ModifyDate>",
        "<xmpMM:DocumentID>urn:uuid:7c8a5d60-813f-4e8b-ac8e-8b801ac8e15f</xmpMM:DocumentID>",
    ] {
        assert!(xml.contains(part), "{part} missing from\n{xml}");
    }
}

#[test]
fn no_pages_is_an_error_not_a_broken_file() {
    let err = write(&PagedDocument::default(), &meta(), Fonts::builtin()).unwrap_err();
    assert!(err.diagnostics[0].message.contains("no pages"), "{err:?}");
}

#[test]
fn nonsense_positions_and_ranges_still_make_a_valid_file() {
    let mut bad = run(Style::Regular, 10.0, "broken", 0.0);
    bad.glyphs[0].advance = f32::NAN;
    bad.glyphs[1].range = std::ops::Range { start: 40, end: 2 };
    bad.glyphs[2].range = 1..2; // runs backwards
    bad.scale = f32::INFINITY;
    let mut tiny = run(Style::Regular, 0.0, "zero size", 0.0);
    tiny.size = 0.0;
    let doc = PagedDocument {
        pages: vec![Page {
            width: A5.0,
            height: A5.1,
            label: PageLabel::Arabic(0),
            items: vec![
                text(f32::NAN, 100.0, bad),
                text(60.0, 120.0, tiny),
                (Point { x: 10.0, y: f32::INFINITY }, FrameItem::Rule { width: -5.0, thickness: 1.0 }),
            ],
        }],
        outline: vec![OutlineEntry { level: 0, title: "Nowhere".into(), page: 7, y: 0.0 }],
    };
    let path = temp_pdf("nonsense", &written(&doc));
    let out = tool("qpdf", &["--check", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_glyph_the_font_lacks_is_an_error() {
    let mut r = run(Style::Regular, 10.0, "x", 0.0);
    r.glyphs[0].id = u16::MAX;
    let doc = one_page(vec![r]);
    assert!(write(&doc, &meta(), Fonts::builtin()).is_err());
}

/// The essay set roughly as layout will set it: A5, 10 pt justified lines, headings in
/// bold, every fifth paragraph's first sentence in italic, running heads and folios. The
/// line breaking is greedy, which is all a size and speed check needs.
fn essay() -> PagedDocument {
    let source = include_str!("../../book/manuscript.md");
    let face = Fonts::builtin().face(Style::Regular);
    let (left, measure, top, leading, lines_per_page) = (56.0f32, 300.0f32, 70.0f32, 13.0f32, 36);
    let mut lines: Vec<TextRun> = Vec::new();
    let mut outline = Vec::new();
    for (n, para) in source.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        if let Some(title) = para.strip_prefix("## ").or_else(|| para.strip_prefix("# ")) {
            outline.push(OutlineEntry { level: 1, title: title.into(), page: lines.len() / lines_per_page, y: 60.0 });
            lines.push(run(Style::Bold, 12.0, title, 0.0));
            continue;
        }
        let style = if n % 5 == 0 { Style::Italic } else { Style::Regular };
        let words: Vec<&str> = para.split_whitespace().collect();
        let width = |s: &str| {
            let mut g = Vec::new();
            face.shape(s, &mut g);
            g.iter().map(|g| g.x_advance * 10.0).sum::<f32>()
        };
        let mut line = String::new();
        for (i, word) in words.iter().enumerate() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if width(&candidate) > measure && !line.is_empty() {
                let spaces = line.matches(' ').count().max(1) as f32;
                let extra = (measure - width(&line)) / spaces;
                lines.push(run(style, 10.0, &line, extra));
                line = word.to_string();
            } else {
                line = candidate;
            }
            if i + 1 == words.len() {
                lines.push(run(style, 10.0, &line, 0.0));
            }
        }
    }
    let pages = lines
        .chunks(lines_per_page)
        .enumerate()
        .map(|(p, chunk)| {
            let mut head = run(Style::Italic, 8.0, "Taking Stock, Settling Accounts", 0.0);
            head.artifact = true;
            let mut folio = run(Style::Regular, 8.0, &(p + 1).to_string(), 0.0);
            folio.artifact = true;
            let mut items = vec![text(left, 40.0, head), text(left, 580.0, folio)];
            for (i, line) in chunk.iter().enumerate() {
                items.push(text(left, top + i as f32 * leading, line.clone()));
            }
            page(PageLabel::Arabic(p as u32 + 1), items)
        })
        .collect();
    PagedDocument { pages, outline }
}

#[test]
fn the_essay_fits_the_size_budget() {
    let doc = essay();
    let glyphs: usize = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .map(|(_, i)| if let FrameItem::Text(r) = i { r.glyphs.len() } else { 0 })
        .sum();
    // The fastest of a few runs: the machine may be busy with other work.
    let mut elapsed = std::time::Duration::MAX;
    let mut bytes = Vec::new();
    for _ in 0..10 {
        let start = std::time::Instant::now();
        bytes = written(&doc);
        elapsed = elapsed.min(start.elapsed());
    }
    eprintln!("essay: {} pages, {glyphs} glyphs, {} bytes in {elapsed:?}", doc.pages.len(), bytes.len());
    assert!(bytes.len() <= 80 * 1024, "{} bytes", bytes.len());
    let path = temp_pdf("essay", &bytes);
    let out = tool("qpdf", &["--check", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
#[ignore = "profiling aid"]
fn profile_essay() {
    let doc = essay();
    for _ in 0..300 {
        let _ = written(&doc);
    }
}
