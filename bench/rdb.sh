#!/usr/bin/env bash
# Benchmark: offline `cachectl analyze --rdb` on a 1M-key dump vs online `cachectl analyze`
# of the same server, and vs rdbtools (`rdbtools-tikon93`, the fork that reads RDB 10+:
# `rdb -c memory`) on the same file; peak RSS of --rdb at 100k and 1M keys (streaming);
# online `analyze --detail` vs `redis-cli --memkeys`. One run, same data.
#
# Throughput of --rdb in MB/s and keys/s (goal: >= 150 MB/s), and of the parser alone with and
# without value items (`cargo bench --bench rdb_parse`: --values 200 at most 1.5x the time).
#
# usage: bash bench/rdb.sh [KEYS=1000000] [RUNS=3]
# rdbtools: pip install rdbtools-tikon93 (skipped with a note when `rdb` is not installed);
# its `-c memory` report crashes on listpack zsets, so `-c justkeys` (a full parse) is timed
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
KEYS=${1:-1000000}
RUNS=${2:-3}

cargo build --release --quiet
cargo bench --no-run --quiet --bench rdb_parse 2>/dev/null
BIN=$PWD/target/release/cachectl
start_redis

echo "seeding 100,000 keys"
python3 bench/seed.py 100000 | redis-cli -p "$PORT" --pipe >/dev/null
redis-cli -p "$PORT" save >/dev/null
RSS_100K=$(measure "$BIN" analyze --rdb "$WORK/dump.rdb" -o json | cut -d' ' -f2)

echo "seeding $KEYS keys (mixed namespaces and types)"
python3 bench/seed.py "$KEYS" | redis-cli -p "$PORT" --pipe >/dev/null
redis-cli -p "$PORT" save >/dev/null
DBSIZE=$(redis-cli -p "$PORT" dbsize)
SIZE=$(stat -c %s "$WORK/dump.rdb")

: > "$WORK/off.t"; : > "$WORK/on.t"; : > "$WORK/rss"; : > "$WORK/det.t"; : > "$WORK/mk.t"
for i in $(seq "$RUNS"); do
  read -r w r < <(measure "$BIN" analyze --rdb "$WORK/dump.rdb" -o json)
  echo "$w" >> "$WORK/off.t"; echo "$r" >> "$WORK/rss"
  read -r w _ < <(measure "$BIN" --url "$URL" analyze -o json)
  echo "$w" >> "$WORK/on.t"
  read -r w _ < <(measure "$BIN" --url "$URL" analyze --detail -o json)
  echo "$w" >> "$WORK/det.t"
  read -r w _ < <(measure redis-cli -p "$PORT" --memkeys --memkeys-samples 0)
  echo "$w" >> "$WORK/mk.t"
  echo "  run $i: --rdb $(tail -1 "$WORK/off.t")s  online $(tail -1 "$WORK/on.t")s  --detail $(tail -1 "$WORK/det.t")s  memkeys $(tail -1 "$WORK/mk.t")s"
done
OFF=$(median < "$WORK/off.t"); ON=$(median < "$WORK/on.t"); RSS=$(sort -n "$WORK/rss" | tail -1)
MBS=$(python3 -c "print(f'{$SIZE/1e6/$OFF:.0f}')"); KPS=$(python3 -c "print(f'{$DBSIZE/$OFF/1e6:.2f}')")
LOAD=$(cut -d' ' -f1 /proc/loadavg)
DET=$(median < "$WORK/det.t"); MK=$(median < "$WORK/mk.t")
# (right after the runs: the dump's keys with a 4-6 minute TTL must still be there online)
# correctness in the same run: key counts per pattern identical, memory within 5% in total
"$BIN" --url "$URL" analyze -o json > "$WORK/on.json"
"$BIN" analyze --rdb "$WORK/dump.rdb" -o json > "$WORK/off.json"
read -r SAME MEMERR PATTERNS < <(python3 -c '
import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))
ka={p["pattern"]:p["keys"] for p in a["patterns"]}; kb={p["pattern"]:p["keys"] for p in b["patterns"]}
ma=sum(p["memory_bytes"] for p in a["patterns"]); mb=sum(p["memory_bytes"] for p in b["patterns"])
print("yes" if ka==kb else "NO", f"{(mb-ma)/ma*100:+.2f}", len(ka))' "$WORK/on.json" "$WORK/off.json")
echo "parser alone (best of 5, from memory)"
PARSER=$(cargo bench --quiet --bench rdb_parse -- "$WORK/dump.rdb" 200 5 2>/dev/null | tail -1)
echo "  $PARSER"


RDBT="not installed"; RDBX=""
if command -v rdb >/dev/null; then
  # `rdb -c memory` of rdbtools-tikon93 0.2.0 raises on listpack zsets ("Could not find
  # encoding or sizeof_value"), so its full parse without the memory report is timed
  echo "rdbtools (one run, it is slow)"
  read -r RT _ < <(measure rdb -c justkeys -f "$WORK/rdbtools.txt" "$WORK/dump.rdb")
  RDBT="rdbtools rdb -c justkeys ${RT} s"
  RDBX=", **$(python3 -c "print(f'{$RT/$OFF:.0f}')")× faster than rdbtools** ($(python3 -c "print(f'{$SIZE/1e6/$RT:.1f}')") MB/s)"
fi

R1=$(python3 -c "print(f'{$OFF/$ON:.2f}')"); R2=$(python3 -c "print(f'{$DET/$MK:.2f}')")
CPUS=$(nproc); SERVER=$(redis-server --version | awk '{print $3}' | cut -d= -f2)
echo
echo "dump $SIZE bytes, $DBSIZE keys: --rdb ${OFF}s = ${MBS} MB/s, ${KPS}M keys/s (load $LOAD), online ${ON}s (ratio $R1), $RDBT"
echo "peak RSS --rdb: ${RSS_100K} KB at 100k, ${RSS} KB at $DBSIZE keys"
echo "per-pattern key counts identical: $SAME; memory estimate vs MEMORY USAGE: ${MEMERR}%"
echo "--detail ${DET}s vs redis-cli --memkeys ${MK}s (ratio $R2)"

ROW1="| analyze --rdb | $DBSIZE keys ($((SIZE/1048576)) MiB dump), $PATTERNS patterns, redis $SERVER, $CPUS cores | cachectl analyze --rdb ${OFF} s = **${MBS} MB/s**, ${KPS}M keys/s (≥ 150 MB/s required) | online cachectl analyze ${ON} s; $RDBT | **${R1}× the online time** (≤ 0.5 required)$RDBX | peak RSS $((RSS/1024)) MiB at $DBSIZE keys, $((RSS_100K/1024)) MiB at 100k; key counts per pattern identical: $SAME; memory ${MEMERR}% vs MEMORY USAGE; parser alone: $PARSER; load average $LOAD | $(date -u +%Y-%m-%d) |"
ROW2="| analyze --detail | $DBSIZE keys, redis $SERVER, $CPUS cores | cachectl analyze --detail ${DET} s | redis-cli --memkeys --memkeys-samples 0 ${MK} s | **${R2}× the time** (≤ 1.0 required) | OBJECT ENCODING + element count per key | $(date -u +%Y-%m-%d) |"
update_benchmarks "analyze --rdb" "$ROW1"
update_benchmarks "analyze --detail" "$ROW2"
