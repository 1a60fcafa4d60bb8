//! Messages as data. The library never writes a sentence for a person: it returns a [`Msg`] —
//! a message id from the Fluent files (`i18n/<lang>/okuri.ftl`) and typed arguments — and the
//! edge ([`crate::i18n`]) renders it in the reader's language. So a change of wording is an
//! edit of a `.ftl` file, and the record, which stores messages as ids and arguments, never
//! changes when a translation does.
//!
//! Build one with [`msg!`](crate::msg): `msg!("input-symlink", path = &p)`. The test suite
//! checks every `msg!` id and argument name in `src/` against both languages.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::base::channel::Channel;
use crate::base::class::Class;

/// A language okuri speaks. Staff read one; the password slip, which goes to an outside body,
/// carries both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = Msg;

    fn from_str(s: &str) -> Result<Lang, Msg> {
        match s.trim() {
            "ja" => Ok(Lang::Ja),
            "en" => Ok(Lang::En),
            other => Err(crate::msg!("error-unknown-lang", value = other)),
        }
    }
}

/// One argument of a message. In memory it keeps its type, so that the renderer can say a
/// class or a channel in the reader's language; in the record it is plain JSON (a class as
/// `"I"`, a channel as `"email"`, a path as its text), and an argument whose name is `class`
/// or `channel` or ends in `_class` or `_channel` is read back as one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Int(i64),
    Class(Class),
    Channel(Channel),
    Path(PathBuf),
}

impl Value {
    /// The value as text, untranslated; a path as people are shown it (escaped where it is
    /// not UTF-8 or holds control characters, see [`crate::base::fsname::shown`]).
    pub fn plain(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Class(c) => c.as_str().to_owned(),
            Value::Channel(c) => c.as_str().to_owned(),
            Value::Path(p) => crate::base::fsname::shown(p.as_os_str()),
        }
    }

    /// A value read back from JSON under `name`: classes and channels by their names.
    fn typed(name: &str, v: Value) -> Value {
        let Value::Text(s) = &v else { return v };
        if name == "class" || name.ends_with("_class") {
            if let Ok(c) = s.parse::<Class>() {
                return Value::Class(c);
            }
        } else if (name == "channel" || name.ends_with("_channel"))
            && let Ok(c) = s.parse::<Channel>()
        {
            return Value::Channel(c);
        }
        v
    }
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Int(n) => s.serialize_i64(*n),
            // A path is stored losslessly; read back, a UTF-8 one is text like any other.
            Value::Path(p) => crate::base::fsname::serialize(p, s),
            other => s.serialize_str(&other.plain()),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Text(String),
            Path(#[serde(deserialize_with = "crate::base::fsname::deserialize")] PathBuf),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::Int(n) => Value::Int(n),
            Raw::Text(s) => Value::Text(s),
            Raw::Path(p) => Value::Path(p),
        })
    }
}

macro_rules! value_from {
    ($($t:ty => $f:expr),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(v: $t) -> Value {
                #[allow(clippy::redundant_closure_call)]
                ($f)(v)
            }
        })*
    };
}

value_from! {
    String => Value::Text,
    &String => |s: &String| Value::Text(s.clone()),
    &str => |s: &str| Value::Text(s.to_owned()),
    Class => Value::Class,
    Channel => Value::Channel,
    PathBuf => Value::Path,
    &PathBuf => |p: &PathBuf| Value::Path(p.clone()),
    &Path => |p: &Path| Value::Path(p.to_path_buf()),
    &std::ffi::OsString => |p: &std::ffi::OsString| Value::Path(PathBuf::from(p)),
    &std::ffi::OsStr => |p: &std::ffi::OsStr| Value::Path(PathBuf::from(p)),
    u64 => |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX)),
    usize => |n: usize| Value::Int(i64::try_from(n).unwrap_or(i64::MAX)),
    u32 => |n: u32| Value::Int(i64::from(n)),
    i64 => Value::Int,
    &crate::base::digest::Fingerprint => |f: &crate::base::digest::Fingerprint| Value::Text(f.to_string()),
    crate::base::digest::Fingerprint => |f: crate::base::digest::Fingerprint| Value::Text(f.to_string()),
    jiff::Timestamp => |t: jiff::Timestamp| Value::Text(t.to_string()),
    jiff::civil::Date => |d: jiff::civil::Date| Value::Text(d.to_string()),
    &crate::base::time::Time => |t: &crate::base::time::Time| Value::Text(t.to_string()),
}

/// A message for a person: its id in the Fluent files and its arguments.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RawMsg")]
pub struct Msg {
    pub id: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, Value>,
}

/// A message as read back (from the record or the service): classes and channels retyped.
#[derive(Deserialize)]
struct RawMsg {
    id: String,
    #[serde(default)]
    args: BTreeMap<String, Value>,
}

impl From<RawMsg> for Msg {
    fn from(r: RawMsg) -> Msg {
        Msg::dynamic(r.id, r.args)
    }
}

impl Msg {
    pub fn new(id: &'static str) -> Msg {
        Msg {
            id: Cow::Borrowed(id),
            args: BTreeMap::new(),
        }
    }

    /// A message whose id came from elsewhere (the record, the service).
    pub fn dynamic(id: String, args: BTreeMap<String, Value>) -> Msg {
        let args = args
            .into_iter()
            .map(|(k, v)| {
                let v = Value::typed(&k, v);
                (k, v)
            })
            .collect();
        Msg {
            id: Cow::Owned(id),
            args,
        }
    }

    pub fn arg(mut self, name: &str, v: impl Into<Value>) -> Msg {
        self.args.insert(name.to_owned(), v.into());
        self
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

/// Shows the id and arguments, never prose: for logs and `Debug`.
impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)?;
        if !self.args.is_empty() {
            f.write_str(" {")?;
            for (i, (k, v)) in self.args.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, " {k}: {:?}", v.plain())?;
            }
            f.write_str(" }")?;
        }
        Ok(())
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// `msg!("id", name = value, …)`: a [`Msg`] with typed arguments. Argument names are the
/// Fluent variables (`{ $name }`) of the message.
#[macro_export]
macro_rules! msg {
    ($id:literal $(,)?) => {
        $crate::base::message::Msg::new($id)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::base::message::Msg::new($id)$(.arg(stringify!($name), $value))+
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_classes_and_channels() {
        let m = crate::msg!(
            "x",
            class = Class::II,
            approved_channel = Channel::Lgwan,
            n = 3u64,
            who = "a"
        );
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(
            json,
            r#"{"id":"x","args":{"approved_channel":"lgwan","class":"II","n":3,"who":"a"}}"#
        );
        let back: Msg = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
    }
}
