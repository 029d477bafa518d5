//! Document metadata: the information dictionary and the XMP packet, from [`Metadata`].
//!
//! Both say the same things, the information dictionary for viewers' "Properties"
//! dialogs and the XMP for tools that catalogue files. The dates come from
//! [`Metadata::modified`], never from the clock, so that a rebuild gives the same bytes;
//! printpdf's own information dictionary (dated from its defaults) is replaced.

use std::fmt::Write;

use lopdf::{dictionary, Dictionary, Object, Stream, StringFormat};

use crate::config::civil_from_timestamp;
use crate::model::Metadata;

/// The `Producer` written in the document information.
const PRODUCER: &str = concat!("pamphlet ", env!("CARGO_PKG_VERSION"), " (printpdf)");

/// The names of the book's authors: the creators with the role `aut`, or every creator
/// if none has it.
fn authors(meta: &Metadata) -> Vec<&str> {
    let aut: Vec<&str> = meta.creators.iter().filter(|c| c.role == "aut").map(|c| c.name.as_str()).collect();
    if aut.is_empty() {
        meta.creators.iter().map(|c| c.name.as_str()).collect()
    } else {
        aut
    }
}

/// What the information dictionary calls the subject: the subtitle, or else the
/// description.
fn subject(meta: &Metadata) -> Option<&str> {
    meta.subtitle.as_deref().or(meta.description.as_deref())
}

/// The document information dictionary (PDF 32000-1 §14.3.3).
pub(super) fn info(meta: &Metadata) -> Dictionary {
    let mut info = Dictionary::new();
    info.set("Title", text_string(&meta.title));
    let authors = authors(meta);
    if !authors.is_empty() {
        info.set("Author", text_string(&authors.join(", ")));
    }
    if let Some(subject) = subject(meta) {
        info.set("Subject", text_string(subject));
    }
    if !meta.subjects.is_empty() {
        info.set("Keywords", text_string(&meta.subjects.join(", ")));
    }
    info.set("Creator", text_string("pamphlet"));
    info.set("Producer", text_string(PRODUCER));
    let (y, mo, d, h, mi, s) = civil_from_timestamp(meta.modified);
    // D:YYYYMMDDHHmmSSZ, in UTC (§7.9.4).
    let date = format!("D:{:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y.clamp(0, 9999));
    info.set("CreationDate", Object::string_literal(date.clone()));
    info.set("ModDate", Object::string_literal(date));
    info
}

/// The XMP metadata stream for the catalog's `/Metadata` (§14.3.2), with the same
/// values as [`info`] in Dublin Core and XMP terms.
pub(super) fn xmp(meta: &Metadata) -> Stream {
    let (y, mo, d, h, mi, s) = civil_from_timestamp(meta.modified);
    let date = format!("{:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z", y.clamp(0, 9999));
    let mut x = String::with_capacity(2048);
    // The packet wrapper's begin attribute is a byte order mark, as XMP requires.
    x.push_str("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    x.push_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    x.push_str(
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
         xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\n",
    );
    x.push_str("<dc:format>application/pdf</dc:format>\n");
    let alt = |x: &mut String, tag: &str, value: &str| {
        let _ = writeln!(
            x,
            "<dc:{tag}><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:{tag}>",
            escape(value)
        );
    };
    let list = |x: &mut String, tag: &str, kind: &str, values: &[&str]| {
        if values.is_empty() {
            return;
        }
        let _ = write!(x, "<dc:{tag}><rdf:{kind}>");
        for v in values {
            let _ = write!(x, "<rdf:li>{}</rdf:li>", escape(v));
        }
        let _ = writeln!(x, "</rdf:{kind}></dc:{tag}>");
    };
    alt(&mut x, "title", &meta.title);
    list(&mut x, "creator", "Seq", &authors(meta));
    if let Some(subject) = subject(meta) {
        alt(&mut x, "description", subject);
    }
    let subjects: Vec<&str> = meta.subjects.iter().map(String::as_str).collect();
    list(&mut x, "subject", "Bag", &subjects);
    if !meta.language.is_empty() {
        list(&mut x, "language", "Bag", &[meta.language.as_str()]);
    }
    if let Some(publisher) = &meta.publisher {
        list(&mut x, "publisher", "Bag", &[publisher.as_str()]);
    }
    if let Some(rights) = &meta.rights {
        alt(&mut x, "rights", rights);
    }
    if !meta.identifier.is_empty() {
        let _ = writeln!(x, "<dc:identifier>{}</dc:identifier>", escape(&meta.identifier));
        let _ = writeln!(x, "<xmpMM:DocumentID>{}</xmpMM:DocumentID>", escape(&meta.identifier));
    }
    let _ = writeln!(x, "<xmp:CreateDate>{date}</xmp:CreateDate>");
    let _ = writeln!(x, "<xmp:ModifyDate>{date}</xmp:ModifyDate>");
    let _ = writeln!(x, "<xmp:MetadataDate>{date}</xmp:MetadataDate>");
    x.push_str("<xmp:CreatorTool>pamphlet</xmp:CreatorTool>\n");
    let _ = writeln!(x, "<pdf:Producer>{}</pdf:Producer>", escape(PRODUCER));
    if !meta.subjects.is_empty() {
        let _ = writeln!(x, "<pdf:Keywords>{}</pdf:Keywords>", escape(&meta.subjects.join(", ")));
    }
    x.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
    Stream::new(dictionary! { "Type" => "Metadata", "Subtype" => "XML" }, x.into_bytes())
}

/// `s` with the characters XML reserves escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A PDF text string: printable ASCII as it is (PDFDocEncoding agrees with ASCII there),
/// anything else as UTF-16BE with a byte order mark (§7.9.2.2).
pub(super) fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::string_literal(s)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, StringFormat::Literal)
    }
}
