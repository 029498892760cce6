//! `report --patterns`: the shell around the pure accounting (`patterns`). It sets up the
//! key-event subscribers (adding missing `notify-keyspace-events` flags, restored at the end),
//! runs each window's MONITOR slices, and feeds both streams into an [`Accountant`].
//!
//! A window's two ends are marked atomically on every node (`Engine::marked_info`: INFO, an
//! ECHO the MONITOR sees, a PUBLISH the subscriber sees, in one MULTI/EXEC): the events and
//! MONITOR lines counted are exactly those between the two INFO samples.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use tokio::sync::mpsc;
use tracing::warn;

use super::governor::{self, Counters, Governor};
use super::patterns::{Accountant, NodeTotals};
use super::sample::{build_window, latencies, read_namespaces, Reading, Scope, Span};
use super::window::{judge_namespace, Sample};
use super::{ConfigChange, Events, NamespaceRow, Options, PatternsRun, Window};
use crate::analyze::aggregate::NamespaceRule;
use crate::audit::now_rfc3339;
use crate::config::Settings;
use crate::engine::events::{self, EventMsg, Subscriber};
use crate::engine::monitor::{CommandTable, MonitorMsg, MonitorTask};
use crate::engine::{Engine, Role};
use crate::signals::Stop;

/// Batches of events buffered between the subscribers and the accounting (a batch is what
/// one read of a socket held, up to ~64 KiB; a full buffer slows the subscribers' reads; the
/// server then buffers, up to its pubsub output-buffer limit).
const EVENT_BUFFER: usize = 256;
/// The same for MONITOR lines (a full buffer: the server holds the rest, and the output-buffer
/// watch ends the slice above `monitor_omem_limit`).
const MONITOR_BUFFER: usize = 256;
/// How often a running MONITOR's output buffer is checked.
const OMEM_CHECK: Duration = Duration::from_millis(200);
/// MONITOR slices per window (at most), and their shortest length.
const MAX_SLICES: u32 = 10;
const MIN_SLICE: Duration = Duration::from_millis(200);
/// A MONITOR slice is at most this long while MONITOR's cost is not known yet (the first).
const PROBE_SLICE: Duration = Duration::from_millis(50);
/// A slice the budget leaves shorter than this is not started.
const SHORTEST_SLICE: Duration = Duration::from_millis(20);
/// How long a keymiss probe's event may take to arrive.
const PROBE_WAIT: Duration = Duration::from_secs(1);
/// How long the server's CPU per command is measured before the run adds key-event flags:
/// what the events then cost it is measured against that.
const BEFORE_EVENTS: Duration = Duration::from_secs(1);
/// How long the CPU per command measured before the key-events stands for the load: later
/// windows of a --watch run neither report the key-events' cost nor hold the whole run to
/// [`governor::TOTAL_AIM`] (MONITOR's own budget still holds).
const BASE_FRESH: Duration = Duration::from_secs(15 * 60);
/// The cost the SPEC allows `report --patterns` at its defaults (server CPU per command): key-
/// events costing more than this alone are said to.
const COST_AIM: f64 = 1.25;

/// Whether the nodes publish the key-events the run needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flags {
    On,
    Off,
    /// `notify-keyspace-events` cannot be read (CONFIG refused)
    Unknown,
}

/// The run's `--patterns` state: subscribers, the command table, what was changed.
pub(super) struct Live {
    run: String,
    table: Arc<CommandTable>,
    rules: Vec<NamespaceRule>,
    events: bool,
    subs: Vec<Option<Subscriber>>,
    ev_tx: mpsc::Sender<Vec<EventMsg>>,
    ev_rx: mpsc::Receiver<Vec<EventMsg>>,
    changes: Vec<(usize, ConfigChange)>,
    /// per node: the server's CPU per command (seconds) before the run added key-event flags
    before_events: Vec<Option<f64>>,
    /// when that was measured (a load changes: past [`BASE_FRESH`] it is no longer used)
    before_at: Instant,
    /// the stderr line about the key-events' cost was written
    events_cost_warned: bool,
    out: PatternsRun,
}

impl Live {
    pub async fn start(engine: &Engine, a: &Options, s: &Settings) -> Result<Live> {
        let run = format!(
            "{:x}",
            crate::audit::now_ms() ^ (std::process::id() as i64) << 20
        );
        let table = Arc::new(engine.command_table(0).await?);
        let (ev_tx, ev_rx) = mpsc::channel(EVENT_BUFFER);
        let mut live = Live {
            run,
            table,
            rules: crate::analyze::profile_rules(s),
            events: false,
            subs: (0..engine.nodes.len()).map(|_| None).collect(),
            ev_tx,
            ev_rx,
            changes: Vec::new(),
            before_events: vec![None; engine.nodes.len()],
            before_at: Instant::now(),
            events_cost_warned: false,
            out: PatternsRun {
                sample_reads_pct: a.sample_reads_pct,
                events: "off",
                config_changes: Vec::new(),
                notes: Vec::new(),
            },
        };
        if let Some(db) = engine
            .nodes
            .first()
            .map(|n| n.info.redis_settings().db())
            .filter(|db| *db != 0)
        {
            live.warn(format!(
                "--patterns observes the whole server: INFO, MONITOR and key-events cover every database, not only database {db} of the URL"
            ));
        }
        // the key-events' cost is measured in the time MONITOR is off: never at 100%
        let state = live
            .enable_events(engine, a.events, a.sample_reads_pct < 100.0)
            .await;
        live.events = state != Flags::Off;
        if live.events {
            for i in 0..engine.nodes.len() {
                match engine
                    .subscribe_key_events(i, &live.run, live.ev_tx.clone())
                    .await
                {
                    Ok(sub) => live.subs[i] = Some(sub),
                    Err(e) => {
                        live.warn(format!(
                            "key-events unavailable: subscribing on {} failed ({e:#}); misses, expirations and evictions are not reported",
                            engine.nodes[i].addr
                        ));
                        live.events = false;
                        live.subs.iter_mut().for_each(|s| *s = None);
                        break;
                    }
                }
            }
        }
        if live.events && state == Flags::Unknown {
            live.events = live.probe(engine).await;
        }
        live.out.events = match (live.events, a.events) {
            (true, _) => "on",
            (false, Events::Off) => "off",
            (false, Events::On) => "unavailable",
        };
        Ok(live)
    }

