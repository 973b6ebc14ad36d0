using System.Management.Automation;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary><para type="synopsis">Gets the tenant's audio-conferencing (dial-in) settings: every setting Microsoft's cmdlet documents.</para></summary>
[Cmdlet(VerbsCommon.Get, "CsOnlineDialInConferencingTenantSettings", DefaultParameterSetName = "Identity",
    HelpUri = "https://learn.microsoft.com/powershell/module/skype/get-csonlinedialinconferencingtenantsettings")]
[OutputType(typeof(DialInConferencingTenantSettings))]
public sealed class GetCsOnlineDialInConferencingTenantSettingsCommand : GetGlobalSettingsCmdlet<DialInConferencingTenantSettings>
{
    private protected override DialInConferencingTenantSettings Read(string? tenant) => Store.GetDialInSettings(tenant);
}
