//! MeetingMigration: a local Meeting Migration Service.
//!
//! A tenant directory, users' calendars, a durable migration queue and a worker that
//! rewrites meetings, behind [`Service`] (the safe Rust API) and the `mms_` C ABI
//! ([`ffi`], header `include/meeting_migration.h`).
//!
//! Modules import only what stands below them (`docs/architecture.md` draws it):
//!
//! ```text
//! ffi, bin/mms-worker          thin shells over Service
//! service                      the facade: one method per thing the product does
//! migration                    start rules and preview, status, the worker
//! directory                    tenants, settings, resolution, listing, import, sample
//! store (trait) ── sqlite      storage only: rows in, rows out, no business rule
//! invitation                   the online-meeting block: parse, render, rewrite
//! identity                     -Identity values into canonical keys
//! model                        every record, including the store's inputs
//! cancel, time, rng, error     the bottom
//! ```

pub mod cancel;
pub mod directory;
pub mod error;
pub mod ffi;
pub mod identity;
pub mod invitation;
pub mod json;
pub mod migration;
pub mod model;
pub mod private_file;
pub mod rng;
pub mod service;
pub mod store;
pub mod time;

pub use error::{Error, ErrorCode, Result};
pub use service::Service;
