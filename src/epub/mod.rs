//! The EPUB 3 renderer: model → XHTML, CSS and navigation, packed by epub-builder.
//!
//! (Stub: being written.)

/// Renders the EPUB. (Stub.)
pub fn render(
    _doc: &crate::model::Document,
    _opts: &crate::config::EpubOptions,
    _images: &crate::assets::Images,
) -> crate::diag::Result<Vec<u8>> {
    Err(crate::diag::Diagnostic::error("the EPUB renderer is not written yet").into())
}
