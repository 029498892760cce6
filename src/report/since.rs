//! `--since FILE`: the window from the sample the previous run stored to one taken now;
//! lifetime (labelled) when there is none that fits. This run's sample is stored for the next.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use serde::{Deserialize, Serialize};
use tracing::warn;

use super::sample::{build_window, latencies, read_namespaces, sample_all, Reading, Scope, Span};
use super::window::{self, Sample};
use super::{lifetime_note, Ns, Options, Window};
use crate::audit::{now_ms, now_rfc3339};
use crate::engine::Engine;

/// What `--since FILE` keeps between runs: every node's INFO counters, when they were taken,
/// the namespaces' counters, and the keyspace reads this run made after its sample (the
/// metrics_key HGETALLs), which the next run takes out of its window.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    version: u32,
    url: String,
    saved_at: String,
    saved_at_ms: i64,
    nodes: Vec<StoredNode>,
    namespaces: Vec<StoredNs>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredNode {
    node: String,
    sample: Sample,
    /// hits / misses the report itself added on this node after `sample`
    own_hits: u64,
    own_misses: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredNs {
    metrics_key: String,
    hits: u64,
    misses: u64,
}

/// The `--since` window: sample now, start from the stored sample when it fits, store this one.
pub(super) async fn window(
    engine: &mut Engine,
    a: &Options,
    scope: &Scope,
    number: u64,
    path: &Path,
) -> Result<Window> {
    let prev = load(path);
    let latencies = latencies(engine, a.latency_samples).await?;
    let saved_at = now_rfc3339();
    let saved_at_ms = now_ms();
    let nodes = sample_all(engine).await?;
    // read after the sample: these HGETALLs are the next window's, which takes them out
    let ns = read_namespaces(engine, &scope.ns).await?;
    let owners: Vec<usize> = (scope.ns.iter())
        .map(|n| engine.node_for(n.key.as_bytes()))
        .collect();
    let own = own_reads(engine.nodes.len(), &owners, &ns);
    let now: Vec<(String, Sample)> = (engine.nodes.iter())
        .zip(&nodes)
        .map(|(n, s)| (n.addr.clone(), s.clone()))
        .collect();
    let elapsed_s = prev.as_ref().map_or(0.0, |p| {
        (saved_at_ms - p.saved_at_ms).max(0) as f64 / 1000.0
    });
    let before = match &prev {
        None => Err(format!(
            "no previous sample in {} (first run)",
            path.display()
        )),
        Some(p) => baseline(p, &now, &scope.ns, elapsed_s),
    };
    let stored = Stored {
        version: 1,
        url: engine.url_redacted.clone(),
        saved_at: saved_at.clone(),
        saved_at_ms,
        nodes: stored_nodes(now, &own),
        namespaces: stored_namespaces(&scope.ns, &ns),
    };
    let (before, why) = match before {
        Ok(b) => (Some(b), None),
        Err(why) => (None, Some(why)),
    };
    let started_at = match (&prev, &before) {
        (Some(p), Some(_)) => p.saved_at.clone(),
        _ => saved_at,
    };
    let span = Span {
        number,
        started_at,
        before,
        after: Reading { nodes, ns },
        secs: elapsed_s,
        // the report's own commands: this run's PINGs (INFO, HGETALL: a few more)
        own: a.latency_samples as u64,
        latencies,
    };
    let since = span.before.is_some().then(|| prev.map(|p| p.saved_at));
    let mut w = build_window(engine, scope, span);
    match since {
        Some(since) => {
            w.basis = "since";
            w.since = since;
            w.interval_s = Some(window::round1(elapsed_s));
        }
        None => {
            let note = lifetime_note(w.total.uptime_s, why.as_deref());
            warn!("--since: {note}");
            w.note = Some(note);
        }
    }
    save(path, &stored)?;
    Ok(w)
}

/// The hits and misses this run's metrics-key reads add per node: HGETALL of an existing hash
/// is a hit, of a missing one a miss (an empty hash does not exist). `owners[i]` is the node
/// that holds namespace i's key.
fn own_reads(nodes: usize, owners: &[usize], ns: &[(u64, u64)]) -> Vec<(u64, u64)> {
    let mut own = vec![(0u64, 0u64); nodes];
    for (&i, counts) in owners.iter().zip(ns) {
        if counts.0 + counts.1 > 0 {
            own[i].0 += 1;
        } else {
            own[i].1 += 1;
        }
    }
    own
}

/// Where this run's window starts: the stored sample with the previous run's own reads moved
/// into it (they belong to no window), node by node in `now`'s order; `Err(why)` when the
/// stored sample cannot start a window for these nodes.
fn baseline(
    prev: &Stored,
    now: &[(String, Sample)],
    ns: &[Ns],
    elapsed_s: f64,
) -> Result<Reading, String> {
    if let Some(why) = since_mismatch(prev, now, elapsed_s) {
        return Err(why);
    }
    let nodes = now
        .iter()
        .map(|(addr, _)| {
            let sn = prev
                .nodes
                .iter()
                .find(|x| &x.node == addr)
                .expect("matched");
            let mut b = sn.sample.clone();
            b.hits += sn.own_hits;
            b.misses += sn.own_misses;
            b
        })
        .collect();
    let ns = ns
        .iter()
        .map(|n| {
            prev.namespaces
                .iter()
                .find(|x| x.metrics_key == n.key)
                .map_or((0, 0), |x| (x.hits, x.misses))
        })
        .collect();
    Ok(Reading { nodes, ns })
}

/// Why the stored sample cannot start a window for these nodes (None: it can).
fn since_mismatch(prev: &Stored, now: &[(String, Sample)], elapsed_s: f64) -> Option<String> {
    for (addr, s) in now {
        let Some(p) = prev.nodes.iter().find(|p| &p.node == addr) else {
            return Some(if prev.nodes.iter().any(|p| p.sample.run_id == s.run_id) {
                format!("node {addr} was not in the previous sample")
            } else {
                "the file holds a sample of another server".into()
            });
        };
        if p.sample.run_id != s.run_id {
            return Some(if (s.uptime_s as f64) < elapsed_s + 1.0 {
                format!("{addr} restarted since the previous run (run_id changed)")
            } else {
                format!("{addr} is another server than in the previous sample (run_id differs)")
            });
        }
        let b = &p.sample;
        if s.hits < b.hits + p.own_hits
            || s.misses < b.misses + p.own_misses
            || s.evicted < b.evicted
            || s.expired < b.expired
            || s.commands < b.commands
        {
            return Some(format!(
                "{addr}'s counters went down since the previous run (CONFIG RESETSTAT?)"
            ));
        }
    }
    None
}

fn stored_nodes(now: Vec<(String, Sample)>, own: &[(u64, u64)]) -> Vec<StoredNode> {
    now.into_iter()
        .zip(own)
        .map(|((node, sample), &(h, m))| StoredNode {
            node,
            sample,
            own_hits: h,
            own_misses: m,
        })
        .collect()
}

fn stored_namespaces(ns: &[Ns], counts: &[(u64, u64)]) -> Vec<StoredNs> {
    ns.iter()
        .zip(counts)
        .map(|(n, c)| StoredNs {
            metrics_key: n.key.clone(),
            hits: c.0,
            misses: c.1,
        })
        .collect()
}

/// The previous run's sample; a missing file is the first run, an unreadable one is warned about.
fn load(path: &Path) -> Option<Stored> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            warn!(file = %path.display(), error = %e, "--since: cannot read the previous sample");
            return None;
        }
    };
    match serde_json::from_str::<Stored>(&text) {
        Ok(s) if s.version == 1 => Some(s),
        Ok(_) | Err(_) => {
            warn!(file = %path.display(), "--since: not a cachectl report sample, replacing it");
            None
        }
    }
}

