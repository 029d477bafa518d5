//! A book directory through the whole pipeline. (Stub: being written.)

/// A loaded book. (Stub.)
pub struct Book;
/// What a build wrote. (Stub.)
pub struct BuildReport;
