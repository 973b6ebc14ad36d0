//! Migrations: preview, start (one and a batch), status queries, waiting and cancelling.

use libc::{c_char, c_void};
use std::ffi::CString;
use std::time::Duration;

use crate::cancel::CancelToken;
use crate::error::Error;
use crate::migration::request::StartRequest;
use crate::migration::status::StatusQuery;

use super::args;
use super::panic::{boundary, boundary_infallible};
use super::store::MmsStore;

/// A progress callback (`mms_progress_fn` in C): `user_data` is the pointer the caller
/// passed along; `json` is a UTF-8 JSON text valid only during the call (copy it to keep
/// it). Called on the thread that made the call; it must not unwind (throw) into the
/// library.
pub type MmsProgressFn = Option<unsafe extern "C" fn(user_data: *mut c_void, json: *const c_char)>;

/// Calls `progress` with `value` as JSON; a value that cannot be serialized is skipped.
pub(crate) fn report(
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

/// What starting a migration would do, changing nothing (for `-WhatIf`).
///
/// - `store`: required.
/// - `request_json`: required;
///   `{"Identity":"...","Tenant":null|"guid","SourceMeetingType":"All|SfB|Teams","TargetMeetingType":"Current|Teams"}`
///   (meeting types case-insensitive, defaults All / Current).
/// - `out_preview_json`: required; on success receives
///   `{"User","TenantId","MigrationType","MeetingCount","Meetings":[...],"ExistingRequest":null|Status,"MigrationEnabled"}`
///   (free with `mms_string_free`). Untouched on failure.
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_migration_preview(
    store: *const MmsStore,
    request_json: *const c_char,
    out_preview_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_migration_preview", out_error, || {
        let service = args::store(store)?;
        let request: StartRequest = args::json(request_json, "request_json")?;
        let out = args::out(out_preview_json, "out_preview_json")?;
        out.json(&service.preview(&request)?)
    })
}

/// Queues a migration for one user, or returns the user's open request.
///
/// - `store`: required.
/// - `request_json`: required; as for `mms_migration_preview`.
/// - `out_json`: required; on success receives `{"Status":Status,"Existing":bool}`
///   (`Existing` true = an open request was returned and nothing was queued; free with
///   `mms_string_free`). Untouched on failure. The request is durable when this returns.
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Errors include `MMS_STATUS_MIGRATION_DISABLED` and the identity errors. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_migration_start(
    store: *const MmsStore,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_migration_start", out_error, || {
        let service = args::store(store)?;
        let request: StartRequest = args::json(request_json, "request_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.start(&request)?)
    })
}

/// Queues migrations for many users in one transaction.
///
/// - `store`: required.
/// - `requests_json`: required; a JSON array of requests as for `mms_migration_preview`.
/// - `out_json`: required; on success receives an array in input order whose items are
///   `{"Status":Status,"Existing":bool}` or `{"Error":{code,id,category,message,target}}`
///   for a request that failed a rule (the others are still queued; free with
///   `mms_string_free`). Durable when this returns.
/// - `out_error`: NULL, or receives the error JSON when the call as a whole fails.
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_migration_start_batch(
    store: *const MmsStore,
    requests_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_migration_start_batch", out_error, || {
        let service = args::store(store)?;
        let requests: Vec<StartRequest> = args::json(requests_json, "requests_json")?;
        let out = args::out(out_json, "out_json")?;
        let results = service
            .start_batch(&requests)
            .into_iter()
            .map(|r| match r {
                Ok(started) => serde_json::to_value(started)
                    .map_err(|e| Error::internal(format!("cannot serialize the result: {e}"))),
                Err(e) => Ok(serde_json::json!({ "Error": e.to_json() })),
            })
            .collect::<Result<Vec<_>, _>>()?;
        out.json(&results)
    })
}

/// The status records matching a query, oldest first.
///
/// - `store`: required.
/// - `query_json`: NULL for every request of the default tenant, or
///   `{"Tenant","Identity","StartTime","EndTime","State","MigrationType"}` (each optional).
/// - `out_json`: required; on success receives `[Status...]` (free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_status_query(
    store: *const MmsStore,
    query_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_status_query", out_error, || {
        let service = args::store(store)?;
        let query: StatusQuery = args::optional_json(query_json, "query_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.status(&query)?)
    })
}

/// The number of users per request state for a query.
///
/// - `store`: required.
/// - `query_json`: NULL or a query as for `mms_status_query`.
/// - `out_json`: required; on success receives
///   `[{"State":"Pending","UserCount":n},{"State":"InProgress",...},{"State":"Failed",...},{"State":"Succeeded",...}]`
///   (free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_status_summary(
    store: *const MmsStore,
    query_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_status_summary", out_error, || {
        let service = args::store(store)?;
        let query: StatusQuery = args::optional_json(query_json, "query_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.status_summary(&query)?)
    })
}

