using System;
using System.IO;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Moves a user of Skype for Business Server to Microsoft 365 as TeamsOnly.</para>
/// Homes the user online (HostingProvider sipfed.online.lync.com, TeamsUpgradeEffectiveMode TeamsOnly) and, while the
/// tenant's MeetingMigrationEnabled allows it, queues a meeting migration of the user's Skype meetings to Teams
/// (TriggeredBy UserMove). Moving a user who is already online is an error, as with Microsoft's cmdlet.
/// </summary>
[Cmdlet(VerbsCommon.Move, "CsUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
    DefaultParameterSetName = IdentitySet, HelpUri = "https://learn.microsoft.com/powershell/module/skype/move-csuser")]
[OutputType(typeof(OnlineUser))]
public sealed class MoveCsUserCommand : UserSetCmdlet
{
    private const string UsersSet = "Users";

    /// <summary>A text file of the users to move, separated by commas or line breaks ("sip:user1@contoso.com,sip:user2@contoso.com").</summary>
    [Parameter(Mandatory = true, ParameterSetName = UsersSet)]
    [ValidateNotNullOrEmpty]
    public string UserList { get; set; } = "";

    /// <summary>sipfed.online.lync.com (Microsoft 365); the library refuses on-premises pools.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public string Target { get; set; } = "";

    /// <summary>Accepted: the administrator's credential (no sign-in happens here).</summary>
    [Parameter]
    public PSCredential? Credential { get; set; }

    /// <summary>Accepted: users always move as TeamsOnly, as with current versions of Microsoft's cmdlet.</summary>
    [Parameter]
    public SwitchParameter MoveToTeams { get; set; }

    /// <summary>Accepted: the hosted migration service URL.</summary>
    [Parameter]
    public string? HostedMigrationOverrideUrl { get; set; }

    /// <summary>Accepted: the administrator's user name for modern authentication.</summary>
    [Parameter]
    public string? TenantAdminUserName { get; set; }

    /// <summary>Accepted: the audio-conferencing licence check is not made here.</summary>
    [Parameter]
    public SwitchParameter BypassAudioConferencingCheck { get; set; }

    /// <summary>Accepted: the Enterprise Voice check is not made here.</summary>
    [Parameter]
    public SwitchParameter BypassEnterpriseVoiceCheck { get; set; }

    /// <summary>Accepted: access tokens for the move.</summary>
    [Parameter]
    public string[]? AccessTokens { get; set; }

    /// <summary>Accepted: conference data moves only between on-premises pools.</summary>
    [Parameter]
    public SwitchParameter MoveConferenceData { get; set; }

    /// <summary>Accepted: the path of a move report.</summary>
    [Parameter]
    public string? Report { get; set; }

    /// <summary>Accepted: the move is never forced past a check here.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Accepted: the legacy move mode.</summary>
    [Parameter]
    public SwitchParameter UseLegacyMode { get; set; }

    /// <summary>Accepted: back-end store exceptions of the on-premises pool.</summary>
    [Parameter]
    public SwitchParameter IgnoreBackendStoreException { get; set; }

    /// <summary>Accepted: an older version's switch for modern authentication.</summary>
    [Parameter]
    public SwitchParameter UseOAuth { get; set; }

    /// <summary>Accepted: the on-premises front-end pool that proxies the move.</summary>
    [Parameter]
    public string? ProxyPool { get; set; }

    /// <summary>Accepted: the domain controller to read the user from.</summary>
    [Parameter]
    public string? DomainController { get; set; }

    private protected override object? ErrorTarget => ParameterSetName == UsersSet ? UserList : Identity;

    private protected override void ProcessItem()
    {
        if (ParameterSetName == IdentitySet)
        {
            Move(Identity);
            return;
        }

        string path = GetUnresolvedProviderPathFromPSPath(UserList);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"The user list '{path}' cannot be read: {e.Message}", e),
                "MeetingMigration.UserListUnreadable", ErrorCategory.ReadError, UserList));
            return;
        }

        foreach (string user in text.Split([',', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                Move(user);
            }
            catch (MmsException e)
            {
                // One user that cannot move does not stop the others, as with a piped list.
                WriteError(e.ToErrorRecord(user));
            }
        }
    }

    private void Move(string user) =>
        ChangeUser(user, new UserChanges(user, TenantArgument, MoveTarget: Target), $"Move the user to {Target} as TeamsOnly", PassThru);
}
