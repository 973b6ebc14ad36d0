//! Meetings (`mms_meetings_list`, `mms_meeting_update`): a user's meetings with their
//! online-meeting block, and an organiser's change to one.

use libc::c_char;

use crate::directory::MeetingChanges;

use super::args;
use super::panic::boundary;
use super::store::MmsStore;

/// A user's meetings with their current online-meeting block.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `identity`: required; any identity form `mms_identity_resolve` accepts.
/// - `out_json`: required; on success receives `[Meeting...]` (free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_meetings_list(
    store: *const MmsStore,
    tenant: *const c_char,
    identity: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_meetings_list", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let identity = args::string(identity, "identity")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.meetings(tenant, identity)?)
    })
}

/// Changes one of an organiser's meetings (`Set-MmsMeeting`): with `NewOnlineMeeting`, its
/// online-meeting block (a pasted one, say) is replaced by a new online meeting of its own.
///
/// - `store`: required.
/// - `changes_json`: required; `{"Tenant":null|"guid","Identity":"organiser",
///   "MeetingId":"guid","NewOnlineMeeting":bool}`.
/// - `out_json`: required; on success receives the Meeting as it is now (free with
///   `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Errors: identity and tenant errors, `MMS_STATUS_INVALID_ARGUMENT` (a meeting the user does
/// not organise). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_meeting_update(
    store: *const MmsStore,
    changes_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_meeting_update", out_error, || {
        let service = MmsStore::service(store)?;
        let changes: MeetingChanges = args::json(changes_json, "changes_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.update_meeting(&changes)?)
    })
}
