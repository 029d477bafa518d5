//! Hyphenation: the places inside a word where a line may break.
//!
//! The line breaker needs, for each word the paragraph is made of, the offsets where the
//! word may be split across two lines. There are three kinds (see [`BreakKind`]):
//!
//! - a *discretionary* hyphen found by Liang's patterns (the `hyphenation` crate, which
//!   ships TeX's pattern files): the caller adds a hyphen at the end of the line;
//! - the point after an *explicit hyphen* in a compound ("Marxism-|Leninism"): nothing
//!   is added, and the compound is not hyphenated anywhere else, because a second hyphen
//!   inside a hyphenated compound misleads the reader about where the parts meet;
//! - the point after an en or em *dash*: nothing is added either.
//!
//! What counts as a word is decided here, not by the patterns: quotes, brackets and
//! punctuation around the letters are left alone (offsets are still into the whole
//! token), apostrophes split a word into parts that are hyphenated separately so that a
//! break never lands next to one ("Sta-lin-ism’s", not "Stalinism’-s"), and tokens that
//! are not prose words are never hyphenated: anything with a digit (a number, a year,
//! "1930s"), an all-capital acronym, a URL, an e-mail address or a path. For URLs the
//! caller uses [`url_breaks`] instead, which finds break points that add no hyphen.
//!
//! The patterns are compiled into the binary (the crate's `embed_all` feature, about
//! 3 MB for some 80 languages), so nothing is read at run time. Loading one language's
//! patterns takes a few milliseconds, so each is loaded once per process and shared.

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use hyphenation::{Hyphenator as _, Language, Load, Standard};

use crate::diag::Diagnostic;

/// Letters that must stay before a discretionary hyphen: TeX's `\lefthyphenmin` for
/// English. Languages whose patterns ask for more get more.
const LEFT_MIN: usize = 2;

/// Letters that must go after a discretionary hyphen: TeX's `\righthyphenmin` for
/// English. Three, because a two-letter fragment ("-ly", "-ed") at the start of a line
/// reads as a stray syllable.
const RIGHT_MIN: usize = 3;

/// Words with fewer letters are not hyphenated at all: splitting a five-letter word
/// saves little room and costs a hyphen, and the line breaker has other choices.
const MIN_WORD: usize = 6;

/// Letters that must stay on each side of a break at an explicit hyphen or en dash:
/// "X-|ray" and "e-|mail" would leave a lone letter at a line's end.
const COMPOUND_MIN: usize = 2;

/// Characters on each side of a break inside a URL, so that neither line ends or starts
/// with a scrap such as "a/".
const URL_MIN: usize = 2;

/// A place inside a word where a line may break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Break {
    /// Byte offset into the word as given: the line ends with `word[..offset]` and the
    /// next starts with `word[offset..]`.
    pub offset: usize,
    /// What happens at the break.
    pub kind: BreakKind,
}

/// What a break inside a word looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// A syllable boundary found by the patterns, or a soft hyphen (U+00AD) in the text,
    /// whose own offset is given (the caller sets no glyph for soft hyphens): the caller
    /// sets a hyphen at the end of the line. A flagged penalty with the hyphen's width
    /// and [`Params::hyphen_penalty`](super::linebreak::Params::hyphen_penalty).
    Discretionary,
    /// Just after an explicit hyphen: nothing is added. A flagged penalty of no width
    /// with [`Params::explicit_hyphen_penalty`](super::linebreak::Params::explicit_hyphen_penalty),
    /// since the line ends in a hyphen all the same.
    Hyphen,
    /// Just after an en or em dash: nothing is added, and the line does not count as
    /// hyphenated. An unflagged penalty of no width with
    /// [`Params::dash_penalty`](super::linebreak::Params::dash_penalty).
    Dash,
}

/// Finds the breaks inside words of one language.
#[derive(Clone, Copy)]
pub struct Hyphenator {
    /// The patterns, or `None` to break only at explicit hyphens and dashes.
    dictionary: Option<&'static Standard>,
    /// Letters to keep before and after a discretionary hyphen.
    left_min: usize,
    right_min: usize,
}

