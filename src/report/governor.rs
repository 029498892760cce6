//! What MONITOR costs the server, and how much of a window it may therefore be on
//! (`report --patterns --monitor-budget`). Pure: fed with the servers' own CPU and command
//! counters (INFO `used_cpu_sys + used_cpu_user`, `total_commands_processed`) taken at each
//! slice's start and end.
//!
//! While MONITOR is on, the server formats every command it runs into a line for it. Before
//! Redis 7.2 that formatting goes through `sdscatrepr`, one `sdscatprintf` per byte of every
//! argument, so the cost grows with the arguments: measured on Redis 7.0, a 16-byte SET cost the
//! server 1.2 µs alone and 3.6 µs under MONITOR (3×), a 1000-byte SET 1.5 µs and 57 µs (39×).
//! A fixed share of the window would make a cache of large values pay many times what a cache
//! of small ones does, so the share is governed: from the CPU per command measured while
//! MONITOR is on (`on`) and while it is off (`off`), the window's cost ratio at share `s` is
//! `1 + s × (on/off − 1)`, kept within the budget by lowering `s`. The figures a lower share
//! gives are scaled the same way (they are estimates with a wider interval, as always).
//!
//! MONITOR is not the run's only cost: the key-events it adds cost the server too (built per
//! miss, and written to the subscriber once per event-loop pass that had any). Where the CPU
//! per command from before the run added them is known (`base`), their cost is `off / base`
//! and the whole run's `off / base × (1 + s × (on/off − 1))`: the share is then also held so
//! that this stays within [`TOTAL_AIM`] — never below [`MONITOR_FLOOR`]'s share, the least
//! MONITOR time that still estimates lookups (where the key-events alone cost more than the
//! aim, the run says so and names `--events off`).

/// Counters of one node at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counters {
    /// seconds since the window started
    pub at_s: f64,
    /// the server's CPU time, seconds (user + system)
    pub cpu_s: f64,
    pub commands: u64,
}

/// Fewer commands than this in either state, and the ratio is not trusted yet.
const MIN_COMMANDS: u64 = 500;
/// What the whole run (key-events and MONITOR) may cost the server, as a ratio of its CPU per
/// command before the run: the SPEC's 25%, less 5 points for the error of the governor's own
/// measures (one second before the run, slices of the window).
pub const TOTAL_AIM: f64 = 1.2;
/// The least MONITOR may add (as a ratio to the CPU per command with it off) when the total
/// aim leaves it less: a sample large enough to estimate lookups (~2% of the window on a typical
/// load, whose MONITOR ratio is ~3.4 on Redis 7.0); the key-events' cost, measured against one
/// second before the run, moves by ~10% between runs of the same load, which would otherwise
/// cut the sample to nothing at random.
pub const MONITOR_FLOOR: f64 = 1.05;
/// A server busier than this share of one CPU while MONITOR is on is governed; below it,
/// MONITOR's cost is too small to matter whatever its ratio (an idle server).
const MIN_BUSY: f64 = 0.02;

#[derive(Debug, Clone, Default)]
struct Node {
    last: Option<(Counters, bool)>,
    on_cpu: f64,
    on_cmds: u64,
    on_secs: f64,
    off_cpu: f64,
    off_cmds: u64,
}

/// The cost ledger of one window.
#[derive(Debug, Clone)]
pub struct Governor {
    budget: Option<f64>,
    planned: f64,
    nodes: Vec<Node>,
    /// per node, the CPU time per command (seconds) before the run added its key-events
    base: Vec<Option<f64>>,
}

impl Governor {
    /// `budget`: the largest ratio of the server's CPU per command with the sample to without
    /// it (None: no limit); `planned`: the share asked for (0..1).
    pub fn new(nodes: usize, budget: Option<f64>, planned: f64) -> Governor {
        Governor {
            budget,
            planned,
            nodes: vec![Node::default(); nodes],
            base: vec![None; nodes],
        }
    }

    /// The nodes' CPU time per command (seconds) before the run added its key-events, where
    /// measured: the share then also keeps the whole run within [`TOTAL_AIM`].
    pub fn with_base(mut self, base: &[Option<f64>]) -> Governor {
        for (b, x) in self.base.iter_mut().zip(base) {
            *b = *x;
        }
        self
    }

