using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary><para type="synopsis">Creates an empty tenant in the store, to import users and meetings into.</para></summary>
[Cmdlet(VerbsCommon.New, "MmsTenant", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(MmsTenant))]
public sealed class NewMmsTenantCommand : MmsCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>A new id when omitted.</summary>
    [Parameter]
    public Guid TenantId { get; set; }

    /// <summary>The tenant's domains: <c>@{Name='contoso.com'; NetBiosName='CONTOSO'}</c>.</summary>
    [Parameter]
    [ValidateNotNull]
    public TenantDomain[] Domain { get; set; } = [];

    /// <summary>Make it the store's default tenant.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    private protected override object? ErrorTarget => Name;

    private protected override void ProcessItem()
    {
        if (ShouldProcess(Name, "Create tenant"))
        {
            WriteObject(Store.CreateTenant(new NewTenantRequest(MyInvocation.BoundParameters.ContainsKey(nameof(TenantId)) ? TenantId.ToString() : null, Name, Domain, Default)));
        }
    }
}
