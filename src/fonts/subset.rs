//! Subsetting: a face cut down to what one document uses, for the PDF and for the EPUB.
//!
//! Both outputs start from the `subsetter` crate, which keeps the requested glyphs plus
//! the components of composite glyphs, renumbers them from 0 (.notdef), and writes `glyf`,
//! `loca`, `head`, `hhea`, `hmtx`, `maxp`, `name`, `post` and the hinting tables. Its output
//! is meant for a PDF and has no `cmap` or `OS/2`, so this module finishes it:
//!
//! - Hinting is dropped, both the font programs (`fpgm`, `prep`, `cvt `) and each glyph's
//!   instructions, which are more than half of a Charis subset. Print is unaffected; on
//!   screen, renderers that still run TrueType hints (mainly on Windows) draw small text a
//!   little softer, and the others (Core Text, FreeType's light mode) ignore them anyway.
//! - `name` is rewritten with the few records that matter: the names, the copyright and a
//!   pointer to the licence (the full licence text alone is 9 KB in UTF-16).
//! - `post` becomes version 3, without glyph names, and the original `OS/2` is added.
//! - For the web, `cmap`, `OS/2`'s character range and a `GSUB` with the standard
//!   ligatures among the kept characters are added, which makes a standalone font that a
//!   browser or e-reader accepts. Charis has no kerning, so there is no `GPOS` to carry
//!   over; its `GPOS` holds only mark positioning, which precomposed characters don't need.

use std::collections::{BTreeMap, BTreeSet};

use read_fonts::tables::gsub::{LigatureSubst, SubstitutionSubtables};
use read_fonts::types::{NameId, Tag};
use read_fonts::{FontRef, TableProvider};
use subsetter::GlyphRemapper;
use write_fonts::tables::cmap::Cmap;
use write_fonts::tables::gsub::{
    Gsub, Ligature, LigatureSet, LigatureSubstFormat1, SubstitutionLookup, SubstitutionLookupList,
};
use write_fonts::tables::layout::{
    CoverageTable, Feature, FeatureList, FeatureRecord, LangSys, Lookup, LookupFlag, Script, ScriptList, ScriptRecord,
};
use write_fonts::tables::name::{Name, NameRecord};
use write_fonts::types::{GlyphId, GlyphId16};
use write_fonts::FontBuilder;

use super::{Face, PdfSubset, FAMILY_NAME, WEB_FAMILY_NAME};
use crate::diag::{Diagnostic, Result};

/// The licence notice written into subsets, in place of the full text the fonts carry.
const LICENSE_NOTICE: &str = "This Font Software is licensed under the SIL Open Font License, Version 1.1.";

/// Cuts `face` down to `glyphs` (plus .notdef and the components they are built from).
pub(super) fn subset_for_pdf(face: &Face, glyphs: &BTreeSet<u16>) -> Result<PdfSubset> {
    if let Some(&bad) = glyphs.iter().find(|&&g| g >= face.num_glyphs) {
        return Err(
            internal(face, format!("glyph {bad} is not in the font, which has {} glyphs", face.num_glyphs)).into()
        );
    }
    let mut remapper = GlyphRemapper::new();
    for &glyph in glyphs {
        remapper.remap(glyph);
    }
    let cut = subsetter::subset(face.data, 0, &remapper).map_err(|e| internal(face, e.to_string()))?;
    let names = Names { family: FAMILY_NAME.to_string(), postscript: face.postscript_name.clone(), description: None };
    let mut tables = Tables::finish(face, &cut, &names)?;
    let data = tables.build();
    let map = std::iter::once(0)
        .chain(glyphs.iter().copied())
        .filter_map(|old| remapper.get(old).map(|new| (old, new)))
        .collect();
    Ok(PdfSubset { data, map })
}

