//! Tests of the whole layout stage: the essay against our typographic targets, page
//! furniture, the outline, links, and documents made to break things.
//!
//! The typographic figures are measured on the frames themselves, the way
//! `typometrics.py` measures a PDF: the inter-word gap of each justified line against the
//! natural space, widows, orphans, hyphens, lines crossing the margin.

use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::config::PdfOptions;
use crate::fonts::Fonts;
use crate::layout::frame::{LinkTarget, TextRun};
use crate::model::{Align as ColumnAlign, Creator, Footnote, Inline, ListItem, Metadata};

fn essay() -> (Document, PdfOptions) {
    let book = crate::Book::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("book")).expect("the essay loads");
    (book.document, book.config.pdf)
}

fn a5() -> PdfOptions {
    PdfOptions {
        width: 148.0 * 72.0 / 25.4,
        height: 210.0 * 72.0 / 25.4,
        paper: "a5".into(),
        font_size: 10.0,
        leading: None,
        margins: None,
    }
}

fn geometry(opts: &PdfOptions) -> Geometry {
    let regular = Fonts::builtin().face(Style::Regular);
    Geometry::new(opts, regular.metrics(), average_char_em(regular)).unwrap()
}

fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

fn para(inl: Vec<Inline>) -> Block {
    Block::Paragraph { content: inl, span: Span::new(0..1) }
}

fn meta() -> Metadata {
    Metadata {
        title: "A Title".into(),
        subtitle: Some("A Subtitle".into()),
        creators: vec![Creator { name: "A. Writer".into(), role: "aut".into() }],
        language: "en".into(),
        publisher: Some("The Press".into()),
        ..Metadata::default()
    }
}

/// A body line as seen on the page: its runs, left to right.
struct SeenLine<'a> {
    y: f32,
    runs: Vec<(f32, &'a TextRun)>,
}

impl SeenLine<'_> {
    fn x0(&self) -> f32 {
        self.runs.first().map_or(0.0, |r| r.0)
    }
    fn x1(&self) -> f32 {
        self.runs.iter().map(|(x, r)| x + r.glyphs.iter().map(|g| g.advance).sum::<f32>()).fold(0.0, f32::max)
    }
    fn text(&self) -> String {
        self.runs.iter().map(|r| r.1.text.as_str()).collect()
    }
}

/// The body-size lines of a page (not furniture, notes, quotes or headings).
fn body_lines(page: &Page, size: f32) -> Vec<SeenLine<'_>> {
    let mut by_y: BTreeMap<i64, SeenLine<'_>> = BTreeMap::new();
    for (p, item) in &page.items {
        if let FrameItem::Text(run) = item {
            if run.artifact {
                continue;
            }
            // Superscripts sit above the baseline: they belong to the line below them.
            let key = (p.y * 10.0).round() as i64;
            let key = by_y.keys().copied().find(|k| (k - key).abs() <= 60 && run.size < size).unwrap_or(key);
            by_y.entry(key).or_insert_with(|| SeenLine { y: p.y, runs: Vec::new() }).runs.push((p.x, run));
        }
    }
    let mut lines: Vec<SeenLine<'_>> = by_y
        .into_values()
        .filter(|l| l.runs.iter().any(|(_, r)| (r.size - size).abs() < 0.01 && r.style == Style::Regular))
        .collect();
    for l in &mut lines {
        l.runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    lines
}

#[derive(Debug, Default)]
struct Figures {
    pages: usize,
    justified: usize,
    median: f32,
    p95: f32,
    loose: usize,
    overfull: usize,
    widows: usize,
    orphans: usize,
    hyphen_run_max: usize,
    hyphen_page_ends: usize,
}

