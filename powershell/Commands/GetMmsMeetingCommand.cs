using System.Management.Automation;
using MeetingMigration.PowerShell.Model;
using MeetingMigration.PowerShell.Parameters;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the meetings a user organises, with their current online-meeting block.</para>
/// Run it before and after a migration to see what the worker changed.
/// </summary>
[Cmdlet(VerbsCommon.Get, "MmsMeeting")]
[OutputType(typeof(MmsMeeting))]
public sealed class GetMmsMeetingCommand : TenantCmdlet
{
    /// <summary>The organiser, in any identity form.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("UserPrincipalName", "SipAddress", "UserId")]
    [UserIdentityTransformation]
    [ArgumentCompleter(typeof(UserIdentityCompleter))]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    private protected override object? ErrorTarget => Identity;

    private protected override void ProcessItem() => WriteObject(Store.ListMeetings(TenantArgument, Identity), enumerateCollection: true);
}