/// A standalone font drawing `chars`, with the ligatures they can form.
pub(super) fn subset_for_web(face: &Face, chars: &BTreeSet<char>) -> Result<Vec<u8>> {
    // Characters the face lacks are left out: the reader's fallback font draws them, and
    // `check` reports them.
    let mapped: Vec<(char, u16)> = chars.iter().filter_map(|&c| Some((c, face.glyph_for_char(c)?))).collect();
    let mut kept: BTreeSet<u16> = mapped.iter().map(|&(_, g)| g).collect();
    let ligatures = ligature_closure(face, &mut kept).map_err(|e| internal(face, e))?;

    // Ascending old ids give a stable numbering: the same characters, the same bytes.
    let mut remapper = GlyphRemapper::new();
    for &glyph in &kept {
        remapper.remap(glyph);
    }
    let cut = subsetter::subset(face.data, 0, &remapper).map_err(|e| internal(face, e.to_string()))?;
    let new_id = |old: u16| remapper.get(old).unwrap_or(0);

    let names = Names {
        family: WEB_FAMILY_NAME.to_string(),
        postscript: format!("{}-{}", WEB_FAMILY_NAME.replace(' ', ""), face.style.subfamily().replace(' ', "")),
        description: Some(format!(
            "A subset of {} {} by SIL International, made by pamphlet for one book.",
            face.postscript_name,
            original_name(face, NameId::VERSION_STRING).unwrap_or_default(),
        )),
    };
    let mut tables = Tables::finish(face, &cut, &names)?;

    let cmap = Cmap::from_mappings(mapped.iter().map(|&(c, g)| (c, GlyphId::new(u32::from(new_id(g))))))
        .map_err(|e| internal(face, e.to_string()))?;
    tables.add(face, b"cmap", &cmap)?;
    // Replaces the copy `finish` made: a web font's OS/2 also gives its character range.
    tables.put(b"OS/2", os2(face, &mapped)?);
    if let Some(gsub) = gsub(&ligatures, new_id) {
        tables.add(face, b"GSUB", &gsub)?;
    }
    Ok(tables.build())
}

/// Names written into a subset's `name` table.
struct Names {
    family: String,
    postscript: String,
    description: Option<String>,
}

/// The tables of a subset being assembled.
struct Tables {
    builder: FontBuilder<'static>,
}

impl Tables {
    /// Takes `subsetter`'s output apart and puts back the tables every subset needs:
    /// `glyf` and `loca` without instructions, `head`, `hhea`, `hmtx`, `maxp` without
    /// hinting limits, a short `name` and a `post` without glyph names.
    fn finish(face: &Face, cut: &[u8], names: &Names) -> Result<Tables> {
        let font = FontRef::new(cut).map_err(|e| internal(face, format!("the subset does not parse: {e}")))?;
        let table = |tag: &[u8; 4]| {
            font.table_data(Tag::new(tag))
                .map(|data| data.as_bytes())
                .ok_or_else(|| internal(face, format!("the subset has no `{}` table", String::from_utf8_lossy(tag))))
        };
        let (head, maxp) = (table(b"head")?, table(b"maxp")?);
        let (glyf, loca) = strip_instructions(head, maxp, table(b"glyf")?, table(b"loca")?)
            .ok_or_else(|| internal(face, "the subset's `glyf` or `loca` table is malformed".to_string()))?;

        let mut head = head.to_vec();
        let mut maxp = maxp.to_vec();
        let ok = set_u16(&mut head, 50, u16::from(loca.long)) && unhint_maxp(&mut maxp);
        if !ok {
            return Err(internal(face, "the subset's `head` or `maxp` table is too short".to_string()).into());
        }
        let mut tables = Tables { builder: FontBuilder::new() };
        tables.put(b"head", head);
        tables.put(b"maxp", maxp);
        tables.put(b"hhea", table(b"hhea")?.to_vec());
        tables.put(b"hmtx", table(b"hmtx")?.to_vec());
        tables.put(b"glyf", glyf);
        tables.put(b"loca", loca.data);
        tables.put(b"post", post(face)?);
        // PDF viewers need no OS/2, but some PDF checkers read its embedding permissions.
        tables.put(b"OS/2", original_table(face, b"OS/2")?.to_vec());
        tables.add(face, b"name", &name(face, names))?;
        Ok(tables)
    }

