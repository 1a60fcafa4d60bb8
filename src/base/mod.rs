//! The bottom floor: the types every other module speaks in. Nothing here imports from above.

pub mod channel;
pub mod class;
pub mod digest;
pub mod error;
pub mod fsname;
pub mod ids;
pub mod message;
pub mod namespace;
pub mod refusal;
pub mod text;
pub mod time;
