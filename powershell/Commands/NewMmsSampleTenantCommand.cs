using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Creates the deterministic sample tenant (Contoso and Litware users with meetings).</para>
/// Omitted parameters take the library's defaults (tenant 38aad667-af54-4397-aaa7-e94c79ec2308, 100 users,
/// 4 meetings per user, seed 1). The first tenant of a store becomes its default.
/// </summary>
[Cmdlet(VerbsCommon.New, "MmsSampleTenant", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(MmsTenant))]
public sealed class NewMmsSampleTenantCommand : MmsCmdlet
{
    [Parameter]
    public Guid? TenantId { get; set; }

    /// <summary>How many users user1..userN besides John and Ken Myer.</summary>
    [Parameter]
    public int? UserCount { get; set; }

    [Parameter]
    public int? MeetingsPerUser { get; set; }

    /// <summary>The same seed gives the same tenant.</summary>
    [Parameter]
    public int? Seed { get; set; }

    private protected override object? ErrorTarget => TenantId;

    private protected override void ProcessItem()
    {
        if (ShouldProcess(TenantId?.ToString() ?? "the sample tenant", $"Create sample tenant ({UserCount?.ToString() ?? "default number of"} users)"))
        {
            WriteObject(Store.CreateSampleTenant(new SampleTenantOptions(TenantId?.ToString(), UserCount, MeetingsPerUser, Seed)));
        }
    }
}
