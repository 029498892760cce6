#!/usr/bin/env bash
# Benchmark: unthrottled `cachectl warm` throughput (rows/s from a CSV file into SETs with a
# TTL) against `redis-benchmark -t set -P 16` with the same value size, same server, same run.
#
# usage: bash bench/warm.sh [ROWS=500000] [VALUE_BYTES=100] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROWS=${1:-500000}
SIZE=${2:-100}
RUNS=${3:-3}
command -v redis-benchmark >/dev/null || { echo "redis-benchmark is required (apt-get install redis-tools)"; exit 1; }

cargo build --release --quiet
BIN=$PWD/target/release/cachectl
start_redis

# rows: id and a value of exactly SIZE bytes
python3 - "$ROWS" "$SIZE" > "$WORK/rows.csv" <<'PY'
import sys
n, size = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
out.write("id,value\n")
pad = "x" * size
for i in range(n):
    out.write(f"{i},{pad}\n")
PY

VALUE=$(python3 -c "print('x' * $SIZE)")
cachectl_rate() { # extra warm flags -> rows/s
  redis-cli -p "$PORT" flushall >/dev/null   # the benchmark's own server: a clean slate per run
  "$BIN" --url "redis://127.0.0.1:$PORT" warm --source "$WORK/rows.csv" --key 'warm:{id}' \
    --value '{value}' "$@" -o json > "$WORK/w.json" 2>/dev/null
  python3 - "$WORK/w.json" "$ROWS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
assert r["written"] == int(sys.argv[2]), r
print(round(r["written"] / (r["duration_ms"] / 1000)))
PY
}
bench_rate() { # redis-benchmark args -> requests/s
  redis-cli -p "$PORT" flushall >/dev/null
  redis-benchmark -p "$PORT" -P 16 -n "$ROWS" -r "$ROWS" -q "$@" \
    | tr '\r' '\n' | awk '/requests per second/ {for (i=1;i<=NF;i++) if ($i=="requests") v=$(i-1)} END {printf "%d\n", v}'
}
: > "$WORK/c"; : > "$WORK/b"; : > "$WORK/ct"; : > "$WORK/bt"
for i in $(seq "$RUNS"); do
  cachectl_rate >> "$WORK/c"
  bench_rate -t set -d "$SIZE" >> "$WORK/b"
  cachectl_rate --ttl 1h --ttl-jitter 0 >> "$WORK/ct"
  bench_rate SET 'key:__rand_int__' "$VALUE" PX 3600000 >> "$WORK/bt"
  echo "  run $i: no TTL: cachectl $(tail -1 "$WORK/c") rows/s, redis-benchmark -t set $(tail -1 "$WORK/b") SET/s;" \
       "TTL: cachectl $(tail -1 "$WORK/ct") rows/s, redis-benchmark SET … PX $(tail -1 "$WORK/bt") SET/s"
done
C=$(median < "$WORK/c"); B=$(median < "$WORK/b"); CT=$(median < "$WORK/ct"); BT=$(median < "$WORK/bt")
PCT=$(python3 -c "print(f'{100*$C/$B:.0f}')"); PCTT=$(python3 -c "print(f'{100*$CT/$BT:.0f}')")
SERVER=$(redis-server --version | awk '{print $3}' | cut -d= -f2)
echo
echo "$ROWS rows of $SIZE B, no TTL: cachectl warm $C rows/s vs redis-benchmark -t set -P 16 $B SET/s: ${PCT}%"
echo "$ROWS rows of $SIZE B, TTL 1h: cachectl warm $CT rows/s vs redis-benchmark -P 16 SET … PX $BT SET/s: ${PCTT}%"

ROW1="| warm | $ROWS rows from a CSV file, ${SIZE} B values, no TTL, unthrottled, redis $SERVER, $(nproc) cores | cachectl warm $C rows/s | redis-benchmark -t set -P 16 -d $SIZE $B SET/s | **${PCT}% of redis-benchmark** | CSV parsing and templates included | $(date -u +%Y-%m-%d) |"
ROW2="| warm (TTL) | the same rows with --ttl 1h | cachectl warm $CT rows/s | redis-benchmark -P 16 SET key:__rand_int__ <$SIZE B> PX 3600000 $BT SET/s | **${PCTT}% of redis-benchmark** | an expiry roughly halves the server's SET rate for both | $(date -u +%Y-%m-%d) |"
update_benchmarks "warm" "$ROW1" "$ROW2"
