//! Diagnostics: what went wrong or looks wrong, and where.
//!
//! Library code reports problems as [`Diagnostic`] values carrying a byte [`Span`] into a
//! source file; line and column are worked out only when a message is printed. Errors
//! stop a build; warnings travel beside the output. Only `main` prints.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::Span;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth a look; the output is still written.
    Warning,
    /// The output cannot be written.
    Error,
}

/// A message about the book, with an optional place in a source file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the span points into, if any.
    pub path: Option<PathBuf>,
    /// Line and column (both from 1), resolved from the span by [`Source::locate`].
    pub position: Option<(usize, usize)>,
    /// What is wrong, naming the offending thing.
    pub message: String,
    /// How to fix it, if we can say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error not tied to a source position.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: None,
            position: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning not tied to a source position.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(message) }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Places the diagnostic in `path` without a line.
    pub fn in_file(mut self, path: &Path) -> Diagnostic {
        self.path = Some(path.to_path_buf());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:col: error: message`, then `  hint: …` on its own line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let Some((line, col)) = self.position {
                write!(f, ":{line}:{col}")?;
            }
            write!(f, ": ")?;
        }
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A source file's text with its line starts, to turn byte offsets into line and column.
#[derive(Debug, Clone)]
pub struct Source {
    /// Where the text came from.
    pub path: PathBuf,
    /// The whole text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl Source {
    /// Wraps `text` read from `path`.
    pub fn new(path: impl Into<PathBuf>, text: String) -> Source {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source { path: path.into(), text, line_starts }
    }

    /// Line and column (from 1; the column counts characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// A diagnostic at `span` in this file.
    pub fn locate(&self, severity: Severity, span: Span, message: impl Into<String>) -> Diagnostic {
        let position = (!span.is_detached()).then(|| self.line_col(span.start as usize));
        Diagnostic {
            severity,
            path: Some(self.path.clone()),
            position,
            message: message.into(),
            hint: None,
        }
    }

    /// An error at `span`.
    pub fn error(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.locate(Severity::Error, span, message)
    }

    /// A warning at `span`.
    pub fn warning(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.locate(Severity::Warning, span, message)
    }
}

/// A failed operation: one or more diagnostics, at least one an error.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// Everything found, errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Failure {
        Failure { diagnostics: vec![d] }
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure { diagnostics }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

/// The result of library operations: a value, or the diagnostics that stopped it.
pub type Result<T> = std::result::Result<T, Failure>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let src = Source::new("m.md", "ab\n“é”x\n".to_string());
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(3), (2, 1));
        // “ is three bytes and é two: 'x' is the fourth character of line 2.
        assert_eq!(src.line_col(3 + 3 + 2 + 3), (2, 4));
        assert_eq!(src.line_col(10_000), (3, 1));
    }

    #[test]
    fn display_has_path_position_and_hint() {
        let src = Source::new("book/m.md", "x\n[^a]\n".to_string());
        let d = src.error(Span::new(2..6), "no footnote `a`").with_hint("define it with `[^a]: …`");
        assert_eq!(d.to_string(), "book/m.md:2:1: error: no footnote `a`\n  hint: define it with `[^a]: …`");
    }
}
