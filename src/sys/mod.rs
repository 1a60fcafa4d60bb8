//! The machine: files written durably, the file to send, removable devices, the okuri home,
//! the clock and test hooks, the host and the OS account.

pub mod device;
pub mod fsutil;
pub mod home;
pub mod hooks;
pub mod host;
pub mod input;
pub mod undumpable;
