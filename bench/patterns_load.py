#!/usr/bin/env python3
"""Application-like read load for bench/patterns.sh, whose own replies are the truth.

usage: patterns_load.py seed PORT [--mix M]       -> RESP for `redis-cli --pipe` (the keys)
       patterns_load.py run PORT SECONDS [--mix M] [--wait-marker] [--rounds-per-s N] [--lead-in]
                                         [--cpu]
           reads for SECONDS (after the window's start marker of `report --patterns` when
           --wait-marker), then prints JSON: per pattern {lookups, misses}; with --cpu also the
           server's CPU seconds and commands over those SECONDS (INFO cpu and stats, read at
           both ends: two commands of its own).
           --lead-in: the same load runs before (until the marker, or for LEAD_IN seconds
           without --wait-marker), on keys of its own ({lead-FAMILY}: patterns the truth
           leaves out, so a batch the marker falls into cannot blur the count): a server
           under load when `report --patterns` starts, as in production, so the run measures
           the server's CPU per command before it adds its key-events.

Three mixes (--mix, default miss-heavy), all starting with a stampede: 50 GETs of one missing
key, {promo}:item:424242, in one pipeline.
- miss-heavy: the families of tests/it/report_patterns.rs: {hot} 95% (MGET), {warm} 50% (MGET),
  {cold} 5% (MGET), {user} 80% (HGET); 2000 keys per MGET family, 1000 hashes; MGETs of 20 keys,
  ~48% of all lookups miss (one keymiss event each).
- typical: a production-like cache: of the reads, 85% single-key GETs of {page} (95% hit),
  10% MGETs of 5 {feed} keys (90% hit), 5% HGETs of {acct} hashes (60% hit), ~92% of lookups
  hit overall; plus SETs that refresh existing {page} keys (7% of all commands), so the designed
  rates stay as they are.
- large-values: typical, but the SETs write 1000-byte values (a cache of rendered fragments or
  serialized objects): on Redis before 7.2 MONITOR formats every argument byte by byte, so
  while it is on these SETs cost the server ~40x what they cost alone.
"""
import json, socket, sys, time

RANGE, USERS, PIPE = 2000, 1000, 20
FAMS = {"hot": lambda m: m != 19, "warm": lambda m: m % 2 == 0, "cold": lambda m: m == 0}
PATTERN = {"hot": "{hot}:item:*", "warm": "{warm}:item:*", "cold": "{cold}:item:*",
           "user": "{user}:*:profile", "promo": "{promo}:item:*"}


from seed import resp  # bench/seed.py: one RESP encoder for the seeding scripts


# typical mix: per round 34 GET, 4 MGET (5 keys), 2 HGET, 3 SET = 43 commands, 4 rounds a batch
T_RANGE, T_USERS, T_MGET, T_ROUNDS = 5000, 1000, 5, 4
T_EXISTS = {"page": lambda i: i % 20 != 0, "feed": lambda i: i % 10 != 0, "acct": lambda i: i % 5 < 3}
T_PATTERN = {"page": "{page}:item:*", "feed": "{feed}:item:*", "acct": "{acct}:*:profile",
             "promo": "{promo}:item:*"}


def seed(port, mix):
    """The keys of the load, and the same again under {lead-*} for --lead-in."""
    w = sys.stdout.buffer
    for pre in ("", "lead-"):
        if mix in T_VALUE:
            for fam in ("page", "feed"):
                for i in range(T_RANGE):
                    if T_EXISTS[fam](i):
                        w.write(resp("SET", "{%s%s}:item:%d" % (pre, fam, i), "v"))
            for i in range(T_USERS):
                if T_EXISTS["acct"](i):
                    w.write(resp("HSET", "{%sacct}:%d:profile" % (pre, i), "name", "x"))
            continue
        for fam, exists in FAMS.items():
            for i in range(RANGE):
                if exists(i % 20):
                    w.write(resp("SET", "{%s%s}:item:%d" % (pre, fam, i), "v"))
        for i in range(USERS):
            if i % 5 != 4:
                w.write(resp("HSET", "{%suser}:%d:profile" % (pre, i), "name", "x"))


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


LEAD_IN = 1.5


def marker_sub(port):
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    s.sendall(resp("PSUBSCRIBE", "cachectl:patterns:*"))
    read_reply(f)
    return s, f


def is_start(m):
    return m and m[0] == b"pmessage" and m[3].endswith(b":1:start")


def wait_marker(port):
    s, f = marker_sub(port)
    while not is_start(read_reply(f)):
        pass
    s.close()


def cpu_cmds(port):
    """The server's (CPU seconds, commands processed) now."""
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    s.sendall(resp("INFO", "cpu") + resp("INFO", "stats"))
    text = read_reply(f).decode() + read_reply(f).decode()
    info = dict(l.split(":", 1) for l in text.splitlines() if ":" in l)
    s.close()
    return (float(info["used_cpu_sys"]) + float(info["used_cpu_user"]),
            int(info["total_commands_processed"]))


