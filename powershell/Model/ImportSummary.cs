namespace MeetingMigration.PowerShell.Model;

/// <summary>What Import-MmsTenantData added to the tenant.</summary>
public sealed class ImportSummary
{
    public long Users { get; set; }
    public long Meetings { get; set; }
}
