//! Integration tests: real books built by the real binary and checked with the real
//! validators (EPUBCheck, DAISY Ace, qpdf, poppler, MuPDF). `make test` installs those
//! first; a missing validator fails a test, it never skips one.

mod cli;
mod epub;
mod pdf;
mod util;