impl Hyphenator {
    /// The hyphenator for a book's language, given as a BCP 47 tag such as `en`, `en-GB`,
    /// `de` or `fr-CA` (case does not matter). Fails for a language that has no patterns;
    /// the caller should warn (see [`UnknownLanguage::to_diagnostic`]) and go on with
    /// [`Hyphenator::without_patterns`].
    pub fn new(tag: &str) -> Result<Hyphenator, UnknownLanguage> {
        let unknown = || UnknownLanguage { tag: tag.to_string() };
        let language = language_for(tag).ok_or_else(unknown)?;
        let dictionary = dictionary(language).ok_or_else(unknown)?;
        let (left, right) = dictionary.minima;
        Ok(Hyphenator {
            dictionary: Some(dictionary),
            left_min: left.max(LEFT_MIN),
            right_min: right.max(RIGHT_MIN),
        })
    }

    /// A hyphenator that knows no patterns: words break only after explicit hyphens and
    /// dashes (and at soft hyphens).
    pub fn without_patterns() -> Hyphenator {
        Hyphenator { dictionary: None, left_min: LEFT_MIN, right_min: RIGHT_MIN }
    }

    /// The patterns in use, by their code (`en-us`, `de-1996`, …), or `None`.
    pub fn patterns(&self) -> Option<&'static str> {
        self.dictionary.map(|d| d.language().code())
    }

    /// Appends to `out` the places where `word` may break, in increasing order. `word`
    /// is one token of text between spaces, punctuation and quotes included; offsets
    /// are into it. A break is never at the very start or end of the token.
    pub fn breaks(&self, word: &str, out: &mut Vec<Break>) {
        if is_url_like(word) {
            return;
        }
        // Soft hyphens are the author's choice and replace the patterns.
        if word.contains(SOFT_HYPHEN) {
            let inner = word.match_indices(SOFT_HYPHEN).map(|(i, _)| i);
            let inner = inner.filter(|&i| i > 0 && i + SOFT_HYPHEN.len_utf8() < word.len());
            out.extend(inner.map(|offset| Break { offset, kind: BreakKind::Discretionary }));
            return;
        }
        // Em dashes join separate words ("fight—and"): each side is a word of its own.
        let mut from = 0;
        for (i, dash) in word.match_indices(is_em_dash) {
            self.compound(word, from..i, out);
            from = i + dash.len();
            let alone = word[..i].ends_with(is_em_dash) || word[from..].starts_with(is_em_dash);
            if !alone && has_words(&word[..i]) && has_words(&word[from..]) {
                out.push(Break { offset: from, kind: BreakKind::Dash });
            }
        }
        self.compound(word, from..word.len(), out);
    }

    /// The breaks of a piece of `word` without em dashes: after its hyphens and en dashes
    /// if it has any, else wherever the patterns allow.
    fn compound(&self, word: &str, piece: Range<usize>, out: &mut Vec<Break>) {
        let text = &word[piece.clone()];
        if !text.contains(is_joiner) {
            self.discretionary(word, piece, out);
            return;
        }
        let mut from = piece.start;
        for (i, joiner) in text.match_indices(is_joiner) {
            let (at, after) = (piece.start + i, piece.start + i + joiner.len());
            let next = word[after..piece.end].find(is_joiner).map_or(piece.end, |j| after + j);
            let (before, behind) = (&word[from..at], &word[after..next]);
            if is_plain_part(before) && is_plain_part(behind) {
                let kind = if joiner == "–" { BreakKind::Dash } else { BreakKind::Hyphen };
                out.push(Break { offset: after, kind });
            }
            from = after;
        }
    }

    /// Discretionary breaks in a piece of `word` with no hyphens or dashes.
    fn discretionary(&self, word: &str, piece: Range<usize>, out: &mut Vec<Break>) {
        let Some(dictionary) = self.dictionary else { return };
        let text = &word[piece.clone()];
        if text.chars().any(char::is_numeric) {
            return;
        }
        // The letters, without the quotes and punctuation around them.
        let Some(first) = text.find(is_letter) else { return };
        let last = text.rfind(is_letter).map_or(text.len(), |i| i + char_len(text, i));
        let core = &text[first..last];
        let mut next = piece.start + first;
        for part in core.split(is_apostrophe) {
            let start = next;
            next += part.len() + char_len(word, next + part.len());
            let letters = part.chars().count();
            if letters < MIN_WORD || !part.chars().all(is_letter) || is_acronym(part) {
                continue;
            }
            let found = dictionary.hyphenate(part).breaks;
            for at in found {
                let before = part[..at].chars().count();
                let fits = before >= self.left_min && letters - before >= self.right_min;
                // Never between a letter and an accent that belongs to it.
                let whole = !part[at..].starts_with(is_mark);
                if fits && whole {
                    out.push(Break { offset: start + at, kind: BreakKind::Discretionary });
                }
            }
        }
    }
}

