using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Changes the tenant's audio-conferencing settings that matter to meeting migration.</para>
/// Either name the settings to change, or pass an instance from Get-CsOnlineDialInConferencingTenantSettings
/// (piped or with <c>-Instance</c>) after changing its properties; explicit parameters win over the instance.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CsOnlineDialInConferencingTenantSettings", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
    DefaultParameterSetName = IdentitySet,
    HelpUri = "https://learn.microsoft.com/powershell/module/skype/set-csonlinedialinconferencingtenantsettings")]
[OutputType(typeof(DialInConferencingTenantSettings))]
public sealed class SetCsOnlineDialInConferencingTenantSettingsCommand
    : SetGlobalSettingsCmdlet<DialInConferencingTenantSettings>
{
    /// <summary>Migrate users' meetings automatically when their audio-conferencing details change.</summary>
    [Parameter]
    public bool? AutomaticallyMigrateUserMeetings { get; set; }

    [Parameter]
    public bool? AutomaticallyReplaceAcpProvider { get; set; }

    [Parameter]
    public bool? AutomaticallySendEmailsToUsers { get; set; }

    [Parameter]
    public int? PinLength { get; set; }

    /// <summary>The bridge's default toll number, used when dial-in details are rewritten.</summary>
    [Parameter]
    public string? DefaultTollNumber { get; set; }

    /// <summary>The bridge's default toll-free number, used when dial-in details are rewritten.</summary>
    [Parameter]
    public string? DefaultTollFreeNumber { get; set; }

    private protected override string SettingsName => "dial-in conferencing settings";

    private protected override Guid TenantOf(DialInConferencingTenantSettings instance) => instance.TenantId;

    private protected override SettingsChange Prepare(DialInConferencingTenantSettings? instance)
    {
        var changes = new DialInSettingsChanges(
            AutomaticallyMigrateUserMeetings ?? instance?.AutomaticallyMigrateUserMeetings,
            AutomaticallyReplaceAcpProvider ?? instance?.AutomaticallyReplaceAcpProvider,
            AutomaticallySendEmailsToUsers ?? instance?.AutomaticallySendEmailsToUsers,
            PinLength ?? instance?.PinLength,
            DefaultTollNumber ?? instance?.DefaultTollNumber,
            DefaultTollFreeNumber ?? instance?.DefaultTollFreeNumber);
        return new(
            [
                (nameof(changes.AutomaticallyMigrateUserMeetings), changes.AutomaticallyMigrateUserMeetings),
                (nameof(changes.AutomaticallyReplaceAcpProvider), changes.AutomaticallyReplaceAcpProvider),
                (nameof(changes.AutomaticallySendEmailsToUsers), changes.AutomaticallySendEmailsToUsers),
                (nameof(changes.PinLength), changes.PinLength),
                (nameof(changes.DefaultTollNumber), changes.DefaultTollNumber),
                (nameof(changes.DefaultTollFreeNumber), changes.DefaultTollFreeNumber),
            ],
            tenant => Store.SetDialInSettings(tenant, changes));
    }
}
