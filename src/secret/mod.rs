//! Secrets: signing keys (encrypted at rest) and the generated decryption passphrase. Both
//! live only in zeroizing types whose `Debug` shows nothing.

pub mod keys;
pub mod passphrase;
