//! Key -> pattern normalization (SPEC §3 analyze, rules 1–3) and the pattern trie with its
//! cardinality guard. Pure code: no I/O.
//!
//! A key is cut into tokens; each token is its leading separator plus a normalized body
//! (`*` when the whole segment is variable, `user_*` when a piece of it is). Literal text is
//! glob-escaped, so every pattern is a valid glob for `invalidate pattern` that matches the
//! keys grouped under it.

use crate::glob;

/// More distinct literal values than this under one parent collapse into `*`.
pub const CARDINALITY_LIMIT: usize = 100;

pub use crate::keys::{pattern_text, BYTE_MARK};

/// Glob-escape literal text; byte marks become `?`.
fn escape_literal(text: &str) -> String {
    glob::escape(text).replace(BYTE_MARK, "?")
}

/// Cut a key into tokens. `seps` are the separator bytes (ASCII).
pub fn tokenize(key: &str, seps: &[u8]) -> Vec<String> {
    let bytes = key.as_bytes();
    let mut tokens = Vec::with_capacity(6);
    let mut i = 0;
    let mut lead: Option<char> = None;
    loop {
        // one segment starting at i, up to the next separator outside {…} and outside
        // an ISO-8601 timestamp (whose `:` would otherwise cut it)
        let start = i;
        let iso_len = iso_datetime_len(&bytes[i..]);
        let mut j = i + iso_len;
        let mut depth = 0usize;
        while j < bytes.len() {
            let b = bytes[j];
            if b == b'{' {
                depth += 1;
            } else if b == b'}' && depth > 0 {
                depth -= 1;
            } else if depth == 0 && seps.contains(&b) {
                break;
            }
            j += 1;
        }
        let body = normalize_segment(&key[start..j], seps);
        let mut token = String::with_capacity(body.len() + 1);
        if let Some(c) = lead {
            token.push(c);
        }
        token.push_str(&body);
        tokens.push(token);
        if j >= bytes.len() {
            break;
        }
        lead = Some(bytes[j] as char);
        i = j + 1;
    }
    tokens
}

/// Normalize the full key into its pattern (tokens joined). Convenience for tests and tools.
pub fn normalize(key: &str, seps: &[u8]) -> String {
    tokenize(key, seps).concat()
}

/// One segment: `*` if variable, else pieces split on `_ - .` normalized one by one.
/// `{…}` hash tags are kept as one unit whose content is normalized recursively.
fn normalize_segment(seg: &str, seps: &[u8]) -> String {
    if seg.is_empty() {
        return String::new();
    }
    if is_variable(seg) {
        return "*".to_string();
    }
    if seg.contains('{') {
        return normalize_with_hash_tags(seg, seps);
    }
    let mut out = String::with_capacity(seg.len());
    let mut piece_start = 0;
    for (idx, c) in seg.char_indices() {
        if matches!(c, '_' | '-' | '.') {
            push_piece(&mut out, &seg[piece_start..idx]);
            out.push(c);
            piece_start = idx + 1;
        }
    }
    push_piece(&mut out, &seg[piece_start..]);
    out
}

fn push_piece(out: &mut String, piece: &str) {
    if !piece.is_empty() && is_variable(piece) {
        out.push('*');
    } else {
        out.push_str(&escape_literal(piece));
    }
}

fn normalize_with_hash_tags(seg: &str, seps: &[u8]) -> String {
    let mut out = String::new();
    let mut rest = seg;
    while let Some(open) = rest.find('{') {
        let before = &rest[..open];
        if !before.is_empty() {
            out.push_str(&normalize_segment(before, seps));
        }
        match rest[open + 1..].find('}') {
            Some(close_rel) => {
                let inner = &rest[open + 1..open + 1 + close_rel];
                out.push('{');
                out.push_str(&normalize(inner, seps));
                out.push('}');
                rest = &rest[open + 1 + close_rel + 1..];
            }
            None => {
                out.push_str(&escape_literal(&rest[open..]));
                rest = "";
            }
        }
    }
    if !rest.is_empty() {
        out.push_str(&normalize_segment(rest, seps));
    }
    out
}

/// Rule 2: is this whole segment (or piece) a variable? First match wins.
pub fn is_variable(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() {
        return false;
    }
    is_uuid(b)
        || is_ulid(b)
        || (b.len() >= 16 && b.iter().all(u8::is_ascii_hexdigit))
        || is_date_like(b)
        || is_integer(b)
        || is_ipv4(s)
        || (b.len() >= 3 && b.contains(&b':') && s.parse::<std::net::Ipv6Addr>().is_ok())
        || is_email(b)
        || is_base64_like(b)
        || is_mixed_alnum(b)
}

