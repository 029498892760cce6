
use builtin;
use str;

set edit:completion:arg-completer[cachectl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'cachectl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'cachectl'= {
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand analyze 'Key-pattern analysis: keys, memory, types, TTLs and idle time per pattern, in one SCAN pass'
            cand invalidate 'Delete (or expire) keys by exact name, glob, prefix, tag or profile namespace, safely'
            cand warm 'Pre-load keys from a file, a command (psql …) or profile jobs, rate-limited, on a schedule'
            cand report 'Hit rate, evictions, memory and latency per node and per namespace, with SLO checks'
            cand profile 'Validate or print a profile'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cachectl;analyze'= {
            cand --match 'Only keys matching this glob (SCAN MATCH)'
            cand --type 'Only keys of this type (SCAN TYPE): string, list, set, zset, hash, stream'
            cand --sample 'Probe only N keys per node and extrapolate counts and memory from DBSIZE'
            cand --scan-count 'SCAN COUNT hint per call (at most 1000 unless you know better)'
            cand --rate 'Cap the probe rate over all nodes (keys per second), for busy production servers'
            cand --top 'Show only the N patterns using the most memory (0 = all)'
            cand --separators 'Characters that separate key segments'
            cand --big-keys 'How many of the biggest keys to list'
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cachectl;invalidate'= {
            cand --max-keys 'Match first; if more than N keys would go, delete nothing and exit 3'
            cand --soft 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)'
            cand --publish 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)'
            cand --audit-log 'Append one JSON line per run to FILE (also when the run fails)'
            cand --rate 'Cap deletions (or TTL changes) per second'
            cand --batch 'Keys per pipelined delete batch'
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --dry-run 'Count matching keys and show up to 10 of them; delete nothing'
            cand -y 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --yes 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --all 'Allow a pattern that matches every key (`*`, `**`, empty)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand keys 'Exact keys: as arguments, one per line from --from-file F, or from stdin with `-`'
            cand pattern 'Keys matching Redis globs (SCAN MATCH on every primary)'
            cand prefix 'Keys starting with a literal prefix (glob metacharacters are escaped)'
            cand tag 'Keys listed in tag indexes, and the indexes themselves'
            cand namespace 'A profile namespace: its pattern and its tags'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cachectl;invalidate;keys'= {
            cand --from-file 'Read keys from a file, one per line'
            cand --max-keys 'Match first; if more than N keys would go, delete nothing and exit 3'
            cand --soft 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)'
            cand --publish 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)'
            cand --audit-log 'Append one JSON line per run to FILE (also when the run fails)'
            cand --rate 'Cap deletions (or TTL changes) per second'
            cand --batch 'Keys per pipelined delete batch'
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --dry-run 'Count matching keys and show up to 10 of them; delete nothing'
            cand -y 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --yes 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --all 'Allow a pattern that matches every key (`*`, `**`, empty)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cachectl;invalidate;pattern'= {
            cand --max-keys 'Match first; if more than N keys would go, delete nothing and exit 3'
            cand --soft 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)'
            cand --publish 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)'
            cand --audit-log 'Append one JSON line per run to FILE (also when the run fails)'
            cand --rate 'Cap deletions (or TTL changes) per second'
            cand --batch 'Keys per pipelined delete batch'
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --dry-run 'Count matching keys and show up to 10 of them; delete nothing'
            cand -y 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --yes 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --all 'Allow a pattern that matches every key (`*`, `**`, empty)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cachectl;invalidate;prefix'= {
            cand --max-keys 'Match first; if more than N keys would go, delete nothing and exit 3'
            cand --soft 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)'
            cand --publish 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)'
            cand --audit-log 'Append one JSON line per run to FILE (also when the run fails)'
            cand --rate 'Cap deletions (or TTL changes) per second'
            cand --batch 'Keys per pipelined delete batch'
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --dry-run 'Count matching keys and show up to 10 of them; delete nothing'
            cand -y 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --yes 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --all 'Allow a pattern that matches every key (`*`, `**`, empty)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cachectl;invalidate;tag'= {
            cand --tag-format 'cachectl: set `{prefix}tag:{T}`; laravel: zset `{prefix}tag:{T}:entries` (members without the prefix); symfony: set `{prefix}:\x01tags\x01{T}` [default: the profile''s, else cachectl]'
            cand --tag-prefix 'Key prefix (laravel cache prefix, symfony namespace) [default: the profile''s]'
            cand --max-keys 'Match first; if more than N keys would go, delete nothing and exit 3'
            cand --soft 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)'
            cand --publish 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)'
            cand --audit-log 'Append one JSON line per run to FILE (also when the run fails)'
            cand --rate 'Cap deletions (or TTL changes) per second'
            cand --batch 'Keys per pipelined delete batch'
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --dry-run 'Count matching keys and show up to 10 of them; delete nothing'
            cand -y 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --yes 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --all 'Allow a pattern that matches every key (`*`, `**`, empty)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cachectl;invalidate;namespace'= {
            cand --max-keys 'Match first; if more than N keys would go, delete nothing and exit 3'
            cand --soft 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)'
            cand --publish 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)'
            cand --audit-log 'Append one JSON line per run to FILE (also when the run fails)'
            cand --rate 'Cap deletions (or TTL changes) per second'
            cand --batch 'Keys per pipelined delete batch'
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --dry-run 'Count matching keys and show up to 10 of them; delete nothing'
            cand -y 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --yes 'Do not ask for confirmation (asked only when stdin is a terminal)'
            cand --all 'Allow a pattern that matches every key (`*`, `**`, empty)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cachectl;invalidate;help'= {
            cand keys 'Exact keys: as arguments, one per line from --from-file F, or from stdin with `-`'
            cand pattern 'Keys matching Redis globs (SCAN MATCH on every primary)'
            cand prefix 'Keys starting with a literal prefix (glob metacharacters are escaped)'
            cand tag 'Keys listed in tag indexes, and the indexes themselves'
            cand namespace 'A profile namespace: its pattern and its tags'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cachectl;invalidate;help;keys'= {
        }
        &'cachectl;invalidate;help;pattern'= {
        }
        &'cachectl;invalidate;help;prefix'= {
        }
        &'cachectl;invalidate;help;tag'= {
        }
        &'cachectl;invalidate;help;namespace'= {
        }
        &'cachectl;invalidate;help;help'= {
        }
        &'cachectl;warm'= {
            cand --source 'Rows from a file (CSV with a header, or JSON lines), or `-` for stdin'
            cand --source-cmd 'Rows from the standard output of a shell command (psql, mysql, a script)'
            cand --format 'Source format [default: by extension, else sniffed: `{` starts JSON lines]'
            cand --columns 'Column names for CSV without a header line (e.g. psql -At output)'
            cand --key 'Key template, e.g. ''plan_catalog:v1:{id}'''
            cand --value 'Value template [default: the row as JSON]'
            cand --ttl 'TTL of written keys [default: the job''s or namespace''s; none without a profile]'
            cand --ttl-jitter 'Spread TTLs by ± this much so warmed keys do not expire together [default: 10%]'
            cand --mode 'overwrite: SET; missing: SET NX (never overwrite); refresh: only keys missing or whose TTL is below --refresh-below'
            cand --refresh-below 'With --mode refresh: rewrite keys whose remaining TTL is below this'
            cand --rate 'Writes per second over all workers (token bucket); protects the origin'
            cand --burst 'Writes allowed at once above --rate when the bucket is full'
            cand --concurrency 'Concurrent write pipelines'
            cand --batch 'Keys per pipelined write batch (smaller under a low --rate, for smooth pacing)'
            cand --max-errors 'Exit 3 when more rows than this fail'
            cand --checkpoint 'Record progress in FILE; a later run resumes after the last row written'
            cand --job 'Run a profile warm job'
            cand --name 'Job name for an ad-hoc run (lock key, summary) [default: the source file''s stem]'
            cand --schedule 'Stay in the foreground and run on this cron schedule (5 fields, or 6 with seconds; `job` uses the job''s schedule from the profile)'
            cand --max-runs 'With --schedule: stop after N runs'
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --dry-run 'Read and render every row, write nothing'
            cand --all-jobs 'Run every warm job of the profile, one after the other'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cachectl;report'= {
            cand --interval 'Window between the two INFO samples; 0 reports lifetime counters (since start)'
            cand --count 'Number of consecutive windows to report'
            cand --latency-samples 'Client-side PING round trips per node for the p95 latency'
            cand --fail-on 'Exit 3 when the overall status reaches this level'
            cand --append 'Append one CSV row per node per window to FILE (header written once), for cron history'
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --watch 'Redraw every interval on the terminal with a sparkline of the hit rate (Ctrl-C stops)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cachectl;profile'= {
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Validate a profile (exit 2 with file:line on error)'
            cand show 'Print a profile with ${VAR} expanded and defaults filled in'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cachectl;profile;check'= {
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cachectl;profile;show'= {
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cachectl;profile;help'= {
            cand check 'Validate a profile (exit 2 with file:line on error)'
            cand show 'Print a profile with ${VAR} expanded and defaults filled in'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cachectl;profile;help;check'= {
        }
        &'cachectl;profile;help;show'= {
        }
        &'cachectl;profile;help;help'= {
        }
        &'cachectl;completions'= {
            cand -u 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand --url 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]'
            cand -P 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand --profile 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --timeout 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)'
            cand --color 'When to use colors (NO_COLOR is honoured)'
            cand --cluster 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
            cand --replicas 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
            cand -q 'Less logging (errors only)'
            cand --quiet 'Less logging (errors only)'
            cand -v 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --verbose 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
            cand --no-progress 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cachectl;help'= {
            cand analyze 'Key-pattern analysis: keys, memory, types, TTLs and idle time per pattern, in one SCAN pass'
            cand invalidate 'Delete (or expire) keys by exact name, glob, prefix, tag or profile namespace, safely'
            cand warm 'Pre-load keys from a file, a command (psql …) or profile jobs, rate-limited, on a schedule'
            cand report 'Hit rate, evictions, memory and latency per node and per namespace, with SLO checks'
            cand profile 'Validate or print a profile'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cachectl;help;analyze'= {
        }
        &'cachectl;help;invalidate'= {
            cand keys 'Exact keys: as arguments, one per line from --from-file F, or from stdin with `-`'
            cand pattern 'Keys matching Redis globs (SCAN MATCH on every primary)'
            cand prefix 'Keys starting with a literal prefix (glob metacharacters are escaped)'
            cand tag 'Keys listed in tag indexes, and the indexes themselves'
            cand namespace 'A profile namespace: its pattern and its tags'
        }
        &'cachectl;help;invalidate;keys'= {
        }
        &'cachectl;help;invalidate;pattern'= {
        }
        &'cachectl;help;invalidate;prefix'= {
        }
        &'cachectl;help;invalidate;tag'= {
        }
        &'cachectl;help;invalidate;namespace'= {
        }
        &'cachectl;help;warm'= {
        }
        &'cachectl;help;report'= {
        }
        &'cachectl;help;profile'= {
            cand check 'Validate a profile (exit 2 with file:line on error)'
            cand show 'Print a profile with ${VAR} expanded and defaults filled in'
        }
        &'cachectl;help;profile;check'= {
        }
        &'cachectl;help;profile;show'= {
        }
        &'cachectl;help;completions'= {
        }
        &'cachectl;help;help'= {
        }
    ]
    $completions[$command]
}
