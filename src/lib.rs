//! pamphlet turns one Markdown manuscript into an EPUB 3 and a print-ready PDF.
//!
//! The pipeline, one module per stage (dependencies point downstream only):
//!
//! - [`config`]: `book.toml` → typed settings.
//! - [`manuscript`]: Markdown → [`model::Document`], the only place pulldown-cmark is used.
//! - [`model`]: the document as plain data, shared by both renderers.
//! - [`fonts`]: the embedded font family: coverage, shaping, subsetting.
//! - [`epub`]: model → EPUB 3.
//! - [`layout`]: model → pages of positioned glyphs (hyphenation, line breaking,
//!   pagination); knows nothing of PDF.
//! - [`pdf`]: pages → PDF bytes.
//! - [`scaffold`]: `pamphlet new`, a sample book.
//! - [`book`]: the whole pipeline for a book directory, used by the CLI and the tests.

pub mod assets;
pub mod book;
pub mod config;
pub mod diag;
pub mod epub;
pub mod fonts;
pub mod layout;
pub mod manuscript;
pub mod scaffold;
pub mod model;
pub mod pdf;

pub use book::{Book, BuildReport};
pub use diag::{Diagnostic, Failure, Result, Severity};
