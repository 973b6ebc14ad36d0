using System.Management.Automation;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the meetings a user organises, with their current online-meeting block.</para>
/// Run it before and after a migration to see what the worker changed.
/// </summary>
[Cmdlet(VerbsCommon.Get, "MmsMeeting")]
[OutputType(typeof(MmsMeeting))]
public sealed class GetMmsMeetingCommand : UserCmdlet
{
    private protected override void ProcessItem() => WriteObject(Store.ListMeetings(TenantArgument, Identity), enumerateCollection: true);
}
