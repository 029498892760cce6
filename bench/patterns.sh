#!/usr/bin/env bash
# Benchmark: what `cachectl report --patterns` costs the server, and how close it gets.
# The same application-like load (bench/patterns_load.py, its own replies are the truth) runs
# five ways in each run, for each load mix:
# - miss-heavy: 4 key families with hit rates 95%, 50%, 5% via MGET of 20 keys and 80% via
#   HGET: ~48% of lookups miss, ~4 keymiss events per command;
# - typical: a production-like cache: single-key GETs (95% hit), MGETs of 5 keys (90%), HGETs
#   (60%), 7% SETs: ~92% of lookups hit, ~0.1 keymiss event per command;
# - large-values: typical, but the SETs write 1000-byte values: MONITOR's own cost (the
#   server formats every argument byte; ~40x per SET on Redis 7.0) against --monitor-budget;
# alone (the baseline); alone with `notify-keyspace-events Exem` set and nobody subscribed
# (the server's own cost of the key-events exact misses need: no cachectl in it); under
# `report --patterns --sample-reads 0` (the key-events delivered to cachectl, no MONITOR); at
# the defaults (--sample-reads 10%); and at `--sample-reads 100%` — odd runs in that order,
# even runs in the reverse one. Every phase starts on a server already under the same load (on
# keys of its own), as a production server is when the run starts: the run measures the
# server's CPU per command before it adds its key-events, and holds its whole cost (key-events
# and MONITOR) within 1.2x of it. The server is pinned to one CPU, the load and cachectl to
# the other (run-to-run noise ~4%, ~12% unpinned).
# The server's CPU time per command is
# Δ(used_cpu_sys + used_cpu_user) / Δtotal_commands_processed (INFO) over the counted load;
# ratios are the median (range) of each run's paired ratios.
# Accuracy: each family's hit rate and every pattern's misses against the truth.
#
# usage: bash bench/patterns.sh [LOAD_SECONDS=8] [RUNS=3] [MIX=all|miss-heavy|typical|large-values]
# (all: one after the other on the same server, one BENCHMARKS.md row per mix)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SECS=${1:-8}
RUNS=${2:-3}
MIX=${3:-all}
case $MIX in
  all | both) MIXES="miss-heavy typical large-values" ;;
  miss-heavy | typical | large-values) MIXES=$MIX ;;
  *) echo "MIX: all, miss-heavy, typical or large-values (not $MIX)" >&2; exit 2 ;;
esac
# the window: the counted load and 1 s more (the counted load inside it whole, for the accuracy
# check; nothing else in it: a load on other keys there would bias the sample, whose slices are
# not spread evenly when the governor cuts them)
INTERVAL=$((SECS + 1))

cargo build --release --quiet
BIN=$PWD/target/release/cachectl
start_redis
pin_server

# phase NAME [cachectl args...]: one load, alone (no args) or inside one report window;
# NAME events: alone, with the key-event flags set for it (and put back after it);
# appends "µs_per_command" to $WORK/NAME.cpu, the truth and the report to $WORK/NAME.{truth,json}
# (NAME is "$M-base" etc.: $M is the mix). Every phase starts on a loaded server (--lead-in: the
# same load on keys of its own, as a production server is when the run starts, so the run
# measures its CPU per command before adding key-events); the counted load runs from the
# window's start marker for $SECS s; the server's CPU and commands over it are read by the load
# itself (INFO).
phase() {
  local kind=$1 name=$M-$1; shift
  if [ $# -eq 0 ]; then
    [ "$kind" = events ] && redis-cli -p "$PORT" config set notify-keyspace-events Exem >/dev/null
    $ON_CLIENT_CPU python3 bench/patterns_load.py run "$PORT" "$SECS" --mix "$M" --lead-in --cpu > "$WORK/$name.truth"
    redis-cli -p "$PORT" config set notify-keyspace-events "" >/dev/null
  else
    $ON_CLIENT_CPU python3 bench/patterns_load.py run "$PORT" "$SECS" --mix "$M" --wait-marker --lead-in --cpu \
      > "$WORK/$name.truth" &
    local load=$!
    for _ in $(seq 200); do
      [ "$(redis-cli -p "$PORT" pubsub numpat)" -ge 1 ] && break
      sleep 0.05
    done
    $ON_CLIENT_CPU "$BIN" --url "$URL" report --patterns --interval "${INTERVAL}s" --latency-samples 5 \
      --fail-on never -o json "$@" > "$WORK/$name.json" 2>"$WORK/$name.err"
    wait "$load"
  fi
  python3 -c "import json,sys; t=json.load(open(sys.argv[1])); print(f\"{t['server_cpu_s']*1e6/max(1,t['server_commands']):.3f}\")" "$WORK/$name.truth" >> "$WORK/$name.cpu"
}

# sampled NAME -> the median sampled share (%) of the node over the runs of NAME
sampled() {
  for f in "$WORK/$1".json.*; do python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['windows'][0]['pattern_nodes'][0]['sampled_pct'])" "$f"; done | median
}

