//! Pictures the manuscript refers to, read and checked once for both renderers.
//!
//! Pictures must live inside the book directory (a book is self-contained and a build
//! never reaches the network) and be PNG or JPEG, which every EPUB reader and PDF viewer
//! shows. Anything else is an error at the picture's place in the manuscript.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Component, Path};

use crate::diag::{Diagnostic, Source};
use crate::model::{Block, Document, Inline};

/// A picture, read from the book directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// The path as the manuscript wrote it, relative to the book directory.
    pub src: String,
    /// The file's bytes, unchanged.
    pub bytes: Vec<u8>,
    /// `image/png` or `image/jpeg`.
    pub media_type: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Every picture of a document, by the `src` the manuscript gives.
pub type Images = BTreeMap<String, Image>;

/// Reads every picture `doc` shows from `dir`. Returns the pictures found and the
/// problems with the others.
pub fn load(dir: &Path, doc: &Document, src: &Source) -> (Images, Vec<Diagnostic>) {
    let mut wanted = Vec::new();
    let mut visit = |inline: &Inline| {
        if let Inline::Image { src, span, .. } = inline {
            wanted.push((src.clone(), *span));
        }
    };
    for block in doc.blocks.iter().chain(doc.notes.iter().flat_map(|n| n.blocks.iter())) {
        walk_block(block, &mut visit);
    }
    let mut images = Images::new();
    let mut problems = Vec::new();
    for (name, span) in wanted {
        if images.contains_key(&name) {
            continue;
        }
        match read(dir, &name) {
            Ok(image) => {
                images.insert(name, image);
            }
            Err((message, hint)) => problems.push(src.error(span, message).with_hint(hint)),
        }
    }
    (images, problems)
}

fn read(dir: &Path, name: &str) -> Result<Image, (String, &'static str)> {
    if name.contains("://") || name.starts_with("data:") {
        return Err((format!("picture `{name}` is not a file in the book"), "copy it into the book directory; builds never fetch"));
    }
    let rel = Path::new(name);
    let escapes = rel.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes || name.is_empty() {
        return Err((format!("picture `{name}` is outside the book directory"), "give a path relative to the book directory, without `..`"));
    }
    let bytes = std::fs::read(dir.join(rel))
        .map_err(|e| (format!("cannot read picture `{name}`: {e}"), "check the file name; paths are relative to the book directory"))?;
    let unsupported = "save it as PNG or JPEG";
    let reader = image::ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| (format!("cannot read picture `{name}`: {e}"), unsupported))?;
    let media_type = match reader.format() {
        Some(image::ImageFormat::Png) => "image/png",
        Some(image::ImageFormat::Jpeg) => "image/jpeg",
        _ => return Err((format!("picture `{name}` is not PNG or JPEG"), unsupported)),
    };
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| (format!("picture `{name}` is damaged: {e}"), unsupported))?;
    Ok(Image { src: name.to_string(), bytes, media_type, width, height })
}

/// Calls `f` on every inline of `block`, depth first.
pub fn walk_block(block: &Block, f: &mut impl FnMut(&Inline)) {
    match block {
        Block::Heading { content, .. } | Block::Paragraph { content, .. } => walk_inlines(content, f),
        Block::Quote { blocks, .. } => blocks.iter().for_each(|b| walk_block(b, f)),
        Block::List { items, .. } => items.iter().flat_map(|i| &i.blocks).for_each(|b| walk_block(b, f)),
        Block::Table { head, rows, .. } => {
            head.iter().chain(rows.iter().flatten()).for_each(|c| walk_inlines(c, f))
        }
        Block::Code { .. } | Block::Rule { .. } => {}
    }
}

fn walk_inlines(inlines: &[Inline], f: &mut impl FnMut(&Inline)) {
    for inline in inlines {
        f(inline);
        walk_inlines(inline.children(), f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manuscript;
    use crate::model::Metadata;

    #[test]
    fn pictures_are_read_or_reported() {
        let dir = std::env::temp_dir().join(format!("pamphlet-assets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut png = Vec::new();
        image::RgbImage::new(3, 2).write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        std::fs::write(dir.join("ok.png"), &png).unwrap();
        std::fs::write(dir.join("bad.png"), b"not a picture").unwrap();
        let md = "![a](ok.png) ![b](missing.png)\n\n![c](bad.png) ![d](../x.png) ![e](https://x.org/e.png)\n";
        let src = Source::new(dir.join("m.md"), md.to_string());
        let doc = manuscript::parse(&src, Metadata::default()).document;
        let (images, problems) = load(&dir, &doc, &src);
        assert_eq!(images["ok.png"].media_type, "image/png");
        assert_eq!((images["ok.png"].width, images["ok.png"].height), (3, 2));
        let m: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert_eq!(m.len(), 4, "{m:?}");
        assert!(m[0].contains("m.md:1:14: error: cannot read picture `missing.png`"), "{m:?}");
        assert!(m[1].contains("`bad.png` is not PNG or JPEG"), "{m:?}");
        assert!(m[2].contains("outside the book directory"), "{m:?}");
        assert!(m[3].contains("not a file in the book"), "{m:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn walk_reaches_nested_inlines() {
        let src = Source::new("m.md", "> - *![x](a.png)*\n".to_string());
        let doc = manuscript::parse(&src, Metadata::default()).document;
        let mut n = 0;
        doc.blocks.iter().for_each(|b| walk_block(b, &mut |i| n += matches!(i, Inline::Image { .. }) as usize));
        assert_eq!(n, 1);
    }
}
