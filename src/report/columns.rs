//! How a report is written: the node columns (table, CSV on stdout and `--append`,
//! Prometheus gauges), the namespaces' table, the reasons and advice under each window.

use std::io::Write;

use anyhow::{Context, Result};

use super::pattern_columns;
use super::window::{NodeRow, Status};
use super::{ReportOut, Window};
use crate::render::{Columns, RenderCtx, Report};
use crate::units::{human_bytes, human_count};

/// A node's row in its window: what the node columns read.
pub struct NodeLine<'w> {
    pub window: &'w Window,
    pub row: &'w NodeRow,
}

/// The rows of a window: every node, then the total.
pub(super) fn lines(w: &Window) -> Vec<NodeLine<'_>> {
    w.nodes
        .iter()
        .chain(std::iter::once(&w.total))
        .map(|row| NodeLine { window: w, row })
        .collect()
}

/// A count for report's tables, `-` when absent (also the `--patterns` table's).
pub(super) fn opt_count(v: Option<u64>) -> String {
    v.map_or("-".into(), human_count)
}

/// One row per node and window (SPEC §3 report): the table, the CSV (stdout and --append) and
/// the Prometheus gauges.
pub fn node_columns<'w>() -> Columns<'static, NodeLine<'w>> {
    let mut c: Columns<NodeLine<'w>> = Columns::new();
    // on a narrow terminal: who, how healthy (hit rate, memory, evictions, latency)
    c.csv_only("window", |l| l.window.window)
        .csv_only("started_at", |l| l.window.started_at.clone())
        .plain("node", "NODE", 0, |l| l.row.node.clone())
        .plain("role", "ROLE", 6, |l| l.row.role.clone())
        .col(
            "keys",
            "KEYS",
            5,
            |l| l.row.keys,
            |l, _| human_count(l.row.keys),
        )
        .metric("keys", "Keys on the node (total: primaries)")
        .col(
            "hits",
            "HITS",
            7,
            |l| l.row.hits,
            |l, _| opt_count(l.row.hits),
        )
        .metric("hits", "Keyspace hits in the window")
        .col(
            "misses",
            "MISSES",
            7,
            |l| l.row.misses,
            |l, _| opt_count(l.row.misses),
        )
        .metric("misses", "Keyspace misses in the window")
        .col(
            "hit_rate_pct",
            "HIT%",
            1,
            |l| l.row.hit_rate_pct,
            |l, _| opt_pct(l.row.hit_rate_pct),
        )
        .metric("hit_rate_pct", "Keyspace hit rate in the window, percent")
        .col(
            "lifetime_hit_rate_pct",
            "LIFE%",
            8,
            |l| l.row.lifetime_hit_rate_pct,
            |l, _| opt_pct(l.row.lifetime_hit_rate_pct),
        )
        .metric(
            "lifetime_hit_rate_pct",
            "Keyspace hit rate since start, percent",
        )
        .col(
            "evicted",
            "EVICTED",
            9,
            |l| l.row.evicted,
            |l, _| opt_count(l.row.evicted),
        )
        .metric("evicted", "Keys evicted in the window")
        .col(
            "expired",
            "EXPIRED",
            10,
            |l| l.row.expired,
            |l, _| opt_count(l.row.expired),
        )
        .metric("expired", "Keys expired in the window")
        .col(
            "eviction_pct",
            "EVICT%",
            4,
            |l| l.row.eviction_pct,
            |l, _| opt_pct(l.row.eviction_pct),
        )
        .metric(
            "eviction_pct",
            "Evicted keys in the window, percent of keys at its start",
        )
        .col(
            "used_memory",
            "MEMORY",
            3,
            |l| l.row.used_memory,
            |l, _| human_bytes(l.row.used_memory),
        )
        .metric("used_memory_bytes", "used_memory")
        .col(
            "maxmemory",
            "MAXMEM",
            9,
            |l| l.row.maxmemory,
            |l, _| {
                if l.row.maxmemory == 0 {
                    "-".into()
                } else {
                    human_bytes(l.row.maxmemory)
                }
            },
        )
        .metric("maxmemory_bytes", "maxmemory (0: no limit)")
        .col(
            "memory_pct",
            "MEM%",
            3,
            |l| l.row.memory_pct,
            |l, _| opt_pct(l.row.memory_pct),
        )
        .metric("memory_pct", "used_memory, percent of maxmemory")
        .col(
            "ops_per_s",
            "OPS/S",
            6,
            |l| l.row.ops_per_s,
            |l, _| l.row.ops_per_s.map_or("-".into(), |v| format!("{v:.0}")),
        )
        .metric(
            "ops_per_s",
            "Commands per second in the window, without the report's own",
        )
        .col(
            "p95_latency_ms",
            "P95 MS",
            5,
            |l| l.row.p95_latency_ms,
            |l, _| {
                l.row
                    .p95_latency_ms
                    .map_or("-".into(), |v| format!("{v:.2}"))
            },
        )
        .metric("p95_latency_ms", "p95 of client-side PING round trips, ms")
        .col(
            "repl_lag_bytes",
            "LAG",
            10,
            |l| l.row.repl_lag_bytes,
            |l, _| l.row.repl_lag_bytes.map_or("-".into(), |v| v.to_string()),
        )
        .metric(
            "repl_lag_bytes",
            "Replication lag behind the primary, bytes",
        )
        .col(
            "status",
            "STATUS",
            0,
            |l| l.row.status.as_str(),
            |l, ctx| ctx.colored_cell(l.row.status.as_str(), l.row.status.as_str()),
        )
        .gauge(
            "status",
            "SLO status: 0 OK, 1 UNKNOWN, 2 WARN, 3 CRIT",
            |l| Some(l.row.status as u8 as f64),
        )
        .csv_only("interval_s", |l| l.window.interval_s)
        .csv_only("uptime_s", |l| l.row.uptime_s)
        .metric("uptime_seconds", "Seconds since the node started");
    c
}

