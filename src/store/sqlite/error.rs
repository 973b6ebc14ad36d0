//! SQLite's errors as the service's: busy, corrupt and I/O failures get their own codes
//! and a message that says what to do; anything else is `Internal`.

use crate::error::{Error, ErrorCode};

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode as Sqlite;
        let code = match e.sqlite_error_code() {
            Some(Sqlite::DatabaseBusy) | Some(Sqlite::DatabaseLocked) => ErrorCode::StoreBusy,
            Some(Sqlite::DatabaseCorrupt) | Some(Sqlite::NotADatabase) => ErrorCode::StoreCorrupt,
            Some(Sqlite::CannotOpen)
            | Some(Sqlite::ReadOnly)
            | Some(Sqlite::SystemIoFailure)
            | Some(Sqlite::DiskFull)
            | Some(Sqlite::PermissionDenied) => ErrorCode::StoreIo,
            _ => ErrorCode::Internal,
        };
        let message = match code {
            ErrorCode::StoreBusy => format!(
                "The store is locked by another process and stayed locked past the busy timeout ({e}); nothing was changed. Retry when the other process has finished."
            ),
            ErrorCode::StoreCorrupt => format!(
                "The store file is not a MeetingMigration database or is damaged ({e}). Restore it from a copy or point MEETING_MIGRATION_STORE at another file."
            ),
            ErrorCode::StoreIo if e.sqlite_error_code() == Some(Sqlite::DiskFull) => format!(
                "The disk holding the store is full ({e}); the change was not made. Free some space and retry: the store is intact."
            ),
            ErrorCode::StoreIo => format!("The store file could not be read or written ({e})."),
            _ => format!("Store error: {e}"),
        };
        Error::new(code, message)
    }
}
