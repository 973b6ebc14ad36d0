using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Creates the deterministic sample tenant (Contoso and Litware users with meetings).</para>
/// Omitted parameters take the library's defaults (tenant 38aad667-af54-4397-aaa7-e94c79ec2308, 100 users
/// besides John and Ken Myer, 4 meetings per user, seed 1). The first tenant of a store becomes its default.
/// </summary>
[Cmdlet(VerbsCommon.New, "MmsSampleTenant", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(MmsTenant))]
public sealed class NewMmsSampleTenantCommand : MmsCmdlet
{
    /// <summary>The tenant's id; the sample's fixed id when omitted.</summary>
    [Parameter]
    public Guid TenantId { get; set; }

    /// <summary>How many users user1..userN besides John and Ken Myer.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? UserCount { get; set; }

    [Parameter]
    public int? MeetingsPerUser { get; set; }

    /// <summary>The same seed gives the same tenant.</summary>
    [Parameter]
    public int? Seed { get; set; }

    private string? TenantArgument => MyInvocation.BoundParameters.ContainsKey(nameof(TenantId)) ? TenantId.ToString() : null;

    private protected override object? ErrorTarget => TenantArgument;

    private protected override void ProcessItem()
    {
        if (!ShouldProcess(TenantArgument ?? "the sample tenant", $"Create sample tenant ({UserCount?.ToString() ?? "default number of"} users besides John and Ken Myer)"))
        {
            return;
        }

        try
        {
            WriteObject(Store.CreateSampleTenant(new SampleTenantOptions(TenantArgument, UserCount, MeetingsPerUser, Seed)));
        }
        catch (MmsException e) when (e.Id == "AlreadyExists")
        {
            throw e.WithHint(
                "Each sample tenant needs its own id: add -TenantId (New-Guid) to create another one beside it (Get-MmsTenant lists the tenants there are), " +
                "or start over on a new store: point $env:MEETING_MIGRATION_STORE at a new file (or delete the store file when no process uses it).");
        }
    }
}
