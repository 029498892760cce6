//! Secrets never printed (SPEC §1): the one place that decides what a password looks like.
//!
//! Two layers, used together by every path that prints a URL, a config or free text
//! (results, logs, audit records, checkpoints, `profile show`, errors, the panic hook):
//!
//! 1. structure: in anything URL-like, the password of the userinfo (`redis://user:PW@h`,
//!    `redis://PW@h`, also when the password holds `/`, `?` or spaces and the URL does not
//!    parse) and the value of `pass=` / `password=` query parameters (`unix:///s.sock?pass=PW`)
//!    become `***`;
//! 2. known secrets: every password the run learns (from URLs, raw and percent-decoded,
//!    `--password-file`, `REDISCLI_AUTH`, secret-looking `${VAR}`s of a profile) is
//!    registered, and free text is scrubbed of each of them wherever it appears.

use std::sync::Mutex;

/// What a secret is replaced with.
pub const MASK: &str = "***";

static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Hints in our own messages that look like userinfo but are documentation.
const PLACEHOLDERS: [&str; 2] = ["[user[:pass]", "[user]:PASSWORD"];

/// Remember a secret so that [`text`] and [`scrub`] remove it from anything printed.
pub fn register(secret: &str) {
    if secret.is_empty() || secret == MASK {
        return;
    }
    let mut s = SECRETS.lock().unwrap_or_else(|e| e.into_inner());
    if !s.iter().any(|x| x == secret) {
        s.push(secret.to_string());
        // longest first, so a secret that contains another is masked whole
        s.sort_by_key(|x| std::cmp::Reverse(x.len()));
    }
}

/// Split a comma-separated URL list, keeping a comma that belongs to a password:
/// `redis://:pa,ss@h` is one URL, `redis://:a@h1,redis://:b@h2` and `h1:1,h2:2` are two. A
/// piece starts a new URL when it has a scheme or is a bare `host[:port][/db]`; anything else
/// (`ss@h`, `w?rd`) continues the previous one, and so does whatever follows a URL cut short
/// in its userinfo (`redis://:pa,redis://ss@h` is one URL whose password holds `,redis://`).
/// One reading stays ambiguous and is taken as two URLs: a user name that is a host and a
/// password part that is a port (`redis://h:123,redis://ss@h2`); a comma in a password can
/// always be written `%2C`.
pub fn split_list(s: &str) -> Vec<&str> {
    let bare = |p: &str| {
        let p = p.trim();
        !p.is_empty()
            && p.bytes().all(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(b, b'.' | b'-' | b'_' | b':' | b'[' | b']' | b'/')
            })
    };
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    for piece in s.split(',') {
        pieces.push((pos, pos + piece.len()));
        pos += piece.len() + 1;
    }
    let text = |i: usize| &s[pieces[i].0..pieces[i].1];
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let mut end = i;
        // a password holding `,redis://`: the piece is no URL of its own (`redis://:pa`,
        // `redis://user:pa` have no address), so it runs to the next piece with an `@`
        if open_userinfo(text(i)) {
            if let Some(j) = (i + 1..pieces.len()).find(|&j| text(j).contains('@')) {
                end = j;
            }
        }
        // the userinfo of a URL ends at the last `@` before the next URL
        if let Some(j) = (end + 1..pieces.len())
            .take_while(|&j| !text(j).contains("://"))
            .filter(|&j| text(j).contains('@'))
            .last()
        {
            end = j;
        }
        // what follows is the same URL unless it is a URL or a bare host of its own, and
        // never when a `pass=` value runs up to the comma
        while end + 1 < pieces.len() {
            let next = text(end + 1);
            let so_far = &s[pieces[i].0..pieces[end].1];
            let open_secret = spans(so_far)
                .last()
                .is_some_and(|&(_, e)| e == so_far.len());
            if next.contains("://") || (bare(next) && !open_secret) {
                break;
            }
            end += 1;
        }
        out.push((pieces[i].0, pieces[end].1));
        i = end + 1;
    }
    out.into_iter().map(|(a, b)| &s[a..b]).collect()
}

