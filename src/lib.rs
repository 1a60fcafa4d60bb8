//! okuri (送り): files leave Kameoka City the way its Information Security Standard requires.
//!
//! The library does all the work; the `okuri` binary only parses arguments and renders.
//! Each module has one concern:
//! - [`class`], [`channel`], [`digest`], [`passphrase`]: the types everything else speaks in;
//! - [`policy`]: `policy.toml` and the decision it gives (第2章2 外部提供);
//! - [`label`]: where a file's importance class comes from;
//! - [`input`]: opening the file to send safely;
//! - [`pack`]: the main job; [`slip`]: the password slip; [`record`]: the transfer record;
//! - [`keys`], [`signed`], [`trust`]: Ed25519 keys, SSHSIG-signed documents, the trust list;
//! - [`recipients`]: the recipient register (外部委託先); [`approval`], [`workflow`]: requests,
//!   approval tokens and denials;
//! - [`home`], [`fsutil`], [`hooks`]: the home directory, durable files, clock and test hooks;
//! - [`error`]: errors with hints and exit codes.

// A refusal carries its messages and the rule it quotes; it is made at most a few times per
// command, so its size in a `Result<_, Refusal>` costs nothing worth boxing.
#![allow(clippy::result_large_err)]

pub mod approval;
pub mod channel;
pub mod class;
pub mod client;
pub mod device;
pub mod digest;
pub mod error;
pub mod fsutil;
pub mod home;
pub mod hooks;
pub mod i18n;
pub mod input;
pub mod keys;
pub mod label;
pub mod media;
pub mod message;
pub mod pack;
pub mod passphrase;
pub mod policy;
pub mod recipients;
pub mod record;
pub mod service;
pub mod signed;
pub mod slip;
pub mod trust;
pub mod wire;
pub mod workflow;

pub use channel::Channel;
pub use class::Class;
pub use error::{Error, ExitCode, Result};
