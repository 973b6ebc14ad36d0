//! SQLite's errors as the service's: busy, corrupt and I/O failures get their own codes
//! and a message that says what to do; anything else is `Internal`. A value that does not
//! read as its column's type (text that is not UTF-8, a GUID or state that does not parse)
//! was damaged in the file: `StoreCorrupt` too.

use crate::error::{Error, ErrorCode};

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode as Sqlite;
        use rusqlite::Error as E;
        let unreadable_value = matches!(
            e,
            E::FromSqlConversionFailure(..)
                | E::Utf8Error(_)
                | E::InvalidColumnType(..)
                | E::IntegralValueOutOfRange(..)
        );
        let code = match e.sqlite_error_code() {
            _ if unreadable_value => ErrorCode::StoreCorrupt,
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
            // The store names its file around these (see `damaged` in the parent module).
            ErrorCode::StoreCorrupt if unreadable_value => format!("a value cannot be read ({e})"),
            ErrorCode::StoreCorrupt => format!("SQLite reports \"{e}\""),
            ErrorCode::StoreIo if e.sqlite_error_code() == Some(Sqlite::DiskFull) => format!(
                "The disk holding the store is full ({e}); the change was not made. Free some space and retry: the store is intact."
            ),
            ErrorCode::StoreIo => format!("The store file could not be read or written ({e})."),
            _ => format!("Store error: {e}"),
        };
        Error::new(code, message)
    }
}
