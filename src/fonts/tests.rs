//! Tests of the font family: loading, coverage, shaping and both kinds of subset.

use read_fonts::types::Tag;
use read_fonts::{FontRef, TableProvider};

use super::*;

/// The characters of a typical English essay (the 3,700-word one pamphlet was built for
/// uses 79 of these): ASCII letters, digits and punctuation, curly quotes, dashes, an
/// ellipsis and an accented letter.
const ESSAY_CHARS: &str = " !\"'(),-./0123456789:;?ABCDEFGHIJKLMNOPQRSTUVWXYZ[]abcdefghijklmnopqrstuvwxyz~‘’“”…–—é";

fn regular() -> &'static Face {
    Fonts::builtin().face(Style::Regular)
}

fn shape(face: &Face, text: &str) -> Vec<ShapedGlyph> {
    let mut out = Vec::new();
    face.shape(text, &mut out);
    out
}

fn width(glyphs: &[ShapedGlyph]) -> f32 {
    glyphs.iter().map(|g| g.x_advance).sum()
}

#[test]
fn all_four_faces_load() {
    let fonts = Fonts::builtin();
    let names = ["CharisSIL", "CharisSIL-Italic", "CharisSIL-Bold", "CharisSIL-BoldItalic"];
    for (style, name) in Style::ALL.into_iter().zip(names) {
        let face = fonts.face(style);
        assert_eq!(face.style(), style);
        assert_eq!(face.postscript_name(), name);
        assert_eq!(face.units_per_em(), 2048);
        assert!(face.num_glyphs() > 3000);
        assert!(FontRef::new(face.data()).is_ok());
        let m = face.metrics();
        assert!(
            m.ascender > m.cap_height && m.cap_height > m.x_height && m.x_height > 0.0 && m.descender < 0.0,
            "{m:?}"
        );
        let [x_min, y_min, x_max, y_max] = face.bounding_box();
        assert!(x_min < 0.0 && y_min < m.descender && x_max > 1.0 && y_max > m.cap_height, "{:?}", face.bounding_box());
        assert_eq!(face.italic_angle(), if style.is_italic() { -11.0 } else { 0.0 });
    }
    assert!(std::ptr::eq(fonts, Fonts::builtin()), "parsed once");
    assert_eq!(fonts.family_name(), "Charis SIL");
    assert!(fonts.license_text().contains("SIL OPEN FONT LICENSE Version 1.1"));
    assert!(fonts.license_text().starts_with("Copyright (c) 1997-2022 SIL International"));
}

#[test]
fn coverage_of_typographic_characters() {
    for style in Style::ALL {
        let face = Fonts::builtin().face(style);
        for c in ['a', '“', '’', '—', '…', 'é', 'ﬁ'] {
            assert!(face.has_char(c), "{style:?} lacks {c:?}");
        }
        for c in ESSAY_CHARS.chars() {
            assert!(face.glyph_for_char(c).is_some_and(|g| g != 0), "{style:?} lacks {c:?}");
        }
        assert!(!face.has_char('\u{1F600}'));
        assert_eq!(face.glyph_for_char('\u{1F600}'), None);
    }
}

#[test]
fn missing_characters_are_reported_with_byte_offsets() {
    let fonts = Fonts::builtin();
    let text = "Café\n“ok”\u{200D} 😀 then ☃";
    assert_eq!(fonts.first_missing(Style::Regular, text), Some((text.find('😀').unwrap(), '😀')));
    let missing: Vec<_> = fonts.face(Style::Italic).missing_chars(text).collect();
    // The line break and the zero-width joiner are never drawn, so they are not missing.
    assert_eq!(missing, [(text.find('😀').unwrap(), '😀'), (text.find('☃').unwrap(), '☃')]);
    assert_eq!(fonts.first_missing(Style::Bold, "plain text\twith a tab"), None);
}

