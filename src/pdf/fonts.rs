//! Font embedding: each face in use becomes a subset Type0 font.
//!
//! The structure is the one PDF prescribes for TrueType outlines addressed by glyph id:
//!
//! ```text
//! Type0 (/Encoding /Identity-H, /ToUnicode)
//!  └─ CIDFontType2 (/CIDToGIDMap /Identity, /W widths)
//!      └─ FontDescriptor (metrics, flags)
//!          └─ FontFile2 (the subset font program)
//! ```
//!
//! With Identity-H a two-byte code in a string *is* the CID, and with an identity
//! CIDToGIDMap the CID *is* the glyph id in the subset, so the content stream writes the
//! subset's new glyph ids directly ([`EmbeddedFont::code_and_width`]).
//!
//! We build these objects ourselves instead of letting printpdf do it: its lean build
//! embeds whole fonts with random subset tags, and it derives ToUnicode from the font's
//! `cmap`, which cannot express that the "fi" ligature glyph stands for two letters. Here
//! the ToUnicode CMap comes from the text each glyph stood for on the pages
//! ([`super::collect`]), the widths from the face's advances, and the subset tag from a
//! hash of the glyph set, so the same book always gives the same font objects.
//!
//! The bounding box, italic angle and vertical metrics come from the `fonts` API; the
//! few descriptor values it has no use for elsewhere (weight, serif style, fixed pitch)
//! are read here from the face's own `OS/2` and `post` tables by [`FaceFacts::read`].

use lopdf::{dictionary, Dictionary, Object, ObjectId, Stream};

use super::collect::FaceUsage;
use super::finish::Deflater;
use super::Fnv128;
use crate::diag::Result;
use crate::fonts::{Face, Style};

/// One face as embedded in the PDF.
pub(super) struct EmbeddedFont<'a> {
    /// Which face.
    pub style: Style,
    face: &'a Face,
    /// The subset font program, Flate-compressed.
    program: Vec<u8>,
    /// The length of the subset font program before compression.
    program_length: usize,
    /// The ToUnicode CMap stream, compressed.
    to_unicode: Stream,
    /// Per original glyph id (dense, since lookups happen for every glyph on every page):
    /// what the content stream needs to know about it. `None` for glyphs not shown.
    glyphs: Vec<Option<GlyphEntry<'a>>>,
    /// The six capital letters before the `+` in the font's name.
    tag: String,
}

/// What the writer knows about one glyph it shows.
#[derive(Debug, Clone, Copy)]
struct GlyphEntry<'a> {
    /// The code written in strings: the glyph's id in the subset.
    code: u16,
    /// The advance written in `/W`, in thousandths of an em, to three decimals. Rounded
    /// once, here, and used both for `/W` and for the positioning arithmetic, so the two
    /// cannot disagree. Not rounded to whole units: a font with 2048 units per em would
    /// then be off by up to half a unit per glyph, and the content stream would need a
    /// correction after nearly every glyph to keep the frame's positions.
    width: f32,
    /// The text written in the ToUnicode CMap, if any.
    unicode: Option<&'a str>,
}

impl<'a> EmbeddedFont<'a> {
    /// Subsets `face` to the glyphs in `usage` and decides their widths and texts.
    pub fn new(style: Style, face: &'a Face, usage: &FaceUsage<'a>) -> Result<EmbeddedFont<'a>> {
        let wanted = usage.glyphs().map(|(gid, _)| gid).collect();
        let subset = face.subset_for_pdf(&wanted)?;

