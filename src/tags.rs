//! Tag index layouts of the real framework clients, as pure data (no Redis): which key holds a
//! tag's index, how its members become item keys, the globs `auto` discovery scans for, and
//! the prefix-inference rule. docs/tag-layouts.md quotes the framework source for each layout.
//!
//! Names: `P` is the client key prefix (phpredis `OPT_PREFIX`, Laravel `REDIS_PREFIX`), put
//! before every key the client sends; `S` is the framework's own prefix *as it appears in
//! Redis*, used verbatim: Symfony's namespace `app` appears as `app:`, Laravel 8–10's cache
//! prefix `laravel_cache` as `laravel_cache:`, Laravel 11+'s `laravel_cache_` as itself (its
//! `RedisStore::setPrefix` adds no `:`), so no separator is ever added here. `X` = `P` + `S`,
//! the whole text before a layout's fixed part: discovery finds `X`, inference splits it.

use serde::Serialize;

/// One concrete layout (a framework version range).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// cachectl's own (the seeds' convention): set `{P}{S}tag:{T}` of item keys (without P)
    Cachectl,
    /// Laravel 10–13: ZSET `{P}{S}tag:{T}:entries`, members `sha1(ns):key` without P+S,
    /// score = expiry unix time (-1 = forever)
    LaravelZset,
    /// Laravel 8–9: string `{P}{S}tag:{T}:key` holding the tag's namespace id; sets
    /// `{P}{S}{id}:forever_ref` / `{P}{S}{id}:standard_ref` of item keys with S, without P
    LaravelRefs,
    /// Symfony RedisTagAwareAdapter 5.4–6.2: set `{P}{S}\0tags\0{T}`, members = item ids (S+key)
    Symfony0,
    /// Symfony RedisTagAwareAdapter 6.3+: set `{P}{S}\x01tags\x01{T}`
    Symfony1,
    /// Symfony TagAwareAdapter 5.4–6.2: version key `{P}{S}{T}\0tags\0` (no index)
    SymfonyTagAware0,
    /// Symfony TagAwareAdapter 6.3+: version key `{P}{S}{T}\x01tags\x01`
    SymfonyTagAware1,
    /// cashews: set `_tag:{T}` of full item keys (cashews adds no prefix of its own)
    Cashews,
}

/// `--tag-format` values other than `auto`: each names one or two layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Cachectl,
    Laravel,
    Symfony,
    SymfonyTagaware,
    Cashews,
}

/// What the key found for a layout must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IndexType {
    Set,
    Zset,
    /// a plain string (Laravel 8–9 namespace id, Symfony tag version)
    String,
}

/// Order in which the framework's writer records an item: item first (SET, then SADD) or
/// index first (SADD/ZADD, then SET). It decides which index members a page may drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriterOrder {
    ItemFirst,
    IndexFirst,
}

pub const ALL: [Layout; 8] = [
    Layout::Cachectl,
    Layout::LaravelZset,
    Layout::LaravelRefs,
    Layout::Symfony0,
    Layout::Symfony1,
    Layout::SymfonyTagAware0,
    Layout::SymfonyTagAware1,
    Layout::Cashews,
];

impl Family {
    pub fn layouts(self) -> &'static [Layout] {
        match self {
            Family::Cachectl => &[Layout::Cachectl],
            Family::Laravel => &[Layout::LaravelZset, Layout::LaravelRefs],
            Family::Symfony => &[Layout::Symfony1, Layout::Symfony0],
            Family::SymfonyTagaware => &[Layout::SymfonyTagAware1, Layout::SymfonyTagAware0],
            Family::Cashews => &[Layout::Cashews],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::Cachectl => "cachectl",
            Family::Laravel => "laravel",
            Family::Symfony => "symfony",
            Family::SymfonyTagaware => "symfony-tagaware",
            Family::Cashews => "cashews",
        }
    }
}

impl Layout {
    pub fn family(self) -> Family {
        match self {
            Layout::Cachectl => Family::Cachectl,
            Layout::LaravelZset | Layout::LaravelRefs => Family::Laravel,
            Layout::Symfony0 | Layout::Symfony1 => Family::Symfony,
            Layout::SymfonyTagAware0 | Layout::SymfonyTagAware1 => Family::SymfonyTagaware,
            Layout::Cashews => Family::Cashews,
        }
    }

