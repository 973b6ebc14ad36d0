using System.Management.Automation;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary><para type="synopsis">Gets the tenants of the store; IsDefault marks the one used when -Tenant is omitted.</para></summary>
[Cmdlet(VerbsCommon.Get, "MmsTenant")]
[OutputType(typeof(MmsTenant))]
public sealed class GetMmsTenantCommand : MmsCmdlet
{
    private protected override void ProcessItem() => WriteObject(Store.ListTenants(), enumerateCollection: true);
}
