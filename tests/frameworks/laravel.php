<?php
// Real-client harness: Laravel's tagged Redis cache (Debian php-laravel-framework, 8.x) over phpredis.
//
//   php laravel.php CMD URL REDIS_PREFIX CACHE_PREFIX ARGS...
//   REDIS_PREFIX  the connection's `options.prefix` (REDIS_PREFIX; phpredis OPT_PREFIX), "" for none
//   CACHE_PREFIX  the cache store prefix (config cache.prefix; RedisStore adds ":"), "" for none
//   CMD write N TAG...       N items "{TAG}-item-{i}" per TAG via Cache::tags([TAG]) (even i with a TTL:
//                            standard_ref; odd i forever: forever_ref), plus N untagged "untagged-{i}"
//   CMD check N TAG...       JSON {"TAG": {"hits","misses"}, ..., "untagged": {...}}
//   CMD invalidate TAG...    Laravel's own invalidation: Cache::tags([TAG])->flush(), per TAG
//   CMD race-write SECONDS TAG   keep putting items "{TAG}-race-{i}" tagged TAG; prints {"written": n}
//   CMD check-race N TAG     JSON {"hits","misses"} over the N race items
require '/usr/share/php/Illuminate/Cache/autoload.php';
require '/usr/share/php/Illuminate/Redis/autoload.php';

use Illuminate\Cache\RedisStore;
use Illuminate\Cache\Repository;
use Illuminate\Redis\RedisManager;

if ($argc < 5) {
    fwrite(STDERR, "usage: laravel.php CMD URL REDIS_PREFIX CACHE_PREFIX ARGS...\n");
    exit(2);
}
[, $cmd, $url, $redisPrefix, $cachePrefix] = $argv;
$args = array_slice($argv, 5);

$u = parse_url($url);
$config = [
    'client' => 'phpredis',
    'options' => ['prefix' => $redisPrefix],
    'default' => ['host' => $u['host'] ?? '127.0.0.1', 'port' => $u['port'] ?? 6379, 'database' => 0],
];
$manager = new RedisManager(null, 'phpredis', $config);
$cache = new Repository(new RedisStore($manager, $cachePrefix, 'default'));

function hits($cache, string $tag, array $keys): int
{
    $n = 0;
    foreach ($keys as $k) {
        $v = $tag === '' ? $cache->get($k) : $cache->tags([$tag])->get($k);
        $n += $v !== null ? 1 : 0;
    }
    return $n;
}

switch ($cmd) {
    case 'write':
        $n = (int) array_shift($args);
        foreach ($args as $tag) {
            for ($i = 0; $i < $n; $i++) {
                if ($i % 2 === 0) {
                    $cache->tags([$tag])->put("$tag-item-$i", "v$i", 3600);
                } else {
                    $cache->tags([$tag])->forever("$tag-item-$i", "v$i");
                }
            }
        }
        for ($i = 0; $i < $n; $i++) {
            $cache->put("untagged-$i", "v$i", 3600);
        }
        echo json_encode(['written' => $n * (count($args) + 1)]), "\n";
        break;
    case 'check':
        $n = (int) array_shift($args);
        $out = [];
        foreach ($args as $tag) {
            $keys = [];
            for ($i = 0; $i < $n; $i++) {
                $keys[] = "$tag-item-$i";
            }
            $h = hits($cache, $tag, $keys);
            $out[$tag] = ['hits' => $h, 'misses' => $n - $h];
        }
        $keys = [];
        for ($i = 0; $i < $n; $i++) {
            $keys[] = "untagged-$i";
        }
        $h = hits($cache, '', $keys);
        $out['untagged'] = ['hits' => $h, 'misses' => $n - $h];
        echo json_encode($out), "\n";
        break;
    case 'invalidate':
        foreach ($args as $tag) {
            $cache->tags([$tag])->flush();
        }
        echo json_encode(['invalidated' => $args]), "\n";
        break;
    case 'race-write':
        [$seconds, $tag] = $args;
        $end = microtime(true) + (float) $seconds;
        $i = 0;
        while (microtime(true) < $end) {
            $cache->tags([$tag])->put("$tag-race-$i", 'v', 3600);
            $i++;
        }
        echo json_encode(['written' => $i]), "\n";
        break;
    case 'check-race':
        [$n, $tag] = $args;
        $keys = [];
        for ($i = 0; $i < (int) $n; $i++) {
            $keys[] = "$tag-race-$i";
        }
        $h = hits($cache, $tag, $keys);
        echo json_encode(['hits' => $h, 'misses' => (int) $n - $h]), "\n";
        break;
    default:
        fwrite(STDERR, "unknown command $cmd\n");
        exit(2);
}
