//! The one error type of the service, with the stable codes the C ABI and the PowerShell
//! module expose. Codes are part of the ABI: a number is never reused or renumbered.

use std::fmt;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $name:ident = $value:literal => $category:literal,)*) => {
        /// Status codes returned across the C ABI (`0` is success).
        ///
        /// The numbers are fixed forever; new codes get new numbers.
        #[repr(i32)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $name = $value,)*
        }

        impl ErrorCode {
            /// Every code, in numeric order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name,)*];

            /// The name used in error ids (`MeetingMigration.<Id>`).
            pub fn id(self) -> &'static str {
                match self { $(ErrorCode::$name => stringify!($name),)* }
            }

            /// The PowerShell `ErrorCategory` name for errors with this code.
            pub fn category(self) -> &'static str {
                match self { $(ErrorCode::$name => $category,)* }
            }
        }
    };
}

error_codes! {
    /// Success.
    Ok = 0 => "NotSpecified",
    /// A bug: a panic was caught at the C boundary.
    Panic = 1 => "NotSpecified",
    /// A required pointer argument was NULL.
    NullArgument = 2 => "InvalidArgument",
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 3 => "InvalidArgument",
    /// A JSON argument did not parse or had the wrong shape.
    InvalidJson = 4 => "InvalidArgument",
    /// An argument had a value the service does not accept.
    InvalidArgument = 5 => "InvalidArgument",
    /// No user in the tenant matches the identity.
    IdentityNotFound = 6 => "ObjectNotFound",
    /// More than one user matches the identity.
    IdentityAmbiguous = 7 => "InvalidArgument",
    /// The identity contains `*` or `?`.
    WildcardNotAllowed = 8 => "InvalidArgument",
    /// The identity is empty, too long, contains NUL or is a malformed DN / logon.
    MalformedIdentity = 9 => "InvalidArgument",
    /// No tenant with that id exists in the store.
    TenantNotFound = 10 => "ObjectNotFound",
    /// The tenant id is not a GUID.
    InvalidTenantId = 11 => "InvalidArgument",
    /// The tenant's MeetingMigrationEnabled is false.
    MigrationDisabled = 12 => "PermissionDenied",
    /// The store stayed locked by another process past the busy timeout.
    StoreBusy = 13 => "ResourceBusy",
    /// The store file is not a MeetingMigration database or is damaged.
    StoreCorrupt = 14 => "InvalidData",
    /// The store file or its folder could not be created or opened.
    StoreIo = 15 => "OpenError",
    /// The store was written by a newer version of this library.
    StoreTooNew = 16 => "InvalidData",
    /// A record of an import file is invalid; nothing was imported.
    ImportFailed = 17 => "InvalidData",
    /// A `-Filter` expression did not parse.
    FilterSyntax = 18 => "ParserError",
    /// No migration request has that correlation id.
    RequestNotFound = 19 => "ObjectNotFound",
    /// A wait ended before the request reached a terminal state.
    Timeout = 20 => "OperationTimeout",
    /// A wait was cancelled.
    Cancelled = 21 => "OperationStopped",
    /// A meeting type is not one of the accepted values.
    InvalidMeetingType = 22 => "InvalidArgument",
    /// The object to create exists already.
    AlreadyExists = 23 => "ResourceExists",
    /// An unexpected failure inside the service.
    Internal = 24 => "NotSpecified",
    /// The store has no tenant yet, so there is no default tenant.
    NoDefaultTenant = 25 => "ObjectNotFound",
}

/// Characters of an input value a message echoes before cutting it (see [`shorten`]).
pub const SHOWN_CHARS: usize = 64;
/// Longest message that crosses the C ABI, in characters (see [`Error::to_json`]).
pub const MAX_MESSAGE_CHARS: usize = 2_000;
/// Characters of an input value kept as an error's `target`.
pub const MAX_TARGET_CHARS: usize = 256;

/// An input value as messages echo it: at most [`SHOWN_CHARS`] characters, then "…" when it
/// was longer, with a NUL shown as `\0`. A 1 MiB tenant id, filter, correlation id or path
/// thus gives a short message that still shows how the value starts.
pub fn shorten(value: &str) -> String {
    shorten_to(value, SHOWN_CHARS)
}

/// [`shorten`] with another limit, for text that quotes a value within a longer sentence of
/// its own (a JSON parser's message).
pub fn shorten_to(value: &str, limit: usize) -> String {
    let mut shown = String::with_capacity(value.len().min(limit * 4 + 4));
    let mut chars = value.chars();
    for c in chars.by_ref().take(limit) {
        match c {
            '\0' => shown.push_str("\\0"),
            c => shown.push(c),
        }
    }
    if chars.next().is_some() {
        shown.push('…');
    }
    shown
}

/// An error of the service: a stable code, a message for people and the offending input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    /// The value the error is about (an identity, a tenant id, a path), when there is one.
    pub target: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            target: None,
        }
    }

    /// Names the value the error is about; a long value is cut to [`MAX_TARGET_CHARS`].
    pub fn with_target(mut self, target: impl Into<String>) -> Self {
        let target = target.into();
        self.target = Some(if target.chars().count() > MAX_TARGET_CHARS {
            target.chars().take(MAX_TARGET_CHARS).collect()
        } else {
            target
        });
        self
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidArgument, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::Internal, message)
    }

    /// A start refused because the tenant's `MeetingMigrationEnabled` is false.
    pub fn migration_disabled(tenant: uuid::Uuid, user: &str) -> Self {
        Error::new(
            ErrorCode::MigrationDisabled,
            format!(
                "Meeting migration is disabled for tenant {tenant}, so no migration was queued for {user}. Enable it with: Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true"
            ),
        )
    }

    /// The JSON object that crosses the C ABI: `{code, id, category, message, target}`.
    /// The message is cut at [`MAX_MESSAGE_CHARS`]: the last guard for a message that quotes
    /// an input without [`shorten`].
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "code": self.code as i32,
            "id": self.code.id(),
            "category": self.code.category(),
            "message": shorten_to(&self.message, MAX_MESSAGE_CHARS),
            "target": self.target,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

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

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::new(
            ErrorCode::InvalidJson,
            format!(
                "Invalid JSON: {}",
                shorten_to(&e.to_string(), 4 * SHOWN_CHARS)
            ),
        )
    }
}