    /// A note in the report; `warn`: also a warning line on stderr (what limits the run).
    fn note(&mut self, n: String) {
        self.out.notes.push(n);
    }

    fn warn(&mut self, n: String) {
        warn!("{n}");
        self.out.notes.push(n);
    }

    /// Make every node publish the key-events needed: read `notify-keyspace-events`, add the
    /// missing flags (`--events on`). Off when a node lacks them and may not get them (CONFIG
    /// SET refused, or `--events off`); Unknown when CONFIG GET is refused (a managed service,
    /// whose parameter group may hold them: [`Live::probe`] finds out). `measure`: read the
    /// servers' CPU per command for a second before adding flags (the key-events' cost).
    async fn enable_events(&mut self, engine: &Engine, mode: Events, measure: bool) -> Flags {
        let mut plan = Vec::new();
        for (i, n) in engine.nodes.iter().enumerate() {
            let Some(cur) = engine.notify_get(i).await else {
                if mode == Events::Off {
                    self.warn(format!(
                        "--events off: CONFIG GET refused on {}, so whether notify-keyspace-events holds \"{}\" is unknown; reporting from the MONITOR sample alone",
                        n.addr,
                        events::NEEDED
                    ));
                    return Flags::Off;
                }
                return Flags::Unknown;
            };
            if let Some(set) = events::needed_flags(&cur) {
                if mode == Events::Off {
                    self.warn(format!(
                        "--events off: notify-keyspace-events on {} is \"{cur}\", without all of \"{}\"; reporting from the MONITOR sample alone",
                        n.addr,
                        events::NEEDED
                    ));
                    return Flags::Off;
                }
                plan.push((i, cur, set));
            }
        }
        if measure && !plan.is_empty() {
            // what the server spends per command without the events: a second before they
            // are added (what they then cost is measured against it, window by window)
            let nodes: Vec<usize> = plan.iter().map(|p| p.0).collect();
            let t = Instant::now();
            self.before_at = t;
            let a = node_counters(engine, &nodes, t).await;
            tokio::time::sleep(BEFORE_EVENTS).await;
            let b = node_counters(engine, &nodes, t).await;
            tracing::debug!(
                "the server's counters over the second before the key-events: {a:?} → {b:?}"
            );
            for ((i, a), b) in nodes.iter().zip(a).zip(b) {
                self.before_events[*i] = a.zip(b).and_then(|(a, b)| governor::per_command(a, b));
            }
        }
        for (i, original, set) in plan {
            let addr = engine.nodes[i].addr.clone();
            if let Err(e) = engine.notify_set(i, &set).await {
                self.warn(format!(
                    "cannot enable key-events on {addr} ({e:#}): set the server parameter notify-keyspace-events to include \"{}\" for exact misses; reporting from the MONITOR sample alone",
                    events::NEEDED
                ));
                return Flags::Off;
            }
            self.note(format!(
                "notify-keyspace-events on {addr}: \"{original}\" → \"{set}\" for this run (restored at its end)"
            ));
            self.changes.push((
                i,
                ConfigChange {
                    node: addr,
                    original,
                    set,
                    restored: false,
                },
            ));
        }
        Flags::On
    }

