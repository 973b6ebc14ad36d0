using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// A cmdlet that changes one user per pipeline item: the library writes the change and queues the meeting migration it
/// calls for (a move, an upgrade policy, the Audio Conferencing licence), as the real service does on its own. A
/// migration queued says so in the verbose stream; the user's open request returned instead is a warning (the
/// migration the admin may not have expected); a change that starts none says why in the verbose stream.
/// </summary>
public abstract class UserChangeCmdlet : UserCmdlet
{
    /// <summary>Write the user after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Changes the user after ShouldProcess; returns the update, or null when not confirmed.</summary>
    private protected UserUpdate? Change(UserChanges changes, string action)
    {
        if (!ShouldProcess(Identity, action))
        {
            return null;
        }

        UserUpdate update = Store.UpdateUser(changes);
        if (update.Request is { } request)
        {
            if (update.Existing)
            {
                WriteWarning($"{request.UserPrincipalName} already has a {request.State} meeting migration ({request.MigrationType}, " +
                    $"TriggeredBy {request.TriggeredBy}, CorrelationId {request.CorrelationId}); this change queues no second one.");
            }
            else
            {
                WriteVerbose($"Queued {request.MigrationType} meeting migration for {request.UserPrincipalName} " +
                    $"(TriggeredBy {request.TriggeredBy}, CorrelationId {request.CorrelationId}).");
            }
        }
        else if (update.NotTriggered is { } why)
        {
            WriteVerbose(why);
        }

        if (PassThru)
        {
            WriteObject(update.User);
        }

        return update;
    }
}
