namespace MeetingMigration.PowerShell.Interop;

/// <summary>
/// The library's status codes (<c>mms_status</c> in include/meeting_migration.h): the C# mirror of
/// <c>ErrorCode</c> in src/error.rs, the one table. Numbers are fixed and never reused (22,
/// InvalidMeetingType, is reserved and never produced); the names are the error ids
/// (<c>MeetingMigration.&lt;Id&gt;</c>). The module refuses at import a library that lists a code this enum
/// does not know, by number and name (<see cref="ModuleLifecycle"/>).
/// </summary>
public enum MmsStatusCode
{
    Ok = 0,
    Panic = 1,
    NullArgument = 2,
    InvalidUtf8 = 3,
    InvalidJson = 4,
    InvalidArgument = 5,
    IdentityNotFound = 6,
    IdentityAmbiguous = 7,
    WildcardNotAllowed = 8,
    MalformedIdentity = 9,
    TenantNotFound = 10,
    InvalidTenantId = 11,
    MigrationDisabled = 12,
    StoreBusy = 13,
    StoreCorrupt = 14,
    StoreIo = 15,
    StoreTooNew = 16,
    ImportFailed = 17,
    FilterSyntax = 18,
    RequestNotFound = 19,
    Timeout = 20,
    Cancelled = 21,
    InvalidMeetingType = 22,
    AlreadyExists = 23,
    Internal = 24,
    NoDefaultTenant = 25,
    StoreUnsafe = 26,
}
