#!/usr/bin/env bash
# Benchmark: what `cachectl report --patterns` costs the server, and how close it gets.
# The same application-like load (bench/patterns_load.py: 4 key families with hit rates 95%,
# 50%, 5% via MGET and 80% via HGET; its own replies are the truth) runs three ways in each
# run: alone (the baseline), under `report --patterns` at the defaults (--sample-reads 10%),
# and under `--sample-reads 100%`. The server's CPU time per command is
# Δ(used_cpu_sys + used_cpu_user) / Δtotal_commands_processed (INFO) over the load.
# Accuracy: each pattern's hit rate and misses against the truth.
#
# usage: bash bench/patterns.sh [LOAD_SECONDS=8] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SECS=${1:-8}
RUNS=${2:-3}
INTERVAL=$((SECS + 4))

cargo build --release --quiet
BIN=$PWD/target/release/cachectl
start_redis
python3 bench/patterns_load.py seed "$PORT" | redis-cli -p "$PORT" --pipe >/dev/null

# cpu_cmds -> "cpu_seconds commands"
cpu_cmds() {
  redis-cli -p "$PORT" info | tr -d '\r' | awk -F: '
    /^used_cpu_sys:/ {s=$2} /^used_cpu_user:/ {u=$2} /^total_commands_processed:/ {c=$2}
    END {printf "%.6f %d\n", s+u, c}'
}

# phase NAME [cachectl args...]: one load, alone (no args) or inside one report window;
# appends "µs_per_command" to $WORK/NAME.cpu, the truth and the report to $WORK/NAME.{truth,json}
phase() {
  local name=$1; shift
  if [ $# -eq 0 ]; then
    read -r c0 n0 < <(cpu_cmds)
    python3 bench/patterns_load.py run "$PORT" "$SECS" > "$WORK/$name.truth"
    read -r c1 n1 < <(cpu_cmds)
  else
    # the load starts at the window's start marker: subscribed before the run starts
    python3 bench/patterns_load.py run "$PORT" "$SECS" --wait-marker > "$WORK/$name.truth" &
    local load=$!
    for _ in $(seq 200); do
      [ "$(redis-cli -p "$PORT" pubsub numpat)" -ge 1 ] && break
      sleep 0.05
    done
    "$BIN" --url "$URL" report --patterns --interval "${INTERVAL}s" --latency-samples 5 \
      --fail-on never -o json "$@" > "$WORK/$name.json" 2>"$WORK/$name.err" &
    local run=$!
    read -r c0 n0 < <(cpu_cmds)
    wait "$load"
    read -r c1 n1 < <(cpu_cmds)
    wait "$run"
  fi
  python3 -c "print(f'{($c1-$c0)*1e6/max(1,$n1-$n0):.3f}')" >> "$WORK/$name.cpu"
}

# accuracy NAME -> "max |hit rate - truth| points, misses exact (yes/no)"
accuracy() {
  python3 - "$WORK/$1.truth" "$WORK/$1.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["patterns"]; r = json.load(open(sys.argv[2]))
rows = {x["pattern"]: x for x in r["windows"][0]["patterns"]}
worst, exact = 0.0, True
for p, v in t.items():
    want = (v["lookups"] - v["misses"]) * 100 / v["lookups"]
    got = rows[p]["hit_rate_pct"]
    worst = max(worst, abs(got - want))
    exact &= rows[p]["misses"] == v["misses"]
    if r["patterns"]["sample_reads_pct"] >= 100:
        exact &= rows[p]["lookups"] == v["lookups"]
print(f"{worst:.2f} {'yes' if exact else 'no'}")
PY
}

for i in $(seq "$RUNS"); do
  phase base
  phase defaults --sample-reads 10%
  phase full --sample-reads 100%
  for n in defaults full; do accuracy "$n" >> "$WORK/$n.acc"; done
  echo "  run $i: µs/command alone $(tail -1 "$WORK/base.cpu"), defaults $(tail -1 "$WORK/defaults.cpu") ($(tail -1 "$WORK/defaults.acc")), 100% $(tail -1 "$WORK/full.cpu") ($(tail -1 "$WORK/full.acc"))"
done
B=$(median < "$WORK/base.cpu"); D=$(median < "$WORK/defaults.cpu"); F=$(median < "$WORK/full.cpu")
RD=$(python3 -c "print(f'{$D/$B:.2f}')"); RF=$(python3 -c "print(f'{$F/$B:.2f}')")
ACC_D=$(sort -n "$WORK/defaults.acc" | tail -1 | cut -d' ' -f1)
EX_D=$(grep -c ' no' "$WORK/defaults.acc" || true); EX_F=$(grep -c ' no' "$WORK/full.acc" || true)
ACC_F=$(sort -n "$WORK/full.acc" | tail -1 | cut -d' ' -f1)
CMDS=$(python3 -c "import json;t=json.load(open('$WORK/base.truth'));print(int(t['commands']/t['seconds']))")
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
SERVER=$(redis-server --version | awk '{print $3}' | cut -d= -f2)
echo
echo "server CPU per command: alone ${B} µs, --patterns defaults ${D} µs (${RD}×), 100% ${F} µs (${RF}×)"
echo "accuracy: defaults worst hit-rate error ${ACC_D} points, misses exact in $((RUNS - EX_D))/$RUNS runs; 100%: worst ${ACC_F} points, lookups+misses exact in $((RUNS - EX_F))/$RUNS runs"
GOAL=$(python3 -c "print('met' if $D/$B <= 1.25 else 'NOT met')")
update_benchmarks "report --patterns" \
  "| report --patterns | application-like load (MGET ×3 families, HGET), ~${CMDS} commands/s alone on one connection (pipelined), ${SECS} s per phase, redis ${SERVER}, 2 cores, load average ${LOAD}, ${RUNS} runs | server CPU ${D} µs/command at the defaults (--sample-reads 10%), ${F} µs at 100% | the same load alone: ${B} µs/command | **${RD}× at the defaults (goal ≤ 1.25: ${GOAL}), ${RF}× at 100%** | accuracy vs the application's own count: defaults worst hit-rate error ${ACC_D} points, misses exact in $((RUNS - EX_D))/${RUNS} runs; 100%: worst ${ACC_F} points, lookups and misses exact in $((RUNS - EX_F))/${RUNS} runs (worst of runs; the cost includes one keymiss event per miss: ~48% of lookups miss; every missing key is missed ~50 times a second, so most are bursts) | $(date -u +%F) |"