    /// Compiles a table and adds it under `tag`.
    fn add<T>(&mut self, face: &Face, tag: &[u8; 4], table: &T) -> Result<()>
    where
        T: write_fonts::FontWrite + write_fonts::validate::Validate,
    {
        let data = write_fonts::dump_table(table).map_err(|e| internal(face, e.to_string()))?;
        self.put(tag, data);
        Ok(())
    }

    /// Adds a table's bytes under `tag`.
    fn put(&mut self, tag: &[u8; 4], data: Vec<u8>) {
        self.builder.add_raw(write_fonts::types::Tag::new(tag), data);
    }

    fn build(&mut self) -> Vec<u8> {
        self.builder.build()
    }
}

/// An error in subsetting a built-in font: a bug in pamphlet, since no input reaches the
/// font data except as the set of glyphs or characters to keep.
fn internal(face: &Face, what: String) -> Diagnostic {
    Diagnostic::error(format!("could not subset the font {}: {what}", face.postscript_name))
        .with_hint("this is a bug in pamphlet; please report it with the book that shows it")
}

/// A raw table of the original face.
fn original_table<'a>(face: &'a Face, tag: &[u8; 4]) -> Result<&'a [u8]> {
    let font = FontRef::new(face.data).map_err(|e| internal(face, e.to_string()))?;
    font.table_data(Tag::new(tag))
        .map(|data| data.as_bytes())
        .ok_or_else(|| internal(face, format!("the font has no `{}` table", String::from_utf8_lossy(tag))).into())
}

/// A string from the original face's `name` table.
fn original_name(face: &Face, id: NameId) -> Option<String> {
    let name = face.font.names().get(id)?.english_or_first()?;
    Some(name.name().chars().collect())
}

/// The subset's `name` table: Windows Unicode records, which every current system reads.
fn name(face: &Face, names: &Names) -> Name {
    let full = match face.style {
        super::Style::Regular => names.family.clone(),
        style => format!("{} {}", names.family, style.subfamily()),
    };
    let version = original_name(face, NameId::VERSION_STRING);
    let mut records: Vec<(NameId, String)> = vec![
        (NameId::COPYRIGHT_NOTICE, original_name(face, NameId::COPYRIGHT_NOTICE).unwrap_or_default()),
        (NameId::FAMILY_NAME, names.family.clone()),
        (NameId::SUBFAMILY_NAME, face.style.subfamily().to_string()),
        (NameId::UNIQUE_ID, format!("{}; {}", names.postscript, version.clone().unwrap_or_default())),
        (NameId::FULL_NAME, full),
        (NameId::VERSION_STRING, version.unwrap_or_default()),
        (NameId::POSTSCRIPT_NAME, names.postscript.clone()),
        (NameId::LICENSE_DESCRIPTION, LICENSE_NOTICE.to_string()),
        (NameId::LICENSE_URL, original_name(face, NameId::LICENSE_URL).unwrap_or_default()),
    ];
    if let Some(description) = &names.description {
        records.push((NameId::DESCRIPTION, description.clone()));
    }
    records.retain(|(_, s)| !s.is_empty());
    records.sort_by_key(|(id, _)| *id);
    // write-fonts and read-fonts depend on different releases of font-types, whose name
    // ids are the same numbers under different types.
    let records = records
        .into_iter()
        .map(|(id, s)| NameRecord::new(3, 1, 0x409, write_fonts::types::NameId::new(id.to_u16()), s.into()))
        .collect();
    Name::new(records)
}

/// A version 3 `post` table (no glyph names) with the original's header values.
fn post(face: &Face) -> Result<Vec<u8>> {
    let original = original_table(face, b"post")?;
    let mut post =
        original.get(..32).ok_or_else(|| internal(face, "the `post` table is too short".to_string()))?.to_vec();
    post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
    Ok(post)
}