    /// Stable name for output (`format` in table/JSON).
    pub fn name(self) -> &'static str {
        match self {
            Layout::Cachectl => "cachectl",
            Layout::LaravelZset => "laravel (10-13, zset)",
            Layout::LaravelRefs => "laravel (8-9, reference sets)",
            Layout::Symfony0 => "symfony (5.4-6.2)",
            Layout::Symfony1 => "symfony (6.3+)",
            Layout::SymfonyTagAware0 => "symfony-tagaware (5.4-6.2)",
            Layout::SymfonyTagAware1 => "symfony-tagaware (6.3+)",
            Layout::Cashews => "cashews",
        }
    }

    pub fn index_type(self) -> IndexType {
        match self {
            Layout::LaravelZset => IndexType::Zset,
            Layout::LaravelRefs | Layout::SymfonyTagAware0 | Layout::SymfonyTagAware1 => {
                IndexType::String
            }
            _ => IndexType::Set,
        }
    }

    /// The type of the key(s) holding the members: the index itself, or for Laravel 8–9 the
    /// reference sets (TagAwareAdapter has none: Set, never paged).
    pub fn members_type(self) -> IndexType {
        match self {
            Layout::LaravelZset => IndexType::Zset,
            _ => IndexType::Set,
        }
    }

    /// Laravel (both) writes the index entry before the item; Symfony and cashews write the
    /// item first (Symfony: SETEX then SADD in one pipeline; cashews: SET then SADD).
    pub fn writer_order(self) -> WriterOrder {
        match self {
            Layout::LaravelZset | Layout::LaravelRefs => WriterOrder::IndexFirst,
            _ => WriterOrder::ItemFirst,
        }
    }

    /// The fixed part of the index key for tag `t` (what follows `X` = P+S).
    pub fn core(self, t: &str) -> Vec<u8> {
        match self {
            Layout::Cachectl => format!("tag:{t}").into_bytes(),
            Layout::LaravelZset => format!("tag:{t}:entries").into_bytes(),
            Layout::LaravelRefs => format!("tag:{t}:key").into_bytes(),
            Layout::Symfony0 => format!("\0tags\0{t}").into_bytes(),
            Layout::Symfony1 => format!("\x01tags\x01{t}").into_bytes(),
            Layout::SymfonyTagAware0 => format!("{t}\0tags\0").into_bytes(),
            Layout::SymfonyTagAware1 => format!("{t}\x01tags\x01").into_bytes(),
            Layout::Cashews => format!("_tag:{t}").into_bytes(),
        }
    }

    /// The index key for tag `t` under client prefix `p` and framework prefix `s` (as it
    /// appears in Redis: nothing is added between them).
    pub fn index_key(self, t: &str, p: &str, s: &str) -> Vec<u8> {
        let mut k = Vec::new();
        k.extend_from_slice(p.as_bytes());
        k.extend_from_slice(s.as_bytes());
        k.extend_from_slice(&self.core(t));
        k
    }

    /// What goes before an index member to make the item key, given `P` and `S`.
    /// Laravel 10–13 members lack both; every other layout's members lack only `P`.
    pub fn member_prefix(self, p: &[u8], s: &[u8]) -> Vec<u8> {
        match self {
            Layout::LaravelZset => [p, s].concat(),
            _ => p.to_vec(),
        }
    }

    /// SCAN MATCH glob finding this layout's index for `t` under any prefix.
    pub fn discovery_glob(self, t: &str) -> String {
        let core = self.core(t);
        // the core's own bytes, escaped; NUL/0x01 are literal bytes in a glob
        let text = String::from_utf8_lossy(&core);
        format!("*{}", crate::glob::escape(&text))
    }

    /// Laravel 8–9 reference set names for a namespace id (under `X` = P+S).
    pub fn laravel_ref_sets(x: &[u8], id: &str) -> [Vec<u8>; 2] {
        [
            [x, id.as_bytes(), b":forever_ref"].concat(),
            [x, id.as_bytes(), b":standard_ref"].concat(),
        ]
    }
}

