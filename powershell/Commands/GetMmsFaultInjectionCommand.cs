using System.Management.Automation;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the tenant's fault injection (product-only).</para>
/// The fraction of batches the worker fails transiently and of meetings it fails for good, and the seed they are drawn
/// from; both rates are 0 (off) unless Set-MmsFaultInjection changed them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "MmsFaultInjection")]
[OutputType(typeof(FaultInjection))]
public sealed class GetMmsFaultInjectionCommand : TenantCmdlet
{
    private protected override object? ErrorTarget => TenantArgument;

    private protected override void ProcessItem() => WriteObject(Store.GetFaultInjection(TenantArgument));
}
