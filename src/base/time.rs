//! Time in Kameoka: dates in the policy and the registers are local dates in Japan.

use jiff::Timestamp;

/// Kameoka's offset. Dates in the policy and the register are local dates in Japan, which
/// has no daylight saving, so a fixed offset is exact and needs no time-zone database.
pub const JST: jiff::tz::Offset = jiff::tz::Offset::constant(9);

/// The instant a local date begins in Japan.
pub fn start_of_day_jst(d: jiff::civil::Date) -> Timestamp {
    JST.to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
        .expect("a civil date is in range")
}

/// An instant as okuri writes it into documents and the record: RFC 3339 with the offset of
/// the machine that wrote it (`2026-11-25T18:30:00+09:00`). Reading one checks it — a time
/// that cannot be read makes the document unreadable, never "expired at <garbage>" — and keeps
/// the text, so a document written back is byte for byte what was read.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Time {
    text: String,
    at: Timestamp,
}

impl Time {
    /// The time of `z`, written with its offset.
    pub fn of(z: &jiff::ZonedDateTime) -> Time {
        Time {
            text: z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            at: z.timestamp(),
        }
    }

    pub fn at(&self) -> Timestamp {
        self.at
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::str::FromStr for Time {
    type Err = jiff::Error;

    fn from_str(s: &str) -> Result<Time, jiff::Error> {
        Ok(Time {
            at: s.parse::<Timestamp>()?,
            text: s.to_owned(),
        })
    }
}

impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::fmt::Debug for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Time({})", self.text)
    }
}

impl PartialOrd for Time {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Time {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.at
            .cmp(&other.at)
            .then_with(|| self.text.cmp(&other.text))
    }
}

impl serde::Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Time {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        s.parse().map_err(|e| {
            serde::de::Error::custom(format_args!("{s:?} is not an RFC 3339 time ({e})"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_and_refuse_garbage() {
        let t: Time = "2026-11-25T18:30:00+09:00".parse().unwrap();
        assert_eq!(t.to_string(), "2026-11-25T18:30:00+09:00");
        assert_eq!(t.at().to_string(), "2026-11-25T09:30:00Z");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-11-25T18:30:00+09:00\""
        );
        assert!(serde_json::from_str::<Time>("\"tomorrow\"").is_err());
        assert!("2026-13-01T00:00:00+09:00".parse::<Time>().is_err());
    }
}
