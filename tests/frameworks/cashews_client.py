"""Real-client harness for cashews (Python, PyPI) tag invalidation tests.

Usage (URL like redis://127.0.0.1:PORT; PREFIX is an application key prefix put before every
item key, "" for none; cashews itself adds no prefix in Redis):
  cashews_client.py write URL PREFIX N TAG...     N items "{PREFIX}{TAG}-item-{i}" tagged TAG per TAG,
                                                   plus N untagged "{PREFIX}untagged-{i}"
  cashews_client.py check URL PREFIX N TAG...     JSON {"TAG": {"hits","misses"}, "untagged": {...}}
  cashews_client.py invalidate URL PREFIX TAG...  cashews' own invalidation: cache.delete_tags
  cashews_client.py race-write URL PREFIX SECONDS TAG
                                                   tag items "{PREFIX}{TAG}-race-{i}" for SECONDS,
                                                   prints {"written": n}
  cashews_client.py check-race URL PREFIX N TAG   JSON {"hits","misses"} over the N race items
"""

import asyncio
import json
import sys
import time

from cashews import Cache

TTL = 3600


def make(url):
    cache = Cache()
    # client_side=False: the plain redis backend (what `cache.setup("redis://...")` gives)
    cache.setup(url, client_side=False)
    return cache


async def main(argv):
    cmd, url, prefix = argv[1], argv[2], argv[3]
    cache = make(url)
    try:
        if cmd == "write":
            n, tags = int(argv[4]), argv[5:]
            for tag in tags:
                cache.register_tag(tag, prefix + tag + "-item-{i}")
                for i in range(n):
                    await cache.set(f"{prefix}{tag}-item-{i}", f"v{i}", expire=TTL, tags=[tag])
            for i in range(n):
                await cache.set(f"{prefix}untagged-{i}", f"v{i}", expire=TTL)
            print(json.dumps({"written": n * (len(tags) + 1)}))
        elif cmd == "check":
            n, tags = int(argv[4]), argv[5:]
            out = {}
            for name, fmt in [(t, prefix + t + "-item-{}") for t in tags] + [
                ("untagged", prefix + "untagged-{}")
            ]:
                hits = 0
                for i in range(n):
                    if await cache.get(fmt.format(i)) is not None:
                        hits += 1
                out[name] = {"hits": hits, "misses": n - hits}
            print(json.dumps(out))
        elif cmd == "invalidate":
            await cache.delete_tags(*argv[4:])
            print(json.dumps({"invalidated": argv[4:]}))
        elif cmd == "race-write":
            seconds, tag = float(argv[4]), argv[5]
            cache.register_tag(tag, prefix + tag + "-race-{i}")
            end = time.monotonic() + seconds
            i = 0
            while time.monotonic() < end:
                await cache.set(f"{prefix}{tag}-race-{i}", "v", expire=TTL, tags=[tag])
                i += 1
            print(json.dumps({"written": i}))
        elif cmd == "check-race":
            n, tag = int(argv[4]), argv[5]
            hits = 0
            for i in range(n):
                if await cache.get(f"{prefix}{tag}-race-{i}") is not None:
                    hits += 1
            print(json.dumps({"hits": hits, "misses": n - hits}))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    finally:
        await cache.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(asyncio.run(main(sys.argv)))
