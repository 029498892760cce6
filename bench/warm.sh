#!/usr/bin/env bash
# Benchmark: unthrottled `cachectl warm` throughput (rows/s from a CSV file into SETs) against
# `redis-benchmark -P 16` and `-P 64` with the same value size, on the same server, in paired
# runs: each run measures cachectl and then both redis-benchmark depths back to back, so
# machine load moves both sides of each ratio. Reports the median and range of the per-run
# ratios, without and with a TTL (`SET … PX` on both sides).
#
# usage: bash bench/warm.sh [ROWS=300000] [VALUE_BYTES=100] [RUNS=5]   (BENCH_PORT=N: the server's port)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROWS=${1:-300000}
SIZE=${2:-100}
RUNS=${3:-5}
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
bench_rate() { # pipeline depth, redis-benchmark args -> requests/s
  local depth=$1; shift
  redis-cli -p "$PORT" flushall >/dev/null
  redis-benchmark -p "$PORT" -P "$depth" -n "$ROWS" -r "$ROWS" -q "$@" \
    | tr '\r' '\n' | awk '/requests per second/ {for (i=1;i<=NF;i++) if ($i=="requests") v=$(i-1)} END {printf "%d\n", v}'
}
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
# stats < ratios -> "median (min–max)"
stats() { sort -n | awk '{a[NR]=$1} END {printf "%s (%s–%s)", a[int((NR+1)/2)], a[1], a[NR]}'; }

for f in c b16 b64 r16 r64 ct bt16 bt64 rt16 rt64 load; do : > "$WORK/$f"; done
for i in $(seq "$RUNS"); do
  load=$(cut -d' ' -f1 /proc/loadavg); echo "$load" >> "$WORK/load"
  c=$(cachectl_rate); b16=$(bench_rate 16 -t set -d "$SIZE"); b64=$(bench_rate 64 -t set -d "$SIZE")
  ct=$(cachectl_rate --ttl 1h --ttl-jitter 0)
  bt16=$(bench_rate 16 SET 'key:__rand_int__' "$VALUE" PX 3600000)
  bt64=$(bench_rate 64 SET 'key:__rand_int__' "$VALUE" PX 3600000)
  for v in c b16 b64 ct bt16 bt64; do echo "${!v}" >> "$WORK/$v"; done
  ratio "$c" "$b16" >> "$WORK/r16"; ratio "$c" "$b64" >> "$WORK/r64"
  ratio "$ct" "$bt16" >> "$WORK/rt16"; ratio "$ct" "$bt64" >> "$WORK/rt64"
  echo "  run $i (load $load): no TTL: cachectl $c rows/s, -P 16 $b16, -P 64 $b64 SET/s" \
       "($(tail -1 "$WORK/r16")×, $(tail -1 "$WORK/r64")×);" \
       "TTL: cachectl $ct, -P 16 $bt16, -P 64 $bt64 ($(tail -1 "$WORK/rt16")×, $(tail -1 "$WORK/rt64")×)"
done
C=$(median < "$WORK/c"); B16=$(median < "$WORK/b16"); B64=$(median < "$WORK/b64")
CT=$(median < "$WORK/ct"); BT16=$(median < "$WORK/bt16"); BT64=$(median < "$WORK/bt64")
R16=$(stats < "$WORK/r16"); R64=$(stats < "$WORK/r64"); RT16=$(stats < "$WORK/rt16"); RT64=$(stats < "$WORK/rt64")
LOAD=$(sort -n "$WORK/load" | awk 'NR==1 {a=$1} {b=$1} END {print (a==b ? a : a "–" b)}')
SERVER=$(redis-server --version | awk '{print $3}' | cut -d= -f2)
echo
echo "$ROWS rows of $SIZE B, no TTL: cachectl warm $C rows/s; redis-benchmark -t set -P 16 $B16, -P 64 $B64 SET/s"
echo "  per-run ratio, median (range): ${R16}× of -P 16, ${R64}× of -P 64"
echo "$ROWS rows of $SIZE B, TTL 1h: cachectl warm $CT rows/s; SET … PX -P 16 $BT16, -P 64 $BT64 SET/s"
echo "  per-run ratio, median (range): ${RT16}× of -P 16, ${RT64}× of -P 64"
echo "load average during the runs: $LOAD"

ROW1="| warm | $ROWS rows from a CSV file, ${SIZE} B values, no TTL, unthrottled, redis $SERVER, $(nproc) cores, $RUNS paired runs | cachectl warm $C rows/s | redis-benchmark -t set -d $SIZE: -P 16 $B16 SET/s, -P 64 $B64 SET/s | **${R16}× of -P 16, ${R64}× of -P 64** (median (range) of per-run ratios; goal ≥ 0.9 and ≥ 0.8) | CSV parsing and templates included; load average $LOAD | $(date -u +%Y-%m-%d) |"
ROW2="| warm (TTL) | the same rows with --ttl 1h | cachectl warm $CT rows/s | redis-benchmark SET key:__rand_int__ <$SIZE B> PX 3600000: -P 16 $BT16 SET/s, -P 64 $BT64 SET/s | **${RT16}× of -P 16, ${RT64}× of -P 64** | an expiry slows the server's SET for both; load average $LOAD | $(date -u +%Y-%m-%d) |"
update_benchmarks "warm" "$ROW1" "$ROW2"
