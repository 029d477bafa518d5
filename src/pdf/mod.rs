//! The PDF writer: laid-out pages → PDF bytes, with printpdf and a lopdf finish.
//!
//! (Stub: being written.)

/// Writes the PDF. (Stub.)
pub fn write(
    _doc: &crate::layout::frame::PagedDocument,
    _meta: &crate::model::Metadata,
    _fonts: &crate::fonts::Fonts,
) -> crate::diag::Result<Vec<u8>> {
    Err(crate::diag::Diagnostic::error("the PDF writer is not written yet").into())
}