/// The original `OS/2` with the character range of the subset.
fn os2(face: &Face, mapped: &[(char, u16)]) -> Result<Vec<u8>> {
    let mut os2 = original_table(face, b"OS/2")?.to_vec();
    let clamp = |c: char| u16::try_from(u32::from(c)).unwrap_or(u16::MAX);
    let first = mapped.iter().map(|&(c, _)| c).min().map_or(0, clamp);
    let last = mapped.iter().map(|&(c, _)| c).max().map_or(0, clamp);
    if !(set_u16(&mut os2, 64, first) && set_u16(&mut os2, 66, last)) {
        return Err(internal(face, "the `OS/2` table is too short".to_string()).into());
    }
    Ok(os2)
}

/// A ligature rule of the original font: `components` (first glyph included) become
/// `glyph`.
struct LigatureRule {
    components: Vec<u16>,
    glyph: u16,
}

/// The original face's standard ligatures (`liga`) whose components are all in `kept`,
/// grouped by lookup in lookup order; adds their ligature glyphs to `kept`.
fn ligature_closure(
    face: &Face,
    kept: &mut BTreeSet<u16>,
) -> std::result::Result<Vec<(LookupFlag, Vec<LigatureRule>)>, String> {
    let font = FontRef::new(face.data).map_err(|e| e.to_string())?;
    let Ok(gsub) = font.gsub() else { return Ok(Vec::new()) };
    let features = gsub.feature_list().map_err(|e| e.to_string())?;
    let mut lookup_indices = BTreeSet::new();
    for record in features.feature_records() {
        if record.feature_tag() == Tag::new(b"liga") {
            let feature = record.feature(features.offset_data()).map_err(|e| e.to_string())?;
            lookup_indices.extend(feature.lookup_list_indices().iter().map(|i| i.get()));
        }
    }
    let lookups = gsub.lookup_list().map_err(|e| e.to_string())?.lookups();

    // A ligature glyph could in principle be a component of a further ligature, so go
    // round until nothing is added; Charis needs one round, and a font needs at most as
    // many rounds as it has ligature glyphs.
    let mut groups = Vec::new();
    loop {
        groups.clear();
        let before = kept.len();
        for &index in &lookup_indices {
            let lookup = lookups.get(usize::from(index)).map_err(|e| e.to_string())?;
            // Mark filtering sets live in GDEF, which the subset does not have.
            let flag = LookupFlag::from_bits_truncate(lookup.lookup_flag().to_bits() & !0x0010);
            let SubstitutionSubtables::Ligature(subtables) = lookup.subtables().map_err(|e| e.to_string())? else {
                continue;
            };
            let mut rules = Vec::new();
            for subtable in subtables.iter() {
                // Format 2 (24-bit glyph ids) cannot occur in a font of 16-bit glyph ids.
                let LigatureSubst::Format1(subtable) = subtable.map_err(|e| e.to_string())? else { continue };
                let coverage = subtable.coverage().map_err(|e| e.to_string())?;
                for (first, set) in coverage.iter().zip(subtable.ligature_sets().iter()) {
                    let Ok(first) = u16::try_from(first.to_u32()) else { continue };
                    if !kept.contains(&first) {
                        continue;
                    }
                    for ligature in set.map_err(|e| e.to_string())?.ligatures().iter() {
                        let ligature = ligature.map_err(|e| e.to_string())?;
                        let rest = ligature.component_glyph_ids().iter().map(|g| g.get().to_u16());
                        let components: Vec<u16> = std::iter::once(first).chain(rest).collect();
                        if components.iter().all(|g| kept.contains(g)) {
                            rules.push(LigatureRule { components, glyph: ligature.ligature_glyph().to_u16() });
                        }
                    }
                }
            }
            if !rules.is_empty() {
                groups.push((flag, rules));
            }
        }
        kept.extend(groups.iter().flat_map(|(_, rules)| rules.iter().map(|r| r.glyph)));
        if kept.len() == before {
            return Ok(groups);
        }
    }
}

