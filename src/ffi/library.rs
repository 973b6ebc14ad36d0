//! The library itself: its versions, freeing the strings it returns, and the table of status
//! codes.

use libc::c_char;
use std::ffi::CString;

use crate::error::ErrorCode;

use super::args;
use super::panic::{boundary, boundary_infallible};

/// The ABI version `mms_abi_version` returns; the PowerShell module refuses any other.
pub const MMS_ABI_VERSION: u32 = 2;

const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library's version, e.g. `"0.1.0"`: a static NUL-terminated string that the caller
/// must not free or modify. Never NULL; thread-safe.
#[no_mangle]
pub extern "C" fn mms_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

/// The version of this C ABI (`MMS_ABI_VERSION`, currently 2). A caller refuses a library
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

/// The table of status codes (`mms_status`), so a caller can check that it maps every code.
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
                code: c as i32,
                id: c.id(),
                category: c.category(),
            })
            .collect();
        out.json(&table)
    })
}