fn figures(doc: &PagedDocument, geom: &Geometry) -> Figures {
    let fonts = Fonts::builtin();
    let space_em = |style: Style| {
        let mut g = Vec::new();
        fonts.face(style).shape(" ", &mut g);
        g[0].x_advance
    };
    let mut f = Figures::default();
    let mut ratios = Vec::new();
    let mut run = 0;
    for (i, page) in doc.pages.iter().enumerate() {
        if !matches!(page.label, PageLabel::Arabic(_)) {
            continue;
        }
        f.pages += 1;
        let left = geom.left(i % 2 == 0);
        let right = left + geom.measure;
        let lines = body_lines(page, geom.size);
        for (k, line) in lines.iter().enumerate() {
            let t = line.text();
            let t = t.trim_end();
            let flush = line.x1() >= right - 0.5;
            let punct = t.ends_with(['.', ',', ';', ':', '!', '?', '’', '”', ')', '-', '–', '—', '…']);
            if line.x1() > right + if punct { 0.45 * geom.leading } else { 2.0 } {
                f.overfull += 1;
            }
            let gaps: Vec<f32> = line
                .runs
                .iter()
                .flat_map(|(_, r)| {
                    r.glyphs
                        .iter()
                        .filter(|g| &r.text[g.range.start as usize..g.range.end as usize] == " ")
                        .map(move |g| g.advance / (space_em(r.style) * r.size))
                })
                .collect();
            if flush && gaps.len() >= 2 {
                f.justified += 1;
                ratios.push(gaps.iter().sum::<f32>() / gaps.len() as f32);
            }
            let hyphen = t.ends_with('-') && t.len() > 1;
            run = if hyphen { run + 1 } else { 0 };
            f.hyphen_run_max = f.hyphen_run_max.max(run);
            if k + 1 == lines.len() && hyphen {
                f.hyphen_page_ends += 1;
            }
        }
        if let (Some(first), Some(last)) = (lines.first(), lines.last()) {
            if first.x1() < right - 12.0 && (first.x0() - left).abs() < 2.0 && f.pages > 1 {
                f.widows += 1;
            }
            if lines.len() > 1 && last.x0() > left + 3.0 && last.x1() >= right - 0.5 {
                f.orphans += 1;
            }
        }
    }
    ratios.sort_by(f32::total_cmp);
    let pct = |p: f32| {
        ratios.get(((p * ratios.len() as f32) as usize).min(ratios.len().saturating_sub(1))).copied().unwrap_or(1.0)
    };
    f.median = pct(0.5);
    f.p95 = pct(0.95);
    f.loose = ratios.iter().filter(|&&r| r > 1.5).count();
    f
}

#[test]
fn the_essay_meets_the_targets() {
    let (doc, opts) = essay();
    let start = std::time::Instant::now();
    let laid = layout(&doc, &opts, Fonts::builtin()).unwrap();
    let took = start.elapsed();
    let again = std::time::Instant::now();
    let _ = layout(&doc, &opts, Fonts::builtin()).unwrap();
    eprintln!("again: {:?}", again.elapsed());
    let geom = geometry(&opts);
    let f = figures(&laid.document, &geom);
    eprintln!("{f:?} in {took:?}; {:.1} characters a line", geom.chars_per_line());
    for w in &laid.warnings {
        eprintln!("warning: {}", w.message);
    }
    assert!(f.pages >= 8 && f.justified > 200, "{f:?}");
    assert_eq!(f.overfull, 0, "{f:?}");
    assert_eq!(f.widows, 0, "{f:?}");
    assert_eq!(f.orphans, 0, "{f:?}");
    assert_eq!(f.loose, 0, "{f:?}");
    assert!(f.hyphen_run_max <= 2, "{f:?}");
    assert_eq!(f.hyphen_page_ends, 0, "no page of the essay ends on a hyphen: {f:?}");
    assert!(f.median <= 1.05, "{f:?}");
    assert!(f.p95 <= 1.35, "{f:?}");
    assert!(laid.warnings.is_empty(), "{:?}", laid.warnings);
}

#[test]
fn the_essay_is_laid_out_the_same_every_time() {
    let (doc, opts) = essay();
    let a = layout(&doc, &opts, Fonts::builtin()).unwrap();
    let b = layout(&doc, &opts, Fonts::builtin()).unwrap();
    assert!(a.document == b.document);
    assert_eq!(dump(&a.document), dump(&b.document));
}

#[test]
fn body_lines_sit_on_the_grid() {
    let (doc, opts) = essay();
    let laid = layout(&doc, &opts, Fonts::builtin()).unwrap();
    let geom = geometry(&opts);
    for page in &laid.document.pages[2..] {
        for line in body_lines(page, geom.size) {
            let k = (line.y - geom.first_baseline()) / geom.leading;
            assert!((k - k.round()).abs() < 1e-3, "{:?} is off the grid at line {k}", line.text());
        }
    }
}

