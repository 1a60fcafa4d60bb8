//! Digests: BLAKE3 for the record, labels and approvals; SHA-256 only for the recipient's
//! fingerprint, because every Windows and Linux machine can compute it without our software.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! hex_digest {
    ($name:ident, $label:literal) => {
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(pub [u8; 32]);

        impl $name {
            /// Lower-case hex, as `b3sum` and `sha256sum` print it.
            pub fn to_hex(&self) -> String {
                let mut s = String::with_capacity(64);
                for b in self.0 {
                    s.push_str(&format!("{b:02x}"));
                }
                s
            }

            /// The first 16 hex digits in groups of four: short enough to read over the phone.
            pub fn short(&self) -> String {
                let hex = self.to_hex();
                [&hex[0..4], &hex[4..8], &hex[8..12], &hex[12..16]].join("-")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_hex())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($label, "({})"), self.to_hex())
            }
        }

        impl FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                // Lower-case hex only: one spelling per digest, so that digests compare as text.
                let nibble = |b: u8| match b {
                    b'0'..=b'9' => Some(b - b'0'),
                    b'a'..=b'f' => Some(b - b'a' + 10),
                    _ => None,
                };
                let mut out = [0u8; 32];
                let hex = s.as_bytes();
                let ok = hex.len() == 64
                    && out.iter_mut().zip(hex.chunks_exact(2)).all(|(byte, pair)| {
                        match (nibble(pair[0]), nibble(pair[1])) {
                            (Some(h), Some(l)) => {
                                *byte = h << 4 | l;
                                true
                            }
                            _ => false,
                        }
                    });
                if !ok {
                    return Err(format!(
                        concat!(
                            "{:?} is not a ",
                            $label,
                            " digest (64 lower-case hex digits)"
                        ),
                        s
                    ));
                }
                Ok($name(out))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.to_hex())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // Parsed from the input's own text: no allocation per digest read.
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str(concat!("a ", $label, " digest (64 lower-case hex digits)"))
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$name, E> {
                        s.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

hex_digest!(Blake3, "BLAKE3");
hex_digest!(Sha256, "SHA-256");

impl From<blake3::Hash> for Blake3 {
    fn from(h: blake3::Hash) -> Self {
        Blake3(*h.as_bytes())
    }
}

impl Blake3 {
    pub fn of(bytes: &[u8]) -> Self {
        blake3::hash(bytes).into()
    }

    /// The digest that starts a chain: 64 zeros.
    pub const ZERO: Blake3 = Blake3([0; 32]);
}

/// An OpenSSH SHA-256 key fingerprint, `SHA256:…`, as `ssh-keygen -l` prints it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fingerprint(String);

impl Fingerprint {
    pub fn of(key: &ssh_key::PublicKey) -> Fingerprint {
        Fingerprint(key.fingerprint(ssh_key::HashAlg::Sha256).to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let d = Blake3::of(b"abc");
        assert_eq!(
            d.to_hex(),
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
        );
        assert_eq!(d.to_hex().parse::<Blake3>().unwrap(), d);
        assert!("6437".parse::<Blake3>().is_err());
        assert!(d.to_hex().to_uppercase().parse::<Blake3>().is_err());
        assert_eq!(d.short(), "6437-b3ac-3846-5133");
    }
}