    /// CONFIG GET was refused: subscribed anyway, look up one missing key per node (outside
    /// any window) and see whether its `keymiss` event arrives. True when every node's did:
    /// misses are exact; else the subscriptions are dropped and the run says which parameter
    /// to set.
    async fn probe(&mut self, engine: &Engine) -> bool {
        let n = engine.nodes.len();
        let keys: Vec<Vec<u8>> = (0..n).map(|i| engine.probe_key(i, &self.run)).collect();
        let mut seen = vec![false; n];
        let mut failed = None;
        for (i, k) in keys.iter().enumerate() {
            if let Err(e) = engine.probe_miss(i, k).await {
                failed = Some(format!("{e:#}"));
                break;
            }
        }
        let deadline = tokio::time::Instant::now() + PROBE_WAIT;
        while failed.is_none() && seen.iter().any(|s| !s) {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => break,
                Some(batch) = self.ev_rx.recv() => {
                    for m in batch {
                        if let EventMsg::Miss { node, key, .. } = m {
                            if key == keys[node] {
                                seen[node] = true;
                            }
                        }
                    }
                }
            }
        }
        if failed.is_none() && seen.iter().all(|s| *s) {
            self.warn(
                "CONFIG GET refused: notify-keyspace-events cannot be read, but a probe's miss (EXISTS of a key no application uses) came through as a keymiss event on every node: misses are exact (expired and evicted are counted if the parameter also holds \"x\" and \"e\")"
                    .to_string(),
            );
            return true;
        }
        let node = seen.iter().position(|s| !s).unwrap_or(0);
        self.warn(format!(
            "CONFIG GET refused on {}{}: set the server parameter notify-keyspace-events to include \"{}\" (e.g. in the managed service's parameter group) for exact misses; reporting from the MONITOR sample alone",
            engine.nodes[node].addr,
            failed.map_or_else(String::new, |e| format!(" and the keymiss probe failed ({e})")),
            events::NEEDED
        ));
        self.subs.iter_mut().for_each(|s| *s = None);
        false
    }

    /// Put every changed `notify-keyspace-events` back to its exact original value; the run's
    /// `patterns` record.
    pub async fn restore(mut self, engine: &Engine) -> PatternsRun {
        self.subs.clear();
        for (i, mut c) in std::mem::take(&mut self.changes) {
            match engine.notify_set(i, &c.original).await {
                Ok(()) => c.restored = true,
                Err(e) => self.warn(format!(
                    "could not restore notify-keyspace-events on {} to \"{}\": {e:#}",
                    c.node, c.original
                )),
            }
            self.out.config_changes.push(c);
        }
        self.out
    }

    /// One window with its patterns; None when stopped by a signal.
    pub async fn window(
        &mut self,
        engine: &mut Engine,
        a: &Options,
        scope: &Scope,
        number: u64,
        stop: &Stop,
    ) -> Result<Option<Window>> {
        let n = engine.nodes.len();
        let started_at = now_rfc3339();
        let mut notes = Vec::new();
        if number > 1 {
            self.heal(engine, &mut notes).await;
        }
        // events left from before this window (between windows) are not counted
        while let Ok(batch) = self.ev_rx.try_recv() {
            for m in batch {
                if let EventMsg::Lost { node } = m {
                    self.lost(engine, node, &mut notes).await;
                }
            }
        }
        let seps = crate::analyze::DEFAULT_SEPARATORS.as_bytes();
        let mut acct = Accountant::new(seps, self.rules.clone(), n, a.burst_misses);
        let mut w = Watch::new(n, a, self.events);
        for i in 0..n {
            if self.events && self.subs[i].is_none() {
                w.ev_broken[i] = true;
                w.ev_done[i] = true;
            }
        }
        let (mon_tx, mut mon_rx) = mpsc::channel::<Vec<MonitorMsg>>(MONITOR_BUFFER);
        if w.full {
            for i in 0..n {
                w.start_monitor(engine, i, &self.table, &mon_tx, &mut notes)
                    .await;
            }
        }
        // the metrics keys are lookups: read before the start marker and after the end one
        let ns_before = read_namespaces(engine, &scope.ns).await?;
        let start = format!("{}:{number}:start", self.run);
        let end = format!("{}:{number}:end", self.run);
        let mut before = Vec::with_capacity(n);
        for i in 0..n {
            let ch = events::marker_channel(&self.run, i);
            before.push(Sample::parse(&engine.marked_info(i, &start, &ch).await?));
        }
        let t0 = Instant::now();
        let slices = plan_slices(a.interval, a.sample_reads_pct);
        // the key-events' cost: the CPU per command while MONITOR is off, against the figure
        // from before the run added them (not at 100%: MONITOR is never off; not in the windows
        // of a long --watch run, whose load has moved since)
        if self.before_at.elapsed() > BASE_FRESH {
            self.before_events.iter_mut().for_each(|b| *b = None);
        }
        let mut gov = Governor::new(n, a.monitor_budget, a.sample_reads_pct / 100.0)
            .with_base(&self.before_events);
        let measure_events = !w.full && self.before_events.iter().any(Option::is_some);
        if !slices.is_empty() || measure_events {
            counters(engine, &mut gov, t0, false).await;
        }
        // a node lost during the PINGs (a restart) leaves the window's latency unknown; the
        // window goes on (its end reconnects)
        let lat = match latencies(engine, a.latency_samples).await {
            Ok(l) => l,
            Err(e) => {
                notes.push(format!("latency not sampled in this window: {e:#}"));
                vec![None; n]
            }
        };
        let deadline = tokio::time::Instant::from_std(t0 + a.interval);
        let mut next_slice = 0usize;
        // the running slice's end; MONITOR time used so far (seconds)
        let mut slice_end: Option<Duration> = None;
        let mut used_s = 0.0;
        // the running slice is a probe (MONITOR's cost was unknown) of this length
        let mut probe = false;
        let mut cur_len = 0.0;
        let room = slices.first().map_or(0.0, |_| {
            0.9 * a.interval.as_secs_f64() / slices.len() as f64
        });
        let mut tick = tokio::time::interval(OMEM_CHECK.min(MIN_SLICE / 2));
        loop {
            // the next slice's start or the running one's end: woken there, not at the next
            // tick, so a slice lasts what was planned (on a 100 ms tick, slices of 0.2 s ran
            // ~25% longer: more MONITOR, and so more server CPU, than asked)
            let edge = (!w.full)
                .then(|| match slice_end {
                    Some(e) if w.any_on() => Some(e),
                    _ => slices.get(next_slice).map(|s| s.0),
                })
                .flatten()
                .map(|d| tokio::time::Instant::from_std(t0 + d));
            // the clock first: a busy stream must not starve the slices or the window's end
            tokio::select! {
                biased;
                _ = stop.wait() => return Ok(None),
                _ = tokio::time::sleep_until(deadline) => break,
                _ = tick_or_edge(&mut tick, edge) => {
                    let el = t0.elapsed();
                    if !w.full {
                        // end the current slices, start the next (as long as the budget
                        // leaves it: MONITOR's cost is measured at each slice's two ends)
                        if let Some(e) = slice_end.filter(|e| w.any_on() && el >= *e) {
                            // a probe whose measure says MONITOR is cheap enough goes on for
                            // what a slice may have, rather than leaving its place unused
                            if probe {
                                counters(engine, &mut gov, t0, true).await;
                            }
                            let more = if probe && gov.known() {
                                let len = governor::slice_len(
                                    gov.allowed() * a.interval.as_secs_f64(),
                                    used_s - cur_len,
                                    next_slice - 1,
                                    slices.len(),
                                    room,
                                    None,
                                ) - cur_len;
                                (len >= SHORTEST_SLICE.as_secs_f64()).then_some(len)
                            } else {
                                None
                            };
                            probe = false;
                            if let Some(more) = more {
                                used_s += more;
                                slice_end = Some(e + Duration::from_secs_f64(more));
                            } else {
                                w.stop_all();
                                counters(engine, &mut gov, t0, false).await;
                                slice_end = None;
                            }
                        }
                        if slice_end.is_some() && !w.any_on() {
                            // cut short (the output-buffer watch below, a dropped MONITOR)
                            counters(engine, &mut gov, t0, false).await;
                            slice_end = None;
                        }
                        if next_slice < slices.len() && el >= slices[next_slice].0 && !w.any_on() {
                            let allowed_s = gov.allowed() * a.interval.as_secs_f64();
                            let len = governor::slice_len(
                                allowed_s,
                                used_s,
                                next_slice,
                                slices.len(),
                                room,
                                (!gov.known()).then_some(PROBE_SLICE.as_secs_f64()),
                            );
                            tracing::debug!(
                                "MONITOR slice {next_slice}: {len:.3} s at {el:?} (allowed share {:.4}, {used_s:.3} s used, worst ratio {:?})",
                                gov.allowed(),
                                gov.worst()
                            );
                            if len >= SHORTEST_SLICE.as_secs_f64() {
                                counters(engine, &mut gov, t0, true).await;
                                let on_at = t0.elapsed();
                                for i in 0..n {
                                    w.start_monitor(engine, i, &self.table, &mon_tx, &mut notes).await;
                                }
                                if w.any_on() {
                                    used_s += len;
                                    cur_len = len;
                                    slice_end = Some(on_at + Duration::from_secs_f64(len));
                                    probe = !gov.known();
                                } else {
                                    // refused everywhere: nothing was on
                                    counters(engine, &mut gov, t0, false).await;
                                }
                            }
                            next_slice += 1;
                        }
                    }
                    w.check_omem(engine, a.monitor_omem_limit, &mut notes).await;
                }
                Some(batch) = self.ev_rx.recv() => {
                    self.events_in(engine, &mut w, &mut acct, batch, (&start, &end), &mut notes).await;
                }
                Some(batch) = mon_rx.recv() => {
                    for m in batch {
                        w.monitor_line(&mut acct, m, &start, &end, &mut notes, engine);
                    }
                }
            }
        }
        if (slice_end.is_some() && w.any_on()) || measure_events {
            counters(engine, &mut gov, t0, false).await;
        }
        let mut after = Vec::with_capacity(n);
        for i in 0..n {
            let ch = events::marker_channel(&self.run, i);
            after.push(Sample::parse(&engine.marked_info(i, &end, &ch).await?));
        }
        let secs = t0.elapsed().as_secs_f64();
        if !w.full {
            w.stop_all();
        }
        // the streams up to the end markers (a subscriber or MONITOR lagging behind)
        // (a backlog the accounting has not read yet waits in the server's pubsub buffer; a
        // subscriber too slow for it is disconnected there, and reported as lost)
        let drain = tokio::time::Instant::now()
            + engine.timeout.max(Duration::from_secs(2)).max(a.interval);
        while !w.drained() {
            tokio::select! {
                biased;
                _ = stop.wait() => return Ok(None),
                _ = tokio::time::sleep_until(drain) => {
                    notes.push("the event or MONITOR streams did not reach the window's end marker in time: the last events may be missing".into());
                    for i in 0..n {
                        if !w.ev_done[i] {
                            w.ev_broken[i] = true;
                        }
                    }
                    break;
                }
                Some(batch) = self.ev_rx.recv() => {
                    self.events_in(engine, &mut w, &mut acct, batch, (&start, &end), &mut notes).await;
                }
                Some(batch) = mon_rx.recv() => {
                    for m in batch {
                        w.monitor_line(&mut acct, m, &start, &end, &mut notes, engine);
                    }
                }
            }
        }
        w.stop_all();
        drop(mon_tx);
        let ns_after = read_namespaces(engine, &scope.ns).await?;
        let totals: Vec<NodeTotals> = (0..n)
            .map(|i| {
                let (b, x) = (&before[i], &after[i]);
                let same = b.run_id == x.run_id && x.hits >= b.hits && x.misses >= b.misses;
                NodeTotals {
                    lookups: same.then(|| (x.hits + x.misses) - (b.hits + b.misses)),
                    misses: same.then(|| x.misses - b.misses),
                    sampled_fraction: w.fraction(i, secs),
                    sample_cut: w.cut[i],
                    events_whole: same && w.ev_done[i] && !w.ev_broken[i],
                }
            })
            .collect();
        let names: Vec<String> = engine.nodes.iter().map(|x| x.addr.clone()).collect();
        let (rows, bursts, mut cover) = acct.finish(&names, &totals, self.events);
        for (i, c) in cover.iter_mut().enumerate() {
            c.monitor_cost_ratio = gov.ratio(i).map(|r| (r * 100.0).round() / 100.0);
            c.events_cost_ratio = gov.events_cost(i).map(|e| (e * 100.0).round() / 100.0);
        }
        self.events_cost(engine, &cover, &totals, &mut notes);
        let asked = a.sample_reads_pct / 100.0;
        if let (false, Some((i, r, b)), Some(budget)) = (w.full, gov.limit(), a.monitor_budget) {
            if gov.allowed() < asked - 1e-9 {
                let got = (0..n).map(|i| w.fraction(i, secs)).fold(0.0, f64::max);
                let why = match gov.events_cost(i) {
                    Some(e) if b < budget - 1e-9 => format!(
                        "to keep the run's whole cost within {}× the CPU per command before it, its key-events costing {e:.2}× already: MONITOR may add {:.0}%{}",
                        governor::TOTAL_AIM,
                        (b - 1.0) * 100.0,
                        if b <= governor::MONITOR_FLOOR + 1e-9 { ", the least that still estimates lookups" } else { "" }
                    ),
                    _ => format!("to keep the run within --monitor-budget {budget}"),
                };
                // a cost measured late (a short window's one slice went on after a probe that
                // found MONITOR cheap) may come after the sample was taken: said as such
                let what = if got < asked - 0.005 {
                    format!(
                        "the sample was cut from {}% to {:.1}% of the window",
                        a.sample_reads_pct,
                        got * 100.0
                    )
                } else {
                    format!(
                        "measured only after most of the sample was taken, {:.1}% of the window was sampled where {:.1}% was allowed",
                        got * 100.0,
                        gov.allowed() * 100.0
                    )
                };
                notes.push(format!(
                    "MONITOR made each command cost the server {r:.1}× its CPU while on (on {}: the server formats every argument of every command for it; long arguments cost most): {what} {why} (lookups are estimates with a wider interval; --monitor-budget off samples as asked)",
                    engine.nodes[i].addr,
                ));
            }
        }
        if self.events && (0..n).any(|i| !totals[i].events_complete(cover[i].keymiss_events)) {
            let which: Vec<String> = (0..n)
                .filter(|&i| !totals[i].events_whole)
                .map(|i| engine.nodes[i].addr.clone())
                .collect();
            notes.push(if which.is_empty() {
                "misses are unknown in this window: a node's keymiss events cover less than 90% of its keyspace_misses (notify-keyspace-events changed, e.g. by a restart?)".to_string()
            } else {
                format!(
                    "misses are unknown in this window: the key-event stream of {} was interrupted (a disconnect or a restart), so per-pattern misses and hit rates would be too low and too high",
                    which.join(", ")
                )
            });
        }
        for c in &cover {
            if let Some(p) = c.events_coverage_pct.filter(|p| *p < 99.0) {
                notes.push(format!(
                    "{}: keymiss events cover {p}% of its keyspace_misses (OBJECT lookups miss without an event; below that, events were lost: client-output-buffer-limit pubsub)",
                    c.node
                ));
            }
        }
        let mut win = build_window(
            engine,
            scope,
            Span {
                number,
                started_at,
                before: Some(Reading {
                    nodes: before,
                    ns: ns_before,
                }),
                after: Reading {
                    nodes: after,
                    ns: ns_after,
                },
                secs,
                // INFO+ECHO+PUBLISH at the start (MULTI/EXEC), the PINGs
                own: 5 + a.latency_samples as u64,
                latencies: lat,
            },
        );
        add_namespaces(&mut win, &rows, scope);
        advise(&mut win, &rows, &bursts, a);
        win.patterns = Some(rows);
        win.miss_bursts = Some(bursts);
        win.pattern_nodes = Some(cover);
        win.pattern_notes = notes;
        Ok(Some(win))
    }

    /// Key-events that cost a node more than the report's aim say so (a note in each such
    /// window, one stderr line per run): the server builds one per miss whether anyone listens,
    /// so a miss-heavy load pays for exact misses; `--events off` is the cheaper trade (no misses).
    fn events_cost(
        &mut self,
        engine: &Engine,
        cover: &[super::patterns::NodeCoverage],
        totals: &[NodeTotals],
        notes: &mut Vec<String>,
    ) {
        for (i, c) in cover.iter().enumerate() {
            let Some(r) = c.events_cost_ratio.filter(|r| *r > COST_AIM) else {
                continue;
            };
            let missed = match (totals[i].lookups, totals[i].misses) {
                (Some(l), Some(m)) if l > 0 => {
                    format!("; {:.0}% of lookups missed", m as f64 * 100.0 / l as f64)
                }
                _ => String::new(),
            };
            let n = format!(
                "key-events cost {} {r:.2}× its CPU per command (against the second before this run set notify-keyspace-events{missed}): above the {:.0}% this report aims at. The server builds and sends one event per miss, so exact misses cost that on this load; --events off leaves the server unchanged, at the price of misses (then unknown; lookups still come from the MONITOR sample)",
                engine.nodes[i].addr,
                (COST_AIM - 1.0) * 100.0
            );
            if !self.events_cost_warned {
                self.events_cost_warned = true;
                warn!("{n}");
            }
            notes.push(n);
        }
    }

    /// A batch of key-events into the window's accounting; a lost subscriber is replaced.
    async fn events_in(
        &mut self,
        engine: &Engine,
        w: &mut Watch,
        acct: &mut Accountant,
        batch: Vec<EventMsg>,
        (start, end): (&str, &str),
        notes: &mut Vec<String>,
    ) {
        for m in batch {
            if let Some(node) = w.event(acct, engine, m, start, end) {
                self.lost(engine, node, notes).await;
            }
        }
    }

    /// Before a later window: a node that restarted lost the flags this run added, and its
    /// subscriber; set them again and subscribe again where needed.
    async fn heal(&mut self, engine: &Engine, notes: &mut Vec<String>) {
        if !self.events {
            return;
        }
        for i in 0..engine.nodes.len() {
            let addr = engine.nodes[i].addr.clone();
            if let Some(cur) = engine.notify_get(i).await {
                if let Some(set) = events::needed_flags(&cur) {
                    match engine.notify_set(i, &set).await {
                        Ok(()) => notes.push(format!(
                            "notify-keyspace-events on {addr} was \"{cur}\" (the server restarted?): set to \"{set}\" again"
                        )),
                        Err(e) => notes.push(format!(
                            "notify-keyspace-events on {addr} lacks flags and could not be set again: {e:#}"
                        )),
                    }
                }
            }
            if self.subs[i].is_none() {
                match engine
                    .subscribe_key_events(i, &self.run, self.ev_tx.clone())
                    .await
                {
                    Ok(s) => {
                        self.subs[i] = Some(s);
                        notes.push(format!("subscribed to key-events on {addr} again"));
                    }
                    Err(e) => notes.push(format!("subscribing again on {addr} failed: {e:#}")),
                }
            }
        }
    }

    /// A subscriber's connection ended: say so, and subscribe again for what follows.
    async fn lost(&mut self, engine: &Engine, node: usize, notes: &mut Vec<String>) {
        let addr = engine.nodes[node].addr.clone();
        notes.push(format!(
            "the key-event subscriber on {addr} was disconnected (client-output-buffer-limit pubsub, a kill or a restart): misses from it are incomplete; subscribing again"
        ));
        self.subs[node] = None;
        match engine
            .subscribe_key_events(node, &self.run, self.ev_tx.clone())
            .await
        {
            Ok(s) => self.subs[node] = Some(s),
            Err(e) => notes.push(format!("subscribing again on {addr} failed: {e:#}")),
        }
    }
}

