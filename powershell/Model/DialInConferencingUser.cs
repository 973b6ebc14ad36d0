using System;

namespace MeetingMigration.PowerShell.Model;

/// <summary>
/// A user of Microsoft audio conferencing (Get-CsOnlineDialInConferencingUser): the numbers the user's invitations
/// carry and the tenant's bridge.
/// </summary>
public sealed class DialInConferencingUser
{
    /// <summary>The user's object id.</summary>
    public Guid Identity { get; set; }
    public string DisplayName { get; set; } = "";
    public string UserPrincipalName { get; set; } = "";
    public string? SipAddress { get; set; }
    /// <summary>The toll number of the user's invitations: the user's own, else the bridge's default.</summary>
    public string? ServiceNumber { get; set; }
    /// <summary>The toll-free number of the user's invitations: the user's own, else the bridge's default.</summary>
    public string? TollFreeServiceNumber { get; set; }
    public Guid BridgeId { get; set; }
    public string BridgeName { get; set; } = "";
    /// <summary>The tenant's AllowPSTNOnlyMeetingsByDefault.</summary>
    public bool AllowPSTNOnlyMeetings { get; set; }
    /// <summary>Managed by TeamsAudioConferencingPolicy, which allows it by default.</summary>
    public bool AllowTollFreeDialIn { get; set; }
    public Guid TenantId { get; set; }
}
