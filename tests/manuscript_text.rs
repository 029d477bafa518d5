//! Guards the author's text of `book/manuscript.md`.
//!
//! The manuscript was restored by hand from `tests/data/seed.txt`, a damaged
//! plain-text extraction of a laid-out PDF of the essay. These tests make sure
//! that the manuscript still says, word for word and in order, what the seed
//! says once the documented mendings in [`MENDINGS`] are applied — so no later
//! edit can silently change the author's text.
//!
//! What is compared: words (whitespace-separated tokens). What is not compared:
//! whitespace itself. Line breaks at the old column width, page breaks (blank
//! lines in the seed), one-word-per-line runs from justified extraction and the
//! paragraphing are layout, restored by reading; they cannot change a word, so
//! they are not listed below. Headings and block quotes are checked for their
//! words only, plus the heading list in `manuscript_has_the_expected_headings`.
//!
//! Editor's additions are stripped from the manuscript before comparing: the
//! editor's note section (from its thematic break to the end), footnote
//! definitions, footnote references `[^…]`, and Markdown syntax. The `\[…\]`
//! gap markers are kept as the word `[…]`, and the seed side inserts the same
//! word through a mending, so the position of each gap is checked too.
//!
//! Only `std` is used, on purpose.

use std::fs;
use std::path::PathBuf;

/// Why a mending was made; shown in failure messages and for reviewers.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// The two-column extraction scrambled the title and subtitle into the
    /// first lines. They live in book.toml, not in the manuscript.
    TitleDropped,
    /// A word divided at a line end lost its hyphen and was glued together.
    LostHyphen,
    /// A line began with a stray space. Whitespace only: the words do not
    /// change, but the mending is listed because the seed shows it.
    StraySpace,
    /// One of the author's footnote markers. The notes themselves were lost
    /// before the copy reached us, so the orphan markers are removed.
    /// (Markers 4, 11 and 14 are already absent from the seed.)
    FootnoteMarker,
    /// Words are missing inside a sentence. The gap is marked `[…]` (written
    /// `\[…\]` in the Markdown) with an editor's footnote; nothing is guessed.
    Gap,
}

/// One documented change from the seed's damaged text to the mended text.
struct Mending {
    kind: Kind,
    /// The damaged text exactly as it stands in the seed (`\n` = line break),
    /// with enough context to be unambiguous.
    seed: &'static str,
    /// What that text becomes in the mended seed.
    mended: &'static str,
    /// How many times `seed` occurs in the seed file. Each must match exactly,
    /// so a stale or ambiguous mending fails loudly.
    count: usize,
}

const fn m(kind: Kind, seed: &'static str, mended: &'static str) -> Mending {
    Mending {
        kind,
        seed,
        mended,
        count: 1,
    }
}