/// The counters of `nodes` now (seconds since `t0`; the nodes asked at once), in their order;
/// None where INFO failed.
async fn node_counters(engine: &Engine, nodes: &[usize], t0: Instant) -> Vec<Option<Counters>> {
    let all = futures::future::join_all(nodes.iter().map(|i| engine.cpu_and_commands(*i))).await;
    let at_s = t0.elapsed().as_secs_f64();
    all.into_iter()
        .map(|c| {
            c.map(|(cpu_s, commands)| Counters {
                at_s,
                cpu_s,
                commands,
            })
        })
        .collect()
}

/// Every node's CPU and command counters into the governor; `on`: MONITOR is on from now.
async fn counters(engine: &Engine, gov: &mut Governor, t0: Instant, on: bool) {
    let nodes: Vec<usize> = (0..engine.nodes.len()).collect();
    for (i, c) in node_counters(engine, &nodes, t0)
        .await
        .into_iter()
        .enumerate()
    {
        if let Some(c) = c {
            gov.sample(i, c, on);
        }
    }
}

/// The next tick, or `edge` when it comes first.
async fn tick_or_edge(tick: &mut tokio::time::Interval, edge: Option<tokio::time::Instant>) {
    match edge {
        Some(e) => tokio::select! {
            _ = tick.tick() => {}
            _ = tokio::time::sleep_until(e) => {}
        },
        None => {
            tick.tick().await;
        }
    }
}