/// The exact index keys to look up first: for each layout of `family` (every layout for
/// `auto`), the key under the given prefixes (empty when not given).
pub fn candidates(family: Option<Family>, t: &str, p: &str, s: &str) -> Vec<(Layout, Vec<u8>)> {
    let layouts: &[Layout] = match family {
        Some(f) => f.layouts(),
        None => &ALL,
    };
    let mut out: Vec<(Layout, Vec<u8>)> =
        layouts.iter().map(|&l| (l, l.index_key(t, p, s))).collect();
    out.dedup_by(|a, b| a.1 == b.1);
    out
}

/// One glob that every layout's index for `t` matches (the single bounded SCAN of `auto`):
/// every core contains `t`, so `*t*`. Keys it returns are sorted out with `classify`.
pub fn discovery_glob_any(t: &str) -> String {
    format!("*{}*", crate::glob::escape(t))
}

/// A key found for tag `t`: which layout it could be and the `X` (P+S) before the core.
/// When one key fits several layouts (`_tag:T` is cashews, or cachectl under `X` = `_`),
/// only the most specific (longest core) is kept.
pub fn classify(key: &[u8], t: &str, family: Option<Family>) -> Option<(Layout, Vec<u8>)> {
    let layouts: &[Layout] = match family {
        Some(f) => f.layouts(),
        None => &ALL,
    };
    layouts
        .iter()
        .filter_map(|&l| {
            let core = l.core(t);
            key.ends_with(&core)
                .then(|| (l, key[..key.len() - core.len()].to_vec(), core.len()))
        })
        .max_by_key(|(_, _, n)| *n)
        .map(|(l, x, _)| (l, x))
}

/// Prefix inference. The index was found under `x` (= P+S). For layouts whose members lack
/// only `P`, `P` is some leading part of `x`: the candidates, longest `P` first. (Symfony and
/// Laravel 8–9 members start with `S`, so a split is only kept when the member starts with
/// the rest of `x`.) The engine keeps the candidates under which sample members exist.
pub fn prefix_candidates(layout: Layout, x: &[u8], sample_member: &[u8]) -> Vec<Vec<u8>> {
    match layout {
        // members lack P and S; the split cannot be seen, and is not needed
        Layout::LaravelZset => vec![x.to_vec()],
        Layout::SymfonyTagAware0 | Layout::SymfonyTagAware1 => vec![x.to_vec()],
        _ => (0..=x.len())
            .rev()
            .filter(|&i| {
                let s = &x[i..];
                match layout {
                    Layout::Symfony0 | Layout::Symfony1 | Layout::LaravelRefs => {
                        sample_member.starts_with(s)
                    }
                    _ => true,
                }
            })
            .map(|i| x[..i].to_vec())
            .collect(),
    }
}

/// What inference concluded from the existence counts per candidate `P` (same order as
/// `prefix_candidates`; each count = how many of the sample members exist under it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inferred {
    /// exactly one `P` under which members exist
    Prefix(Vec<u8>),
    /// members exist under several (the most found first); callers refuse (exit 2)
    Ambiguous(Vec<Vec<u8>>),
    /// no sample member exists under any candidate: touch nothing (exit 3)
    NoMembers,
}

pub fn infer(candidates: &[Vec<u8>], found: &[u64]) -> Inferred {
    let mut hits: Vec<(&Vec<u8>, u64)> = candidates
        .iter()
        .zip(found)
        .filter(|(_, &n)| n > 0)
        .map(|(p, &n)| (p, n))
        .collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.1));
    match hits.len() {
        0 => Inferred::NoMembers,
        1 => Inferred::Prefix(hits[0].0.clone()),
        _ => Inferred::Ambiguous(hits.into_iter().map(|(p, _)| p.clone()).collect()),
    }
}

