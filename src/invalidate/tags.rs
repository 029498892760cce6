//! Tag selectors against the server, before any guard: find each tag's index
//! (`Engine::tag_resolve`: exact look-ups, one bounded discovery SCAN, prefix inference),
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
use crate::engine::tags::{FoundIndex, Resolution, Resolved};
use crate::engine::Engine;
use crate::error::{usage, Outcome};
use crate::tags::{self, Layout};

/// Key bytes as text: printable UTF-8 kept, control and invalid bytes as `\xNN`, `\` as `\\`
/// (so `pp:app:\x00tags\x00users` reads back exactly).
pub fn escape_key(key: &[u8]) -> String {
    let mut out = String::with_capacity(key.len());
    for chunk in key.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else if c.is_control() && (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

fn quoted(bytes: &[u8]) -> String {
    format!("\"{}\"", escape_key(bytes))
}

/// `tag users: symfony (5.4-6.2) index pp:app:\x00tags\x00users, key prefix "pp:", tag prefix "app:"`
pub fn found_line(tag: &str, r: &Resolved) -> String {
    let mut s = format!(
        "tag {tag}: {} index {}, key prefix {}",
        r.index.layout.name(),
        escape_key(&r.index.key),
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
    let keys: Vec<String> = cands.iter().map(|(_, k)| escape_key(k)).collect();
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
        .map(|f| format!("{} ({})", f.layout.name(), escape_key(&f.key)))
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
            escape_key(&index.key),
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
                escape_key(&index.key),
                match &q.key_prefix {
                    Some(p) => quoted(p.as_bytes()),
                    None => "any prefix".to_string(),
                },
                escape_key(example),
                escape_key(&item),
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
            let r = engine
                .tag_resolve(
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
            escape_key(b"pp:app:\0tags\0users"),
            "pp:app:\\x00tags\\x00users"
        );
        assert_eq!(
            escape_key(b"\x01tags\x01a\\b\xff"),
            "\\x01tags\\x01a\\\\b\\xff"
        );
        assert_eq!(escape_key("caf\u{e9}".as_bytes()), "caf\u{e9}");
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
