#!/usr/bin/env bash
# Benchmark: `cachectl analyze` (full per-pattern analysis) vs `redis-cli --memkeys
# --memkeys-samples 0` (totals per type only) on the same fresh redis-server, same run.
# Also records cachectl's peak RSS at 100k and at N keys: it must not grow with the keyspace.
#
# usage: bash bench/analyze.sh [KEYS=1000000] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
KEYS=${1:-1000000}
RUNS=${2:-3}

cargo build --release --quiet
BIN=$PWD/target/release/cachectl
start_redis

echo "seeding 100,000 keys"
python3 bench/seed.py 100000 | redis-cli -p "$PORT" --pipe >/dev/null
RSS_100K=$(measure "$BIN" --url "$URL" analyze -o json | cut -d' ' -f2)

echo "seeding $KEYS keys (mixed namespaces and types)"
python3 bench/seed.py "$KEYS" | redis-cli -p "$PORT" --pipe >/dev/null
DBSIZE=$(redis-cli -p "$PORT" dbsize)

: > "$WORK/cachectl.t"; : > "$WORK/rediscli.t"; : > "$WORK/rss"
for i in $(seq "$RUNS"); do
  read -r w r < <(measure "$BIN" --url "$URL" analyze -o json)
  echo "$w" >> "$WORK/cachectl.t"; echo "$r" >> "$WORK/rss"
  read -r w _ < <(measure redis-cli -p "$PORT" --memkeys --memkeys-samples 0)
  echo "$w" >> "$WORK/rediscli.t"
  echo "  run $i: cachectl $(tail -1 "$WORK/cachectl.t")s  redis-cli $(tail -1 "$WORK/rediscli.t")s"
done
C=$(median < "$WORK/cachectl.t"); R=$(median < "$WORK/rediscli.t"); RSS=$(sort -n "$WORK/rss" | tail -1)

# correctness in the same run: key count and total memory against redis-cli
"$BIN" --url "$URL" analyze -o json > "$WORK/a.json"
redis-cli -p "$PORT" --memkeys --memkeys-samples 0 > "$WORK/m.txt"
read -r KEYS_OURS MEM_OURS PATTERNS < <(python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
print(sum(p["keys"] for p in r["patterns"]), sum(p["memory_bytes"] for p in r["patterns"]), len(r["patterns"]))' "$WORK/a.json")
MEM_CLI=$(awk '/ with [0-9]+ bytes/ {for(i=1;i<=NF;i++) if($i=="with") s+=$(i+1)} END {print s}' "$WORK/m.txt")

RATIO=$(python3 -c "print(f'{$C/$R:.2f}')")
CPUS=$(nproc); SERVER=$(redis-server --version | awk '{print $3}' | cut -d= -f2)
echo
echo "keys=$DBSIZE patterns=$PATTERNS  cachectl=${C}s  redis-cli --memkeys=${R}s  ratio=$RATIO"
echo "peak RSS: ${RSS_100K} KB at 100k keys, ${RSS} KB at $DBSIZE keys"
echo "keys counted: $KEYS_OURS (DBSIZE $DBSIZE); memory: cachectl $MEM_OURS vs redis-cli $MEM_CLI bytes"

ROW="| analyze | $DBSIZE keys, $PATTERNS patterns, redis $SERVER, $CPUS cores | cachectl analyze ${C} s | redis-cli --memkeys --memkeys-samples 0 ${R} s | **${RATIO}× the time** (≤ 1.0 required) | peak RSS $((RSS/1024)) MiB at $DBSIZE keys, $((RSS_100K/1024)) MiB at 100k | $(date -u +%Y-%m-%d) |"
update_benchmarks "analyze" "$ROW"
