//! Key -> pattern normalization (SPEC §3 analyze, rules 1–3) and the pattern trie with its
//! cardinality guard. Pure code: no I/O.
//!
//! A key is cut into tokens; each token is its leading separator plus a normalized body
//! (`*` when the whole segment is variable, `user_*` when a piece of it is). Literal text is
//! glob-escaped, so every pattern is a valid glob for `invalidate pattern` that matches the
//! keys grouped under it.

/// More distinct literal values than this under one parent collapse into `*`.
pub const CARDINALITY_LIMIT: usize = 100;

pub use crate::keys::{pattern_text, pattern_text_into, BYTE_MARK};

/// Glob-escape literal text; byte marks become `?`.
fn escape_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_literal_into(text, &mut out);
    out
}

/// `escape_literal` appended to `out`.
fn escape_literal_into(text: &str, out: &mut String) {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !matches!(b, b'*' | b'?' | b'[' | b']' | b'\\'))
    {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        if c == BYTE_MARK {
            out.push('?');
            continue;
        }
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A key's tokens in reused buffers (`tokenize_into`): their text one after another, and
/// where each ends.
#[derive(Debug, Default)]
pub struct Tokens {
    text: String,
    ends: Vec<usize>,
}

impl Tokens {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends.iter().map(move |&e| {
            let t = &self.text[start..e];
            start = e;
            t
        })
    }
}

/// Cut a key into tokens. `seps` are the separator bytes (ASCII).
pub fn tokenize(key: &str, seps: &[u8]) -> Vec<String> {
    let mut t = Tokens::default();
    tokenize_into(key, seps, &mut t);
    t.iter().map(String::from).collect()
}

/// `tokenize` into reused buffers (no allocation per key once they are warm).
pub fn tokenize_into(key: &str, seps: &[u8], out: &mut Tokens) {
    out.text.clear();
    out.ends.clear();
    // the separators are ASCII: one bit each
    let sep_mask = seps
        .iter()
        .filter(|s| s.is_ascii())
        .fold(0u128, |m, &s| m | (1u128 << s));
    let bytes = key.as_bytes();
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
            } else if depth == 0 && b < 128 && (sep_mask >> b) & 1 == 1 {
                break;
            }
            j += 1;
        }
        if let Some(c) = lead {
            out.text.push(c);
        }
        normalize_segment_into(&key[start..j], seps, &mut out.text);
        out.ends.push(out.text.len());
        if j >= bytes.len() {
            break;
        }
        lead = Some(bytes[j] as char);
        i = j + 1;
    }
}

/// Normalize the full key into its pattern (tokens joined). Convenience for tests and tools.
pub fn normalize(key: &str, seps: &[u8]) -> String {
    tokenize(key, seps).concat()
}

/// One segment: `*` if variable, else pieces split on `_ - .` normalized one by one.
/// `{…}` hash tags are kept as one unit whose content is normalized recursively.
fn normalize_segment(seg: &str, seps: &[u8]) -> String {
    let mut out = String::with_capacity(seg.len());
    normalize_segment_into(seg, seps, &mut out);
    out
}

/// `normalize_segment` appended to `out`.
fn normalize_segment_into(seg: &str, seps: &[u8], out: &mut String) {
    if seg.is_empty() {
        return;
    }
    if is_variable(seg) {
        out.push('*');
        return;
    }
    if seg.contains('{') {
        out.push_str(&normalize_with_hash_tags(seg, seps));
        return;
    }
    let mut piece_start = 0;
    // the piece separators are ASCII, so their byte offsets are char boundaries
    for (idx, b) in seg.bytes().enumerate() {
        if matches!(b, b'_' | b'-' | b'.') {
            push_piece(out, &seg[piece_start..idx]);
            out.push(b as char);
            piece_start = idx + 1;
        }
    }
    push_piece(out, &seg[piece_start..]);
}

fn push_piece(out: &mut String, piece: &str) {
    if !piece.is_empty() && is_variable(piece) {
        out.push('*');
    } else {
        escape_literal_into(piece, out);
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
    // One pass over the bytes: which classes all of them are in (`all`) and which classes
    // some are in (`any`); each rule below then needs its full check only when it can match
    // (the rules are alternatives, so their order changes nothing but the cost).
    let (mut all, mut any) = (u16::MAX, 0u16);
    for &c in b {
        let k = CLASS[c as usize];
        all &= k;
        any |= k;
    }
    let n = b.len();
    (n >= 16 && all & HEX != 0)
        || (n >= 6 && all & ALNUM != 0 && any & DIGIT != 0 && any & ALPHA != 0)
        || (n >= 16 && all & B64 != 0 && is_base64_like(b))
        || (any & DIGIT != 0 && is_integer(b))
        || (n == 36 && is_uuid(b))
        || (n == 26 && is_ulid(b))
        || ((n == 7 || n >= 10) && any & DIGIT != 0 && is_date_like(b))
        || (all & DIGIT_DOT != 0 && is_ipv4(s))
        || (any & COLON != 0 && all & V6 != 0 && is_ipv6(s))
        || (any & AT != 0 && is_email(b))
}

const DIGIT: u16 = 1;
const HEX: u16 = 2;
const ALPHA: u16 = 4;
const ALNUM: u16 = 8;
/// base64/JWT alphabet: alphanumerics and `+/=_-.`
const B64: u16 = 16;
const DIGIT_DOT: u16 = 32;
/// what an IPv6 address is made of: hex digits, `:` and `.`
const V6: u16 = 64;
const COLON: u16 = 128;
const AT: u16 = 256;

/// Byte classes for `is_variable`'s one pass.
static CLASS: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        let mut k = 0u16;
        if b.is_ascii_digit() {
            k |= DIGIT | DIGIT_DOT;
        }
        if b.is_ascii_hexdigit() {
            k |= HEX | V6;
        }
        if b.is_ascii_alphabetic() {
            k |= ALPHA;
        }
        if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-' | b'.') {
            k |= B64;
        }
        if b.is_ascii_alphanumeric() {
            k |= ALNUM;
        }
        if b == b'.' {
            k |= DIGIT_DOT | V6;
        }
        if b == b':' {
            k |= V6 | COLON;
        }
        if b == b'@' {
            k |= AT;
        }
        t[c] = k;
        c += 1;
    }
    t
};

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
    // only digits and dots can parse: skip the parser for everything else (most segments)
    (7..=15).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && s.parse::<std::net::Ipv4Addr>().is_ok()
}

