using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;
using MeetingMigration.PowerShell.Parameters;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Changes one of an organiser's meetings as the organiser would in Outlook (product-only).</para>
/// -NewOnlineMeeting replaces the meeting's online-meeting block with a new online meeting of its own: the fix for a
/// block pasted from another meeting, which the Meeting Migration Service cannot migrate.
/// </summary>
[Cmdlet(VerbsCommon.Set, "MmsMeeting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MmsMeeting))]
public sealed class SetMmsMeetingCommand : TenantCmdlet
{
    /// <summary>The organiser, in any identity form; a meeting from Get-MmsMeeting binds its Organizer.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Organizer", "UserPrincipalName")]
    [UserIdentityTransformation]
    [ArgumentCompleter(typeof(UserIdentityCompleter))]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    /// <summary>The meeting; a meeting from Get-MmsMeeting binds its MeetingId.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public Guid MeetingId { get; set; }

    /// <summary>Replace the online-meeting block with a new online meeting of the meeting's own.</summary>
    [Parameter]
    public SwitchParameter NewOnlineMeeting { get; set; }

    /// <summary>Write the meeting after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected override object? ErrorTarget => MeetingId;

    private protected override void ProcessItem()
    {
        string action = NewOnlineMeeting ? "Replace the online-meeting block with a new online meeting" : "Change nothing";
        if (!ShouldProcess($"meeting {MeetingId} of {Identity}", action))
        {
            return;
        }

        MmsMeeting meeting = Store.UpdateMeeting(new MeetingChanges(TenantArgument, Identity, MeetingId, NewOnlineMeeting));
        if (PassThru)
        {
            WriteObject(meeting);
        }
    }
}