impl fmt::Debug for Hyphenator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the patterns themselves: tens of thousands of them.
        f.debug_struct("Hyphenator")
            .field("patterns", &self.patterns())
            .field("left_min", &self.left_min)
            .field("right_min", &self.right_min)
            .finish()
    }
}

/// Appends to `out` the byte offsets where a URL, e-mail address or path may break, in
/// increasing order; nothing is added at these breaks. For the caller's fallback when
/// such a token is too long for the line, or always, at a price
/// ([`Params::url_penalty`](super::linebreak::Params::url_penalty)).
///
/// Following the Chicago Manual of Style: after a slash (after the last of `//`) and
/// after `&` and `=`; *before* a full stop, hyphen, underscore, `?`, `#`, `%`, `~` and
/// `@`, so that no line ends in something that reads as the end of a sentence or as a
/// hyphenation. (The issue asked for breaks after `.` and `-`; before is what style
/// manuals ask for, for those reasons.) Never within two characters of either
/// end.
pub fn url_breaks(token: &str, out: &mut Vec<usize>) {
    let chars = token.char_indices().count();
    let mut previous: Option<char> = None;
    let mut last = None;
    for (n, (i, c)) in token.char_indices().enumerate() {
        let next = token[i + c.len_utf8()..].chars().next();
        let candidates = [
            // Before this character.
            (matches!(c, '.' | '-' | '_' | '?' | '#' | '%' | '~' | '@') && previous != Some(c))
                .then_some((i, n)),
            // After it.
            (matches!(c, '/' | '&' | '=') && next != Some(c)).then_some((i + c.len_utf8(), n + 1)),
        ];
        for (offset, chars_before) in candidates.into_iter().flatten() {
            let inside = chars_before >= URL_MIN && chars - chars_before >= URL_MIN;
            if inside && last != Some(offset) {
                out.push(offset);
                last = Some(offset);
            }
        }
        previous = Some(c);
    }
}

/// Whether `token` is a URL, an e-mail address or a path rather than a word: it has
/// `://`, `@`, a slash or backslash, starts with `www.`, or has a full stop between a
/// letter or digit and a lower-case letter or digit ("example.org", "v1.2", but not
/// "etc." or "U.S.").
pub fn is_url_like(token: &str) -> bool {
    if token.contains("://") || token.contains(['@', '/', '\\']) {
        return true;
    }
    if token.get(..4).is_some_and(|s| s.eq_ignore_ascii_case("www.")) {
        return true;
    }
    // A full stop followed by a lower-case letter or a digit, after a letter or digit.
    let (mut before, mut dot) = (None, false);
    for c in token.chars() {
        if dot
            && before.is_some_and(char::is_alphanumeric)
            && (c.is_lowercase() || c.is_ascii_digit())
        {
            return true;
        }
        if c == '.' {
            dot = true;
        } else {
            (before, dot) = (Some(c), false);
        }
    }
    false
}

