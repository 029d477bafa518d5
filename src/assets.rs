//! Pictures the manuscript refers to, read and checked once for both renderers.
//!
//! (Stub: the API below is fixed; the loader is being written.)

use std::collections::BTreeMap;

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
