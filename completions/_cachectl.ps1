
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cachectl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cachectl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'cachectl' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'TLS: the client certificate''s private key (PEM); must not be readable by others. Give it before the command (`warm --key` is the key template) [env: CACHECTL_KEY]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Key-pattern analysis: keys, memory, types, TTLs and idle time per pattern, in one SCAN pass')
            [CompletionResult]::new('invalidate', 'invalidate', [CompletionResultType]::ParameterValue, 'Delete (or expire) keys by exact name, glob, prefix, tag or profile namespace, safely')
            [CompletionResult]::new('warm', 'warm', [CompletionResultType]::ParameterValue, 'Pre-load keys from a file, a command (psql …) or profile jobs, rate-limited, on a schedule')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Hit rate, evictions, memory and latency per node and per namespace, with SLO checks')
            [CompletionResult]::new('recommend', 'recommend', [CompletionResultType]::ParameterValue, 'Recommend strategy, TTL, eviction, invalidation, stampede protection and warming per namespace')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Is the cache telling the truth? Compare it with its source, or with another deployment')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Simulate cache stampedes to choose a protection (model in virtual time, or --live)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'A guided tour on a throwaway redis-server: analyze, report, recommend, simulate')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'List, validate or print profiles')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cachectl;analyze' {
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'Only keys matching this glob (SCAN MATCH)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only keys of this type (SCAN TYPE): string, list, set, zset, hash, stream')
            [CompletionResult]::new('--sample', '--sample', [CompletionResultType]::ParameterName, 'Probe only N keys per node and extrapolate counts and memory from DBSIZE')
            [CompletionResult]::new('--scan-count', '--scan-count', [CompletionResultType]::ParameterName, 'SCAN COUNT hint per call (at most 1000 unless you know better)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Cap the probe rate over all nodes (keys per second), for busy production servers')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Show only the N patterns using the most memory (0 = all)')
            [CompletionResult]::new('--separators', '--separators', [CompletionResultType]::ParameterName, 'Characters that separate key segments')
            [CompletionResult]::new('--big-keys', '--big-keys', [CompletionResultType]::ParameterName, 'How many of the biggest keys to list')
            [CompletionResult]::new('--rdb', '--rdb', [CompletionResultType]::ParameterName, 'Analyze an RDB dump instead of probing the server (`-` reads stdin); repeat it for a cluster, one dump per primary. No connection is made')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Compare with an earlier `analyze -o json` run: keys and memory deltas per pattern, new and gone patterns, sorted by memory growth')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'Sample N keys per pattern and read their values: the format (json, msgpack, gzip, …) and what zstd and lz4 would save. Online the reads are bounded, pipelined and under --rate; with --rdb/--rdb-sync they come from the dump')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--rdb-sync', '--rdb-sync', [CompletionResultType]::ParameterName, 'Stream the RDB from the server over the replication protocol (as `redis-cli --rdb`), every primary of a cluster (a replica each with --replicas); nothing is written to disk')
            [CompletionResult]::new('--detail', '--detail', [CompletionResultType]::ParameterName, 'Online: also probe OBJECT ENCODING and the element count of every key (one more probe per key) for the encodings and elements_* columns')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;invalidate' {
            [CompletionResult]::new('--max-keys', '--max-keys', [CompletionResultType]::ParameterName, 'Match first; if more than N keys would go, delete nothing and exit 3')
            [CompletionResult]::new('--soft', '--soft', [CompletionResultType]::ParameterName, 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Append one JSON line per run to FILE (also when the run fails)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Cap deletions (or TTL changes) per second')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Keys per pipelined delete batch')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count matching keys and show up to 10 of them; delete nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)')
            [CompletionResult]::new('--require-match', '--require-match', [CompletionResultType]::ParameterName, 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Exact keys: as arguments, one per line from --from-file F, or from stdin with `-`')
            [CompletionResult]::new('pattern', 'pattern', [CompletionResultType]::ParameterValue, 'Keys matching Redis globs (SCAN MATCH on every primary)')
            [CompletionResult]::new('prefix', 'prefix', [CompletionResultType]::ParameterValue, 'Keys starting with a literal prefix (glob metacharacters are escaped)')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'Items tagged T, as the framework''s client tagged them (Symfony, Laravel, cashews, cachectl)')
            [CompletionResult]::new('namespace', 'namespace', [CompletionResultType]::ParameterValue, 'A profile namespace: its pattern and its tags')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cachectl;invalidate;keys' {
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'Read keys from a file, one per line')
            [CompletionResult]::new('--max-keys', '--max-keys', [CompletionResultType]::ParameterName, 'Match first; if more than N keys would go, delete nothing and exit 3')
            [CompletionResult]::new('--soft', '--soft', [CompletionResultType]::ParameterName, 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Append one JSON line per run to FILE (also when the run fails)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Cap deletions (or TTL changes) per second')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Keys per pipelined delete batch')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count matching keys and show up to 10 of them; delete nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)')
            [CompletionResult]::new('--require-match', '--require-match', [CompletionResultType]::ParameterName, 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;invalidate;pattern' {
            [CompletionResult]::new('--max-keys', '--max-keys', [CompletionResultType]::ParameterName, 'Match first; if more than N keys would go, delete nothing and exit 3')
            [CompletionResult]::new('--soft', '--soft', [CompletionResultType]::ParameterName, 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Append one JSON line per run to FILE (also when the run fails)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Cap deletions (or TTL changes) per second')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Keys per pipelined delete batch')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count matching keys and show up to 10 of them; delete nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)')
            [CompletionResult]::new('--require-match', '--require-match', [CompletionResultType]::ParameterName, 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;invalidate;prefix' {
            [CompletionResult]::new('--max-keys', '--max-keys', [CompletionResultType]::ParameterName, 'Match first; if more than N keys would go, delete nothing and exit 3')
            [CompletionResult]::new('--soft', '--soft', [CompletionResultType]::ParameterName, 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Append one JSON line per run to FILE (also when the run fails)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Cap deletions (or TTL changes) per second')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Keys per pipelined delete batch')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count matching keys and show up to 10 of them; delete nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)')
            [CompletionResult]::new('--require-match', '--require-match', [CompletionResultType]::ParameterName, 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;invalidate;tag' {
            [CompletionResult]::new('--tag-format', '--tag-format', [CompletionResultType]::ParameterName, 'Tag layout; auto finds T''s index among all of them and says what it found [default: the profile''s, else auto]')
            [CompletionResult]::new('--key-prefix', '--key-prefix', [CompletionResultType]::ParameterName, 'The client''s key prefix, put before every key (phpredis OPT_PREFIX, Laravel REDIS_PREFIX) [default: the profile''s, else inferred]')
            [CompletionResult]::new('--tag-prefix', '--tag-prefix', [CompletionResultType]::ParameterName, 'The framework''s own prefix as it appears in Redis (Symfony namespace, Laravel cache prefix) [default: the profile''s, else inferred]')
            [CompletionResult]::new('--max-keys', '--max-keys', [CompletionResultType]::ParameterName, 'Match first; if more than N keys would go, delete nothing and exit 3')
            [CompletionResult]::new('--soft', '--soft', [CompletionResultType]::ParameterName, 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Append one JSON line per run to FILE (also when the run fails)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Cap deletions (or TTL changes) per second')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Keys per pipelined delete batch')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count matching keys and show up to 10 of them; delete nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)')
            [CompletionResult]::new('--require-match', '--require-match', [CompletionResultType]::ParameterName, 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;invalidate;namespace' {
            [CompletionResult]::new('--max-keys', '--max-keys', [CompletionResultType]::ParameterName, 'Match first; if more than N keys would go, delete nothing and exit 3')
            [CompletionResult]::new('--soft', '--soft', [CompletionResultType]::ParameterName, 'Instead of deleting, cap each key''s TTL to DUR (graceful invalidation)')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'After success, PUBLISH one JSON event (default channel: the profile''s, else cache:invalidate)')
            [CompletionResult]::new('--audit-log', '--audit-log', [CompletionResultType]::ParameterName, 'Append one JSON line per run to FILE (also when the run fails)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Cap deletions (or TTL changes) per second')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Keys per pipelined delete batch')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count matching keys and show up to 10 of them; delete nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (asked only when stdin is a terminal)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)')
            [CompletionResult]::new('--require-match', '--require-match', [CompletionResultType]::ParameterName, 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;invalidate;help' {
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Exact keys: as arguments, one per line from --from-file F, or from stdin with `-`')
            [CompletionResult]::new('pattern', 'pattern', [CompletionResultType]::ParameterValue, 'Keys matching Redis globs (SCAN MATCH on every primary)')
            [CompletionResult]::new('prefix', 'prefix', [CompletionResultType]::ParameterValue, 'Keys starting with a literal prefix (glob metacharacters are escaped)')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'Items tagged T, as the framework''s client tagged them (Symfony, Laravel, cashews, cachectl)')
            [CompletionResult]::new('namespace', 'namespace', [CompletionResultType]::ParameterValue, 'A profile namespace: its pattern and its tags')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cachectl;invalidate;help;keys' {
            break
        }
        'cachectl;invalidate;help;pattern' {
            break
        }
        'cachectl;invalidate;help;prefix' {
            break
        }
        'cachectl;invalidate;help;tag' {
            break
        }
        'cachectl;invalidate;help;namespace' {
            break
        }
        'cachectl;invalidate;help;help' {
            break
        }
        'cachectl;warm' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Rows from a file (CSV with a header, or JSON lines), or `-` for stdin')
            [CompletionResult]::new('--source-cmd', '--source-cmd', [CompletionResultType]::ParameterName, 'Rows from the standard output of a shell command (psql, mysql, a script)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Source format [default: by extension, else sniffed: `{` starts JSON lines]')
            [CompletionResult]::new('--columns', '--columns', [CompletionResultType]::ParameterName, 'Column names for CSV without a header line (e.g. psql -At output)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key template, e.g. ''plan_catalog:v1:{id}''')
            [CompletionResult]::new('--value', '--value', [CompletionResultType]::ParameterName, 'Value template [default: the row as JSON]')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'TTL of written keys [default: the job''s or namespace''s; none without a profile]')
            [CompletionResult]::new('--ttl-jitter', '--ttl-jitter', [CompletionResultType]::ParameterName, 'Spread TTLs by ± this much so warmed keys do not expire together [default: 10%]')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'overwrite: SET; missing: SET NX (never overwrite); refresh: only keys missing or whose TTL is below --refresh-below')
            [CompletionResult]::new('--refresh-below', '--refresh-below', [CompletionResultType]::ParameterName, 'With --mode refresh: rewrite keys whose remaining TTL is below this')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Writes per second over all workers (token bucket); protects the origin')
            [CompletionResult]::new('--burst', '--burst', [CompletionResultType]::ParameterName, 'Writes allowed at once above --rate when the bucket is full')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Concurrent write pipelines')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Keys per pipelined write batch (smaller under a low --rate, for smooth pacing)')
            [CompletionResult]::new('--max-errors', '--max-errors', [CompletionResultType]::ParameterName, 'Exit 3 when more rows than this fail')
            [CompletionResult]::new('--checkpoint', '--checkpoint', [CompletionResultType]::ParameterName, 'Record progress in FILE; a later run resumes after the last row written')
            [CompletionResult]::new('--job', '--job', [CompletionResultType]::ParameterName, 'Run a profile warm job')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Job name for an ad-hoc run (lock key, summary) [default: the source file''s stem]')
            [CompletionResult]::new('--schedule', '--schedule', [CompletionResultType]::ParameterName, 'Stay in the foreground and run on this cron schedule (5 fields, or 6 with seconds; `job` uses the job''s schedule from the profile)')
            [CompletionResult]::new('--max-runs', '--max-runs', [CompletionResultType]::ParameterName, 'With --schedule: stop after N runs')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read and render every row, write nothing')
            [CompletionResult]::new('--all-jobs', '--all-jobs', [CompletionResultType]::ParameterName, 'Run every warm job of the profile, one after the other')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;report' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Window between the two INFO samples; 0 reports lifetime counters (since start)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Number of consecutive windows to report [default: 1; with --watch: until Ctrl-C]')
            [CompletionResult]::new('--latency-samples', '--latency-samples', [CompletionResultType]::ParameterName, 'Client-side PING round trips per node for the p95 latency')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 3 when the overall status reaches this level')
            [CompletionResult]::new('--append', '--append', [CompletionResultType]::ParameterName, 'Append one CSV row per node per window to FILE (header written once), for cron history')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'For cron/Nagios: judge the window since the sample the previous run stored in FILE, without waiting (replaces --interval), then store this run''s sample there (0600). The first run, a restart, a stats reset or a file from another server: a labelled lifetime report')
            [CompletionResult]::new('--sample-reads', '--sample-reads', [CompletionResultType]::ParameterName, '--patterns: share of the window MONITOR is on, in slices (100%: every command, exact; 0: misses only)')
            [CompletionResult]::new('--events', '--events', [CompletionResultType]::ParameterName, '--patterns: subscribe to key-events, adding missing notify-keyspace-events flags for the run (on), or never change the server (off)')
            [CompletionResult]::new('--burst-misses', '--burst-misses', [CompletionResultType]::ParameterName, '--patterns: misses of one key within a second that make a miss burst (a stampede)')
            [CompletionResult]::new('--monitor-budget', '--monitor-budget', [CompletionResultType]::ParameterName, '--patterns: keep the server''s CPU per command within RATIO times what it is without the MONITOR sample: MONITOR''s cost is measured during the window and the sampled share lowered where it costs more (large arguments); where the run measured the key-events'' cost too (the second before it set them), also the whole run within 1.2 times the CPU per command before it; off: the share as asked')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Draw lifetime figures at once, then every window as it ends: redrawn on a terminal with a sparkline of the hit rate, one record per window with -o csv/json (Ctrl-C stops)')
            [CompletionResult]::new('--patterns', '--patterns', [CompletionResultType]::ParameterName, 'Hit rate per key pattern: misses, expirations, evictions from key-events (exact), lookups from a MONITOR sample scaled to INFO. Adds missing notify-keyspace-events flags for the run and restores them (see --events)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;recommend' {
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Only this profile namespace (or the name of an ad-hoc description)')
            [CompletionResult]::new('--read-write-ratio', '--read-write-ratio', [CompletionResultType]::ParameterName, 'Reads per write')
            [CompletionResult]::new('--consistency', '--consistency', [CompletionResultType]::ParameterName, 'What readers need')
            [CompletionResult]::new('--update-interval', '--update-interval', [CompletionResultType]::ParameterName, 'How often the source data changes')
            [CompletionResult]::new('--staleness', '--staleness', [CompletionResultType]::ParameterName, 'How stale a reader may see it')
            [CompletionResult]::new('--access', '--access', [CompletionResultType]::ParameterName, 'Access pattern')
            [CompletionResult]::new('--recompute', '--recompute', [CompletionResultType]::ParameterName, 'Cost of a miss at the origin')
            [CompletionResult]::new('--observe-window', '--observe-window', [CompletionResultType]::ParameterName, 'With --observe: watch the traffic this long with `report --patterns` (hit rates per key pattern from key-events and a MONITOR sample, miss bursts) and adjust TTL, warming and stampede protection from what each namespace''s patterns show; 0 reads lifetime counters only [default: 0]')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--observe', '--observe', [CompletionResultType]::ParameterName, 'Read the live keyspace (analyze) and counters (report) and adjust; also recommend the instance''s maxmemory-policy and maxmemory')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;verify' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Rows from a file (CSV with a header, or JSON lines), or `-` for stdin')
            [CompletionResult]::new('--source-cmd', '--source-cmd', [CompletionResultType]::ParameterName, 'Rows from the standard output of a shell command (psql, mysql, a script)')
            [CompletionResult]::new('--job', '--job', [CompletionResultType]::ParameterName, 'What a profile warm job says the cache should hold')
            [CompletionResult]::new('--against', '--against', [CompletionResultType]::ParameterName, 'Another deployment (replica, region, blue/green twin): keys scanned on --url, read on both; a comma-separated list is a set of cluster seed nodes')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Source format [default: by extension, else sniffed: `{` starts JSON lines]')
            [CompletionResult]::new('--columns', '--columns', [CompletionResultType]::ParameterName, 'Column names for CSV without a header line (e.g. psql -At output)')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key template, as warm''s, e.g. ''plan_catalog:v1:{id}''')
            [CompletionResult]::new('--value', '--value', [CompletionResultType]::ParameterName, 'Value template, as warm''s [default: the row as JSON]')
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'With --against: only keys matching this glob (SCAN MATCH)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'With --against: only keys of this type (SCAN TYPE)')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'exact: the same bytes; json: the same JSON document (key order and spacing ignored, numbers compared as numbers)')
            [CompletionResult]::new('--sample', '--sample', [CompletionResultType]::ParameterName, 'Check a uniform sample of N rows (or keys) and estimate the whole, with its 95% interval')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Keys read per second (token bucket over all reads)')
            [CompletionResult]::new('--fail-below', '--fail-below', [CompletionResultType]::ParameterName, 'Exit 3 when coherence_pct is below PCT [default: the profile''s slo.coherence_pct.crit_below, else 99]')
            [CompletionResult]::new('--recheck', '--recheck', [CompletionResultType]::ParameterName, 'Read a difference again after DUR; it counts only if it persists (0: no recheck)')
            [CompletionResult]::new('--ttl-tolerance', '--ttl-tolerance', [CompletionResultType]::ParameterName, 'TTLs agree when they differ by at most PCT of the larger (--against); keys whose TTL is within PCT of a job''s TTL from expiring are not judged')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Keys per read pipeline (smaller under a low --rate, for smooth pacing)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--all-jobs', '--all-jobs', [CompletionResultType]::ParameterName, 'Every warm job of the profile, one after the other')
            [CompletionResult]::new('--show-values', '--show-values', [CompletionResultType]::ParameterName, 'Show the expected and cached values of stale keys (they may be personal data)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;simulate' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('stampede', 'stampede', [CompletionResultType]::ParameterValue, 'Clients reading hot keys whose values take --recompute to rebuild: origin calls, hit rate and latency per protection strategy')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cachectl;simulate;stampede' {
            [CompletionResult]::new('--clients', '--clients', [CompletionResultType]::ParameterName, 'Burst size: requests arriving at the moment the key expires')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Open-loop Poisson arrivals at this rate instead of a burst')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'With --rate: how long arrivals go on (virtual time)')
            [CompletionResult]::new('--ttl', '--ttl', [CompletionResultType]::ParameterName, 'TTL of the cached values')
            [CompletionResult]::new('--recompute', '--recompute', [CompletionResultType]::ParameterName, 'Time to rebuild a value at the origin (the mean, with --recompute-dist lognormal)')
            [CompletionResult]::new('--recompute-dist', '--recompute-dist', [CompletionResultType]::ParameterName, 'Rebuild time distribution')
            [CompletionResult]::new('--strategy', '--strategy', [CompletionResultType]::ParameterName, 'Strategies to compare (comma-separated), or `all`')
            [CompletionResult]::new('--beta', '--beta', [CompletionResultType]::ParameterName, 'XFetch''s β: above 1 recomputes earlier, below 1 later')
            [CompletionResult]::new('--nodes', '--nodes', [CompletionResultType]::ParameterName, 'Application nodes (singleflight dedupes per node)')
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Number of keys, all cached at t=0 (they expire together unless --ttl-jitter)')
            [CompletionResult]::new('--ttl-jitter', '--ttl-jitter', [CompletionResultType]::ParameterName, 'Spread each key''s TTL by ± this much')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'RNG seed: the same seed gives byte-identical output')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--cold', '--cold', [CompletionResultType]::ParameterName, 'Start with an empty cache instead of freshly cached keys')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'Run real concurrent clients against the Redis at --url (keys under cachectl:sim:, removed afterwards); the origin is simulated latency')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;simulate;help' {
            [CompletionResult]::new('stampede', 'stampede', [CompletionResultType]::ParameterValue, 'Clients reading hot keys whose values take --recompute to rebuild: origin calls, hit rate and latency per protection strategy')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cachectl;simulate;help;stampede' {
            break
        }
        'cachectl;simulate;help;help' {
            break
        }
        'cachectl;demo' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Leave the demo server running and print its URL and commands to try')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show the reasoning behind each recommendation (longer output)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;profile' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the profiles -P finds by name: profiles/*.yaml in $CACHECTL_PROFILE_PATH and ./profiles, and the built-in ones')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate a profile (exit 2 with file:line on error)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a profile with ${VAR} expanded and defaults filled in')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cachectl;profile;list' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;profile;check' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;profile;show' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;profile;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the profiles -P finds by name: profiles/*.yaml in $CACHECTL_PROFILE_PATH and ./profiles, and the built-in ones')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate a profile (exit 2 with file:line on error)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a profile with ${VAR} expanded and defaults filled in')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cachectl;profile;help;list' {
            break
        }
        'cachectl;profile;help;check' {
            break
        }
        'cachectl;profile;help;show' {
            break
        }
        'cachectl;profile;help;help' {
            break
        }
        'cachectl;completions' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER''s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'TLS: the server name to verify the certificate against (default: the URL''s host)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (NO_COLOR is honoured)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (also the URL fragment #insecure); warns')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Force Redis Cluster mode (otherwise detected from INFO cluster)')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less logging (errors only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Tables show every column in full, even on a narrow terminal (piped output always does)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cachectl;help' {
            [CompletionResult]::new('analyze', 'analyze', [CompletionResultType]::ParameterValue, 'Key-pattern analysis: keys, memory, types, TTLs and idle time per pattern, in one SCAN pass')
            [CompletionResult]::new('invalidate', 'invalidate', [CompletionResultType]::ParameterValue, 'Delete (or expire) keys by exact name, glob, prefix, tag or profile namespace, safely')
            [CompletionResult]::new('warm', 'warm', [CompletionResultType]::ParameterValue, 'Pre-load keys from a file, a command (psql …) or profile jobs, rate-limited, on a schedule')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Hit rate, evictions, memory and latency per node and per namespace, with SLO checks')
            [CompletionResult]::new('recommend', 'recommend', [CompletionResultType]::ParameterValue, 'Recommend strategy, TTL, eviction, invalidation, stampede protection and warming per namespace')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Is the cache telling the truth? Compare it with its source, or with another deployment')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Simulate cache stampedes to choose a protection (model in virtual time, or --live)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'A guided tour on a throwaway redis-server: analyze, report, recommend, simulate')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'List, validate or print profiles')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cachectl;help;analyze' {
            break
        }
        'cachectl;help;invalidate' {
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Exact keys: as arguments, one per line from --from-file F, or from stdin with `-`')
            [CompletionResult]::new('pattern', 'pattern', [CompletionResultType]::ParameterValue, 'Keys matching Redis globs (SCAN MATCH on every primary)')
            [CompletionResult]::new('prefix', 'prefix', [CompletionResultType]::ParameterValue, 'Keys starting with a literal prefix (glob metacharacters are escaped)')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'Items tagged T, as the framework''s client tagged them (Symfony, Laravel, cashews, cachectl)')
            [CompletionResult]::new('namespace', 'namespace', [CompletionResultType]::ParameterValue, 'A profile namespace: its pattern and its tags')
            break
        }
        'cachectl;help;invalidate;keys' {
            break
        }
        'cachectl;help;invalidate;pattern' {
            break
        }
        'cachectl;help;invalidate;prefix' {
            break
        }
        'cachectl;help;invalidate;tag' {
            break
        }
        'cachectl;help;invalidate;namespace' {
            break
        }
        'cachectl;help;warm' {
            break
        }
        'cachectl;help;report' {
            break
        }
        'cachectl;help;recommend' {
            break
        }
        'cachectl;help;verify' {
            break
        }
        'cachectl;help;simulate' {
            [CompletionResult]::new('stampede', 'stampede', [CompletionResultType]::ParameterValue, 'Clients reading hot keys whose values take --recompute to rebuild: origin calls, hit rate and latency per protection strategy')
            break
        }
        'cachectl;help;simulate;stampede' {
            break
        }
        'cachectl;help;demo' {
            break
        }
        'cachectl;help;profile' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the profiles -P finds by name: profiles/*.yaml in $CACHECTL_PROFILE_PATH and ./profiles, and the built-in ones')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate a profile (exit 2 with file:line on error)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a profile with ${VAR} expanded and defaults filled in')
            break
        }
        'cachectl;help;profile;list' {
            break
        }
        'cachectl;help;profile;check' {
            break
        }
        'cachectl;help;profile;show' {
            break
        }
        'cachectl;help;completions' {
            break
        }
        'cachectl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
