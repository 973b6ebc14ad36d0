using System;

namespace MeetingMigration.PowerShell.Model;

/// <summary>
/// The audio-conferencing settings that matter to migration (Get-/Set-CsOnlineDialInConferencingTenantSettings).
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
}
