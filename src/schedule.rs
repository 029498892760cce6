//! Cron lines -> next run times (croner: POSIX/Vixie semantics).
//!
//! Accepted: standard 5-field crontab lines (minute hour day-of-month month day-of-week;
//! 0 and 7 are Sunday; when both day fields are restricted a day matching either runs —
//! Vixie's OR rule), 6-field lines with leading seconds, names (`MON`, `JAN`) and
//! `@yearly @annually @monthly @weekly @daily @midnight @hourly`. Times are local, like cron.

use chrono::{DateTime, Local, TimeZone};
use croner::parser::{CronParser, Seconds, Year};
use croner::Cron;

#[derive(Debug, Clone)]
pub struct Schedule {
    line: String,
    cron: Cron,
}

impl Schedule {
    pub fn parse(line: &str) -> Result<Self, String> {
        let trimmed = line.trim();
        let fields = trimmed.split_whitespace().count();
        if !trimmed.starts_with('@') && !(5..=6).contains(&fields) {
            return Err(format!(
                "invalid cron line `{line}`: expected 5 fields (min hour dom mon dow) or 6 with leading seconds, found {fields}"
            ));
        }
        let cron = CronParser::builder()
            .seconds(Seconds::Optional)
            .year(Year::Disallowed)
            .build()
            .parse(trimmed)
            .map_err(|e| format!("invalid cron line `{line}`: {e}"))?;
        Ok(Schedule {
            line: trimmed.to_string(),
            cron,
        })
    }

    pub fn line(&self) -> &str {
        &self.line
    }

    /// The first run time strictly after `after`.
    pub fn next_after<Tz: TimeZone>(&self, after: &DateTime<Tz>) -> Option<DateTime<Tz>> {
        self.cron.find_next_occurrence(after, false).ok()
    }

    pub fn next_local(&self) -> Option<DateTime<Local>> {
        self.next_after(&Local::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn next(line: &str, from: &str) -> String {
        Schedule::parse(line)
            .unwrap()
            .next_after(&at(from))
            .unwrap()
            .to_rfc3339()
    }

    #[test]
    fn five_fields() {
        assert_eq!(
            next("*/30 * * * *", "2026-11-21T10:05:00Z"),
            "2026-11-21T10:30:00+00:00"
        );
        assert_eq!(
            next("0 3 * * *", "2026-11-21T10:05:00Z"),
            "2026-11-22T03:00:00+00:00"
        );
        assert_eq!(
            next("15 14 1 * *", "2026-11-21T10:05:00Z"),
            "2026-12-01T14:15:00+00:00"
        );
    }

    #[test]
    fn sunday_is_0_and_7() {
        // 2026-11-21 is a Saturday
        for line in ["0 9 * * 0", "0 9 * * 7", "0 9 * * SUN"] {
            let n = Schedule::parse(line)
                .unwrap()
                .next_after(&at("2026-11-21T10:00:00Z"))
                .unwrap();
            assert_eq!(n.weekday(), chrono::Weekday::Sun, "{line}");
            assert_eq!(n.day(), 22);
        }
    }

    #[test]
    fn dom_dow_or_rule() {
        // "on the 1st, or on Mondays": from Sat 2026-11-21 the next is Mon 23rd, not Dec 1st
        assert_eq!(
            next("0 0 1 * 1", "2026-11-21T10:00:00Z"),
            "2026-11-23T00:00:00+00:00"
        );
        // a restricted day-of-month alone is just that
        assert_eq!(
            next("0 0 1 * *", "2026-11-21T10:00:00Z"),
            "2026-12-01T00:00:00+00:00"
        );
    }

    #[test]
    fn six_fields_with_seconds_and_nicknames() {
        let s = Schedule::parse("*/2 * * * * *").unwrap();
        let n = s.next_after(&at("2026-11-21T10:00:01Z")).unwrap();
        assert_eq!(n.second(), 2);
        assert_eq!(
            next("@hourly", "2026-11-21T10:05:00Z"),
            "2026-11-21T11:00:00+00:00"
        );
        assert_eq!(
            next("@daily", "2026-11-21T10:05:00Z"),
            "2026-11-22T00:00:00+00:00"
        );
        assert_eq!(
            next("@weekly", "2026-11-21T10:05:00Z"),
            "2026-11-22T00:00:00+00:00"
        );
    }

    #[test]
    fn bad_lines() {
        for bad in [
            "",
            "* * *",
            "61 * * * *",
            "* 25 * * *",
            "* * * * * * * *",
            "@sometimes",
            "a b c d e",
        ] {
            assert!(Schedule::parse(bad).is_err(), "{bad:?}");
        }
    }
}
