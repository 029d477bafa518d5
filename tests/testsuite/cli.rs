//! The command line: building, checking and scaffolding books, and every kind of bad
//! input giving one clear message instead of a panic or a broken file.

use std::fs;

use crate::util::*;

#[test]
fn build_writes_each_format_and_reports_it() {
    let s = Scratch::new("build");
    let out = s.join("out");
    let o = pamphlet(&["build", root().join("book").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("taking-stock.epub") && text.contains("taking-stock.pdf"), "{text}");
    assert!(text.lines().filter(|l| l.starts_with("wrote ")).count() == 2, "{text}");
    assert!(text.contains("built in"), "{text}");
    assert!(out.join("taking-stock.epub").exists() && out.join("taking-stock.pdf").exists());
    assert_eq!(fs::read_dir(&out).unwrap().count(), 2, "no temporary files left behind");
}

#[test]
fn builds_are_byte_reproducible() {
    let s = Scratch::new("repro");
    let book = root().join("book");
    let a = build(&book, &s.join("a"), "epub,pdf");
    let b = build(&book, &s.join("b"), "epub,pdf");
    assert_eq!(a.len(), 2);
    for (x, y) in a.iter().zip(&b) {
        assert!(fs::read(x).unwrap() == fs::read(y).unwrap(), "{} differs between builds", x.display());
    }
}

#[test]
fn source_date_epoch_sets_the_dates() {
    let s = Scratch::new("sde");
    let run = |dir: &str, epoch: &str| {
        let out = s.join(dir);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_pamphlet"))
            .args(["build", root().join("book").to_str().unwrap(), "-o", out.to_str().unwrap(), "--format", "epub"])
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        fs::read(out.join("taking-stock.epub")).unwrap()
    };
    assert_eq!(run("a", "1700000000"), run("b", "1700000000"));
    assert_ne!(run("c", "1700000000"), run("d", "1800000000"));
}

#[test]
fn new_makes_a_book_that_builds() {
    let s = Scratch::new("new");
    let dir = sample_book(&s, "sampler");
    let out = build(&dir, &s.join("out"), "epub,pdf");
    assert_eq!(out.len(), 2);
    let again = pamphlet(&["new", dir.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));
}

#[test]
fn check_passes_the_essay() {
    let o = pamphlet(&["check", root().join("book").to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("0 errors, 0 warnings"), "{}{}", stdout(&o), stderr(&o));
}

/// A book directory with the given manuscript and the essay's book.toml.
fn book_with(s: &Scratch, manuscript: &[u8]) -> std::path::PathBuf {
    let dir = essay_copy(s);
    fs::write(dir.join("manuscript.md"), manuscript).unwrap();
    dir
}

#[test]
fn check_reports_every_kind_of_problem_with_its_place() {
    let s = Scratch::new("check");
    let md = "Text[^gone] and a picture ![x](nowhere.png).\n\nAn emoji \u{1F600} and a \\\"straight quote.\n\n[^unused]: Never referred to.\n";
    let dir = book_with(&s, md.as_bytes());
    let o = pamphlet(&["check", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    let m = dir.join("manuscript.md");
    let at = |pos: &str| format!("{}:{pos}:", m.display());
    assert!(e.contains(&format!("{} error: footnote `gone` is not defined", at("1:5"))), "{e}");
    assert!(e.contains(&format!("{} error: cannot read picture `nowhere.png`", at("1:27"))), "{e}");
    assert!(e.contains(&format!("{} error: ‘\u{1F600}’ (U+1F600) is not in the font", at("3:10"))), "{e}");
    assert!(e.contains(&format!("{} warning: straight quote", at("3:19"))), "{e}");
    assert!(e.contains(&format!("{} warning: footnote `unused` is never referred to", at("5:1"))), "{e}");
    assert!(stdout(&o).contains("3 errors, 2 warnings"), "{}", stdout(&o));
    // check writes nothing.
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 2);
}

/// Builds a bad book over a good earlier build and checks the message and that the
/// earlier files are untouched.
fn assert_build_fails(dir: &std::path::Path, expect: &str) {
    let out = dir.parent().unwrap().join("out");
    let o = pamphlet(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains(expect), "expected `{expect}` in:\n{e}");
    assert!(e.lines().all(|l| l.starts_with("pamphlet: ") || l.starts_with("  hint: ")), "{e}");
}

#[test]
fn bad_manuscripts_give_clear_errors() {
    let cases: &[(&[u8], &str)] = &[
        (b"Fine line.\nBad \xff byte.\n", "manuscript.md:2:5: error: the manuscript is not valid UTF-8"),
        (b"", "error: the manuscript has no text"),
        (b"\n\n   \n", "error: the manuscript has no text"),
        (b"See[^nope].\n", "manuscript.md:1:4: error: footnote `nope` is not defined"),
        (b"![pic](missing.png)\n", "manuscript.md:1:1: error: cannot read picture `missing.png`"),
    ];
    for (md, expect) in cases {
        let s = Scratch::new("bad-md");
        let dir = book_with(&s, md);
        assert_build_fails(&dir, expect);
        assert!(!s.join("out").exists(), "nothing written for a failed build");
    }
}

#[test]
fn a_failed_build_keeps_the_previous_files() {
    let s = Scratch::new("keep");
    let dir = essay_copy(&s);
    let out = s.join("out");
    let first = build(&dir, &out, "epub,pdf");
    let before: Vec<Vec<u8>> = first.iter().map(|p| fs::read(p).unwrap()).collect();
    fs::write(dir.join("manuscript.md"), "Broken[^x].\n").unwrap();
    assert_build_fails(&dir, "footnote `x` is not defined");
    let after: Vec<Vec<u8>> = first.iter().map(|p| fs::read(p).unwrap()).collect();
    assert!(before == after, "previous outputs untouched");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 2);
}

#[test]
fn missing_files_and_bad_config_give_clear_errors() {
    let s = Scratch::new("cfg");
    let dir = essay_copy(&s);
    fs::remove_file(dir.join("manuscript.md")).unwrap();
    assert_build_fails(&dir, "cannot read the manuscript");

    let s = Scratch::new("cfg2");
    let dir = essay_copy(&s);
    let toml = fs::read_to_string(dir.join("book.toml")).unwrap();
    fs::write(dir.join("book.toml"), toml.replace("[epub]", "[epub]\nfonts = true")).unwrap();
    assert_build_fails(&dir, "book.toml:");
    assert_build_fails(&dir, "unknown field `fonts`");

    let s = Scratch::new("cfg3");
    let dir = essay_copy(&s);
    let toml = fs::read_to_string(dir.join("book.toml")).unwrap();
    let without: String = toml.lines().filter(|l| !l.starts_with("identifier")).map(|l| format!("{l}\n")).collect();
    fs::write(dir.join("book.toml"), without).unwrap();
    assert_build_fails(&dir, "missing field `identifier`");

    let s = Scratch::new("cfg4");
    let dir = essay_copy(&s);
    fs::write(dir.join("book.toml"), toml.replace("paper = \"a5\"", "paper = \"a5\"\nmargins = { top = \"1mm\", bottom = \"1mm\", inner = \"80mm\", outer = \"80mm\" }")).unwrap();
    assert_build_fails(&dir, "the margins leave no room for text");

    assert_build_fails(&s.join("no-such-book"), "cannot read");
}

#[test]
fn raw_html_builds_a_valid_book_with_a_warning() {
    let s = Scratch::new("html");
    let dir = book_with(&s, b"Line<br>break, x<sup>2</sup>, &nbsp;and <span onclick=\"x()\">this</span> & <that>.\n\n<div>\n<script>alert(1)</script>\n</div>\n");
    let out = s.join("out");
    let o = pamphlet(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("manuscript.md:1:41: warning: raw HTML `<span onclick=\"x()\">` is kept as literal text"), "{e}");
    assert!(e.contains("manuscript.md:3:1: warning: raw HTML `<div>"), "{e}");
    epubcheck(&out.join("taking-stock.epub"));
}

#[test]
fn characters_missing_from_the_font_are_placed_exactly_when_building() {
    let s = Scratch::new("missing-glyph");
    let dir = book_with(&s, "First.\n\nAn emoji \u{1F600} and \u{4E2D}, \u{1F600} again.\n".as_bytes());
    let out = s.join("out");
    let o = pamphlet(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap(), "--format", "pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    let m = dir.join("manuscript.md").display().to_string();
    for pos in ["3:10", "3:16"] {
        assert!(e.contains(&format!("{m}:{pos}: warning: the font has no glyph")), "{pos} in:\n{e}");
    }
}
