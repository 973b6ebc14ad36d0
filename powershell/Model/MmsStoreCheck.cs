namespace MeetingMigration.PowerShell.Model;

/// <summary>What Test-MmsStore found: the store's path, whether it is healthy, and each problem (at most 100).</summary>
public sealed class MmsStoreCheck
{
    public string Path { get; set; } = "";
    public bool Healthy { get; set; }
    public string[] Problems { get; set; } = [];
}
