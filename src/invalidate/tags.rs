//! Tag selectors against the server, before any guard: find each tag's index
//! (`resolve_tag`: exact look-ups, one bounded discovery SCAN, prefix inference),
//! say what was found, and refuse what cannot be done safely. Nothing is written here.
//!
//! - one index found: the plan's `Target::Tag` becomes `Target::TagIndex`
//! - none: a warning, the target is dropped (with `--require-match`, for `invalidate tag` and
//!   a profile namespace's tags alike — every selector must match: exit 3 before anything is
//!   deleted)
//! - several layouts or client prefixes: exit 2 listing them (`--tag-format`/`--key-prefix`)
//! - members that exist under no prefix: exit 3 naming the index and an example member

use anyhow::Result;

use super::plan::{Plan, TagQuery, Target};
use crate::engine::tags::{FoundIndex, Resolved};
use crate::engine::Engine;
use crate::error::{usage, Outcome};
use crate::keys::key_text;
use crate::tags::{self, IndexType, Layout};

/// How a tag resolved (`resolve_tag`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// exactly one index, and its members exist under the prefix found (or given)
    Found(Resolved),
    /// no index for the tag in any layout asked for (warning + exit 0, or exit 3 with
    /// `--require-match`)
    NotFound,
    /// two or more layouts/prefixes match: refuse (exit 2), listing them
    Ambiguous(Vec<FoundIndex>),
    /// members under several client prefixes: refuse (exit 2), listing them
    AmbiguousPrefix {
        index: FoundIndex,
        prefixes: Vec<Vec<u8>>,
    },
    /// the index exists but none of its sampled members exist under the prefixes: touch
    /// nothing, exit 3 naming the index and a member
    NoMembers { index: FoundIndex, example: Vec<u8> },
}

/// Members sampled to check/infer prefixes.
const SAMPLE: usize = 20;

/// Find tag `t`'s index: exact look-ups under the given prefixes (empty when not given)
/// first, then one bounded discovery SCAN; then check (given P) or infer (no P) the client
/// prefix by which prefixed member names exist.
pub async fn resolve_tag(
    engine: &Engine,
    t: &str,
    family: Option<tags::Family>,
    p: Option<&str>,
    s: Option<&str>,
) -> Result<Resolution> {
    let cands = tags::candidates(family, t, p.unwrap_or(""), s.unwrap_or(""));
    let mut found = engine.tag_lookup(t, &cands).await?;
    if found.is_empty() {
        found = engine.tag_discover(t, family, 1000, 10).await?;
        if let Some(p) = p {
            found.retain(|f| f.x.starts_with(p.as_bytes()));
        }
        if let Some(s) = s {
            found.retain(|f| f.x.ends_with(s.as_bytes()));
        }
    }
    let index = match found.len() {
        0 => return Ok(Resolution::NotFound),
        1 => found.remove(0),
        _ => return Ok(Resolution::Ambiguous(found)),
    };
    // the members to check, and where they live
    let sample: Vec<Vec<u8>> = match index.layout {
        Layout::SymfonyTagAware0 | Layout::SymfonyTagAware1 => {
            return Ok(Resolution::Found(Resolved {
                key_prefix: index.x.clone(),
                tag_prefix: Vec::new(),
                member_prefix: Vec::new(),
                index,
            }))
        }
        Layout::LaravelRefs => match engine.laravel_tag_id(&index.key).await? {
            Some((id, _)) => {
                let mut out = Vec::new();
                for set in Layout::laravel_ref_sets(&index.x, &id) {
                    out.extend(engine.tag_sample(&set, IndexType::Set, SAMPLE).await?);
                }
                out
            }
            None => Vec::new(),
        },
        l => {
            engine
                .tag_sample(&index.key, l.members_type(), SAMPLE)
                .await?
        }
    };
    if sample.is_empty() {
        // nothing tagged (Laravel 8–9: no reference sets): only the index goes
        let (kp, tp) = tags::split(&index.x, p.unwrap_or("").as_bytes());
        return Ok(Resolution::Found(Resolved {
            member_prefix: index.layout.member_prefix(&kp, &tp),
            key_prefix: kp,
            tag_prefix: tp,
            index,
        }));
    }
    let inferred = match p {
        Some(p) if index.x.starts_with(p.as_bytes()) => {
            let (kp, tp) = tags::split(&index.x, p.as_bytes());
            let mp = index.layout.member_prefix(&kp, &tp);
            let keys = sample.iter().map(|m| [mp.as_slice(), m].concat()).collect();
            if engine.exists_anywhere(keys).await? > 0 {
                tags::Inferred::Prefix(kp)
            } else {
                tags::Inferred::NoMembers
            }
        }
        Some(_) => tags::Inferred::NoMembers,
        None => engine.tag_infer_prefix(&index, &sample).await?.1,
    };
    Ok(match inferred {
        tags::Inferred::Prefix(kp) => {
            let (kp, tp) = tags::split(&index.x, &kp);
            Resolution::Found(Resolved {
                member_prefix: index.layout.member_prefix(&kp, &tp),
                key_prefix: kp,
                tag_prefix: tp,
                index,
            })
        }
        tags::Inferred::Ambiguous(prefixes) => Resolution::AmbiguousPrefix { index, prefixes },
        tags::Inferred::NoMembers => Resolution::NoMembers {
            example: sample[0].clone(),
            index,
        },
    })
}