# governed NAME -> what the run measured and did: its sampled share, MONITOR's and the key-events'
# cost ratios (pattern_nodes of its window)
governed() {
  python3 -c "import json,sys; n=json.load(open(sys.argv[1]))['windows'][0]['pattern_nodes'][0]; print(f\"sampled {n['sampled_pct']}%, MONITOR {n['monitor_cost_ratio']}x, events {n['events_cost_ratio']}x\")" "$WORK/$1.json"
}

# accuracy NAME -> "max |hit rate - truth| points of the families, misses exact (yes/no)"
accuracy() {
  python3 - "$WORK/$1.truth" "$WORK/$1.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["patterns"]; r = json.load(open(sys.argv[2]))
rows = {x["pattern"]: x for x in r["windows"][0]["patterns"]}
worst, exact = 0.0, True
for p, v in t.items():
    want = (v["lookups"] - v["misses"]) * 100 / v["lookups"]
    got = rows[p]["hit_rate_pct"]
    # the load's families; not {promo} (50 GETs of one key in 1 ms: a burst that a slice
    # sees whole or not at all, scaled as if it lasted the window: its interval is wide)
    if not p.startswith("{promo}"):
        worst = max(worst, abs(got - want))
    exact &= rows[p]["misses"] == v["misses"]
    if r["patterns"]["sample_reads_pct"] >= 100:
        exact &= rows[p]["lookups"] == v["lookups"]
print(f"{worst:.2f} {'yes' if exact else 'no'}")
PY
}

