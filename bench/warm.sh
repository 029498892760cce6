#!/usr/bin/env bash
# Benchmark: unthrottled `cachectl warm` throughput (rows/s from a CSV file into SETs with a
# TTL) against `redis-benchmark -t set -P 16` with the same value size, same server, same run.
#
# usage: bash bench/warm.sh [ROWS=500000] [VALUE_BYTES=100] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-500000}
SIZE=${2:-100}
RUNS=${3:-3}
command -v redis-benchmark >/dev/null || { echo "redis-benchmark is required (apt-get install redis-tools)"; exit 1; }

cargo build --release --quiet
BIN=$PWD/target/release/cachectl
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" --daemonize yes --pidfile "$WORK/redis.pid"
trap 'kill "$(cat "$WORK/redis.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT
until redis-cli -p "$PORT" ping >/dev/null 2>&1; do sleep 0.1; done

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
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
C=$(median < "$WORK/c"); B=$(median < "$WORK/b"); CT=$(median < "$WORK/ct"); BT=$(median < "$WORK/bt")
PCT=$(python3 -c "print(f'{100*$C/$B:.0f}')"); PCTT=$(python3 -c "print(f'{100*$CT/$BT:.0f}')")
SERVER=$(redis-server --version | awk '{print $3}' | cut -d= -f2)
echo
echo "$ROWS rows of $SIZE B, no TTL: cachectl warm $C rows/s vs redis-benchmark -t set -P 16 $B SET/s: ${PCT}%"
echo "$ROWS rows of $SIZE B, TTL 1h: cachectl warm $CT rows/s vs redis-benchmark -P 16 SET … PX $BT SET/s: ${PCTT}%"

ROW1="| warm | $ROWS rows from a CSV file, ${SIZE} B values, no TTL, unthrottled, redis $SERVER, $(nproc) cores | cachectl warm $C rows/s | redis-benchmark -t set -P 16 -d $SIZE $B SET/s | **${PCT}% of redis-benchmark** | CSV parsing and templates included | $(date -u +%Y-%m-%d) |"
ROW2="| warm (TTL) | the same rows with --ttl 1h | cachectl warm $CT rows/s | redis-benchmark -P 16 SET key:__rand_int__ <$SIZE B> PX 3600000 $BT SET/s | **${PCTT}% of redis-benchmark** | an expiry roughly halves the server's SET rate for both | $(date -u +%Y-%m-%d) |"
python3 - "$ROW1" "$ROW2" <<'PY'
import sys
rows = sys.argv[1:]
path = "BENCHMARKS.md"
text = open(path).read()
head = "| benchmark | workload | cachectl | baseline | result | notes | date |\n|---|---|---|---|---|---|---|\n"
if head not in text:
    text = text.rstrip() + "\n\n## Results\n\n" + head
lines = [l for l in text.splitlines() if not l.startswith("| warm |") and not l.startswith("| warm (TTL) |")]
out = "\n".join(lines).replace(head.rstrip("\n"), head.rstrip("\n") + "\n" + "\n".join(rows), 1)
open(path, "w").write(out.rstrip() + "\n")
PY
echo "BENCHMARKS.md updated"