/// Which processed members a page removes from the index. Deleted ones always. Members
/// whose item was already absent: for item-first writers always (their SET precedes the
/// SADD, so an absent item is not in flight); for index-first writers (Laravel) only when
/// the score says it expired (what Laravel's own `flushStale` removes) — an absent member
/// with a future or forever score may be a write in flight (ZADD done, SET not yet), and
/// removing it would orphan that item.
pub fn drop_absent(layout: Layout, score: Option<f64>, now_unix: f64) -> bool {
    match (layout.writer_order(), score) {
        (WriterOrder::ItemFirst, _) => true,
        // Laravel 8–9 ref sets are only collected after the namespace id is gone: their
        // items are unreachable, nothing is in flight for them
        _ if layout == Layout::LaravelRefs => true,
        (WriterOrder::IndexFirst, Some(s)) => s >= 0.0 && s <= now_unix,
        (WriterOrder::IndexFirst, None) => false,
    }
}

/// The namespace id in a Laravel 8–9 `tag:{T}:key` value: PHP-serialized (`s:22:"…";`)
/// unless numeric (Laravel's RedisStore stores numbers raw).
pub fn laravel_tag_id(value: &[u8]) -> Option<String> {
    let v = std::str::from_utf8(value).ok()?;
    if let Some(rest) = v.strip_prefix("s:") {
        let (len, rest) = rest.split_once(':')?;
        let len: usize = len.parse().ok()?;
        let body = rest.strip_prefix('"')?;
        let id = body.get(..len)?;
        (body.get(len..)? == "\";").then(|| id.to_string())
    } else if !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') {
        Some(v.to_string())
    } else {
        None
    }
}