/// Write the sample atomically (temp file + rename), readable by its owner only.
fn save(path: &Path, st: &Stored) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or("since".into(), |n| n.to_string_lossy());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(&serde_json::to_vec_pretty(st).map_err(std::io::Error::other)?)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow::anyhow!(e).context(format!("writing --since {}", path.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(run_id: &str, hits: u64, misses: u64) -> Sample {
        Sample {
            run_id: run_id.into(),
            uptime_s: 1000,
            hits,
            misses,
            commands: 500,
            ..Sample::default()
        }
    }

    fn stored(nodes: &[(&str, Sample, u64, u64)]) -> Stored {
        Stored {
            version: 1,
            url: "redis://x".into(),
            saved_at: "2026-01-01T00:00:00Z".into(),
            saved_at_ms: 0,
            nodes: nodes
                .iter()
                .map(|(n, s, h, m)| StoredNode {
                    node: n.to_string(),
                    sample: s.clone(),
                    own_hits: *h,
                    own_misses: *m,
                })
                .collect(),
            namespaces: vec![StoredNs {
                metrics_key: "m:a".into(),
                hits: 7,
                misses: 3,
            }],
        }
    }

    fn ns(keys: &[&str]) -> Vec<Ns> {
        keys.iter()
            .map(|k| Ns {
                name: k.to_string(),
                key: k.to_string(),
            })
            .collect()
    }

    #[test]
    fn the_baseline_takes_in_the_previous_runs_own_reads_in_this_runs_node_order() {
        let prev = stored(&[
            ("b:2", sample("rb", 5, 5), 0, 1),
            ("a:1", sample("ra", 10, 2), 2, 0),
        ]);
        let now = [
            ("a:1".to_string(), sample("ra", 20, 4)),
            ("b:2".to_string(), sample("rb", 9, 9)),
        ];
        let b = baseline(&prev, &now, &ns(&["m:a", "m:new"]), 60.0).unwrap();
        assert_eq!(
            b.nodes
                .iter()
                .map(|s| (s.run_id.as_str(), s.hits, s.misses))
                .collect::<Vec<_>>(),
            [("ra", 12, 2), ("rb", 5, 6)]
        );
        // a namespace the previous run did not read starts at zero
        assert_eq!(b.ns, [(7, 3), (0, 0)]);
    }

    #[test]
    fn the_baseline_is_refused_with_the_reason() {
        let prev = stored(&[("a:1", sample("ra", 10, 2), 1, 0)]);
        let why = |now: (&str, Sample), elapsed: f64| {
            baseline(&prev, &[(now.0.to_string(), now.1)], &[], elapsed).unwrap_err()
        };
        let mut restarted = sample("new", 0, 0);
        restarted.uptime_s = 30;
        assert_eq!(
            why(("a:1", restarted.clone()), 60.0),
            "a:1 restarted since the previous run (run_id changed)"
        );
        assert_eq!(
            why(("a:1", restarted), 5.0),
            "a:1 is another server than in the previous sample (run_id differs)"
        );
        // the previous run's own hit is in the counters: 10 + 1 > 10
        assert_eq!(
            why(("a:1", sample("ra", 10, 2)), 60.0),
            "a:1's counters went down since the previous run (CONFIG RESETSTAT?)"
        );
        assert_eq!(
            why(("c:3", sample("other", 10, 2)), 60.0),
            "the file holds a sample of another server"
        );
        assert_eq!(
            why(("c:3", sample("ra", 10, 2)), 60.0),
            "node c:3 was not in the previous sample"
        );
        assert!(baseline(
            &prev,
            &[("a:1".to_string(), sample("ra", 11, 2))],
            &[],
            60.0
        )
        .is_ok());
    }

    #[test]
    fn own_reads_count_a_hit_per_existing_hash_and_a_miss_per_missing_one() {
        assert_eq!(
            own_reads(3, &[0, 2, 2], &[(1, 0), (0, 0), (0, 4)]),
            [(1, 0), (0, 0), (1, 1)]
        );
    }

    #[test]
    fn a_sample_is_stored_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("since.json");
        assert!(load(&path).is_none());
        let st = stored(&[("a:1", sample("ra", 10, 2), 1, 0)]);
        save(&path, &st).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let back = load(&path).unwrap();
        assert_eq!(back.nodes[0].sample, st.nodes[0].sample);
        assert_eq!(back.nodes[0].own_hits, 1);
        std::fs::write(&path, "{\"version\": 2}").unwrap();
        assert!(load(&path).is_none());
        // no temp file left beside it
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
