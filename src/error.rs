//! The one error type of the service, with the stable codes the C ABI and the PowerShell
//! module expose. Codes are part of the ABI: a number is never reused or renumbered.

use std::fmt;

/// The status codes of the C ABI (`mms_status` in C; functions return them as `int32_t`),
/// which are also the `code` of every error of the service. The numbers are fixed forever
/// and never reused: a code that is no longer produced keeps its number, documented as
/// reserved. Each has an error id (`"MeetingMigration." + id`) and a PowerShell
/// `ErrorCategory`, listed by `mms_error_codes`.
//
// This enum is the one status-code table: cbindgen reads it into the header (renamed
// `mms_status` in cbindgen.toml) and `Error` carries it. Adding a code: a variant with the
// next number, its row in `describe`, its entry at the end of `ALL`, the same name and
// number in powershell/Interop/MmsStatusCode.cs (checked when the module is imported), then
// regenerate the header.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// Success.
    Ok = 0,
    /// A bug: a panic was caught at the C boundary (the message is in the error JSON).
    Panic = 1,
    /// A required pointer argument was NULL.
    NullArgument = 2,
    /// A string argument was not valid UTF-8.
    InvalidUtf8 = 3,
    /// A JSON argument did not parse or had the wrong shape.
    InvalidJson = 4,
    /// An argument had a value the service does not accept.
    InvalidArgument = 5,
    /// No user in the tenant matches the identity.
    IdentityNotFound = 6,
    /// More than one user matches the identity.
    IdentityAmbiguous = 7,
    /// The identity contains `*` or `?`.
    WildcardNotAllowed = 8,
    /// The identity is empty, too long, contains NUL or is a malformed DN / logon.
    MalformedIdentity = 9,
    /// No tenant with that id exists in the store.
    TenantNotFound = 10,
    /// The tenant id is not a GUID.
    InvalidTenantId = 11,
    /// The tenant's MeetingMigrationEnabled is false.
    MigrationDisabled = 12,
    /// The store stayed locked by another process past the busy timeout.
    StoreBusy = 13,
    /// The store file is not a MeetingMigration database or is damaged.
    StoreCorrupt = 14,
    /// The store file or its folder could not be created or opened.
    StoreIo = 15,
    /// The store was written by a newer version of this library.
    StoreTooNew = 16,
    /// A record of an import file is invalid; nothing was imported.
    ImportFailed = 17,
    /// A filter expression (`-Filter`) did not parse.
    FilterSyntax = 18,
    /// No migration request has that correlation id.
    RequestNotFound = 19,
    /// A wait ended before the request reached a terminal state.
    Timeout = 20,
    /// A wait was cancelled.
    Cancelled = 21,
    /// Reserved: never produced. A meeting type that is not one of the accepted values is
    /// reported as `InvalidJson` in a JSON argument and as `ImportFailed` in an import file;
    /// the number stays taken so that it is never reused.
    InvalidMeetingType = 22,
    /// The object to create exists already.
    AlreadyExists = 23,
    /// An unexpected failure inside the service.
    Internal = 24,
    /// The store has no tenant yet, so there is no default tenant.
    NoDefaultTenant = 25,
    /// The store path is not a private regular file of the current user: a symbolic link
    /// it does not expect, a file other users can read or write or that another user owns,
    /// a device, FIFO or folder. Nothing was opened or changed.
    StoreUnsafe = 26,
}

