using System.Linq;
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
    DefaultParameterSetName = IdentitySet)]
[OutputType(typeof(DialInConferencingTenantSettings))]
public sealed class SetCsOnlineDialInConferencingTenantSettingsCommand : TenantCmdlet
{
    private const string IdentitySet = "Identity";
    private const string InstanceSet = "Instance";

    /// <summary>The settings' identity; the tenant has only Global.</summary>
    [Parameter(Position = 0, ParameterSetName = IdentitySet)]
    [ValidateSet("Global")]
    public string Identity { get; set; } = "Global";

    /// <summary>Settings from Get-CsOnlineDialInConferencingTenantSettings whose values are applied to its tenant.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InstanceSet)]
    [ValidateNotNull]
    public DialInConferencingTenantSettings? Instance { get; set; }

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

    /// <summary>Write the updated settings.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected override void ProcessItem()
    {
        string? tenant = TenantArgument ?? Instance?.TenantId.ToString();
        var changes = new DialInSettingsChanges(
            AutomaticallyMigrateUserMeetings ?? Instance?.AutomaticallyMigrateUserMeetings,
            AutomaticallyReplaceAcpProvider ?? Instance?.AutomaticallyReplaceAcpProvider,
            AutomaticallySendEmailsToUsers ?? Instance?.AutomaticallySendEmailsToUsers,
            PinLength ?? Instance?.PinLength,
            DefaultTollNumber ?? Instance?.DefaultTollNumber,
            DefaultTollFreeNumber ?? Instance?.DefaultTollFreeNumber);
        (string Name, object? Value)[] named =
        [
            (nameof(changes.AutomaticallyMigrateUserMeetings), changes.AutomaticallyMigrateUserMeetings),
            (nameof(changes.AutomaticallyReplaceAcpProvider), changes.AutomaticallyReplaceAcpProvider),
            (nameof(changes.AutomaticallySendEmailsToUsers), changes.AutomaticallySendEmailsToUsers),
            (nameof(changes.PinLength), changes.PinLength),
            (nameof(changes.DefaultTollNumber), changes.DefaultTollNumber),
            (nameof(changes.DefaultTollFreeNumber), changes.DefaultTollFreeNumber),
        ];
        string action = $"Set dial-in conferencing settings ({string.Join(", ", named.Where(c => c.Value is not null).Select(c => $"{c.Name}={c.Value}"))})";
        if (!ShouldProcess($"Global (tenant {tenant ?? "default"})", action))
        {
            return;
        }

        DialInConferencingTenantSettings updated = Store.SetDialInSettings(tenant, changes);
        if (PassThru)
        {
            WriteObject(updated);
        }
    }

}
