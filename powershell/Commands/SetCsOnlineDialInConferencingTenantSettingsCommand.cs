using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Changes the tenant's audio-conferencing (dial-in) settings: every setting Microsoft's cmdlet documents.</para>
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

    /// <summary>External domains allowed for dial-out conferencing.</summary>
    [Parameter]
    public string[]? AllowedDialOutExternalDomains { get; set; }

    /// <summary>No, Yes or RequireSameEnterpriseUser (checked by the library).</summary>
    [Parameter]
    public string? AllowFederatedUsersToDialOutToSelf { get; set; }

    /// <summary>No, Yes or RequireSameEnterpriseUser (checked by the library).</summary>
    [Parameter]
    public string? AllowFederatedUsersToDialOutToThirdParty { get; set; }

    [Parameter]
    public bool? AllowPSTNOnlyMeetingsByDefault { get; set; }

    [Parameter]
    public bool? EnableDialOutJoinConfirmation { get; set; }

    [Parameter]
    public bool? EnableEntryExitNotifications { get; set; }

    [Parameter]
    public bool? EnableNameRecording { get; set; }

    /// <summary>UseNames or ToneOnly (checked by the library).</summary>
    [Parameter]
    public string? EntryExitAnnouncementsType { get; set; }

    /// <summary>Whether rewritten invitations carry the toll-free number.</summary>
    [Parameter]
    public bool? IncludeTollFreeNumberInMeetingInvites { get; set; }

    /// <summary>MaskedForExternalUsers, MaskedForAllUsers or NoMasking (checked by the library).</summary>
    [Parameter]
    public string? MaskPstnNumbersType { get; set; }

    [Parameter]
    public bool? MigrateServiceNumbersOnCrossForestMove { get; set; }

    /// <summary>For Microsoft internal use; accepted and ignored.</summary>
    [Parameter]
    public string? MsftInternalProcessingMode { get; set; }

    /// <summary>An email address (checked by the library); empty clears it.</summary>
    [Parameter]
    public string? SendEmailFromAddress { get; set; }

    [Parameter]
    public string? SendEmailFromDisplayName { get; set; }

    [Parameter]
    public bool? SendEmailFromOverride { get; set; }

    [Parameter]
    public bool? UseUniqueConferenceIds { get; set; }

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
            DefaultTollFreeNumber ?? instance?.DefaultTollFreeNumber,
            AllowedDialOutExternalDomains ?? instance?.AllowedDialOutExternalDomains,
            AllowFederatedUsersToDialOutToSelf ?? instance?.AllowFederatedUsersToDialOutToSelf,
            AllowFederatedUsersToDialOutToThirdParty ?? instance?.AllowFederatedUsersToDialOutToThirdParty,
            AllowPSTNOnlyMeetingsByDefault ?? instance?.AllowPSTNOnlyMeetingsByDefault,
            EnableDialOutJoinConfirmation ?? instance?.EnableDialOutJoinConfirmation,
            EnableEntryExitNotifications ?? instance?.EnableEntryExitNotifications,
            EnableNameRecording ?? instance?.EnableNameRecording,
            EntryExitAnnouncementsType ?? instance?.EntryExitAnnouncementsType,
            IncludeTollFreeNumberInMeetingInvites ?? instance?.IncludeTollFreeNumberInMeetingInvites,
            MaskPstnNumbersType ?? instance?.MaskPstnNumbersType,
            MigrateServiceNumbersOnCrossForestMove ?? instance?.MigrateServiceNumbersOnCrossForestMove,
            SendEmailFromAddress ?? instance?.SendEmailFromAddress,
            SendEmailFromDisplayName ?? instance?.SendEmailFromDisplayName,
            SendEmailFromOverride ?? instance?.SendEmailFromOverride,
            UseUniqueConferenceIds ?? instance?.UseUniqueConferenceIds);
        return new(
            [
                (nameof(changes.AutomaticallyMigrateUserMeetings), changes.AutomaticallyMigrateUserMeetings),
                (nameof(changes.AutomaticallyReplaceAcpProvider), changes.AutomaticallyReplaceAcpProvider),
                (nameof(changes.AutomaticallySendEmailsToUsers), changes.AutomaticallySendEmailsToUsers),
                (nameof(changes.PinLength), changes.PinLength),
                (nameof(changes.DefaultTollNumber), changes.DefaultTollNumber),
                (nameof(changes.DefaultTollFreeNumber), changes.DefaultTollFreeNumber),
                (nameof(changes.AllowedDialOutExternalDomains), changes.AllowedDialOutExternalDomains is { } domains ? string.Join(";", domains) : null),
                (nameof(changes.AllowFederatedUsersToDialOutToSelf), changes.AllowFederatedUsersToDialOutToSelf),
                (nameof(changes.AllowFederatedUsersToDialOutToThirdParty), changes.AllowFederatedUsersToDialOutToThirdParty),
                (nameof(changes.AllowPSTNOnlyMeetingsByDefault), changes.AllowPSTNOnlyMeetingsByDefault),
                (nameof(changes.EnableDialOutJoinConfirmation), changes.EnableDialOutJoinConfirmation),
                (nameof(changes.EnableEntryExitNotifications), changes.EnableEntryExitNotifications),
                (nameof(changes.EnableNameRecording), changes.EnableNameRecording),
                (nameof(changes.EntryExitAnnouncementsType), changes.EntryExitAnnouncementsType),
                (nameof(changes.IncludeTollFreeNumberInMeetingInvites), changes.IncludeTollFreeNumberInMeetingInvites),
                (nameof(changes.MaskPstnNumbersType), changes.MaskPstnNumbersType),
                (nameof(changes.MigrateServiceNumbersOnCrossForestMove), changes.MigrateServiceNumbersOnCrossForestMove),
                (nameof(changes.SendEmailFromAddress), changes.SendEmailFromAddress),
                (nameof(changes.SendEmailFromDisplayName), changes.SendEmailFromDisplayName),
                (nameof(changes.SendEmailFromOverride), changes.SendEmailFromOverride),
                (nameof(changes.UseUniqueConferenceIds), changes.UseUniqueConferenceIds),
            ],
            tenant => Store.SetDialInSettings(tenant, changes));
    }
}