/// A `GSUB` with one `liga` feature for the default and Latin scripts, holding `groups`
/// with glyph ids passed through `new_id`; `None` if there are no ligatures.
fn gsub(groups: &[(LookupFlag, Vec<LigatureRule>)], new_id: impl Fn(u16) -> u16) -> Option<Gsub> {
    if groups.is_empty() {
        return None;
    }
    let lookups = groups
        .iter()
        .map(|(flag, rules)| {
            // Within a set, the original order stands: it puts longer ligatures (ffi)
            // before their prefixes (ff), and the first match wins.
            let mut sets: BTreeMap<GlyphId16, Vec<Ligature>> = BTreeMap::new();
            for rule in rules {
                let mut ids = rule.components.iter().map(|&g| GlyphId16::new(new_id(g)));
                let Some(first) = ids.next() else { continue };
                sets.entry(first).or_default().push(Ligature::new(GlyphId16::new(new_id(rule.glyph)), ids.collect()));
            }
            let coverage: CoverageTable = sets.keys().copied().collect();
            let subtable = LigatureSubstFormat1::new(coverage, sets.into_values().map(LigatureSet::new).collect());
            SubstitutionLookup::Ligature(Lookup::new(*flag, vec![subtable]))
        })
        .collect();
    let lookup_count = u16::try_from(groups.len()).unwrap_or(u16::MAX);
    let features = FeatureList::new(vec![FeatureRecord::new(
        write_fonts::types::Tag::new(b"liga"),
        Feature::new(None, (0..lookup_count).collect()),
    )]);
    let script = || Script::new(Some(LangSys::new(vec![0])), Vec::new());
    let scripts = ScriptList::new(vec![
        ScriptRecord::new(write_fonts::types::Tag::new(b"DFLT"), script()),
        ScriptRecord::new(write_fonts::types::Tag::new(b"latn"), script()),
    ]);
    Some(Gsub::new(scripts, features, SubstitutionLookupList::new(lookups)))
}

/// A rebuilt `loca` table.
struct Loca {
    data: Vec<u8>,
    /// Whether it holds 32-bit offsets (`head.indexToLocFormat` = 1).
    long: bool,
}

/// Copies of `glyf` and `loca` with every glyph's TrueType instructions removed.
///
/// Returns `None` if the tables are malformed.
fn strip_instructions(head: &[u8], maxp: &[u8], glyf: &[u8], loca: &[u8]) -> Option<(Vec<u8>, Loca)> {
    let long = read_u16(head, 50)? != 0;
    let num_glyphs = usize::from(read_u16(maxp, 4)?);
    let offset = |i: usize| -> Option<usize> {
        if long {
            usize::try_from(read_u32(loca, i * 4)?).ok()
        } else {
            Some(usize::from(read_u16(loca, i * 2)?) * 2)
        }
    };
    let mut out = Vec::with_capacity(glyf.len());
    let mut offsets = Vec::with_capacity(num_glyphs + 1);
    for i in 0..num_glyphs {
        offsets.push(out.len());
        let glyph = glyf.get(offset(i)?..offset(i + 1)?)?;
        strip_glyph(glyph, &mut out)?;
        // Two-byte alignment is what the short loca format needs.
        if out.len() % 2 == 1 {
            out.push(0);
        }
    }
    offsets.push(out.len());
    let long = out.len() > 0x1FFFE;
    let mut data = Vec::with_capacity(offsets.len() * 4);
    for o in offsets {
        if long {
            data.extend_from_slice(&u32::try_from(o).ok()?.to_be_bytes());
        } else {
            data.extend_from_slice(&u16::try_from(o / 2).ok()?.to_be_bytes());
        }
    }
    Some((out, Loca { data, long }))
}

