//! The C ABI: every service operation behind an `mms_` function (docs/architecture.md,
//! "The C ABI").
//!
//! A thin shell over [`Service`](crate::Service): each export checks its arguments
//! (`args`), calls one `Service` method and writes the result as JSON, all inside the one
//! panic boundary (`panic`). There is no service logic here.
//!
//! # Conventions (the header repeats them at every declaration)
//!
//! - **Status.** Fallible functions return an `int32_t`: 0 (`MMS_STATUS_OK`) or a
//!   `mms_status` code: [`ErrorCode`](crate::ErrorCode), whose numbers are fixed forever.
//! - **Errors.** `char **out_error` is the last parameter. When it is not NULL and the call
//!   fails, `*out_error` receives `{"code","id","category","message","target","hint"}`
//!   (`category` is a PowerShell `ErrorCategory` name, `target` the offending value or
//!   argument name or null, `hint` what to try next or null). On success `*out_error` is
//!   not touched.
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
//!   message; nothing is printed to stderr (see `ffi/panic.rs` for how).
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

// The C-facing modules: one per C type or function family, named after what it holds.
pub mod callbacks;
pub mod cancel;
pub mod import;
pub mod library;
pub mod meetings;
pub mod migration;
pub mod status;
pub mod store;
pub mod tenants;
#[cfg(feature = "ffi-test-hooks")]
pub mod test_hooks;
pub mod users;

// Internals. Imports inside `ffi` run one way, each module using only those before it:
// `args` (argument checks) → `panic` (the boundary, error JSON) → `callbacks`, `cancel`,
// `store` (the handle types) → the exports (`library`, `users`, `tenants`, `import`,
// `meetings`, `migration`, `status`, `test_hooks`); no module of exports imports another.
mod args;
mod panic;

pub use crate::error::ErrorCode;
pub use callbacks::MmsProgressFn;
pub use cancel::*;
pub use import::*;
pub use library::*;
pub use meetings::*;
pub use migration::*;
pub use status::*;
pub use store::*;
pub use tenants::*;
pub use users::*;