#[test]
fn office_shapes_with_a_ligature_and_clusters_map_back() {
    let glyphs = shape(regular(), "office");
    assert!(glyphs.len() < "office".len(), "{glyphs:?}");
    // o, ffi, c, e: the ligature stands for the bytes from 1 up to the next cluster.
    let clusters: Vec<u32> = glyphs.iter().map(|g| g.cluster).collect();
    assert_eq!(clusters, [0, 1, 4, 5]);
    assert_ne!(glyphs[1].id, regular().glyph_for_char('f').unwrap());

    let mut plain = Vec::new();
    regular().shaper.shape_settings(regular(), "office", &[(*b"liga", 0)], &mut plain);
    assert_eq!(plain.len(), 6);
}

#[test]
fn clusters_are_byte_offsets_of_character_starts() {
    let text = "“Naïve”—café… fine";
    let glyphs = shape(regular(), text);
    assert_eq!(glyphs[0].cluster, 0);
    for pair in glyphs.windows(2) {
        assert!(pair[0].cluster <= pair[1].cluster, "monotone: {glyphs:?}");
    }
    for g in &glyphs {
        assert!(text.is_char_boundary(g.cluster as usize), "{} is inside a character", g.cluster);
    }
    // "fi" after the space is a ligature whose cluster is the 'f'.
    let f = u32::try_from(text.rfind('f').unwrap()).unwrap();
    assert!(glyphs.iter().any(|g| g.cluster == f));
    assert!(!glyphs.iter().any(|g| g.cluster == f + 1));
}

#[test]
fn advances_are_in_ems_and_match_the_font() {
    let face = regular();
    let glyphs = shape(face, "Hm");
    for g in &glyphs {
        assert_eq!(g.x_advance, face.advance(g.id));
        assert!(g.x_advance > 0.2 && g.x_advance < 1.2, "{g:?}");
    }
    assert!(face.advance(face.glyph_for_char(' ').unwrap()) > 0.1);
}

/// Charis SIL 6.101 has no kerning: its GPOS holds only mark positioning and there is no
/// `kern` table. The kern feature is on when shaping, so if the fonts are ever replaced by
/// a version that kerns, "AV" narrows and this test says so.
#[test]
fn kerning_is_requested_but_charis_has_none() {
    let face = regular();
    let kerned = shape(face, "AV");
    let mut unkerned = Vec::new();
    face.shaper.shape_settings(face, "AV", &[(*b"kern", 0)], &mut unkerned);
    assert_eq!(width(&kerned), width(&unkerned));
    let font = FontRef::new(face.data()).unwrap();
    assert!(font.table_data(Tag::new(b"kern")).is_none());
    let gpos = font.gpos().unwrap();
    let features = gpos.feature_list().unwrap();
    assert!(features.feature_records().iter().all(|r| r.feature_tag() != Tag::new(b"kern")));
}

#[test]
fn gpos_places_combining_marks() {
    let face = regular();
    let glyphs = shape(face, "e\u{301}x");
    // Either the font composes é, or the acute sits on the e with no advance of its own.
    if glyphs.len() == 3 {
        assert_eq!(glyphs[1].x_advance, 0.0, "{glyphs:?}");
        assert_eq!(glyphs[1].cluster, 0, "the mark joins the base's cluster");
    } else {
        assert_eq!(glyphs[0].id, face.glyph_for_char('é').unwrap());
    }
}

#[test]
fn extra_features_such_as_small_caps() {
    let face = regular();
    let plain = shape(face, "Small");
    let mut small_caps = Vec::new();
    face.shape_with("Small", &[*b"smcp"], &mut small_caps);
    assert_eq!(plain.len(), small_caps.len());
    assert_eq!(plain[0].id, small_caps[0].id, "capitals stay");
    assert_ne!(plain[1].id, small_caps[1].id, "lower case becomes small capitals");
    // The plan for smcp is cached apart from the default one.
    let mut again = Vec::new();
    face.shape("Small", &mut again);
    assert_eq!(again, plain);
}

#[test]
fn shaping_appends_and_handles_empty_text() {
    let face = regular();
    let mut out = Vec::new();
    face.shape("", &mut out);
    assert!(out.is_empty());
    face.shape("ab", &mut out);
    face.shape("cd", &mut out);
    assert_eq!(out.len(), 4);
    assert_eq!(out[2].cluster, 0, "clusters count from the start of each call's text");
}

