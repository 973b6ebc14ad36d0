//! Data in (`mms_data_import`, `mms_data_import_with_options`): a tenant's users and meetings from a JSON or CSV file;
//! data out (`mms_data_export`): a tenant's users, meetings and settings to a JSON file that the import reads back.

use libc::{c_char, c_void};
use std::path::Path;

use crate::directory::import::ImportOptions;

use crate::error::Error;

use super::args;
use super::callbacks::{report_counts, MmsProgressFn};
use super::cancel::MmsCancel;
use super::panic::boundary;
use super::store::MmsStore;

/// Imports a `.json` (users and meetings) or `.csv` (users) file into a tenant, all or
/// nothing.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `path`: required; the file's path (UTF-8).
/// - `progress`: NULL, or called on the calling thread with `{"Done":n,"Total":n}` as
///   records are read.
/// - `user_data`: passed to `progress` untouched; may be NULL.
/// - `cancel`: NULL, or a flag that `progress` or another thread may raise with
///   `mms_cancel_cancel`; the import then ends with `MMS_STATUS_CANCELLED` and writes
///   nothing.
/// - `out_summary_json`: required; on success receives `{"Users":n,"Meetings":n}` (free
///   with `mms_string_free`). Untouched on failure.
/// - `out_error`: NULL, or receives the error JSON on failure (`MMS_STATUS_IMPORT_FAILED`
///   names the record and field; nothing is imported then).
///
/// Reads regular files of at most 256 MiB; see `mms_data_import_with_options` for the
/// checks and for a higher limit. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_data_import(
    store: *const MmsStore,
    tenant: *const c_char,
    path: *const c_char,
    progress: MmsProgressFn,
    user_data: *mut c_void,
    cancel: *const MmsCancel,
    out_summary_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    mms_data_import_with_options(
        store,
        tenant,
        path,
        std::ptr::null(),
        progress,
        user_data,
        cancel,
        out_summary_json,
        out_error,
    )
}

/// `mms_data_import` with options: `options_json` is NULL for the defaults, or
/// `{"MaxBytes":n}` to accept files of up to `n` bytes instead of the default 256 MiB
/// (the file is held in memory while it is validated).
///
/// Whatever the options, only a regular file is read: a folder, FIFO, socket or device is
/// `MMS_STATUS_IMPORT_FAILED` before any read (opening never waits for a FIFO's writer);
/// a file over the limit is refused before it is read; `cancel` is also checked while the
/// file is read, every MiB. A UTF-8 byte order mark at the start is skipped.
///
/// Other arguments, outputs and errors as `mms_data_import`; `options_json` that does
/// not parse is `MMS_STATUS_INVALID_JSON`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_data_import_with_options(
    store: *const MmsStore,
    tenant: *const c_char,
    path: *const c_char,
    options_json: *const c_char,
    progress: MmsProgressFn,
    user_data: *mut c_void,
    cancel: *const MmsCancel,
    out_summary_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_data_import_with_options", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let path = args::string(path, "path")?;
        let options: ImportOptions = args::optional_json(options_json, "options_json")?;
        let out = args::out(out_summary_json, "out_summary_json")?;
        let cancel = MmsCancel::token(cancel);
        let summary = service.import_file_with(
            tenant,
            Path::new(path),
            &options,
            &mut report_counts(progress, user_data),
            cancel,
        )?;
        out.json(&summary)
    })
}

/// Writes a tenant's users, meetings and settings to a JSON file that `mms_data_import`
/// reads back into an identical tenant (in one consistent state of the store). The file is
/// private to the user (mode 0600), written under a temporary name beside `path` (created
/// without following links) and then moved into place, so `path` never holds half a file.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `path`: required; UTF-8 path of the file. Its folder must exist.
/// - `replace`: 0 to fail with `MMS_STATUS_ALREADY_EXISTS` (changing nothing) when `path`
///   exists; non-zero to replace it (a symbolic link at `path` is replaced, not followed).
/// - `progress`: NULL, or called on the calling thread with `{"Done":n,"Total":n}` (users
///   counted twice: their records, then their meetings).
/// - `user_data`: passed to `progress` untouched; may be NULL.
/// - `cancel`: NULL, or a flag that `progress` or another thread may raise with
///   `mms_cancel_cancel`; the export then ends with `MMS_STATUS_CANCELLED` and leaves no file.
/// - `out_summary_json`: required; on success receives
///   `{"Path":"...","Users":n,"Meetings":n,"Bytes":n}` (free with `mms_string_free`).
///   Untouched on failure.
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_data_export(
    store: *const MmsStore,
    tenant: *const c_char,
    path: *const c_char,
    replace: i32,
    progress: MmsProgressFn,
    user_data: *mut c_void,
    cancel: *const MmsCancel,
    out_summary_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_data_export", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let path = args::string(path, "path")?;
        let out = args::out(out_summary_json, "out_summary_json")?;
        if path.is_empty() {
            return Err(
                Error::invalid("The export path is empty; pass a file path.").with_target("path"),
            );
        }
        let cancel = MmsCancel::token(cancel);
        let summary = service.export_file(
            tenant,
            Path::new(path),
            replace != 0,
            &mut report_counts(progress, user_data),
            cancel,
        )?;
        out.json(&summary)
    })
}
