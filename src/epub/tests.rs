//! Unit tests of the EPUB renderer: escaping, links, each construct's XHTML, sections,
//! footnotes, the package's repairs of epub-builder's output, reproducibility, and
//! documents built to break things. `validate_with_epubcheck_and_ace` (ignored: it needs
//! Java and Chromium) runs the real validators on books using every construct.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

use super::markup::{self, check_well_formed};
use super::package::{apply, meta_v3, ncx_fixes, opf_fixes};
use super::plan::{xml_id, Plan};
use super::url::{classify, Target};
use super::xhtml::Renderer;
use super::*;
use crate::assets::{Image, Images};
use crate::model::{Align, Creator, Footnote, ListItem, Metadata, NoteId, Span};

// ---------------------------------------------------------------------------------------
// Building documents.

fn t(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

fn p(content: Vec<Inline>) -> Block {
    Block::Paragraph { content, span: Span::DETACHED }
}

fn h(level: u8, id: &str, text: &str) -> Block {
    Block::Heading { level, id: id.to_string(), content: vec![t(text)], span: Span::DETACHED }
}

fn note_ref(note: u32, nth: u32) -> Inline {
    Inline::NoteRef { note: NoteId(note), nth, span: Span::DETACHED }
}

fn note(number: u32, blocks: Vec<Block>, references: u32) -> Footnote {
    Footnote { number: NoteId(number), label: format!("n{number}"), references, blocks, span: Span::DETACHED }
}

fn item(blocks: Vec<Block>) -> ListItem {
    ListItem { task: None, blocks }
}

fn image(src: &str, alt: &str, title: Option<&str>) -> Inline {
    Inline::Image { src: src.into(), alt: alt.into(), title: title.map(String::from), span: Span::DETACHED }
}

fn meta(title: &str) -> Metadata {
    Metadata {
        title: title.to_string(),
        subtitle: Some("A Subtitle".into()),
        creators: vec![
            Creator { name: "Ann Author".into(), role: "aut".into() },
            Creator { name: "Ed Itor".into(), role: "edt".into() },
        ],
        language: "en".into(),
        identifier: "urn:uuid:3f1f0f7e-0000-4000-8000-000000000001".into(),
        date: "2024-05-01".into(),
        publisher: Some("Left & Right Press".into()),
        rights: Some("© 2024 the author. Some rights <reserved>.".into()),
        description: Some("A test of every construct & more.".into()),
        subjects: vec!["Testing".into(), "Books & pamphlets".into()],
        modified: 1_714_521_600,
    }
}

/// A 2 × 2 red PNG.
fn png() -> Image {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(2, 2, image::Rgb([200, 30, 30]))
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    Image { src: "red.png".into(), bytes, media_type: "image/png", width: 2, height: 2 }
}

fn images() -> Images {
    let mut images = Images::new();
    images.insert("red.png".into(), png());
    images
}

/// A document using every construct of the model.
fn everything(title: &str) -> Document {
    let blocks = vec![
        p(vec![
            t("Plain, "),
            Inline::Emphasis(vec![t("emphasis with "), Inline::Emphasis(vec![t("inner")])]),
            t(", "),
            Inline::Strong(vec![t("strong "), Inline::Emphasis(vec![t("strong-em")])]),
            t(", "),
            Inline::Code("a < b && c".into()),
            t(", "),
            Inline::Strikethrough(vec![t("struck")]),
            t(", H"),
            Inline::Subscript(vec![t("2")]),
            t("O, E = mc"),
            Inline::Superscript(vec![t("2")]),
            t(" and a note."),
            note_ref(1, 0),
            Inline::SoftBreak,
            t("A "),
            Inline::Link {
                url: "https://example.org/a b?x=\"1\"&y=2#frag".into(),
                title: Some("Example & co".into()),
                content: vec![t("link")],
            },
            t(", a link "),
            Inline::Link { url: "#second".into(), title: None, content: vec![t("to a section")] },
            t(" and a break:"),
            Inline::HardBreak,
            t("after the break."),
        ]),
        p(vec![t("A second paragraph, indented.")]),
        h(2, "first", "First section"),
        p(vec![t("Text with the second note."), note_ref(2, 0)]),
        Block::Quote {
            blocks: vec![
                p(vec![t("A quotation.")]),
                Block::Quote { blocks: vec![p(vec![t("A quotation in a quotation.")])], span: Span::DETACHED },
            ],
            span: Span::DETACHED,
        },
        Block::List {
            start: None,
            tight: true,
            items: vec![
                item(vec![p(vec![t("Bullet one")])]),
                item(vec![
                    p(vec![t("Bullet two, with a list:")]),
                    Block::List {
                        start: Some(3),
                        tight: true,
                        items: vec![item(vec![p(vec![t("third")])]), item(vec![p(vec![t("fourth")])])],
                        span: Span::DETACHED,
                    },
                ]),
            ],
            span: Span::DETACHED,
        },
        Block::List {
            start: None,
            tight: true,
            items: vec![
                ListItem { task: Some(true), blocks: vec![p(vec![t("Done task")])] },
                ListItem { task: Some(false), blocks: vec![p(vec![t("Open task")])] },
            ],
            span: Span::DETACHED,
        },
        Block::List {
            start: Some(1),
            tight: false,
            items: vec![item(vec![p(vec![t("Loose one")]), p(vec![t("Second paragraph")])])],
            span: Span::DETACHED,
        },
        h(3, "sub", "A subsection"),
        Block::Code {
            lang: Some("rust".into()),
            text: "fn main() {\n    if a < b && c > d {}\n}\n".into(),
            span: Span::DETACHED,
        },
        Block::Rule { span: Span::DETACHED },
        p(vec![t("After the break, the first note again."), note_ref(1, 1)]),
        Block::Table {
            align: vec![Align::Left, Align::Center, Align::Right, Align::None],
            head: vec![vec![t("Left")], vec![t("Centre")], vec![t("Right")], vec![t("None")]],
            rows: vec![
                vec![vec![t("a")], vec![t("b")], vec![t("1.5")], vec![Inline::Emphasis(vec![t("d")])]],
                vec![vec![t("e")], vec![t("f")], vec![t("20")], vec![t("h")]],
            ],
            span: Span::DETACHED,
        },
        p(vec![image("red.png", "A red square", Some("Figure 1: red"))]),
        p(vec![t("An inline picture "), image("red.png", "", None), t(" in text.")]),
        h(2, "second", "Second section"),
        p(vec![
            Inline::Link { url: "javascript:alert(1)".into(), title: None, content: vec![t("not a link")] },
            t(", "),
            Inline::Link { url: "other.html".into(), title: None, content: vec![t("relative")] },
            t(", "),
            Inline::Link { url: "#nowhere".into(), title: None, content: vec![t("dangling")] },
            t(", a third reference to note one"),
            note_ref(1, 2),
            t(" and one to a missing note"),
            note_ref(9, 0),
            t("."),
        ]),
        h(6, "deep", "Deep heading"),
        p(vec![t("Under a level-6 heading.")]),
    ];
    let notes = vec![
        note(1, vec![p(vec![t("The first note, with "), Inline::Emphasis(vec![t("emphasis")]), t(".")])], 3),
        note(
            2,
            vec![
                p(vec![t("The second note has several paragraphs.")]),
                p(vec![t("This is the "), Inline::Strong(vec![t("second")]), t(".")]),
                Block::List {
                    start: None,
                    tight: true,
                    items: vec![item(vec![p(vec![t("and a list")])])],
                    span: Span::DETACHED,
                },
            ],
            1,
        ),
    ];
    Document { meta: meta(title), blocks, notes }
}

fn no_fonts() -> EpubOptions {
    EpubOptions { embed_fonts: false }
}

/// The entries of an EPUB, by name, as text where they are text.
fn unzip(epub: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(epub)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        files.insert(f.name().to_string(), data);
    }
    files
}

