//! `report --patterns`: the pattern rows' columns, declared once (table, CSV, gauges), and the
//! bursts' table.

use super::columns::{opt_count, opt_pct};
use super::patterns::PatternRow;
use super::Window;
use crate::render::{Cell, Columns, RenderCtx};

/// A pattern's row in its window: what the pattern columns read.
pub struct PatternLine<'w> {
    pub window: &'w Window,
    pub row: &'w PatternRow,
}

pub(super) fn lines(w: &Window) -> Vec<PatternLine<'_>> {
    w.patterns
        .iter()
        .flatten()
        .map(|row| PatternLine { window: w, row })
        .collect()
}

/// One row per pattern and window (SPEC §3 report `--patterns`).
pub fn pattern_columns<'w>() -> Columns<'static, PatternLine<'w>> {
    let mut c: Columns<PatternLine<'w>> = Columns::new();
    c.csv_only("window", |l| l.window.window)
        .csv_only("started_at", |l| l.window.started_at.clone())
        .plain("pattern", "PATTERN", 0, |l| l.row.pattern.clone())
        .col(
            "namespace",
            "NAMESPACE",
            9,
            |l| l.row.namespace.clone(),
            |l, _| l.row.namespace.clone().unwrap_or_else(|| "-".into()),
        )
        .col(
            "lookups",
            "LOOKUPS",
            2,
            |l| l.row.lookups,
            |l, _| {
                let v = opt_count(l.row.lookups);
                if l.row.estimated && l.row.lookups.is_some() {
                    format!("~{v}")
                } else {
                    v
                }
            },
        )
        .col(
            "hits",
            "HITS",
            6,
            |l| l.row.hits,
            |l, _| opt_count(l.row.hits),
        )
        .col(
            "misses",
            "MISSES",
            1,
            |l| l.row.misses,
            |l, _| opt_count(l.row.misses),
        )
        .col(
            "hit_rate_pct",
            "HIT%",
            0,
            |l| l.row.hit_rate_pct,
            |l, _| opt_pct(l.row.hit_rate_pct),
        )
        .gauge(
            "pattern_hit_rate_pct",
            "Hit rate of a key pattern in the window, percent (report --patterns)",
            |l| l.row.hit_rate_pct,
        )
        .csv_only("hit_rate_low_pct", |l| l.row.hit_rate_low_pct)
        .csv_only("hit_rate_high_pct", |l| l.row.hit_rate_high_pct)
        .table_only("95% CI", 5, |l, _| {
            match (l.row.hit_rate_low_pct, l.row.hit_rate_high_pct) {
                (Some(a), Some(b)) if l.row.estimated => format!("{a:.1}–{b:.1}"),
                (Some(_), Some(_)) => "exact".into(),
                _ => "-".into(),
            }
        })
        .csv_only("estimated", |l| l.row.estimated)
        .col(
            "writes",
            "WRITES",
            7,
            |l| l.row.writes,
            |l, _| opt_count(l.row.writes),
        )
        .col(
            "deletes",
            "DELS",
            10,
            |l| l.row.deletes,
            |l, _| opt_count(l.row.deletes),
        )
        .col(
            "expired",
            "EXPIRED",
            8,
            |l| l.row.expired,
            |l, _| opt_count(l.row.expired),
        )
        .col(
            "evicted",
            "EVICTED",
            8,
            |l| l.row.evicted,
            |l, _| opt_count(l.row.evicted),
        )
        .col(
            "top_missed_key",
            "TOP MISSED",
            3,
            |l| l.row.top_missed_key.clone(),
            |l, _| match (&l.row.top_missed_key, l.row.top_missed_count) {
                (Some(k), Some(n)) => format!("{k} ×{n}"),
                _ => "-".into(),
            },
        )
        .csv_only("top_missed_count", |l| l.row.top_missed_count);
    c
}

/// Bursts a table shows (the largest; CSV and JSON carry them all).
pub(super) const BURST_ROWS: usize = 10;

/// The bursts of a window as a table.
pub(super) fn burst_table(ctx: &RenderCtx, w: &Window) -> Option<crate::render::Table> {
    let bursts = w.miss_bursts.as_ref().filter(|b| !b.is_empty())?;
    let mut t = ctx.table(&["MISS BURST KEY", "PATTERN", "MISSES/S", "AT", "SECONDS"]);
    t.priorities(&[0, 2, 0, 1, 3]);
    // the largest (all of them in CSV/JSON)
    let mut top: Vec<_> = bursts.iter().collect();
    top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.at.cmp(&b.at)));
    top.truncate(BURST_ROWS);
    for b in top {
        t.add_row(vec![
            Cell::new(&b.key),
            Cell::new(&b.pattern),
            Cell::new(b.count.to_string()),
            Cell::new(&b.at),
            Cell::new(b.seconds.to_string()),
        ]);
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn row() -> PatternRow {
        PatternRow {
            pattern: "user:*".into(),
            namespace: None,
            lookups: Some(100),
            hits: Some(90),
            misses: Some(10),
            hit_rate_pct: Some(90.0),
            hit_rate_low_pct: Some(88.0),
            hit_rate_high_pct: Some(91.5),
            estimated: true,
            writes: Some(3),
            deletes: Some(0),
            expired: Some(1),
            evicted: Some(0),
            top_missed_key: Some("user:7".into()),
            top_missed_count: Some(4),
        }
    }

    #[test]
    fn csv_names_the_json_fields() {
        crate::render::column::assert_csv_matches_json(
            &pattern_columns(),
            &row(),
            &["window", "started_at"],
            &[],
        );
    }
}