impl ErrorCode {
    /// Every code, in numeric order (checked below: the n-th entry is code n).
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::Ok,
        ErrorCode::Panic,
        ErrorCode::NullArgument,
        ErrorCode::InvalidUtf8,
        ErrorCode::InvalidJson,
        ErrorCode::InvalidArgument,
        ErrorCode::IdentityNotFound,
        ErrorCode::IdentityAmbiguous,
        ErrorCode::WildcardNotAllowed,
        ErrorCode::MalformedIdentity,
        ErrorCode::TenantNotFound,
        ErrorCode::InvalidTenantId,
        ErrorCode::MigrationDisabled,
        ErrorCode::StoreBusy,
        ErrorCode::StoreCorrupt,
        ErrorCode::StoreIo,
        ErrorCode::StoreTooNew,
        ErrorCode::ImportFailed,
        ErrorCode::FilterSyntax,
        ErrorCode::RequestNotFound,
        ErrorCode::Timeout,
        ErrorCode::Cancelled,
        ErrorCode::InvalidMeetingType,
        ErrorCode::AlreadyExists,
        ErrorCode::Internal,
        ErrorCode::NoDefaultTenant,
        ErrorCode::StoreUnsafe,
    ];

    /// The name used in error ids (`MeetingMigration.<Id>`): the variant's name.
    pub fn id(self) -> &'static str {
        self.describe().0
    }

    /// The PowerShell `ErrorCategory` name for errors with this code.
    pub fn category(self) -> &'static str {
        self.describe().1
    }

    /// The table of ids and categories, one row per code (the match fails to compile when
    /// a code has no row).
    fn describe(self) -> (&'static str, &'static str) {
        use ErrorCode::*;
        match self {
            Ok => ("Ok", "NotSpecified"),
            Panic => ("Panic", "NotSpecified"),
            NullArgument => ("NullArgument", "InvalidArgument"),
            InvalidUtf8 => ("InvalidUtf8", "InvalidArgument"),
            InvalidJson => ("InvalidJson", "InvalidArgument"),
            InvalidArgument => ("InvalidArgument", "InvalidArgument"),
            IdentityNotFound => ("IdentityNotFound", "ObjectNotFound"),
            IdentityAmbiguous => ("IdentityAmbiguous", "InvalidArgument"),
            WildcardNotAllowed => ("WildcardNotAllowed", "InvalidArgument"),
            MalformedIdentity => ("MalformedIdentity", "InvalidArgument"),
            TenantNotFound => ("TenantNotFound", "ObjectNotFound"),
            InvalidTenantId => ("InvalidTenantId", "InvalidArgument"),
            MigrationDisabled => ("MigrationDisabled", "PermissionDenied"),
            StoreBusy => ("StoreBusy", "ResourceBusy"),
            StoreCorrupt => ("StoreCorrupt", "InvalidData"),
            StoreIo => ("StoreIo", "OpenError"),
            StoreTooNew => ("StoreTooNew", "InvalidData"),
            ImportFailed => ("ImportFailed", "InvalidData"),
            FilterSyntax => ("FilterSyntax", "ParserError"),
            RequestNotFound => ("RequestNotFound", "ObjectNotFound"),
            Timeout => ("Timeout", "OperationTimeout"),
            Cancelled => ("Cancelled", "OperationStopped"),
            InvalidMeetingType => ("InvalidMeetingType", "InvalidArgument"),
            AlreadyExists => ("AlreadyExists", "ResourceExists"),
            Internal => ("Internal", "NotSpecified"),
            NoDefaultTenant => ("NoDefaultTenant", "ObjectNotFound"),
            StoreUnsafe => ("StoreUnsafe", "SecurityError"),
        }
    }
}

// `ALL` is in numeric order with no gap: its n-th entry is code n.
const _: () = {
    let mut n = 0;
    while n < ErrorCode::ALL.len() {
        assert!(ErrorCode::ALL[n] as i32 == n as i32);
        n += 1;
    }
};

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
    /// What to try next, when the service can tell (PowerShell's recommended action).
    pub hint: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            target: None,
            hint: None,
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

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
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

    /// The JSON object that crosses the C ABI: `{code, id, category, message, target, hint}`.
    /// The message is cut at [`MAX_MESSAGE_CHARS`]: the last guard for a message that quotes
    /// an input without [`shorten`].
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "code": self.code as i32,
            "id": self.code.id(),
            "category": self.code.category(),
            "message": shorten_to(&self.message, MAX_MESSAGE_CHARS),
            "target": self.target,
            "hint": self.hint,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

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

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn each_id_is_the_variant_name() {
        for code in ErrorCode::ALL {
            assert_eq!(code.id(), format!("{code:?}"));
        }
    }
}