fn text_of(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(files[name].clone()).unwrap()
}

fn body_xhtml(doc: &Document) -> String {
    let images = images();
    let plan = Plan::new(doc, &images).unwrap();
    let mut r = Renderer::new(doc, &plan);
    let x = r.body_file(0);
    check_well_formed("test", &x).unwrap();
    x
}

// ---------------------------------------------------------------------------------------
// Escaping and URLs.

#[test]
fn text_and_attributes_are_escaped() {
    let mut s = String::new();
    markup::text(&mut s, "a < b && \"c\" > d");
    assert_eq!(s, "a &lt; b &amp;&amp; \"c\" &gt; d");
    let mut s = String::new();
    markup::attr(&mut s, "say \"hi\" & <bye>");
    assert_eq!(s, "say &quot;hi&quot; &amp; &lt;bye&gt;");
}

#[test]
fn characters_xml_cannot_carry_are_dropped() {
    let mut s = String::new();
    markup::text(&mut s, "a\u{0}b\u{1b}c\u{85}d\u{FFFF}e\tf\ng é 😀");
    assert_eq!(s, "abcde\tf\ng é 😀");
}

#[test]
fn link_destinations() {
    assert_eq!(classify("#sec"), Target::Internal("sec"));
    assert_eq!(classify("#"), Target::Dropped);
    assert_eq!(classify("https://example.org/a"), Target::External("https://example.org/a".into()));
    assert_eq!(
        classify("HTTPS://example.org/a b?q=\"x\"&y=<1>%zz%41"),
        Target::External("https://example.org/a%20b?q=%22x%22&y=%3C1%3E%25zz%41".into())
    );
    assert_eq!(classify("https://example.org/café"), Target::External("https://example.org/caf%C3%A9".into()));
    assert_eq!(classify("mailto:a@b.org"), Target::External("mailto:a@b.org".into()));
    for dropped in [
        "javascript:alert(1)",
        "JavaScript:x",
        "data:text/html,hi",
        "file:///etc",
        "other.html",
        "https://",
        "http:x",
        "",
    ] {
        assert_eq!(classify(dropped), Target::Dropped, "{dropped}");
    }
}

#[test]
fn ids_are_valid_xml_ids() {
    assert_eq!(xml_id("stalinism"), "stalinism");
    assert_eq!(xml_id("1-intro"), "s-1-intro");
    assert_eq!(xml_id("a b:c"), "a-b-c");
    assert_eq!(xml_id(""), "s-");
    assert_eq!(xml_id("fn1"), "s-fn1");
    assert_eq!(xml_id("fnref2-3"), "s-fnref2-3");
    assert_eq!(xml_id("fnord"), "fnord");
}

#[test]
fn well_formedness_check_rejects_bad_xhtml() {
    assert!(check_well_formed("ok", "<html xmlns=\"http://www.w3.org/1999/xhtml\"><p>x</p></html>").is_ok());
    assert!(check_well_formed("ok", "<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html><p/></html>").is_ok());
    for bad in ["<html><p>x</html>", "<html><p>a & b</p></html>", "<html><epub:x/></html>", "<html>", "<a></a><b></b>"]
    {
        let e = check_well_formed("bad.xhtml", bad).unwrap_err();
        assert!(e.to_string().contains("bad.xhtml is not well-formed"), "{e}");
    }
}

