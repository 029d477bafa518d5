//! The EPUB: valid by EPUBCheck and DAISY Ace, small, and holding every word.

use std::fs;
use std::path::Path;

use crate::util::*;

fn set_embed_fonts(book: &Path, on: bool) {
    let toml = fs::read_to_string(book.join("book.toml")).unwrap();
    let toml = toml.replace("embed-fonts = true", &format!("embed-fonts = {on}"));
    fs::write(book.join("book.toml"), toml).unwrap();
}

#[test]
fn essay_epub_is_valid_and_small() {
    let s = Scratch::new("essay-epub");
    for embed in [true, false] {
        let book = essay_copy(&s);
        set_embed_fonts(&book, embed);
        let out = s.join(if embed { "fonts" } else { "plain" });
        build(&book, &out, "epub");
        let epub = out.join("taking-stock.epub");
        let size = fs::metadata(&epub).unwrap().len();
        let budget = if embed { 80 * 1024 } else { 30 * 1024 };
        assert!(size <= budget, "EPUB is {size} bytes, over its {budget}-byte budget (fonts: {embed})");
        epubcheck(&epub);
        ace(&epub);
    }
}

#[test]
fn sample_book_with_every_construct_is_valid() {
    let s = Scratch::new("sample-epub");
    let book = sample_book(&s, "sampler");
    for embed in [true, false] {
        set_embed_fonts(&book, embed);
        let out = s.join(if embed { "fonts" } else { "plain" });
        build(&book, &out, "epub");
        let epub = out.join("sampler.epub");
        epubcheck(&epub);
        ace(&epub);
    }
}

#[test]
fn awkward_metadata_is_escaped() {
    let s = Scratch::new("meta-epub");
    let book = essay_copy(&s);
    let toml = fs::read_to_string(book.join("book.toml")).unwrap()
        .replace("title = \"Taking Stock, Settling Accounts\"", "title = \"Fish & Chips <and> “Peas”\"\ncreators = [{ name = \"A & B\" }, { name = \"C <D>\", role = \"edt\" }]")
        .replace("stem = \"taking-stock\"", "stem = \"odd\"");
    fs::write(book.join("book.toml"), toml).unwrap();
    let out = s.join("out");
    build(&book, &out, "epub");
    epubcheck(&out.join("odd.epub"));
}

#[test]
fn epub_text_has_every_word_of_the_manuscript() {
    let s = Scratch::new("words-epub");
    let out = s.join("out");
    build(&root().join("book"), &out, "epub");
    let o = run("pandoc", &["-f", "epub", "-t", "plain", "--wrap=none", out.join("taking-stock.epub").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let have: Vec<String> = words(&stdout(&o)).iter().map(|w| bare(&strip_note_number(w))).collect();
    let md = fs::read_to_string(root().join("book/manuscript.md")).unwrap();
    let want: Vec<String> = manuscript_words(&md).iter().map(|w| bare(w)).collect();
    assert_in_order(&want, &have, "EPUB text");
}
