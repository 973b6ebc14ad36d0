//! The library itself: its versions, freeing the strings it returns, and the table of status
//! codes.

use libc::c_char;
use std::ffi::CString;

use crate::error::ErrorCode;

use super::args;
use super::panic::{boundary, boundary_infallible};

/// The ABI version `mms_abi_version` returns; the PowerShell module refuses any other.
pub const MMS_ABI_VERSION: u32 = 1;

/// The status codes of the C ABI (`mms_status` in C; functions return them as `int32_t`).
/// The numbers are fixed forever and never reused; each has an error id
/// (`"MeetingMigration." + id`) and a PowerShell `ErrorCategory`, listed by
/// `mms_error_codes`.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MmsStatus {
    /// Success.
    Ok = 0,
    /// A bug: a panic was caught at the C boundary (the message is in the error JSON).
    Panic = 1,
    /// A required pointer argument was NULL.
    NullArgument = 2,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 3,
    /// A JSON argument did not parse or had the wrong shape.
    InvalidJson = 4,
    /// An argument had a value the service does not accept.
    InvalidArgument = 5,
    /// No user in the tenant matches the identity.
    IdentityNotFound = 6,
    /// More than one user matches the identity.
    IdentityAmbiguous = 7,
    /// The identity contains `*` or `?`.
    WildcardNotAllowed = 8,
    /// The identity is empty, too long, contains NUL or is a malformed DN / logon.
    MalformedIdentity = 9,
    /// No tenant with that id exists in the store.
    TenantNotFound = 10,
    /// The tenant id is not a GUID.
    InvalidTenantId = 11,
    /// The tenant's MeetingMigrationEnabled is false.
    MigrationDisabled = 12,
    /// The store stayed locked by another process past the busy timeout.
    StoreBusy = 13,
    /// The store file is not a MeetingMigration database or is damaged.
    StoreCorrupt = 14,
    /// The store file or its folder could not be created or opened.
    StoreIo = 15,
    /// The store was written by a newer version of this library.
    StoreTooNew = 16,
    /// A record of an import file is invalid; nothing was imported.
    ImportFailed = 17,
    /// A filter expression did not parse.
    FilterSyntax = 18,
    /// No migration request has that correlation id.
    RequestNotFound = 19,
    /// A wait ended before the request reached a terminal state.
    Timeout = 20,
    /// A wait was cancelled.
    Cancelled = 21,
    /// A meeting type is not one of the accepted values.
    InvalidMeetingType = 22,
    /// The object to create exists already.
    AlreadyExists = 23,
    /// An unexpected failure inside the service.
    Internal = 24,
    /// The store has no tenant yet, so there is no default tenant.
    NoDefaultTenant = 25,
}

/// `MmsStatus` mirrors [`ErrorCode`] (cbindgen cannot read the macro that defines it):
/// the exhaustive match fails to compile when a code is added, and the table below when a
/// number differs.
impl From<ErrorCode> for MmsStatus {
    fn from(code: ErrorCode) -> Self {
        macro_rules! mirror {
            ($($name:ident),* $(,)?) => {{
                $(const _: () = assert!(MmsStatus::$name as i32 == ErrorCode::$name as i32);)*
                match code { $(ErrorCode::$name => MmsStatus::$name,)* }
            }};
        }
        mirror!(
            Ok,
            Panic,
            NullArgument,
            InvalidUtf8,
            InvalidJson,
            InvalidArgument,
            IdentityNotFound,
            IdentityAmbiguous,
            WildcardNotAllowed,
            MalformedIdentity,
            TenantNotFound,
            InvalidTenantId,
            MigrationDisabled,
            StoreBusy,
            StoreCorrupt,
            StoreIo,
            StoreTooNew,
            ImportFailed,
            FilterSyntax,
            RequestNotFound,
            Timeout,
            Cancelled,
            InvalidMeetingType,
            AlreadyExists,
            Internal,
            NoDefaultTenant,
        )
    }
}

const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library's version, e.g. `"0.1.0"`: a static NUL-terminated string that the caller
/// must not free or modify. Never NULL; thread-safe.
#[no_mangle]
pub extern "C" fn mms_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

/// The version of this C ABI (`MMS_ABI_VERSION`, currently 1). A caller refuses a library
/// whose ABI version it does not know. Thread-safe.
#[no_mangle]
pub extern "C" fn mms_abi_version() -> u32 {
    MMS_ABI_VERSION
}

/// Frees a string the library returned (an output JSON or an error JSON). NULL is a
/// no-op. Each string is freed once, by this function only, from any thread; never pass
/// `mms_version()`'s string or memory from another allocator.
#[no_mangle]
pub unsafe extern "C" fn mms_string_free(s: *mut c_char) {
    boundary_infallible("mms_string_free", (), || {
        if !s.is_null() {
            drop(CString::from_raw(s));
        }
    })
}

/// The table of status codes, so a caller can check that it maps every code.
///
/// - `out_json`: required; on success receives
///   `[{"code":0,"id":"Ok","category":"NotSpecified"}, ...]` in numeric order (free with
///   `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_error_codes(
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_error_codes", out_error, || {
        let out = args::out(out_json, "out_json")?;
        #[derive(serde::Serialize)]
        struct Row {
            code: i32,
            id: &'static str,
            category: &'static str,
        }
        let table: Vec<Row> = ErrorCode::ALL
            .iter()
            .map(|&c| Row {
                code: MmsStatus::from(c) as i32,
                id: c.id(),
                category: c.category(),
            })
            .collect();
        out.json(&table)
    })
}
