namespace MeetingMigration.PowerShell.Model;

/// <summary>What Import-MmsTenantData added to the tenant.</summary>
public sealed class ImportSummary
{
    public long Users { get; init; }
    public long Meetings { get; init; }
}
