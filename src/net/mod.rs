//! Talking to okuri-approvald: the JSON on the wire and the CLI's client.

pub mod client;
pub mod session;
pub mod wire;