fn is_uuid(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn is_ulid(b: &[u8]) -> bool {
    b.len() == 26
        && (b'0'..=b'7').contains(&b[0])
        && b.iter().all(|c| {
            let c = c.to_ascii_uppercase();
            c.is_ascii_digit()
                || (c.is_ascii_uppercase() && !matches!(c, b'I' | b'L' | b'O' | b'U'))
        })
}

fn is_integer(b: &[u8]) -> bool {
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
}

fn digits(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_digit)
}

/// `2024-01`, `2024-01-31`, `20240131` (an integer anyway), ISO-8601 date-times, epochs.
fn is_date_like(b: &[u8]) -> bool {
    if b.len() == 7 && b[4] == b'-' && digits(&b[..4]) && digits(&b[5..]) {
        return true;
    }
    if b.len() >= 10 && is_ymd(&b[..10]) {
        if b.len() == 10 {
            return true;
        }
        // 2024-01-31T12, 2024-01-31T12:00:00Z (when `:` is not a separator), 2024-01-31 12…
        return (b[10] == b'T' || b[10] == b' ')
            && b[11..]
                .iter()
                .all(|c| c.is_ascii_digit() || b":.+-Z".contains(c));
    }
    false
}

fn is_ymd(b: &[u8]) -> bool {
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(&b[..4])
        && digits(&b[5..7])
        && digits(&b[8..10])
}

/// Length of an ISO-8601 date-time at the start of `b` (0 if none). Keeps
/// `2024-01-31T12:00:00Z` in one segment even though `:` is a separator.
fn iso_datetime_len(b: &[u8]) -> usize {
    if b.len() < 13 || !is_ymd(&b[..10]) || b[10] != b'T' {
        return 0;
    }
    let mut j = 11;
    while j < b.len() && (b[j].is_ascii_digit() || b":.+-Z".contains(&b[j])) {
        j += 1;
    }
    // give back a trailing separator or sign: `…00Z:x` ends at `Z`
    while j > 11 && !(b[j - 1].is_ascii_digit() || b[j - 1] == b'Z') {
        j -= 1;
    }
    j
}

fn is_ipv4(s: &str) -> bool {
    s.len() >= 7 && s.parse::<std::net::Ipv4Addr>().is_ok()
}

fn is_email(b: &[u8]) -> bool {
    let Some(at) = b.iter().position(|&c| c == b'@') else {
        return false;
    };
    let (local, domain) = (&b[..at], &b[at + 1..]);
    !local.is_empty()
        && domain.contains(&b'.')
        && !domain.starts_with(b".")
        && !domain.ends_with(b".")
        && !domain.contains(&b'@')
}

fn is_base64_like(b: &[u8]) -> bool {
    b.len() >= 16
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"+/=_-.".contains(c))
        && (b.iter().any(u8::is_ascii_digit)
            || b.contains(&b'+')
            || b.ends_with(b"=")
            || b.starts_with(b"eyJ"))
}

fn is_mixed_alnum(b: &[u8]) -> bool {
    b.len() >= 6
        && b.iter().all(u8::is_ascii_alphanumeric)
        && b.iter().any(u8::is_ascii_digit)
        && b.iter().any(u8::is_ascii_alphabetic)
}

/// Something that can be accumulated per pattern and merged when patterns collapse.
pub trait Merge: Default {
    fn merge(&mut self, other: Self);
}

/// Pattern trie: a path of tokens per pattern; stats at the node where a key ends.
/// Memory is O(patterns × depth); the guard bounds fan-out at [`CARDINALITY_LIMIT`].
#[derive(Debug)]
pub struct PatternTrie<S> {
    root: Node<S>,
    limit: usize,
    seps: Vec<u8>,
}

#[derive(Debug)]
struct Node<S> {
    literal: std::collections::HashMap<Box<str>, Node<S>>,
    /// the `*` child, keyed by its leading separator (`:*` vs `/*`)
    star: std::collections::HashMap<Box<str>, Node<S>>,
    collapsed: bool,
    leaf: Option<S>,
}

impl<S> Default for Node<S> {
    fn default() -> Self {
        Node {
            literal: Default::default(),
            star: Default::default(),
            collapsed: false,
            leaf: None,
        }
    }
}

/// A token starts with a separator exactly when it is not the key's first segment
/// (a segment body never starts with a separator), so the lead is known without context.
fn lead(token: &str, seps: &[u8]) -> Option<u8> {
    token
        .as_bytes()
        .first()
        .copied()
        .filter(|b| seps.contains(b))
}

/// `:*` for a token `:user_12` being collapsed; `*` for a first segment.
fn star_of(token: &str, seps: &[u8]) -> Box<str> {
    match lead(token, seps) {
        Some(c) => format!("{}*", c as char).into(),
        None => "*".into(),
    }
}

fn is_star(token: &str, seps: &[u8]) -> bool {
    token == "*" || (token.len() == 2 && lead(token, seps).is_some() && token.ends_with('*'))
}