SERVER=$(redis-server --version | awk '{print $3}' | cut -d= -f2)
ROWS=()
for M in $MIXES; do
  echo "== $M load"
  python3 bench/patterns_load.py seed "$PORT" --mix "$M" | redis-cli -p "$PORT" --pipe >/dev/null
  for i in $(seq "$RUNS"); do
    # odd runs in one order, even runs in the other: a drift of the machine within a run
    # moves the paired ratios both ways instead of one
    ORDER="base events events-only defaults full"
    [ $((i % 2)) -eq 0 ] && ORDER="full defaults events-only events base"
    for p in $ORDER; do
      case $p in
        base | events) phase "$p" ;;
        events-only) phase "$p" --sample-reads 0 ;;
        defaults) phase defaults --sample-reads 10% ;;
        full) phase full --sample-reads 100% ;;
      esac
    done
    for n in defaults full; do accuracy "$M-$n" >> "$WORK/$M-$n.acc"; cp "$WORK/$M-$n.json" "$WORK/$M-$n.json.$i"; done
    echo "  run $i: µs/command alone $(tail -1 "$WORK/$M-base.cpu"), flags set $(tail -1 "$WORK/$M-events.cpu"), --sample-reads 0 $(tail -1 "$WORK/$M-events-only.cpu"), defaults $(tail -1 "$WORK/$M-defaults.cpu") ($(tail -1 "$WORK/$M-defaults.acc"); $(governed "$M-defaults")), 100% $(tail -1 "$WORK/$M-full.cpu") ($(tail -1 "$WORK/$M-full.acc"))"
  done
  B=$(median < "$WORK/$M-base.cpu"); E=$(median < "$WORK/$M-events.cpu"); S=$(median < "$WORK/$M-events-only.cpu"); D=$(median < "$WORK/$M-defaults.cpu"); F=$(median < "$WORK/$M-full.cpu")
  # ratios: the median (and range) of each run's own ratios (its phases ran back to back, so
  # the machine's drift moves both sides of a ratio)
  ratio() { paste -d' ' "$WORK/$M-$1.cpu" "$WORK/$M-base.cpu" | awk '{printf "%.3f\n", $1/$2}' > "$WORK/$M-$1.ratio"
    printf '%.2f (%.2f–%.2f)' "$(median < "$WORK/$M-$1.ratio")" "$(sort -n "$WORK/$M-$1.ratio" | head -1)" "$(sort -n "$WORK/$M-$1.ratio" | tail -1)"; }
  RE=$(ratio events); RS=$(ratio events-only); RD=$(ratio defaults); RF=$(ratio full)
  RD_MED=$(median < "$WORK/$M-defaults.ratio")
  ACC_D=$(sort -n "$WORK/$M-defaults.acc" | tail -1 | cut -d' ' -f1)
  EX_D=$(grep -c ' no' "$WORK/$M-defaults.acc" || true); EX_F=$(grep -c ' no' "$WORK/$M-full.acc" || true)
  ACC_F=$(sort -n "$WORK/$M-full.acc" | tail -1 | cut -d' ' -f1)
  # the load's own shape, from the truth of the load alone: commands/s, miss share, misses per command
  read -r CMDS MISSPCT MPC < <(python3 -c "
import json; t = json.load(open('$WORK/$M-base.truth')); p = t['patterns'].values()
l, m = sum(v['lookups'] for v in p), sum(v['misses'] for v in p)
print(int(t['commands'] / t['seconds']), round(m * 100 / l), f\"{m / t['commands']:.2f}\")")
  LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  echo
  echo "$M load: ~${CMDS} commands/s, ${MISSPCT}% of lookups miss (${MPC} keymiss events per command); load average ${LOAD}"
  echo "server CPU per command: alone ${B} µs, the server's own key-events (flags set, no cachectl) ${E} µs (${RE}×), --patterns --sample-reads 0 (the key-events delivered, no MONITOR) ${S} µs (${RS}×), --patterns defaults ${D} µs (${RD}×), 100% ${F} µs (${RF}×)"
  echo "accuracy: defaults worst hit-rate error ${ACC_D} points, misses exact in $((RUNS - EX_D))/$RUNS runs; 100%: worst ${ACC_F} points, lookups+misses exact in $((RUNS - EX_F))/$RUNS runs"
  echo
  GOAL=$(python3 -c "print('met' if $RD_MED <= 1.25 else 'NOT met')")
  case $M in
    miss-heavy) SHAPE="MGET of 20 keys ×3 families (95/50/5% hit), HGET (80%)"
      NOTE="every missing key is missed ~50 times a second, so most are bursts" ;;
    typical) SHAPE="of the reads 85% GET (95% hit), 10% MGET of 5 keys (90%), 5% HGET (60%); 7% of commands SET"
      NOTE="a production-like hit rate" ;;
    large-values) SHAPE="typical, with 1000-byte values in the SETs"
      NOTE="MONITOR's cost per SET is ~40x here, so --monitor-budget cuts the sampled share: sampled $(sampled "$M-defaults")% of the window at the defaults" ;;
  esac
  update_benchmarks "report --patterns ($M load)" \
    "| report --patterns ($M load) | application-like load: ${SHAPE}; ~${CMDS} commands/s alone on one connection (pipelined), ${SECS} s per phase, redis ${SERVER}, 2 cores (the server pinned to one, load and cachectl on the other), load average ${LOAD}, ${RUNS} runs | server CPU ${D} µs/command at the defaults (--sample-reads 10%), ${F} µs at 100% | the same load alone: ${B} µs/command; alone with the key-event flags set and no cachectl: ${E} µs (${RE}×: the server's own cost of exact misses); with them delivered to cachectl (--sample-reads 0, no MONITOR): ${S} µs (${RS}×) | **${RD}× at the defaults (goal ≤ 1.25: ${GOAL}), ${RF}× at 100%** | accuracy vs the application's own count: defaults worst hit-rate error ${ACC_D} points, misses exact in $((RUNS - EX_D))/${RUNS} runs; 100%: worst ${ACC_F} points, lookups and misses exact in $((RUNS - EX_F))/${RUNS} runs (worst of runs; the cost includes one keymiss event per miss: ${MISSPCT}% of lookups miss, ${MPC} events per command; ${NOTE}) | $(date -u +%F) |"
done
