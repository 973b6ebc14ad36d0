using System;

namespace MeetingMigration.PowerShell.Model;

/// <summary>A directory user, as Get-CsOnlineUser returns it. Pipes into Start-CsExMeetingMigration by UserPrincipalName.</summary>
public sealed class OnlineUser
{
    /// <summary>The user's directory object id.</summary>
    public Guid Identity { get; set; }
    public string UserPrincipalName { get; set; } = "";
    public string SipAddress { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string SamAccountName { get; set; } = "";
    public string WindowsDomainLogon { get; set; } = "";
    public string DistinguishedName { get; set; } = "";
    public string TeamsUpgradeEffectiveMode { get; set; } = "";
    public string? AudioConferencingTollNumber { get; set; }
    public string? AudioConferencingTollFreeNumber { get; set; }
    public Guid TenantId { get; set; }
}