/// One request with its queue position and per-meeting outcomes.
///
/// - `store`: required.
/// - `correlation_id`: required; the request's correlation id (GUID).
/// - `out_json`: required; on success receives Status plus `"QueuePosition":null|n` and
///   `"Meetings":[{"MeetingId","Subject","Outcome","Message","InvitesUpdate"}]` (free with
///   `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (`MMS_STATUS_REQUEST_NOT_FOUND`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_status_get(
    store: *const MmsStore,
    correlation_id: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_status_get", out_error, || {
        let service = args::store(store)?;
        let id = args::string(correlation_id, "correlation_id")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.request_detail(id)?)
    })
}

/// Many requests' status records with their queue positions, without per-meeting outcomes:
/// what a caller following many requests (the module's jobs) polls, in one call.
///
/// - `store`: required.
/// - `correlation_ids_json`: required; a JSON array of correlation ids (GUID strings).
/// - `out_json`: required; on success receives an array in the same order, each Status
///   plus `"QueuePosition":null|n`, or `null` for an unknown id (free with
///   `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (`MMS_STATUS_INVALID_ARGUMENT`
///   for an id that is not a GUID).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_status_get_many(
    store: *const MmsStore,
    correlation_ids_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_status_get_many", out_error, || {
        let service = args::store(store)?;
        let ids: Vec<String> = args::json(correlation_ids_json, "correlation_ids_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.request_statuses(&ids)?)
    })
}

/// A cancellation flag for `mms_migration_wait` and `mms_data_import` (`mms_cancel` in C). Opaque.
pub struct MmsCancel {
    pub(super) token: CancelToken,
}

/// A new, not cancelled flag; the caller owns it and releases it with `mms_cancel_free`.
/// Returns NULL only if the allocation panicked. Thread-safe.
#[no_mangle]
pub extern "C" fn mms_cancel_new() -> *mut MmsCancel {
    boundary_infallible("mms_cancel_new", std::ptr::null_mut(), || {
        Box::into_raw(Box::new(MmsCancel {
            token: CancelToken::new(),
        }))
    })
}

/// Raises the flag: every `mms_migration_wait` using it returns `MMS_STATUS_CANCELLED`
/// within a poll interval (about 20 ms). May be called from any thread, any number of
/// times. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn mms_cancel_cancel(cancel: *const MmsCancel) {
    boundary_infallible("mms_cancel_cancel", (), || {
        if let Some(c) = cancel.as_ref() {
            c.token.cancel();
        }
    })
}

/// Releases a flag from `mms_cancel_new`. NULL is a no-op. No wait may still be using it.
#[no_mangle]
pub unsafe extern "C" fn mms_cancel_free(cancel: *mut MmsCancel) {
    boundary_infallible("mms_cancel_free", (), || {
        if !cancel.is_null() {
            drop(Box::from_raw(cancel));
        }
    })
}

/// Waits until a request is Succeeded or Failed.
///
/// - `store`: required.
/// - `correlation_id`: required; the request's correlation id.
/// - `timeout_ms`: how long to wait, 0 or more (0 looks once); negative is
///   `MMS_STATUS_INVALID_ARGUMENT`. When it passes the call returns `MMS_STATUS_TIMEOUT`.
/// - `progress`: NULL, or called with the Status JSON first and whenever the request's
///   state or counts change, on the calling thread, before this function returns.
/// - `user_data`: passed to `progress` untouched; may be NULL.
/// - `cancel`: NULL, or a flag another thread may raise with `mms_cancel_cancel`; the call
///   then returns `MMS_STATUS_CANCELLED`. It must outlive the call.
/// - `out_status_json`: required; on success receives the final Status JSON (free with
///   `mms_string_free`). Untouched on failure.
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Blocks the calling thread; other threads may use the store meanwhile. The worker
/// (in this process or another) must run for the request to progress.
#[no_mangle]
pub unsafe extern "C" fn mms_migration_wait(
    store: *const MmsStore,
    correlation_id: *const c_char,
    timeout_ms: i64,
    progress: MmsProgressFn,
    user_data: *mut c_void,
    cancel: *const MmsCancel,
    out_status_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_migration_wait", out_error, || {
        let service = args::store(store)?;
        let id = args::string(correlation_id, "correlation_id")?;
        if timeout_ms < 0 {
            return Err(Error::invalid(format!(
                "timeout_ms is {timeout_ms}; a timeout is 0 or more milliseconds."
            ))
            .with_target("timeout_ms"));
        }
        let out = args::out(out_status_json, "out_status_json")?;
        let cancel = cancel.as_ref().map(|c| &c.token);
        let status = service.wait(
            id,
            Duration::from_millis(timeout_ms as u64),
            &mut |status| report(progress, user_data, status),
            cancel,
        )?;
        out.json(&status)
    })
}
