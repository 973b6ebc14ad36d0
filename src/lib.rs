//! MeetingMigration: a local Meeting Migration Service.
//!
//! A tenant directory, users' calendars, a durable migration queue and a worker that
//! rewrites meetings, behind [`Service`] (the safe Rust API) and the `mms_` C ABI
//! ([`ffi`], header `include/meeting_migration.h`). The layout follows the data:
//! [`identity`] → [`directory`] → [`migration::request`] → [`migration::worker`] → [`store`].

pub mod directory;
pub mod error;
pub mod ffi;
pub mod identity;
pub mod json;
pub mod migration;
pub mod model;
pub mod rng;
pub mod service;
pub mod store;
pub mod time;

pub use error::{Error, ErrorCode, Result};
pub use service::Service;

/// The library's version (the crate's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
