//! Layout: the document model → pages of positioned glyph runs.
//!
//! (Stub: being written.)

pub mod frame;
pub mod linebreak;
