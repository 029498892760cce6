"""Layouts no package installs here, written exactly as their framework source writes them
(docs/tag-layouts.md quotes the lines). Same interface as the real-client harnesses:

  newer_layouts.py LAYOUT CMD URL P S ARGS...
  LAYOUT  laravel-zset        Laravel 10 RedisTagSet: ZADD {P}{S}tag:{T}:entries, then SET the item (S + ":")
          laravel11-zset      Laravel 11-13: the same, but RedisStore::setPrefix keeps S as given
                              (the skeleton's `laravel_cache_`: no ":" added)
          symfony7            Symfony 6.3+ RedisTagAwareAdapter: SETEX item, SADD {P}{S}\\x01tags\\x01{T}
          symfony7-tagaware   Symfony 6.3+ TagAwareAdapter: version key {P}{S}{T}\\x01tags\\x01
  P       the client key prefix (phpredis OPT_PREFIX / REDIS_PREFIX), "" for none
  S       Laravel cache prefix / Symfony namespace ("" for none; a ":" is added as the frameworks do,
          but for laravel11-zset)
  CMD write N TAG... | check N TAG... | invalidate TAG... | race-write SECONDS TAG | check-race N TAG
"""

import hashlib
import json
import os
import sys
import time

import redis

TTL = 3600

# RedisTagAwareAdapter::doInvalidate, verbatim (symfony/cache 7.x)
SYMFONY_INVALIDATE = """
redis.replicate_commands()
local cursor = '0'
local id = KEYS[1]
repeat
    local result = redis.call('SSCAN', id, cursor, 'COUNT', 5000);
    cursor = result[1];
    local rems = {}
    for _, v in ipairs(result[2]) do
        local ok, _ = pcall(redis.call, 'DEL', ARGV[1]..v)
        if ok then
            table.insert(rems, v)
        end
    end
    if 0 < #rems then
        redis.call('SREM', id, unpack(rems))
    end
until '0' == cursor;
redis.call('SUNIONSTORE', '{'..id..'}'..id, id)
redis.call('DEL', id)
return redis.call('SSCAN', '{'..id..'}'..id, '0', 'COUNT', 5000)
"""


class Layout:
    def __init__(self, r, p, s):
        self.r, self.p = r, p.encode()
        self.s = (s + ":" if s and not s.endswith(":") else s).encode()

    def key(self, name):
        return self.p + self.s + name.encode()


class LaravelZset(Layout):
    """RedisTaggedCache::put → RedisTagSet::addEntry (ZADD, score = expiry or -1), then
    parent::put (SETEX {P}{S}sha1(ns):key); item keys: TaggedCache::itemKey = sha1(namespace):key,
    namespace = 'tag:{T}:entries'."""

    def entry(self, tag, key):
        return hashlib.sha1(f"tag:{tag}:entries".encode()).hexdigest() + ":" + key

    def index(self, tag):
        return self.key(f"tag:{tag}:entries")

    def put(self, tag, key, forever=False):
        e = self.entry(tag, key)
        score = -1 if forever else int(time.time()) + TTL
        self.r.zadd(self.index(tag), {e: score})
        if forever:
            self.r.set(self.key(e), b's:1:"v";')
        else:
            self.r.set(self.key(e), b's:1:"v";', ex=TTL)

    def plain(self, key):
        self.r.set(self.key(key), b's:1:"v";', ex=TTL)

    def hit(self, tag, key):
        return self.r.exists(self.key(self.entry(tag, key) if tag else key)) == 1

    def invalidate(self, tag):
        # TaggedCache::flush (10.x/11.x): flushValues (ZSCAN entries, DEL {S}entry in chunks of
        # 1000), then tags->flush() → RedisTagSet::resetTag → forget (DEL the zset)
        ix, cursor = self.index(tag), 0
        while True:
            cursor, entries = self.r.zscan(ix, cursor, count=1000)
            keys = [self.key(e.decode()) for e, _ in entries]
            for i in range(0, len(keys), 1000):
                self.r.delete(*keys[i : i + 1000])
            if cursor == 0:
                break
        self.r.delete(ix)


