//! The store handle: open / free, and the in-process worker.

use libc::c_char;
use std::path::Path;

use crate::error::{Error, Result};
use crate::migration::worker::WorkerOptions;
use crate::service::Service;

use super::args;
use super::panic::{boundary, boundary_infallible};

/// An open store (`mms_store` in C): the embedded database plus, when started, the worker
/// that runs its queue in this process.
///
/// Opaque. Created by `mms_store_open`, destroyed by `mms_store_free`. Thread-safe: one
/// handle may be used by any number of threads at once.
pub struct MmsStore {
    service: Service,
}

impl MmsStore {
    /// The service behind a store handle: the first check of every export that takes one.
    ///
    /// # Safety
    /// `store` is NULL or a live handle from `mms_store_open`.
    pub(super) unsafe fn service<'a>(store: *const MmsStore) -> Result<&'a Service> {
        store
            .as_ref()
            .map(|s| &s.service)
            .ok_or_else(|| args::null("store"))
    }
}

/// Opens the store at `path`, creating the file and its folder on first use.
///
/// - `path`: UTF-8 file path, or NULL for the platform data directory's
///   `MeetingMigration/mms.db` (`$XDG_DATA_HOME` or `~/.local/share` on Unix,
///   `%LOCALAPPDATA%` on Windows). The library never reads `MEETING_MIGRATION_STORE`: the
///   caller resolves it and passes the path. An empty string is `MMS_STATUS_INVALID_ARGUMENT`.
/// - `out_store`: required; on success receives a handle the caller owns and releases
///   with `mms_store_free`. Untouched on failure.
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// A path that is not a private regular file of the current user is refused before
/// anything is opened or changed (`MMS_STATUS_STORE_UNSAFE`): a symbolic link to a missing
/// file or to anything but such a file, a file other users may read or write or that
/// another user owns (the message gives the fix, `chmod 600`), a folder, device or FIFO.
/// Another program's SQLite database is `MMS_STATUS_STORE_CORRUPT` and is left as it was.
/// A damaged store opens, but its writes fail with `MMS_STATUS_STORE_CORRUPT` (see
/// `mms_store_check`).
///
/// Returns 0 or a `mms_status` (`MMS_STATUS_STORE_IO`, `MMS_STATUS_STORE_UNSAFE`,
/// `MMS_STATUS_STORE_CORRUPT`, `MMS_STATUS_STORE_TOO_NEW`, `MMS_STATUS_STORE_BUSY`, ...).
/// May be called from any thread.
#[no_mangle]
pub unsafe extern "C" fn mms_store_open(
    path: *const c_char,
    out_store: *mut *mut MmsStore,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_store_open", out_error, || {
        let path = args::optional_string(path, "path")?;
        let out = args::out(out_store, "out_store")?;
        if path == Some("") {
            return Err(Error::invalid(
                "The store path is empty; pass a file path, or NULL for the default store.",
            )
            .with_target("path"));
        }
        let service = Service::open(path.map(Path::new))?;
        out.write(Box::into_raw(Box::new(MmsStore { service })));
        Ok(())
    })
}

/// Closes a store: stops its worker (waiting for the worker thread to finish its current
/// batch) and releases the handle. NULL is a no-op.
///
/// The caller must make sure no other thread is using `store` and that it is not used
/// afterwards; freeing a handle twice is undefined behaviour.
#[no_mangle]
pub unsafe extern "C" fn mms_store_free(store: *mut MmsStore) {
    boundary_infallible("mms_store_free", (), || {
        if !store.is_null() {
            drop(Box::from_raw(store));
        }
    })
}

/// Starts the store's in-process worker on a background thread. Starting it while it runs
/// is a no-op (the running worker keeps its options).
///
/// - `store`: required.
/// - `options_json`: NULL for the defaults, or an object with any of
///   `{"PollIntervalMs":200,"LeaseMs":30000,"BatchSize":500,"BackoffBaseMs":60000}`.
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe; the worker stops with `mms_worker_stop` or `mms_store_free`.
#[no_mangle]
pub unsafe extern "C" fn mms_worker_start(
    store: *const MmsStore,
    options_json: *const c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_worker_start", out_error, || {
        let service = MmsStore::service(store)?;
        let options: WorkerOptions = args::optional_json(options_json, "options_json")?;
        service.start_worker(options)
    })
}

/// Stops the store's in-process worker and waits for its thread; a no-op when it does not
/// run. The worker ends the lease of the request it was working on at its next batch
/// boundary, so any worker (in this process or another) can resume that request at once.
///
/// - `store`: required.
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_worker_stop(
    store: *const MmsStore,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_worker_stop", out_error, || {
        MmsStore::service(store)?.stop_worker();
        Ok(())
    })
}

/// Checks the whole store for damage: SQLite's `integrity_check` and a read of every text
/// value. Slow on a large store (it reads all of it); other threads and processes may use
/// the store meanwhile. Damage found makes this handle's later writes fail with
/// `MMS_STATUS_STORE_CORRUPT`.
///
/// - `store`: required.
/// - `out_json`: required; on success receives
///   `{"Path":"...","Healthy":true|false,"Problems":["...", ...]}` (at most 100 problems;
///   free with `mms_string_free`). A damaged store is a success with `"Healthy":false`.
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_store_check(
    store: *const MmsStore,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_store_check", out_error, || {
        let service = MmsStore::service(store)?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.check_store()?)
    })
}

/// Writes a consistent copy of the store to the file `path` while the store stays in use
/// (SQLite's online backup), private to the user (mode 0600). The copy is made under a
/// temporary name beside `path` and then moved into place, so `path` never holds half a
/// copy.
///
/// - `store`: required.
/// - `path`: required; UTF-8 path of the copy. Its folder must exist.
/// - `replace`: 0 to fail with `MMS_STATUS_ALREADY_EXISTS` (changing nothing) when `path`
///   exists; non-zero to replace it (a symbolic link at `path` is replaced, not followed).
/// - `out_json`: required; on success receives `{"Path":"...","Bytes":n}` (free with
///   `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_store_backup(
    store: *const MmsStore,
    path: *const c_char,
    replace: i32,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_store_backup", out_error, || {
        let service = MmsStore::service(store)?;
        let path = args::string(path, "path")?;
        let out = args::out(out_json, "out_json")?;
        if path.is_empty() {
            return Err(
                Error::invalid("The backup path is empty; pass a file path.").with_target("path"),
            );
        }
        out.json(&service.backup_store(Path::new(path), replace != 0)?)
    })
}
