//! What to invalidate: the command line and profile resolved into plans (pure, but for
//! reading `--from-file` and stdin). Every guard that can refuse a run without asking the
//! server is checked here, before anything is deleted.

use std::io::BufRead;

use anyhow::{Context, Result};

use super::Selector;
use crate::config::Settings;
use crate::engine::tags::Resolved;
use crate::error::usage;
use crate::profile::TagFormat;
use crate::tags::Family;

/// What to select, resolved from the command line and profile.
#[derive(Debug, Clone)]
pub enum Target {
    Keys(Vec<Vec<u8>>),
    Glob(String),
    /// a tag whose index is still to be found on the server (`tags::resolve`, before any
    /// guard)
    Tag(TagQuery),
    /// a tag index found, with the prefixes its members need to become item keys
    TagIndex(Box<Resolved>),
}

/// A tag as asked for: the layouts to look in (`None` = auto) and the prefixes given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagQuery {
    pub tag: String,
    pub family: Option<Family>,
    pub key_prefix: Option<String>,
    pub tag_prefix: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub selector: String,
    pub kind: &'static str,
    pub targets: Vec<Target>,
}

/// An empty tag would make discovery (`*T*`) look at every key.
pub fn check_tag(tag: &str) -> Result<()> {
    if tag.is_empty() {
        return Err(usage("a tag cannot be empty"));
    }
    Ok(())
}

pub fn check_glob(glob: &str, all: bool) -> Result<()> {
    if crate::glob::matches_everything(glob) && !all {
        return Err(usage(format!(
            "pattern `{glob}` matches every key; add --all if you really mean to invalidate everything"
        )));
    }
    Ok(())
}

pub fn read_key_lines(r: impl BufRead, what: &str) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    for line in r.split(b'\n') {
        let mut line = line.with_context(|| format!("reading keys from {what}"))?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if !line.is_empty() {
            out.push(line);
        }
    }
    Ok(out)
}

/// The profile's tag defaults (`invalidation:`), for `tag` and `namespace` selectors.
struct TagDefaults {
    format: TagFormat,
    key_prefix: Option<String>,
    tag_prefix: Option<String>,
}

pub fn plans(a: &super::Options, s: &Settings) -> Result<Vec<Plan>> {
    let profile = s.profile.as_ref().map(|l| &l.profile);
    let defaults = TagDefaults {
        format: profile.map_or(TagFormat::Auto, |p| p.invalidation.tag_format),
        key_prefix: profile.and_then(|p| p.invalidation.key_prefix.clone()),
        tag_prefix: profile.and_then(|p| p.invalidation.tag_prefix.clone()),
    };
    match &a.selector {
        Selector::Keys { keys, from_file } => Ok(vec![keys_plan(keys, from_file.as_deref())?]),
        Selector::Pattern { globs } => globs
            .iter()
            .map(|g| glob_plan(g.clone(), g.clone(), "pattern", a.all))
            .collect(),
        Selector::Prefix { prefixes } => prefixes
            .iter()
            .map(|p| {
                glob_plan(
                    p.clone(),
                    format!("{}*", crate::glob::escape(p)),
                    "prefix",
                    a.all,
                )
            })
            .collect(),
        Selector::Tag {
            tags,
            tag_format,
            key_prefix,
            tag_prefix,
        } => tags
            .iter()
            .map(|t| {
                check_tag(t)?;
                Ok(Plan {
                    selector: t.clone(),
                    kind: "tag",
                    targets: vec![Target::Tag(TagQuery {
                        tag: t.clone(),
                        family: tag_format.unwrap_or(defaults.format).family(),
                        key_prefix: key_prefix.clone().or(defaults.key_prefix.clone()),
                        tag_prefix: tag_prefix.clone().or(defaults.tag_prefix.clone()),
                    })],
                })
            })
            .collect(),
        Selector::Namespace { name } => Ok(vec![namespace_plan(name, profile, &defaults, a.all)?]),
    }
}

