//! Ids: who people are to okuri, and what it names (requests, tokens, media, transfers).

use crate::base::error::{Error, Result};
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

/// A fresh random id: 128 bits as hex, with a prefix that says what it names.
pub fn new_id(prefix: &str) -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b).map_err(Error::random)?;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!("{prefix}-{hex}"))
}