/// The language named by a BCP 47 tag has no hyphenation patterns: the book is set
/// without hyphenation (except at explicit hyphens and dashes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage {
    /// The tag as the book gave it.
    pub tag: String,
}

impl UnknownLanguage {
    /// The warning to show the user.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::warning(self.to_string()).with_hint(
            "words will not be hyphenated, so the PDF's spacing will be looser; \
             patterns exist for tags such as `en`, `en-GB`, `de`, `fr`, `es`, `it`, `nl`, \
             `pt`, `sv`, `pl`, `ru`",
        )
    }
}

impl fmt::Display for UnknownLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no hyphenation patterns for language `{}`", self.tag)
    }
}

impl std::error::Error for UnknownLanguage {}

/// The patterns for a BCP 47 tag: the language subtag decides, and the region, script or
/// variant picks among several sets where there are several.
fn language_for(tag: &str) -> Option<Language> {
    let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
    let mut subtags = tag.split('-');
    let primary = subtags.next()?;
    let rest: Vec<&str> = subtags.collect();
    let has = |subtag: &str| rest.contains(&subtag);
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let region = rest.iter().copied().find(|s| s.len() == 2 || (s.len() == 3 && digits(s)));
    let script = rest.iter().copied().find(|s| s.len() == 4 && !digits(s));
    use Language::*;
    Some(match primary {
        // British patterns for the Commonwealth spellings; American for the rest.
        "en" => match region {
            Some("gb" | "uk" | "ie" | "au" | "nz" | "za" | "in" | "sg" | "hk") => EnglishGB,
            _ => EnglishUS,
        },
        "de" | "gsw" if has("1901") && region == Some("ch") => GermanSwiss,
        "de" | "gsw" if has("1901") => German1901,
        // The reformed spelling, also for Switzerland (whose 1996 rules differ only in ß).
        "de" | "gsw" => German1996,
        "el" if has("polyton") => GreekPoly,
        "el" => GreekMono,
        "la" if has("classic") => LatinClassic,
        "la" if has("liturgic") => LatinLiturgical,
        "no" | "nb" => NorwegianBokmal,
        "sr" if script == Some("latn") => SerbocroatianLatin,
        "sr" => SerbianCyrillic,
        "sh" | "hbs" if script == Some("cyrl") => SerbocroatianCyrillic,
        "sh" | "hbs" | "bs" => SerbocroatianLatin,
        "mn" => Mongolian,
        "fi" if has("school") => FinnishScholastic,
        // Only romanised Chinese (pinyin) hyphenates.
        "zh" if script == Some("latn") => Chinese,
        "zh" => return None,
        _ => Language::try_from_code(primary)?,
    })
}

/// Room for every language of the `hyphenation` crate (it has 79), one cache slot each.
const SLOTS: usize = 128;

/// The patterns of `language`, loaded once per process. `None` if they cannot be
/// loaded, or in the unlikely case of a language beyond [`SLOTS`].
fn dictionary(language: Language) -> Option<&'static Standard> {
    static DICTIONARIES: [OnceLock<Option<Standard>>; SLOTS] = [const { OnceLock::new() }; SLOTS];
    // `Language` has no fields, so its discriminants count from 0 in declaration order.
    let slot = DICTIONARIES.get(language as usize)?;
    slot.get_or_init(|| Standard::from_embedded(language).ok()).as_ref()
}

const SOFT_HYPHEN: char = '\u{AD}';

fn is_em_dash(c: char) -> bool {
    matches!(c, '—' | '―')
}

/// Characters that join the parts of a compound: hyphens and the en dash.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '‐' | '–')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic() || is_mark(c)
}

