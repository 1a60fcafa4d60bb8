//! The channels by which a package leaves the city (Ch.2 §2, Ch.5 §2).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How the package travels. The password slip always takes a different way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// Plain e-mail and the like (電子メール等).
    Email,
    /// The local-government WAN (LGWAN).
    Lgwan,
    /// A registered removable medium (記録媒体).
    Media,
    /// Paper or medium handed over in person (手渡し).
    Hand,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::Email,
        Channel::Lgwan,
        Channel::Media,
        Channel::Hand,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Lgwan => "lgwan",
            Channel::Media => "media",
            Channel::Hand => "hand",
        }
    }

    pub fn ja(self) -> &'static str {
        match self {
            Channel::Email => "電子メール",
            Channel::Lgwan => "LGWAN",
            Channel::Media => "記録媒体",
            Channel::Hand => "手渡し",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a channel; use email, lgwan, media or hand")]
pub struct ParseChannelError(pub String);

impl FromStr for Channel {
    type Err = ParseChannelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| ParseChannelError(s.to_owned()))
    }
}