/// Append one row per node (and the total) to a history file; the header only once.
pub(super) fn append(path: &std::path::Path, w: &Window) -> Result<()> {
    let fresh = std::fs::metadata(path).map_or(true, |m| m.len() == 0);
    let f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("opening --append {}", path.display()))?;
    let mut cw = csv::Writer::from_writer(f);
    if fresh {
        cw.write_record(node_columns().csv_header())?;
    }
    node_columns().write_csv_rows(&mut cw, &lines(w))?;
    cw.flush()
        .with_context(|| format!("writing --append {}", path.display()))
}

/// A percentage for report's tables, `-` when absent.
pub(super) fn opt_pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.1}"))
}

/// The namespaces' table under a window's node table.
fn namespace_table(ctx: &RenderCtx, win: &Window) -> crate::render::Table {
    let mut t = ctx.table(&[
        "NAMESPACE",
        "METRICS KEY",
        "HITS",
        "MISSES",
        "HIT%",
        "LIFE%",
        "STATUS",
    ]);
    t.priorities(&[0, 5, 3, 3, 1, 4, 0]);
    for n in &win.namespaces {
        t.add_row(vec![
            crate::render::Cell::new(&n.namespace),
            crate::render::Cell::new(&n.metrics_key),
            crate::render::Cell::new(opt_count(n.hits)),
            crate::render::Cell::new(opt_count(n.misses)),
            crate::render::Cell::new(opt_pct(n.hit_rate_pct)),
            crate::render::Cell::new(opt_pct(n.lifetime_hit_rate_pct)),
            ctx.colored_cell(n.status.as_str(), n.status.as_str()),
        ]);
    }
    t
}

impl Report for ReportOut {
    /// Interrupted, a breached check, or ok.
    fn outcome(&self) -> crate::error::Outcome {
        use crate::error::Outcome;
        match (&self.failed_check, self.interrupted) {
            (_, true) => Outcome::Interrupted,
            (Some(m), false) => Outcome::CheckFailed(m.clone()),
            (None, false) => Outcome::Ok,
        }
    }

