//! Layout: the document model → pages of positioned glyph runs.
//!
//! (Being written.)

pub mod frame;
pub mod geometry;
pub mod paginate;
