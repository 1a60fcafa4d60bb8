//! The importance class (重要性分類) of an information asset, Ch.2 §1 of the standard.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// 重要性分類Ⅰ, Ⅱ or Ⅲ.
///
/// The ordering is by strictness: `Class::I` is the greatest, so `max()` of several labels is
/// the strictest one, which is the rule the standard implies when labels disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Class {
    I,
    II,
    III,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::I, Class::II, Class::III];

    /// The ASCII form used in labels, the policy and the record.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::I => "I",
            Class::II => "II",
            Class::III => "III",
        }
    }

    /// The Japanese name staff know from the standard, e.g. `重要性分類Ⅰ`.
    pub fn ja(self) -> &'static str {
        match self {
            Class::I => "重要性分類Ⅰ",
            Class::II => "重要性分類Ⅱ",
            Class::III => "重要性分類Ⅲ",
        }
    }

    fn strictness(self) -> u8 {
        match self {
            Class::I => 3,
            Class::II => 2,
            Class::III => 1,
        }
    }
}

impl Ord for Class {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.strictness().cmp(&other.strictness())
    }
}

impl PartialOrd for Class {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a label value that is not a class.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an importance class; use I, II or III")]
pub struct ParseClassError(pub String);

impl FromStr for Class {
    type Err = ParseClassError;

    /// Accepts `I`, `II`, `III` and the Roman-numeral characters `Ⅰ`, `Ⅱ`, `Ⅲ` that Japanese
    /// input methods produce. Nothing else: a label that cannot be read must not be guessed.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "I" | "Ⅰ" => Ok(Class::I),
            "II" | "Ⅱ" => Ok(Class::II),
            "III" | "Ⅲ" => Ok(Class::III),
            other => Err(ParseClassError(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictest_is_max() {
        assert_eq!(
            [Class::III, Class::I, Class::II].into_iter().max(),
            Some(Class::I)
        );
        assert_eq!([Class::III, Class::II].into_iter().max(), Some(Class::II));
    }

    #[test]
    fn parse_is_strict() {
        assert_eq!("II\n".parse::<Class>(), Ok(Class::II));
        assert_eq!("Ⅲ".parse::<Class>(), Ok(Class::III));
        for bad in ["", "i", "IV", "2", "class I", "I I"] {
            assert!(bad.parse::<Class>().is_err(), "{bad:?} parsed");
        }
    }
}