/// The MONITOR slices of a window: `pct` of it, in up to [`MAX_SLICES`] slices of at least
/// [`MIN_SLICE`] spread evenly (each centred in its share of the window). (start, end) offsets.
pub(super) fn plan_slices(interval: Duration, pct: f64) -> Vec<(Duration, Duration)> {
    if pct <= 0.0 || pct >= 100.0 {
        return Vec::new();
    }
    let on = interval.mul_f64(pct / 100.0);
    let k = ((on.as_secs_f64() / MIN_SLICE.as_secs_f64()) as u32).clamp(1, MAX_SLICES);
    let len = on / k;
    let seg = interval / k;
    (0..k)
        .map(|j| {
            let s = seg * j + (seg.saturating_sub(len)) / 2;
            (s, s + len)
        })
        .collect()
}

/// Per-window state of the streams.
struct Watch {
    full: bool,
    events: bool,
    roles: Vec<Role>,
    /// key-events between this window's markers, per node; end marker seen
    ev_open: Vec<bool>,
    ev_done: Vec<bool>,
    /// the node's key-event stream broke inside the window (a disconnect; none at its start;
    /// the end marker never came)
    ev_broken: Vec<bool>,
    /// full MONITOR: lines between the ECHO markers; end marker seen
    mon_open: Vec<bool>,
    mon_done: Vec<bool>,
    monitors: Vec<Option<MonitorTask>>,
    on_since: Vec<Option<Instant>>,
    on_total: Vec<Duration>,
    cut: Vec<bool>,
}

