//! The store file before SQLite sees it. SQLite opens whatever a path names: it follows
//! symbolic links, opens devices and FIFOs (and blocks on a FIFO), creates files with the
//! umask's permissions and gives its -wal and -shm files the permissions of the store. So a
//! path is vetted first, and nothing is opened, created or changed when it is refused:
//! - a missing store is created private (0600) under a temporary name and linked into place,
//!   so no other process ever sees it half-made and a link planted at the path is never
//!   followed;
//! - an existing store, its -wal and its -shm must be regular files of the current user that
//!   no one else may read or write (`StoreUnsafe` otherwise, with the fix);
//! - a symbolic link at the store path is accepted only when it leads to such a file; SQLite
//!   then gets the resolved path and `SQLITE_OPEN_NOFOLLOW`, so a link swapped in after the
//!   check is refused by SQLite itself.
//!
//! An existing store is only looked at (`lstat`), never opened here: closing any descriptor of
//! a file drops the POSIX locks SQLite holds on it in this process.

use std::fs::{self, Metadata};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorCode, Result};
pub(super) use crate::private_file::{
    create_private_temporary, io_error, link_into_place, resolved,
};

/// The suffixes of the files SQLite keeps beside a store in WAL mode.
const SIDECARS: [&str; 2] = ["-wal", "-shm"];

fn unsafe_file(path: &Path, what: &str, why: String, fix: &str) -> Error {
    Error::new(
        ErrorCode::StoreUnsafe,
        format!(
            "{what} '{}' {why}, so the store was not opened and nothing in it was changed. {fix}",
            path.display()
        ),
    )
    .with_target(path.display().to_string())
}

/// The path SQLite should open for the store at `path`, creating a private, empty file (and
/// its folder, 0700) when there is none. Refuses anything but a private regular file of the
/// current user. The answer has no symbolic link in it: SQLite's `NOFOLLOW` refuses a link
/// anywhere in a name, and the file vetted is the very name SQLite gets.
pub(super) fn prepare(path: &Path) -> Result<PathBuf> {
    let file = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(path) {
            Ok(target) => target,
            Err(e) if e.kind() == ErrorKind::NotFound => return Err(unsafe_file(
                path,
                "The store",
                "is a symbolic link to a file that does not exist".into(),
                "Create the store at a plain path (or make the link point at an existing store).",
            )),
            Err(e) => return Err(io_error(path, "follow the symbolic link", e)),
        },
        Ok(_) => resolved(path)?,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            create(path)?;
            resolved(path)?
        }
        Err(e) => return Err(io_error(path, "examine", e)),
    };
    let meta = fs::symlink_metadata(&file).map_err(|e| io_error(path, "examine", e))?;
    if meta.file_type().is_symlink() {
        return Err(unsafe_file(
            path,
            "The store",
            "became a symbolic link while it was being opened".into(),
            "Check who else writes to its folder.",
        ));
    }
    vet(path, "The store", &meta)?;
    for suffix in SIDECARS {
        let sidecar = PathBuf::from(format!("{}{suffix}", file.display()));
        let what = format!("The store's {suffix} file");
        match fs::symlink_metadata(&sidecar) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(unsafe_file(
                    &sidecar,
                    &what,
                    "is a symbolic link".into(),
                    "Remove that link; SQLite recreates the file.",
                ))
            }
            Ok(meta) => vet(&sidecar, &what, &meta)?,
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&sidecar, "examine", e)),
        }
    }
    Ok(file)
}

/// Whether `path` names the store `file` or one of its sidecars (through any link or
/// other name of the same file).
pub(super) fn is_part_of(path: &Path, file: &Path) -> bool {
    let (Ok(target), Ok(name)) = (fs::metadata(path), fs::canonicalize(path)) else {
        return false;
    };
    std::iter::once(file.to_path_buf())
        .chain(
            SIDECARS
                .iter()
                .map(|s| PathBuf::from(format!("{}{s}", file.display()))),
        )
        .any(|part| {
            fs::canonicalize(&part).map_or(false, |p| p == name)
                || fs::metadata(&part).map_or(false, |m| same_file(&m, &target))
        })
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, _: &Metadata) -> bool {
    false // `is_part_of` compares the resolved names too
}

/// A regular file of the current user that no one else may read or write. The owner and mode
/// are Unix rules; elsewhere only the kind of file is checked.
fn vet(path: &Path, what: &str, meta: &Metadata) -> Result<()> {
    if !meta.file_type().is_file() {
        let kind = if meta.is_dir() {
            "is a folder, not a regular file"
        } else {
            "is not a regular file (a device, FIFO or socket)"
        };
        return Err(unsafe_file(
            path,
            what,
            kind.into(),
            "Use a file path for the store.",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(unsafe_file(
                path,
                what,
                format!(
                    "is owned by user id {}, not by you (user id {me})",
                    meta.uid()
                ),
                "Use a store of your own, or have its owner copy it for you (Backup-MmsStore).",
            ));
        }
        if meta.mode() & 0o077 != 0 {
            return Err(unsafe_file(
                path,
                what,
                format!(
                    "can be read or written by other users (mode {:o})",
                    meta.mode() & 0o777
                ),
                &format!(
                    "If it is your MeetingMigration store, make it private first: chmod 600 '{}'; if not, point MEETING_MIGRATION_STORE at your store.",
                    path.display()
                ),
            ));
        }
    }
    Ok(())
}

/// Creates the folder (0700) and an empty private file at `path`, or leaves the file another
/// process created meanwhile.
fn create(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut folder = fs::DirBuilder::new();
        folder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            folder.mode(0o700);
        }
        folder
            .create(dir)
            .map_err(|e| io_error(path, "create the folder of the store", e))?;
    }
    let temporary = create_private_temporary(path)?;
    let placed = link_into_place(&temporary, path);
    let _ = fs::remove_file(&temporary);
    match placed {
        // Another process created it first: the caller vets what is there now.
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io_error(path, "create the store", e)),
    }
}
