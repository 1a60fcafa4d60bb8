//! File names and paths as the filesystem has them: bytes, not necessarily UTF-8.
//!
//! Stored losslessly (in the record, in `--json`, in signed documents) as a JSON string when
//! the name is UTF-8, which is the common case and keeps old records and scripts working, and
//! otherwise as `{"bytes": "<base64 of the raw bytes>"}` (ripgrep's `--json` does the same);
//! `{"text": "…"}` is read too. Shown to people with [`shown`]: control characters, Unicode
//! direction overrides and bytes that are not UTF-8 are escaped, so that no name can draw a
//! line of its own on a terminal or a slip, or pass for another name.

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The name for people: UTF-8 text as it is, except that control and direction-formatting
/// characters are written `\n`, `\t`, `\r` or `\u{…}`, bytes that are not UTF-8 `\xNN`, and a
/// backslash `\\`.
pub fn shown(name: impl AsRef<OsStr>) -> String {
    let name = name.as_ref();
    let mut s = String::with_capacity(name.len());
    for chunk in name.as_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                // So that a name holding the text `\xFF` never looks like one holding the byte.
                '\\' => s.push_str("\\\\"),
                '\n' => s.push_str("\\n"),
                '\t' => s.push_str("\\t"),
                '\r' => s.push_str("\\r"),
                c if needs_escape(c) => {
                    let _ = write!(s, "\\u{{{:x}}}", u32::from(c));
                }
                c => s.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(s, "\\x{b:02X}");
        }
    }
    s
}

/// Characters that would change how a line looks rather than appear in it: C0/C1 controls,
/// and the invisible marks that reorder text (a name `cod\u{202e}fdp.exe` reads as `codexe.pdf`).
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// How a name is stored in JSON, both ways.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Stored<'a> {
    Text(std::borrow::Cow<'a, str>),
    Wrapped(Wrapped),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapped {
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bytes: Option<String>,
}

/// `#[serde(with = "crate::base::fsname")]` for a `PathBuf` or `OsString` field.
pub fn serialize<S: Serializer, P: AsRef<OsStr>>(p: &P, s: S) -> Result<S::Ok, S::Error> {
    let raw = p.as_ref();
    match raw.to_str() {
        Some(t) => Stored::Text(t.into()).serialize(s),
        None => Stored::Wrapped(Wrapped {
            text: None,
            bytes: Some(STANDARD.encode(raw.as_bytes())),
        })
        .serialize(s),
    }
}

/// The other half of [`serialize`]; also reads `{"text": …}`.
pub fn deserialize<'de, D: Deserializer<'de>, P: From<OsString>>(d: D) -> Result<P, D::Error> {
    use serde::de::Error as _;
    let raw = match Stored::deserialize(d)? {
        Stored::Text(t) => OsString::from(t.into_owned()),
        Stored::Wrapped(Wrapped {
            text: Some(t),
            bytes: None,
        }) => OsString::from(t),
        Stored::Wrapped(Wrapped {
            text: None,
            bytes: Some(b),
        }) => OsString::from_vec(
            STANDARD
                .decode(b.as_bytes())
                .map_err(|_| D::Error::custom("a name's bytes are not base64"))?,
        ),
        Stored::Wrapped(_) => {
            return Err(D::Error::custom(
                "a name is a string, {\"text\": …} or {\"bytes\": …}",
            ));
        }
    };
    Ok(P::from(raw))
}

/// The same for an `Option` field.
pub mod option {
    use super::*;

    pub fn serialize<S: Serializer, P: AsRef<OsStr>>(
        p: &Option<P>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match p {
            Some(p) => super::serialize(p, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>, P: From<OsString>>(
        d: D,
    ) -> Result<Option<P>, D::Error> {
        #[derive(Deserialize)]
        struct W<Q: From<OsString>>(#[serde(deserialize_with = "super::deserialize")] Q);
        Ok(Option::<W<P>>::deserialize(d)?.map(|W(p)| p))
    }
}

/// The same for a list.
pub mod vec {
    use super::*;

    pub fn serialize<S: Serializer, P: AsRef<OsStr>>(v: &[P], s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq as _;
        struct One<'a>(&'a OsStr);
        impl Serialize for One<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                super::serialize(&self.0, s)
            }
        }
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for p in v {
            seq.serialize_element(&One(p.as_ref()))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>, P: From<OsString>>(
        d: D,
    ) -> Result<Vec<P>, D::Error> {
        #[derive(Deserialize)]
        struct W<Q: From<OsString>>(#[serde(deserialize_with = "super::deserialize")] Q);
        Ok(Vec::<W<P>>::deserialize(d)?
            .into_iter()
            .map(|W(p)| p)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct T {
        #[serde(with = "super")]
        p: PathBuf,
        #[serde(with = "super::option", default)]
        o: Option<OsString>,
    }

    #[test]
    fn utf8_names_stay_strings_and_others_round_trip_as_bytes() {
        let t = T {
            p: PathBuf::from("/tmp/報告.csv"),
            o: None,
        };
        let j = serde_json::to_string(&t).unwrap();
        assert_eq!(j, r#"{"p":"/tmp/報告.csv","o":null}"#);
        assert_eq!(serde_json::from_str::<T>(&j).unwrap(), t);

        let odd = T {
            p: PathBuf::from(OsString::from_vec(b"/tmp/\xffmemo.txt".to_vec())),
            o: Some(OsString::from_vec(b"\xfe\n".to_vec())),
        };
        let j = serde_json::to_string(&odd).unwrap();
        assert_eq!(
            j,
            r#"{"p":{"bytes":"L3RtcC//bWVtby50eHQ="},"o":{"bytes":"/go="}}"#
        );
        assert_eq!(serde_json::from_str::<T>(&j).unwrap(), odd);
        let text: T = serde_json::from_str(r#"{"p":{"text":"a b"}}"#).unwrap();
        assert_eq!(text.p, PathBuf::from("a b"));
        for bad in [
            r#"{"p":{"bytes":"!!"}}"#,
            r#"{"p":{"text":"a","bytes":"YQ=="}}"#,
            r#"{"p":{}}"#,
            r#"{"p":7}"#,
        ] {
            assert!(serde_json::from_str::<T>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shown_escapes_what_could_forge_or_hide() {
        let s = |b: &[u8]| shown(OsStr::from_bytes(b));
        assert_eq!(s("報告 (1).csv".as_bytes()), "報告 (1).csv");
        assert_eq!(s(b"\xffmemo.txt"), "\\xFFmemo.txt");
        assert_eq!(
            s(b"a\nPassphrase: 0000\r\t\x1b[2J"),
            "a\\nPassphrase: 0000\\r\\t\\u{1b}[2J"
        );
        assert_eq!(s("cod\u{202e}fdp.exe".as_bytes()), "cod\\u{202e}fdp.exe");
    }
}