impl Watch {
    fn new(n: usize, a: &Options, events: bool) -> Watch {
        Watch {
            full: a.sample_reads_pct >= 100.0,
            events,
            roles: Vec::new(),
            ev_open: vec![false; n],
            ev_done: vec![!events; n],
            ev_broken: vec![false; n],
            mon_open: vec![false; n],
            mon_done: vec![a.sample_reads_pct < 100.0; n],
            monitors: (0..n).map(|_| None).collect(),
            on_since: vec![None; n],
            on_total: vec![Duration::ZERO; n],
            cut: vec![false; n],
        }
    }

    fn any_on(&self) -> bool {
        self.monitors.iter().any(Option::is_some)
    }

    fn drained(&self) -> bool {
        self.ev_done.iter().all(|d| *d) && self.mon_done.iter().all(|d| *d)
    }

    async fn start_monitor(
        &mut self,
        engine: &Engine,
        i: usize,
        table: &Arc<CommandTable>,
        tx: &mpsc::Sender<Vec<MonitorMsg>>,
        notes: &mut Vec<String>,
    ) {
        if self.cut[i] {
            return; // cut short in this window: not again
        }
        match engine.monitor(i, table.clone(), tx.clone()).await {
            Ok(t) => {
                self.monitors[i] = Some(t);
                self.on_since[i] = Some(Instant::now());
            }
            Err(e) => {
                self.cut[i] = true;
                self.mon_done[i] = true;
                let text = format!("{e:#}");
                let n = if text.contains("NOPERM")
                    || text.to_lowercase().contains("unknown command")
                {
                    format!(
                        "MONITOR refused on {} ({text}): lookups, hits and writes are unknown; grant +monitor (or allow MONITOR on the service) for them",
                        engine.nodes[i].addr
                    )
                } else {
                    format!(
                        "MONITOR could not start on {} ({text}): lookups, hits and writes are estimated from the slices that ran, or unknown",
                        engine.nodes[i].addr
                    )
                };
                warn!("{n}");
                notes.push(n);
            }
        }
    }

