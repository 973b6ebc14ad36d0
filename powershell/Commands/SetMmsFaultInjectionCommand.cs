using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Makes the worker fail some of a tenant's migrations, to rehearse retries (product-only).</para>
/// A transient failure fails a batch of meetings and sends the request through the service's retry path (back-off, at
/// most nine retries within a day); a permanent failure fails one meeting for good. Draws come from the seed, so a
/// rehearsal can be run again. -Off sets both rates to 0. The rates and the seed bind from a piped
/// Get-MmsFaultInjection record, so one tenant's settings can be copied to another.
/// </summary>
[Cmdlet(VerbsCommon.Set, "MmsFaultInjection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
    DefaultParameterSetName = RatesSet)]
[OutputType(typeof(FaultInjection))]
public sealed class SetMmsFaultInjectionCommand : TenantCmdlet
{
    private const string RatesSet = "Rates";
    private const string OffSet = "Off";

    /// <summary>The fraction (0 to 1) of batches that fail transiently; checked by the library.</summary>
    [Parameter(ParameterSetName = RatesSet, ValueFromPipelineByPropertyName = true)]
    public double? TransientFailureRate { get; set; }

    /// <summary>The fraction (0 to 1) of meetings that fail for good; checked by the library.</summary>
    [Parameter(ParameterSetName = RatesSet, ValueFromPipelineByPropertyName = true)]
    public double? PermanentFailureRate { get; set; }

    /// <summary>The seed the failures are drawn from.</summary>
    [Parameter(ParameterSetName = RatesSet, ValueFromPipelineByPropertyName = true)]
    public long? Seed { get; set; }

    /// <summary>Turns fault injection off (both rates 0).</summary>
    [Parameter(Mandatory = true, ParameterSetName = OffSet)]
    public SwitchParameter Off { get; set; }

    /// <summary>Write the fault injection after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected override object? ErrorTarget => TenantArgument;

    private protected override void ProcessItem()
    {
        var changes = Off
            ? new FaultInjectionChanges(0, 0, null)
            : new FaultInjectionChanges(TransientFailureRate, PermanentFailureRate, Seed);
        if (!ShouldProcess(TenantArgument ?? "the default tenant", "Set fault injection"))
        {
            return;
        }

        FaultInjection after = Store.SetFaultInjection(TenantArgument, changes);
        if (PassThru)
        {
            WriteObject(after);
        }
    }
}
