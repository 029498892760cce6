#!/usr/bin/env python3
"""Application-like read load for bench/patterns.sh, whose own replies are the truth.

usage: patterns_load.py seed PORT                 -> RESP for `redis-cli --pipe` (the keys)
       patterns_load.py run PORT SECONDS [--wait-marker] [--rounds-per-s N]
           reads for SECONDS (after the window's start marker of `report --patterns` when
           --wait-marker), then prints JSON: per pattern {lookups, misses}.

Families as in tests/it/report_patterns.rs: {hot} 95% (MGET), {warm} 50% (MGET),
{cold} 5% (MGET), {user} 80% (HGET); 2000 keys per MGET family, 1000 hashes; first, a
stampede: 50 GETs of one missing key, {promo}:item:424242, in one pipeline.
"""
import json, socket, sys, time

RANGE, USERS, PIPE = 2000, 1000, 20
FAMS = {"hot": lambda m: m != 19, "warm": lambda m: m % 2 == 0, "cold": lambda m: m == 0}
PATTERN = {"hot": "{hot}:item:*", "warm": "{warm}:item:*", "cold": "{cold}:item:*",
           "user": "{user}:*:profile", "promo": "{promo}:item:*"}


def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def seed(port):
    w = sys.stdout.buffer
    for fam, exists in FAMS.items():
        for i in range(RANGE):
            if exists(i % 20):
                w.write(resp("SET", "{%s}:item:%d" % (fam, i), "v"))
    for i in range(USERS):
        if i % 5 != 4:
            w.write(resp("HSET", "{user}:%d:profile" % i, "name", "x"))


def read_reply(f):
    line = f.readline()
    t, rest = line[:1], line[1:-2]
    if t == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)
        return data[:-2]
    if t == b"*":
        n = int(rest)
        return None if n < 0 else [read_reply(f) for _ in range(n)]
    if t in (b"+", b":"):
        return rest
    raise RuntimeError(line)


def wait_marker(port):
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    s.sendall(resp("PSUBSCRIBE", "cachectl:patterns:*"))
    read_reply(f)
    while True:
        m = read_reply(f)
        if m and m[0] == b"pmessage" and m[3].endswith(b":1:start"):
            return


def run(port, secs, marker, rounds_per_s):
    if marker:
        wait_marker(port)
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    truth = {p: {"lookups": 0, "misses": 0} for p in PATTERN.values()}
    s.sendall(resp("GET", "{promo}:item:424242") * 50)
    for _ in range(50):
        truth[PATTERN["promo"]]["lookups"] += 1
        truth[PATTERN["promo"]]["misses"] += read_reply(f) is None
    r, t0, cmds = 0, time.monotonic(), 50
    while time.monotonic() - t0 < secs:
        if rounds_per_s and r >= rounds_per_s * (time.monotonic() - t0):
            time.sleep(0.01)
            continue
        batch, kinds = [], []
        for _ in range(PIPE):
            off = (r * 20) % RANGE
            for fam in FAMS:
                batch.append(resp("MGET", *["{%s}:item:%d" % (fam, i) for i in range(off, off + 20)]))
                kinds.append(fam)
            off = (r * 5) % USERS
            for i in range(off, off + 5):
                batch.append(resp("HGET", "{user}:%d:profile" % i, "name"))
                kinds.append("user")
            r += 1
        s.sendall(b"".join(batch))
        for fam in kinds:
            v = read_reply(f)
            t = truth[PATTERN[fam]]
            if isinstance(v, list):
                t["lookups"] += len(v)
                t["misses"] += sum(1 for x in v if x is None)
            else:
                t["lookups"] += 1
                t["misses"] += v is None
        cmds += len(kinds)
    print(json.dumps({"commands": cmds, "seconds": time.monotonic() - t0, "patterns": truth}))


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]))
    else:
        rps = int(sys.argv[sys.argv.index("--rounds-per-s") + 1]) if "--rounds-per-s" in sys.argv else 0
        run(int(sys.argv[2]), float(sys.argv[3]), "--wait-marker" in sys.argv, rps)
