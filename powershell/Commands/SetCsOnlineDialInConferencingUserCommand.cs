using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Changes a user's Microsoft audio-conferencing settings: the service and toll-free numbers.</para>
/// A new number is a change of the user's audio-conferencing settings: the Meeting Migration Service refreshes the
/// user's meetings with it (TriggeredBy AudioConferencing) while the tenant's MeetingMigrationEnabled and
/// AutomaticallyMigrateUserMeetings allow it. The other documented parameters are accepted and change nothing that
/// invitations show, so they start no migration.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CsOnlineDialInConferencingUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
    HelpUri = "https://learn.microsoft.com/powershell/module/teams/set-csonlinedialinconferencinguser")]
[OutputType(typeof(OnlineUser))]
public sealed class SetCsOnlineDialInConferencingUserCommand : UserChangeCmdlet
{
    /// <summary>The user's default (toll) number in invitations: E.164, +E.164 or tel:; empty clears it. Checked by the library.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? ServiceNumber { get; set; }

    /// <summary>The user's toll-free number in invitations; empty clears it. Checked by the library.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? TollFreeServiceNumber { get; set; }

    /// <summary>Accepted: the tenant has one bridge.</summary>
    [Parameter]
    public Guid BridgeId { get; set; }

    /// <summary>Accepted: the tenant has one bridge.</summary>
    [Parameter]
    public string? BridgeName { get; set; }

    /// <summary>Accepted: reserved for internal Microsoft use.</summary>
    [Parameter]
    public string? TenantDomain { get; set; }

    /// <summary>Accepted: PSTN callers and the lobby are a meeting policy's matter.</summary>
    [Parameter]
    public bool AllowPSTNOnlyMeetings { get; set; }

    /// <summary>Accepted: suppresses prompts (there are none besides -Confirm).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Accepted: the leader PIN is not in invitations, so resetting it starts no migration.</summary>
    [Parameter]
    public SwitchParameter ResetLeaderPin { get; set; }

    /// <summary>Accepted: managed by TeamsAudioConferencingPolicy, as Microsoft's page says.</summary>
    [Parameter]
    public bool AllowTollFreeDialIn { get; set; }

    /// <summary>Accepted: no mail is sent here.</summary>
    [Parameter]
    public string? SendEmailToAddress { get; set; }

    /// <summary>Accepted: no mail is sent here.</summary>
    [Parameter]
    public string? SendEmailFromAddress { get; set; }

    /// <summary>Accepted: no mail is sent here.</summary>
    [Parameter]
    public string? SendEmailFromDisplayName { get; set; }

    /// <summary>Accepted: no mail is sent here.</summary>
    [Parameter]
    public SwitchParameter SendEmail { get; set; }

    /// <summary>Accepted: reserved for internal Microsoft use.</summary>
    [Parameter]
    [Alias("DC")]
    public string? DomainController { get; set; }

    private protected override void ProcessItem() =>
        Change(new UserChanges(Identity, TenantArgument, ServiceNumber: ServiceNumber, TollFreeServiceNumber: TollFreeServiceNumber),
            "Set the user's audio-conferencing numbers");
}