    fn write_table(&self, ctx: &RenderCtx, w: &mut dyn Write) -> Result<()> {
        for win in &self.windows {
            let span = match win.interval_s {
                Some(s) if win.basis == "since" => format!(
                    "{s:.1} s since the previous run ({})",
                    win.since.as_deref().unwrap_or("?")
                ),
                Some(s) => format!("{s:.1} s window"),
                None => format!(
                    "lifetime counters (uptime {})",
                    crate::units::human_secs(win.total.uptime_s)
                ),
            };
            let head = format!(
                "Window {}: {span} on {} node{} of {}: {}{}",
                win.window,
                win.nodes.len(),
                if win.nodes.len() == 1 { "" } else { "s" },
                self.url,
                win.status.as_str(),
                win.worst_node
                    .as_ref()
                    .filter(|_| win.nodes.len() > 1)
                    .map(|n| format!(" (worst node: {n})"))
                    .unwrap_or_default()
            );
            writeln!(w, "{}", ctx.prose(&head))?;
            if let Some(n) = &win.note {
                writeln!(w, "{}", ctx.prose(&format!("Note: {n}")))?;
            }
            let t = node_columns().table(ctx, &lines(win));
            writeln!(w, "{t}")?;
            if !win.namespaces.is_empty() {
                writeln!(w, "{}", namespace_table(ctx, win))?;
            }
            if win.patterns.is_some() {
                if win.window == self.windows[0].window {
                    if let Some(p) = &self.patterns {
                        for n in &p.notes {
                            writeln!(w, "{}", ctx.prose(&format!("Note: {n}")))?;
                        }
                    }
                }
                let rows = pattern_columns::lines(win);
                if rows.is_empty() {
                    writeln!(
                        w,
                        "{}",
                        ctx.prose("No key lookups or misses seen in this window.")
                    )?;
                } else {
                    writeln!(
                        w,
                        "{}",
                        pattern_columns::pattern_columns().table(ctx, &rows)
                    )?;
                }
                if let Some(t) = pattern_columns::burst_table(ctx, win) {
                    writeln!(w, "{t}")?;
                    let all = win.miss_bursts.as_ref().map_or(0, Vec::len);
                    if all > pattern_columns::BURST_ROWS {
                        writeln!(
                            w,
                            "{}",
                            ctx.prose(&format!(
                                "… and {} more miss bursts (the largest {} are shown; -o json or -o csv lists them all)",
                                all - pattern_columns::BURST_ROWS,
                                pattern_columns::BURST_ROWS
                            ))
                        )?;
                    }
                }
                for n in &win.pattern_notes {
                    writeln!(w, "{}", ctx.prose(&format!("Note: {n}")))?;
                }
            }
            let reasons: Vec<String> = win
                .nodes
                .iter()
                .chain(std::iter::once(&win.total))
                .filter(|r| r.status != Status::Ok)
                .flat_map(|r| {
                    r.reasons
                        .iter()
                        .map(move |x| format!("{} {}: {x}", r.status.as_str(), r.node))
                })
                .collect();
            for r in reasons.iter().take(12) {
                writeln!(w, "{}", ctx.prose(&format!("  {r}")))?;
            }
            for r in &win.recommendations {
                writeln!(w, "{}", ctx.prose(&format!("  → {r}")))?;
            }
        }
        Ok(())
    }

    fn write_csv(&self, w: &mut csv::Writer<&mut dyn Write>) -> Result<()> {
        if self.patterns.is_some() {
            // --patterns: one row per pattern and window
            let cols = pattern_columns::pattern_columns();
            w.write_record(cols.csv_header())?;
            for win in &self.windows {
                cols.write_csv_rows(w, &pattern_columns::lines(win))?;
            }
            return Ok(());
        }
        let cols = node_columns();
        w.write_record(cols.csv_header())?;
        for win in &self.windows {
            cols.write_csv_rows(w, &lines(win))?;
        }
        Ok(())
    }

    /// Gauges of the last window, one series per node (and `node="total"`).
    fn write_prometheus(&self, w: &mut dyn Write) -> Result<()> {
        let Some(win) = self.windows.last() else {
            return Ok(());
        };
        let lines = lines(win);
        let refs: Vec<&NodeLine> = lines.iter().collect();
        node_columns().write_prometheus(w, &refs, |l| {
            format!("node=\"{}\",role=\"{}\"", l.row.node, l.row.role)
        })?;
        if !win.namespaces.is_empty() {
            writeln!(w, "# HELP cachectl_namespace_hit_rate_pct Hit rate of a profile namespace from its metrics_key, percent.")?;
            writeln!(w, "# TYPE cachectl_namespace_hit_rate_pct gauge")?;
            for n in &win.namespaces {
                if let Some(v) = n.hit_rate_pct {
                    writeln!(
                        w,
                        "cachectl_namespace_hit_rate_pct{{namespace=\"{}\"}} {v}",
                        n.namespace
                    )?;
                }
            }
        }
        let lines = pattern_columns::lines(win);
        if !lines.is_empty() {
            let refs: Vec<&pattern_columns::PatternLine> = lines.iter().collect();
            pattern_columns::pattern_columns().write_prometheus(w, &refs, |l| {
                format!(
                    "pattern=\"{}\",namespace=\"{}\"",
                    label(&l.row.pattern),
                    label(l.row.namespace.as_deref().unwrap_or(""))
                )
            })?;
        }
        Ok(())
    }
}