#[test]
fn unsupported_text_shapes_to_notdef_without_panicking() {
    let face = regular();
    let glyphs = shape(face, "a😀b\u{0}");
    assert!(glyphs.iter().any(|g| g.id == 0));
    assert_eq!(glyphs[0].id, face.glyph_for_char('a').unwrap());
}

fn glyphs_of(face: &Face, text: &str) -> BTreeSet<u16> {
    shape(face, text).iter().map(|g| g.id).collect()
}

#[test]
fn pdf_subset_parses_and_maps_glyph_ids() {
    let face = Fonts::builtin().face(Style::Italic);
    let glyphs = glyphs_of(face, "Hello, office");
    let subset = face.subset_for_pdf(&glyphs).unwrap();
    assert_eq!(subset.map.get(&0), Some(&0), ".notdef stays first");
    for g in &glyphs {
        assert!(subset.map.contains_key(g), "glyph {g} kept");
    }
    let font = harfrust::Font::new(subset.data.clone(), 0).unwrap();
    assert!(font.num_glyphs() as usize >= subset.map.len());
    let metrics = font.glyph_metrics();
    for (&old, &new) in &subset.map {
        let advance = metrics.h_advance(read_fonts::types::GlyphId::from(new)) / 2048.0;
        assert_eq!(advance, face.advance(old), "glyph {old} → {new}");
    }
    let parsed = FontRef::new(&subset.data).unwrap();
    for tag in [b"glyf", b"loca", b"head", b"hhea", b"hmtx", b"maxp"] {
        assert!(parsed.table_data(Tag::new(tag)).is_some(), "{}", String::from_utf8_lossy(tag));
    }
    assert!(subset.data.len() < 8_000, "{} bytes", subset.data.len());
}

#[test]
fn pdf_subset_of_an_essay_is_small() {
    for style in Style::ALL {
        let face = Fonts::builtin().face(style);
        let glyphs = glyphs_of(face, ESSAY_CHARS);
        let subset = face.subset_for_pdf(&glyphs).unwrap();
        assert!(subset.data.len() < 16_000, "{style:?}: {} bytes", subset.data.len());
    }
}

#[test]
fn pdf_subset_rejects_a_glyph_outside_the_font() {
    let face = regular();
    let err = face.subset_for_pdf(&BTreeSet::from([3, u16::MAX])).err().unwrap();
    assert!(err.to_string().contains("glyph 65535 is not in the font"), "{err}");
}

/// Whether glyph `old` of the original face and glyph `new` of `subset` draw the same
/// outline (components resolved) with the same advance.
fn same_glyph(face: &Face, old: u16, subset: &harfrust::Font, new: u16) -> bool {
    use read_fonts::model::glyph::outline::{DrawMemory, DrawOptions, SvgSink};
    use read_fonts::types::GlyphId;
    let draw = |font: &harfrust::Font, glyph: u16| {
        let mut svg = SvgSink::new();
        let outline = font.outline_glyphs().get(GlyphId::from(glyph)).expect("glyph exists");
        outline.draw(&DrawOptions::default(), DrawMemory::Scratch, &mut svg).expect("glyph draws");
        svg.to_string()
    };
    draw(&face.font, old) == draw(subset, new)
        && face.font.glyph_metrics().h_advance(GlyphId::from(old))
            == subset.glyph_metrics().h_advance(GlyphId::from(new))
}

