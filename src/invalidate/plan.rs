//! What to invalidate: the command line and profile resolved into plans (pure, but for
//! reading `--from-file` and stdin). Every guard that can refuse a run without asking the
//! server is checked here, before anything is deleted.

use std::io::BufRead;

use anyhow::{Context, Result};

use crate::cli::{InvalidateArgs, Selector, TagFormatArg};
use crate::config::Settings;
use crate::error::usage;
use crate::profile::TagFormat;

/// What to select, resolved from the command line and profile.
#[derive(Debug, Clone)]
pub enum Target {
    Keys(Vec<Vec<u8>>),
    Glob(String),
    /// tag index key and the prefix its members need to become full keys
    TagIndex {
        index: Vec<u8>,
        member_prefix: Vec<u8>,
    },
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub selector: String,
    pub kind: &'static str,
    pub targets: Vec<Target>,
}

/// The tag index key for a tag in a format.
pub fn tag_index(format: TagFormat, prefix: &str, tag: &str) -> (Vec<u8>, Vec<u8>) {
    match format {
        TagFormat::Cachectl => (format!("{prefix}tag:{tag}").into_bytes(), Vec::new()),
        TagFormat::Laravel => (
            format!("{prefix}tag:{tag}:entries").into_bytes(),
            prefix.as_bytes().to_vec(),
        ),
        TagFormat::Symfony => {
            let ns = if prefix.is_empty() || prefix.ends_with(':') {
                prefix.to_string()
            } else {
                format!("{prefix}:")
            };
            (format!("{ns}\x01tags\x01{tag}").into_bytes(), Vec::new())
        }
    }
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

pub fn plans(a: &InvalidateArgs, s: &Settings) -> Result<Vec<Plan>> {
    let profile = s.profile.as_ref().map(|l| &l.profile);
    let default_format = profile.map_or(TagFormat::Cachectl, |p| p.invalidation.tag_format);
    let default_prefix = profile
        .and_then(|p| p.invalidation.tag_prefix.clone())
        .unwrap_or_default();
    Ok(match &a.selector {
        Selector::Keys { keys, from_file } => {
            let mut list: Vec<Vec<u8>> = Vec::new();
            let mut from_stdin = false;
            for k in keys {
                if k == "-" {
                    from_stdin = true;
                } else {
                    list.push(k.clone().into_bytes());
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
            let selector = match (keys.is_empty(), from_file) {
                (_, Some(f)) => format!("@{}", f.display()),
                _ if from_stdin => "-".to_string(),
                _ => keys.join(" "),
            };
            vec![Plan {
                selector,
                kind: "keys",
                targets: vec![Target::Keys(list)],
            }]
        }
        Selector::Pattern { globs } => globs
            .iter()
            .map(|g| {
                check_glob(g, a.all)?;
                Ok(Plan {
                    selector: g.clone(),
                    kind: "pattern",
                    targets: vec![Target::Glob(g.clone())],
                })
            })
            .collect::<Result<_>>()?,
        Selector::Prefix { prefixes } => prefixes
            .iter()
            .map(|p| {
                let g = format!("{}*", crate::glob::escape(p));
                check_glob(&g, a.all)?;
                Ok(Plan {
                    selector: p.clone(),
                    kind: "prefix",
                    targets: vec![Target::Glob(g)],
                })
            })
            .collect::<Result<_>>()?,
        Selector::Tag {
            tags,
            tag_format,
            tag_prefix,
        } => {
            let format = match tag_format {
                Some(TagFormatArg::Cachectl) => TagFormat::Cachectl,
                Some(TagFormatArg::Laravel) => TagFormat::Laravel,
                Some(TagFormatArg::Symfony) => TagFormat::Symfony,
                None => default_format,
            };
            let prefix = tag_prefix.clone().unwrap_or(default_prefix);
            tags.iter()
                .map(|t| {
                    let (index, member_prefix) = tag_index(format, &prefix, t);
                    Plan {
                        selector: t.clone(),
                        kind: "tag",
                        targets: vec![Target::TagIndex {
                            index,
                            member_prefix,
                        }],
                    }
                })
                .collect()
        }
        Selector::Namespace { name } => {
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
            check_glob(&glob, a.all)?;
            let mut targets = vec![Target::Glob(glob)];
            for t in &ns.tags {
                let (index, member_prefix) = tag_index(default_format, &default_prefix, t);
                targets.push(Target::TagIndex {
                    index,
                    member_prefix,
                });
            }
            vec![Plan {
                selector: name.clone(),
                kind: "namespace",
                targets,
            }]
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_index_keys() {
        assert_eq!(tag_index(TagFormat::Cachectl, "", "plans").0, b"tag:plans");
        let (ix, pre) = tag_index(TagFormat::Laravel, "laravel_cache:", "users");
        assert_eq!(ix, b"laravel_cache:tag:users:entries");
        assert_eq!(pre, b"laravel_cache:");
        assert_eq!(
            tag_index(TagFormat::Symfony, "app", "t").0,
            b"app:\x01tags\x01t"
        );
        assert_eq!(
            tag_index(TagFormat::Symfony, "app:", "t").0,
            b"app:\x01tags\x01t"
        );
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
