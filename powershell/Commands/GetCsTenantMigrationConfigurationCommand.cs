using System.Management.Automation;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary><para type="synopsis">Gets the tenant's meeting migration configuration (Identity Global).</para></summary>
[Cmdlet(VerbsCommon.Get, "CsTenantMigrationConfiguration",
    HelpUri = "https://learn.microsoft.com/powershell/module/skype/get-cstenantmigrationconfiguration")]
[OutputType(typeof(TenantMigrationConfiguration))]
public sealed class GetCsTenantMigrationConfigurationCommand : TenantCmdlet
{
    /// <summary>The configuration's identity; the tenant has only Global.</summary>
    [Parameter(Position = 0)]
    [ValidateSet("Global")]
    public string Identity { get; set; } = "Global";

    private protected override void ProcessItem() => WriteObject(Store.GetMigrationConfiguration(TenantArgument));
}
