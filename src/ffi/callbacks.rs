//! The progress callback (`mms_progress_fn`) that long calls (`mms_migration_wait`,
//! `mms_data_import`, `mms_data_export`) report through.

use libc::{c_char, c_void};
use std::ffi::CString;

/// A progress callback (`mms_progress_fn` in C): `user_data` is the pointer the caller
/// passed along; `json` is a UTF-8 JSON text valid only during the call (copy it to keep
/// it). Called on the thread that made the call; it must not unwind (throw) into the
/// library.
pub type MmsProgressFn = Option<unsafe extern "C" fn(user_data: *mut c_void, json: *const c_char)>;

/// Calls `progress` with `value` as JSON; a value that cannot be serialized is skipped.
pub(super) fn report(
    progress: MmsProgressFn,
    user_data: *mut c_void,
    value: &impl serde::Serialize,
) {
    if let Some(callback) = progress {
        if let Ok(text) = serde_json::to_string(value) {
            if let Ok(text) = CString::new(text) {
                // SAFETY: the caller's contract for `progress` / `user_data`.
                unsafe { callback(user_data, text.as_ptr()) }
            }
        }
    }
}

/// A counter for the long data calls: reports `{"Done":done,"Total":total}` to `progress`.
pub(super) fn report_counts(
    progress: MmsProgressFn,
    user_data: *mut c_void,
) -> impl FnMut(usize, usize) {
    move |done, total| {
        report(
            progress,
            user_data,
            &serde_json::json!({ "Done": done, "Total": total }),
        )
    }
}