/// Every mending applied to the seed text, in the seed's order.
/// Check each against `tests/data/seed.txt` (line numbers given for review).
#[rustfmt::skip]
const MENDINGS: &[Mending] = &[
    // Lines 1–8: the title "Taking Stock, Settling Accounts" and subtitle
    // "Coming to Terms with Stalinism", scrambled across two columns.
    m(Kind::TitleDropped, "Taking\nStock,\nAccounts: Coming\nwith Stalinism\n\nSettling\nto Terms\n\n", ""),

    // Line 19.
    m(Kind::LostHyphen,     "MarxismLeninism",        "Marxism-Leninism"),
    // Line 31.
    m(Kind::FootnoteMarker, "proclaimed orthodoxy.1", "proclaimed orthodoxy."),
    // Line 57. Hyphenated rather than spaced, after the author's liberal
    // hyphenation of compounds ("twentieth-century", "by-and-large").
    m(Kind::LostHyphen,     "echochamber",            "echo-chamber"),
    // Line 100 (Marx, The Eighteenth Brumaire; the editor's note goes here).
    m(Kind::FootnoteMarker, "brains of the living.”2", "brains of the living.”"),
    // Line 111.
    m(Kind::FootnoteMarker, "“anti-terrorism.”3",     "“anti-terrorism.”"),
    // Line 122.
    m(Kind::StraySpace,     "\n Gestapo,",            "\nGestapo,"),
    // Line 133, end of the first Calvino quotation.
    m(Kind::FootnoteMarker, "name of the Cause.5",    "name of the Cause."),
    // Line 190.
    m(Kind::LostHyphen,     "Antiinterventionism",    "Anti-interventionism"),
    // Line 220.
    m(Kind::LostHyphen,     "selfreflection",         "self-reflection"),
    // Lines 236–237: words lost between "sources" and "understanding"
    // (something like "for an"; not guessed).
    m(Kind::Gap,            "most important sources\nunderstanding", "most important sources […] understanding"),
    // Line 238, the subsection heading.
    m(Kind::StraySpace,     "\n Substitutionism\n",   "\nSubstitutionism\n"),
    // Line 258, end of the Serge quotation.
    m(Kind::FootnoteMarker, "impartial inquiry.6",    "impartial inquiry."),
    // Line 272.
    m(Kind::FootnoteMarker, "outlook. 7 Thus",        "outlook. Thus"),
    // Line 279. ("1934", "1,108" and "848" just before are real text.)
    m(Kind::FootnoteMarker, "the Great Terror.8",     "the Great Terror."),
    // Line 283.
    m(Kind::FootnoteMarker, "deepest desires.”9",     "deepest desires.”"),
    // Line 288.
    m(Kind::FootnoteMarker, "metaphysical proletariat.”10", "metaphysical proletariat.”"),
    // Line 301, in the Stalin quotation.
    m(Kind::StraySpace,     "\n capitalism and the triumph", "\ncapitalism and the triumph"),
    // Line 323 (Marx, Capital, vol. I, ch. 31; the editor's note goes here).
    m(Kind::FootnoteMarker, "capitalist\nproduction.”12", "capitalist\nproduction.”"),
    // Line 349.
    m(Kind::LostHyphen,     "antirevisionist",        "anti-revisionist"),
    // Line 385: marker left alone on a line before the page break.
    m(Kind::FootnoteMarker, "a fair trial\n13\n",     "a fair trial\n"),
    // Line 391.
    m(Kind::StraySpace,     "\n to reinstate",        "\nto reinstate"),
    // Line 398.
    m(Kind::FootnoteMarker, "omelette of yours?” 15", "omelette of yours?”"),
    // Line 415, end of the Pelikan quotation ("16" split by the extraction).
    m(Kind::FootnoteMarker, "by turn? 1 6",           "by turn?"),
    // Line 422: marker left alone on a line before the page break.
    m(Kind::FootnoteMarker, "attacking their\n17\n",  "attacking their\n"),
    // Line 441, end of the second Calvino quotation; "(emphasis original)"
    // is the author's and stays.
    m(Kind::FootnoteMarker, "become unthinkable.18 (emphasis original)", "become unthinkable. (emphasis original)"),
    // Lines 457–458: words lost between "critique”" and "commitment".
    m(Kind::Gap,            "“ruthless critique”\ncommitment", "“ruthless critique” […] commitment"),
];

/// Numbers that are the author's text, not footnote markers (after trimming
/// surrounding punctuation from the word).
const REAL_NUMBERS: &[&str] = &[
    "post-2008",
    "1956",
    "1930s",
    "1928-1953",
    "1934",
    "1,108",
    "848",
    "600,000",
    "20th",
];

/// The headings the manuscript must have, in order: (level, text, id).
const EXPECTED_HEADINGS: &[(usize, &str, &str)] = &[
    (2, "What do I mean by “Stalinism”?", "stalinism"),
    (3, "Substitutionism", "substitutionism"),
    (
        3,
        "Productivism and Carceralism",
        "productivism-and-carceralism",
    ),
    (3, "The Question of Liberalism", "liberalism"),
    (3, "On “Necessity”", "necessity"),
    // The editor's addition after the essay.
    (2, "Editor’s note", "editors-note"),
];

const EDITORS_NOTE_ID: &str = "{#editors-note}";

fn read(rel: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), rel].iter().collect();
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn seed() -> String {
    read("tests/data/seed.txt")
}

fn manuscript() -> String {
    read("book/manuscript.md")
}