/// The issue "section headings with space above and below": every heading is set off from
/// the line after it as well as from the line before it, and the text after it is back
/// on the grid.
#[test]
fn headings_have_space_above_and_below() {
    let opts = a5();
    let geom = geometry(&opts);
    let words = || para(vec![text("Some words of running text to fill a line or two. "); 6]);
    for level in [1u8, 2, 3, 4] {
        let heading = Block::Heading { level, id: "h".into(), content: vec![text("Heading")], span: Span::new(0..1) };
        let doc = Document { meta: meta(), blocks: vec![words(), heading, words()], notes: vec![] };
        let laid = layout(&doc, &opts, Fonts::builtin()).unwrap();
        let page = &laid.document.pages[2];
        let y_of = |s: &str| {
            page.items.iter().find_map(|(p, i)| match i {
                FrameItem::Text(run) if run.text.starts_with(s) => Some(p.y),
                _ => None,
            })
        };
        let h = y_of("Heading").expect("the heading is on the first body page");
        let lines = body_lines(page, geom.size);
        let before = lines.iter().rev().find(|l| l.y < h).expect("a line before").y;
        let after = lines.iter().find(|l| l.y > h).expect("a line after").y;
        let (above, below) = (h - before, after - h);
        assert!(below >= 1.3 * geom.leading, "level {level}: {below} below");
        assert!(above > below, "level {level}: {above} above, {below} below");
        let k = (after - geom.first_baseline()) / geom.leading;
        assert!((k - k.round()).abs() < 1e-3, "level {level}: the text after is off the grid");
    }
}

#[test]
fn notes_stand_on_the_page_of_their_reference_and_link_both_ways() {
    let (doc, opts) = essay();
    let laid = layout(&doc, &opts, Fonts::builtin()).unwrap();
    let mut anchors: BTreeMap<String, usize> = BTreeMap::new();
    let mut links: Vec<(usize, String)> = Vec::new();
    for (i, page) in laid.document.pages.iter().enumerate() {
        for (_, item) in &page.items {
            match item {
                FrameItem::Anchor(a) => {
                    assert!(anchors.insert(a.clone(), i).is_none(), "anchor {a} twice");
                }
                FrameItem::Link { target: LinkTarget::Anchor(a), .. } => links.push((i, a.clone())),
                _ => {}
            }
        }
    }
    for note in &doc.notes {
        let n = note.number;
        assert_eq!(anchors.get(&format!("fn{n}")), anchors.get(&format!("fnref{n}")), "note {n}");
        assert!(links.iter().any(|(_, a)| *a == format!("fn{n}")));
        assert!(links.iter().any(|(_, a)| *a == format!("fnref{n}")));
    }
    for (_, a) in &links {
        assert!(anchors.contains_key(a), "a link to the missing anchor {a}");
    }
}