    /// Node `i`'s counters now; `on`: MONITOR was on since its previous sample.
    pub fn sample(&mut self, i: usize, c: Counters, on: bool) {
        let n = &mut self.nodes[i];
        if let Some((prev, was_on)) = n.last {
            let (cpu, cmds) = (
                c.cpu_s - prev.cpu_s,
                c.commands.saturating_sub(prev.commands),
            );
            // a restart (counters back to zero) or a clock step: skip the interval
            if cpu >= 0.0 && c.commands >= prev.commands {
                if was_on {
                    n.on_cpu += cpu;
                    n.on_cmds += cmds;
                    n.on_secs += c.at_s - prev.at_s;
                } else {
                    n.off_cpu += cpu;
                    n.off_cmds += cmds;
                }
            }
        }
        n.last = Some((c, on));
    }

    /// Node `i`'s CPU per command while MONITOR was on over that while it was off, once both
    /// were measured on enough commands.
    pub fn ratio(&self, i: usize) -> Option<f64> {
        let n = &self.nodes[i];
        if n.on_cmds < MIN_COMMANDS || n.off_cmds < MIN_COMMANDS || n.off_cpu <= 0.0 {
            return None;
        }
        Some((n.on_cpu / n.on_cmds as f64) / (n.off_cpu / n.off_cmds as f64))
    }

    /// Node `i`'s CPU time per command (seconds) while MONITOR was off, once measured on
    /// enough commands.
    pub fn off_per_command(&self, i: usize) -> Option<f64> {
        let n = &self.nodes[i];
        (n.off_cmds >= MIN_COMMANDS && n.off_cpu > 0.0).then(|| n.off_cpu / n.off_cmds as f64)
    }

    /// What the key-events cost node `i`: its CPU per command while MONITOR was off over that
    /// before the run added them, when both were measured.
    pub fn events_cost(&self, i: usize) -> Option<f64> {
        self.base[i]
            .filter(|b| *b > 0.0)
            .zip(self.off_per_command(i))
            .map(|(b, o)| o / b)
    }

    /// The ratio MONITOR may add on node `i` (CPU per command with it on over with it off):
    /// the budget, or less where the key-events' measured cost leaves the whole run less room
    /// under [`TOTAL_AIM`] (never below [`MONITOR_FLOOR`]). None: no budget.
    pub fn budget_of(&self, i: usize) -> Option<f64> {
        let budget = self.budget?;
        Some(match self.events_cost(i) {
            Some(e) => budget.min((TOTAL_AIM / e).max(MONITOR_FLOOR)),
            None => budget,
        })
    }

    /// The share node `i`'s measured cost allows (None: not measured, or not governed: no
    /// budget, or a server idle while MONITOR was on).
    fn share_of(&self, i: usize) -> Option<f64> {
        let n = &self.nodes[i];
        let r = self.ratio(i)?;
        let budget = self.budget_of(i)?;
        let busy = if n.on_secs > 0.0 {
            n.on_cpu / n.on_secs
        } else {
            0.0
        };
        (r > 1.0 && busy >= MIN_BUSY).then(|| (budget - 1.0).max(0.0) / (r - 1.0))
    }

    /// The share of the window MONITOR may be on: the planned one, or less where a node's
    /// measured ratio would take the window past its budget ([`Governor::budget_of`]).
    pub fn allowed(&self) -> f64 {
        (0..self.nodes.len())
            .filter_map(|i| self.share_of(i))
            .fold(self.planned, f64::min)
    }

    /// The node whose cost sets [`Governor::allowed`] below the planned share: (node, its
    /// MONITOR ratio, its budget).
    pub fn limit(&self) -> Option<(usize, f64, f64)> {
        let (i, share) = (0..self.nodes.len())
            .filter_map(|i| self.share_of(i).map(|s| (i, s)))
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        (share < self.planned).then(|| {
            (
                i,
                self.ratio(i).unwrap_or(1.0),
                self.budget_of(i).unwrap_or(1.0),
            )
        })
    }

    /// Is MONITOR's cost known on every node — a ratio measured, or the server found idle while
    /// MONITOR was on? Until it is, slices are probes.
    pub fn known(&self) -> bool {
        self.budget.is_none()
            || self.nodes.iter().enumerate().all(|(i, n)| {
                self.ratio(i).is_some() || (n.on_secs > 0.0 && n.on_cpu / n.on_secs < MIN_BUSY)
            })
    }