/// Combining marks (the common blocks): they belong to the letter before them.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Whether there is a word or number on this side of a dash, not just punctuation.
fn has_words(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// A part of a compound that may stand at a line's end or start: enough letters and no
/// digits ("pre-1917" and "COVID-19" stay whole).
fn is_plain_part(s: &str) -> bool {
    !s.chars().any(char::is_numeric)
        && s.chars().filter(|&c| c.is_alphabetic()).count() >= COMPOUND_MIN
}

/// Two or more letters and no lower-case one: "USSR", "UNESCO".
fn is_acronym(part: &str) -> bool {
    let mut letters = part.chars().filter(|c| c.is_alphabetic());
    letters.clone().nth(1).is_some() && !letters.any(char::is_lowercase)
}

fn char_len(s: &str, i: usize) -> usize {
    s[i..].chars().next().map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Hyphenator {
        Hyphenator::new("en").expect("English patterns are embedded")
    }

    fn breaks(h: &Hyphenator, word: &str) -> Vec<Break> {
        let mut out = Vec::new();
        h.breaks(word, &mut out);
        out
    }

    /// The word with a `-` at each discretionary break and a `|` at each other break.
    fn marked(h: &Hyphenator, word: &str) -> String {
        let mut s = String::new();
        let mut from = 0;
        for b in breaks(h, word) {
            s.push_str(&word[from..b.offset]);
            s.push(if b.kind == BreakKind::Discretionary { '-' } else { '|' });
            from = b.offset;
        }
        s + &word[from..]
    }

    #[test]
    fn a_long_word_breaks_within_the_minima() {
        let h = english();
        assert_eq!(marked(&h, "hyphenation"), "hy-phen-a-tion");
        for word in ["hyphenation", "revolutionary", "organization", "psychological", "Stalinist"] {
            let letters = word.chars().count();
            let found = breaks(&h, word);
            assert!(!found.is_empty(), "{word}");
            for b in found {
                assert_eq!(b.kind, BreakKind::Discretionary);
                assert!(
                    b.offset >= LEFT_MIN && letters - b.offset >= RIGHT_MIN,
                    "{word} at {}",
                    b.offset
                );
            }
        }
    }

    #[test]
    fn short_words_are_left_whole() {
        let h = english();
        for word in ["a", "the", "party", "about", "flawed", "I’ve"] {
            assert_eq!(marked(&h, word), word);
        }
    }

    #[test]
    fn a_compound_breaks_only_at_its_hyphen() {
        let h = english();
        assert_eq!(marked(&h, "Marxism-Leninism"), "Marxism-|Leninism");
        assert_eq!(
            breaks(&h, "Marxism-Leninism"),
            vec![Break { offset: 8, kind: BreakKind::Hyphen }]
        );
        assert_eq!(marked(&h, "Marxist-Leninist-Maoist."), "Marxist-|Leninist-|Maoist.");
        assert_eq!(marked(&h, "Marxist–Leninist"), "Marxist–|Leninist");
        assert_eq!(breaks(&h, "Marxist–Leninist")[0].kind, BreakKind::Dash);
        // Too few letters on one side, or a number: no break.
        for word in
            ["X-ray", "e-mail", "pre-1917", "COVID-19", "1917–1921", "-ism", "anti-", "non‑violent"]
        {
            assert_eq!(marked(&h, word), word);
        }
        assert_eq!(marked(&h, "so-called"), "so-|called");
        assert_eq!(marked(&h, "“so-called”"), "“so-|called”");
    }

    #[test]
    fn an_em_dash_breaks_after_and_its_words_hyphenate() {
        let h = english();
        assert_eq!(marked(&h, "fight—and"), "fight—|and");
        assert_eq!(marked(&h, "organization—revolutionary"), "or-ga-ni-za-tion—|rev-o-lu-tion-ary");
        // A dash at either end, or a doubled one, is no place to break.
        for word in ["—and", "fight—", "fight——and", "“—”", "(—)"] {
            assert_eq!(marked(&h, word), word);
        }
        // A number beside a dash stays whole, but the dash may end a line.
        assert_eq!(marked(&h, "1917—the"), "1917—|the");
    }

    #[test]
    fn numbers_are_never_split() {
        let h = english();
        for word in ["1,108", "1930s", "600,000", "(1930s).", "20th-century", "3rd", "12345678"] {
            assert_eq!(breaks(&h, word), vec![], "{word}");
        }
    }

    #[test]
    fn urls_paths_and_addresses_are_not_hyphenated() {
        let h = english();
        for word in [
            "https://example.org/a/b",
            "www.marxists.org",
            "someone@example.org",
            "src/layout/linebreak.rs",
            "example.org",
            "C:\\Windows",
        ] {
            assert!(is_url_like(word), "{word}");
            assert_eq!(breaks(&h, word), vec![], "{word}");
        }
        for word in ["U.S.S.R.", "etc.", "revolution.", "Stalinism’s", "“Dengists”"] {
            assert!(!is_url_like(word), "{word}");
        }
    }

    fn url_marked(url: &str) -> String {
        let mut offsets = Vec::new();
        url_breaks(url, &mut offsets);
        let mut s = String::new();
        let mut from = 0;
        for at in offsets {
            s.push_str(&url[from..at]);
            s.push('|');
            from = at;
        }
        s + &url[from..]
    }

    #[test]
    fn urls_break_after_slashes_and_before_dots() {
        assert_eq!(url_marked("https://example.org/a/b"), "https://|example|.org/|a/b");
        assert_eq!(
            url_marked("https://www.marxists.org/archive/lenin/works/1917/staterev/index.htm"),
            "https://|www|.marxists|.org/|archive/|lenin/|works/|1917/|staterev/|index|.htm"
        );
        assert_eq!(url_marked("a-very_long-name?x=1&y=2"), "a-very|_long|-name|?x=|1&|y=2");
        assert_eq!(url_marked("someone@example.org"), "someone|@example|.org");
        // Nothing within two characters of an end, and nothing in a short token.
        assert_eq!(url_marked("/a/b"), "/a/b");
        assert_eq!(url_marked(".x"), ".x");
        assert_eq!(url_marked(""), "");
    }

    #[test]
    fn quotes_and_punctuation_around_a_word_are_left_alone() {
        let h = english();
        let plain = marked(&h, "Dengists");
        assert_eq!(marked(&h, "“Dengists”"), format!("“{plain}”"));
        assert_eq!(marked(&h, "(revolutionary),"), "(rev-o-lu-tion-ary),");
        // Offsets are into the token, quotes and all.
        let quoted = "“Dengists”";
        for b in breaks(&h, quoted) {
            assert!(quoted.is_char_boundary(b.offset));
            assert!(quoted[..b.offset].chars().filter(|c| c.is_alphabetic()).count() >= LEFT_MIN);
        }
    }

    #[test]
    fn apostrophes_split_a_word_and_are_never_broken_at() {
        let h = english();
        assert_eq!(marked(&h, "Stalinism’s"), "Stal-in-ism’s");
        assert_eq!(marked(&h, "Stalinism's"), "Stal-in-ism's");
        assert_eq!(marked(&h, "organization’s"), "or-ga-ni-za-tion’s");
        assert_eq!(marked(&h, "l’organisation"), "l’or-gan-i-sa-tion");
    }

    #[test]
    fn acronyms_are_left_whole_but_capitalised_words_hyphenate() {
        let h = english();
        for word in ["USSR", "NATO’s", "UNESCO", "UNESCO’s", "WWP’s", "(USSR)."] {
            assert_eq!(breaks(&h, word), vec![], "{word}");
        }
        assert_eq!(marked(&h, "Revolutionary"), "Rev-o-lu-tion-ary");
        assert_eq!(marked(&h, "REVOLUTIONARY"), "REVOLUTIONARY");
    }

    #[test]
    fn soft_hyphens_replace_the_patterns() {
        let h = english();
        let word = "hy\u{AD}phenation";
        assert_eq!(breaks(&h, word), vec![Break { offset: 2, kind: BreakKind::Discretionary }]);
    }

    #[test]
    fn without_patterns_only_hyphens_and_dashes_break() {
        let h = Hyphenator::without_patterns();
        assert_eq!(h.patterns(), None);
        assert_eq!(marked(&h, "hyphenation"), "hyphenation");
        assert_eq!(marked(&h, "Marxism-Leninism"), "Marxism-|Leninism");
        assert_eq!(marked(&h, "fight—and"), "fight—|and");
    }

    #[test]
    fn tags_choose_the_patterns() {
        let code = |tag: &str| Hyphenator::new(tag).ok().and_then(|h| h.patterns());
        assert_eq!(code("en"), Some("en-us"));
        assert_eq!(code("en-US"), Some("en-us"));
        assert_eq!(code("EN-gb"), Some("en-gb"));
        assert_eq!(code("en_AU"), Some("en-gb"));
        assert_eq!(code("de"), Some("de-1996"));
        assert_eq!(code("de-AT"), Some("de-1996"));
        assert_eq!(code("de-CH-1901"), Some("de-ch-1901"));
        assert_eq!(code("fr-CA"), Some("fr"));
        assert_eq!(code("es"), Some("es"));
        assert_eq!(code("it"), Some("it"));
        assert_eq!(code("nl"), Some("nl"));
        assert_eq!(code("pt-BR"), Some("pt"));
        assert_eq!(code("sv"), Some("sv"));
        assert_eq!(code("no"), Some("nb"));
        assert_eq!(code("sr-Latn"), Some("sh-latn"));
        assert_eq!(code("el"), Some("el-monoton"));
    }

    #[test]
    fn an_unknown_language_is_reported_for_a_warning() {
        for tag in ["xx", "tlh", "", "zh", "ja-JP", "-"] {
            let err = Hyphenator::new(tag).unwrap_err();
            assert_eq!(err.tag, tag);
            let d = err.to_diagnostic();
            assert!(!d.is_error());
            assert!(d.message.contains(&format!("`{tag}`")), "{}", d.message);
            assert!(d.hint.is_some());
        }
    }

    #[test]
    fn german_and_french_words_hyphenate() {
        let de = Hyphenator::new("de").unwrap();
        assert_eq!(marked(&de, "Silbentrennung"), "Sil-ben-tren-nung");
        assert_eq!(marked(&de, "„Arbeiterbewegung“"), "„Ar-bei-ter-be-we-gung“");
        let fr = Hyphenator::new("fr").unwrap();
        assert_eq!(marked(&fr, "révolutionnaire"), "ré-vo-lu-tion-naire");
        assert_eq!(marked(&fr, "l’organisation"), "l’or-ga-ni-sa-tion");
    }

    #[test]
    fn every_language_has_a_cache_slot() {
        // The last languages the crate declares.
        for language in [Language::Uppersorbian, Language::Welsh, Language::Ukrainian] {
            assert!((language as usize) < SLOTS);
        }
    }

    #[test]
    fn patterns_are_loaded_once() {
        let a = Hyphenator::new("en-GB").unwrap();
        let b = Hyphenator::new("en-IE").unwrap();
        let (Some(a), Some(b)) = (a.dictionary, b.dictionary) else { unreachable!() };
        assert!(std::ptr::eq(a, b));
    }

    #[test]
    fn odd_tokens_do_not_panic() {
        let h = english();
        for word in [
            "",
            "’",
            "’’’",
            "-",
            "—",
            "–",
            "\u{AD}",
            "a\u{AD}",
            "e\u{301}le\u{301}phant",
            "İstanbulluların",
            "ﬁnancial",
            "...",
            "'tis",
            "’90s",
        ] {
            let found = breaks(&h, word);
            for b in found {
                assert!(
                    b.offset > 0 && b.offset < word.len() && word.is_char_boundary(b.offset),
                    "{word}"
                );
            }
            url_breaks(word, &mut Vec::new());
        }
    }
}
