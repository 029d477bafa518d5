//! Footnotes: the references in the text and the notes at the end of each file.
//!
//! **The convention.** Each note is an `<aside epub:type="footnote" role="doc-footnote"
//! id="fnN">`, placed after all the text of the XHTML file that holds its first reference,
//! in a `<section epub:type="footnotes">`, and it opens with its number as a link back to
//! that reference. References are `<sup><a epub:type="noteref" role="doc-noteref"
//! href="#fnN" id="fnrefN">N</a></sup>`; a second reference to the same note gets the id
//! `fnrefN-2`, and the note then carries one backlink per reference (the number for the
//! first, then `↑2`, `↑3`…). Why this shape: Apple Books pops a note up only when it is in
//! the same file as its reference, and hides `aside` footnotes from the running text, so
//! there the text reads uninterrupted; Kobo's e-ink readers pop up a link's target only
//! if it comes after the link in the file, which the end of the file always does; Kindle
//! (Send to Kindle converts the EPUB) pops up notes marked this way, but runs several notes
//! together into one pop-up when the backlink stands at the end of a note or the notes are
//! items of one list, which is what pandoc found and fixed by opening each note with its
//! backlink (pandoc PRs 4491 and 8676), so every note is its own `aside` that starts with
//! its number. Readers without pop-ups (Calibre, Adobe's engine, Kobo on Android) show the
//! notes as the chapter's endnotes, with working links both ways. Notes are not put after
//! each paragraph (they would interrupt the text wherever they are not hidden) nor in a
//! separate endnotes file (no pop-ups in Apple Books), and nothing is hidden with the
//! `hidden` attribute, which readers without pop-ups honour by losing the note entirely.
//! The section has no visible heading, because in Apple Books it would stand alone over
//! hidden notes; a rule above it marks it instead, and `aria-label` names it.

use super::markup::{attr, text};
use super::xhtml::{label, Lead, Renderer};

impl Renderer<'_> {
    /// A reference to note number `note` (from 1), the `nth` made to it.
    pub(crate) fn note_ref(&mut self, out: &mut String, note: u32, nth: u32) {
        let number = note.to_string();
        let index = (note as usize).wrapping_sub(1);
        let Some(&file) = self.plan.note_file.get(index) else {
            // A reference to a note that does not exist: show the number, link nothing.
            out.push_str("<sup>");
            out.push_str(&number);
            out.push_str("</sup>");
            return;
        };
        out.push_str("<sup><a class=\"nr\" epub:type=\"noteref\" role=\"doc-noteref\" href=\"");
        attr(out, &self.href_to(file, &format!("fn{number}")));
        out.push('"');
        if self.claim_ref(note, nth) {
            out.push_str(" id=\"");
            out.push_str(&ref_id(note, nth));
            out.push('"');
        }
        out.push('>');
        out.push_str(&number);
        out.push_str("</a></sup>");
    }

    /// The notes placed at the end of body file `file`, if any.
    pub(crate) fn notes_section(&mut self, out: &mut String, file: usize) {
        let notes = &self.plan.files[file].notes;
        if notes.is_empty() {
            return;
        }
        out.push_str("<section class=\"notes\" epub:type=\"footnotes\" aria-label=\"");
        attr(out, label::NOTES);
        out.push_str("\">\n");
        for &i in notes {
            let note = &self.doc.notes[i];
            out.push_str("<aside class=\"fn\" id=\"fn");
            out.push_str(&(i + 1).to_string());
            // A note nothing refers to is not marked as a footnote: Apple Books would
            // hide it, and no reference could pop it up.
            if self.plan.note_refs[i].is_empty() {
                out.push_str("\" role=\"doc-footnote\">\n");
            } else {
                out.push_str("\" epub:type=\"footnote\" role=\"doc-footnote\">\n");
            }
            self.blocks(out, &note.blocks, false, Lead::Backlinks(i));
            out.push_str("</aside>\n");
        }
        out.push_str("</section>\n");
    }

    /// The opening of note `i`: its number linking to its first reference, then a link to
    /// each further reference.
    pub(crate) fn backlinks(&mut self, out: &mut String, i: usize) {
        let number = (i + 1) as u32;
        let refs = &self.plan.note_refs[i];
        let Some(&(first_nth, first_file)) = refs.first() else {
            out.push_str(&number.to_string());
            out.push_str(". ");
            return;
        };
        out.push_str("<a class=\"fnb\" href=\"");
        attr(out, &self.href_to(first_file, &ref_id(number, first_nth)));
        out.push_str("\" role=\"doc-backlink\">");
        out.push_str(&number.to_string());
        out.push_str("</a>.");
        for (k, &(nth, file)) in refs.iter().enumerate().skip(1) {
            out.push_str(" <a class=\"fnb\" href=\"");
            attr(out, &self.href_to(file, &ref_id(number, nth)));
            out.push_str("\" role=\"doc-backlink\" aria-label=\"Back to reference ");
            out.push_str(&(k + 1).to_string());
            out.push_str("\">\u{2191}");
            text(out, &(k + 1).to_string());
            out.push_str("</a>");
        }
        out.push(' ');
    }
}

/// The id of reference `nth` (from 0) to note `note`: `fnref3`, then `fnref3-2`…
pub(crate) fn ref_id(note: u32, nth: u32) -> String {
    if nth == 0 {
        format!("fnref{note}")
    } else {
        format!("fnref{note}-{}", u64::from(nth) + 1)
    }
}
