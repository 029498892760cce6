#!/usr/bin/env bash
# Shared by the benchmark scripts: a throwaway redis-server, medians, timed runs with peak RSS,
# and BENCHMARKS.md rows.

# start_redis: a fresh server on a free port; sets PORT, URL and WORK, stops it on exit.
start_redis() {
  command -v redis-server >/dev/null || { echo "redis-server is required (apt-get install redis-server)"; exit 1; }
  WORK=$(mktemp -d)
  # BENCH_PORT: a port of your own (helpers on a shared machine); else a free one
  PORT=${BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
  redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
    --logfile "$WORK/redis.log" --daemonize yes --pidfile "$WORK/redis.pid"
  # the server gone before its directory (it may still be writing its log)
  trap 'p=$(cat "$WORK/redis.pid" 2>/dev/null); kill "$p" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; rm -rf "$WORK"' EXIT
  until redis-cli -p "$PORT" ping >/dev/null 2>&1; do sleep 0.1; done
  URL="redis://127.0.0.1:$PORT"
}

# pin_server: with 2+ CPUs, the server alone on CPU 0 and what drives it ($ON_CLIENT_CPU, a
# prefix for commands) on the others: the server's CPU time per command then moves ~4% between
# identical runs, ~12% unpinned (other processes sharing its core and caches)
pin_server() {
  ON_CLIENT_CPU=""
  if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
    taskset -p -c 0 "$(cat "$WORK/redis.pid")" >/dev/null
    ON_CLIENT_CPU="taskset -c 1-$(($(nproc) - 1))"
  fi
}

# median < numbers
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# update_benchmarks "PREFIX" ROW...: replace the rows of BENCHMARKS.md's results table whose
# first cell is PREFIX (or "PREFIX (…)") with ROW...
update_benchmarks() {
  python3 - "$@" <<'PY'
import sys
prefix, rows = sys.argv[1], sys.argv[2:]
path = "BENCHMARKS.md"
text = open(path).read()
head = "| benchmark | workload | cachectl | baseline | result | notes | date |\n|---|---|---|---|---|---|---|\n"
if head not in text:
    text = text.rstrip() + "\n\n## Results\n\n" + head
mine = lambda l: l.startswith(f"| {prefix} |") or l.startswith(f"| {prefix} (")
lines = [l for l in text.splitlines() if not mine(l)]
out = "\n".join(lines).replace(head.rstrip("\n"), head.rstrip("\n") + "\n" + "\n".join(rows), 1)
open(path, "w").write(out.rstrip() + "\n")
PY
  echo "BENCHMARKS.md updated"
}

# run CMD... -> "wall_seconds peak_rss_kb" (wait4 of the child)
measure() {
  python3 - "$@" <<'PY'
import os, subprocess, sys, time
t = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, ru = os.wait4(p.pid, 0)
wall = time.perf_counter() - t
if os.waitstatus_to_exitcode(status) != 0:
    sys.exit(f"command failed: {sys.argv[1:]}")
print(f"{wall:.3f} {ru.ru_maxrss}")
PY
}
