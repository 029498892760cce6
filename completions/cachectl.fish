# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cachectl_global_optspecs
    string join \n u/url= password-file= cacert= cert= key= sni= insecure cluster replicas P/profile= o/output= timeout= q/quiet v/verbose wide no-progress color= h/help V/version
end

function __fish_cachectl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cachectl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cachectl_using_subcommand
    set -l cmd (__fish_cachectl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cachectl -n "__fish_cachectl_needs_command" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_needs_command" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_needs_command" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_needs_command" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_needs_command" -l key -d 'TLS: the client certificate\'s private key (PEM); must not be readable by others. Give it before the command (`warm --key` is the key template) [env: CACHECTL_KEY]' -r -F
complete -c cachectl -n "__fish_cachectl_needs_command" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_needs_command" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_needs_command" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_needs_command" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_needs_command" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_needs_command" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_needs_command" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_needs_command" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_needs_command" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_needs_command" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_needs_command" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_needs_command" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cachectl -n "__fish_cachectl_needs_command" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_needs_command" -f -a "analyze" -d 'Key-pattern analysis: keys, memory, types, TTLs and idle time per pattern, in one SCAN pass'
complete -c cachectl -n "__fish_cachectl_needs_command" -f -a "invalidate" -d 'Delete (or expire) keys by exact name, glob, prefix, tag or profile namespace, safely'
complete -c cachectl -n "__fish_cachectl_needs_command" -f -a "warm" -d 'Pre-load keys from a file, a command (psql …) or profile jobs, rate-limited, on a schedule'
complete -c cachectl -n "__fish_cachectl_needs_command" -f -a "report" -d 'Hit rate, evictions, memory and latency per node and per namespace, with SLO checks'
complete -c cachectl -n "__fish_cachectl_needs_command" -f -a "recommend" -d 'Recommend strategy, TTL, eviction, invalidation, stampede protection and warming per namespace'
complete -c cachectl -n "__fish_cachectl_needs_command" -f -a "verify" -d 'Is the cache telling the truth? Compare it with its source, or with another deployment'
complete -c cachectl -n "__fish_cachectl_needs_command" -f -a "simulate" -d 'Simulate cache stampedes to choose a protection (model in virtual time, or --live)'
complete -c cachectl -n "__fish_cachectl_needs_command" -f -a "demo" -d 'A guided tour on a throwaway redis-server: analyze, report, recommend, simulate'
complete -c cachectl -n "__fish_cachectl_needs_command" -f -a "profile" -d 'List, validate or print profiles'
complete -c cachectl -n "__fish_cachectl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c cachectl -n "__fish_cachectl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l match -d 'Only keys matching this glob (SCAN MATCH)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l type -d 'Only keys of this type (SCAN TYPE): string, list, set, zset, hash, stream' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l sample -d 'Probe only N keys per node and extrapolate counts and memory from DBSIZE' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l scan-count -d 'SCAN COUNT hint per call (at most 1000 unless you know better)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l rate -d 'Cap the probe rate over all nodes (keys per second), for busy production servers' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l top -d 'Show only the N patterns using the most memory (0 = all)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l separators -d 'Characters that separate key segments' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l big-keys -d 'How many of the biggest keys to list' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l rdb -d 'Analyze an RDB dump instead of probing the server (`-` reads stdin); repeat it for a cluster, one dump per primary. No connection is made' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l diff -d 'Compare with an earlier `analyze -o json` run: keys and memory deltas per pattern, new and gone patterns, sorted by memory growth' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l values -d 'Sample N keys per pattern and read their values: the format (json, msgpack, gzip, …) and what zstd and lz4 would save. Online the reads are bounded, pipelined and under --rate; with --rdb/--rdb-sync they come from the dump' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l rdb-sync -d 'Stream the RDB from the server over the replication protocol (as `redis-cli --rdb`), every primary of a cluster (a replica each with --replicas); nothing is written to disk'
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l detail -d 'Online: also probe OBJECT ENCODING and the element count of every key (one more probe per key) for the encodings and elements_* columns'
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand analyze" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l max-keys -d 'Match first; if more than N keys would go, delete nothing and exit 3' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l soft -d 'Instead of deleting, cap each key\'s TTL to DUR (graceful invalidation)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l publish -d 'After success, PUBLISH one JSON event (default channel: the profile\'s, else cache:invalidate)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l audit-log -d 'Append one JSON line per run to FILE (also when the run fails)' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l rate -d 'Cap deletions (or TTL changes) per second' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l batch -d 'Keys per pipelined delete batch' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l dry-run -d 'Count matching keys and show up to 10 of them; delete nothing'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -s y -l yes -d 'Do not ask for confirmation (asked only when stdin is a terminal)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l all -d 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l require-match -d 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l verify -d 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -f -a "keys" -d 'Exact keys: as arguments, one per line from --from-file F, or from stdin with `-`'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -f -a "pattern" -d 'Keys matching Redis globs (SCAN MATCH on every primary)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -f -a "prefix" -d 'Keys starting with a literal prefix (glob metacharacters are escaped)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -f -a "tag" -d 'Items tagged T, as the framework\'s client tagged them (Symfony, Laravel, cashews, cachectl)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -f -a "namespace" -d 'A profile namespace: its pattern and its tags'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and not __fish_seen_subcommand_from keys pattern prefix tag namespace help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l from-file -d 'Read keys from a file, one per line' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l max-keys -d 'Match first; if more than N keys would go, delete nothing and exit 3' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l soft -d 'Instead of deleting, cap each key\'s TTL to DUR (graceful invalidation)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l publish -d 'After success, PUBLISH one JSON event (default channel: the profile\'s, else cache:invalidate)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l audit-log -d 'Append one JSON line per run to FILE (also when the run fails)' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l rate -d 'Cap deletions (or TTL changes) per second' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l batch -d 'Keys per pipelined delete batch' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l dry-run -d 'Count matching keys and show up to 10 of them; delete nothing'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -s y -l yes -d 'Do not ask for confirmation (asked only when stdin is a terminal)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l all -d 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l require-match -d 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l verify -d 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from keys" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l max-keys -d 'Match first; if more than N keys would go, delete nothing and exit 3' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l soft -d 'Instead of deleting, cap each key\'s TTL to DUR (graceful invalidation)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l publish -d 'After success, PUBLISH one JSON event (default channel: the profile\'s, else cache:invalidate)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l audit-log -d 'Append one JSON line per run to FILE (also when the run fails)' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l rate -d 'Cap deletions (or TTL changes) per second' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l batch -d 'Keys per pipelined delete batch' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l dry-run -d 'Count matching keys and show up to 10 of them; delete nothing'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -s y -l yes -d 'Do not ask for confirmation (asked only when stdin is a terminal)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l all -d 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l require-match -d 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l verify -d 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from pattern" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l max-keys -d 'Match first; if more than N keys would go, delete nothing and exit 3' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l soft -d 'Instead of deleting, cap each key\'s TTL to DUR (graceful invalidation)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l publish -d 'After success, PUBLISH one JSON event (default channel: the profile\'s, else cache:invalidate)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l audit-log -d 'Append one JSON line per run to FILE (also when the run fails)' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l rate -d 'Cap deletions (or TTL changes) per second' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l batch -d 'Keys per pipelined delete batch' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l dry-run -d 'Count matching keys and show up to 10 of them; delete nothing'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -s y -l yes -d 'Do not ask for confirmation (asked only when stdin is a terminal)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l all -d 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l require-match -d 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l verify -d 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from prefix" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l tag-format -d 'Tag layout; auto finds T\'s index among all of them and says what it found [default: the profile\'s, else auto]' -r -f -a "auto\t'find the index among every layout'
cachectl\t'set `{P}{S}tag:{T}` of item keys'
laravel\t'Laravel 10-13 zset `tag:{T}:entries`, 8-9 `tag:{T}:key` + reference sets'
symfony\t'Symfony RedisTagAwareAdapter set `{S}\\0tags\\0{T}` (5.4-6.2) / `\\x01tags\\x01` (6.3+)'
symfony-tagaware\t'Symfony TagAwareAdapter tag version key `{S}{T}\\0tags\\0`'
cashews\t'cashews set `_tag:{T}`'"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l key-prefix -d 'The client\'s key prefix, put before every key (phpredis OPT_PREFIX, Laravel REDIS_PREFIX) [default: the profile\'s, else inferred]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l tag-prefix -d 'The framework\'s own prefix as it appears in Redis (Symfony namespace, Laravel cache prefix) [default: the profile\'s, else inferred]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l max-keys -d 'Match first; if more than N keys would go, delete nothing and exit 3' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l soft -d 'Instead of deleting, cap each key\'s TTL to DUR (graceful invalidation)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l publish -d 'After success, PUBLISH one JSON event (default channel: the profile\'s, else cache:invalidate)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l audit-log -d 'Append one JSON line per run to FILE (also when the run fails)' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l rate -d 'Cap deletions (or TTL changes) per second' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l batch -d 'Keys per pipelined delete batch' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l dry-run -d 'Count matching keys and show up to 10 of them; delete nothing'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -s y -l yes -d 'Do not ask for confirmation (asked only when stdin is a terminal)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l all -d 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l require-match -d 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l verify -d 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from tag" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l max-keys -d 'Match first; if more than N keys would go, delete nothing and exit 3' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l soft -d 'Instead of deleting, cap each key\'s TTL to DUR (graceful invalidation)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l publish -d 'After success, PUBLISH one JSON event (default channel: the profile\'s, else cache:invalidate)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l audit-log -d 'Append one JSON line per run to FILE (also when the run fails)' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l rate -d 'Cap deletions (or TTL changes) per second' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l batch -d 'Keys per pipelined delete batch' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l dry-run -d 'Count matching keys and show up to 10 of them; delete nothing'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -s y -l yes -d 'Do not ask for confirmation (asked only when stdin is a terminal)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l all -d 'Allow a pattern that matches every key (`*`, `?*`, `[^]*`, empty, …)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l require-match -d 'Exit 3 when no key matched (a typo in a deploy hook should fail it, not pass)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l verify -d 'After the run, scan every node (replicas too) for keys the selector still matches and report them; exit 3 if any are left'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from help" -f -a "keys" -d 'Exact keys: as arguments, one per line from --from-file F, or from stdin with `-`'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from help" -f -a "pattern" -d 'Keys matching Redis globs (SCAN MATCH on every primary)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from help" -f -a "prefix" -d 'Keys starting with a literal prefix (glob metacharacters are escaped)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from help" -f -a "tag" -d 'Items tagged T, as the framework\'s client tagged them (Symfony, Laravel, cashews, cachectl)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from help" -f -a "namespace" -d 'A profile namespace: its pattern and its tags'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l source -d 'Rows from a file (CSV with a header, or JSON lines), or `-` for stdin' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l source-cmd -d 'Rows from the standard output of a shell command (psql, mysql, a script)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l format -d 'Source format [default: by extension, else sniffed: `{` starts JSON lines]' -r -f -a "csv\t''
jsonl\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l columns -d 'Column names for CSV without a header line (e.g. psql -At output)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l key -d 'Key template, e.g. \'plan_catalog:v1:{id}\'' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l value -d 'Value template [default: the row as JSON]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l ttl -d 'TTL of written keys [default: the job\'s or namespace\'s; none without a profile]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l ttl-jitter -d 'Spread TTLs by ± this much so warmed keys do not expire together [default: 10%]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l mode -d 'overwrite: SET; missing: SET NX (never overwrite); refresh: only keys missing or whose TTL is below --refresh-below' -r -f -a "overwrite\t''
missing\t''
refresh\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l refresh-below -d 'With --mode refresh: rewrite keys whose remaining TTL is below this' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l rate -d 'Writes per second over all workers (token bucket); protects the origin' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l burst -d 'Writes allowed at once above --rate when the bucket is full' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l concurrency -d 'Concurrent write pipelines' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l batch -d 'Keys per pipelined write batch (smaller under a low --rate, for smooth pacing)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l max-errors -d 'Exit 3 when more rows than this fail' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l checkpoint -d 'Record progress in FILE; a later run resumes after the last row written' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l job -d 'Run a profile warm job' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l name -d 'Job name for an ad-hoc run (lock key, summary) [default: the source file\'s stem]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l schedule -d 'Stay in the foreground and run on this cron schedule (5 fields, or 6 with seconds; `job` uses the job\'s schedule from the profile)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l max-runs -d 'With --schedule: stop after N runs' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l dry-run -d 'Read and render every row, write nothing'
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l all-jobs -d 'Run every warm job of the profile, one after the other'
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand warm" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l interval -d 'Window between the two INFO samples; 0 reports lifetime counters (since start)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l count -d 'Number of consecutive windows to report [default: 1; with --watch: until Ctrl-C]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l latency-samples -d 'Client-side PING round trips per node for the p95 latency' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l fail-on -d 'Exit 3 when the overall status reaches this level' -r -f -a "warn\t''
crit\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l append -d 'Append one CSV row per node per window to FILE (header written once), for cron history' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l since -d 'For cron/Nagios: judge the window since the sample the previous run stored in FILE, without waiting (replaces --interval), then store this run\'s sample there (0600). The first run, a restart, a stats reset or a file from another server: a labelled lifetime report' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l sample-reads -d '--patterns: share of the window MONITOR is on, in slices (100%: every command, exact; 0: misses only)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l events -d '--patterns: subscribe to key-events, adding missing notify-keyspace-events flags for the run (on), or never change the server (off)' -r -f -a "on\t'subscribe; add missing notify-keyspace-events flags for the run, then restore them'
off\t'never change the server: key-events only if already enabled, else the sample alone'"
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l burst-misses -d '--patterns: misses of one key within a second that make a miss burst (a stampede)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l monitor-budget -d '--patterns: keep the server\'s CPU per command within RATIO times what it is without the MONITOR sample: MONITOR\'s cost is measured during the window and the sampled share lowered where it costs more (large arguments); where the run measured the key-events\' cost too (the second before it set them), also the whole run within 1.2 times the CPU per command before it; off: the share as asked' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l watch -d 'Draw lifetime figures at once, then every window as it ends: redrawn on a terminal with a sparkline of the hit rate, one record per window with -o csv/json (Ctrl-C stops)'
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l patterns -d 'Hit rate per key pattern: misses, expirations, evictions from key-events (exact), lookups from a MONITOR sample scaled to INFO. Adds missing notify-keyspace-events flags for the run and restores them (see --events)'
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cachectl -n "__fish_cachectl_using_subcommand report" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l namespace -d 'Only this profile namespace (or the name of an ad-hoc description)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l read-write-ratio -d 'Reads per write' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l consistency -d 'What readers need' -r -f -a "strong\t''
eventual\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l update-interval -d 'How often the source data changes' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l staleness -d 'How stale a reader may see it' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l access -d 'Access pattern' -r -f -a "hot\t''
predictable\t''
uniform\t''
rare\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l recompute -d 'Cost of a miss at the origin' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l observe-window -d 'With --observe: watch the traffic this long with `report --patterns` (hit rates per key pattern from key-events and a MONITOR sample, miss bursts) and adjust TTL, warming and stampede protection from what each namespace\'s patterns show; 0 reads lifetime counters only [default: 0]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l observe -d 'Read the live keyspace (analyze) and counters (report) and adjust; also recommend the instance\'s maxmemory-policy and maxmemory'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l source -d 'Rows from a file (CSV with a header, or JSON lines), or `-` for stdin' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l source-cmd -d 'Rows from the standard output of a shell command (psql, mysql, a script)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l job -d 'What a profile warm job says the cache should hold' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l against -d 'Another deployment (replica, region, blue/green twin): keys scanned on --url, read on both; a comma-separated list is a set of cluster seed nodes' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l format -d 'Source format [default: by extension, else sniffed: `{` starts JSON lines]' -r -f -a "csv\t''
jsonl\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l columns -d 'Column names for CSV without a header line (e.g. psql -At output)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l key -d 'Key template, as warm\'s, e.g. \'plan_catalog:v1:{id}\'' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l value -d 'Value template, as warm\'s [default: the row as JSON]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l match -d 'With --against: only keys matching this glob (SCAN MATCH)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l type -d 'With --against: only keys of this type (SCAN TYPE)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l compare -d 'exact: the same bytes; json: the same JSON document (key order and spacing ignored, numbers compared as numbers)' -r -f -a "exact\t'the same bytes'
json\t'the same JSON document: key order and spacing ignored, numbers compared as numbers (`1`, `1.0` and `1e0` are equal); a value that is not JSON is compared byte-exact'"
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l sample -d 'Check a uniform sample of N rows (or keys) and estimate the whole, with its 95% interval' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l rate -d 'Keys read per second (token bucket over all reads)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l fail-below -d 'Exit 3 when coherence_pct is below PCT [default: the profile\'s slo.coherence_pct.crit_below, else 99]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l recheck -d 'Read a difference again after DUR; it counts only if it persists (0: no recheck)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l ttl-tolerance -d 'TTLs agree when they differ by at most PCT of the larger (--against); keys whose TTL is within PCT of a job\'s TTL from expiring are not judged' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l batch -d 'Keys per read pipeline (smaller under a low --rate, for smooth pacing)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l all-jobs -d 'Every warm job of the profile, one after the other'
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l show-values -d 'Show the expected and cached values of stale keys (they may be personal data)'
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cachectl -n "__fish_cachectl_using_subcommand verify" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -f -a "stampede" -d 'Clients reading hot keys whose values take --recompute to rebuild: origin calls, hit rate and latency per protection strategy'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and not __fish_seen_subcommand_from stampede help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l clients -d 'Burst size: requests arriving at the moment the key expires' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l rate -d 'Open-loop Poisson arrivals at this rate instead of a burst' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l duration -d 'With --rate: how long arrivals go on (virtual time)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l ttl -d 'TTL of the cached values' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l recompute -d 'Time to rebuild a value at the origin (the mean, with --recompute-dist lognormal)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l recompute-dist -d 'Rebuild time distribution' -r -f -a "fixed\t''
lognormal\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l strategy -d 'Strategies to compare (comma-separated), or `all`' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l beta -d 'XFetch\'s β: above 1 recomputes earlier, below 1 later' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l nodes -d 'Application nodes (singleflight dedupes per node)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l keys -d 'Number of keys, all cached at t=0 (they expire together unless --ttl-jitter)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l ttl-jitter -d 'Spread each key\'s TTL by ± this much' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l seed -d 'RNG seed: the same seed gives byte-identical output' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l cold -d 'Start with an empty cache instead of freshly cached keys'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l live -d 'Run real concurrent clients against the Redis at --url (keys under cachectl:sim:, removed afterwards); the origin is simulated latency'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from stampede" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from help" -f -a "stampede" -d 'Clients reading hot keys whose values take --recompute to rebuild: origin calls, hit rate and latency per protection strategy'
complete -c cachectl -n "__fish_cachectl_using_subcommand simulate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l keep -d 'Leave the demo server running and print its URL and commands to try'
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l explain -d 'Show the reasoning behind each recommendation (longer output)'
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand demo" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -f -a "list" -d 'List the profiles -P finds by name: profiles/*.yaml in $CACHECTL_PROFILE_PATH and ./profiles, and the built-in ones'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -f -a "check" -d 'Validate a profile (exit 2 with file:line on error)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -f -a "show" -d 'Print a profile with ${VAR} expanded and defaults filled in'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and not __fish_seen_subcommand_from list check show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the profiles -P finds by name: profiles/*.yaml in $CACHECTL_PROFILE_PATH and ./profiles, and the built-in ones'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate a profile (exit 2 with file:line on error)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a profile with ${VAR} expanded and defaults filled in'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -s u -l url -d 'Server URL: redis://[user[:pass]@]host[:port][/db], rediss://… (TLS), unix:///path. A comma-separated list is a set of cluster seed nodes. redis+sentinel://[user[:pass]@]host[:port][,host[:port]…]/MASTER[/db] asks the sentinels for MASTER\'s primary (their own password: $CACHECTL_SENTINEL_PASSWORD). [env: CACHECTL_URL, then REDIS_URL; default redis://127.0.0.1:6379]' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -l password-file -d 'Read the password from FILE (first line), keeping it out of argv and profiles; used when the URL has none. Must not be readable by others (chmod 600). [then env: REDISCLI_AUTH]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -l cacert -d 'TLS: trust the CA certificates in FILE (PEM), in addition to the system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR) [env: CACHECTL_CACERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -l cert -d 'TLS: present this client certificate (PEM), for servers with tls-auth-clients yes [env: CACHECTL_CERT]' -r -F
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -l sni -d 'TLS: the server name to verify the certificate against (default: the URL\'s host)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -s P -l profile -d 'Profile: a path, or a name looked up as profiles/NAME.yaml in $CACHECTL_PROFILE_PATH, then ./profiles, then the built-in default, treebeard, datapunk (`cachectl profile list`)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -s o -l output -d 'Output format: a table for people; CSV and JSON with stable snake_case fields and raw numbers (`report` also prints `prometheus`)' -r -f -a "table\t''
csv\t''
json\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -l timeout -d 'Connect and per-command timeout (500ms, 30s, 15m, 1h, 7d)' -r
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -l color -d 'When to use colors (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -l insecure -d 'TLS: do not verify the server\'s certificate (also the URL fragment #insecure); warns'
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -l cluster -d 'Force Redis Cluster mode (otherwise detected from INFO cluster)'
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -l replicas -d 'Run read-only work (SCAN, INFO, probes) on replicas (sends READONLY)'
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -s q -l quiet -d 'Less logging (errors only)'
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG is honoured'
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -l wide -d 'Tables show every column in full, even on a narrow terminal (piped output always does)'
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -l no-progress -d 'Never draw progress bars (they are drawn only when stderr is a terminal anyway)'
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c cachectl -n "__fish_cachectl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and not __fish_seen_subcommand_from analyze invalidate warm report recommend verify simulate demo profile completions help" -f -a "analyze" -d 'Key-pattern analysis: keys, memory, types, TTLs and idle time per pattern, in one SCAN pass'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and not __fish_seen_subcommand_from analyze invalidate warm report recommend verify simulate demo profile completions help" -f -a "invalidate" -d 'Delete (or expire) keys by exact name, glob, prefix, tag or profile namespace, safely'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and not __fish_seen_subcommand_from analyze invalidate warm report recommend verify simulate demo profile completions help" -f -a "warm" -d 'Pre-load keys from a file, a command (psql …) or profile jobs, rate-limited, on a schedule'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and not __fish_seen_subcommand_from analyze invalidate warm report recommend verify simulate demo profile completions help" -f -a "report" -d 'Hit rate, evictions, memory and latency per node and per namespace, with SLO checks'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and not __fish_seen_subcommand_from analyze invalidate warm report recommend verify simulate demo profile completions help" -f -a "recommend" -d 'Recommend strategy, TTL, eviction, invalidation, stampede protection and warming per namespace'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and not __fish_seen_subcommand_from analyze invalidate warm report recommend verify simulate demo profile completions help" -f -a "verify" -d 'Is the cache telling the truth? Compare it with its source, or with another deployment'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and not __fish_seen_subcommand_from analyze invalidate warm report recommend verify simulate demo profile completions help" -f -a "simulate" -d 'Simulate cache stampedes to choose a protection (model in virtual time, or --live)'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and not __fish_seen_subcommand_from analyze invalidate warm report recommend verify simulate demo profile completions help" -f -a "demo" -d 'A guided tour on a throwaway redis-server: analyze, report, recommend, simulate'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and not __fish_seen_subcommand_from analyze invalidate warm report recommend verify simulate demo profile completions help" -f -a "profile" -d 'List, validate or print profiles'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and not __fish_seen_subcommand_from analyze invalidate warm report recommend verify simulate demo profile completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and not __fish_seen_subcommand_from analyze invalidate warm report recommend verify simulate demo profile completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and __fish_seen_subcommand_from invalidate" -f -a "keys" -d 'Exact keys: as arguments, one per line from --from-file F, or from stdin with `-`'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and __fish_seen_subcommand_from invalidate" -f -a "pattern" -d 'Keys matching Redis globs (SCAN MATCH on every primary)'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and __fish_seen_subcommand_from invalidate" -f -a "prefix" -d 'Keys starting with a literal prefix (glob metacharacters are escaped)'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and __fish_seen_subcommand_from invalidate" -f -a "tag" -d 'Items tagged T, as the framework\'s client tagged them (Symfony, Laravel, cashews, cachectl)'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and __fish_seen_subcommand_from invalidate" -f -a "namespace" -d 'A profile namespace: its pattern and its tags'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and __fish_seen_subcommand_from simulate" -f -a "stampede" -d 'Clients reading hot keys whose values take --recompute to rebuild: origin calls, hit rate and latency per protection strategy'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "list" -d 'List the profiles -P finds by name: profiles/*.yaml in $CACHECTL_PROFILE_PATH and ./profiles, and the built-in ones'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "check" -d 'Validate a profile (exit 2 with file:line on error)'
complete -c cachectl -n "__fish_cachectl_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "show" -d 'Print a profile with ${VAR} expanded and defaults filled in'

# Added by cachectl: profile names after -P/--profile and `profile check|show`, and the
# profile's namespaces after `invalidate namespace` / `recommend --namespace`.
function __fish_cachectl_profiles
    set -l bin (commandline -opc)[1]
    $bin profile list -o csv 2>/dev/null | tail -n +2 | cut -d, -f1
end
function __fish_cachectl_namespaces
    set -l tokens (commandline -opc)
    set -l p
    for i in (seq (count $tokens))
        switch $tokens[$i]
            case -P --profile
                if test $i -lt (count $tokens)
                    set p $tokens[(math $i + 1)]
                end
            case '--profile=*'
                set p (string replace -- '--profile=' '' $tokens[$i])
        end
    end
    test -n "$p"; and $tokens[1] profile show $p -o csv 2>/dev/null | tail -n +2 | cut -d, -f1
end
complete -c cachectl -s P -l profile -r -a '(__fish_cachectl_profiles)'
complete -c cachectl -n "__fish_cachectl_using_subcommand profile; and __fish_seen_subcommand_from check show" -a '(__fish_cachectl_profiles)'
complete -c cachectl -n "__fish_cachectl_using_subcommand invalidate; and __fish_seen_subcommand_from namespace" -f -a '(__fish_cachectl_namespaces)'
complete -c cachectl -n "__fish_cachectl_using_subcommand recommend" -l namespace -f -a '(__fish_cachectl_namespaces)'