// ---------------------------------------------------------------------------------------
// The constructs.

#[test]
fn document_has_language_and_namespaces() {
    let x = body_xhtml(&everything("Book"));
    assert!(x.contains(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"en\" xml:lang=\"en\">"
    ));
    assert!(x.contains("<body epub:type=\"bodymatter\">"));
    assert!(x.contains("<title>Book</title>"));
}

#[test]
fn inline_constructs() {
    let x = body_xhtml(&everything("Book"));
    for expected in [
        "<em>emphasis with <em>inner</em></em>",
        "<strong>strong <em>strong-em</em></strong>",
        "<code>a &lt; b &amp;&amp; c</code>",
        "<s>struck</s>",
        "H<sub>2</sub>O",
        "mc<sup>2</sup>",
        "<a href=\"https://example.org/a%20b?x=%221%22&amp;y=2#frag\" title=\"Example &amp; co\">link</a>",
        "<a href=\"#second\">to a section</a>",
        "break:<br/>\nafter",
        "note.<sup><a class=\"nr\"",
    ] {
        assert!(x.contains(expected), "missing {expected}\nin {x}");
    }
    // Soft breaks are white space.
    assert!(x.contains("</a></sup>\nA <a"));
}

#[test]
fn links_that_cannot_work_are_text() {
    let x = body_xhtml(&everything("Book"));
    assert!(x.contains("<p>not a link, relative, dangling, a third"), "{x}");
    assert!(!x.contains("javascript"));
}

#[test]
fn block_constructs() {
    let x = body_xhtml(&everything("Book"));
    for expected in [
        "<blockquote>\n<p>A quotation.</p>\n<blockquote>\n<p>A quotation in a quotation.</p>\n</blockquote>\n</blockquote>",
        "<ul>\n<li>Bullet one</li>\n<li>Bullet two, with a list:<ol start=\"3\">\n<li>third</li>",
        "<li class=\"task\"><span class=\"box\" role=\"img\" aria-label=\"Done\">\u{2611}\u{FE0E}</span> Done task</li>",
        "aria-label=\"Not done\">\u{2610}\u{FE0E}</span> Open task",
        "<ol>\n<li><p>Loose one</p>\n<p>Second paragraph</p>\n</li>\n</ol>",
        "<pre><code class=\"language-rust\">fn main() {\n    if a &lt; b &amp;&amp; c &gt; d {}\n}</code></pre>",
        "<hr/>",
        "<thead>\n<tr><th scope=\"col\" class=\"al\">Left</th><th scope=\"col\" class=\"ac\">Centre</th><th scope=\"col\" class=\"ar\">Right</th><th scope=\"col\">None</th></tr>\n</thead>",
        "<tr><td class=\"al\">a</td><td class=\"ac\">b</td><td class=\"ar\">1.5</td><td><em>d</em></td></tr>",
        "<figure>\n<img src=\"images/1.png\" alt=\"A red square\" width=\"2\" height=\"2\"/>\n<figcaption>Figure 1: red</figcaption>\n</figure>",
        "<p>An inline picture <img class=\"inline\" src=\"images/1.png\" alt=\"\" width=\"2\" height=\"2\"/> in text.</p>",
    ] {
        assert!(x.contains(expected), "missing {expected}\nin {x}");
    }
    assert!(!x.contains(" align="), "no obsolete align attributes");
}

#[test]
fn sections_nest_by_heading_level() {
    let x = body_xhtml(&everything("Book"));
    let heading = |l: &str| l.len() > 3 && l.starts_with("<h") && l.as_bytes()[2].is_ascii_digit();
    let opens: Vec<&str> =
        x.lines().filter(|l| l.starts_with("<section") || l.starts_with("</section") || heading(l)).collect();
    assert_eq!(
        opens,
        [
            "<section aria-labelledby=\"top\">",
            "<h1 id=\"top\">Book</h1>",
            "<section aria-labelledby=\"first\">",
            "<h2 id=\"first\">First section</h2>",
            "<section aria-labelledby=\"sub\">",
            "<h3 id=\"sub\">A subsection</h3>",
            "</section>",
            "</section>",
            "<section aria-labelledby=\"second\">",
            "<h2 id=\"second\">Second section</h2>",
            // Level 6 right under a level 2: numbered by depth, so the outline has no gap.
            "<section aria-labelledby=\"deep\">",
            "<h3 id=\"deep\">Deep heading</h3>",
            "</section>",
            "</section>",
            "</section>",
            "<section class=\"notes\" epub:type=\"footnotes\" aria-label=\"Notes\">",
            "</section>",
        ]
    );
}

#[test]
fn level_one_headings_split_the_body_into_chapters() {
    let doc = Document {
        meta: meta("Book"),
        blocks: vec![
            p(vec![t("Before."), note_ref(2, 0)]),
            h(1, "one", "One"),
            p(vec![
                t("See "),
                Inline::Link { url: "#two".into(), title: None, content: vec![t("two")] },
                note_ref(1, 0),
            ]),
            h(1, "two", "Two"),
            p(vec![t("Again"), note_ref(1, 1)]),
        ],
        notes: vec![note(1, vec![p(vec![t("N1")])], 2), note(2, vec![p(vec![t("N2")])], 1)],
    };
    let images = Images::new();
    let plan = Plan::new(&doc, &images).unwrap();
    let names: Vec<&str> = plan.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["text-1.xhtml", "text-2.xhtml", "text-3.xhtml"]);
    let mut r = Renderer::new(&doc, &plan);
    let one = r.body_file(1);
    assert!(one.contains(
        "<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"one\">\n<h1 id=\"one\">One</h1>"
    ));
    assert!(one.contains("<a href=\"text-3.xhtml#two\">two</a>"), "{one}");
    // Note 1 lives with its first reference; the backlink to the second goes across files.
    assert!(one.contains("href=\"#fn1\" id=\"fnref1\""));
    assert!(one.contains("<a class=\"fnb\" href=\"text-3.xhtml#fnref1-2\" role=\"doc-backlink\""), "{one}");
    let three = r.body_file(2);
    assert!(three.contains("href=\"text-2.xhtml#fn1\" id=\"fnref1-2\""), "{three}");
    assert!(!three.contains("<aside"));
    let first = r.body_file(0);
    assert!(first.contains("<h1 id=\"top\">Book</h1>") && first.contains("id=\"fn2\""));
}

