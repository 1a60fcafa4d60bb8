//! The transfer: where a file's class comes from, `okuri pack`, the password slip's data, and
//! the approval workflow (request, approve, deny).

pub mod label;
pub mod pack;
pub mod slip;
pub mod stream;
pub mod workflow;
