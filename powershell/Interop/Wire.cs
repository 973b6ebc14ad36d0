using System;
using System.Text.Json.Serialization;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Interop;

// The library's JSON inputs and the outputs that are not public records (documented in include/meeting_migration.h).
// Null members are left out, so the library applies its own defaults.
// Classes the library returns in bulk (here and in Model/) have settable properties, not init-only ones:
// the source generator reads init-only properties through its parameterized-constructor converter,
// which is several times slower per record (PowerShell could set init-only properties all the same).

internal sealed record NativeError(int Code, string Id, string Category, string Message, string? Target, string? Hint = null);

internal sealed record ErrorCodeEntry(int Code, string Id, string Category);

internal sealed record MigrationRequest(string Identity, string? Tenant, string SourceMeetingType, string TargetMeetingType);

/// <summary>One item of a batch preview: what starting it would do, or (<see cref="Error"/>) why it cannot start.</summary>
internal sealed class MigrationPreview
{
    public Guid UserId { get; set; }
    public string UserPrincipalName { get; set; } = "";
    public Guid TenantId { get; set; }
    public string MigrationType { get; set; } = "";
    public int MeetingCount { get; set; }
    public MigrationStatus? ExistingRequest { get; set; }
    public NativeError? Error { get; set; }
}

internal sealed record StoreBackup(string Path, long Bytes);

internal sealed record ExportSummary(string Path, long Users, long Meetings, long Bytes);

internal sealed class StartResult
{
    public MigrationStatus? Status { get; set; }
    public bool Existing { get; set; }
    public NativeError? Error { get; set; }
}

internal sealed record UsersQuery(
    string? Tenant,
    string? Filter,
    string? Prefix,
    long? After,
    int Limit,
    string? AccountType = null,
    bool SoftDeletedUser = false,
    bool SkipUserPolicies = false,
    string[]? Properties = null,
    string? Sort = null);

internal sealed class UsersPage
{
    public OnlineUser[] Users { get; set; } = [];
    public long? Next { get; set; }
}

internal sealed record StatusQuery(
    string? Tenant, string? Identity, DateTime? StartTime, DateTime? EndTime, string? State, string? MigrationType, string? TriggeredBy);

internal sealed record NewTenantRequest(string? TenantId, string Name, TenantDomain[] Domains, bool Default);

internal sealed record SampleTenantOptions(string? TenantId, int? UserCount, int? MeetingsPerUser, int? Seed);

internal sealed record MigrationConfigChanges(bool? MeetingMigrationEnabled, int? HoldMinutes, int? TimeScale);

internal sealed record DialInSettingsChanges(
    bool? AutomaticallyMigrateUserMeetings,
    bool? AutomaticallyReplaceAcpProvider,
    bool? AutomaticallySendEmailsToUsers,
    int? PinLength,
    string? DefaultTollNumber,
    string? DefaultTollFreeNumber,
    string[]? AllowedDialOutExternalDomains,
    string? AllowFederatedUsersToDialOutToSelf,
    string? AllowFederatedUsersToDialOutToThirdParty,
    bool? AllowPSTNOnlyMeetingsByDefault,
    bool? EnableDialOutJoinConfirmation,
    bool? EnableEntryExitNotifications,
    bool? EnableNameRecording,
    string? EntryExitAnnouncementsType,
    bool? IncludeTollFreeNumberInMeetingInvites,
    string? MaskPstnNumbersType,
    bool? MigrateServiceNumbersOnCrossForestMove,
    string? SendEmailFromAddress,
    string? SendEmailFromDisplayName,
    bool? SendEmailFromOverride,
    bool? UseUniqueConferenceIds);

internal sealed record ImportProgress(long Done, long Total);

internal sealed record FaultInjectionChanges(double? TransientFailureRate, double? PermanentFailureRate, long? Seed);

internal sealed record UserChanges(
    string Identity,
    string? Tenant,
    string? MailboxLocation = null,
    string? AudioConferencingProvider = null,
    bool? AudioConferencingLicense = null,
    string? MoveTarget = null,
    string? TeamsUpgradePolicy = null,
    string? ServiceNumber = null,
    string? TollFreeServiceNumber = null);

internal sealed class UserUpdate
{
    public OnlineUser User { get; set; } = new();
    public MigrationStatus? Request { get; set; }
    public bool Existing { get; set; }
    public string? NotTriggered { get; set; }
}

internal sealed record DialInUsersQuery(
    string? Tenant, string? Identity, string? ServiceNumber, Guid? BridgeId, string? BridgeName, string? LdapFilter, int? ResultSize);

internal sealed record DefaultNumberChange(
    string? Tenant,
    string? FromNumber,
    string ToNumber,
    string NumberType,
    Guid? BridgeId,
    string? BridgeName,
    string? CountryOrRegion,
    string? AreaOrState,
    string? CapitalOrMajorCity,
    bool RescheduleMeetings);

internal sealed record MeetingChanges(string? Tenant, string Identity, Guid MeetingId, bool NewOnlineMeeting);

internal sealed record TenantUpgradePolicyGrant(string? Tenant, string? PolicyName, string? Group = null);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NativeError))]
[JsonSerializable(typeof(ErrorCodeEntry[]))]
[JsonSerializable(typeof(MigrationRequest))]
[JsonSerializable(typeof(MigrationRequest[]))]
[JsonSerializable(typeof(MigrationPreview[]))]
[JsonSerializable(typeof(StartResult[]))]
[JsonSerializable(typeof(UsersQuery))]
[JsonSerializable(typeof(UsersPage))]
[JsonSerializable(typeof(OnlineUser))]
[JsonSerializable(typeof(StatusQuery))]
[JsonSerializable(typeof(MigrationStatus))]
[JsonSerializable(typeof(MigrationStatus[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(MigrationSummary[]))]
[JsonSerializable(typeof(MmsTenant))]
[JsonSerializable(typeof(MmsTenant[]))]
[JsonSerializable(typeof(NewTenantRequest))]
[JsonSerializable(typeof(SampleTenantOptions))]
[JsonSerializable(typeof(TenantMigrationConfiguration))]
[JsonSerializable(typeof(MigrationConfigChanges))]
[JsonSerializable(typeof(DialInConferencingTenantSettings))]
[JsonSerializable(typeof(DialInSettingsChanges))]
[JsonSerializable(typeof(ImportProgress))]
[JsonSerializable(typeof(FaultInjectionChanges))]
[JsonSerializable(typeof(FaultInjection))]
[JsonSerializable(typeof(UserChanges))]
[JsonSerializable(typeof(UserUpdate))]
[JsonSerializable(typeof(UserUpdate[]))]
[JsonSerializable(typeof(DialInUsersQuery))]
[JsonSerializable(typeof(DialInConferencingUser[]))]
[JsonSerializable(typeof(DefaultNumberChange))]
[JsonSerializable(typeof(TenantUpgradePolicyGrant))]
[JsonSerializable(typeof(OnlineUser[]))]
[JsonSerializable(typeof(TeamsUpgradePolicy[]))]
[JsonSerializable(typeof(ImportSummary))]
[JsonSerializable(typeof(MmsStoreCheck))]
[JsonSerializable(typeof(StoreBackup))]
[JsonSerializable(typeof(ExportSummary))]
[JsonSerializable(typeof(MmsMeeting[]))]
[JsonSerializable(typeof(MmsMeeting))]
[JsonSerializable(typeof(MeetingChanges))]
internal sealed partial class WireJson : JsonSerializerContext
{
}