// ---------------------------------------------------------------------------------------
// Footnotes.

#[test]
fn footnote_references_and_backlinks() {
    let x = body_xhtml(&everything("Book"));
    assert!(x.contains(
        "<sup><a class=\"nr\" epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn1\" id=\"fnref1\">1</a></sup>"
    ));
    assert!(x.contains("href=\"#fn1\" id=\"fnref1-2\">1</a>"));
    assert!(x.contains("href=\"#fn1\" id=\"fnref1-3\">1</a>"));
    assert!(x.contains("href=\"#fn2\" id=\"fnref2\">2</a>"));
    // A reference to a note that does not exist links nothing.
    assert!(x.contains("missing note<sup>9</sup>."));
    // Each note is its own aside, opening with its backlinks.
    assert!(x.contains(
        "<aside class=\"fn\" id=\"fn1\" epub:type=\"footnote\" role=\"doc-footnote\">\n<p><a class=\"fnb\" href=\"#fnref1\" role=\"doc-backlink\">1</a>. \
         <a class=\"fnb\" href=\"#fnref1-2\" role=\"doc-backlink\" aria-label=\"Back to reference 2\">\u{2191}2</a> \
         <a class=\"fnb\" href=\"#fnref1-3\" role=\"doc-backlink\" aria-label=\"Back to reference 3\">\u{2191}3</a> The first note, with <em>emphasis</em>.</p>\n</aside>"
    ), "{x}");
    assert!(x.contains(
        "<aside class=\"fn\" id=\"fn2\" epub:type=\"footnote\" role=\"doc-footnote\">\n<p><a class=\"fnb\" href=\"#fnref2\" role=\"doc-backlink\">2</a>. The second note has several paragraphs.</p>\n<p>This is the <strong>second</strong>.</p>\n<ul>\n<li>and a list</li>\n</ul>\n</aside>"
    ), "{x}");
    // Notes come after all the text.
    assert!(x.find("<aside").unwrap() > x.find("Under a level-6 heading").unwrap());
    assert!(!x.contains("hidden"));
}

#[test]
fn notes_that_nothing_refers_to_are_kept_but_not_marked_as_footnotes() {
    let doc = Document {
        meta: meta("Book"),
        blocks: vec![p(vec![t("No references.")])],
        notes: vec![note(1, vec![h(2, "in-note", "Heading in a note"), p(vec![t("Orphan.")])], 0)],
    };
    let x = body_xhtml(&doc);
    assert!(
        x.contains(
            "<aside class=\"fn\" id=\"fn1\" role=\"doc-footnote\">\n<p class=\"lead\">1. </p>\n<h2 id=\"in-note\">"
        ),
        "{x}"
    );
}

#[test]
fn a_note_referred_to_only_from_another_note_follows_it() {
    let doc = Document {
        meta: meta("Book"),
        blocks: vec![p(vec![t("Text"), note_ref(1, 0)])],
        notes: vec![note(1, vec![p(vec![t("See also"), note_ref(2, 0)])], 1), note(2, vec![p(vec![t("Inner")])], 1)],
    };
    let x = body_xhtml(&doc);
    assert!(x.contains("id=\"fnref2\">2</a>") && x.contains("<a class=\"fnb\" href=\"#fnref2\""));
    assert!(x.find("id=\"fn1\"").unwrap() < x.find("id=\"fn2\"").unwrap());
}

#[test]
fn a_repeated_reference_does_not_duplicate_its_id() {
    let doc = Document {
        meta: meta("Book"),
        blocks: vec![p(vec![t("Twice"), note_ref(1, 0), note_ref(1, 0)])],
        notes: vec![note(1, vec![p(vec![t("N")])], 1)],
    };
    let x = body_xhtml(&doc);
    assert_eq!(x.matches("id=\"fnref1\"").count(), 1);
}

// ---------------------------------------------------------------------------------------
// The package, and epub-builder's pitfalls.

fn render_everything(title: &str, embed_fonts: bool) -> Vec<u8> {
    render(&everything(title), &EpubOptions { embed_fonts }, &images()).unwrap()
}

#[test]
fn package_holds_every_file_in_the_manifest() {
    let files = unzip(&render_everything("Book", false));
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "META-INF/com.apple.ibooks.display-options.xml",
            "META-INF/container.xml",
            "OEBPS/colophon.xhtml",
            "OEBPS/content.opf",
            "OEBPS/images/1.png",
            "OEBPS/nav.xhtml",
            "OEBPS/stylesheet.css",
            "OEBPS/text.xhtml",
            "OEBPS/title.xhtml",
            "OEBPS/toc.ncx",
            "mimetype",
        ]
    );
    let opf = text_of(&files, "OEBPS/content.opf");
    for name in names.iter().filter(|n| n.starts_with("OEBPS/") && !n.ends_with(".opf")) {
        assert!(opf.contains(&format!("href=\"{}\"", &name[6..])), "{name} not in the manifest");
    }
    assert!(opf.contains("media-type=\"image/png\""));
}

