#!/usr/bin/env bash
# Benchmark: delete a 100k-key pattern out of 1M keys with `cachectl invalidate pattern` and
# with `redis-cli --scan --pattern P | xargs -n 1000 redis-cli unlink`, same server, same run.
# The target keys are re-created before every measured run, so each run faces 1M keys.
# SLOWLOG (threshold 1 ms) records the longest single server call during cachectl's runs.
#
# usage: bash bench/invalidate.sh [KEYS=1000000] [TARGET=100000] [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
KEYS=${1:-1000000}
TARGET=${2:-100000}
RUNS=${3:-3}

cargo build --release --quiet
BIN=$PWD/target/release/cachectl
start_redis
cli() { redis-cli -p "$PORT" "$@"; }
PREFIX="invalidate:target:"
PATTERN="${PREFIX}*"

echo "seeding $((KEYS - TARGET)) background keys"
python3 bench/seed.py "$((KEYS - TARGET))" | cli --pipe >/dev/null
seed_target() { python3 bench/seed.py "$TARGET" --target "$PREFIX" | cli --pipe >/dev/null; }
now() { python3 -c 'import time; print(time.perf_counter())'; }

: > "$WORK/c.t"; : > "$WORK/r.t"; MAXCALL_US=0
for i in $(seq "$RUNS"); do
  seed_target
  [ "$(cli dbsize)" = "$KEYS" ] || { echo "expected $KEYS keys, found $(cli dbsize)"; exit 1; }
  cli config set slowlog-log-slower-than 1000 >/dev/null; cli slowlog reset >/dev/null
  t0=$(now)
  "$BIN" --url "redis://127.0.0.1:$PORT" invalidate pattern "$PATTERN" --yes -o json > "$WORK/c.json"
  t1=$(now)
  us=$(cli --json slowlog get 1000 | python3 -c 'import json,sys; print(max([e[2] for e in json.load(sys.stdin)] or [0]))')
  [ "$us" -gt "$MAXCALL_US" ] && MAXCALL_US=$us
  deleted=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows"][0]["deleted"])' "$WORK/c.json")
  [ "$deleted" = "$TARGET" ] || { echo "cachectl deleted $deleted, expected $TARGET"; exit 1; }
  [ "$(cli dbsize)" = "$((KEYS - TARGET))" ] || { echo "wrong keys left after cachectl"; exit 1; }
  python3 -c "print(f'{$t1-$t0:.3f}')" >> "$WORK/c.t"

  seed_target
  t0=$(now)
  cli --scan --pattern "$PATTERN" | xargs -n 1000 redis-cli -p "$PORT" unlink > /dev/null
  t1=$(now)
  [ "$(cli dbsize)" = "$((KEYS - TARGET))" ] || { echo "wrong keys left after redis-cli"; exit 1; }
  python3 -c "print(f'{$t1-$t0:.3f}')" >> "$WORK/r.t"
  echo "  run $i: cachectl $(tail -1 "$WORK/c.t")s  redis-cli|xargs $(tail -1 "$WORK/r.t")s"
done
C=$(median < "$WORK/c.t"); R=$(median < "$WORK/r.t")
SPEEDUP=$(python3 -c "print(f'{$R/$C:.1f}')")
MAXCALL_MS=$(python3 -c "print(f'{$MAXCALL_US/1000:.1f}')")
SERVER=$(redis-server --version | awk '{print $3}' | cut -d= -f2)
echo
echo "delete $TARGET of $KEYS keys: cachectl ${C}s, redis-cli --scan | xargs redis-cli unlink ${R}s: ${SPEEDUP}x faster"
echo "longest single server call during cachectl runs: ${MAXCALL_MS} ms (SLOWLOG, 1 ms threshold; 0 = none over 1 ms)"

ROW="| invalidate | delete $TARGET of $KEYS keys by pattern, redis $SERVER, $(nproc) cores | cachectl invalidate pattern ${C} s | redis-cli --scan --pattern \\| xargs -n 1000 redis-cli unlink ${R} s | **${SPEEDUP}x faster** | longest server call ${MAXCALL_MS} ms | $(date -u +%Y-%m-%d) |"
update_benchmarks "invalidate" "$ROW"
