#!/usr/bin/env python3
"""Emit RESP for a realistic mixed keyspace (for `redis-cli --pipe`).

usage: seed.py N                  N keys over the TreeBeard/Datapunk namespaces
       seed.py N --target PREFIX  N string keys PREFIX<uuid> (an invalidation target)
Namespaces:
  user_profile:v1:user_<n> (string, TTL ~24h)   cache:response:<md5> (string, TTL ~5m)
  session:<uuid> (string, TTL 30m)              usage_analysis:v1:user_<n>:2024-<mm> (hash)
  app:lake:user:<n>:profile (list)              leaderboard:game_<n> (zset)
  plan_catalog:v1:plan_<n> (string, TTL 1h)     recommendations:v1:user_<n> (set, no TTL)
"""
import hashlib
import sys
import uuid

def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)

def target(n, prefix):
    w = sys.stdout.buffer
    buf = []
    for i in range(n):
        buf.append(resp("SET", f"{prefix}{uuid.UUID(int=(i * 40503) << 64 | i)}", "v" * 64, "EX", 3600))
        if len(buf) >= 10000:
            w.write(b"".join(buf))
            buf.clear()
    w.write(b"".join(buf))

def main():
    n = int(sys.argv[1])
    if len(sys.argv) > 3 and sys.argv[2] == "--target":
        return target(n, sys.argv[3])
    w = sys.stdout.buffer
    buf = []
    for i in range(n):
        kind = i % 8
        j = i // 8
        if kind == 0:
            buf.append(resp("SET", f"user_profile:v1:user_{j}", "p" * (60 + j % 200), "EX", 86000 + j % 800))
        elif kind == 1:
            h = hashlib.md5(str(j).encode()).hexdigest()
            buf.append(resp("SET", f"cache:response:{h}", '{"status":200,"body":"' + "x" * (j % 300) + '"}', "EX", 240 + j % 120))
        elif kind == 2:
            buf.append(resp("SET", f"session:{uuid.UUID(int=(j * 2654435761) << 64 | j)}", "s" * 40, "EX", 1800))
        elif kind == 3:
            buf.append(resp("HSET", f"usage_analysis:v1:user_{j // 12}:2024-{j % 12 + 1:02d}", "kwh", j % 900, "cost", j % 77))
        elif kind == 4:
            buf.append(resp("RPUSH", f"app:lake:user:{j}:profile", "name", "plan", "zip"))
        elif kind == 5:
            buf.append(resp("ZADD", f"leaderboard:game_{j}", 1, "a", 2, "b", 3, "c"))
        elif kind == 6:
            buf.append(resp("SET", f"plan_catalog:v1:plan_{j}", "{}" * (j % 50), "EX", 3300 + j % 600))
        else:
            buf.append(resp("SADD", f"recommendations:v1:user_{j}", "plan_1", "plan_2"))
        if len(buf) >= 10000:
            w.write(b"".join(buf))
            buf.clear()
    w.write(b"".join(buf))

if __name__ == "__main__":
    main()