/// `invalidate keys`: the arguments, `--from-file` and `-` (stdin), in that order.
fn keys_plan(keys: &[String], from_file: Option<&std::path::Path>) -> Result<Plan> {
    let mut list: Vec<Vec<u8>> = Vec::new();
    let mut from_stdin = false;
    for k in keys {
        if k == "-" {
            from_stdin = true;
        } else {
            // the form every output shows keys in (`\xff`, `\n`, `\\`): a key copied
            // from analyze or a sample list deletes exactly that key
            list.push(crate::keys::parse_key_text(k).map_err(usage)?);
        }
    }
    if let Some(f) = from_file {
        let file = std::fs::File::open(f)
            .with_context(|| format!("opening --from-file {}", f.display()))?;
        list.extend(read_key_lines(
            std::io::BufReader::new(file),
            &f.display().to_string(),
        )?);
    }
    if from_stdin {
        list.extend(read_key_lines(std::io::stdin().lock(), "stdin")?);
    }
    if list.is_empty() && !from_stdin && from_file.is_none() {
        return Err(usage(
            "invalidate keys needs keys: as arguments, --from-file F, or `-` for stdin",
        ));
    }
    let selector = match from_file {
        Some(f) => format!("@{}", f.display()),
        None if from_stdin => "-".to_string(),
        None => keys.join(" "),
    };
    Ok(Plan {
        selector,
        kind: "keys",
        targets: vec![Target::Keys(list)],
    })
}

/// A pattern or a prefix (as its escaped glob), after the match-all guard.
fn glob_plan(selector: String, glob: String, kind: &'static str, all: bool) -> Result<Plan> {
    check_glob(&glob, all)?;
    Ok(Plan {
        selector,
        kind,
        targets: vec![Target::Glob(glob)],
    })
}

/// A profile namespace: its tags first (their pages remove members from the indexes as they
/// delete the items; the pattern then skips the keys already counted), then its pattern.
fn namespace_plan(
    name: &str,
    profile: Option<&crate::profile::Profile>,
    defaults: &TagDefaults,
    all: bool,
) -> Result<Plan> {
    let Some(p) = profile else {
        return Err(usage(
            "invalidate namespace needs a profile (-P NAME) that defines the namespace",
        ));
    };
    let Some(ns) = p.namespaces.get(name) else {
        return Err(usage(format!(
            "namespace `{name}` is not in profile `{}` (it has: {})",
            p.name,
            p.namespaces.keys().cloned().collect::<Vec<_>>().join(", ")
        )));
    };
    let glob = ns.glob();
    check_glob(&glob, all)?;
    let mut targets = Vec::new();
    for t in &ns.tags {
        check_tag(t)?;
        targets.push(Target::Tag(TagQuery {
            tag: t.clone(),
            family: defaults.format.family(),
            key_prefix: defaults.key_prefix.clone(),
            tag_prefix: defaults.tag_prefix.clone(),
        }));
    }
    targets.push(Target::Glob(glob));
    Ok(Plan {
        selector: name.to_string(),
        kind: "namespace",
        targets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_name_families() {
        assert_eq!(TagFormat::Auto.family(), None);
        assert_eq!(
            TagFormat::SymfonyTagaware.family(),
            Some(Family::SymfonyTagaware)
        );
        assert_eq!(TagFormat::Laravel.family(), Some(Family::Laravel));
        assert!(check_tag("").is_err());
        assert!(check_tag("users").is_ok());
    }

    #[test]
    fn match_all_refused_without_all() {
        for g in ["*", "**", ""] {
            assert!(check_glob(g, false).is_err());
            assert!(check_glob(g, true).is_ok());
        }
        assert!(check_glob("user:*", false).is_ok());
    }

    #[test]
    fn key_lines() {
        let keys = read_key_lines(&b"a\r\nb\n\nc"[..], "t").unwrap();
        assert_eq!(keys, vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
    }
}