/// A bare address, taken as `redis://` + it: `host[:port][/db]`, the host a name, an IPv4
/// address or a bracketed IPv6 one. Nothing else goes without a scheme: `redis:PASS@host`
/// (no `//`) is no URL, and must not reach a default address.
pub fn bare_address(u: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (addr, db) = match u.split_once('/') {
        Some((a, db)) => (a, Some(db)),
        None => (u, None),
    };
    if db.is_some_and(|d| !digits(d)) {
        return false;
    }
    let (host, port) = match addr.strip_prefix('[') {
        // `[::1]:6379`
        Some(rest) => match rest.split_once(']') {
            Some((h, _))
                if !h
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') =>
            {
                return false
            }
            Some((h, "")) => (h, None),
            Some((h, tail)) => match tail.strip_prefix(':') {
                Some(p) => (h, Some(p)),
                None => return false,
            },
            None => return false,
        },
        None => match addr.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (addr, None),
        },
    };
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':'))
        && port.is_none_or(digits)
}

/// A URL cut short inside its userinfo: a scheme, then no `@` and no address before the path
/// (`redis://:pa`, `redis://user:pa`). Socket URLs have no address to check.
fn open_userinfo(piece: &str) -> bool {
    let Some((scheme, rest)) = piece.trim().split_once("://") else {
        return false;
    };
    if scheme.to_ascii_lowercase().ends_with("unix") || rest.contains('@') {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    !bare_address(authority)
}

/// Register the passwords a URL (or a comma-separated list) carries, raw and decoded.
pub fn register_url(url: &str) {
    for part in split_list(url) {
        for (a, b) in spans(part) {
            let raw = &part[a..b];
            register(raw);
            register(&percent_decode(raw));
        }
    }
}

/// Register the secrets the environment holds: `$CACHECTL_URL`, `$REDIS_URL`, `$REDISCLI_AUTH`.
pub fn register_env() {
    for k in ["CACHECTL_URL", "REDIS_URL"] {
        if let Ok(v) = std::env::var(k) {
            register_url(&v);
        }
    }
    if let Ok(v) = std::env::var("REDISCLI_AUTH") {
        register(&v);
    }
}

/// Replace every registered secret in `s` by `***`.
pub fn scrub(s: &str) -> String {
    // a copy: nothing that could panic runs while the lock is held (the panic hook scrubs too)
    let secrets = SECRETS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut out = s.to_string();
    for secret in secrets.iter() {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    out
}

/// A URL (or a comma-separated list of them) fit to print.
pub fn url(u: &str) -> String {
    scrub(
        &split_list(u)
            .into_iter()
            .map(redact_one)
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// Free text (error messages, log lines, commands) fit to print: URL-like words redacted,
/// registered secrets removed.
pub fn text(t: &str) -> String {
    let words: Vec<&str> = t.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        // a URL whose password holds spaces: `redis://:pa ss@h` spans words
        let mut end = i;
        if word.contains("://") {
            // the userinfo ends at the last `@` of the next few words
            if let Some(j) = (i + 1..words.len().min(i + 5))
                .take_while(|&j| !words[j].contains("://"))
                .filter(|&j| words[j].contains('@'))
                .last()
            {
                end = j;
            }
        }
        let unit = words[i..=end].join(" ");
        if url_like(&unit) {
            // quotes and punctuation around a URL in a message are not part of it
            let body = unit.trim_end_matches(['`', '\'', '"', ':', ',', ';', ')', '.']);
            let tail = &unit[body.len()..];
            let parts: Vec<String> = split_list(body).into_iter().map(redact_one).collect();
            out.push(parts.join(",") + tail);
        } else {
            out.push(unit);
        }
        i = end + 1;
    }
    scrub(&out.join(" "))
}

fn url_like(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    word.contains("://")
        || lower.contains("pass=")
        || lower.contains("password=")
        || word.find(':').is_some_and(|c| word[c..].contains('@'))
}

/// Byte ranges of `part` that hold a secret.
fn spans(part: &str) -> Vec<(usize, usize)> {
    let start = part.find("://").map_or(0, |i| i + 3);
    let lower = part.to_ascii_lowercase();
    let mut out = Vec::new();
    // query parameters: ?pass=… &password=… up to the next `&`
    for key in ["pass=", "password="] {
        let mut from = start;
        while let Some(i) = lower[from..].find(key) {
            let at = from + i;
            from = at + key.len();
            if at == 0 || !matches!(part.as_bytes()[at - 1], b'?' | b'&' | b';') {
                continue;
            }
            let end = part[from..].find('&').map_or(part.len(), |j| from + j);
            out.push((from, end));
        }
    }
    // userinfo: up to the last `@` (a password may hold `/`, `?` or `@` unencoded)
    if let Some(at) = part[start..].rfind('@').map(|i| start + i) {
        let userinfo = &part[start..at];
        if !PLACEHOLDERS.contains(&userinfo) {
            match userinfo.find(':') {
                Some(c) => out.push((start + c + 1, at)),
                // `redis://secret@host`: a lone userinfo may well be a password
                None if !userinfo.is_empty() => out.push((start, at)),
                None => {}
            }
        }
    }
    out.sort();
    // merge overlaps
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in out {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

fn redact_one(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    let mut pos = 0;
    for (a, b) in spans(part) {
        out.push_str(&part[pos..a]);
        out.push_str(MASK);
        pos = b;
    }
    out.push_str(&part[pos..]);
    out
}

/// `%XX` decoding (invalid escapes kept as they are, the result made valid UTF-8).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A writer for logs (stderr) that scrubs each write: tracing writes one event per call.
pub struct ScrubWriter<W: std::io::Write>(pub W);

impl<W: std::io::Write> std::io::Write for ScrubWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let s = String::from_utf8_lossy(buf);
        self.0.write_all(text(&s).as_bytes())?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_addresses() {
        for ok in [
            "localhost",
            "redis:6379",
            "10.0.0.5:6380/2",
            "cache-1.internal",
            "[::1]:6379",
            "[::1]",
            "h/0",
        ] {
            assert!(bare_address(ok), "{ok}");
        }
        for bad in [
            "redis:PASS@host",
            "PASS@host",
            "redis:/127.0.0.1",
            "h:port",
            "h:1/x",
            ":6379",
            "[::1]x",
            "[zz]:1",
            "h:1:2x",
        ] {
            assert!(!bare_address(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert_eq!(
            url("redis://app:s3cret@db:6379/0"),
            "redis://app:***@db:6379/0"
        );
        assert_eq!(url("rediss://:pw@h"), "rediss://:***@h");
        assert_eq!(url("redis://pw@h:1"), "redis://***@h:1");
        assert_eq!(url("redis://h:1"), "redis://h:1");
        assert_eq!(url("unix:///tmp/r.sock"), "unix:///tmp/r.sock");
        assert_eq!(
            url("redis://:a@h1:1,redis://:b@h2:2"),
            "redis://:***@h1:1,redis://:***@h2:2"
        );
        assert_eq!(url(":pw@h:1"), ":***@h:1");
    }

    #[test]
    fn hostile_urls() {
        // a password with `/`, `?`, `@`: the URL does not parse, the secret still goes
        assert_eq!(url("redis://:pa/ss@h/0"), "redis://:***@h/0");
        assert_eq!(url("redis://u:p?a@ss@h"), "redis://u:***@h");
        // query passwords
        assert_eq!(url("unix:///s.sock?pass=PW"), "unix:///s.sock?pass=***");
        assert_eq!(
            url("unix:///s.sock?db=1&PASSWORD=PW&user=u"),
            "unix:///s.sock?db=1&PASSWORD=***&user=u"
        );
        // ambiguous: both readings are masked
        assert!(!url("unix:///s.sock?pass=p@ss").contains("p@ss"));
        assert!(!url("unix:///s.sock?pass=p@ss").contains("ss"));
        // a comma in a password is not a list separator
        assert_eq!(url("redis://:pa,ss@h"), "redis://:***@h");
        assert_eq!(split_list("redis://:pa,ss@h"), vec!["redis://:pa,ss@h"]);
        assert_eq!(split_list("h1:1,h2:2"), vec!["h1:1", "h2:2"]);
        assert_eq!(
            split_list("redis://:a@h1:1,redis://h2:2/0,h3"),
            vec!["redis://:a@h1:1", "redis://h2:2/0", "h3"]
        );
        assert_eq!(url("unix:///s?pass=a,b?c d"), "unix:///s?pass=***");
        assert_eq!(url("unix:///s?pass=,AAA"), "unix:///s?pass=***");
        assert_eq!(url("redis://:,A,:@h:1/0"), "redis://:***@h:1/0");
        assert_eq!(url("redis://:x,y@z,w@h,h2:1"), "redis://:***@h,h2:1");
        // a password holding `,redis://`: none of it shows, nor does it split the list
        for (list, shown) in [
            (
                "redis://:s3cr3t,redis://x@h1:1,redis://h2:2",
                "redis://:***@h1:1,redis://h2:2",
            ),
            ("redis://app:s3cr3t,redis://x@h1:1", "redis://app:***@h1:1"),
            (
                "redis://h0:1,redis://:s3cr3t,rediss://x,redis://y@h1:1",
                "redis://h0:1,redis://:***@h1:1",
            ),
            ("rediss://u:s3/cr3t,redis://x@h:1/0", "rediss://u:***@h:1/0"),
        ] {
            assert_eq!(url(list), shown, "{list}");
            assert_eq!(split_list(list).len(), shown.split(',').count(), "{list}");
            assert!(!text(&format!("cannot connect to {list}: refused")).contains("s3"));
        }
        // real lists keep their URLs
        assert_eq!(
            split_list("redis://h1:6379,redis://:pw@h2:6380,unix:///s.sock"),
            vec!["redis://h1:6379", "redis://:pw@h2:6380", "unix:///s.sock"]
        );
        assert_eq!(
            text("error for `redis://:@  0@cache-1:6379/0`: refused"),
            "error for `redis://:***@cache-1:6379/0`: refused"
        );
        // no scheme at all
        assert_eq!(url("u:pw@h"), "u:***@h");
    }

    #[test]
    fn free_text() {
        assert_eq!(
            text("failed for redis://u:p@h:1/0: refused"),
            "failed for redis://u:***@h:1/0: refused"
        );
        assert_eq!(
            text("invalid URL `unix:///x?pass=PW`: bad"),
            "invalid URL `unix:///x?pass=***`: bad"
        );
        // the syntax hint is left alone
        let hint = "expected redis://[user[:pass]@]host[:port][/db], rediss://…";
        assert_eq!(text(hint), hint);
        // a password with spaces spans words
        assert_eq!(
            text("cannot connect to `redis://: pa ss@h:1/0`: refused"),
            "cannot connect to `redis://:***@h:1/0`: refused"
        );
        // keys with @ are not URLs
        assert_eq!(text("key user@example.com"), "key user@example.com");
    }

    #[test]
    fn registered_secrets_are_scrubbed() {
        register("Zq9-registered-Xy");
        assert_eq!(
            text("AUTH failed: Zq9-registered-Xy is wrong"),
            "AUTH failed: *** is wrong"
        );
        register_url("redis://:p%40ss%20w0rd-Qk@h");
        assert_eq!(scrub("pw p@ss w0rd-Qk"), "pw ***");
        assert_eq!(scrub("pw p%40ss%20w0rd-Qk"), "pw ***");
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("p%40ss%2Fx"), "p@ss/x");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
