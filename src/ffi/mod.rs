//! The C ABI: every service operation behind an `mms_` function (DESIGN.md §6).
//!
//! A thin shell over [`Service`](crate::Service): each export checks its arguments
//! ([`args`]), calls one `Service` method and writes the result as JSON, all inside the one
//! panic boundary ([`panic`]). There is no service logic here.
//!
//! # Conventions (the header repeats them at every declaration)
//!
//! - **Status.** Fallible functions return an `int32_t`: 0 (`MMS_STATUS_OK`) or a
//!   [`MmsStatus`] code — the numbers of [`ErrorCode`](crate::ErrorCode), fixed forever.
//! - **Errors.** `char **out_error` is the last parameter. When it is not NULL and the call
//!   fails, `*out_error` receives `{"code","id","category","message","target"}` (`category`
//!   is a PowerShell `ErrorCategory` name, `target` the offending value or argument name or
//!   null). On success `*out_error` is not touched.
//! - **Outputs** (`out_*`) are required (NULL is `MMS_STATUS_NULL_ARGUMENT`, checked before
//!   any work is done) and written only on success; on failure they keep whatever the
//!   caller put there.
//! - **Strings.** Inputs are NUL-terminated UTF-8 (otherwise `MMS_STATUS_INVALID_UTF8`),
//!   borrowed for the call only. Every `char *` the library returns is owned by the caller
//!   and freed with `mms_string_free` (NULL is a no-op); `mms_version` is the exception
//!   (static).
//! - **JSON** arguments parse into the service's serde types (PascalCase, unknown fields
//!   rejected, an object wherever an object is expected: never an array of its fields, see
//!   [`crate::json`]); a parse error is `MMS_STATUS_INVALID_JSON` naming the argument. Optional
//!   arguments (a tenant, options, queries) accept NULL for the default.
//! - **Panics** are caught at the boundary and returned as `MMS_STATUS_PANIC` with the
//!   message; nothing is printed to stderr (see [`panic`] for how).
//! - **Threads.** An `mms_store` may be used by many threads at once; progress callbacks
//!   run on the calling thread before the call returns; an `mms_cancel` may be raised from
//!   any thread.
//!
//! # Safety
//!
//! Every `unsafe extern "C"` export has the same contract, stated once here rather than in
//! a `# Safety` section per function (hence the `allow` below): each pointer argument is
//! NULL or valid for its use (a NUL-terminated string, a live handle from the matching
//! `_new`/`_open`, a writable `char *` slot) for the duration of the call; strings from the
//! library are freed once, with `mms_string_free`; a handle is not used after its `_free`.
//! Each export's own documentation says which pointers may be NULL.
#![allow(clippy::missing_safety_doc)]

pub mod args;
pub mod data;
pub mod errors;
pub mod identity;
pub mod migration;
pub mod panic;
pub mod settings;
pub mod store;
#[cfg(feature = "ffi-test-hooks")]
pub mod test_hooks;

pub use errors::{MmsStatus, MMS_ABI_VERSION};
pub use migration::{MmsCancel, MmsProgressFn};
pub use store::MmsStore;

pub use data::*;
pub use errors::*;
pub use identity::*;
pub use migration::*;
pub use settings::*;
pub use store::*;