        let mut hash = Fnv128::new();
        hash.field(face.postscript_name().as_bytes());
        let max = usage.glyphs().next_back().map_or(0, |(g, _)| usize::from(g));
        let mut glyphs = vec![None; max + 1];
        for (gid, votes) in usage.glyphs() {
            hash.write(&gid.to_be_bytes());
            // A glyph the subsetter dropped would draw as .notdef; the fonts module keeps
            // every glyph asked for, so this is only a fallback.
            let code = subset.map.get(&gid).copied().unwrap_or(0);
            let width = super::content::coord(f64::from(face.advance(gid)) * 1000.0);
            glyphs[usize::from(gid)] = Some(GlyphEntry { code, width, unicode: votes.winner() });
        }
        // Compress the streams here, on the face's own thread, while the main thread
        // writes the pages; `finish` leaves streams that have a filter alone.
        let mut deflater = Deflater::new();
        let program = deflater.deflate(&subset.data)?;
        let mut to_unicode = Stream::new(Dictionary::new(), to_unicode_cmap(&by_code(&glyphs)));
        deflater.pack(&mut to_unicode)?;
        Ok(EmbeddedFont {
            style,
            face,
            program,
            program_length: subset.data.len(),
            to_unicode,
            glyphs,
            tag: subset_tag(hash.finish()),
        })
    }

    /// The name of the font in page resources, such as `/FR`. Deliberately not `F1`…`F14`,
    /// which printpdf reserves for the standard fonts.
    pub fn resource(&self) -> &'static str {
        match self.style {
            Style::Regular => "FR",
            Style::Italic => "FI",
            Style::Bold => "FB",
            Style::BoldItalic => "FBI",
        }
    }

    fn entry(&self, gid: u16) -> Option<&GlyphEntry<'a>> {
        self.glyphs.get(usize::from(gid)).and_then(Option::as_ref)
    }

    /// The two-byte code that shows original glyph `gid`, and the glyph's advance as the
    /// viewer will apply it, in thousandths of an em.
    pub fn code_and_width(&self, gid: u16) -> (u16, f32) {
        self.entry(gid).map_or((0, 0.0), |e| (e.code, e.width))
    }

    /// The text the ToUnicode CMap gives for glyph `gid` ("" if none).
    pub fn unicode(&self, gid: u16) -> &'a str {
        self.entry(gid).and_then(|e| e.unicode).unwrap_or("")
    }

    /// The font's name in the PDF: the subset tag, a `+` and the PostScript name.
    fn base_font(&self) -> String {
        let name: String = self
            .face
            .postscript_name()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' })
            .collect();
        format!("{}+{}", self.tag, name)
    }

    /// Adds the font's objects to `doc` and returns the Type0 font dictionary's id, to be
    /// named in page resources.
    pub fn add_to(&self, doc: &mut lopdf::Document) -> ObjectId {
        let base_font = Object::Name(self.base_font().into_bytes());
        let facts = FaceFacts::read(self.face);
        let entries = by_code(&self.glyphs);

        // Length1 is the length before compression, required for FontFile2.
        let program = Stream::new(
            dictionary! { "Length1" => self.program_length as i64, "Filter" => "FlateDecode" },
            self.program.clone(),
        );
        let program = doc.add_object(program);

        let metrics = self.face.metrics();
        // Glyph space is thousandths of an em.
        let em = |v: f32| Object::Integer((v * 1000.0).round() as i64);
        let descriptor = dictionary! {
            "Type" => "FontDescriptor",
            "FontName" => base_font.clone(),
            "Flags" => facts.flags,
            "FontBBox" => self.face.bounding_box().map(em).to_vec(),
            "ItalicAngle" => Object::Real(super::content::coord(self.face.italic_angle().into())),
            "Ascent" => em(metrics.ascender),
            "Descent" => em(metrics.descender),
            "CapHeight" => em(metrics.cap_height),
            "XHeight" => em(metrics.x_height),
            "StemV" => facts.stem_v,
            "FontFile2" => program,
        };
        let descriptor = doc.add_object(descriptor);

        let cid_font = dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "BaseFont" => base_font.clone(),
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"),
                "Supplement" => 0,
            },
            "FontDescriptor" => descriptor,
            "W" => widths_array(&entries),
            "CIDToGIDMap" => "Identity",
        };
        let cid_font = doc.add_object(cid_font);

        let to_unicode = doc.add_object(self.to_unicode.clone());

        doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => base_font,
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![Object::Reference(cid_font)],
            "ToUnicode" => to_unicode,
        })
    }
}

/// The shown glyphs, ordered by code.
fn by_code<'a>(glyphs: &[Option<GlyphEntry<'a>>]) -> Vec<GlyphEntry<'a>> {
    let mut entries: Vec<_> = glyphs.iter().flatten().copied().collect();
    entries.sort_by_key(|e| e.code);
    entries.dedup_by_key(|e| e.code);
    entries
}

/// Six capital letters from a hash of the face and its glyph set (PDF 32000-1 §9.6.4).
fn subset_tag(mut hash: u128) -> String {
    (0..6)
        .map(|_| {
            let letter = b'A' + (hash % 26) as u8;
            hash /= 26;
            char::from(letter)
        })
        .collect()
}