#[test]
fn front_matter_and_furniture() {
    let (doc, opts) = essay();
    let laid = layout(&doc, &opts, Fonts::builtin()).unwrap();
    let pages = &laid.document.pages;
    assert_eq!(pages[0].label, PageLabel::Roman(1));
    assert_eq!(pages[1].label, PageLabel::Roman(2));
    assert_eq!(pages[2].label, PageLabel::Arabic(1));
    let artifacts = |p: &Page| -> Vec<String> {
        p.items
            .iter()
            .filter_map(|(_, i)| match i {
                FrameItem::Text(r) if r.artifact => Some(r.text.clone()),
                _ => None,
            })
            .collect()
    };
    assert!(artifacts(&pages[0]).is_empty() && artifacts(&pages[1]).is_empty());
    // The opening page has its folio but no running head.
    assert_eq!(artifacts(&pages[2]), ["1"]);
    // Left-hand pages carry the book's title, right-hand pages the section.
    assert_eq!(artifacts(&pages[3]), [doc.meta.title.clone(), "2".into()]);
    let heads: Vec<String> = pages[4..].iter().step_by(2).map(|p| artifacts(p)[0].clone()).collect();
    assert!(heads.iter().any(|h| h == "Substitutionism"), "{heads:?}");
    let title_text: String = pages[0]
        .items
        .iter()
        .filter_map(|(_, i)| match i {
            FrameItem::Text(r) => Some(r.text.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        title_text.contains("Taking") && title_text.contains("Coming to Terms") && title_text.contains("Left Wind")
    );
}

#[test]
fn the_outline_follows_the_headings() {
    let (doc, opts) = essay();
    let laid = layout(&doc, &opts, Fonts::builtin()).unwrap();
    let outline = &laid.document.outline;
    let titles: Vec<&str> = outline.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles.len(), 6, "{titles:?}");
    assert_eq!(titles[0], "What do I mean by “Stalinism”?");
    assert_eq!(titles[5], "Editor’s note");
    assert_eq!(outline[0].level, 1);
    assert_eq!(outline[1].level, 2);
    assert_eq!(outline[5].level, 1);
    for w in outline.windows(2) {
        assert!((w[0].page, w[0].y) < (w[1].page, w[1].y));
    }
    for e in outline {
        let page = &laid.document.pages[e.page];
        assert!(page.items.iter().any(|(_, i)| matches!(i, FrameItem::Anchor(_))));
    }
}

#[test]
fn runs_spell_their_text() {
    let (doc, opts) = essay();
    let laid = layout(&doc, &opts, Fonts::builtin()).unwrap();
    for page in &laid.document.pages {
        for (_, item) in &page.items {
            let FrameItem::Text(run) = item else { continue };
            let mut covered = vec![false; run.text.len()];
            for g in &run.glyphs {
                assert!(g.range.start <= g.range.end && g.range.end as usize <= run.text.len(), "{run:?}");
                assert!(run.text.is_char_boundary(g.range.start as usize));
                covered[g.range.start as usize..g.range.end as usize].iter_mut().for_each(|c| *c = true);
                assert!(g.id != 0, "a .notdef glyph in {:?}", run.text);
            }
            assert!(covered.iter().all(|&c| c), "{:?} has bytes no glyph stands for", run.text);
            assert!((0.98..=1.02).contains(&run.scale));
        }
    }
}

#[test]
fn the_words_come_out_in_order() {
    let (doc, opts) = essay();
    let laid = layout(&doc, &opts, Fonts::builtin()).unwrap();
    let geom = geometry(&opts);
    // The words of the body paragraphs, in order, against the words on the pages with
    // hyphenated line ends joined.
    let mut want = Vec::new();
    for b in &doc.blocks {
        if let Block::Paragraph { content, .. } = b {
            let mut plain = String::new();
            for i in content {
                if !matches!(i, Inline::NoteRef { .. }) {
                    Inline::plain_text(std::slice::from_ref(i), &mut plain);
                }
            }
            want.extend(plain.split_whitespace().map(str::to_string));
        }
    }
    let mut got = String::new();
    for page in &laid.document.pages[2..] {
        for line in body_lines(page, geom.size) {
            let t: String =
                line.runs.iter().filter(|(_, r)| r.size == geom.size).map(|(_, r)| r.text.as_str()).collect();
            // A line ending in a hyphen joins the next; hyphens are left out of the
            // comparison, since the page cannot say which of them the word had.
            got.push_str(&t);
            if !t.ends_with('-') {
                got.push(' ');
            }
        }
    }
    let got: Vec<String> = got.split_whitespace().map(|w| w.replace('-', "")).collect();
    let want: Vec<String> = want.iter().map(|w| w.replace('-', "")).collect();
    let mut i = 0;
    for w in &got {
        if i < want.len() && *w == want[i] {
            i += 1;
        }
    }
    assert!(i == want.len(), "lost the word {:?} (#{i})", want.get(i));
}

/// A document with every construct of the model, some of them abused.
fn everything() -> Document {
    let long = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(4);
    let url = "https://example.org/a/very/long/path/that/goes/on/and/on/index.html?query=1&other=2";
    let note_para = |s: &str| vec![para(vec![text(s)])];
    let mut blocks = vec![
        Block::Heading { level: 1, id: "top".into(), content: vec![text("The top")], span: Span::new(0..5) },
        para(vec![
            text("Plain, "),
            Inline::Emphasis(vec![text("emphasis "), Inline::Emphasis(vec![text("inside")])]),
            text(", "),
            Inline::Strong(vec![text("strong")]),
            text(", "),
            Inline::Strikethrough(vec![text("struck")]),
            text(", H"),
            Inline::Subscript(vec![text("2")]),
            text("O, x"),
            Inline::Superscript(vec![text("2")]),
            text(", "),
            Inline::Code("let x = 1;".into()),
            Inline::SoftBreak,
            Inline::Link { url: "#top".into(), title: None, content: vec![text("a link home")] },
            text(" and "),
            Inline::Link { url: url.into(), title: None, content: vec![text(url)] },
            Inline::NoteRef { note: NoteId(1), nth: 0, span: Span::new(3..4) },
            Inline::HardBreak,
            text("after a hard break, a missing glyph: 漢 and "),
            text(&long),
            Inline::Image { src: "x.png".into(), alt: "inline".into(), title: None, span: Span::new(9..10) },
            Inline::NoteRef { note: NoteId(1), nth: 1, span: Span::new(5..6) },
        ]),
        Block::Quote {
            blocks: vec![
                para(vec![text("Quoted "); 30]),
                Block::Quote { blocks: vec![para(vec![text("deeper")])], span: Span::new(0..1) },
            ],
            span: Span::new(0..1),
        },
        Block::List {
            start: None,
            tight: true,
            items: vec![
                ListItem { task: None, blocks: vec![para(vec![text("one "); 40])] },
                ListItem { task: Some(true), blocks: vec![para(vec![text("done")])] },
                ListItem { task: Some(false), blocks: vec![] },
            ],
            span: Span::new(0..1),
        },
        Block::List {
            start: Some(9),
            tight: false,
            items: (0..3).map(|_| ListItem { task: None, blocks: vec![para(vec![text("numbered")])] }).collect(),
            span: Span::new(0..1),
        },
        Block::Code {
            lang: None,
            text: format!("fn main() {{\n    println!(\"{}\");\n}}\n", "x".repeat(200)),
            span: Span::new(0..1),
        },
        Block::Rule { span: Span::new(0..1) },
        Block::Table {
            align: vec![ColumnAlign::Left, ColumnAlign::Right],
            head: vec![vec![text("Name")], vec![text("Value")]],
            rows: vec![
                vec![
                    vec![text("a")],
                    vec![text("1")],
                    vec![text("ragged extra cell"), Inline::NoteRef { note: NoteId(3), nth: 0, span: Span::new(0..1) }],
                ],
                vec![vec![text("b")]],
                vec![],
            ],
            span: Span::new(0..1),
        },
        Block::Table { align: vec![], head: vec![], rows: vec![], span: Span::new(0..1) },
        para(vec![Inline::Image {
            src: "y.png".into(),
            alt: "A picture of the sea".into(),
            title: None,
            span: Span::new(0..1),
        }]),
        para(vec![]),
        Block::Heading { level: 6, id: "deep".into(), content: vec![], span: Span::new(0..1) },
    ];
    // Nesting far past any sense.
    let mut nested = para(vec![text("bottom")]);
    for k in 0..60 {
        nested = if k % 2 == 0 {
            Block::Quote { blocks: vec![nested], span: Span::new(0..1) }
        } else {
            Block::List {
                start: None,
                tight: true,
                items: vec![ListItem { task: None, blocks: vec![nested] }],
                span: Span::new(0..1),
            }
        };
    }
    blocks.push(nested);
    let mut deep = text("core");
    for _ in 0..200 {
        deep = Inline::Emphasis(vec![deep]);
    }
    blocks.push(para(vec![deep]));
    let notes = vec![
        Footnote {
            number: NoteId(1),
            label: "a".into(),
            references: 2,
            blocks: vec![
                para(vec![
                    text("A note with a note inside"),
                    Inline::NoteRef { note: NoteId(2), nth: 0, span: Span::new(0..1) },
                ]),
                Block::Code { lang: None, text: "code in a note\n".into(), span: Span::new(0..1) },
            ],
            span: Span::new(0..1),
        },
        Footnote {
            number: NoteId(2),
            label: "b".into(),
            references: 1,
            blocks: note_para("The inner note."),
            span: Span::new(0..1),
        },
        Footnote {
            number: NoteId(3),
            label: "c".into(),
            references: 1,
            blocks: note_para("A note from a table."),
            span: Span::new(0..1),
        },
    ];
    Document { meta: meta(), blocks, notes }
}

#[test]
fn every_construct_is_set_within_the_margins() {
    let doc = everything();
    let opts = a5();
    let laid = layout(&doc, &opts, Fonts::builtin()).unwrap();
    let geom = geometry(&opts);
    let messages: Vec<&str> = laid.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("U+6F22")), "{messages:?}");
    // The word longer than the measure is reported, with its paragraph's span.
    assert!(
        laid.warnings.iter().any(|w| w.message.contains("wider than the measure") && w.span == Span::new(0..1)),
        "{messages:?}"
    );
    for (i, page) in laid.document.pages.iter().enumerate() {
        let left = geom.left(i % 2 == 0);
        for (p, item) in &page.items {
            if let FrameItem::Text(run) = item {
                let end = p.x + run.glyphs.iter().map(|g| g.advance).sum::<f32>();
                let allowed = if run.text.contains("Pneumono") || run.text.contains("xxxxxxxx") {
                    f32::MAX
                } else {
                    left + geom.measure + 0.5 * geom.size
                };
                assert!(end <= allowed, "{:?} ends at {end}", run.text);
                assert!(p.x >= left - geom.size * 3.0, "{:?} starts at {}", run.text, p.x);
            }
        }
    }
    let all = dump(&laid.document);
    if std::env::var_os("PAMPHLET_DUMP").is_some() {
        std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/everything.dump"), &all).unwrap();
    }
    assert!(all.contains("Url(\"https://example.org"), "{all}");
    assert!(all.contains("Anchor(\"top\")"));
    assert!(all.contains("anchor") && all.contains("fnref1-2"));
    assert!(all.contains("\"☑\"") || all.contains("[x]"));
    assert!(all.contains("rule"));
    // The inner note is set (after the note that refers to it).
    assert!(all.contains("The inner note"));
    assert!(all.contains("A note from a table"));
    assert!(!messages.iter().any(|m| m.contains("could not be placed")), "{messages:?}");
}

