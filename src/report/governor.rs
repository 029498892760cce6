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
}

impl Governor {
    /// `budget`: the largest ratio of the server's CPU per command with the sample to without
    /// it (None: no limit); `planned`: the share asked for (0..1).
    pub fn new(nodes: usize, budget: Option<f64>, planned: f64) -> Governor {
        Governor {
            budget,
            planned,
            nodes: vec![Node::default(); nodes],
        }
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

    /// The share of the window MONITOR may be on: the planned one, or less where a node's
    /// measured ratio would take the window past the budget.
    pub fn allowed(&self) -> f64 {
        let Some(budget) = self.budget else {
            return self.planned;
        };
        let mut share = self.planned;
        for (i, n) in self.nodes.iter().enumerate() {
            let Some(r) = self.ratio(i) else { continue };
            let busy = if n.on_secs > 0.0 {
                n.on_cpu / n.on_secs
            } else {
                0.0
            };
            if r > 1.0 && busy >= MIN_BUSY {
                share = share.min((budget - 1.0).max(0.0) / (r - 1.0));
            }
        }
        share
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