#[test]
fn web_subset_is_a_standalone_font_with_a_cmap() {
    for style in Style::ALL {
        let face = Fonts::builtin().face(style);
        let chars: BTreeSet<char> = ESSAY_CHARS.chars().collect();
        let data = face.subset_for_web(&chars).unwrap();
        assert!(data.len() < 15_000, "{style:?}: {} bytes", data.len());

        let parsed = FontRef::new(&data).unwrap();
        for tag in [b"cmap", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"OS/2", b"post", b"glyf", b"loca", b"GSUB"] {
            assert!(parsed.table_data(Tag::new(tag)).is_some(), "{style:?} lacks {}", String::from_utf8_lossy(tag));
        }
        for tag in [b"fpgm", b"prep", b"cvt "] {
            assert!(parsed.table_data(Tag::new(tag)).is_none(), "hinting is dropped");
        }
        let font = harfrust::Font::new(data.clone(), 0).unwrap();
        let charmap = font.charmap();
        for &c in &chars {
            let new = charmap.map_unicode(c).unwrap_or_else(|| panic!("{style:?}: no glyph for {c:?}"));
            let new = u16::try_from(new.to_u32()).unwrap();
            assert!(new != 0);
            assert!(same_glyph(face, face.glyph_for_char(c).unwrap(), &font, new), "{style:?}: {c:?}");
        }
        assert!(charmap.map_unicode('ß').is_none(), "only the requested characters");

        // A browser's shaper finds the standard ligatures.
        let mut buffer = harfrust::Buffer::new();
        buffer.push_str("office");
        buffer.guess_segment_properties();
        harfrust::shape(&harfrust::ShaperFont::new(&font), &mut buffer, harfrust::ShapeOptions::new()).unwrap();
        assert_eq!(buffer.len(), 4, "{style:?}: ffi is one glyph");
    }
}

#[test]
fn web_subset_is_renamed_as_the_licence_asks() {
    let face = Fonts::builtin().face(Style::BoldItalic);
    let data = face.subset_for_web(&"Hi".chars().collect()).unwrap();
    let font = harfrust::Font::new(data, 0).unwrap();
    let name = |id| -> String { font.names().get(id).unwrap().english_or_first().unwrap().name().chars().collect() };
    assert_eq!(name(NameId::FAMILY_NAME), Fonts::builtin().web_family_name());
    assert_eq!(name(NameId::SUBFAMILY_NAME), "Bold Italic");
    assert_eq!(name(NameId::FULL_NAME), "Pamphlet Serif Bold Italic");
    assert_eq!(name(NameId::POSTSCRIPT_NAME), "PamphletSerif-BoldItalic");
    assert!(name(NameId::COPYRIGHT_NOTICE).contains("SIL International"));
    assert!(name(NameId::LICENSE_DESCRIPTION).contains("SIL Open Font License"));
    assert!(name(NameId::LICENSE_URL).contains("scripts.sil.org/OFL"));
}

#[test]
fn web_subset_without_ligatures_has_no_gsub() {
    let data = regular().subset_for_web(&"xyz".chars().collect()).unwrap();
    let parsed = FontRef::new(&data).unwrap();
    assert!(parsed.table_data(Tag::new(b"GSUB")).is_none());
    assert_eq!(parsed.maxp().unwrap().num_glyphs(), 4);
}

#[test]
fn web_subset_of_nothing_or_of_missing_characters_is_still_a_font() {
    for text in ["", "😀"] {
        let data = regular().subset_for_web(&text.chars().collect()).unwrap();
        let font = FontRef::new(&data).unwrap();
        assert_eq!(font.maxp().unwrap().num_glyphs(), 1, ".notdef only");
        assert!(font.cmap().is_ok());
    }
}

#[test]
fn subsets_are_deterministic() {
    let face = Fonts::builtin().face(Style::Bold);
    let chars: BTreeSet<char> = ESSAY_CHARS.chars().collect();
    assert_eq!(face.subset_for_web(&chars).unwrap(), face.subset_for_web(&chars).unwrap());
    let glyphs = glyphs_of(face, ESSAY_CHARS);
    let (a, b) = (face.subset_for_pdf(&glyphs).unwrap(), face.subset_for_pdf(&glyphs).unwrap());
    assert_eq!((a.data, a.map), (b.data, b.map));
}

#[test]
fn composite_glyphs_survive_without_instructions() {
    // é and ~ are composites in Charis (e + acutecomb, a spacing copy of the tilde).
    let face = regular();
    let chars: BTreeSet<char> = "é~".chars().collect();
    let data = face.subset_for_web(&chars).unwrap();
    let font = harfrust::Font::new(data, 0).unwrap();
    for c in chars {
        let new = u16::try_from(font.charmap().map_unicode(c).unwrap().to_u32()).unwrap();
        assert!(same_glyph(face, face.glyph_for_char(c).unwrap(), &font, new), "{c:?}");
    }
}
