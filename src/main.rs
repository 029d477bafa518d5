//! The `pamphlet` command: parses arguments, runs one library command, prints what
//! happened, and picks the exit status. The only place that prints or exits.
//!
//! Exit status: 0 when the command did what was asked, 1 when the book has errors (or
//! a file could not be written), 2 for a command-line mistake (clap's own convention).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use pamphlet::config::Format;
use pamphlet::Diagnostic;

/// Turns one Markdown manuscript into an EPUB 3 and a print-ready PDF.
#[derive(Parser)]
#[command(name = "pamphlet", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Builds the book into its output files.
    Build {
        /// The book directory, holding book.toml.
        #[arg(default_value = "book")]
        book_dir: PathBuf,
        /// Where to write the files.
        #[arg(short, long, default_value = "out")]
        out_dir: PathBuf,
        /// Which formats to write, overriding book.toml (comma-separated: epub,pdf).
        #[arg(long, value_delimiter = ',', value_parser = parse_format)]
        format: Option<Vec<Format>>,
    },
    /// Reports problems in the book without writing anything.
    Check {
        /// The book directory, holding book.toml.
        #[arg(default_value = "book")]
        book_dir: PathBuf,
    },
    /// Creates a new book that shows every supported feature.
    New {
        /// The directory to create; it must not exist or be empty.
        dir: PathBuf,
    },
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| format!("unknown format `{s}` (the formats are epub and pdf)"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { book_dir, out_dir, format } => build(&book_dir, &out_dir, format.as_deref()),
        Command::Check { book_dir } => check(&book_dir),
        Command::New { dir } => new(&dir),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(()) => ExitCode::from(1),
    }
}

fn build(book_dir: &std::path::Path, out_dir: &std::path::Path, formats: Option<&[Format]>) -> Result<(), ()> {
    let report = pamphlet::book::build(book_dir, out_dir, formats).map_err(|f| report_all(&f.diagnostics))?;
    report_all(&report.warnings);
    let mut out = std::io::stdout().lock();
    for w in &report.written {
        // A closed pipe (`pamphlet build | head`) is not an error worth reporting.
        let _ = writeln!(out, "wrote {}  {}  ({})", w.path.display(), human_size(w.size), w.checked);
    }
    let _ = writeln!(out, "built in {:.1} ms", report.elapsed.as_secs_f64() * 1000.0);
    Ok(())
}

fn check(book_dir: &std::path::Path) -> Result<(), ()> {
    let found = pamphlet::book::check(book_dir);
    report_all(&found);
    let errors = found.iter().filter(|d| d.is_error()).count();
    let warnings = found.len() - errors;
    let _ = writeln!(std::io::stdout().lock(), "{errors} errors, {warnings} warnings");
    if errors > 0 { Err(()) } else { Ok(()) }
}

fn new(dir: &std::path::Path) -> Result<(), ()> {
    let files = pamphlet::scaffold::create(dir).map_err(|f| report_all(&f.diagnostics))?;
    let mut out = std::io::stdout().lock();
    for f in files {
        let _ = writeln!(out, "created {}", f.display());
    }
    let _ = writeln!(out, "build it with: pamphlet build {}", dir.display());
    Ok(())
}

/// Prints diagnostics to stderr, each once, prefixed with the tool's name.
fn report_all(diagnostics: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    let mut seen: Vec<String> = Vec::new();
    for d in diagnostics {
        let text = d.to_string();
        if seen.contains(&text) {
            continue;
        }
        let _ = writeln!(err, "pamphlet: {text}");
        seen.push(text);
    }
}

fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}
