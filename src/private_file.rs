//! Files the product writes for the user (a store, a copy of it, an export): created
//! private (0600) under a temporary name beside their place, without following links, then
//! given their name, so no other process sees them half-written and a link planted at the
//! path is replaced or refused, never written through.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorCode, Result};

pub fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::new(
        ErrorCode::StoreIo,
        format!("Cannot {what} '{}': {e}.", path.display()),
    )
    .with_target(path.display().to_string())
}

/// `path` with the links of its folder resolved (the last name is kept as it is).
pub fn resolved(path: &Path) -> Result<PathBuf> {
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        Error::invalid(format!("'{}' does not name a file.", path.display()))
            .with_target(path.display().to_string())
    })?;
    let folder = fs::canonicalize(folder).map_err(|e| match e.kind() {
        ErrorKind::NotFound => Error::new(
            ErrorCode::StoreIo,
            format!(
                "The folder '{}' does not exist; create it first (New-Item -ItemType Directory).",
                folder.display()
            ),
        )
        .with_target(path.display().to_string()),
        _ => io_error(path, "resolve the folder of", e),
    })?;
    Ok(folder.join(name))
}

/// Gives the file `temporary` the name `path` too, unless `path` exists (`AlreadyExists`):
/// a hard link, or where the file system has none (FAT, some network and FUSE file
/// systems) a rename that does not replace. The caller removes `temporary` afterwards.
pub fn link_into_place(temporary: &Path, path: &Path) -> std::io::Result<()> {
    match fs::hard_link(temporary, path) {
        Err(e) if e.kind() != ErrorKind::AlreadyExists => {
            rename_without_replacing(temporary, path).map_err(|_| e)
        }
        linked => linked,
    }
}

#[cfg(target_os = "linux")]
fn rename_without_replacing(from: &Path, to: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let from = std::ffi::CString::new(from.as_os_str().as_bytes())?;
    let to = std::ffi::CString::new(to.as_os_str().as_bytes())?;
    // SAFETY: two NUL-terminated paths that live across the call.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn rename_without_replacing(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(ErrorKind::Unsupported))
}

/// A new, empty file beside `path` that only the user can read and write, created without
/// following links (`O_CREAT | O_EXCL | O_NOFOLLOW`): `.<name>.<random>.tmp`.
pub fn create_private_temporary(path: &Path) -> Result<PathBuf> {
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

/// Gives the private file `temporary` (from [`create_private_temporary`]) its name `to`,
/// leaving no temporary name behind: with `replace`, whatever is at `to` is replaced as a
/// whole (a symbolic link there is replaced, never followed); without, an existing `to` is
/// left as it was and the answer is `exists()`. `what` says what is placed, for errors.
pub fn place(
    temporary: &Path,
    to: &Path,
    replace: bool,
    what: &str,
    exists: impl FnOnce() -> Error,
) -> Result<()> {
    let moved = if replace {
        fs::rename(temporary, to)
    } else {
        let linked = link_into_place(temporary, to);
        let _ = fs::remove_file(temporary);
        linked
    };
    match moved {
        Ok(()) => Ok(()),
        Err(e) if !replace && e.kind() == ErrorKind::AlreadyExists => Err(exists()),
        Err(e) => {
            let _ = fs::remove_file(temporary);
            Err(io_error(to, &format!("move {what} to"), e))
        }
    }
}