impl<S: Merge> PatternTrie<S> {
    pub fn new(seps: &[u8]) -> Self {
        Self::with_limit(seps, CARDINALITY_LIMIT)
    }

    pub fn with_limit(seps: &[u8], limit: usize) -> Self {
        PatternTrie {
            root: Node::default(),
            limit,
            seps: seps.to_vec(),
        }
    }

    /// The stats slot for these tokens, creating the path (and collapsing) as needed.
    pub fn entry(&mut self, tokens: &[String]) -> &mut S {
        let g = Guard {
            limit: self.limit,
            seps: &self.seps,
        };
        let mut node = &mut self.root;
        for t in tokens {
            node = child_for(node, t, &g);
        }
        node.leaf.get_or_insert_with(S::default)
    }

    /// Visit every pattern's stats, in no particular order.
    pub fn for_each_mut(&mut self, mut f: impl FnMut(&mut S)) {
        fn walk<S>(node: &mut Node<S>, f: &mut impl FnMut(&mut S)) {
            if let Some(s) = &mut node.leaf {
                f(s);
            }
            for sub in node.literal.values_mut().chain(node.star.values_mut()) {
                walk(sub, f);
            }
        }
        walk(&mut self.root, &mut f);
    }

    /// Every (pattern, stats) pair, in no particular order.
    pub fn into_patterns(self) -> Vec<(String, S)> {
        let mut out = Vec::new();
        collect(self.root, String::new(), &mut out);
        out
    }
}

struct Guard<'a> {
    limit: usize,
    seps: &'a [u8],
}

fn child_for<'a, S: Merge>(node: &'a mut Node<S>, token: &str, g: &Guard) -> &'a mut Node<S> {
    if node.collapsed || is_star(token, g.seps) {
        return node.star.entry(star_of(token, g.seps)).or_default();
    }
    if node.literal.contains_key(token) {
        return node.literal.get_mut(token).expect("checked");
    }
    if node.literal.len() >= g.limit {
        node.collapsed = true;
        let olds = std::mem::take(&mut node.literal);
        for (tok, sub) in olds {
            let dst = node.star.entry(star_of(&tok, g.seps)).or_default();
            merge_node(dst, sub, g);
        }
        return node.star.entry(star_of(token, g.seps)).or_default();
    }
    node.literal.entry(token.into()).or_default()
}

fn merge_node<S: Merge>(dst: &mut Node<S>, src: Node<S>, g: &Guard) {
    if let Some(s) = src.leaf {
        dst.leaf.get_or_insert_with(S::default).merge(s);
    }
    for (tok, sub) in src.star {
        let d = dst.star.entry(tok).or_default();
        merge_node(d, sub, g);
    }
    for (tok, sub) in src.literal {
        let d = child_for(dst, &tok, g);
        merge_node(d, sub, g);
    }
}

