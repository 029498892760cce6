//! Redis glob semantics (`stringmatchlen` in util.c): `*`, `?`, `[abc]`, `[^a]`, `[a-z]`, `\x`.
//! Used to match keys against profile namespaces exactly as `SCAN MATCH` would.

/// Does `key` match the Redis glob `pattern`?
pub fn matches(pattern: &[u8], key: &[u8]) -> bool {
    match_at(pattern, key, 0)
}

fn match_at(mut p: &[u8], mut s: &[u8], depth: usize) -> bool {
    if depth > 1000 {
        return false; // Redis also bails out on pathological nesting
    }
    while !p.is_empty() {
        match p[0] {
            b'*' => {
                while p.len() > 1 && p[1] == b'*' {
                    p = &p[1..];
                }
                if p.len() == 1 {
                    return true;
                }
                for i in 0..=s.len() {
                    if match_at(&p[1..], &s[i..], depth + 1) {
                        return true;
                    }
                }
                return false;
            }
            b'?' => {
                if s.is_empty() {
                    return false;
                }
                s = &s[1..];
            }
            b'[' => {
                if s.is_empty() {
                    return false;
                }
                p = &p[1..];
                let not = p.first() == Some(&b'^');
                if not {
                    p = &p[1..];
                }
                let mut matched = false;
                loop {
                    if p.is_empty() {
                        break;
                    }
                    if p[0] == b'\\' && p.len() >= 2 {
                        p = &p[1..];
                        if p[0] == s[0] {
                            matched = true;
                        }
                    } else if p[0] == b']' {
                        break;
                    } else if p.len() >= 3 && p[1] == b'-' {
                        let (mut lo, mut hi) = (p[0], p[2]);
                        if lo > hi {
                            std::mem::swap(&mut lo, &mut hi);
                        }
                        if s[0] >= lo && s[0] <= hi {
                            matched = true;
                        }
                        p = &p[2..];
                    } else if p[0] == s[0] {
                        matched = true;
                    }
                    p = &p[1..];
                }
                if not {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                s = &s[1..];
                if p.is_empty() {
                    // unterminated class: Redis treats the end of pattern as the end
                    return s.is_empty();
                }
            }
            b'\\' if p.len() >= 2 => {
                p = &p[1..];
                if s.is_empty() || p[0] != s[0] {
                    return false;
                }
                s = &s[1..];
            }
            c => {
                if s.is_empty() || c != s[0] {
                    return false;
                }
                s = &s[1..];
            }
        }
        p = &p[1..];
        if s.is_empty() {
            return p.iter().all(|&c| c == b'*');
        }
    }
    s.is_empty()
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

/// True when the glob matches every key (`*`, `**`, empty).
pub fn matches_everything(pattern: &str) -> bool {
    pattern.is_empty() || pattern.bytes().all(|b| b == b'*')
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
        assert!(m("*", "abc"));
        assert!(m("user:*", "user:1:profile"));
        assert!(!m("user:*", "users:1"));
        assert!(m("h?llo", "hello"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(m("user_*:pref*", "user_12:preferences"));
        assert!(m("a\\*b", "a*b"));
        assert!(!m("a\\*b", "axb"));
        assert!(m("*:v1:*", "x:v1:y"));
        assert!(!m("abc", "abcd"));
        assert!(m("abc*", "abc"));
    }

    #[test]
    fn escaping_round_trips() {
        for s in ["plain", "a*b", "we[ir]d?", "back\\slash", "{tag}:x"] {
            assert!(m(&escape(s), s), "{s}");
        }
        assert!(!m(&escape("a*"), "abc"));
        assert!(matches_everything("**"));
        assert!(matches_everything(""));
        assert!(!matches_everything("a*"));
    }
}