#[test]
fn an_empty_document_has_its_title_page() {
    let doc = Document { meta: Metadata::default(), blocks: vec![], notes: vec![] };
    let laid = layout(&doc, &a5(), Fonts::builtin()).unwrap();
    assert_eq!(laid.document.pages.len(), 2);
    assert!(laid.document.outline.is_empty());
}

#[test]
fn a_page_too_small_for_the_type_is_an_error() {
    let opts = PdfOptions { width: 100.0, height: 120.0, font_size: 12.0, ..a5() };
    let doc = Document { meta: meta(), blocks: vec![para(vec![text("x")])], notes: vec![] };
    let e = layout(&doc, &opts, Fonts::builtin()).err().expect("an error");
    assert!(e.to_string().contains("too small"), "{e}");
}

#[test]
fn a_long_note_continues_on_the_next_page() {
    let mut blocks = Vec::new();
    for k in 0..40 {
        let mut inl = vec![text("Body text that fills the page with ordinary words. "); 3];
        if k == 20 {
            inl.push(Inline::NoteRef { note: NoteId(1), nth: 0, span: Span::new(0..1) });
        }
        blocks.push(para(inl));
    }
    let note = Footnote {
        number: NoteId(1),
        label: "long".into(),
        references: 1,
        blocks: (0..12).map(|_| para(vec![text("A long note that goes on and on for a good while. "); 6])).collect(),
        span: Span::new(0..1),
    };
    let doc = Document { meta: meta(), blocks, notes: vec![note] };
    let laid = layout(&doc, &a5(), Fonts::builtin()).unwrap();
    let rules: Vec<usize> = laid
        .document
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.items.iter().any(|(_, i)| matches!(i, FrameItem::Rule { .. })))
        .map(|(i, _)| i)
        .collect();
    assert!(rules.len() >= 2, "the note fits one page: {rules:?}");
    assert_eq!(rules[1], rules[0] + 1);
    let on = |a: &str| {
        laid.document.pages.iter().position(|p| p.items.iter().any(|(_, i)| *i == FrameItem::Anchor(a.into())))
    };
    assert_eq!(on("fn1"), on("fnref1"));
}

