//! The parsers of outside input, one entry point per fuzz target (`fuzz/`, issue 11). The
//! fuzz targets and the corpus-replay test (`tests/fuzz_corpus.rs`) call these same
//! functions, so what the fuzzer found stays checked in every CI run without instrumented
//! builds. Each one feeds the bytes to every parser of its kind and ignores the verdict: a
//! parser may refuse anything, it may never panic.

use std::path::Path;

use crate::policy::city::{self, Kind};

/// One target: it feeds the bytes to its parsers.
pub type Target = fn(&[u8]);

/// The targets, by name (the directory of their corpus under `fuzz/corpus/`).
pub const TARGETS: &[(&str, Target)] = &[
    ("city_documents", city_documents),
    ("signed_documents", signed_documents),
    ("record", record),
    ("service_bodies", service_bodies),
    ("mountinfo", mountinfo),
    ("age_header", age_header),
];

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The rules, the trust list, the service address, the staff directory and both registers,
/// with their header.
pub fn city_documents(data: &[u8]) {
    let Some(t) = text(data) else { return };
    let p = Path::new("fuzz.toml");
    let _ = city::Header::read(t);
    let _ = crate::policy::Policy::check(t, crate::policy::Origin::Embedded);
    for kind in Kind::ALL {
        let _ = crate::policy::Policy::check_city_document(kind, t, p);
    }
    let _ = crate::policy::directory::Directory::parse(t, p);
    let _ = crate::media::CityMedia::parse(t, p);
}

/// Tokens, denials, designations, medium markers and requests (signed or not).
pub fn signed_documents(data: &[u8]) {
    use crate::signed::Parsed;
    let _ = crate::signed::Signed::parse(data);
    let _ = Parsed::<crate::signed::approval::TokenPayload>::read(data);
    let _ = Parsed::<crate::signed::approval::DenialPayload>::read(data);
    let _ = Parsed::<crate::signed::designation::DesignationPayload>::read(data);
    let _ = Parsed::<crate::signed::marker::MarkerPayload>::read(data);
    let _ = crate::signed::approval::Request::read(data, Path::new("fuzz.req"));
}

/// A record (its lines and its chain) and what the service reads of a witnessed line.
pub fn record(data: &[u8]) {
    let _ = crate::record::verify_bytes(data, None);
    for line in data.split_inclusive(|b| *b == b'\n') {
        let _ = crate::record::parse_link(line);
        let _ = crate::record::rules_of(line);
        let _ = serde_json::from_slice::<crate::record::Entry>(line);
    }
}

/// The bodies the approval service reads.
pub fn service_bodies(data: &[u8]) {
    use crate::net::wire;
    let _ = serde_json::from_slice::<crate::signed::approval::Request>(data);
    let _ = serde_json::from_slice::<wire::DecisionUpload>(data);
    let _ = serde_json::from_slice::<wire::DesignationDoc>(data);
    let _ = serde_json::from_slice::<wire::ChallengeRequest>(data);
    let _ = serde_json::from_slice::<wire::SessionRequest>(data);
    let _ = serde_json::from_slice::<wire::ConsumeRequest>(data);
    let _ = serde_json::from_slice::<wire::WitnessUpdate>(data);
}

/// A mountinfo field, unescaped.
pub fn mountinfo(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = crate::sys::device::unescape(t);
    }
}

/// The age header check of `media scan`.
pub fn age_header(data: &[u8]) {
    let _ = crate::media::is_age_reader(data);
}
