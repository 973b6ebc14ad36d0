namespace MeetingMigration.PowerShell.Model;

/// <summary>An instance of TeamsUpgradePolicy (Get-CsTeamsUpgradePolicy): the coexistence mode it grants.</summary>
public sealed class TeamsUpgradePolicy
{
    /// <summary>Tag:&lt;name&gt;, or Global (the tenant's default).</summary>
    public string Identity { get; set; } = "";
    public string Description { get; set; } = "";
    public string Mode { get; set; } = "";
    public bool NotifySfbUsers { get; set; }
}
