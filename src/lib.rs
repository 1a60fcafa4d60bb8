//! okuri (送り): files leave Kameoka City the way its Information Security Standard requires.
//!
//! The library does all the work and returns typed facts; the binaries parse arguments and
//! render ([`i18n`]). Modules are floors whose imports only point down:
//! - [`base`]: the types everything speaks in — classes, channels, digests, messages, refusals,
//!   errors, signature namespaces, time in Japan;
//! - [`sys`]: the machine — durable files, the input file, devices, the home, the clock and test
//!   hooks, host and account;
//! - [`secret`]: signing keys and the decryption passphrase;
//! - [`policy`]: `policy.toml` (its reader, the decision, the trust list) and the recipient
//!   register;
//! - [`signed`]: SSHSIG-signed documents and their one verification; approval requests, tokens
//!   and denials;
//! - [`record`]: the hash-chained transfer record;
//! - [`media`]: registered removable media; [`transfer`]: labels and classification, `pack`,
//!   the password slip's data, the approval workflow;
//! - [`i18n`]: messages rendered in Japanese or English from the Fluent files — used by the
//!   binaries, by okuri-approvald for its English, and for the bilingual slip;
//! - [`net`]: the wire format, the client and the staff member's session with okuri-approvald;
//!   [`service`]: okuri-approvald itself.

// A refusal carries its messages and the rule it quotes; it is made at most a few times per
// command, so its size in a `Result<_, Refusal>` costs nothing worth boxing.
#![allow(clippy::result_large_err)]

pub mod base;
pub mod fuzzing;
pub mod i18n;
pub mod media;
pub mod net;
pub mod policy;
pub mod record;
pub mod secret;
pub mod service;
pub mod signed;
pub mod sys;
pub mod transfer;

pub use base::channel::Channel;
pub use base::class::Class;
pub use base::error::{Error, ExitCode, Result};
