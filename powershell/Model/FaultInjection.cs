namespace MeetingMigration.PowerShell.Model;

/// <summary>
/// A tenant's fault injection (Get-/Set-MmsFaultInjection, product-only): the fraction of batches the worker fails
/// transiently (retried with back-off) and of meetings it fails for good, drawn from <see cref="Seed"/>.
/// </summary>
public sealed class FaultInjection
{
    public double TransientFailureRate { get; set; }
    public double PermanentFailureRate { get; set; }
    public long Seed { get; set; }
}
