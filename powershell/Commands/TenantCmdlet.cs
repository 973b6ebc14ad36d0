using System;
using System.Management.Automation;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>A cmdlet that works inside one tenant: <c>-Tenant</c>, or the store's default tenant when omitted.</summary>
public abstract class TenantCmdlet : MmsCmdlet
{
    /// <summary>
    /// The tenant; when omitted, the store's default tenant. Bound by property name from records that carry a
    /// <c>TenantId</c> (users, status records), so piped objects stay in their own tenant.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("TenantId")]
    public Guid? Tenant { get; set; }

    /// <summary>The library's tenant argument: null means the store's default tenant.</summary>
    private protected string? TenantArgument => Tenant?.ToString();
}
