//! The EPUB 3 renderer: model → XHTML, CSS and navigation, packed by epub-builder.
//!
//! (Stub: being written.)
