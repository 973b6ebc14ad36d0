using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Sets the user facts that make meeting migration fail or succeed (product-only).</para>
/// Where the user's mailbox is and whether a third-party audio-conferencing provider serves the user: what an admin fixes
/// after the failure recipe names it. Starts no migration; run Start-CsExMeetingMigration again afterwards.
/// </summary>
[Cmdlet(VerbsCommon.Set, "MmsUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(OnlineUser))]
public sealed class SetMmsUserCommand : UserChangeCmdlet
{
    /// <summary>ExchangeOnline or ExchangeOnPremises (checked by the library); $null or empty means Exchange Online.</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyString]
    public string? MailboxLocation { get; set; }

    /// <summary>A third-party audio-conferencing provider's name; $null or empty: Microsoft provides audio conferencing.</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyString]
    public string? AudioConferencingProvider { get; set; }

    private protected override void ProcessItem()
    {
        string? Given(string name, string? value) => MyInvocation.BoundParameters.ContainsKey(name) ? value ?? "" : null;
        Change(new UserChanges(Identity, TenantArgument,
            MailboxLocation: Given(nameof(MailboxLocation), MailboxLocation),
            AudioConferencingProvider: Given(nameof(AudioConferencingProvider), AudioConferencingProvider)),
            "Set the user's mailbox location and audio-conferencing provider");
    }
}
