//! Ids: who people are to okuri ([`StaffId`]), and what it names — requests, tokens, denials,
//! designations, media ([`RequestId`] and its kin: a prefix and 128 random bits), transfers
//! ([`TransferId`], digits to read over the phone). Each is checked where it is read, so a
//! malformed id is bad input at the edge, never a string compared deep inside.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::base::message::{Msg, Value};
use crate::msg;

/// The bytes an id may use: lower-case ASCII letters, digits, `.`, `_` and `-`. No spaces,
/// commas, quotes or wildcards, because a person's id is the principal in an OpenSSH
/// allowed_signers file; no `@`, because a record's id is `<person>@<machine>` and must split
/// one way only; one case, so that two spellings never name two people.
fn id_byte(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-')
}

/// The ids that may name a person (or a recipient): 1 to 64 of [`id_byte`].
pub fn check_id(id: &str) -> std::result::Result<(), Msg> {
    let ok = !id.is_empty() && id.len() <= 64 && id.bytes().all(id_byte);
    if ok {
        Ok(())
    } else {
        Err(msg!("key-bad-id", id = id))
    }
}

/// 128 random bits from the operating system, as lower-case hex.
fn random_hex() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b).map_err(Error::random)?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $check:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = Msg;

            fn from_str(s: &str) -> std::result::Result<Self, Msg> {
                #[allow(clippy::redundant_closure_call)]
                if ($check)(s) {
                    Ok($name(s.to_owned()))
                } else {
                    Err(msg!("id-bad", kind = $kind, value = s))
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(s: String) -> std::result::Result<Self, String> {
                s.parse::<$name>()
                    .map_err(|_| format!("{s:?} is not a valid {} id", $kind))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl From<&$name> for Value {
            fn from(id: &$name) -> Value {
                Value::Text(id.0.clone())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// `<prefix>-` and 32 lower-case hex digits.
fn prefixed(prefix: &'static str) -> impl Fn(&str) -> bool {
    move |s: &str| {
        s.strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('-'))
            .is_some_and(|h| {
                h.len() == 32 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            })
    }
}

macro_rules! random_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $kind:literal) => {
        id_type!($(#[$doc])* $name, $kind, prefixed($prefix));

        impl $name {
            /// A fresh id.
            pub fn new() -> Result<$name> {
                Ok($name(format!("{}-{}", $prefix, random_hex()?)))
            }
        }
    };
}

id_type!(
    /// A person: staff, custodian, officer or auditor (`yamada.taro`).
    StaffId,
    "staff",
    |s: &str| check_id(s).is_ok()
);
random_id!(
    /// A request for approval: `req-` and 32 hex digits.
    RequestId,
    "req",
    "request"
);
random_id!(
    /// An approval token: `tok-` and 32 hex digits.
    TokenId,
    "tok",
    "token"
);
random_id!(
    /// A custodian's refusal: `den-` and 32 hex digits.
    DenialId,
    "den",
    "denial"
);
random_id!(
    /// An information officer's designation: `des-` and 32 hex digits.
    DesignationId,
    "des",
    "designation"
);
random_id!(
    /// A registered removable medium: `med-` and 32 hex digits.
    MediumId,
    "med",
    "medium"
);
id_type!(
    /// A transfer: `YYYYMMDD-NNNN-NNNN`, digits only, so that it is read over the phone like
    /// the passphrase.
    TransferId,
    "transfer",
    |s: &str| {
        let b = s.as_bytes();
        b.len() == 18
            && b[8] == b'-'
            && b[13] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 8 || i == 13 || c.is_ascii_digit())
    }
);

impl TransferId {
    /// A fresh transfer id for the day of `now`.
    pub fn new(now: &jiff::ZonedDateTime) -> Result<TransferId> {
        let mut b = [0u8; 8];
        getrandom::getrandom(&mut b).map_err(Error::random)?;
        let n = u64::from_le_bytes(b) % 100_000_000;
        Ok(TransferId(format!(
            "{}-{:04}-{:04}",
            now.strftime("%Y%m%d"),
            n / 10_000,
            n % 10_000
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_where_they_are_read() {
        let r = RequestId::new().unwrap();
        assert_eq!(r.as_str().parse::<RequestId>().unwrap(), r);
        for bad in [
            "req-",
            "req-XYZ",
            "tok-00000000000000000000000000000000",
            "req-0000000000000000000000000000000G",
            "req-00000000000000000000000000000000 ",
        ] {
            assert!(bad.parse::<RequestId>().is_err(), "{bad}");
        }
        assert!(
            serde_json::from_str::<TokenId>("\"tok-00000000000000000000000000000000\"").is_ok()
        );
        assert!(serde_json::from_str::<TokenId>("\"tok-0\"").is_err());
        assert!("20261127-0123-4567".parse::<TransferId>().is_ok());
        for bad in [
            "20261127-0123-456",
            "2026112a-0123-4567",
            "20261127_0123-4567",
        ] {
            assert!(bad.parse::<TransferId>().is_err(), "{bad}");
        }
        assert!("yamada.taro".parse::<StaffId>().is_ok());
        assert!("山田".parse::<StaffId>().is_err());
        for bad in ["ito.hana@soumu", "Yamada.Taro"] {
            assert!(bad.parse::<StaffId>().is_err(), "{bad}");
        }
        let r: RecordId = "yamada.taro@pc-0042.soumu".parse().unwrap();
        assert_eq!(r.owner(), &"yamada.taro");
        assert_eq!(r.to_string(), "yamada.taro@pc-0042.soumu");
        for bad in [
            "yamada.taro@soumu@vm",
            "yamada.taro@",
            "yamada.taro",
            "@vm",
            "Yamada.Taro@vm",
            "yamada.taro@VM",
            "yamada.taro@vm/x",
        ] {
            assert!(bad.parse::<RecordId>().is_err(), "{bad}");
        }
        // The machine's own name is brought into the alphabet, so the id always reads back.
        let me: StaffId = "yamada.taro".parse().unwrap();
        for host in ["PC-0042", "経理@端末", "", "a b\nc"] {
            let id = RecordId::on_machine(&me, host);
            assert_eq!(id.to_string().parse::<RecordId>().unwrap(), id, "{host}");
        }
        assert_eq!(
            RecordId::on_machine(&me, "PC-0042").to_string(),
            "yamada.taro@pc-0042"
        );
    }
}

/// The record a service witnesses: one per person per machine, `<person>@<machine>`.
///
/// The owner is the part before the `@`, compared whole: neither part may hold an `@`, so
/// `ito.hana@soumu@vm` is no record at all rather than one `ito.hana` may write.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RecordId {
    owner: StaffId,
    machine: String,
}

impl RecordId {
    /// The longest machine name kept: a DNS name's limit.
    const MACHINE_MAX: usize = 253;

    /// `owner`'s record on the machine called `host`. The host name is brought into the id's
    /// alphabet (lower case; anything else becomes `-`), because the operating system's name
    /// for the machine is not okuri's to choose.
    pub fn on_machine(owner: &StaffId, host: &str) -> RecordId {
        let mut machine: String = host
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .map(|c| {
                if c.is_ascii() && id_byte(c as u8) {
                    c
                } else {
                    '-'
                }
            })
            .take(Self::MACHINE_MAX)
            .collect();
        if machine.is_empty() {
            machine.push('-');
        }
        RecordId {
            owner: owner.clone(),
            machine,
        }
    }

    /// Whose record this is.
    pub fn owner(&self) -> &StaffId {
        &self.owner
    }
}

impl FromStr for RecordId {
    type Err = Msg;

    fn from_str(s: &str) -> std::result::Result<Self, Msg> {
        let bad = || msg!("id-bad", kind = "record", value = s);
        let (owner, machine) = s.split_once('@').ok_or_else(bad)?;
        let owner: StaffId = owner.parse().map_err(|_| bad())?;
        if machine.is_empty() || machine.len() > Self::MACHINE_MAX || !machine.bytes().all(id_byte)
        {
            return Err(bad());
        }
        Ok(RecordId {
            owner,
            machine: machine.to_owned(),
        })
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.owner, self.machine)
    }
}

impl fmt::Debug for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RecordId({self})")
    }
}

impl From<&RecordId> for Value {
    fn from(id: &RecordId) -> Value {
        Value::Text(id.to_string())
    }
}
