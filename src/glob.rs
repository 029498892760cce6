//! Redis glob semantics (`stringmatchlen` in Redis's util.c): `*`, `?`, `[abc]`, `[^a]`,
//! `[a-z]`, `\x`. Used to match keys against profile namespaces exactly as `SCAN MATCH` would.
//!
//! Redis walks the pattern and the key together, recursing at every `*`. How far the pattern
//! advances never depends on the key, so the pattern compiles once into a list of tokens: `*`
//! runs, and single-byte tokens (a 256-bit set: a literal, `?`, a class). Matching the tokens
//! is then the classic two-pointer algorithm that only ever backtracks to the last `*`:
//! O(key × pattern) time, no recursion, no exponential blow-up on `*a*a*a…b`.
//!
//! Redis's corner cases, reproduced on purpose (and checked against a real server by the
//! `glob` integration test):
//! - `[` with no closing `]` takes the rest of the pattern as the class (`[ab` = `[ab]`;
//!   a trailing `[` matches nothing; a trailing `[^` matches any byte); `[]` is empty and
//!   `[^]` matches any byte; `[]a]` (the empty class, then `a]`) matches nothing;
//! - a `\` at the end of the pattern (or of a class) is a literal backslash;
//! - `[z-a]` is `[a-z]`; a `-` at either edge of a class is a literal, except that `[a-]`
//!   takes the `]` as the end of the range `a-]` (and the class stays open);
//! - range bounds compare as C `char`, signed on x86-64: a range never spans 0x7f..0x80 the
//!   way an unsigned reading would (servers on unsigned-`char` platforms differ there);
//! - the empty key is matched only by the empty pattern, and by `*`, which SCAN does not
//!   filter at all;
//! - a pattern with more than 1000 `*` runs that are followed by something matches nothing
//!   (Redis's nesting limit).

/// One step of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// a run of `*`: any number of bytes
    Star,
    /// exactly one byte from the set (bit `b` set = byte `b` matches)
    One([u64; 4]),
}

fn set_has(set: &[u64; 4], b: u8) -> bool {
    set[(b >> 6) as usize] & (1u64 << (b & 63)) != 0
}

fn set_add(set: &mut [u64; 4], b: u8) {
    set[(b >> 6) as usize] |= 1u64 << (b & 63);
}

const FULL: [u64; 4] = [u64::MAX; 4];

/// Compile a pattern into tokens, walking it exactly as `stringmatchlen` does.
fn compile(p: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'*' => {
                while i + 1 < p.len() && p[i + 1] == b'*' {
                    i += 1;
                }
                out.push(Token::Star);
            }
            b'?' => out.push(Token::One(FULL)),
            b'[' => {
                i += 1;
                let not = p.get(i) == Some(&b'^');
                if not {
                    i += 1;
                }
                let mut set = [0u64; 4];
                loop {
                    let left = p.len().saturating_sub(i);
                    if left >= 2 && p[i] == b'\\' {
                        i += 1;
                        set_add(&mut set, p[i]);
                    } else if left >= 1 && p[i] == b']' {
                        break;
                    } else if left == 0 {
                        // unterminated: the class ends with the pattern
                        i = p.len() - 1;
                        break;
                    } else if left >= 3 && p[i + 1] == b'-' {
                        // C `char` is signed: compare the bounds as i8
                        let (mut lo, mut hi) = (p[i] as i8, p[i + 2] as i8);
                        if lo > hi {
                            std::mem::swap(&mut lo, &mut hi);
                        }
                        for b in 0..=255u8 {
                            if (lo..=hi).contains(&(b as i8)) {
                                set_add(&mut set, b);
                            }
                        }
                        i += 2;
                    } else {
                        set_add(&mut set, p[i]);
                    }
                    i += 1;
                }
                if not {
                    for w in &mut set {
                        *w = !*w;
                    }
                }
                out.push(Token::One(set));
            }
            b'\\' if i + 1 < p.len() => {
                i += 1;
                let mut set = [0u64; 4];
                set_add(&mut set, p[i]);
                out.push(Token::One(set));
            }
            c => {
                let mut set = [0u64; 4];
                set_add(&mut set, c);
                out.push(Token::One(set));
            }
        }
        i += 1;
    }
    out
}

/// Redis's recursion limit: the star runs it has to recurse through.
fn too_deep(tokens: &[Token]) -> bool {
    let inner_stars = tokens
        .windows(2)
        .filter(|w| w[0] == Token::Star && w[1] != Token::Star)
        .count();
    inner_stars > 1000
}

/// Does `SCAN MATCH pattern` return `key`?
pub fn matches(pattern: &[u8], key: &[u8]) -> bool {
    if pattern == b"*" {
        return true; // SCAN does not filter at all
    }
    let tokens = compile(pattern);
    if key.is_empty() {
        return pattern.is_empty(); // stringmatchlen's loop never starts
    }
    if too_deep(&tokens) {
        return false;
    }
    match_tokens(&tokens, key)
}

