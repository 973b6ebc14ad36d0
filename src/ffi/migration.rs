//! Migrations (`mms_migration_*`): preview and start (one and a batch), waiting for a request.

use libc::{c_char, c_void};
use serde::Serialize;
use serde_json::Value;
use std::time::Duration;

use crate::error::Error;
use crate::migration::request::StartRequest;

use super::args;
use super::callbacks::{report, MmsProgressFn};
use super::cancel::MmsCancel;
use super::panic::boundary;
use super::store::MmsStore;

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
        let service = MmsStore::service(store)?;
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
        let service = MmsStore::service(store)?;
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
        let service = MmsStore::service(store)?;
        let requests: Vec<StartRequest> = args::json(requests_json, "requests_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&batch_results(service.start_batch(&requests)))
    })
}

/// What starting each of many migrations would do, changing nothing, in one read: what a
/// pipeline of starts asks before it asks whether to go on.
///
/// - `store`: required.
/// - `requests_json`: required; a JSON array of requests as for `mms_migration_preview`.
/// - `out_json`: required; on success receives an array in input order whose items are
///   `{"UserId","UserPrincipalName","TenantId","MigrationType","MeetingCount","ExistingRequest":null|Status,"MigrationEnabled"}`
///   (the preview without the user's other properties and the meeting list) or
///   `{"Error":{code,id,category,message,target}}` for a request that cannot start (an
///   unknown identity, say; the others are still previewed; free with `mms_string_free`).
///   Untouched on failure.
/// - `out_error`: NULL, or receives the error JSON when the call as a whole fails.
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_migration_preview_batch(
    store: *const MmsStore,
    requests_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_migration_preview_batch", out_error, || {
        let service = MmsStore::service(store)?;
        let requests: Vec<StartRequest> = args::json(requests_json, "requests_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&batch_results(service.preview_batch(&requests)?))
    })
}

/// One item of a batch's results as the ABI gives it: its value, or `{"Error":...}`.
/// Serialized straight into the answer: no intermediate JSON value per item.
#[derive(Serialize)]
#[serde(untagged)]
enum BatchItem<T> {
    Done(T),
    Failed {
        #[serde(rename = "Error")]
        error: Value,
    },
}

fn batch_results<T>(results: Vec<Result<T, Error>>) -> Vec<BatchItem<T>> {
    results
        .into_iter()
        .map(|r| match r {
            Ok(value) => BatchItem::Done(value),
            Err(e) => BatchItem::Failed { error: e.to_json() },
        })
        .collect()
}

/// Waits until a request of a tenant is Succeeded or Failed.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `correlation_id`: required; the request's correlation id. A request of another tenant
///   is `MMS_STATUS_REQUEST_NOT_FOUND`, exactly as an unknown id.
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
    tenant: *const c_char,
    correlation_id: *const c_char,
    timeout_ms: i64,
    progress: MmsProgressFn,
    user_data: *mut c_void,
    cancel: *const MmsCancel,
    out_status_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_migration_wait", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let id = args::string(correlation_id, "correlation_id")?;
        if timeout_ms < 0 {
            return Err(Error::invalid(format!(
                "timeout_ms is {timeout_ms}; a timeout is 0 or more milliseconds."
            ))
            .with_target("timeout_ms"));
        }
        let out = args::out(out_status_json, "out_status_json")?;
        let cancel = MmsCancel::token(cancel);
        let status = service.wait(
            tenant,
            id,
            Duration::from_millis(timeout_ms as u64),
            &mut |status| report(progress, user_data, status),
            cancel,
        )?;
        out.json(&status)
    })
}
