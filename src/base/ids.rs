//! Ids: who people are to okuri, and what it names (requests, tokens, media, transfers).

use crate::base::message::Msg;
use crate::msg;

/// The ids that may name a signer: ASCII, no spaces, commas, quotes or wildcards, because the
/// id is the principal in an OpenSSH allowed_signers file.
pub fn check_id(id: &str) -> std::result::Result<(), Msg> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'));
    if ok {
        Ok(())
    } else {
        Err(msg!("key-bad-id", id = id))
    }
}
