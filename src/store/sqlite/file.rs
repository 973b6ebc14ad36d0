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

/// The suffixes of the files SQLite keeps beside a store in WAL mode.
const SIDECARS: [&str; 2] = ["-wal", "-shm"];

pub(super) fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::new(
        ErrorCode::StoreIo,
        format!("Cannot {what} '{}': {e}.", path.display()),
    )
    .with_target(path.display().to_string())
}

fn unsafe_file(path: &Path, why: String, fix: &str) -> Error {
    Error::new(
        ErrorCode::StoreUnsafe,
        format!(
            "The store '{}' {why}, so it was not opened and nothing in it was changed. {fix}",
            path.display()
        ),
    )
    .with_target(path.display().to_string())
}

/// The path SQLite should open for the store at `path`, creating a private, empty file (and
/// its folder, 0700) when there is none. Refuses anything but a private regular file of the
/// current user.
pub(super) fn prepare(path: &Path) -> Result<PathBuf> {
    let store = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = match fs::metadata(path) {
                Ok(target) => target,
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    return Err(unsafe_file(
                        path,
                        "is a symbolic link to a file that does not exist".into(),
                        "Create the store at a plain path (or make the link point at an existing store).",
                    ))
                }
                Err(e) => return Err(io_error(path, "follow the symbolic link", e)),
            };
            vet(path, &target)?;
            fs::canonicalize(path).map_err(|e| io_error(path, "resolve", e))?
        }
        Ok(meta) => {
            vet(path, &meta)?;
            path.to_path_buf()
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            create(path)?;
            path.to_path_buf()
        }
        Err(e) => return Err(io_error(path, "examine", e)),
    };
    for suffix in SIDECARS {
        let sidecar = PathBuf::from(format!("{}{suffix}", store.display()));
        match fs::symlink_metadata(&sidecar) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(unsafe_file(
                    path,
                    format!(
                        "has a symbolic link as its {suffix} file ('{}')",
                        sidecar.display()
                    ),
                    "Remove that link; SQLite recreates the file.",
                ))
            }
            Ok(meta) => vet(&sidecar, &meta).map_err(|e| Error {
                message: format!("{} (The store's {suffix} file.)", e.message),
                ..e
            })?,
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&sidecar, "examine", e)),
        }
    }
    Ok(store)
}

/// Whether `path` names the store `file` or one of its sidecars (through any link or
/// other name of the same file).
pub(super) fn is_part_of(path: &Path, file: &Path) -> bool {
    let Ok(target) = fs::metadata(path) else {
        return false;
    };
    std::iter::once(file.to_path_buf())
        .chain(
            SIDECARS
                .iter()
                .map(|s| PathBuf::from(format!("{}{s}", file.display()))),
        )
        .filter_map(|part| fs::metadata(part).ok())
        .any(|part| same_file(&part, &target))
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, _: &Metadata) -> bool {
    false
}

/// A regular file of the current user that no one else may read or write.
fn vet(path: &Path, meta: &Metadata) -> Result<()> {
    if !meta.file_type().is_file() {
        let kind = if meta.is_dir() {
            "is a folder, not a regular file"
        } else {
            "is not a regular file (a device, FIFO or socket)"
        };
        return Err(unsafe_file(
            path,
            kind.into(),
            "Point MEETING_MIGRATION_STORE at a file path.",
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
                format!(
                    "can be read or written by other users (mode {:o})",
                    meta.mode() & 0o777
                ),
                &format!("Make it private first: chmod 600 '{}'", path.display()),
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
    let linked = fs::hard_link(&temporary, path);
    let _ = fs::remove_file(&temporary);
    match linked {
        Ok(()) => Ok(()),
        // Another process created it first: vet what is there now.
        Err(e) if e.kind() == ErrorKind::AlreadyExists => match fs::symlink_metadata(path) {
            Ok(meta) => vet(path, &meta),
            Err(e) => Err(io_error(path, "examine", e)),
        },
        Err(e) => Err(io_error(path, "create the store", e)),
    }
}

/// A new, empty file beside `path` that only the user can read and write, created without
/// following links (`O_CREAT | O_EXCL | O_NOFOLLOW`): `.<name>.<random>.tmp`.
pub(super) fn create_private_temporary(path: &Path) -> Result<PathBuf> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for _ in 0..100 {
        let temporary =
            path.with_file_name(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        match options.open(&temporary) {
            Ok(_) => return Ok(temporary),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_error(&temporary, "create", e)),
        }
    }
    Err(Error::new(
        ErrorCode::StoreIo,
        format!(
            "Cannot create a temporary file beside '{}': every name tried exists.",
            path.display()
        ),
    ))
}
