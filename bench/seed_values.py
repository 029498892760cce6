#!/usr/bin/env python3
"""Emit RESP (for `redis-cli --pipe`) for a keyspace whose values differ in kind, the one
`analyze --values` is shown on (README) and measured on (BENCHMARKS.md).

usage: seed_values.py N     N keys, a quarter each of:
  doc:<n>   JSON documents of ~1.5 KiB (an API response cache)
  blob:<n>  1.5 KiB of random bytes (already-encrypted or compressed payloads)
  gz:<n>    the same JSON documents, gzip-compressed
  flag:<n>  tiny strings ("on" / "off")
Deterministic: the same N gives the same bytes.
"""
import gzip
import json
import random
import sys

WORDS = ["cache", "latency", "origin", "replica", "eviction", "shard", "window", "budget"]


from seed import resp  # bench/seed.py: one RESP encoder for the seeding scripts


def doc(rng, i):
    items = [
        {
            "sku": "SKU-%06d" % rng.randrange(1_000_000),
            "qty": rng.randrange(1, 10),
            "price": round(rng.random() * 100, 2),
            "note": " ".join(rng.choice(WORDS) for _ in range(3)),
        }
        for _ in range(14)
    ]
    return json.dumps(
        {"id": i, "user": "user-%d" % i, "email": "user%d@example.com" % i, "active": i % 2 == 0, "items": items},
        separators=(",", ":"),
    ).encode()


def main():
    n = int(sys.argv[1])
    rng = random.Random(20)
    w = sys.stdout.buffer
    buf = []
    for i in range(n):
        kind = i % 4
        k = i // 4
        if kind == 0:
            buf.append(resp("SET", "doc:%d" % k, doc(rng, k)))
        elif kind == 1:
            buf.append(resp("SET", "blob:%d" % k, rng.randbytes(1536)))
        elif kind == 2:
            buf.append(resp("SET", "gz:%d" % k, gzip.compress(doc(rng, k), mtime=0)))
        else:
            buf.append(resp("SET", "flag:%d" % k, "on" if k % 3 == 0 else "off"))
        if len(buf) >= 10000:
            w.write(b"".join(buf))
            buf.clear()
    w.write(b"".join(buf))


if __name__ == "__main__":
    main()