    fn stop_one(&mut self, i: usize) {
        if let Some(t) = self.monitors[i].take() {
            t.stop();
        }
        if let Some(s) = self.on_since[i].take() {
            self.on_total[i] += s.elapsed();
        }
    }

    fn stop_all(&mut self) {
        for i in 0..self.monitors.len() {
            self.stop_one(i);
        }
    }

    /// Share of the window node `i`'s MONITOR was on.
    fn fraction(&self, i: usize, secs: f64) -> f64 {
        if self.full && !self.cut[i] {
            return 1.0;
        }
        let on = self.on_total[i]
            + self.on_since[i]
                .map(|s| s.elapsed())
                .unwrap_or(Duration::ZERO);
        if secs <= 0.0 {
            0.0
        } else {
            (on.as_secs_f64() / secs).min(1.0)
        }
    }

    async fn check_omem(&mut self, engine: &Engine, limit: u64, notes: &mut Vec<String>) {
        for i in 0..self.monitors.len() {
            if self.monitors[i].is_none() {
                continue;
            }
            if let Some(omem) = engine.monitor_omem(i).await {
                if omem > limit {
                    self.stop_one(i);
                    self.cut[i] = true;
                    self.mon_done[i] = true;
                    notes.push(format!(
                        "MONITOR on {} ended early: the server held {} for it (over {}); lookups are estimated from what it saw",
                        engine.nodes[i].addr,
                        crate::units::human_bytes(omem),
                        crate::units::human_bytes(limit)
                    ));
                }
            }
        }
    }

    /// Count one key-event; Some(node) when that node's subscriber was lost.
    fn event(
        &mut self,
        acct: &mut Accountant,
        engine: &Engine,
        m: EventMsg,
        start: &str,
        end: &str,
    ) -> Option<usize> {
        if self.roles.is_empty() {
            self.roles = engine.nodes.iter().map(|n| n.role).collect();
        }
        match m {
            EventMsg::Marker { node, text } => {
                if text == start {
                    self.ev_open[node] = true;
                } else if text == end {
                    self.ev_open[node] = false;
                    self.ev_done[node] = true;
                }
            }
            EventMsg::Miss { node, key, at_s } if self.ev_open[node] => {
                acct.miss(node, &key, at_s);
            }
            // a replica's copies of expirations and evictions are its primary's
            EventMsg::Expired { node, key }
                if self.ev_open[node] && self.roles[node] == Role::Primary =>
            {
                acct.expired(&key);
            }
            EventMsg::Evicted { node, key }
                if self.ev_open[node] && self.roles[node] == Role::Primary =>
            {
                acct.evicted(&key);
            }
            EventMsg::Lost { node } => {
                self.ev_done[node] = true;
                self.ev_broken[node] = true;
                if self.events {
                    return Some(node);
                }
            }
            _ => {}
        }
        None
    }

