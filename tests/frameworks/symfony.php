<?php
// Real-client harness: Symfony Cache (Debian php-symfony-cache, 5.4) over phpredis.
//
//   php symfony.php ADAPTER CMD URL PREFIX NAMESPACE ARGS...
//   ADAPTER    redis-tagaware (RedisTagAwareAdapter) | tagaware (TagAwareAdapter over RedisAdapter)
//   PREFIX     phpredis Redis::OPT_PREFIX ("" for none); NAMESPACE the adapter namespace ("" for none)
//   CMD write N TAG...       N items "{TAG}-item-{i}" tagged TAG, per TAG, plus N untagged "untagged-{i}"
//   CMD check N TAG...       JSON {"TAG": {"hits","misses"}, ..., "untagged": {...}}
//   CMD invalidate TAG...    Symfony's own invalidation: invalidateTags([TAG...])
//   CMD race-write SECONDS TAG   keep saving items "{TAG}-race-{i}" tagged TAG; prints {"written": n}
//   CMD check-race N TAG     JSON {"hits","misses"} over the N race items
require '/usr/share/php/Symfony/Component/Cache/autoload.php';

use Symfony\Component\Cache\Adapter\RedisAdapter;
use Symfony\Component\Cache\Adapter\RedisTagAwareAdapter;
use Symfony\Component\Cache\Adapter\TagAwareAdapter;

if ($argc < 6) {
    fwrite(STDERR, "usage: symfony.php ADAPTER CMD URL PREFIX NAMESPACE ARGS...\n");
    exit(2);
}
[, $adapter, $cmd, $url, $prefix, $namespace] = $argv;
$args = array_slice($argv, 6);

$u = parse_url($url);
$redis = new Redis();
$redis->connect($u['host'] ?? '127.0.0.1', $u['port'] ?? 6379);
if ($prefix !== '') {
    $redis->setOption(Redis::OPT_PREFIX, $prefix);
}
switch ($adapter) {
    case 'redis-tagaware':
        $pool = new RedisTagAwareAdapter($redis, $namespace, 3600);
        break;
    case 'tagaware':
        $pool = new TagAwareAdapter(new RedisAdapter($redis, $namespace, 3600));
        break;
    default:
        fwrite(STDERR, "unknown adapter $adapter\n");
        exit(2);
}

function hits($pool, array $keys): int
{
    $n = 0;
    foreach (array_chunk($keys, 500) as $chunk) {
        foreach ($pool->getItems($chunk) as $item) {
            $n += $item->isHit() ? 1 : 0;
        }
    }
    return $n;
}

function save_tagged($pool, string $key, array $tags): void
{
    $item = $pool->getItem($key);
    $item->set("v:$key");
    $item->tag($tags);
    if (!$pool->save($item)) {
        fwrite(STDERR, "save failed: $key\n");
        exit(1);
    }
}

switch ($cmd) {
    case 'write':
        $n = (int) array_shift($args);
        foreach ($args as $tag) {
            for ($i = 0; $i < $n; $i++) {
                save_tagged($pool, "$tag-item-$i", [$tag]);
            }
        }
        for ($i = 0; $i < $n; $i++) {
            $item = $pool->getItem("untagged-$i");
            $pool->save($item->set("v$i"));
        }
        echo json_encode(['written' => $n * (count($args) + 1)]), "\n";
        break;
    case 'check':
        $n = (int) array_shift($args);
        $out = [];
        foreach (array_merge($args, ['untagged']) as $name) {
            $keys = [];
            for ($i = 0; $i < $n; $i++) {
                $keys[] = $name === 'untagged' ? "untagged-$i" : "$name-item-$i";
            }
            $h = hits($pool, $keys);
            $out[$name] = ['hits' => $h, 'misses' => $n - $h];
        }
        echo json_encode($out), "\n";
        break;
    case 'invalidate':
        $ok = $pool->invalidateTags($args);
        echo json_encode(['invalidated' => $args, 'ok' => $ok]), "\n";
        exit($ok ? 0 : 1);
    case 'race-write':
        [$seconds, $tag] = $args;
        $end = microtime(true) + (float) $seconds;
        $i = 0;
        while (microtime(true) < $end) {
            save_tagged($pool, "$tag-race-$i", [$tag]);
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
        $h = hits($pool, $keys);
        echo json_encode(['hits' => $h, 'misses' => (int) $n - $h]), "\n";
        break;
    default:
        fwrite(STDERR, "unknown command $cmd\n");
        exit(2);
}