    /// The largest measured ratio, and the node it was measured on.
    pub fn worst(&self) -> Option<(usize, f64)> {
        (0..self.nodes.len())
            .filter_map(|i| self.ratio(i).map(|r| (i, r)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// The server's CPU time per command (seconds) between two readings, when it ran enough commands
/// (and a restart did not come between them) for the figure to mean something; else None.
pub fn per_command(a: Counters, b: Counters) -> Option<f64> {
    let (cpu, cmds) = (b.cpu_s - a.cpu_s, b.commands.checked_sub(a.commands)?);
    (cmds >= MIN_COMMANDS && cpu > 0.0).then(|| cpu / cmds as f64)
}

/// The length of MONITOR slice `k` of `slices`: what the allowed share leaves, spread over the
/// slices still to come, at most `cap` (the slice's room in its share of the window). While
/// MONITOR's cost is not known ([`Governor::known`]), at most `probe`.
pub fn slice_len(
    allowed_s: f64,
    used_s: f64,
    k: usize,
    slices: usize,
    cap: f64,
    probe: Option<f64>,
) -> f64 {
    let left = (allowed_s - used_s).max(0.0);
    let len = (left / (slices - k).max(1) as f64).min(cap);
    probe.map_or(len, |p| len.min(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(at_s: f64, cpu_s: f64, commands: u64) -> Counters {
        Counters {
            at_s,
            cpu_s,
            commands,
        }
    }

    #[test]
    fn the_share_falls_as_monitor_costs_more() {
        // off: 1 µs per command; on: 3 µs (ratio 3): 1.25 allows 12.5%
        let mut g = Governor::new(1, Some(1.25), 0.10);
        assert_eq!(g.allowed(), 0.10, "nothing measured yet");
        g.sample(0, c(0.0, 0.0, 0), false);
        g.sample(0, c(1.0, 0.1, 100_000), true);
        g.sample(0, c(1.2, 0.16, 120_000), false);
        assert!((g.ratio(0).unwrap() - 3.0).abs() < 1e-9);
        assert_eq!(g.allowed(), 0.10, "12.5% allowed, 10% asked");
        // on: 39 µs per command (1 kB values on Redis 7.0): 0.25 / 38 ≈ 0.66%
        let mut g = Governor::new(1, Some(1.25), 0.10);
        g.sample(0, c(0.0, 0.0, 0), false);
        g.sample(0, c(1.0, 0.1, 100_000), true);
        g.sample(0, c(1.1, 0.1 + 0.039 * 10.0, 110_000), false);
        let a = g.allowed();
        assert!((a - 0.25 / 38.0).abs() < 1e-6, "{a}");
        assert_eq!(g.worst().map(|w| w.0), Some(0));
        // no budget: as asked
        let mut g2 = g.clone();
        g2.budget = None;
        assert_eq!(g2.allowed(), 0.10);
    }

    #[test]
    fn the_key_events_cost_leaves_monitor_the_rest_of_the_total_aim() {
        // before the run: 1 µs per command; with the key-events (MONITOR off): 1.1 µs; MONITOR
        // on: 3.3 µs (ratio 3)
        let run = |base: Option<f64>| {
            let mut g = Governor::new(1, Some(1.1), 0.10).with_base(&[base]);
            g.sample(0, c(0.0, 0.0, 0), false);
            g.sample(0, c(1.0, 0.11, 100_000), true);
            g.sample(0, c(1.1, 0.11 + 0.033, 110_000), false);
            g
        };
        let g = run(Some(1e-6));
        assert!((g.events_cost(0).unwrap() - 1.1).abs() < 1e-9);
        // 1.2 / 1.1 = 1.0909 < the budget's 1.1: MONITOR may add 9.09%, share 4.5%
        assert!((g.budget_of(0).unwrap() - 1.2 / 1.1).abs() < 1e-9);
        assert!((g.allowed() - (1.2 / 1.1 - 1.0) / 2.0).abs() < 1e-9);
        let (node, r, b) = g.limit().unwrap();
        assert_eq!(node, 0);
        assert!((r - 3.0).abs() < 1e-9 && (b - 1.2 / 1.1).abs() < 1e-9);
        // the whole run's ratio at that share: the total aim
        let total = 1.1 * (1.0 + g.allowed() * 2.0);
        assert!((total - TOTAL_AIM).abs() < 1e-9, "{total}");
        // cheap key-events: the budget alone
        let g = run(Some(1.1e-6 / 1.02));
        assert_eq!(g.budget_of(0), Some(1.1));
        assert!((g.allowed() - 0.05).abs() < 1e-9);
        // key-events past the aim on their own (a miss-heavy load): MONITOR's floor
        let g = run(Some(0.5e-6));
        assert_eq!(g.budget_of(0), Some(MONITOR_FLOOR));
        assert!((g.allowed() - 0.025).abs() < 1e-9);
        // not measured before the run (flags set already, or an idle server): the budget
        let g = run(None);
        assert_eq!(g.events_cost(0), None);
        assert!((g.allowed() - 0.05).abs() < 1e-9);
        // no budget: neither limit
        let mut g = run(Some(1e-6));
        g.budget = None;
        assert_eq!((g.budget_of(0), g.allowed()), (None, 0.10));
    }

    #[test]
    fn cpu_per_command_while_monitor_was_off() {
        let mut g = Governor::new(1, Some(1.25), 0.10);
        g.sample(0, c(0.0, 0.0, 0), false);
        g.sample(0, c(1.0, 0.2, 100_000), true);
        assert!((g.off_per_command(0).unwrap() - 2e-6).abs() < 1e-12);
        g.sample(0, c(1.1, 0.5, 110_000), false);
        g.sample(0, c(2.1, 0.6, 160_000), false);
        // the MONITOR slice (30 µs per command) is left out
        assert!((g.off_per_command(0).unwrap() - 0.3 / 150_000.0).abs() < 1e-12);
        let mut idle = Governor::new(1, None, 0.10);
        idle.sample(0, c(0.0, 0.0, 0), false);
        idle.sample(0, c(1.0, 0.001, 100), false);
        assert_eq!(idle.off_per_command(0), None);
    }

    #[test]
    fn cpu_per_command_between_two_readings() {
        let r = per_command(c(0.0, 1.0, 1_000), c(1.0, 1.2, 101_000)).unwrap();
        assert!((r - 2e-6).abs() < 1e-12);
        // too few commands, a restart in between
        assert_eq!(per_command(c(0.0, 1.0, 1_000), c(1.0, 1.2, 1_100)), None);
        assert_eq!(per_command(c(0.0, 1.0, 5_000), c(1.0, 0.1, 100)), None);
    }

    #[test]
    fn too_few_commands_or_an_idle_server_are_not_governed() {
        let mut g = Governor::new(1, Some(1.25), 0.10);
        g.sample(0, c(0.0, 0.0, 0), false);
        g.sample(0, c(1.0, 0.001, 400), true);
        g.sample(0, c(1.2, 0.02, 800), false);
        assert_eq!(g.ratio(0), None);
        assert_eq!(g.allowed(), 0.10);
        // ratio 5, but the server used 0.5% of a CPU while MONITOR was on
        let mut g = Governor::new(1, Some(1.25), 0.10);
        g.sample(0, c(0.0, 0.0, 0), true);
        g.sample(0, c(10.0, 0.05, 10_000), false);
        g.sample(0, c(20.0, 0.06, 20_000), false);
        assert!((g.ratio(0).unwrap() - 5.0).abs() < 1e-9);
        assert_eq!(g.allowed(), 0.10);
    }

    #[test]
    fn a_restart_inside_the_window_is_skipped() {
        let mut g = Governor::new(1, Some(1.25), 0.10);
        g.sample(0, c(0.0, 5.0, 1_000_000), false);
        g.sample(0, c(1.0, 0.1, 100), true); // counters went back: a restart
        assert_eq!(g.ratio(0), None);
    }

    #[test]
    fn slices_spread_what_is_left_and_probe_until_the_cost_is_known() {
        // 10 s window, 10%: 1 s of MONITOR over 5 slices of room 1.8 s each; cost unknown
        assert_eq!(slice_len(1.0, 0.0, 0, 5, 1.8, Some(0.05)), 0.05);
        assert_eq!(slice_len(1.0, 0.05, 1, 5, 1.8, Some(0.05)), 0.05);
        // known: the 0.9 s left over the 4 left
        assert!((slice_len(1.0, 0.1, 1, 5, 1.8, None) - 0.225).abs() < 1e-9);
        // the allowed share fell below what was used: nothing more
        assert_eq!(slice_len(0.05, 0.1, 2, 5, 1.8, None), 0.0);
        // the room caps a slice
        assert_eq!(slice_len(9.0, 0.0, 4, 5, 1.8, None), 1.8);
    }

    #[test]
    fn the_cost_is_known_once_measured_or_idle() {
        let mut g = Governor::new(2, Some(1.2), 0.10);
        assert!(!g.known());
        for i in 0..2 {
            g.sample(i, c(0.0, 0.0, 0), false);
        }
        // node 0 busy, measured; node 1 idle while MONITOR was on
        g.sample(0, c(1.0, 0.1, 100_000), true);
        g.sample(1, c(1.0, 0.0, 10), true);
        g.sample(0, c(1.2, 0.16, 120_000), false);
        g.sample(1, c(1.2, 0.0001, 20), false);
        assert!(g.ratio(0).is_some() && g.ratio(1).is_none());
        assert!(g.known());
        assert!(Governor::new(1, None, 0.1).known());
    }
}
