//! Link destinations: which ones become hyperlinks, and how they are written so that
//! EPUBCheck accepts them.
//!
//! A manuscript link is either `#id`, a place in the book, or an absolute URL. Anything
//! else is left as plain text: a relative path would point at a file the EPUB does not
//! contain (EPUBCheck error RSC-007), and `javascript:`, `data:` or `file:` URLs have no
//! business in a book. Absolute URLs are percent-encoded where the URL syntax requires it
//! (spaces, quotes, angle brackets, stray `%`), and are XML-escaped later like any
//! attribute.

/// What a link destination becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target<'a> {
    /// A place in the book, by the id the manuscript gives it (without `#`).
    Internal(&'a str),
    /// An absolute URL, percent-encoded, not yet XML-escaped.
    External(String),
    /// Not a link at all: render the text only.
    Dropped,
}

/// The schemes a reader can reasonably open from a book.
const SCHEMES: [&str; 5] = ["http", "https", "ftp", "mailto", "tel"];

/// Classifies and encodes a manuscript link destination.
pub(crate) fn classify(url: &str) -> Target<'_> {
    let url = url.trim();
    if let Some(id) = url.strip_prefix('#') {
        return if id.is_empty() { Target::Dropped } else { Target::Internal(id) };
    }
    let Some((scheme, rest)) = url.split_once(':') else { return Target::Dropped };
    let valid_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let scheme = scheme.to_ascii_lowercase();
    if !valid_scheme || !SCHEMES.contains(&scheme.as_str()) {
        return Target::Dropped;
    }
    let hierarchical = matches!(scheme.as_str(), "http" | "https" | "ftp");
    if hierarchical {
        // `http:foo` or `https://` without a host is not a usable address.
        let host = rest.strip_prefix("//").map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
        if host.is_none_or(|h| h.trim().is_empty()) {
            return Target::Dropped;
        }
    } else if rest.trim().is_empty() {
        return Target::Dropped;
    }
    let mut out = String::with_capacity(url.len() + 8);
    out.push_str(&scheme);
    out.push(':');
    encode(&mut out, rest);
    Target::External(out)
}

/// Appends `s` with every byte that may not appear literally in a URL percent-encoded.
/// Existing `%XX` escapes are kept; a `%` not followed by two hex digits is encoded.
fn encode(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let literal = match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => true,
            b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'?' | b'#' | b'[' | b']' | b'@' => true,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' => true,
            b'%' => bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
            _ => false,
        };
        if literal {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}
