#!/usr/bin/env bash
# Benchmark: what `analyze --values 200` costs on top of `analyze`, online and from the dump
# (`--rdb`), on the keyspace of bench/seed_values.py (JSON, random bytes, gzip, tiny strings),
# and, in the same run, its measured saving against Python's zlib at level 6 on every JSON
# value of the server (the baseline: a whole-keyspace figure, where cachectl samples 200).
#
# usage: bash bench/values.sh [KEYS=400000] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
KEYS=${1:-400000}
RUNS=${2:-3}

cargo build --release --quiet
BIN=$PWD/target/release/cachectl
start_redis

echo "seeding $KEYS keys (bench/seed_values.py)"
python3 bench/seed_values.py "$KEYS" | redis-cli -p "$PORT" --pipe >/dev/null
redis-cli -p "$PORT" save >/dev/null
DUMP=$WORK/dump.rdb
DBSIZE=$(redis-cli -p "$PORT" dbsize)
MB=$(python3 -c "import os; print(f'{os.path.getsize(\"$DUMP\")/1e6:.0f}')")

for f in on on_v rdb rdb_v rss_v; do : > "$WORK/$f"; done
for i in $(seq "$RUNS"); do
  read -r w _ < <(measure "$BIN" --no-progress --url "$URL" analyze -o json); echo "$w" >> "$WORK/on"
  read -r w _ < <(measure "$BIN" --no-progress --url "$URL" analyze --values 200 -o json); echo "$w" >> "$WORK/on_v"
  read -r w _ < <(measure "$BIN" --no-progress analyze --rdb "$DUMP" -o json); echo "$w" >> "$WORK/rdb"
  read -r w r < <(measure "$BIN" --no-progress analyze --rdb "$DUMP" --values 200 -o json)
  echo "$w" >> "$WORK/rdb_v"; echo "$r" >> "$WORK/rss_v"
  echo "  run $i: online $(tail -1 "$WORK/on")s, --values $(tail -1 "$WORK/on_v")s; --rdb $(tail -1 "$WORK/rdb")s, --values $(tail -1 "$WORK/rdb_v")s"
done
ON=$(median < "$WORK/on"); ONV=$(median < "$WORK/on_v")
RDB=$(median < "$WORK/rdb"); RDBV=$(median < "$WORK/rdb_v"); RSS=$(sort -n "$WORK/rss_v" | tail -1)

# the figures, and zlib -6 on every doc:* value of the server
"$BIN" --no-progress analyze --rdb "$DUMP" --values 200 -o json > "$WORK/v.json"
read -r ZSTD LZ4 US < <(python3 -c '
import json, re, sys
r = json.load(open(sys.argv[1]))
p = next(p for p in r["patterns"] if p["pattern"] == "doc:*")
f = next(f["message"] for f in r["findings"] if f["message"].startswith("compress `doc:*`"))
print(p["compressible_pct"], p["compressible_lz4_pct"], re.search(r"≈ (\d+) µs per value", f).group(1))' "$WORK/v.json")
ZLIB=$(python3 - "$PORT" <<'PY'
import socket, sys, zlib
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
f = s.makefile("rb")
def cmd(*a):
    s.sendall(b"*%d\r\n" % len(a) + b"".join(b"$%d\r\n%s\r\n" % (len(x), x) for x in a))
def reply():
    line = f.readline()
    if line[:1] == b"$":
        n = int(line[1:])
        return None if n < 0 else f.read(n + 2)[:-2]
    if line[:1] == b"*":
        return [reply() for _ in range(int(line[1:]))]
    return line
raw = packed = 0
cursor = b"0"
while True:
    cmd(b"SCAN", cursor, b"MATCH", b"doc:*", b"COUNT", b"1000")
    cursor, keys = reply()
    for k in keys:
        cmd(b"GET", k)
    for _ in keys:
        v = reply()
        raw += len(v)
        packed += min(len(zlib.compress(v, 6)), len(v))
    if cursor == b"0":
        break
print(f"{100 * (raw - packed) / raw:.1f}")
PY
)
ONR=$(python3 -c "print(f'{$ONV/$ON:.2f}')"); RDBR=$(python3 -c "print(f'{$RDBV/$RDB:.2f}')")
CPUS=$(nproc); SERVER=$(redis-server --version | awk '{print $3}' | cut -d= -f2)
echo
echo "keys=$DBSIZE dump=${MB} MB  online ${ON}s → --values ${ONV}s (${ONR}×)  --rdb ${RDB}s → --values ${RDBV}s (${RDBR}×)"
echo "doc:* zstd saves ${ZSTD}% (sample of 200), zlib -6 ${ZLIB}% (every value); lz4 ${LZ4}%; ${US} µs per value"

ROW="| analyze --values | $DBSIZE keys (JSON, random bytes, gzip, tiny strings: bench/seed_values.py; ${MB} MB dump), redis $SERVER, $CPUS cores | online analyze --values 200 ${ONV} s; --rdb --values 200 ${RDBV} s | online analyze ${ON} s; --rdb ${RDB} s; zlib -6 on every doc:* value ${ZLIB}% saved | **${ONR}× online, ${RDBR}× offline** (--rdb: ≤ 1.5× required); doc:* zstd saves ${ZSTD}% (200 sampled) vs zlib -6 ${ZLIB}% | lz4 ${LZ4}%; zstd ${US} µs per value; peak RSS of --rdb --values $((RSS/1024)) MiB | $(date -u +%Y-%m-%d) |"
update_benchmarks "analyze --values" "$ROW"
