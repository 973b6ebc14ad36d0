using System;

namespace MeetingMigration.PowerShell.Model;

/// <summary>A directory user, as Get-CsOnlineUser returns it. Pipes into Start-CsExMeetingMigration by UserPrincipalName.</summary>
public sealed class OnlineUser
{
    /// <summary>The user's directory object id.</summary>
    public Guid Identity { get; init; }
    public string UserPrincipalName { get; init; } = "";
    public string SipAddress { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string SamAccountName { get; init; } = "";
    public string WindowsDomainLogon { get; init; } = "";
    public string DistinguishedName { get; init; } = "";
    public string TeamsUpgradeEffectiveMode { get; init; } = "";
    public string? AudioConferencingTollNumber { get; init; }
    public string? AudioConferencingTollFreeNumber { get; init; }
    public Guid TenantId { get; init; }
}
