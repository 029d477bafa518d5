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
    // Debian's MuPDF is built without colour management and says so for every file.
    let e: String = stderr(&o).lines().filter(|l| !l.contains("ICC support is not available")).collect();
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

/// The words of a PDF as pdftotext reads them in reading order, with words hyphenated
/// at line ends joined again. `-raw` keeps line-end hyphens as they are, so a compound
/// broken at its own hyphen ("Marxism-" / "Leninism") can be told from a word we
/// hyphenated: the former is in the manuscript with its hyphen.
///
/// A word hyphenated at the foot of a left-hand page continues on the right-hand one
/// after its running head and folio; `furniture` lists the running heads' texts.
fn pdf_words(pdf: &Path, compounds: &std::collections::HashSet<String>, furniture: &[String]) -> Vec<String> {
    let o = run("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let mut out: Vec<String> = Vec::new();
    let mut carry = String::new();
    for line in text.lines() {
        let is_furniture = line.trim().chars().all(|c| c.is_ascii_digit())
            || furniture.iter().any(|f| f.eq_ignore_ascii_case(line.trim()));
        if !carry.is_empty() && is_furniture {
            continue;
        }
        let mut ws = words(line);
        if !carry.is_empty() && !ws.is_empty() {
            let next = ws.remove(0);
            let kept = format!("{carry}-{next}");
            let core = |w: &str| bare(w).trim_matches(|c: char| !c.is_alphanumeric()).to_string();
            out.push(if compounds.contains(&core(&kept)) { kept } else { format!("{carry}{next}") });
            carry.clear();
        }
        if let Some(last) = ws.last() {
            if last.len() > 1 && last.ends_with('-') && last[..last.len() - 1].ends_with(char::is_alphabetic) {
                carry = ws.pop().unwrap().trim_end_matches('-').to_string();
            }
        }
        out.extend(ws);
    }
    out.into_iter().map(|w| bare(&w)).collect()
}

#[test]
fn pdf_text_has_every_word_in_order() {
    let s = Scratch::new("words-pdf");
    let out = s.join("out");
    build(&root().join("book"), &out, "pdf");
    let md = std::fs::read_to_string(root().join("book/manuscript.md")).unwrap();
    let (body, notes) = manuscript_body_and_notes(&md);
    let norm = |ws: Vec<String>| -> Vec<String> { ws.iter().map(|w| bare(w)).collect() };
    let compounds = body
        .iter()
        .filter(|w| w.contains('-'))
        .map(|w| bare(w).trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .collect();
    let mut furniture: Vec<String> = md
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').split(" {#").next().unwrap_or("").trim().to_string())
        .collect();
    furniture.push("Taking Stock, Settling Accounts".to_string());
    let have: Vec<String> = pdf_words(&out.join("taking-stock.pdf"), &compounds, &furniture)
        .into_iter()
        .map(|w| strip_note_number(&w))
        .collect();
    assert_in_order(&norm(body), &have, "PDF text");
    assert_eq!(notes.len(), 4);
    for note in notes {
        assert_in_order(&norm(note), &have, "PDF footnote text");
    }
}
