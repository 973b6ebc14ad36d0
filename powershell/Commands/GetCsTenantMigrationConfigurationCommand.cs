using System.Management.Automation;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary><para type="synopsis">Gets the tenant's meeting migration configuration (Identity Global).</para></summary>
[Cmdlet(VerbsCommon.Get, "CsTenantMigrationConfiguration", DefaultParameterSetName = "Identity",
    HelpUri = "https://learn.microsoft.com/powershell/module/skype/get-cstenantmigrationconfiguration")]
[OutputType(typeof(TenantMigrationConfiguration))]
public sealed class GetCsTenantMigrationConfigurationCommand : GetGlobalSettingsCmdlet<TenantMigrationConfiguration>
{
    private protected override TenantMigrationConfiguration Read(string? tenant) => Store.GetMigrationConfiguration(tenant);
}