/// Every `id` attribute in an XML document.
fn ids(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse_with_options(
        xml,
        roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() },
    )
    .unwrap();
    doc.descendants().filter_map(|n| n.attribute("id")).map(String::from).collect()
}

#[test]
fn pitfall_a_language_and_creator_ids_do_not_collide() {
    let files = unzip(&render_everything("Book", false));
    let opf = text_of(&files, "OEBPS/content.opf");
    let ids = ids(&opf);
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids in {opf}");
    assert!(opf.contains("<dc:language>en</dc:language>"));
    assert!(opf.contains("<dc:creator id=\"epub-creator-0\">Ann Author</dc:creator>"));
    assert!(opf.contains("<meta refines=\"#epub-creator-1\" property=\"role\" scheme=\"marc:relators\">edt</meta>"));
}

#[test]
fn pitfall_b_landmarks_always_have_a_list() {
    let doc = Document {
        meta: Metadata {
            title: "Empty".into(),
            language: "en".into(),
            identifier: "urn:x-test:1".into(),
            ..Metadata::default()
        },
        ..Document::default()
    };
    let files = unzip(&render(&doc, &no_fonts(), &Images::new()).unwrap());
    let nav = text_of(&files, "OEBPS/nav.xhtml");
    let landmarks = &nav[nav.find("epub:type=\"landmarks\"").unwrap()..];
    assert!(landmarks.contains("<ol>\n<li><a epub:type=\"titlepage\" href=\"title.xhtml\">"), "{nav}");
    assert!(landmarks.contains("<li><a epub:type=\"bodymatter\" href=\"text.xhtml\">"));
    assert!(nav.contains("lang=\"en\" xml:lang=\"en\""));
    assert!(nav.contains("<nav epub:type=\"toc\" role=\"doc-toc\""));
}

#[test]
fn pitfall_c_metadata_is_escaped() {
    let title = "Stock & <Accounts>";
    let files = unzip(&render_everything(title, false));
    let opf = text_of(&files, "OEBPS/content.opf");
    check_well_formed("content.opf", &opf).unwrap();
    assert!(opf.contains("<dc:title>Stock &amp; &lt;Accounts&gt;</dc:title>"), "{opf}");
    assert!(opf.contains("<dc:publisher>Left &amp; Right Press</dc:publisher>"));
    assert!(opf.contains("<dc:rights>© 2024 the author. Some rights &lt;reserved&gt;.</dc:rights>"));
    let ncx = text_of(&files, "OEBPS/toc.ncx");
    assert!(ncx.contains("<docTitle>\n    <text>Stock &amp; &lt;Accounts&gt;</text>"), "{ncx}");
    for name in ["OEBPS/title.xhtml", "OEBPS/text.xhtml", "OEBPS/colophon.xhtml", "OEBPS/nav.xhtml"] {
        let x = text_of(&files, name);
        check_well_formed(name, &x).unwrap();
        assert!(!x.contains("<Accounts>"), "{name}");
    }
    // What we hand MetadataOpfV3 is escaped by us, since it does not.
    use epub_builder::MetadataOpfV3;
    let rendered = format!("{:?}", meta_v3("schema:accessibilitySummary", "A & <b>"));
    assert!(rendered.contains("A &amp; &lt;b&gt;"), "{rendered}");
    let _: Option<MetadataOpfV3> = None;
}

#[test]
fn pitfall_d_archive_is_reproducible_and_undated() {
    let a = render_everything("Book", false);
    let b = render_everything("Book", false);
    assert_eq!(a, b, "two builds differ");
    let mut archive = zip::ZipArchive::new(Cursor::new(&a)).unwrap();
    for i in 0..archive.len() {
        let f = archive.by_index_raw(i).unwrap();
        let when = f.last_modified().unwrap();
        assert_eq!(
            (when.year(), when.month(), when.day(), when.hour(), when.minute(), when.second()),
            (1980, 1, 1, 0, 0, 0),
            "{} is dated",
            f.name()
        );
        if i == 0 {
            assert_eq!(f.name(), "mimetype");
            assert_eq!(f.compression(), zip::CompressionMethod::Stored);
            assert!(f.extra_data().is_none_or(<[u8]>::is_empty));
        }
    }
    // The epoch and the identifier come from the metadata, never from the clock or chance.
    let files = unzip(&a);
    let opf = text_of(&files, "OEBPS/content.opf");
    assert!(opf.contains("<meta property=\"dcterms:modified\">2024-05-01T00:00:00Z</meta>"), "{opf}");
    assert!(opf.contains(">urn:uuid:3f1f0f7e-0000-4000-8000-000000000001</dc:identifier>"));
    assert!(opf.contains("<dc:date>2024-05-01T00:00:00Z</dc:date>"));
}

#[test]
fn fixes_must_apply_exactly_once() {
    let m = meta("Book");
    assert!(apply("content.opf", "no package here", &opf_fixes(&m)).is_err());
    let ncx = "<meta name=\"dtb:depth\" content=\"1\" />\n<text>Contents</text>\n  </docTitle>";
    let fixed = apply("toc.ncx", ncx, &ncx_fixes(&m, 3)).unwrap();
    assert!(fixed.contains("dtb:uid\" content=\"urn:uuid:3f1f0f7e-0000-4000-8000-000000000001\""));
    assert!(fixed.contains("dtb:depth\" content=\"3\""));
    let twice = format!("{ncx}{ncx}");
    let e = apply("toc.ncx", &twice, &ncx_fixes(&m, 3)).unwrap_err();
    assert!(e.to_string().contains("found 2 times"), "{e}");
}

