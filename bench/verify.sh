#!/usr/bin/env bash
# Benchmark: unthrottled `cachectl verify` throughput (keys checked per second) against a
# source and against a second server, beside `cachectl warm`'s rate for the same rows and
# `redis-benchmark -t get -P 16` (the server's own GET rate: a ceiling for any reader), in
# paired runs: each run warms both servers, then measures verify --source, verify --against
# and redis-benchmark back to back. Reports medians, and checks that every run found the
# rows fresh (a run that checks nothing fast is no result).
#
# usage: bash bench/verify.sh [ROWS=200000] [RUNS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROWS=${1:-200000}
RUNS=${2:-5}
command -v redis-benchmark >/dev/null || { echo "redis-benchmark is required (apt-get install redis-tools)"; exit 1; }

cargo build --release --quiet
BIN=$PWD/target/release/cachectl
start_redis
# the second deployment, beside the first
PORT2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$PORT2" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis2.log" --daemonize yes --pidfile "$WORK/redis2.pid" --dbfilename two.rdb
# both servers stopped (and gone) before their directory is removed
trap 'redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1; redis-cli -p "$PORT2" shutdown nosave >/dev/null 2>&1; rm -rf "$WORK"' EXIT
until redis-cli -p "$PORT2" ping >/dev/null 2>&1; do sleep 0.1; done
URL2="redis://127.0.0.1:$PORT2"

# rows: JSON lines of ~100 bytes, as a catalog would hold them
python3 - "$ROWS" > "$WORK/rows.jsonl" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"id": i, "name": f"plan {i}", "price": i * 1.5, "tier": "gold" if i % 3 else "silver", "tags": ["a", "b"]}))
PY

warm_rate() { # url -> rows/s
  redis-cli -u "$1" flushall >/dev/null   # the benchmark's own servers: a clean slate per run
  "$BIN" --url "$1" warm --source "$WORK/rows.jsonl" --key 'plan:{id}' --ttl 1h --ttl-jitter 0 \
    -o json > "$WORK/w.json" 2>/dev/null
  python3 - "$WORK/w.json" "$ROWS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
assert r["written"] == int(sys.argv[2]), r
print(round(r["written"] / (r["duration_ms"] / 1000)))
PY
}
verify_rate() { # verify args -> keys/s (every key fresh)
  "$BIN" --url "$URL" verify "$@" -o json > "$WORK/v.json" 2>/dev/null
  python3 - "$WORK/v.json" "$ROWS" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r["total"]
assert (t["checked"], t["fresh"], r["status"]) == (int(sys.argv[2]),) * 2 + ("ok",), (t, r["status"])
print(round(t["checked"] / (r["duration_ms"] / 1000)))
PY
}
bench_get() { # -> GET/s of existing keys
  redis-benchmark -p "$PORT" -P 16 -n "$ROWS" -r "$ROWS" -q get 'plan:__rand_int__' \
    | tr '\r' '\n' | awk '/requests per second/ {for (i=1;i<=NF;i++) if ($i=="requests") v=$(i-1)} END {printf "%d\n", v}'
}

for f in w s a g; do : > "$WORK/$f"; done
for i in $(seq "$RUNS"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  w=$(warm_rate "$URL"); warm_rate "$URL2" >/dev/null
  s=$(verify_rate --source "$WORK/rows.jsonl" --key 'plan:{id}')
  a=$(verify_rate --against "$URL2")
  g=$(bench_get)
  for v in w s a g; do echo "${!v}" >> "$WORK/$v"; done
  echo "  run $i (load $load): warm $w rows/s; verify --source $s keys/s; verify --against $a keys/s; redis-benchmark GET -P 16 $g/s"
done
W=$(median < "$WORK/w"); S=$(median < "$WORK/s"); A=$(median < "$WORK/a"); G=$(median < "$WORK/g")
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
SERVER=$(redis-server --version | awk '{print $3}' | cut -d= -f2)
echo
echo "$ROWS rows: warm $W rows/s; verify --source $S keys/s ($(ratio "$S" "$W")× warm); verify --against $A keys/s ($(ratio "$A" "$W")× warm); redis-benchmark GET -P 16 $G/s"

ROW1="| verify (source) | $ROWS JSON rows (~100 B) warmed, then verified from the same file, unthrottled, redis $SERVER, $(nproc) cores, $RUNS runs | cachectl verify --source $S keys/s | cachectl warm of the same rows $W rows/s; redis-benchmark GET -P 16 $G GET/s | **$(ratio "$S" "$W")× warm's rate**, $(ratio "$S" "$G")× of the server's GET rate | JSON parsing and templates included; PTTL + GET per key; every key checked fresh | $(date -u +%Y-%m-%d) |"
ROW2="| verify (against) | the same $ROWS keys on two servers, SCAN on the first, read on both | cachectl verify --against $A keys/s | cachectl warm $W rows/s | **$(ratio "$A" "$W")× warm's rate** | SCAN, then TYPE + PTTL + GET per key on both sides (one pipeline per node each): three commands per key on each server against warm's one SET; every key checked fresh | $(date -u +%Y-%m-%d) |"
update_benchmarks "verify" "$ROW1" "$ROW2"
