//! UTC timestamps: milliseconds since the Unix epoch in the store, ISO-8601 strings in JSON.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A point in time, UTC, with millisecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

impl Timestamp {
    pub fn now() -> Self {
        Timestamp(Utc::now().timestamp_millis())
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn plus_ms(self, ms: i64) -> Self {
        Timestamp(self.0.saturating_add(ms))
    }

    /// Parses ISO-8601 / RFC 3339 (`2026-11-26T10:14:18.123Z`, any offset) or a plain
    /// `yyyy-MM-ddTHH:mm:ss[.fff]` taken as UTC.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Ok(Timestamp(t.timestamp_millis()));
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
        ] {
            if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
                return Ok(Timestamp(Utc.from_utc_datetime(&t).timestamp_millis()));
            }
        }
        Err(Error::invalid(format!(
            "'{}' is not a date and time; use ISO 8601, for example 2026-11-26T10:00:00Z.",
            crate::error::shorten(text)
        ))
        .with_target(text))
    }

    /// Parses what scripts write for a date: ISO 8601 as [`Timestamp::parse`] does, a date
    /// alone, or the US form PowerShell prints (`1/25/2022 11:59:59 PM`), all taken as UTC.
    pub fn parse_loose(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Ok(t) = Timestamp::parse(text) {
            return Some(t);
        }
        for format in [
            "%m/%d/%Y %I:%M:%S %p",
            "%m/%d/%Y %H:%M:%S",
            "%m/%d/%Y %H:%M",
        ] {
            if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
                return Some(Timestamp(Utc.from_utc_datetime(&t).timestamp_millis()));
            }
        }
        for format in ["%Y-%m-%d", "%m/%d/%Y"] {
            if let Ok(d) = chrono::NaiveDate::parse_from_str(text, format) {
                let t = d.and_hms_opt(0, 0, 0)?;
                return Some(Timestamp(Utc.from_utc_datetime(&t).timestamp_millis()));
            }
        }
        None
    }

    pub fn to_iso(self) -> String {
        match Utc.timestamp_millis_opt(self.0).single() {
            Some(t) => t.to_rfc3339_opts(SecondsFormat::Millis, true),
            None => String::from("invalid-time"),
        }
    }
}

/// Where the service and the worker read the time. Every rule that depends on time (hold,
/// back-off, retry window, leases, what has ended, purge) reads it here, so a test moves a
/// [`ManualClock`] instead of editing the store.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that is the system's plus an offset that tests move forward.
#[derive(Debug, Default)]
pub struct ManualClock {
    offset_ms: std::sync::atomic::AtomicI64,
}

impl ManualClock {
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock `ms` milliseconds forward.
    pub fn advance(&self, ms: i64) {
        self.offset_ms
            .fetch_add(ms, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp::now().plus_ms(self.offset_ms.load(std::sync::atomic::Ordering::SeqCst))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_iso() {
        let t = Timestamp::parse("2026-11-26T10:14:18.123Z").unwrap();
        assert_eq!(t.to_iso(), "2026-11-26T10:14:18.123Z");
        assert_eq!(
            Timestamp::parse("2026-11-26T11:14:18.123+01:00").unwrap(),
            t
        );
        assert!(Timestamp::parse("yesterday").is_err());
    }
}
