//! The PDF writer: laid-out pages → PDF bytes, with printpdf and a lopdf finish.
//!
//! (Stub: being written.)