fn is_ipv6(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3
        && b.contains(&b':')
        && b.iter()
            .all(|c| c.is_ascii_hexdigit() || *c == b':' || *c == b'.')
        && s.parse::<std::net::Ipv6Addr>().is_ok()
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

/// The trie's maps: hashbrown with its foldhash (a few tokens per key, every key: SipHash
/// showed in the `--rdb` profile) and `entry_ref` (one lookup, no allocation for a token
/// already there); the keys are patterns' tokens, bounded by the cardinality guard.
type Map<S> = hashbrown::HashMap<String, Node<S>>;

#[derive(Debug)]
struct Node<S> {
    literal: Map<S>,
    /// the `*` child, keyed by its leading separator (`:*` vs `/*`)
    star: Map<S>,
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
fn star_of(token: &str, seps: &[u8]) -> String {
    match lead(token, seps) {
        Some(c) => format!("{}*", c as char),
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
    pub fn entry<T: AsRef<str>>(&mut self, tokens: impl IntoIterator<Item = T>) -> &mut S {
        let g = Guard {
            limit: self.limit,
            seps: &self.seps,
        };
        let mut node = &mut self.root;
        for t in tokens {
            node = child_for(node, t.as_ref(), &g);
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
    if is_star(token, g.seps) {
        // a star token is its own `star_of`
        return node.star.entry_ref(token).or_default();
    }
    if node.collapsed {
        // `star_of(token)` without allocating: its lead separator (ASCII) and `*`
        let star = match lead(token, g.seps) {
            Some(c) => [c, b'*'],
            None => [b'*', 0],
        };
        let len = if star[1] == 0 { 1 } else { 2 };
        let star = std::str::from_utf8(&star[..len]).expect("ASCII");
        return node.star.entry_ref(star).or_default();
    }
    if node.literal.len() < g.limit || node.literal.contains_key(token) {
        return node.literal.entry_ref(token).or_default();
    }
    {
        node.collapsed = true;
        let olds = std::mem::take(&mut node.literal);
        for (tok, sub) in olds {
            let dst = node.star.entry(star_of(&tok, g.seps)).or_default();
            merge_node(dst, sub, g);
        }
        node.star.entry(star_of(token, g.seps)).or_default()
    }
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

    /// Rule 2 as written (each check on its own, in the SPEC's order): `is_variable`'s one-pass
    /// version must agree with it on every string.
    fn is_variable_reference(s: &str) -> bool {
        let b = s.as_bytes();
        if b.is_empty() {
            return false;
        }
        let mixed_alnum = b.len() >= 6
            && b.iter().all(u8::is_ascii_alphanumeric)
            && b.iter().any(u8::is_ascii_digit)
            && b.iter().any(u8::is_ascii_alphabetic);
        is_uuid(b)
            || is_ulid(b)
            || (b.len() >= 16 && b.iter().all(u8::is_ascii_hexdigit))
            || is_date_like(b)
            || is_integer(b)
            || (s.len() >= 7 && s.parse::<std::net::Ipv4Addr>().is_ok())
            || (b.len() >= 3 && b.contains(&b':') && s.parse::<std::net::Ipv6Addr>().is_ok())
            || is_email(b)
            || is_base64_like(b)
            || mixed_alnum
    }

    #[test]
    fn one_pass_is_variable_agrees_with_the_rules() {
        let fixed = [
            "550e8400-e29b-41d4-a716-446655440000",
            "01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "da39a3ee5e6b4b0d",
            "2024-01",
            "2024-01-31",
            "2024-01-31T12:00:00Z",
            "-42",
            "10.0.0.1",
            "::1",
            "fe80::1:2",
            "::ffff:10.0.0.1",
            "bob@example.com",
            "eyJhbGciOiJIUzI1NiJ9",
            "abc123",
            "profile",
            "v1",
            "user_profile",
            "1.2.3",
            "a@b",
            "ABCDEFabcdef0123+/==",
        ];
        for s in fixed {
            assert_eq!(is_variable(s), is_variable_reference(s), "{s}");
        }
        // random strings over the characters the rules look at
        let alphabet: Vec<char> = "0123456789abcdefAFGZz-_.:@+/=TZ eyJ\u{e9}"
            .chars()
            .collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 40) as usize;
            let mut y = x;
            let s: String = (0..len)
                .map(|_| {
                    y = y
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(y >> 33) as usize % alphabet.len()]
                })
                .collect();
            assert_eq!(is_variable(&s), is_variable_reference(&s), "{s:?}");
        }
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
                t.entry(tokenize(&format!("{name}:{i}"), SEPS)).0 += 1;
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