/// A Prometheus label value: backslash, double quote and newline escaped.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(node: &str) -> NodeRow {
        NodeRow {
            node: node.into(),
            role: "primary".into(),
            keys: 10,
            hits: Some(9),
            misses: Some(1),
            hit_rate_pct: Some(90.0),
            lifetime_hit_rate_pct: Some(90.0),
            evicted: None,
            expired: Some(0),
            eviction_pct: Some(0.0),
            used_memory: 1000,
            maxmemory: 0,
            memory_pct: None,
            ops_per_s: Some(1.5),
            p95_latency_ms: Some(0.2),
            repl_lag_bytes: None,
            status: Status::Warn,
            reasons: Vec::new(),
            uptime_s: 100,
            reset: false,
            eviction_exceeded_ms: 0,
            eviction_base: 10,
        }
    }

    fn window() -> Window {
        Window {
            window: 1,
            started_at: "2026-01-01T00:00:00Z".into(),
            interval_s: Some(10.0),
            basis: "interval",
            since: None,
            note: None,
            nodes: vec![row("a:1")],
            total: row("total"),
            namespaces: Vec::new(),
            status: Status::Warn,
            worst_node: None,
            recommendations: Vec::new(),
            ..Default::default()
        }
    }

    #[test]
    fn csv_names_the_json_fields() {
        // window, started_at and interval_s are the window's (JSON: one level up); reasons,
        // reset and eviction_exceeded_ms are JSON detail
        crate::render::column::assert_csv_matches_json(
            &node_columns(),
            &row("a:1"),
            &["window", "started_at", "interval_s"],
            &["reasons", "reset", "eviction_exceeded_ms"],
        );
        let w = window();
        let keys = crate::render::column::json_keys(&w);
        for k in ["window", "started_at", "interval_s"] {
            assert!(keys.contains(k), "{k}");
        }
    }

    #[test]
    fn csv_and_prometheus_from_the_node_columns() {
        let out = ReportOut {
            url: "redis://x".into(),
            cluster: false,
            eviction_policy: None,
            patterns: None,
            windows: vec![window()],
            status: Status::Warn,
            failed_check: None,
            interrupted: false,
        };
        let mut buf = Vec::new();
        {
            let mut w: &mut dyn Write = &mut buf;
            let mut cw = csv::Writer::from_writer(&mut w as &mut dyn Write);
            out.write_csv(&mut cw).unwrap();
        }
        let csv = String::from_utf8(buf).unwrap();
        let mut l = csv.lines();
        assert_eq!(
            l.next().unwrap(),
            "window,started_at,node,role,keys,hits,misses,hit_rate_pct,lifetime_hit_rate_pct,\
             evicted,expired,eviction_pct,used_memory,maxmemory,memory_pct,ops_per_s,\
             p95_latency_ms,repl_lag_bytes,status,interval_s,uptime_s"
        );
        assert_eq!(
            l.next().unwrap(),
            "1,2026-01-01T00:00:00Z,a:1,primary,10,9,1,90,90,,0,0,1000,0,,1.5,0.2,,WARN,10,100"
        );
        let mut p = Vec::new();
        out.write_prometheus(&mut p).unwrap();
        let p = String::from_utf8(p).unwrap();
        let names: Vec<&str> = p
            .lines()
            .filter_map(|l| l.strip_prefix("# TYPE cachectl_"))
            .map(|l| l.trim_end_matches(" gauge"))
            .collect();
        assert_eq!(
            names,
            [
                "keys",
                "hits",
                "misses",
                "hit_rate_pct",
                "lifetime_hit_rate_pct",
                "evicted",
                "expired",
                "eviction_pct",
                "used_memory_bytes",
                "maxmemory_bytes",
                "memory_pct",
                "ops_per_s",
                "p95_latency_ms",
                "repl_lag_bytes",
                "status",
                "uptime_seconds"
            ]
        );
        assert!(p.contains("cachectl_status{node=\"total\",role=\"primary\"} 2\n"));
        assert!(p.contains("# HELP cachectl_used_memory_bytes used_memory.\n"));
        assert!(!p.contains("cachectl_evicted{"));
    }
}