/// `/W`: runs of consecutive codes, each as `first [w w w …]`.
fn widths_array(entries: &[GlyphEntry<'_>]) -> Vec<Object> {
    let mut array = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut first = 0u16;
    let mut next = None;
    for e in entries {
        if next != Some(e.code) {
            if !run.is_empty() {
                array.push(Object::Integer(i64::from(first)));
                array.push(Object::Array(std::mem::take(&mut run)));
            }
            first = e.code;
        }
        run.push(Object::Real(e.width));
        next = e.code.checked_add(1);
    }
    if !run.is_empty() {
        array.push(Object::Integer(i64::from(first)));
        array.push(Object::Array(run));
    }
    array
}

/// The ToUnicode CMap: `bfchar` entries from each code to the UTF-16BE of its text, at
/// most 100 to a block as the CMap format requires. Glyphs without a text are left out;
/// the content writer covers their occurrences with `/ActualText`.
fn to_unicode_cmap(entries: &[GlyphEntry<'_>]) -> Vec<u8> {
    use std::fmt::Write;
    let mapped: Vec<_> = entries.iter().filter_map(|e| e.unicode.map(|u| (e.code, u))).collect();
    let mut s = String::with_capacity(300 + mapped.len() * 16);
    s.push_str(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for block in mapped.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", block.len());
        for (code, text) in block {
            let _ = write!(s, "<{code:04X}> <");
            for unit in text.encode_utf16() {
                let _ = write!(s, "{unit:04X}");
            }
            s.push_str(">\n");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}

/// FontDescriptor values the `fonts` API does not offer, read from the font's tables.
#[derive(Debug, Clone, PartialEq)]
struct FaceFacts {
    /// `/Flags`: FixedPitch 1, Serif 2, Symbolic 4, Italic 64.
    flags: i64,
    /// `/StemV`, estimated from the weight class.
    stem_v: i64,
}

impl FaceFacts {
    /// Reads the `OS/2` and `post` tables of `face`, falling back to plain values for
    /// anything missing: these numbers only matter to a viewer that has to substitute the
    /// font, which never happens with an embedded one.
    fn read(face: &Face) -> FaceFacts {
        let sfnt = Sfnt(face.data());
        let post = sfnt.table(*b"post");
        let os2 = sfnt.table(*b"OS/2");

        let style = face.style();
        let fixed_pitch = post.and_then(|p| p.u32(12)).is_some_and(|v| v != 0);
        let weight = os2.and_then(|t| t.u16(4)).unwrap_or(if style.is_bold() { 700 } else { 400 });
        // PANOSE: family kind 2 is Latin text; serif styles 11 to 13 are the sans ones.
        let serif = os2
            .and_then(|t| Some((t.u8(32)?, t.u8(33)?)))
            .is_some_and(|(kind, serif)| kind == 2 && (2..=10).contains(&serif));
        let italic = style.is_italic() || face.italic_angle() != 0.0;

        // Symbolic, not Nonsymbolic: glyphs are addressed by id, not through the
        // standard Latin encoding that Nonsymbolic promises.
        let mut flags = 4;
        if fixed_pitch {
            flags |= 1;
        }
        if serif {
            flags |= 2;
        }
        if italic {
            flags |= 64;
        }
        // A rough stem width: 80 for a regular weight (400), 140 for bold (700).
        let stem_v = i64::from(weight) / 5;
        FaceFacts { flags, stem_v }
    }
}

/// Just enough of an OpenType file to find a table.
#[derive(Clone, Copy)]
struct Sfnt<'d>(&'d [u8]);

impl<'d> Sfnt<'d> {
    /// The table with `tag`, from the table directory (OpenType §"Table Directory").
    fn table(self, tag: [u8; 4]) -> Option<Sfnt<'d>> {
        let count = self.u16(4)?;
        (0..usize::from(count)).find_map(|i| {
            let record = 12 + 16 * i;
            if self.0.get(record..record + 4)? != tag {
                return None;
            }
            let offset = self.u32(record + 8)? as usize;
            let length = self.u32(record + 12)? as usize;
            self.0.get(offset..offset.checked_add(length)?).map(Sfnt)
        })
    }

    fn bytes<const N: usize>(self, at: usize) -> Option<[u8; N]> {
        self.0.get(at..at.checked_add(N)?)?.try_into().ok()
    }

    fn u8(self, at: usize) -> Option<u8> {
        self.0.get(at).copied()
    }

    fn u16(self, at: usize) -> Option<u16> {
        self.bytes(at).map(u16::from_be_bytes)
    }

    fn u32(self, at: usize) -> Option<u32> {
        self.bytes(at).map(u32::from_be_bytes)
    }
}