/// Two pointers; on a mismatch, retry from the last `*` with it swallowing one more byte.
fn match_tokens(t: &[Token], s: &[u8]) -> bool {
    let (mut ti, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None; // (token after the star, key index)
    while si < s.len() {
        match t.get(ti) {
            Some(Token::Star) => {
                star = Some((ti + 1, si));
                ti += 1;
            }
            Some(Token::One(set)) if set_has(set, s[si]) => {
                ti += 1;
                si += 1;
            }
            _ => match star {
                Some((after, from)) => {
                    ti = after;
                    si = from + 1;
                    star = Some((after, from + 1));
                }
                None => return false,
            },
        }
    }
    t[ti..].iter().all(|x| *x == Token::Star)
}

/// Escape glob metacharacters so `text` matches only itself.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// True when the glob matches every possible non-empty key: `*`, `**`, `?*`, `*?`, `*?*`,
/// `[^]*`… (not `?`, `a*`, `[a]*`, `??*`). The empty pattern counts as match-all too: Redis's
/// SCAN MATCH "" returns only the empty key, but a guard must not let "" slip through as
/// harmless when a caller may treat "no pattern" as "everything".
pub fn matches_everything(pattern: &str) -> bool {
    if pattern.is_empty() || pattern == "*" {
        return true;
    }
    let tokens = compile(pattern.as_bytes());
    let singles: Vec<&[u64; 4]> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::One(s) => Some(s),
            Token::Star => None,
        })
        .collect();
    let has_star = tokens.contains(&Token::Star);
    match singles.as_slice() {
        [] => has_star,
        // one byte from anything, and a star for the rest
        [one] => has_star && **one == FULL,
        _ => false, // a one-byte key cannot satisfy two single-byte tokens
    }
}

/// The glob of a profile namespace `format` (`app:{service}:{id}`): placeholders become `*`, optional tail dropped.
pub fn from_format(format: &str) -> String {
    let mut parts = Vec::new();
    for s in format.split(':') {
        if s.starts_with('{') && s.ends_with("?}") {
            break;
        }
        if s.starts_with('{') && s.ends_with('}') {
            parts.push("*".to_string());
        } else {
            parts.push(escape(s));
        }
    }
    parts.join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        matches(p.as_bytes(), s.as_bytes())
    }

    #[test]
    fn redis_glob_semantics() {
        assert!(m("*", ""));
        assert!(!m("**", ""));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("*", "abc"));
        assert!(m("user:*", "user:1:profile"));
        assert!(!m("user:*", "users:1"));
        assert!(m("h?llo", "hello"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(m("h[b-a]llo", "hallo"));
        assert!(m("user_*:pref*", "user_12:preferences"));
        assert!(m("a\\*b", "a*b"));
        assert!(!m("a\\*b", "axb"));
        assert!(m("*:v1:*", "x:v1:y"));
        assert!(!m("abc", "abcd"));
        assert!(m("abc*", "abc"));
        assert!(m("*b*", "abc"));
        assert!(!m("*b", "abc"));
    }

    #[test]
    fn redis_corner_cases() {
        // unterminated classes
        assert!(m("[ab", "a"));
        assert!(!m("[ab", "ab"));
        assert!(!m("x[", "x["));
        assert!(m("x[^", "xz"));
        // empty and negated-empty classes
        assert!(!m("[]", "]"));
        assert!(m("[^]", "q"));
        assert!(!m("[]a]", "a]"));
        assert!(!m("[]a]", "]a]"));
        // trailing backslashes are literal
        assert!(m("a\\", "a\\"));
        assert!(m("[\\", "\\"));
        assert!(m("[\\]]", "]"));
        // `[a-]` is the range a..] (swapped: ]..a) and leaves the class open
        assert!(m("[a-]", "_"));
        assert!(!m("[a-]", "b"));
        assert!(m("[-a]", "-"));
        // signed char ranges: [a-\xff] is \xff..a as signed bytes
        assert!(matches(b"[a-\xff]", b"\x00"));
        assert!(matches(b"[a-\xff]", b"\xff"));
        assert!(!matches(b"[a-\xff]", b"\x80"));
        assert!(!matches(b"[a-\xff]", b"b"));
    }

    #[test]
    fn no_exponential_backtracking() {
        let key = "a".repeat(80);
        assert!(!m("*a*a*a*a*a*a*a*a*a*a*a*a*b", &key));
        let long_pat = "*a".repeat(500) + "*b";
        assert!(!m(&long_pat, &"a".repeat(5000)));
        // Redis's nesting limit: more than 1000 inner star runs never match
        let deep = "*a".repeat(1001);
        assert!(!m(&deep, &"a".repeat(1001)));
        let ok = "*a".repeat(1000);
        assert!(m(&ok, &"a".repeat(1000)));
    }

    #[test]
    fn escaping_round_trips() {
        for s in ["plain", "a*b", "we[ir]d?", "back\\slash", "{tag}:x"] {
            assert!(m(&escape(s), s), "{s}");
        }
        assert!(!m(&escape("a*"), "abc"));
    }

    #[test]
    fn match_everything_is_semantic() {
        for p in ["", "*", "**", "?*", "*?", "*?*", "[^]*", "*[^]", "***?**"] {
            assert!(matches_everything(p), "{p}");
        }
        for p in ["?", "a*", "[a]*", "??*", "*a*", "[^a]*", "\\*", "[]*", "*["] {
            assert!(!matches_everything(p), "{p}");
        }
    }
}
