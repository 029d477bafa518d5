//! `pamphlet new`: a working book to start from, showing every construct pamphlet sets.
//!
//! The templates live beside this file; the scaffold fills in the title (from the
//! directory's name), a fresh identifier, today's date and a picture, so the new book
//! builds at once.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Result};

const BOOK_TOML: &str = include_str!("scaffold/book.toml");
const MANUSCRIPT: &str = include_str!("scaffold/manuscript.md");

/// Creates a new book in `dir`, which must not exist or be empty. Returns the files made.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>> {
    let fail = |what: &str, e: std::io::Error| Diagnostic::error(format!("cannot {what} {}: {e}", dir.display()));
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| fail("read", e))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(format!("{} exists and is not empty", dir.display()))
                .with_hint("choose a new directory name")
                .into());
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| fail("create", e))?;

    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "book".into());
    let title = title_case(&name);
    let stem = crate::config::slug(&name);
    let (y, m, d, ..) = crate::config::civil_from_timestamp(now());
    let toml = BOOK_TOML
        .replace("{{TITLE}}", &title.replace('\\', "\\\\").replace('"', "\\\""))
        .replace("{{IDENTIFIER}}", &format!("urn:uuid:{}", uuid_v4()))
        .replace("{{DATE}}", &format!("{y:04}-{m:02}-{d:02}"))
        .replace("{{STEM}}", &stem);

    let files = [
        (dir.join("book.toml"), toml.into_bytes()),
        (dir.join("manuscript.md"), MANUSCRIPT.as_bytes().to_vec()),
        (dir.join("figure.png"), test_card()),
    ];
    let mut made = Vec::new();
    for (path, bytes) in files {
        std::fs::write(&path, bytes).map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))?;
        made.push(path);
    }
    Ok(made)
}

/// "my-first_book" → "My First Book".
fn title_case(name: &str) -> String {
    let words: Vec<String> = name
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        })
        .collect();
    if words.is_empty() { "Untitled".into() } else { words.join(" ") }
}

/// Seconds since the epoch. Only a new book's date uses the clock; builds never do.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A random version-4 UUID, made once for a new book and then fixed in its book.toml.
fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    let random = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut b));
    if random.is_err() {
        // No /dev/urandom (not a Unix): the time and process id are unique enough for
        // an identifier that only has to differ from other books'.
        let seed = (now() as u128) << 64 | u128::from(std::process::id()) << 32 | u128::from(std::time::Instant::now().elapsed().subsec_nanos());
        b = seed.to_le_bytes();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", h[..4].concat(), h[4..6].concat(), h[6..8].concat(), h[8..10].concat(), h[10..].concat())
}

/// A small PNG test card of four coloured bands, for the sample figure.
fn test_card() -> Vec<u8> {
    let colours = [[0x1b, 0x4f, 0x72], [0xc0, 0x39, 0x2b], [0xf3, 0x9c, 0x12], [0x27, 0xae, 0x60]];
    let img = image::RgbImage::from_fn(160, 90, |x, _| image::Rgb(colours[(x / 40) as usize % 4]));
    let mut png = Vec::new();
    // Encoding a small in-memory picture cannot fail short of running out of memory.
    let _ = img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png);
    png
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_book_loads_and_has_every_construct() {
        let dir = std::env::temp_dir().join(format!("pamphlet-new-{}", std::process::id())).join("my-first_book");
        let _ = std::fs::remove_dir_all(&dir);
        let made = create(&dir).unwrap();
        assert_eq!(made.len(), 3);
        let book = crate::Book::load(&dir).unwrap();
        assert_eq!(book.config.meta.title, "My First Book");
        assert!(book.warnings.is_empty(), "{:?}", book.warnings);
        assert_eq!(book.document.notes.len(), 3);
        assert_eq!(book.images.len(), 1);
        assert!(create(&dir).is_err(), "refuses a non-empty directory");
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn uuids_are_version_4() {
        let u = uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_ne!(u, uuid_v4());
    }
}
