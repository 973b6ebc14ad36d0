using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Parameters;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>A cmdlet that works inside one tenant: <c>-Tenant</c>, or the store's default tenant when omitted.</summary>
public abstract class TenantCmdlet : MmsCmdlet
{
    private bool tenantOnCommandLine;

    /// <summary>
    /// The tenant; when omitted, the store's default tenant. Bound by property name from records that carry a
    /// <c>TenantId</c> (users, status records), so piped objects stay in their own tenant. A plain <see cref="Guid"/>,
    /// as on Microsoft's cmdlets.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("TenantId")]
    [ArgumentCompleter(typeof(TenantCompleter))]
    public Guid Tenant { get; set; }

    /// <summary>
    /// The library's tenant argument: null (the store's default tenant) unless -Tenant was given on the command line
    /// or bound from the current pipeline record. Between records PowerShell binds the parameter's default value
    /// (<see cref="Guid.Empty"/>) again, and keeps it in the bound parameters, so a piped value counts only when it is
    /// not empty; an empty GUID typed on the command line is passed on (and refused as no tenant of the store).
    /// </summary>
    private protected string? TenantArgument =>
        tenantOnCommandLine || (Tenant != Guid.Empty && MyInvocation.BoundParameters.ContainsKey(nameof(Tenant))) ? Tenant.ToString() : null;

    protected override void BeginProcessing()
    {
        // Only command-line arguments are bound before the first record.
        tenantOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Tenant));
        base.BeginProcessing();
    }
}