#[test]
fn accessibility_metadata_is_true_of_the_book() {
    let opf = text_of(&unzip(&render_everything("Book", false)), "OEBPS/content.opf");
    for expected in [
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessMode\">visual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual,visual</meta>",
        "<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>",
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">",
    ] {
        assert!(opf.contains(expected), "missing {expected} in {opf}");
    }
    // One picture has no description at all: no conformance claim, no alternativeText,
    // and text alone is not said to suffice.
    assert!(!opf.contains("conformsTo"));
    assert!(!opf.contains("accessModeSufficient\">textual</meta>"));
    assert!(!opf.contains("alternativeText"));

    let doc = Document { meta: meta("Plain"), blocks: vec![p(vec![t("Words.")])], notes: vec![] };
    let opf = text_of(&unzip(&render(&doc, &no_fonts(), &Images::new()).unwrap()), "OEBPS/content.opf");
    assert!(opf.contains("<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>"));
    assert!(!opf.contains("visual"));
    assert!(opf.contains("xml:lang=\"en\""));
}

#[test]
fn every_internal_link_resolves() {
    let files = unzip(&render_everything("Book", false));
    let mut anchors: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let xhtml: Vec<&String> = files.keys().filter(|n| n.ends_with(".xhtml")).collect();
    for name in &xhtml {
        let x = text_of(&files, name);
        let ids = ids(&x);
        let unique: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(ids.len(), unique.len(), "duplicate ids in {name}");
        anchors.insert(name.trim_start_matches("OEBPS/").to_string(), unique);
    }
    for name in &xhtml {
        let x = text_of(&files, name);
        let doc = roxmltree::Document::parse_with_options(
            &x,
            roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() },
        )
        .unwrap();
        for href in doc.descendants().filter_map(|n| n.attribute("href")) {
            if href.contains(':') || href.ends_with(".css") {
                continue;
            }
            let (file, frag) = href.split_once('#').unwrap_or((href, ""));
            let file = if file.is_empty() { name.trim_start_matches("OEBPS/") } else { file };
            let ids = anchors.get(file).unwrap_or_else(|| panic!("{name}: {href} points to a missing file"));
            assert!(frag.is_empty() || ids.contains(frag), "{name}: {href} points to a missing id");
        }
    }
}

#[test]
fn toc_lists_sections_under_the_text() {
    let files = unzip(&render_everything("Book", false));
    let nav = text_of(&files, "OEBPS/nav.xhtml");
    assert!(nav.contains(
        "<li><a href=\"text.xhtml\">Book</a>\n<ol>\n<li><a href=\"text.xhtml#first\">First section</a>\n<ol>\n<li><a href=\"text.xhtml#sub\">A subsection</a></li>"
    ), "{nav}");
    let ncx = text_of(&files, "OEBPS/toc.ncx");
    assert!(ncx.contains("<content src=\"text.xhtml#sub\"/>"));
    assert!(ncx.contains("dtb:depth\" content=\"3\""), "{ncx}");
}

#[test]
fn title_page_and_colophon_come_from_the_metadata() {
    let files = unzip(&render_everything("Book", false));
    let title = text_of(&files, "OEBPS/title.xhtml");
    for expected in [
        "<h1 id=\"title\">Book</h1>",
        "<p class=\"subtitle\" epub:type=\"subtitle\" role=\"doc-subtitle\">A Subtitle</p>",
        "<p class=\"creator\">Ann Author</p>\n<p class=\"creator\">Edited by Ed Itor</p>",
        "<p class=\"publisher\">Left &amp; Right Press</p>",
    ] {
        assert!(title.contains(expected), "missing {expected} in {title}");
    }
    let colophon = text_of(&files, "OEBPS/colophon.xhtml");
    for expected in [
        "<cite>Book: A Subtitle</cite>",
        "Published by Left &amp; Right Press",
        "Date: 2024-05-01",
        "© 2024 the author. Some rights &lt;reserved&gt;.",
        "Identifier: urn:uuid:3f1f0f7e-0000-4000-8000-000000000001",
        "Made with pamphlet.</p>",
        "role=\"doc-colophon\"",
    ] {
        assert!(colophon.contains(expected), "missing {expected} in {colophon}");
    }
}

#[test]
fn stylesheet_respects_the_reader() {
    let css = STYLE;
    assert!(!css.contains("px"), "no pixel sizes");
    assert!(!css.contains("background:"), "no backgrounds");
    assert_eq!(css.matches("color:").count(), css.matches("color:inherit").count(), "no colours but inherited ones");
    // Rules take the text's colour: a border with no colour given is currentColor.
    for expected in [
        "hyphens:auto",
        "-webkit-hyphens:auto",
        "-epub-hyphens:auto",
        "p+p{text-indent:1.5em}",
        "break-after:avoid",
        "page-break-after:avoid",
        "border-top:thin solid;",
    ] {
        assert!(css.contains(expected), "missing {expected}");
    }
    assert!(!css.contains("small-caps"), "no faux small caps");
}

// ---------------------------------------------------------------------------------------
// Documents built to break things.