class Symfony7(Layout):
    """AbstractTagAwareAdapter (TAGS_PREFIX "\\1tags\\1") + RedisTagAwareAdapter::doSave: SETEX the
    item id (namespace:key), then SADD {P}{ns:}\\1tags\\1{T} id (members without P)."""

    def index(self, tag):
        return self.key("\x01tags\x01" + tag)

    def put(self, tag, key, forever=False):
        pipe = self.r.pipeline(transaction=False)
        pipe.set(self.key(key), b"\x9d" + b"v", ex=TTL)
        pipe.sadd(self.index(tag), self.s + key.encode())
        pipe.execute()

    def plain(self, key):
        self.r.set(self.key(key), b"v", ex=TTL)

    def hit(self, tag, key):
        return self.r.exists(self.key(key)) == 1

    def invalidate(self, tag):
        self.r.eval(SYMFONY_INVALIDATE, 1, self.index(tag), self.p)


class Symfony7TagAware(Layout):
    """TagAwareAdapter 6.3+: version key {P}{ns:}{T}\\1tags\\1 (random_bytes(6) when missing,
    saved without expiry); the item stores its tags' versions; a read is a hit only when
    they all match. invalidateTags = deleteItems([T."\\1tags\\1"]) on the tags pool."""

    def vkey(self, tag):
        return self.key(tag + "\x01tags\x01")

    def version(self, tag, create):
        v = self.r.get(self.vkey(tag))
        if v is None and create:
            v = os.urandom(6)
            self.r.set(self.vkey(tag), v)
        return v

    def put(self, tag, key, forever=False):
        v = self.version(tag, True)
        self.r.set(self.key(key), json.dumps({"v": "v", "tags": {tag: v.hex()}}), ex=TTL)

    def plain(self, key):
        self.r.set(self.key(key), json.dumps({"v": "v", "tags": {}}), ex=TTL)

    def hit(self, tag, key):
        raw = self.r.get(self.key(key))
        if raw is None:
            return False
        for t, v in json.loads(raw)["tags"].items():
            cur = self.version(t, False)
            if cur is None or cur.hex() != v:
                return False
        return True

    def invalidate(self, tag):
        self.r.delete(self.vkey(tag))


class Laravel11Zset(LaravelZset):
    """Laravel 11-13 (RedisStore::setPrefix: `$this->prefix = $prefix;`, no ':' appended; the
    12.x skeleton's cache prefix is `Str::slug(APP_NAME, '_').'_cache_'`): the index is
    {P}{S}tag:{T}:entries with S exactly as configured."""

    def __init__(self, r, p, s):
        self.r, self.p, self.s = r, p.encode(), s.encode()


LAYOUTS = {"laravel-zset": LaravelZset, "laravel11-zset": Laravel11Zset, "symfony7": Symfony7, "symfony7-tagaware": Symfony7TagAware}


def main(argv):
    if len(argv) < 6 or argv[1] not in LAYOUTS:
        print(__doc__, file=sys.stderr)
        return 2
    layout, cmd, url, p, s = argv[1:6]
    args = argv[6:]
    l = LAYOUTS[layout](redis.Redis.from_url(url), p, s)
    if cmd == "write":
        n, tags = int(args[0]), args[1:]
        for tag in tags:
            for i in range(n):
                l.put(tag, f"{tag}-item-{i}", forever=i % 2 == 1)
        for i in range(n):
            l.plain(f"untagged-{i}")
        print(json.dumps({"written": n * (len(tags) + 1)}))
    elif cmd == "check":
        n, tags = int(args[0]), args[1:]
        out = {}
        for tag in tags:
            h = sum(l.hit(tag, f"{tag}-item-{i}") for i in range(n))
            out[tag] = {"hits": h, "misses": n - h}
        h = sum(l.hit(None, f"untagged-{i}") for i in range(n))
        out["untagged"] = {"hits": h, "misses": n - h}
        print(json.dumps(out))
    elif cmd == "invalidate":
        for tag in args:
            l.invalidate(tag)
        print(json.dumps({"invalidated": args}))
    elif cmd == "race-write":
        seconds, tag = float(args[0]), args[1]
        end, i = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            l.put(tag, f"{tag}-race-{i}")
            i += 1
        print(json.dumps({"written": i}))
    elif cmd == "check-race":
        n, tag = int(args[0]), args[1]
        h = sum(l.hit(tag, f"{tag}-race-{i}") for i in range(n))
        print(json.dumps({"hits": h, "misses": n - h}))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
