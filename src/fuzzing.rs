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
    ("slip_words", slip_words),
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
    // The first line as the head file (`record.head`), the rest as the record it describes.
    if let Some(n) = data.iter().position(|b| *b == b'\n') {
        let head = text(&data[..n]).and_then(crate::record::Head::parse);
        let _ = crate::record::verify_bytes(&data[n + 1..], head);
    }
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

/// The slip's file name quoting (`okuri::transfer::slip`): the bytes as a file name, quoted
/// for a POSIX shell and read back by the real ones. bash (what the slip's Linux commands are
/// for) must give back exactly the name; dash, which has no `$'…'`, must still read one word,
/// so that no name can end its quote and run a command. The PowerShell word, which cannot be
/// run here, is read back by PowerShell's single-quote rule. Unlike the other targets this one
/// checks a verdict, so it panics when quoting is wrong.
pub fn slip_words(data: &[u8]) {
    use crate::transfer::slip::{posix_word, powershell_word};
    use std::os::unix::ffi::OsStrExt as _;
    // A file name is at most 255 bytes, has no `/` (it is a name, not a path) and no NUL.
    if data.is_empty() || data.len() > 255 || data.contains(&b'/') || data.contains(&0) {
        return;
    }
    let name = std::ffi::OsStr::from_bytes(data);
    let word = posix_word(name);
    assert!(
        !word
            .chars()
            .any(|c| c.is_control() || crate::base::fsname::needs_escape(c)),
        "the word for {data:?} holds a character that would break the slip's line: {word:?}"
    );
    let expected = if data[0] == b'-' {
        [b"./", data].concat()
    } else {
        data.to_vec()
    };
    let read = |shell: &str| -> Vec<Vec<u8>> {
        let out = std::process::Command::new(format!("/bin/{shell}"))
            .arg("-c")
            .arg(format!("printf '%s\\0' {word}"))
            .env_clear()
            .output()
            .unwrap_or_else(|e| panic!("cannot run {shell}: {e}"));
        assert!(out.status.success(), "{shell} refused {word:?}");
        let mut args: Vec<Vec<u8>> = out.stdout.split(|b| *b == 0).map(<[u8]>::to_vec).collect();
        args.pop();
        args
    };
    assert_eq!(
        read("bash"),
        vec![expected.clone()],
        "bash reads {word:?} as another name"
    );
    assert_eq!(read("dash").len(), 1, "dash splits {word:?}");
    if let Some(ps) = powershell_word(name) {
        let text = std::str::from_utf8(&expected).expect("a PowerShell name is UTF-8");
        let text = text
            .strip_prefix("./")
            .map_or(text.to_owned(), |t| format!(".\\{t}"));
        let back = match ps.strip_prefix('\'').and_then(|p| p.strip_suffix('\'')) {
            // Inside single quotes PowerShell reads a doubled quote (of any of its kinds) as one.
            Some(inner) => {
                let mut out = String::new();
                let mut it = inner.chars().peekable();
                while let Some(c) = it.next() {
                    let quote =
                        matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}');
                    assert!(
                        !quote || it.next() == Some(c),
                        "a lone quote ends {ps:?} early"
                    );
                    out.push(c);
                }
                out
            }
            None => ps.clone(),
        };
        assert_eq!(back, text, "PowerShell reads {ps:?} as another name");
    }
}