def lead_in(port, mix, marker):
    """The load on the {lead-*} keys until the start marker (or for LEAD_IN seconds)."""
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    sub = marker_sub(port) if marker else None
    t0, r, counters = time.monotonic(), 0, {k: 0 for k in (*T_EXISTS, "set")}
    while True:
        if sub:
            sub[0].setblocking(False)
            try:
                chunk = sub[0].recv(65536)
            except BlockingIOError:
                chunk = b""
            sub[0].setblocking(True)
            if b":1:start" in chunk:
                sub[0].close()
                break
        elif time.monotonic() - t0 >= LEAD_IN:
            break
        batch, n = (typical_batch(r, counters, T_VALUE[mix], "lead-") if mix in T_VALUE
                    else miss_heavy_batch(r, "lead-"))
        r += T_ROUNDS if mix in T_VALUE else PIPE
        s.sendall(b"".join(batch))
        for _ in n:
            read_reply(f)
    s.close()


T_VALUE = {"typical": b"v", "large-values": b"x" * 1000}


def typical_batch(r, c, value=b"v", pre=""):
    """T_ROUNDS rounds from round r; c: running per-family counters; pre: the families'
    prefix ("lead-" for the lead-in). -> (batch, kinds)"""
    batch, kinds = [], []
    for _ in range(T_ROUNDS):
        for _ in range(34):
            batch.append(resp("GET", "{%spage}:item:%d" % (pre, c["page"] % T_RANGE)))
            kinds.append("page")
            c["page"] += 1
        for _ in range(4):
            off = (c["feed"] * T_MGET) % T_RANGE
            batch.append(resp("MGET", *["{%sfeed}:item:%d" % (pre, i) for i in range(off, off + T_MGET)]))
            kinds.append("feed")
            c["feed"] += 1
        for _ in range(2):
            batch.append(resp("HGET", "{%sacct}:%d:profile" % (pre, c["acct"] % T_USERS), "name"))
            kinds.append("acct")
            c["acct"] += 1
        for _ in range(3):
            i = (c["set"] * 7) % T_RANGE
            i += not T_EXISTS["page"](i)  # an existing key: the designed rates stay
            batch.append(resp("SET", "{%spage}:item:%d" % (pre, i), value))
            kinds.append("set")
            c["set"] += 1
    return batch, kinds


def miss_heavy_batch(r, pre=""):
    """PIPE rounds from round r. -> (batch, kinds)"""
    batch, kinds = [], []
    for r in range(r, r + PIPE):
        off = (r * 20) % RANGE
        for fam in FAMS:
            batch.append(resp("MGET", *["{%s%s}:item:%d" % (pre, fam, i) for i in range(off, off + 20)]))
            kinds.append(fam)
        off = (r * 5) % USERS
        for i in range(off, off + 5):
            batch.append(resp("HGET", "{%suser}:%d:profile" % (pre, i), "name"))
            kinds.append("user")
    return batch, kinds


def run(port, secs, marker, rounds_per_s, mix, lead, cpu):
    if lead:
        lead_in(port, mix, marker)
    elif marker:
        wait_marker(port)
    cpu0, n0 = cpu_cmds(port) if cpu else (0.0, 0)
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    pattern = T_PATTERN if mix in T_VALUE else PATTERN
    truth = {p: {"lookups": 0, "misses": 0} for p in pattern.values()}
    s.sendall(resp("GET", "{promo}:item:424242") * 50)
    for _ in range(50):
        truth[PATTERN["promo"]]["lookups"] += 1
        truth[PATTERN["promo"]]["misses"] += read_reply(f) is None
    r, t0, cmds, writes, counters = 0, time.monotonic(), 50, 0, {k: 0 for k in T_EXISTS}
    counters["set"] = 0
    while time.monotonic() - t0 < secs:
        if rounds_per_s and r >= rounds_per_s * (time.monotonic() - t0):
            time.sleep(0.01)
            continue
        if mix in T_VALUE:
            batch, kinds = typical_batch(r, counters, T_VALUE[mix])
            r += T_ROUNDS
            s.sendall(b"".join(batch))
            for fam in kinds:
                v = read_reply(f)
                if fam == "set":
                    writes += 1
                    continue
                t = truth[T_PATTERN[fam]]
                if isinstance(v, list):
                    t["lookups"] += len(v)
                    t["misses"] += sum(1 for x in v if x is None)
                else:
                    t["lookups"] += 1
                    t["misses"] += v is None
            cmds += len(kinds)
            continue
        batch, kinds = miss_heavy_batch(r)
        r += PIPE
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
    secs = time.monotonic() - t0
    cpu1, n1 = cpu_cmds(port) if cpu else (0.0, 0)
    print(json.dumps({"mix": mix, "commands": cmds, "writes": writes, "seconds": secs,
                      **({"server_cpu_s": cpu1 - cpu0, "server_commands": n1 - n0} if cpu else {}),
                      "patterns": truth}))


if __name__ == "__main__":
    mix = sys.argv[sys.argv.index("--mix") + 1] if "--mix" in sys.argv else "miss-heavy"
    if mix not in ("miss-heavy", "typical", "large-values"):
        sys.exit(f"unknown --mix {mix} (miss-heavy, typical, large-values)")
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]), mix)
    else:
        rps = int(sys.argv[sys.argv.index("--rounds-per-s") + 1]) if "--rounds-per-s" in sys.argv else 0
        run(int(sys.argv[2]), float(sys.argv[3]), "--wait-marker" in sys.argv, rps, mix,
            "--lead-in" in sys.argv, "--cpu" in sys.argv)