/// Applies every mending, asserting each occurs exactly `count` times.
fn mended_seed(seed: &str) -> String {
    let mut text = seed.to_string();
    for (i, mending) in MENDINGS.iter().enumerate() {
        let found = text.matches(mending.seed).count();
        assert_eq!(
            found, mending.count,
            "mending #{i} ({:?}) {:?} → {:?}: expected {} occurrence(s) in the seed, found {found}",
            mending.kind, mending.seed, mending.mended, mending.count
        );
        text = text.replace(mending.seed, mending.mended);
    }
    text
}

fn seed_words() -> Vec<String> {
    mended_seed(&seed())
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn is_thematic_break(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 3
        && ["*", "-", "_"]
            .iter()
            .any(|c| t.chars().all(|x| x.to_string() == *c))
}

fn is_footnote_definition(line: &str) -> bool {
    line.starts_with("[^") && line.contains("]:")
}

/// Removes footnote references like `[^ed-gap-1]` from a line.
fn strip_footnote_refs(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("[^") {
        out.push_str(&rest[..start]);
        match rest[start..].find(']') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Splits a heading line into (level, text, id); `None` if not a heading.
fn parse_heading(line: &str) -> Option<(usize, String, Option<String>)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    if level == 0 || !line[level..].starts_with(' ') {
        return None;
    }
    let body = line[level..].trim();
    if let Some(open) = body.rfind("{#") {
        if body.ends_with('}') {
            let id = body[open + 2..body.len() - 1].to_string();
            return Some((level, body[..open].trim_end().to_string(), Some(id)));
        }
    }
    Some((level, body.to_string(), None))
}

/// The author's text of the manuscript, one entry per source line, with the
/// editor's additions and Markdown syntax removed.
fn author_lines(manuscript: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_definition = false;
    for line in manuscript.lines() {
        // Everything from the editor's note (and the break before it) on is
        // the editor's.
        if is_thematic_break(line) || line.trim_end().ends_with(EDITORS_NOTE_ID) {
            break;
        }
        // Footnote definitions and their indented continuation lines.
        if is_footnote_definition(line) {
            in_definition = true;
            continue;
        }
        if in_definition {
            if line.starts_with("    ") || line.starts_with('\t') || line.trim().is_empty() {
                continue;
            }
            in_definition = false;
        }
        let mut text = line.to_string();
        if let Some((_, heading, _)) = parse_heading(&text) {
            text = heading;
        }
        // Block quote markers (nested ones too).
        let mut t = text.as_str();
        while let Some(rest) = t.strip_prefix('>') {
            t = rest.strip_prefix(' ').unwrap_or(rest);
        }
        let text = strip_footnote_refs(t)
            .replace("\\[…\\]", "[…]")
            .replace(['*', '_'], "");
        out.push(text);
    }
    out
}

fn manuscript_words() -> Vec<String> {
    author_lines(&manuscript())
        .iter()
        .flat_map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn context(words: &[String], at: usize) -> String {
    let from = at.saturating_sub(6);
    let to = (at + 7).min(words.len());
    words[from..to]
        .iter()
        .enumerate()
        .map(|(k, w)| {
            if from + k == at {
                format!(">>{w}<<")
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_mending_matches_the_seed() {
    let seed = seed();
    let mut problems = Vec::new();
    for (i, mending) in MENDINGS.iter().enumerate() {
        let found = seed.matches(mending.seed).count();
        if found != mending.count {
            problems.push(format!(
                "mending #{i} ({:?}) {:?}: expected {}, found {found}",
                mending.kind, mending.seed, mending.count
            ));
        }
        assert_ne!(mending.seed, mending.mended, "mending #{i} changes nothing");
    }
    assert!(
        problems.is_empty(),
        "stale mendings:\n{}",
        problems.join("\n")
    );
}

#[test]
fn manuscript_words_match_the_mended_seed() {
    let expected = seed_words();
    let actual = manuscript_words();
    let n = expected.len().min(actual.len());
    if let Some(i) = (0..n).find(|&i| expected[i] != actual[i]) {
        panic!(
            "word {i} differs: seed has {:?}, manuscript has {:?}\n  seed:       {}\n  manuscript: {}",
            expected[i],
            actual[i],
            context(&expected, i),
            context(&actual, i),
        );
    }
    assert_eq!(
        expected.len(),
        actual.len(),
        "word counts differ (seed {}, manuscript {}); the longer one goes on with: {}",
        expected.len(),
        actual.len(),
        if expected.len() > actual.len() {
            context(&expected, n)
        } else {
            context(&actual, n)
        },
    );
}

#[test]
fn manuscript_has_the_expected_headings() {
    let headings: Vec<(usize, String, Option<String>)> =
        manuscript().lines().filter_map(parse_heading).collect();
    let expected: Vec<(usize, String, Option<String>)> = EXPECTED_HEADINGS
        .iter()
        .map(|&(l, t, id)| (l, t.to_string(), Some(id.to_string())))
        .collect();
    assert_eq!(headings, expected);
}

#[test]
fn manuscript_has_no_orphan_footnote_markers() {
    let ms = manuscript();
    // Anywhere in the file: no word may end in punctuation followed by digits
    // (the shape of the seed's markers: "orthodoxy.1", "living.”2"). A digit
    // before the punctuation is a real number's separator ("1,108").
    for word in ms.split_whitespace() {
        let trimmed = word.trim_end_matches(|c: char| c.is_ascii_digit());
        if trimmed.len() < word.len() {
            let mut rev = trimmed.chars().rev();
            let last = rev.next();
            let before = rev.next();
            let glued = matches!(
                last,
                Some('.' | ',' | ';' | ':' | '?' | '!' | '”' | '’' | ')')
            ) && !before.is_some_and(|c| c.is_ascii_digit());
            assert!(
                !glued,
                "word {word:?} looks like a footnote marker glued to punctuation"
            );
        }
    }
    // In the author's text: every word with a digit must be a known number,
    // which also catches markers standing alone ("13", "1 6").
    for line in author_lines(&ms) {
        for word in line.split_whitespace() {
            if word.chars().any(|c| c.is_ascii_digit()) {
                let core = word.trim_matches(|c: char| !c.is_alphanumeric());
                assert!(
                    REAL_NUMBERS.contains(&core),
                    "word {word:?} has digits but is not a known number of the text (orphan marker?)"
                );
            }
        }
    }
}

#[test]
fn editors_footnotes_are_signed_and_all_used() {
    let ms = manuscript();
    let mut definitions: Vec<(String, String)> = Vec::new();
    for line in ms.lines() {
        if is_footnote_definition(line) {
            let close = line.find("]:").unwrap();
            definitions.push((
                line[2..close].to_string(),
                line[close + 2..].trim().to_string(),
            ));
        } else if let Some(last) = definitions.last_mut() {
            // Indented continuation of the previous definition.
            if line.starts_with("    ") || line.starts_with('\t') {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        }
    }
    assert!(!definitions.is_empty(), "expected the editor's footnotes");
    for (label, text) in &definitions {
        assert!(
            label.starts_with("ed-"),
            "footnote {label:?}: only editor's notes exist"
        );
        assert!(
            text.ends_with("— Ed."),
            "footnote {label:?} must end with “— Ed.”: {text:?}"
        );
        let reference = format!("[^{label}]");
        let uses = ms.matches(&reference).count() - 1; // minus the definition itself
        assert_eq!(
            uses, 1,
            "footnote {label:?} should be referenced once, found {uses}"
        );
    }
    // Every reference has a definition.
    for (i, _) in ms.match_indices("[^") {
        let label = &ms[i + 2..i + 2 + ms[i + 2..].find(']').unwrap()];
        assert!(
            definitions.iter().any(|(l, _)| l == label),
            "footnote reference [^{label}] has no definition"
        );
    }
}

#[test]
fn manuscript_has_no_straight_quotes() {
    // The seed uses curly quotes and apostrophes throughout; keep them.
    for (n, line) in manuscript().lines().enumerate() {
        assert!(
            !line.contains('"'),
            "line {}: straight double quote: {line}",
            n + 1
        );
    }
    for line in author_lines(&manuscript()) {
        assert!(
            !line.contains('\''),
            "straight apostrophe in the author's text: {line}"
        );
    }
}