/// Appends `glyph` to `out` without its instructions.
fn strip_glyph(glyph: &[u8], out: &mut Vec<u8>) -> Option<()> {
    if glyph.is_empty() {
        return Some(());
    }
    let contours = read_u16(glyph, 0)?.cast_signed();
    if contours >= 0 {
        // Header (10 bytes), end points, instruction length, instructions, then the points.
        let lengths_at = 10 + 2 * usize::from(contours as u16);
        let instructions = usize::from(read_u16(glyph, lengths_at)?);
        let points_at = lengths_at + 2 + instructions;
        let points = if contours == 0 { 0 } else { usize::from(read_u16(glyph, lengths_at - 2)?) + 1 };
        // The font pads glyphs; measuring the point data keeps that padding out.
        let end = points_at + point_data_len(glyph.get(points_at..)?, points)?;
        out.extend_from_slice(glyph.get(..lengths_at)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(glyph.get(points_at..end)?);
    } else {
        // Composite: components follow the header, each sized by its flags; the
        // instructions, if any, follow the last one.
        let start = out.len();
        let mut at = 10;
        loop {
            let flags = read_u16(glyph, at)?;
            let end = at + component_len(flags);
            out.extend_from_slice(if at == 10 { glyph.get(..end)? } else { glyph.get(at..end)? });
            // The flag is read from the last component; clearing it everywhere is simpler.
            set_u16(out, start + at, flags & !HAVE_INSTRUCTIONS).then_some(())?;
            at = end;
            if flags & MORE_COMPONENTS == 0 {
                break;
            }
        }
    }
    Some(())
}

/// Length of a simple glyph's flags and coordinates for `points` points: flags, each
/// possibly repeated, then x and y coordinates of one or two bytes or none, as the flags say.
fn point_data_len(data: &[u8], points: usize) -> Option<usize> {
    const X_SHORT: u8 = 0x02;
    const Y_SHORT: u8 = 0x04;
    const REPEAT: u8 = 0x08;
    const X_SAME_OR_POSITIVE: u8 = 0x10;
    const Y_SAME_OR_POSITIVE: u8 = 0x20;
    let (mut at, mut seen, mut coords) = (0, 0, 0);
    while seen < points {
        let flags = *data.get(at)?;
        at += 1;
        let mut count = 1;
        if flags & REPEAT != 0 {
            count += usize::from(*data.get(at)?);
            at += 1;
        }
        let x = if flags & X_SHORT != 0 {
            1
        } else if flags & X_SAME_OR_POSITIVE != 0 {
            0
        } else {
            2
        };
        let y = if flags & Y_SHORT != 0 {
            1
        } else if flags & Y_SAME_OR_POSITIVE != 0 {
            0
        } else {
            2
        };
        coords += count * (x + y);
        seen += count;
    }
    let len = at + coords;
    (len <= data.len()).then_some(len)
}

const ARGS_ARE_WORDS: u16 = 0x0001;
const HAVE_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const HAVE_XY_SCALE: u16 = 0x0040;
const HAVE_2X2: u16 = 0x0080;
const HAVE_INSTRUCTIONS: u16 = 0x0100;

/// Length of a composite glyph's component record with these flags: flags and glyph id,
/// two arguments of one or two bytes, then an optional transform.
fn component_len(flags: u16) -> usize {
    let args = if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
    let transform = if flags & HAVE_SCALE != 0 {
        2
    } else if flags & HAVE_XY_SCALE != 0 {
        4
    } else if flags & HAVE_2X2 != 0 {
        8
    } else {
        0
    };
    4 + args + transform
}

/// Sets the hinting limits of a version 1 `maxp` to what a font without instructions
/// needs: one zone, nothing else.
fn unhint_maxp(maxp: &mut [u8]) -> bool {
    if read_u32(maxp, 0) != Some(0x0001_0000) {
        // Version 0.5 (CFF fonts) has no hinting limits.
        return true;
    }
    set_u16(maxp, 14, 1) && (16..=26).step_by(2).all(|at| set_u16(maxp, at, 0))
}

fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// Writes a big-endian `u16`; false if `data` is too short.
fn set_u16(data: &mut [u8], at: usize, value: u16) -> bool {
    match data.get_mut(at..at + 2) {
        Some(slot) => {
            slot.copy_from_slice(&value.to_be_bytes());
            true
        }
        None => false,
    }
}
