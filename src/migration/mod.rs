//! Migration requests (start rules, preview), the worker that carries them out, and status.

pub mod request;
pub mod status;
pub mod trigger;
pub mod worker;
