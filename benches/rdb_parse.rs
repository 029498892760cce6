//! The RDB parser alone on a dump: `parse` (what `analyze --rdb` reads) against
//! `parse_with(values: N)` (what `--values N` adds to the read), best of RUNS each, in MB/s and
//! keys/s. Called by bench/rdb.sh; by hand:
//! `cargo bench --bench rdb_parse -- DUMP [N=200] [RUNS=5]`.

use std::time::Instant;

use cachectl::rdb::{parse_with, ParseOptions};

fn run(data: &[u8], values: usize) -> (f64, u64, u64) {
    let t = Instant::now();
    let mut items = 0u64;
    let sum = parse_with(data, ParseOptions { values }, |k| {
        items += k.values.len() as u64;
        std::hint::black_box(k.key);
        Ok(())
    })
    .expect("parse");
    (t.elapsed().as_secs_f64(), sum.keys, items)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(path) = args.first() else {
        eprintln!("usage: cargo bench --bench rdb_parse -- DUMP [N=200] [RUNS=5]");
        return;
    };
    let n: usize = args.get(1).map_or(200, |s| s.parse().expect("N"));
    let runs: usize = args.get(2).map_or(5, |s| s.parse().expect("RUNS"));
    // from memory: the parser's cost, not the disk's
    let data = std::fs::read(path).expect("reading the dump");
    let mb = data.len() as f64 / 1e6;
    let best = |values: usize| {
        (0..runs)
            .map(|_| run(&data, values))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .expect("runs > 0")
    };
    let (t0, keys, _) = best(0);
    let (tn, _, items) = best(n);
    println!(
        "parse: {:.0} MB/s, {:.0} keys/s; parse_with(values {n}): {:.0} MB/s ({items} value items), {:.2}x the time",
        mb / t0,
        keys as f64 / t0,
        mb / tn,
        tn / t0
    );
}