#[test]
fn hostile_documents_render_without_panicking() {
    let weird = vec![
        Document { meta: Metadata { identifier: "id".into(), ..Metadata::default() }, ..Document::default() },
        Document { meta: meta("No headings"), blocks: vec![p(vec![t("Just text.")])], notes: vec![] },
        Document { meta: meta("Level six"), blocks: vec![h(6, "six", "Six"), p(vec![])], notes: vec![] },
        Document {
            meta: meta("Ids"),
            blocks: vec![
                h(2, "same", "One"),
                h(2, "same", "Two"),
                h(2, "fn1", "Looks like a note"),
                h(2, "top", "Top"),
                h(2, "", ""),
                h(1, "9 lives", "Nine"),
                p(vec![Inline::Link { url: "#same".into(), title: None, content: vec![t("first")] }]),
                p(vec![note_ref(0, 0), note_ref(1, 7)]),
            ],
            notes: vec![note(1, vec![], 1)],
        },
        Document {
            meta: Metadata { title: "\u{1}Ctl\u{7f}".into(), language: String::new(), ..meta("x") },
            blocks: vec![
                p(vec![t("bell\u{7} and nul\u{0}"), Inline::Code("\u{1b}[0m".into())]),
                Block::Table {
                    align: vec![],
                    head: vec![],
                    rows: vec![vec![], vec![vec![t("x")]]],
                    span: Span::DETACHED,
                },
                Block::Table {
                    align: vec![Align::Right],
                    head: vec![vec![], vec![t("b")]],
                    rows: vec![],
                    span: Span::DETACHED,
                },
                Block::List {
                    start: Some(u64::MAX),
                    tight: true,
                    items: vec![
                        item(vec![]),
                        ListItem { task: Some(true), blocks: vec![Block::Rule { span: Span::DETACHED }] },
                    ],
                    span: Span::DETACHED,
                },
                Block::Code { lang: Some("\"><script>".into()), text: String::new(), span: Span::DETACHED },
                p(vec![Inline::Link {
                    url: "https://x.org/\"onmouseover=\"a".into(),
                    title: Some("\"".into()),
                    content: vec![],
                }]),
                p(vec![image("red.png", "", Some("  "))]),
                Block::Quote { blocks: vec![], span: Span::DETACHED },
            ],
            notes: vec![note(1, vec![Block::Code { lang: None, text: "x\n".into(), span: Span::DETACHED }], 0)],
        },
    ];
    for doc in &weird {
        let epub = render(doc, &no_fonts(), &images()).unwrap_or_else(|e| panic!("{}: {e}", doc.meta.title));
        let files = unzip(&epub);
        for (name, data) in &files {
            if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx") {
                let x = String::from_utf8(data.clone()).unwrap();
                check_well_formed(name, &x).unwrap();
                let ids = ids(&x);
                let unique: BTreeSet<&String> = ids.iter().collect();
                assert_eq!(ids.len(), unique.len(), "{}: duplicate ids in {name}", doc.meta.title);
            }
        }
    }
}

/// A document with nothing in it but an identifier.
fn untitled() -> Document {
    Document { meta: Metadata { identifier: "urn:x-test:empty".into(), ..Metadata::default() }, ..Document::default() }
}

#[test]
fn empty_title_and_identifier() {
    let files = unzip(&render(&untitled(), &no_fonts(), &Images::new()).unwrap());
    assert!(text_of(&files, "OEBPS/title.xhtml").contains("<h1 id=\"title\">Untitled</h1>"));
    assert!(text_of(&files, "OEBPS/text.xhtml").contains("lang=\"und\""));
    let e = render(&Document::default(), &no_fonts(), &Images::new()).unwrap_err();
    assert!(e.to_string().contains("no identifier"), "{e}");
}

#[test]
fn empty_headings_label_nothing() {
    let doc = Document { meta: meta("T"), blocks: vec![h(2, "e", ""), p(vec![t("x")])], notes: vec![] };
    let x = body_xhtml(&doc);
    assert!(x.contains("<section>\n<h2 id=\"e\"></h2>"), "{x}");
}

#[test]
fn missing_picture_is_an_error_not_a_panic() {
    let doc =
        Document { meta: meta("Pictures"), blocks: vec![p(vec![image("gone.png", "Gone", None)])], notes: vec![] };
    let e = render(&doc, &no_fonts(), &Images::new()).unwrap_err();
    assert!(e.to_string().contains("`gone.png` was not loaded"), "{e}");
}

// ---------------------------------------------------------------------------------------
// Fonts.

#[test]
fn coverage_follows_the_styles() {
    use crate::fonts::Style;
    use std::borrow::Cow;
    let doc = Document {
        meta: meta("T"),
        blocks: vec![
            h(2, "h", "Hq"),
            p(vec![
                t("ab"),
                Inline::Emphasis(vec![t("ci"), Inline::Emphasis(vec![t("z")])]),
                Inline::Strong(vec![t("sb"), Inline::Emphasis(vec![t("x")])]),
                Inline::Code("CODE".into()),
            ]),
        ],
        notes: vec![],
    };
    let cov = embed::Coverage::of(&doc, &[(Cow::Borrowed("G"), Style::Italic)]);
    let has = |s: Style, c: char| cov.get(s).contains(&c);
    assert!(has(Style::Bold, 'H') && has(Style::Bold, 'q') && !has(Style::Bold, 'a'));
    assert!(has(Style::Italic, 'c') && has(Style::Italic, 'G') && !has(Style::Italic, 'z'));
    assert!(has(Style::Regular, 'z'), "emphasis in emphasis is upright");
    assert!(has(Style::BoldItalic, 'x') && !has(Style::BoldItalic, 'b'));
    assert!(has(Style::Regular, 'H') && has(Style::Regular, 'x'), "regular holds everything");
    assert!(!has(Style::Regular, 'C') && !has(Style::Regular, 'O'), "code is monospace");
    for s in Style::ALL {
        assert!(has(s, '-') && has(s, '\u{2010}'), "hyphens in {s:?}");
    }
}

