using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;
using MeetingMigration.PowerShell.Parameters;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets meeting migration requests, a per-state summary, or one request in detail.</para>
/// One record per request, oldest first, filtered by user, creation time, state and migration type;
/// <c>-SummaryOnly</c> counts users per state; <c>-CorrelationId</c> returns that request with its queue
/// position (while Pending) and per-meeting outcomes in <c>Meetings</c>.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CsMeetingMigrationStatus", DefaultParameterSetName = QuerySet,
    HelpUri = "https://learn.microsoft.com/powershell/module/skype/get-csmeetingmigrationstatus")]
[OutputType(typeof(MigrationStatus), ParameterSetName = [QuerySet, CorrelationIdSet])]
[OutputType(typeof(MigrationSummary), ParameterSetName = [QuerySet])]
public sealed class GetCsMeetingMigrationStatusCommand : TenantCmdlet
{
    private const string QuerySet = "Query";
    private const string CorrelationIdSet = "CorrelationId";

    /// <summary>Only this user's requests (any identity form).</summary>
    [Parameter(Position = 0, ParameterSetName = QuerySet)]
    [UserIdentityTransformation]
    [ArgumentCompleter(typeof(UserIdentityCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Identity { get; set; }

    /// <summary>Only requests created at or after this time.</summary>
    [Parameter(ParameterSetName = QuerySet)]
    public DateTime? StartTime { get; set; }

    /// <summary>Only requests created at or before this time.</summary>
    [Parameter(ParameterSetName = QuerySet)]
    public DateTime? EndTime { get; set; }

    [Parameter(ParameterSetName = QuerySet)]
    [ValidateSet("Pending", "InProgress", "Failed", "Succeeded")]
    public string? State { get; set; }

    [Parameter(ParameterSetName = QuerySet)]
    [ValidateSet("ToSameType", "AllToTeams", "SfbToSfb", "SfbToTeams", "TeamsToTeams")]
    public string? MigrationType { get; set; }

    /// <summary>One State/UserCount row per state instead of the records.</summary>
    [Parameter(ParameterSetName = QuerySet)]
    public SwitchParameter SummaryOnly { get; set; }

    /// <summary>
    /// One request of the tenant in detail: queue position and per-meeting outcomes; another tenant's request is
    /// not found. Bound from piped status records, whose <c>TenantId</c> binds <c>-Tenant</c> unless it was given.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = CorrelationIdSet, ValueFromPipelineByPropertyName = true)]
    public Guid CorrelationId { get; set; }

    private protected override object? ErrorTarget => ParameterSetName == CorrelationIdSet ? CorrelationId : Identity;

    private protected override void ProcessItem()
    {
        if (ParameterSetName == CorrelationIdSet)
        {
            WriteObject(Store.GetStatus(TenantArgument, CorrelationId));
            return;
        }

        var query = new StatusQuery(TenantArgument, Identity, StartTime?.ToUniversalTime(), EndTime?.ToUniversalTime(), State, MigrationType);
        if (SummaryOnly)
        {
            WriteObject(Store.SummarizeStatus(query), enumerateCollection: true);
        }
        else
        {
            WriteObject(Store.QueryStatus(query), enumerateCollection: true);
        }
    }
}
