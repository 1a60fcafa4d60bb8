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