fn collect<S>(node: Node<S>, prefix: String, out: &mut Vec<(String, S)>) {
    if let Some(s) = node.leaf {
        out.push((prefix.clone(), s));
    }
    for (tok, sub) in node.literal.into_iter().chain(node.star) {
        collect(sub, format!("{prefix}{tok}"), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEPS: &[u8] = b":/|#";

    fn n(k: &str) -> String {
        normalize(k, SEPS)
    }

    #[test]
    fn seed_namespaces() {
        assert_eq!(n("user_profile:v1:user_456"), "user_profile:v1:user_*");
        assert_eq!(
            n("user_profile:v1:user_456:preferences"),
            "user_profile:v1:user_*:preferences"
        );
        assert_eq!(
            n("cache:response:5d41402abc4b2a76b9719d911017c592"),
            "cache:response:*"
        );
        assert_eq!(
            n("usage_analysis:v1:user_123:2024-01"),
            "usage_analysis:v1:user_*:*"
        );
        assert_eq!(n("app:lake:user:123:profile"), "app:lake:user:*:profile");
        assert_eq!(
            n("mesh:lake:retry:operation_123"),
            "mesh:lake:retry:operation_*"
        );
        assert_eq!(n("plan_catalog:v1:plan_123"), "plan_catalog:v1:plan_*");
    }

    #[test]
    fn variables() {
        assert_eq!(
            n("session:550e8400-e29b-41d4-a716-446655440000"),
            "session:*"
        );
        assert_eq!(n("doc:507f1f77bcf86cd799439011"), "doc:*"); // ObjectId
        assert_eq!(n("job:01ARZ3NDEKTSV4RRFFQ69G5FAV"), "job:*"); // ULID
        assert_eq!(n("h:da39a3ee5e6b4b0d"), "h:*"); // 16 hex
        assert_eq!(n("d:2024-01-31"), "d:*");
        assert_eq!(n("d:20240131"), "d:*");
        assert_eq!(n("ts:2024-01-31T12:00:00Z:x"), "ts:*:x");
        assert_eq!(n("e:1700000000"), "e:*");
        assert_eq!(n("e:1700000000123"), "e:*");
        assert_eq!(n("n:-42"), "n:*");
        assert_eq!(n("ip:10.0.0.1"), "ip:*");
        assert_eq!(n("mail:bob@example.com"), "mail:*");
        assert_eq!(
            n("tok:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_nature"),
            "tok:*"
        );
        assert_eq!(n("code:abc123"), "code:*");
        assert_eq!(n("k:a1b2"), "k:a1b2"); // short: literal
    }

    #[test]
    fn literals_kept() {
        assert_eq!(n("user_profile:v1:x"), "user_profile:v1:x");
        assert_eq!(n("api:v12:status"), "api:v12:status");
        assert_eq!(n("config"), "config");
        assert_eq!(n("a:b/c|d#e"), "a:b/c|d#e");
        assert_eq!(n("trailing:"), "trailing:");
        assert_eq!(n("we*rd:key"), "we\\*rd:key");
        assert!(!is_variable("profile"));
        assert!(!is_variable("v1"));
        assert!(!is_variable("user_profile_settings_long"));
    }

    #[test]
    fn binary_and_control_bytes_become_single_byte_wildcards() {
        let key = b"bin:\xff\xfe\x00x";
        let text = pattern_text(key);
        assert_eq!(text.chars().filter(|c| *c == BYTE_MARK).count(), 3);
        let pat = normalize(&text, SEPS);
        assert_eq!(pat, "bin:???x");
        assert!(crate::glob::matches(pat.as_bytes(), key));
        let key = b"new\nline:2";
        let pat = normalize(&pattern_text(key), SEPS);
        assert_eq!(pat, "new?line:*");
        assert!(crate::glob::matches(pat.as_bytes(), key));
        let key = "odd:\u{FFFD}".as_bytes();
        assert!(crate::glob::matches(
            normalize(&pattern_text(key), SEPS).as_bytes(),
            key
        ));
        assert_eq!(pattern_text("caf\u{e9}:1".as_bytes()), "caf\u{e9}:1");
        // a bidi override never reaches a pattern (nor the terminal showing it)
        let key = "ad:\u{202E}evil".as_bytes();
        let pat = normalize(&pattern_text(key), SEPS);
        assert_eq!(pat, "ad:???evil");
        assert!(crate::glob::matches(pat.as_bytes(), key));
    }

    #[test]
    fn hash_tags() {
        assert_eq!(n("{user123}:cart"), "{*}:cart");
        assert_eq!(n("cart:{user:42}:items"), "cart:{user:*}:items");
        assert_eq!(n("{tenant}:x"), "{tenant}:x");
    }

    #[test]
    fn patterns_are_globs_matching_their_keys() {
        for k in [
            "user_profile:v1:user_456:preferences",
            "usage_analysis:v1:user_123:2024-01",
            "we*rd:key[1]",
            "cart:{user:42}:items",
            "ts:2024-01-31T12:00:00Z:x",
            "a.b-c_d:1.2.3",
        ] {
            assert!(
                crate::glob::matches(n(k).as_bytes(), k.as_bytes()),
                "{k} vs {}",
                n(k)
            );
        }
    }

    #[derive(Default, Debug)]
    struct Count(u64);
    impl Merge for Count {
        fn merge(&mut self, o: Self) {
            self.0 += o.0;
        }
    }

    #[test]
    fn cardinality_guard_collapses() {
        let mut t: PatternTrie<Count> = PatternTrie::new(SEPS);
        for i in 0..500 {
            // literal names that no rule recognises as variables
            let name: String =
                format!("feature{}", (b'a' + (i % 26) as u8) as char) + &"x".repeat(i / 26);
            let toks = tokenize(&format!("flags:{name}:enabled"), SEPS);
            t.entry(&toks).0 += 1;
        }
        let pats = t.into_patterns();
        assert_eq!(
            pats.len(),
            1,
            "{:?}",
            pats.iter().map(|p| &p.0).collect::<Vec<_>>()
        );
        assert_eq!(pats[0].0, "flags:*:enabled");
        assert_eq!(pats[0].1 .0, 500);
    }

    #[test]
    fn few_literals_stay_separate() {
        let mut t: PatternTrie<Count> = PatternTrie::new(SEPS);
        for name in ["a", "b", "c"] {
            for i in 0..10 {
                t.entry(&tokenize(&format!("{name}:{i}"), SEPS)).0 += 1;
            }
        }
        let mut pats: Vec<_> = t
            .into_patterns()
            .into_iter()
            .map(|(p, c)| (p, c.0))
            .collect();
        pats.sort();
        assert_eq!(
            pats,
            vec![("a:*".into(), 10), ("b:*".into(), 10), ("c:*".into(), 10)]
        );
    }
}
