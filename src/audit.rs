//! Who, where and when, for records that outlive the run: the invalidate audit log,
//! checkpoints, warm's `started_at`, the job lock's token.

use chrono::{SecondsFormat, Utc};

/// Now, in milliseconds since the Unix epoch (0 for a clock set before 1970): the one
/// spelling of it, for expiry times, stored samples, run ids, tokens and seeds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Now, as RFC 3339 in UTC with milliseconds: `2026-11-21T19:40:17.123Z`.
pub fn now_rfc3339() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The invoking user: `$USER`/`$LOGNAME`, else the name of the real uid in /etc/passwd (cron
/// and systemd often set no `$USER`), else `uid:N`.
pub fn current_user() -> String {
    ["USER", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(user_from_uid)
}

#[cfg(unix)]
pub fn user_from_uid() -> String {
    // SAFETY: getuid(2) cannot fail and has no preconditions
    let uid = unsafe { libc::getuid() };
    std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|text| name_for_uid(&text, uid))
        .unwrap_or_else(|| format!("uid:{uid}"))
}

#[cfg(not(unix))]
pub fn user_from_uid() -> String {
    std::env::var("USERNAME").unwrap_or_else(|_| "unknown".into())
}

/// The login name of `uid` in passwd(5) text.
fn name_for_uid(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut f = line.split(':');
        let name = f.next()?;
        let id = f.nth(1)?.parse::<u32>().ok()?;
        (id == uid && !name.is_empty()).then(|| name.to_string())
    })
}

/// This machine's host name.
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn now_ms_is_milliseconds_since_the_epoch() {
        let ms = now_ms();
        // after 2020-01-01, before 2200: milliseconds, not seconds or nanoseconds
        assert!((1_577_836_800_000..7_258_118_400_000).contains(&ms), "{ms}");
        assert!(
            (ms / 1000 - chrono::Utc::now().timestamp()).abs() <= 1,
            "{ms}"
        );
    }

    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc_millis() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 24, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
        assert!(chrono::DateTime::parse_from_rfc3339(&t).is_ok());
    }

    #[test]
    fn user_names_from_passwd() {
        let passwd =
            "root:x:0:0:root:/root:/bin/bash\n#c\nbad\napp:x:1001:1001::/home/app:/bin/sh\n";
        assert_eq!(name_for_uid(passwd, 1001).as_deref(), Some("app"));
        assert_eq!(name_for_uid(passwd, 0).as_deref(), Some("root"));
        assert_eq!(name_for_uid(passwd, 5), None);
    }
}
