//! Copies of the store: SQLite's online backup into a private temporary file beside the
//! destination, then moved into place, so a copy is never seen half-written and a link at
//! the destination is replaced rather than followed.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::file::{create_private_temporary, io_error, resolved};
use crate::error::{Error, ErrorCode, Result};
use crate::model::StoreBackup;
use crate::private_file::place;

/// Copies the database `source` reads to `to`; see [`Store::backup`](crate::store::Store::backup).
pub(super) fn copy_to(
    source: &Connection,
    to: &Path,
    replace: bool,
    busy_timeout: Duration,
) -> Result<StoreBackup> {
    if std::fs::metadata(to).map_or(false, |m| m.is_dir()) {
        return Err(Error::invalid(format!(
            "'{}' is a folder; give the path of a file in it, such as '{}'.",
            to.display(),
            to.join("mms-backup.db").display()
        ))
        .with_target(to.display().to_string()));
    }
    if !replace && std::fs::symlink_metadata(to).is_ok() {
        return Err(exists(to));
    }
    // The folder's links resolved: SQLite opens the temporary file with NOFOLLOW.
    let place = resolved(to)?;
    let temporary = create_private_temporary(&place)?;
    let result = copy_then_place(source, &temporary, &place, replace, busy_timeout);
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result?;
    let bytes = std::fs::metadata(to)
        .map_err(|e| io_error(to, "examine the copy", e))?
        .len();
    Ok(StoreBackup {
        path: to.display().to_string(),
        bytes,
    })
}

fn exists(to: &Path) -> Error {
    Error::new(
        ErrorCode::AlreadyExists,
        format!(
            "'{}' exists already; it was left as it was. Choose another path, or replace it (Backup-MmsStore -Force).",
            to.display()
        ),
    )
    .with_target(to.display().to_string())
}

fn copy_then_place(
    source: &Connection,
    temporary: &Path,
    to: &Path,
    replace: bool,
    busy_timeout: Duration,
) -> Result<()> {
    {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_NOFOLLOW;
        // Failures of the copy's side are the copy's: name it, not the store.
        let copy_error = |e: rusqlite::Error| {
            Error::new(
                ErrorCode::StoreIo,
                format!("Cannot write the copy '{}': {e}.", to.display()),
            )
            .with_target(to.display().to_string())
        };
        let mut copy = Connection::open_with_flags(temporary, flags).map_err(copy_error)?;
        let backup = Backup::new(source, &mut copy).map_err(copy_error)?;
        // One step copies every page under one read snapshot: a consistent copy, and
        // writers are not held up meanwhile (WAL).
        let deadline = Instant::now() + busy_timeout;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                // Busy or locked by a writer: try again until the busy timeout.
                _ if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                _ => {
                    return Err(Error::new(
                        ErrorCode::StoreBusy,
                        "The store stayed locked past the busy timeout; no copy was made.",
                    ))
                }
            }
        }
    }
    place(temporary, to, replace, "the copy", || exists(to))
}
