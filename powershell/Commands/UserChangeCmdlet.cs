using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// A cmdlet that changes one user per pipeline item: the library writes the change and queues the meeting migration it
/// calls for (a move, an upgrade policy, the Audio Conferencing licence), as the real service does on its own (see
/// <see cref="TenantCmdlet.ChangeUser"/> for what is reported).
/// </summary>
public abstract class UserChangeCmdlet : UserCmdlet
{
    /// <summary>Write the user after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Changes the user after ShouldProcess; returns the update, or null when not confirmed.</summary>
    private protected UserUpdate? Change(UserChanges changes, string action) => ChangeUser(Identity, changes, action, PassThru);
}