/// Writes the essay's frames to `target/essay.dump`, for looking at: `cargo test
/// dump_the_essay -- --ignored`.
#[test]
#[ignore]
fn dump_the_essay() {
    let (doc, opts) = essay();
    let laid = layout(&doc, &opts, Fonts::builtin()).unwrap();
    let geom = geometry(&opts);
    let mut s = String::new();
    for (i, page) in laid.document.pages.iter().enumerate().skip(2) {
        let lines = body_lines(page, geom.size);
        let last = lines.last().map_or(0.0, |l| l.y);
        let notes = page.items.iter().any(|(_, i)| matches!(i, FrameItem::Rule { .. }));
        s.push_str(&format!(
            "page {i}: {} body lines, last at grid line {:.2} of {}, notes {notes}\n",
            lines.len(),
            (last - geom.first_baseline()) / geom.leading,
            geom.lines - 1
        ));
    }
    s.push_str(&dump(&laid.document));
    std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/essay.dump"), s).unwrap();
}

/// Lays the essay out 50 times, for profiling: `cargo test --release
/// layout_the_essay_repeatedly -- --ignored`.
#[test]
#[ignore]
fn layout_the_essay_repeatedly() {
    let (doc, opts) = essay();
    let start = std::time::Instant::now();
    for _ in 0..50 {
        let _ = layout(&doc, &opts, Fonts::builtin()).unwrap();
    }
    eprintln!("{:?} a layout", start.elapsed() / 50);
}