/// Split `x` into (P, S) for reporting, given the inferred P.
pub fn split(x: &[u8], p: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let p = if x.starts_with(p) { p } else { &[][..] };
    (p.to_vec(), x[p.len()..].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_keys_per_layout() {
        let t = "users";
        assert_eq!(Layout::Cachectl.index_key(t, "", ""), b"tag:users");
        assert_eq!(
            Layout::LaravelZset.index_key(t, "rp_", "laravel_cache:"),
            b"rp_laravel_cache:tag:users:entries"
        );
        // Laravel 11+: the cache prefix as given, no `:` added
        assert_eq!(
            Layout::LaravelZset.index_key("grp3", "laravel_database_", "laravel_cache_"),
            b"laravel_database_laravel_cache_tag:grp3:entries"
        );
        assert_eq!(
            Layout::LaravelRefs.index_key(t, "", "lc:"),
            b"lc:tag:users:key"
        );
        assert_eq!(
            Layout::Symfony0.index_key(t, "pp:", "app:"),
            b"pp:app:\0tags\0users"
        );
        assert_eq!(Layout::Symfony1.index_key(t, "", ""), b"\x01tags\x01users");
        assert_eq!(
            Layout::SymfonyTagAware0.index_key(t, "pp:", "app:"),
            b"pp:app:users\0tags\0"
        );
        assert_eq!(
            Layout::SymfonyTagAware1.index_key(t, "", ""),
            b"users\x01tags\x01"
        );
        assert_eq!(Layout::Cashews.index_key(t, "", ""), b"_tag:users");
        assert_eq!(
            Layout::laravel_ref_sets(b"rp_lc:", "6b02688a")[0],
            b"rp_lc:6b02688a:forever_ref"
        );
    }

    #[test]
    fn member_prefixes() {
        assert_eq!(Layout::LaravelZset.member_prefix(b"rp_", b"lc:"), b"rp_lc:");
        assert_eq!(Layout::LaravelRefs.member_prefix(b"rp_", b"lc:"), b"rp_");
        assert_eq!(Layout::Symfony0.member_prefix(b"pp:", b"app:"), b"pp:");
        assert_eq!(Layout::Cashews.member_prefix(b"", b""), b"");
    }

    #[test]
    fn candidates_for_auto_and_families() {
        let all = candidates(None, "t", "", "");
        assert_eq!(all.len(), 8);
        let l = candidates(Some(Family::Laravel), "t", "", "c:");
        assert_eq!(
            l,
            vec![
                (Layout::LaravelZset, b"c:tag:t:entries".to_vec()),
                (Layout::LaravelRefs, b"c:tag:t:key".to_vec())
            ]
        );
    }

    #[test]
    fn classify_keeps_most_specific() {
        assert_eq!(
            classify(b"_tag:users", "users", None),
            Some((Layout::Cashews, b"".to_vec()))
        );
        assert_eq!(
            classify(b"app_tag:users", "users", None),
            Some((Layout::Cashews, b"app".to_vec()))
        );
        assert_eq!(
            classify(b"pp:app:\0tags\0users", "users", None),
            Some((Layout::Symfony0, b"pp:app:".to_vec()))
        );
        assert_eq!(
            classify(b"rp_lc:tag:users:entries", "users", None),
            Some((Layout::LaravelZset, b"rp_lc:".to_vec()))
        );
        assert_eq!(classify(b"users-item-0", "users", None), None);
        // a family restricts what a key can be
        assert_eq!(
            classify(b"_tag:users", "users", Some(Family::Cachectl)),
            Some((Layout::Cachectl, b"_".to_vec()))
        );
    }

    #[test]
    fn discovery_globs_escape_the_tag() {
        assert_eq!(discovery_glob_any("a*b"), "*a\\*b*");
        assert_eq!(Layout::LaravelZset.discovery_glob("u"), "*tag:u:entries");
        assert_eq!(
            Layout::Symfony0.discovery_glob("u").as_bytes(),
            b"*\0tags\0u"
        );
    }

    #[test]
    fn prefix_inference() {
        // Symfony: x = "pp:app:", member "app:users-item-0" starts with S = "app:" → P = "pp:"
        let c = prefix_candidates(Layout::Symfony0, b"pp:app:", b"app:users-item-0");
        assert!(c.contains(&b"pp:".to_vec()));
        assert!(!c.contains(&b"pp:a".to_vec()), "S must start the member");
        // cashews / cachectl: every leading part, longest first
        let c = prefix_candidates(Layout::Cashews, b"ab", b"k");
        assert_eq!(c, vec![b"ab".to_vec(), b"a".to_vec(), b"".to_vec()]);
        assert_eq!(
            prefix_candidates(Layout::LaravelZset, b"rp_lc:", b"x"),
            vec![b"rp_lc:".to_vec()]
        );
        let cands = vec![b"pp:".to_vec(), b"".to_vec()];
        assert_eq!(infer(&cands, &[3, 0]), Inferred::Prefix(b"pp:".to_vec()));
        assert_eq!(infer(&cands, &[0, 0]), Inferred::NoMembers);
        assert_eq!(
            infer(&cands, &[1, 2]),
            Inferred::Ambiguous(vec![b"".to_vec(), b"pp:".to_vec()])
        );
        assert_eq!(
            split(b"pp:app:", b"pp:"),
            (b"pp:".to_vec(), b"app:".to_vec())
        );
    }

    #[test]
    fn absent_members_dropped_only_when_safe() {
        let now = 1_000_000.0;
        assert!(drop_absent(Layout::Symfony0, None, now));
        assert!(drop_absent(Layout::Cashews, None, now));
        assert!(drop_absent(Layout::LaravelRefs, None, now));
        // Laravel 10+: expired score → stale, dropped; forever (-1) or future → kept
        assert!(drop_absent(Layout::LaravelZset, Some(999_999.0), now));
        assert!(!drop_absent(Layout::LaravelZset, Some(-1.0), now));
        assert!(!drop_absent(Layout::LaravelZset, Some(1_000_100.0), now));
    }

    #[test]
    fn laravel_ids() {
        assert_eq!(
            laravel_tag_id(b"s:22:\"6b0268888d816851455326\";").as_deref(),
            Some("6b0268888d816851455326")
        );
        assert_eq!(laravel_tag_id(b"12345").as_deref(), Some("12345"));
        assert_eq!(laravel_tag_id(b"s:5:\"abc\";"), None);
        assert_eq!(laravel_tag_id(b"\x00\x01"), None);
    }

    #[test]
    fn tag_prefix_is_used_as_it_appears_in_redis() {
        // no separator is ever added: `app` is not `app:`
        assert_eq!(
            Layout::Symfony1.index_key("t", "", "app"),
            b"app\x01tags\x01t"
        );
        assert_eq!(
            Layout::Symfony1.index_key("t", "", "app:"),
            b"app:\x01tags\x01t"
        );
        assert_eq!(Layout::LaravelRefs.index_key("t", "", ""), b"tag:t:key");
    }
}