    fn monitor_line(
        &mut self,
        acct: &mut Accountant,
        m: MonitorMsg,
        start: &str,
        end: &str,
        notes: &mut Vec<String>,
        engine: &Engine,
    ) {
        match m {
            MonitorMsg::Line {
                node,
                accesses,
                marker,
            } => {
                if let Some(t) = marker {
                    if t == start {
                        self.mon_open[node] = true;
                    } else if t == end {
                        self.mon_open[node] = false;
                        self.mon_done[node] = true;
                    }
                }
                if self.full && !self.mon_open[node] {
                    return;
                }
                for (a, k) in &accesses {
                    acct.access(node, *a, k);
                }
            }
            MonitorMsg::Dropped { node } => {
                if self.monitors[node].is_some() {
                    self.stop_one(node);
                    self.cut[node] = true;
                    self.mon_done[node] = true;
                    notes.push(format!(
                        "the server dropped the MONITOR connection on {} (client-output-buffer-limit?): lookups are estimated from what it saw, with a wider interval",
                        engine.nodes[node].addr
                    ));
                }
            }
        }
    }
}

/// Namespaces without a `metrics_key` get their hit rate and SLO verdict from the patterns.
fn add_namespaces(win: &mut Window, rows: &[super::patterns::PatternRow], scope: &Scope) {
    for r in rows {
        let Some(ns) = &r.namespace else { continue };
        if win.namespaces.iter().any(|n| &n.namespace == ns) {
            continue;
        }
        let (hr, status) = judge_namespace(r.hits, r.misses, &scope.slo);
        win.namespaces.push(NamespaceRow {
            namespace: ns.clone(),
            metrics_key: "(--patterns)".into(),
            hits: r.hits,
            misses: r.misses,
            hit_rate_pct: hr,
            lifetime_hit_rate_pct: None,
            status,
        });
    }
}

/// Findings: bursts point at the stampede simulation and the namespace's protection; a
/// pattern far below the SLO at longer TTLs or warming.
fn advise(
    win: &mut Window,
    rows: &[super::patterns::PatternRow],
    bursts: &[super::patterns::MissBurst],
    a: &Options,
) {
    // one finding per pattern with bursts, its largest burst as the example
    let mut seen: Vec<&str> = Vec::new();
    for b in bursts {
        if seen.contains(&b.pattern.as_str()) {
            continue;
        }
        seen.push(&b.pattern);
        let of_pattern: Vec<_> = bursts.iter().filter(|x| x.pattern == b.pattern).collect();
        let top = of_pattern
            .iter()
            .max_by_key(|x| x.count)
            .copied()
            .unwrap_or(b);
        // the stampede's own rate: the key's misses in its worst second
        let rate = top.count;
        win.recommendations.push(format!(
            "cache stampede on {}: {} miss burst{} (≥ {} misses of one key within a second; largest: {} missed {} times at {}); size a protection with `cachectl simulate stampede --rate {rate}/s` and see `cachectl recommend{}`",
            b.pattern,
            of_pattern.len(),
            if of_pattern.len() == 1 { "" } else { "s" },
            a.burst_misses,
            top.key,
            top.count,
            top.at,
            b.namespace
                .as_ref()
                .map(|n| format!(" --namespace {n}"))
                .unwrap_or_default()
        ));
    }
    if let Some(worst) = rows
        .iter()
        .filter(|r| r.lookups.unwrap_or(0) >= 100)
        .filter(|r| r.hit_rate_pct.is_some_and(|h| h < 50.0))
        .max_by_key(|r| r.misses)
    {
        win.recommendations.push(format!(
            "pattern {} hits {:.1}% of {} lookups: a longer TTL or warming (`cachectl warm`) would serve more of them",
            worst.pattern,
            worst.hit_rate_pct.unwrap_or(0.0),
            worst.lookups.unwrap_or(0)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_the_asked_share_spread_over_the_window() {
        let s = plan_slices(Duration::from_secs(10), 10.0);
        assert_eq!(s.len(), 5);
        let on: Duration = s.iter().map(|(a, b)| *b - *a).sum();
        assert_eq!(on, Duration::from_secs(1));
        assert!(s.windows(2).all(|w| w[0].1 < w[1].0));
        assert!(s.last().unwrap().1 <= Duration::from_secs(10));
        // short windows: one slice, never shorter than asked
        let one = plan_slices(Duration::from_secs(1), 10.0);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].1 - one[0].0, Duration::from_millis(100));
        assert!(plan_slices(Duration::from_secs(10), 0.0).is_empty());
        assert!(plan_slices(Duration::from_secs(10), 100.0).is_empty());
        assert_eq!(plan_slices(Duration::from_secs(60), 50.0).len(), 10);
    }
}
