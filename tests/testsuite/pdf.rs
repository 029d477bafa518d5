//! The PDF: structurally sound by qpdf, drawable by MuPDF and poppler, fonts embedded
//! and subset, and the text readable back in order.

use std::path::Path;

use crate::util::*;

fn qpdf_check(pdf: &Path) {
    let o = run("qpdf", &["--check", pdf.to_str().unwrap()]);
    let text = stdout(&o) + &stderr(&o);
    assert!(o.status.success(), "qpdf --check failed on {}:\n{text}", pdf.display());
    assert!(text.contains("No syntax or stream encoding errors found"), "{text}");
}

fn renders(pdf: &Path, s: &Scratch) {
    let o = run("mutool", &["draw", "-q", "-o", s.join("p%d.png").to_str().unwrap(), "-r", "30", pdf.to_str().unwrap()]);
    let e = stderr(&o);
    assert!(o.status.success() && !e.contains("error") && !e.contains("warning"), "MuPDF: {e}");
    let o = run("pdftoppm", &["-r", "30", "-png", pdf.to_str().unwrap(), s.join("q").to_str().unwrap()]);
    let e = stderr(&o);
    assert!(o.status.success() && e.trim().is_empty(), "poppler: {e}");
}

fn fonts_embedded_and_subset(pdf: &Path) {
    let o = run("pdffonts", &[pdf.to_str().unwrap()]);
    let text = stdout(&o);
    let rows: Vec<&str> = text.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts: {text}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [type2] encoding emb sub uni object-id gen
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "font not embedded, subset and mapped: {row}");
        assert!(cols[0].contains('+'), "subset tag: {row}");
    }
}

#[test]
fn essay_pdf_is_sound() {
    let s = Scratch::new("essay-pdf");
    let out = s.join("out");
    build(&root().join("book"), &out, "pdf");
    let pdf = out.join("taking-stock.pdf");
    qpdf_check(&pdf);
    fonts_embedded_and_subset(&pdf);
    renders(&pdf, &s);
}

#[test]
fn sample_book_pdf_is_sound() {
    let s = Scratch::new("sample-pdf");
    let book = sample_book(&s, "sampler");
    let out = s.join("out");
    build(&book, &out, "pdf");
    let pdf = out.join("sampler.pdf");
    qpdf_check(&pdf);
    fonts_embedded_and_subset(&pdf);
    renders(&pdf, &s);
}

#[test]
fn pdf_text_has_every_word_in_order() {
    let s = Scratch::new("words-pdf");
    let out = s.join("out");
    build(&root().join("book"), &out, "pdf");
    let o = run("pdftotext", &[out.join("taking-stock.pdf").to_str().unwrap(), "-"]);
    assert!(o.status.success());
    // Join words hyphenated at line ends; a line ending in an explicit compound's
    // hyphen ("Marxism-") joins without losing it.
    let text = stdout(&o);
    let mut joined = String::new();
    for line in text.lines() {
        let line = line.trim_end();
        if let Some(stem) = line.strip_suffix('-').filter(|s| s.ends_with(char::is_alphabetic)) {
            joined.push_str(stem);
            joined.push('\u{1}');
        } else {
            joined.push_str(line);
            joined.push('\n');
        }
    }
    let md = std::fs::read_to_string(root().join("book/manuscript.md")).unwrap();
    let want: Vec<String> = manuscript_words(&md).iter().map(|w| bare(w)).collect();
    let compounds: std::collections::HashSet<String> = want.iter().filter(|w| w.contains('-')).cloned().collect();
    let have: Vec<String> = words(&bare(&joined))
        .into_iter()
        .flat_map(|w| {
            // Put back a compound's own hyphen where the line broke at it.
            let with = w.replace('\u{1}', "-");
            if compounds.iter().any(|c| with.contains(c.trim_matches(|c: char| !c.is_alphanumeric()))) && w.contains('\u{1}') {
                vec![with]
            } else {
                vec![w.replace('\u{1}', "")]
            }
        })
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()).to_string())
        .collect();
    let want: Vec<String> = want.into_iter().map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()).to_string()).collect();
    assert_in_order(&want, &have, "PDF text");
}
