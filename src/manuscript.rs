//! The manuscript: Markdown source → the document model. (Stub: being written.)
