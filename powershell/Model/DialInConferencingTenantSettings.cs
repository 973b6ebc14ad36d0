using System;

namespace MeetingMigration.PowerShell.Model;

/// <summary>
/// The tenant's audio-conferencing settings (Get-/Set-CsOnlineDialInConferencingTenantSettings): every setting Microsoft's cmdlet documents, with the bridge's default numbers the migration uses.
/// Settable so that an instance from the getter can be changed and passed back with <c>-Instance</c>.
/// </summary>
public sealed class DialInConferencingTenantSettings
{
    public string Identity { get; set; } = "Global";
    public Guid TenantId { get; set; }
    public bool AutomaticallyMigrateUserMeetings { get; set; }
    public bool AutomaticallyReplaceAcpProvider { get; set; }
    public bool AutomaticallySendEmailsToUsers { get; set; }
    public int PinLength { get; set; }
    public string? DefaultTollNumber { get; set; }
    public string? DefaultTollFreeNumber { get; set; }
    public string[] AllowedDialOutExternalDomains { get; set; } = [];
    public string AllowFederatedUsersToDialOutToSelf { get; set; } = "";
    public string AllowFederatedUsersToDialOutToThirdParty { get; set; } = "";
    public bool AllowPSTNOnlyMeetingsByDefault { get; set; }
    public bool EnableDialOutJoinConfirmation { get; set; }
    public bool EnableEntryExitNotifications { get; set; }
    public bool EnableNameRecording { get; set; }
    public string EntryExitAnnouncementsType { get; set; } = "";
    /// <summary>Whether rewritten invitations carry the toll-free number.</summary>
    public bool IncludeTollFreeNumberInMeetingInvites { get; set; }
    public string MaskPstnNumbersType { get; set; } = "";
    public bool MigrateServiceNumbersOnCrossForestMove { get; set; }
    public string? SendEmailFromAddress { get; set; }
    public string? SendEmailFromDisplayName { get; set; }
    public bool SendEmailFromOverride { get; set; }
    public bool UseUniqueConferenceIds { get; set; }
}
