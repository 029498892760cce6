//! A URL that is not one of the documented forms is a usage error (exit 2), its password
//! redacted, and nothing is connected to: not even the default address.

use crate::support::cachectl;

fn refused(url: &str, says: &str) {
    let out = cachectl()
        .args(["-u", url, "--timeout", "1s", "analyze"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // exit 2 whether or not a server listens on 127.0.0.1:6379 (a connection would be 0 or 1)
    assert_eq!(out.status.code(), Some(2), "{url}: {err}");
    assert!(out.stdout.is_empty());
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.starts_with("cachectl: error: invalid URL `"), "{err}");
    assert!(err.contains(says), "{url}: {err}");
    assert!(!err.contains("S3cret"), "{err}");
    // no stray mask: nothing but the password was taken for one
    assert!(err.contains("(expected redis://"), "{err}");
}

#[test]
fn a_scheme_without_slashes_is_a_usage_error() {
    refused("redis:S3cret-pw@127.0.0.1", "`redis:***@127.0.0.1`");
    refused("redis:S3cret-pw@localhost:6379/0", "no `//` after a scheme");
}

#[test]
fn an_unknown_scheme_is_a_usage_error() {
    refused(
        "http://app:S3cret-pw@127.0.0.1:6379",
        "unknown scheme `http`",
    );
    refused(
        "redis-cluster://127.0.0.1:6379",
        "unknown scheme `redis-cluster`",
    );
}

/// A password holding `,redis://` in a seed list: neither half of it is printed, and the list
/// is not cut inside it (it used to print `invalid URL `redis://:S3cret-a``).
#[test]
fn a_password_holding_a_url_separator_stays_hidden() {
    refused(
        "redis://:S3cret-a,redis://S3cret-b@127.0.0.1:1,redis://127.0.0.1:2",
        "`redis://:***@127.0.0.1:1`",
    );
    refused(
        "redis://app:S3cret-a,rediss://S3cret-b@127.0.0.1:1",
        "`redis://app:***@127.0.0.1:1`",
    );
    // percent-encoded, it is a password like any other: the seeds are tried, none answers
    let out = cachectl()
        .args([
            "-v",
            "-u",
            "redis://:S3cret-a%2Credis%3A%2F%2FS3cret-b@127.0.0.1:1,redis://127.0.0.1:2",
            "--timeout",
            "1s",
            "analyze",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("redis://:***@127.0.0.1:1"), "{err}");
    assert!(!err.contains("S3cret"), "{err}");
}
