using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Model;
using MeetingMigration.PowerShell.Parameters;

namespace MeetingMigration.PowerShell.Commands;

/// <summary><para type="synopsis">Makes a tenant the store's default, used by every command run without -Tenant.</para></summary>
[Cmdlet(VerbsCommon.Set, "MmsTenant", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(MmsTenant))]
public sealed class SetMmsTenantCommand : MmsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("TenantId")]
    [ArgumentCompleter(typeof(TenantCompleter))]
    public Guid Tenant { get; set; }

    /// <summary>Make the tenant the default (the only change this command makes).</summary>
    [Parameter(Mandatory = true)]
    public SwitchParameter Default { get; set; }

    /// <summary>Write the updated tenant.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected override object? ErrorTarget => Tenant;

    private protected override void ProcessItem()
    {
        if (!Default || !ShouldProcess(Tenant.ToString(), "Make the default tenant"))
        {
            return;
        }

        MmsTenant tenant = Store.SetDefaultTenant(Tenant.ToString());
        if (PassThru)
        {
            WriteObject(tenant);
        }
    }
}