#[test]
fn embedded_fonts_are_packed_with_their_licence() {
    let files = unzip(&render_everything("Book", true));
    let css = text_of(&files, "OEBPS/stylesheet.css");
    assert!(css.contains("@font-face{font-family:\""));
    assert!(files.keys().any(|n| n.starts_with("OEBPS/fonts/") && n.ends_with(".ttf")));
    assert!(files.contains_key("OEBPS/fonts/OFL.txt") || files.contains_key("OEBPS/fonts/LICENSE.txt"));
    let opf = text_of(&files, "OEBPS/content.opf");
    assert!(opf.contains("media-type=\"font/ttf\""));
    let colophon = text_of(&files, "OEBPS/colophon.xhtml");
    assert!(colophon.contains("Set in Charis SIL, embedded as a subset named Pamphlet Serif under the SIL Open Font License 1.1, whose text is in the file fonts/OFL.txt."), "{colophon}");
    assert!(
        css.contains(
            "font-family:\"Pamphlet Serif\";font-weight:bold;font-style:italic;src:url(fonts/bold-italic.ttf)"
        ),
        "{css}"
    );
    assert!(css.contains("body{font-family:\"Pamphlet Serif\",\"Charis SIL\",Georgia,\"Times New Roman\",serif}"));
    assert_eq!(render_everything("Book", true), render_everything("Book", true));
}

#[test]
fn embedded_subsets_draw_every_character_of_their_style() {
    use crate::fonts::{Fonts, Style};
    use read_fonts::{FontRef, TableProvider};
    let doc = everything("Every Construct");
    let files = unzip(&render(&doc, &EpubOptions { embed_fonts: true }, &images()).unwrap());
    let cov = embed::Coverage::of(&doc, &[]);
    let fonts = Fonts::builtin();
    for (style, name) in [
        (Style::Regular, "regular"),
        (Style::Italic, "italic"),
        (Style::Bold, "bold"),
        (Style::BoldItalic, "bold-italic"),
    ] {
        let data = &files[&format!("OEBPS/fonts/{name}.ttf")];
        let cmap = FontRef::new(data).unwrap().cmap().unwrap();
        for &c in cov.get(style) {
            if fonts.face(style).has_char(c) {
                assert!(cmap.map_codepoint(c).is_some(), "{name}.ttf cannot draw {c:?}");
            }
        }
        assert!(cmap.map_codepoint('\u{2010}').is_some() || !fonts.face(style).has_char('\u{2010}'));
    }
}

// ---------------------------------------------------------------------------------------
// The real validators.

/// Writes the test books to `target/epub-check/` and runs EPUBCheck (`EPUBCHECK_JAR`,
/// default `.tools/epubcheck.jar`) with `--failonwarnings`, and DAISY Ace (`ACE`, default
/// `.tools/ace/node_modules/.bin/ace-cli`, with `PUPPETEER_EXECUTABLE_PATH`, default
/// `/usr/bin/chromium`) on each. `tests/tools.sh` installs both.
#[test]
fn validate_with_epubcheck_and_ace() {
    use std::process::Command;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/epub-check");
    std::fs::create_dir_all(&dir).unwrap();
    let mut books = vec![
        ("everything.epub", render_everything("Every Construct", false)),
        ("escaping.epub", render_everything("Stock & <Accounts>", false)),
        ("empty.epub", render(&untitled(), &no_fonts(), &Images::new()).unwrap()),
    ];
    books.push(("fonts.epub", render_everything("Every Construct", true)));
    // The tools `make test` installs (tests/tools.sh), unless told otherwise.
    let tools = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools");
    let jar = std::env::var("EPUBCHECK_JAR").unwrap_or_else(|_| tools.join("epubcheck.jar").display().to_string());
    let ace =
        std::env::var("ACE").unwrap_or_else(|_| tools.join("ace/node_modules/.bin/ace-cli").display().to_string());
    let mut failures = Vec::new();
    for (name, bytes) in &books {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = Command::new("java")
            .args(["-jar", &jar, "--failonwarnings"])
            .arg(&path)
            .output()
            .expect("run EPUBCheck with java: `make test` installs it");
        if !out.status.success() {
            failures.push(format!(
                "EPUBCheck {name}:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let report = dir.join(format!("{name}-ace"));
        let out = Command::new(&ace)
            .args(["--silent", "--force", "--outdir"])
            .arg(&report)
            .arg(&path)
            .env(
                "PUPPETEER_EXECUTABLE_PATH",
                std::env::var("PUPPETEER_EXECUTABLE_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            )
            .output()
            .expect("run DAISY Ace: `make test` installs it");
        let json = std::fs::read_to_string(report.join("report.json")).unwrap_or_default();
        if !out.status.success() || json.is_empty() || json.contains("\"earl:failed\"") {
            failures.push(format!("Ace {name}: see {}", report.join("report.html").display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// How long rendering the essay takes, with and without fonts (run with `--release`).
#[test]
#[ignore = "a measurement, not a check: cargo test --release --lib render_time -- --ignored --nocapture"]
fn render_time_of_the_essay() {
    let book = crate::Book::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("book")).unwrap();
    for embed_fonts in [false, true] {
        let opts = EpubOptions { embed_fonts };
        render(&book.document, &opts, &book.images).unwrap();
        let runs = 20;
        let start = std::time::Instant::now();
        let mut size = 0;
        for _ in 0..runs {
            size = render(&book.document, &opts, &book.images).unwrap().len();
        }
        println!(
            "fonts {embed_fonts}: {:.2} ms per EPUB, {size} bytes",
            start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs)
        );
    }
}