fn quoted(bytes: &[u8]) -> String {
    format!("\"{}\"", key_text(bytes))
}

/// `tag users: symfony (5.4-6.2) index pp:app:\x00tags\x00users, key prefix "pp:", tag prefix "app:"`
pub fn found_line(tag: &str, r: &Resolved) -> String {
    let mut s = format!(
        "tag {tag}: {} index {}, key prefix {}",
        r.index.layout.name(),
        key_text(&r.index.key),
        quoted(&r.key_prefix)
    );
    if !r.tag_prefix.is_empty() {
        s.push_str(&format!(", tag prefix {}", quoted(&r.tag_prefix)));
    }
    if matches!(
        r.index.layout,
        Layout::SymfonyTagAware0 | Layout::SymfonyTagAware1
    ) {
        s.push_str(" (a tag version key: the items stay and read as misses)");
    }
    s
}

/// What was looked for, for the "no tag index" warning.
pub fn looked_for(q: &TagQuery) -> String {
    let cands = tags::candidates(
        q.family,
        &q.tag,
        q.key_prefix.as_deref().unwrap_or(""),
        q.tag_prefix.as_deref().unwrap_or(""),
    );
    let keys: Vec<String> = cands.iter().map(|(_, k)| key_text(k)).collect();
    let mut s = format!(
        "looked for: {}; and SCAN {}",
        keys.join(", "),
        tags::discovery_glob_any(&q.tag)
    );
    match q.tag_prefix.as_deref() {
        Some(tp) if !tp.is_empty() && !tp.ends_with(':') => s.push_str(&format!(
            "; --tag-prefix is used as it appears in Redis: Symfony and Laravel 8-10 add a `:` (try --tag-prefix {tp}:)"
        )),
        _ => {}
    }
    s
}

