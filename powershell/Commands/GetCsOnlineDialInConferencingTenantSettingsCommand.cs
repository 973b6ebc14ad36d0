using System.Management.Automation;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary><para type="synopsis">Gets the tenant's audio-conferencing settings that matter to meeting migration.</para></summary>
[Cmdlet(VerbsCommon.Get, "CsOnlineDialInConferencingTenantSettings",
    HelpUri = "https://learn.microsoft.com/powershell/module/skype/get-csonlinedialinconferencingtenantsettings")]
[OutputType(typeof(DialInConferencingTenantSettings))]
public sealed class GetCsOnlineDialInConferencingTenantSettingsCommand : TenantCmdlet
{
    /// <summary>The settings' identity; the tenant has only Global.</summary>
    [Parameter(Position = 0)]
    [ValidateSet("Global")]
    public string Identity { get; set; } = "Global";

    private protected override void ProcessItem() => WriteObject(Store.GetDialInSettings(TenantArgument));
}
