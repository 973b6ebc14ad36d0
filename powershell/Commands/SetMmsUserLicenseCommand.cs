using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Assigns or removes a user's Audio Conferencing licence (product-only).</para>
/// Stands in for licensing done outside Teams PowerShell. A change of the licence starts a meeting migration
/// (TriggeredBy License) while the tenant's MeetingMigrationEnabled and AutomaticallyMigrateUserMeetings allow it.
/// </summary>
[Cmdlet(VerbsCommon.Set, "MmsUserLicense", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(OnlineUser))]
public sealed class SetMmsUserLicenseCommand : UserChangeCmdlet
{
    /// <summary>$true assigns the Audio Conferencing licence (plan MCOMEETADV), $false removes it.</summary>
    [Parameter(Mandatory = true)]
    public bool AudioConferencing { get; set; }

    private protected override void ProcessItem() =>
        Change(new UserChanges(Identity, TenantArgument, AudioConferencingLicense: AudioConferencing),
            AudioConferencing ? "Assign the Audio Conferencing licence" : "Remove the Audio Conferencing licence");
}
