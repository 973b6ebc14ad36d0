using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Parameters;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>A cmdlet that works inside one tenant: <c>-Tenant</c>, or the store's default tenant when omitted.</summary>
public abstract class TenantCmdlet : MmsCmdlet
{
    private bool tenantOnCommandLine;

    /// <summary>
    /// The tenant; when omitted, the store's default tenant. Bound by property name from records that carry a
    /// <c>TenantId</c> (users, status records), so piped objects stay in their own tenant. A plain <see cref="Guid"/>,
    /// as on Microsoft's cmdlets.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("TenantId")]
    [ArgumentCompleter(typeof(TenantCompleter))]
    public Guid Tenant { get; set; }

    /// <summary>
    /// The library's tenant argument: null (the store's default tenant) unless -Tenant was given on the command line
    /// or bound from the current pipeline record. Between records PowerShell binds the parameter's default value
    /// (<see cref="Guid.Empty"/>) again, and keeps it in the bound parameters, so a piped value counts only when it is
    /// not empty; an empty GUID typed on the command line is passed on (and refused as no tenant of the store).
    /// </summary>
    private protected string? TenantArgument =>
        tenantOnCommandLine || (Tenant != Guid.Empty && MyInvocation.BoundParameters.ContainsKey(nameof(Tenant))) ? Tenant.ToString() : null;

    /// <summary>
    /// Changes the user <paramref name="identity"/> after ShouldProcess; returns the update, or null when not confirmed.
    /// A migration the change queued says so in the verbose stream; the user's open request returned instead is a
    /// warning (the migration the admin may not have expected); a change that starts none says why in the verbose
    /// stream. With <paramref name="passThru"/> the user is written after the change.
    /// </summary>
    private protected UserUpdate? ChangeUser(string identity, UserChanges changes, string action, bool passThru)
    {
        if (!ShouldProcess(identity, action))
        {
            return null;
        }

        UserUpdate update = Store.UpdateUser(changes);
        ReportUpdate(update);
        if (passThru)
        {
            WriteObject(update.User);
        }

        return update;
    }

    /// <summary>Says what a change to a user started (see <see cref="ChangeUser"/>).</summary>
    private protected void ReportUpdate(UserUpdate update)
    {
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
    }

    protected override void BeginProcessing()
    {
        // Only command-line arguments are bound before the first record.
        tenantOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Tenant));
        base.BeginProcessing();
    }
}
