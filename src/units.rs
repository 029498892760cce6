//! Units: durations, percentages and rates (range-checked parsing for flags and profiles)
//! and their human forms (`1h30m`, `1.5 KiB`, `1,234,567`).

use std::time::Duration;

/// The longest duration accepted anywhere (flags and profiles): 100 years.
pub const MAX_DURATION_SECS: f64 = 100.0 * 365.25 * 86_400.0;

/// Seconds -> Duration, refusing what is not a number, negative, or beyond 100 years.
fn checked_secs(secs: f64, input: &str) -> Result<Duration, String> {
    if !secs.is_finite() {
        return Err(format!(
            "invalid duration `{input}` (expected e.g. 500ms, 30s, 15m, 1h, 7d)"
        ));
    }
    if secs < 0.0 {
        return Err(format!("duration `{input}` is negative"));
    }
    if secs > MAX_DURATION_SECS {
        return Err(format!(
            "duration `{input}` is out of range (at most 100 years)"
        ));
    }
    Duration::try_from_secs_f64(secs).map_err(|e| format!("duration `{input}`: {e}"))
}

/// Parse `500ms`, `30s`, `15m`, `1h`, `7d`, compounds like `1h30m`, or a bare number of
/// seconds. Negative, non-finite and longer than 100 years are errors, never a panic.
pub fn parse_duration(input: &str) -> Result<Duration, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    if let Ok(secs) = s.parse::<f64>() {
        return checked_secs(secs, input);
    }
    let bad = || format!("invalid duration `{input}` (expected e.g. 500ms, 30s, 15m, 1h, 7d)");
    let mut total = 0.0f64;
    let mut rest = s;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        if num_end == 0 {
            return Err(bad());
        }
        let value: f64 = rest[..num_end].parse().map_err(|_| bad())?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        rest = &rest[unit_end..];
        let mult = match unit {
            "ms" => 0.001,
            "s" | "sec" | "secs" => 1.0,
            "m" | "min" | "mins" => 60.0,
            "h" | "hr" | "hrs" => 3600.0,
            "d" | "day" | "days" => 86400.0,
            "w" => 7.0 * 86400.0,
            _ => return Err(bad()),
        };
        total += value * mult;
    }
    checked_secs(total, input)
}

/// clap value parser for durations.
pub fn duration_arg(s: &str) -> Result<Duration, String> {
    parse_duration(s)
}

/// Parse `10%` or `10` as a percentage (0–100).
pub fn parse_percent(input: &str) -> Result<f64, String> {
    let s = input.trim().trim_end_matches('%').trim();
    let v: f64 = s
        .parse()
        .map_err(|_| format!("invalid percentage `{input}` (expected e.g. 10%)"))?;
    if !(0.0..=100.0).contains(&v) {
        return Err(format!("percentage `{input}` out of range 0–100"));
    }
    Ok(v)
}

/// Parse a rate: `1000`, `1000/s`, `60/m`, `3600/h`. Returns units per second.
pub fn parse_rate(input: &str) -> Result<f64, String> {
    let s = input.trim();
    let bad = || format!("invalid rate `{input}` (expected e.g. 1000/s)");
    let (num, per) = match s.split_once('/') {
        Some((n, p)) => (n.trim(), p.trim()),
        None => (s, "s"),
    };
    let n: f64 = num.parse().map_err(|_| bad())?;
    let div = match per {
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        _ => return Err(bad()),
    };
    if !(n > 0.0 && n.is_finite()) {
        return Err(format!("rate `{input}` must be positive"));
    }
    let per_s = n / div;
    // at least one per 100 years, at most a trillion per second: pacing stays computable
    if per_s * MAX_DURATION_SECS < 1.0 || per_s > 1e12 {
        return Err(format!("rate `{input}` is out of range"));
    }
    Ok(per_s)
}

/// clap value parser for rates.
pub fn rate_arg(s: &str) -> Result<f64, String> {
    parse_rate(s)
}

// URL and text redaction live in `crate::redact`; these names stay for existing callers.

/// 1536 -> "1.5 KiB". Tables only; CSV/JSON carry raw numbers.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// 93784 -> "1d2h", for tables.
pub fn human_secs(s: u64) -> String {
    match s {
        0..=119 => format!("{s}s"),
        120..=7199 => format!("{}m", s / 60),
        7200..=172_799 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86400),
    }
}

/// 1234567 -> "1,234,567", for tables.
pub fn human_count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Canonical short form: the largest unit that divides exactly.
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_millis() as u64;
    for (unit, n) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
    ] {
        if ms >= n && ms.is_multiple_of(n) {
            return format!("{}{unit}", ms / n);
        }
    }
    format!("{ms}ms")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("15m").unwrap(), Duration::from_secs(900));
        assert_eq!(parse_duration("1h").unwrap(), Duration::from_secs(3600));
        assert_eq!(parse_duration("7d").unwrap(), Duration::from_secs(604_800));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("ms").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn hostile_durations_are_errors_not_panics() {
        for bad in [
            "1e30",
            "1e20",
            "1e300",
            "-1",
            "-0.5",
            "NaN",
            "nan",
            "inf",
            "-inf",
            "infinity",
            "1e309",
            "36525d1s",
            "5300w",
            "99999999999999999999999h",
            "1.2.3s",
            "1e3s",
            "--1s",
            "\u{0}",
            "1s-",
            "1 s",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert!(parse_duration("1e30")
            .unwrap_err()
            .contains("at most 100 years"));
        assert_eq!(
            parse_duration("36524d").unwrap(),
            Duration::from_secs(36524 * 86400)
        );
        assert_eq!(parse_duration("1e3").unwrap(), Duration::from_secs(1000));
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        for bad in ["NaN", "inf", "-5", "1e300", "101%", "-0.1%", "%"] {
            assert!(parse_percent(bad).is_err(), "{bad}");
        }
        for bad in [
            "NaN/s", "inf/s", "-1/s", "1e300/s", "1e-300/s", "1/y", "/s", "1//s",
        ] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
        assert!(parse_rate("1/h").is_ok());
    }

    #[test]
    fn percents_and_rates() {
        assert_eq!(parse_percent("10%").unwrap(), 10.0);
        assert_eq!(parse_percent("2.5").unwrap(), 2.5);
        assert!(parse_percent("150%").is_err());
        assert_eq!(parse_rate("1000/s").unwrap(), 1000.0);
        assert_eq!(parse_rate("60/m").unwrap(), 1.0);
        assert_eq!(parse_rate("250").unwrap(), 250.0);
        assert!(parse_rate("0/s").is_err());
        assert!(parse_rate("fast").is_err());
    }

    #[test]
    fn humanised() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_count(1_234_567), "1,234,567");
        assert_eq!(human_secs(3600), "60m");
        assert_eq!(human_secs(86400 * 3), "3d");
    }
}

/// "1 of 5 keys has", "3 of 3 keys have": part of a count, with the verb agreeing.
pub fn n_of_keys_have(part: u64, all: u64) -> String {
    format!(
        "{} of {} {}",
        human_count(part),
        plural(all, "key", "keys"),
        if part == 1 { "has" } else { "have" }
    )
}

/// "1 key", "2 keys", "1,500 keys": a count with the right form of its noun, for messages.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", human_count(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod plural_tests {
    use super::*;

    #[test]
    fn plural_forms() {
        assert_eq!(plural(1, "key", "keys"), "1 key");
        assert_eq!(plural(0, "key", "keys"), "0 keys");
        assert_eq!(plural(1500, "key", "keys"), "1,500 keys");
    }
}
