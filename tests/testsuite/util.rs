//! Helpers shared by the integration tests: running pamphlet, scratch directories,
//! and the external validators.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch directory removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pamphlet-it-{}-{}-{name}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs pamphlet with `args`, with SOURCE_DATE_EPOCH cleared so book.toml decides.
pub fn pamphlet(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run pamphlet");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "pamphlet panicked on {args:?}:\n{stderr}");
    out
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copies the essay's book directory into a scratch directory.
pub fn essay_copy(scratch: &Scratch) -> PathBuf {
    let dir = scratch.join("book");
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["book.toml", "manuscript.md"] {
        std::fs::copy(root().join("book").join(f), dir.join(f)).unwrap();
    }
    dir
}

/// Builds `book` into `out` and returns the output paths by extension.
pub fn build(book: &Path, out: &Path, formats: &str) -> Vec<PathBuf> {
    let o = pamphlet(&["build", book.to_str().unwrap(), "-o", out.to_str().unwrap(), "--format", formats]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    let mut files: Vec<PathBuf> = std::fs::read_dir(out).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// Makes a sample book with `pamphlet new` in `scratch/name`.
pub fn sample_book(scratch: &Scratch, name: &str) -> PathBuf {
    let dir = scratch.join(name);
    let o = pamphlet(&["new", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

/// A tool installed by tests/tools.sh. Missing tools fail the test: run `make test`.
pub fn tool(rel: &str) -> PathBuf {
    let p = root().join(".tools").join(rel);
    assert!(p.exists(), "{} is missing: run `make test`, which installs the validators", p.display());
    p
}

/// Runs a command from PATH, failing the test when it is not installed.
pub fn run(cmd: &str, args: &[&str]) -> Output {
    Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd} ({e}): run `make test`, which installs it"))
}

/// EPUBCheck 5.3.0 with --failonwarnings: asserts no fatal, error or warning.
pub fn epubcheck(epub: &Path) {
    let jar = tool("epubcheck.jar");
    let o = Command::new("java")
        .args(["-jar", jar.to_str().unwrap(), "--failonwarnings", epub.to_str().unwrap()])
        .output()
        .expect("run java: run `make test`, which installs it");
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "EPUBCheck found problems in {}:\n{text}", epub.display());
    assert!(text.contains("No errors or warnings detected"), "{text}");
}

/// DAISY Ace: asserts the report has no violations.
pub fn ace(epub: &Path) {
    let scratch = Scratch::new("ace");
    let bin = tool("ace/node_modules/.bin/ace-cli");
    let o = Command::new(bin)
        .args(["--silent", "--force", "--outdir", scratch.path().to_str().unwrap(), epub.to_str().unwrap()])
        .env("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
        .output()
        .expect("run ace");
    let report = std::fs::read_to_string(scratch.join("report.json"))
        .unwrap_or_else(|_| panic!("Ace wrote no report:\n{}{}", stdout(&o), stderr(&o)));
    let fails = report.matches("\"earl:failed\"").count();
    assert!(o.status.success() && fails == 0, "Ace found {fails} violations in {}:\n{}", epub.display(), ace_summary(&report));
}

fn ace_summary(report: &str) -> String {
    report
        .match_indices("\"dct:description\"")
        .map(|(i, _)| report[i..].lines().next().unwrap_or("").to_string())
        .take(20)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The words of `text`, with punctuation at their edges kept: split on white space.
pub fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// The manuscript's words as a reader sees them: Markdown syntax, footnote markers and
/// heading ids removed, Markdown escapes resolved.
pub fn manuscript_words(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in md.lines() {
        let mut line = line.trim_start_matches(['#', '>', ' ']).to_string();
        if line.starts_with("***") {
            continue;
        }
        if let Some(i) = line.find(" {#") {
            line.truncate(i);
        }
        if let Some(rest) = line.strip_prefix("[^") {
            line = rest.split_once("]:").map_or(String::new(), |(_, t)| t.to_string());
        }
        while let Some(i) = line.find("[^") {
            let end = line[i..].find(']').map_or(line.len(), |e| i + e + 1);
            line.replace_range(i..end, "");
        }
        let line = line.replace("\\[", "[").replace("\\]", "]").replace('*', "");
        out.extend(words(&line));
    }
    out
}

/// A word with brackets and backslashes removed, so "[…]" and "\\[…\\]" compare equal.
pub fn bare(w: &str) -> String {
    w.replace(['[', ']', '\\'], "")
}

/// The manuscript's words split into the running text and each footnote's text, for
/// outputs that set notes apart from the text (at the foot of a page).
pub fn manuscript_body_and_notes(md: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut body = String::new();
    let mut notes: Vec<String> = Vec::new();
    let mut in_note = false;
    for line in md.lines() {
        if line.starts_with("[^") && line.contains("]:") {
            in_note = true;
            notes.push(String::new());
        } else if !line.is_empty() && !line.starts_with("    ") {
            in_note = false;
        }
        let target = if in_note { notes.last_mut().unwrap() } else { &mut body };
        target.push_str(line);
        target.push('\n');
    }
    (manuscript_words(&body), notes.iter().map(|n| manuscript_words(n)).collect())
}

/// A word without the note number an output glued to it: pandoc's `^([1])`, or a
/// raised number after closing punctuation ("living.”1", "[…]2"). "post-2008" and
/// "1,108" keep their digits.
pub fn strip_note_number(w: &str) -> String {
    let w = w.split("^(").next().unwrap_or(w);
    let t = w.trim_end_matches(|c: char| c.is_ascii_digit());
    let p = t.trim_end_matches(['.', ',', ';', ':', '!', '?', '”', '’', ')', ']', '…']);
    if t.len() < w.len() && p.len() < t.len() && !p.ends_with(|c: char| c.is_ascii_digit()) {
        t.to_string()
    } else {
        w.to_string()
    }
}

/// Asserts that `want` occurs in `have` in order (other words may come between).
pub fn assert_in_order(want: &[String], have: &[String], what: &str) {
    let mut it = have.iter();
    for (i, w) in want.iter().enumerate() {
        if !it.any(|h| h == w) {
            let ctx = want[i.saturating_sub(5)..(i + 5).min(want.len())].join(" ");
            panic!("{what}: word {i} `{w}` missing or out of order (near: {ctx})");
        }
    }
}
