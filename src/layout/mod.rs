//! Layout: the document model → pages of positioned glyph runs.
//!
//! (Stub: being written.)

pub mod frame;
pub mod hyphenate;
pub mod linebreak;

/// A laid-out document and the warnings found on the way. (Stub.)
pub struct Laid {
    /// The pages.
    pub document: frame::PagedDocument,
    /// Problems placed in the manuscript.
    pub warnings: Vec<LayoutWarning>,
}

/// A layout problem at a place in the manuscript.
pub struct LayoutWarning {
    /// Where.
    pub span: crate::model::Span,
    /// What.
    pub message: String,
}

/// Lays out the document. (Stub.)
pub fn layout(
    _doc: &crate::model::Document,
    _opts: &crate::config::PdfOptions,
    _fonts: &crate::fonts::Fonts,
) -> crate::diag::Result<Laid> {
    Err(crate::diag::Diagnostic::error("the typesetter is not written yet").into())
}