fn candidates_text(found: &[FoundIndex]) -> String {
    found
        .iter()
        .map(|f| format!("{} ({})", f.layout.name(), key_text(&f.key)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How one tag's resolution ends the run before anything is touched, if it does.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// exit 2
    Usage(String),
    /// exit 3
    Check(String),
}

/// The message and exit for a resolution that must stop the run (`None`: go on).
pub fn refusal(q: &TagQuery, r: &Resolution, require_match: bool) -> Option<Refusal> {
    let t = &q.tag;
    match r {
        Resolution::Found(_) => None,
        Resolution::NotFound => require_match.then(|| {
            Refusal::Check(format!(
                "--require-match: no tag index for `{t}` ({})",
                looked_for(q)
            ))
        }),
        Resolution::Ambiguous(found) => Some(Refusal::Usage(format!(
            "tag `{t}` matches {} indexes: {}; choose one with --tag-format{}",
            found.len(),
            candidates_text(found),
            if found
                .iter()
                .all(|f| f.layout.family() == found[0].layout.family())
            {
                ", --key-prefix or --tag-prefix"
            } else {
                ""
            }
        ))),
        Resolution::AmbiguousPrefix { index, prefixes } => Some(Refusal::Usage(format!(
            "members of {} exist under key prefixes {}; give --key-prefix",
            key_text(&index.key),
            prefixes
                .iter()
                .map(|p| quoted(p))
                .collect::<Vec<_>>()
                .join(" and ")
        ))),
        Resolution::NoMembers { index, example } => {
            let p = q.key_prefix.as_deref().unwrap_or("");
            let (kp, tp) = tags::split(&index.x, p.as_bytes());
            let item = [index.layout.member_prefix(&kp, &tp).as_slice(), example].concat();
            Some(Refusal::Check(format!(
                "tag index {} found, but none of its members exist under key prefix {} (e.g. {} -> {}); give --key-prefix; nothing was touched",
                key_text(&index.key),
                match &q.key_prefix {
                    Some(p) => quoted(p.as_bytes()),
                    None => "any prefix".to_string(),
                },
                key_text(example),
                key_text(&item),
            )))
        }
    }
}

/// Resolve every tag target of every plan. `Err` (usage, exit 2) or `Ok(Some(outcome))`
/// (check failed, exit 3) stop the run before anything is touched.
pub async fn resolve(
    engine: &Engine,
    plans: &mut [Plan],
    require_match: bool,
    say: impl Fn(&str),
) -> Result<Option<Outcome>> {
    for plan in plans.iter_mut() {
        let mut targets = Vec::with_capacity(plan.targets.len());
        for t in std::mem::take(&mut plan.targets) {
            let Target::Tag(q) = t else {
                targets.push(t);
                continue;
            };
            let r = resolve_tag(
                engine,
                &q.tag,
                q.family,
                q.key_prefix.as_deref(),
                q.tag_prefix.as_deref(),
            )
            .await?;
            match refusal(&q, &r, require_match) {
                Some(Refusal::Usage(m)) => return Err(usage(m)),
                Some(Refusal::Check(m)) => return Ok(Some(Outcome::CheckFailed(m))),
                None => {}
            }
            match r {
                Resolution::Found(found) => {
                    say(&found_line(&q.tag, &found));
                    targets.push(Target::TagIndex(Box::new(found)));
                }
                _ => say(&format!(
                    "warning: no tag index for `{}` ({}): nothing to invalidate for it",
                    q.tag,
                    looked_for(&q)
                )),
            }
        }
        plan.targets = targets;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(tag: &str) -> TagQuery {
        TagQuery {
            tag: tag.into(),
            family: None,
            key_prefix: None,
            tag_prefix: None,
        }
    }

    fn fi(layout: Layout, key: &[u8], x: &[u8]) -> FoundIndex {
        FoundIndex {
            layout,
            key: key.to_vec(),
            x: x.to_vec(),
        }
    }

    #[test]
    fn keys_escape_control_bytes() {
        assert_eq!(
            key_text(b"pp:app:\0tags\0users"),
            "pp:app:\\x00tags\\x00users"
        );
        assert_eq!(
            key_text(b"\x01tags\x01a\\b\xff"),
            "\\x01tags\\x01a\\\\b\\xff"
        );
        assert_eq!(key_text("caf\u{e9}".as_bytes()), "caf\u{e9}");
    }

    #[test]
    fn found_lines() {
        let r = Resolved {
            index: fi(Layout::Symfony0, b"pp:app:\0tags\0users", b"pp:app:"),
            key_prefix: b"pp:".to_vec(),
            tag_prefix: b"app:".to_vec(),
            member_prefix: b"pp:".to_vec(),
        };
        assert_eq!(
            found_line("users", &r),
            "tag users: symfony (5.4-6.2) index pp:app:\\x00tags\\x00users, key prefix \"pp:\", tag prefix \"app:\""
        );
    }

    #[test]
    fn refusals_map_to_exits() {
        let found = Resolution::Ambiguous(vec![
            fi(Layout::Cachectl, b"tag:users", b""),
            fi(Layout::Cashews, b"_tag:users", b""),
        ]);
        let Some(Refusal::Usage(m)) = refusal(&q("users"), &found, false) else {
            panic!()
        };
        assert!(
            m.contains("matches 2 indexes: cachectl (tag:users), cashews (_tag:users)"),
            "{m}"
        );
        assert_eq!(refusal(&q("u"), &Resolution::NotFound, false), None);
        assert!(matches!(
            refusal(&q("u"), &Resolution::NotFound, true),
            Some(Refusal::Check(_))
        ));
        let mut wrong = q("users");
        wrong.key_prefix = Some(String::new());
        let nm = Resolution::NoMembers {
            index: fi(Layout::Symfony0, b"pp:app:\0tags\0users", b"pp:app:"),
            example: b"app:users-item-0".to_vec(),
        };
        let Some(Refusal::Check(m)) = refusal(&wrong, &nm, false) else {
            panic!()
        };
        assert!(m.contains("pp:app:\\x00tags\\x00users found, but none of its members exist under key prefix \"\" (e.g. app:users-item-0 -> app:users-item-0)"), "{m}");
        assert!(m.ends_with("nothing was touched"), "{m}");
        let ap = Resolution::AmbiguousPrefix {
            index: fi(Layout::Cashews, b"_tag:users", b""),
            prefixes: vec![b"pp:".to_vec(), b"".to_vec()],
        };
        let Some(Refusal::Usage(m)) = refusal(&q("users"), &ap, false) else {
            panic!()
        };
        assert!(m.contains("\"pp:\" and \"\"; give --key-prefix"), "{m}");
    }
}
