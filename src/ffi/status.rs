//! Status (`mms_status_*`): querying, summarising and reading requests.

use libc::c_char;

use crate::migration::status::StatusQuery;

use super::args;
use super::panic::boundary;
use super::store::MmsStore;

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
        let service = MmsStore::service(store)?;
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
        let service = MmsStore::service(store)?;
        let query: StatusQuery = args::optional_json(query_json, "query_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.status_summary(&query)?)
    })
}

/// One request of a tenant with its queue position and per-meeting outcomes.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `correlation_id`: required; the request's correlation id (GUID). A request of another
///   tenant is not found, exactly as an unknown id.
/// - `out_json`: required; on success receives Status plus `"QueuePosition":null|n` and
///   `"Meetings":[{"MeetingId","Subject","Outcome","Message","InvitesUpdate"}]` (free with
///   `mms_string_free`). Untouched on failure.
/// - `out_error`: NULL, or receives the error JSON on failure (`MMS_STATUS_REQUEST_NOT_FOUND`,
///   the tenant errors; free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_status_get(
    store: *const MmsStore,
    tenant: *const c_char,
    correlation_id: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_status_get", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let id = args::string(correlation_id, "correlation_id")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.request_detail(tenant, id)?)
    })
}

/// Many requests' status records of a tenant with their queue positions, without
/// per-meeting outcomes: what a caller following many requests (the module's jobs) polls,
/// in one call per tenant.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `correlation_ids_json`: required; a JSON array of correlation ids (GUID strings).
/// - `out_json`: required; on success receives an array in the same order, each Status
///   plus `"QueuePosition":null|n`, or `null` for an unknown id and for a request of
///   another tenant (free with `mms_string_free`). Untouched on failure.
/// - `out_error`: NULL, or receives the error JSON on failure (`MMS_STATUS_INVALID_ARGUMENT`
///   for an id that is not a GUID, the tenant errors; free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_status_get_many(
    store: *const MmsStore,
    tenant: *const c_char,
    correlation_ids_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_status_get_many", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let ids: Vec<String> = args::json(correlation_ids_json, "correlation_ids_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.request_statuses(tenant, &ids)?)
    })
}
