using System;
using System.Linq;
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

    /// <summary>
    /// Only this user's requests (any identity form). Bound from the pipeline by property name, so piped users
    /// (<c>Get-CsOnlineUser</c>) and <c>Import-Csv</c> rows with an <c>Identity</c>, <c>UserPrincipalName</c> or
    /// <c>SipAddress</c> column select their own requests.
    /// </summary>
    [Parameter(Position = 0, ParameterSetName = QuerySet, ValueFromPipelineByPropertyName = true)]
    [Alias("UserPrincipalName", "SipAddress")]
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

    /// <summary>Only requests started this way: by an admin, or by a change the service reacts to (product-only).</summary>
    [Parameter(ParameterSetName = QuerySet)]
    [ValidateSet("Admin", "UserMove", "AudioConferencing", "License", "UpgradePolicy")]
    public string? TriggeredBy { get; set; }

    /// <summary>One State/UserCount row per state instead of the records.</summary>
    [Parameter(ParameterSetName = QuerySet)]
    public SwitchParameter SummaryOnly { get; set; }

    /// <summary>
    /// One request of the tenant in detail: queue position and per-meeting outcomes; another tenant's request is
    /// not found. Bound from piped status records, whose <c>TenantId</c> binds <c>-Tenant</c> unless it was given.
    /// </summary>
    /// <remarks>
    /// Also in the query set, from the pipeline only: PowerShell binds a piped object to the default (query) set
    /// first, where a status record's <c>UserPrincipalName</c> binds <c>-Identity</c>; its <c>CorrelationId</c> still
    /// wins (see <see cref="ProcessItem"/>).
    /// </remarks>
    [Parameter(Mandatory = true, ParameterSetName = CorrelationIdSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = QuerySet, ValueFromPipelineByPropertyName = true, DontShow = true)]
    public Guid CorrelationId { get; set; }

    private static readonly string[] QueryParameters =
        [nameof(Identity), nameof(StartTime), nameof(EndTime), nameof(State), nameof(MigrationType), nameof(TriggeredBy), nameof(SummaryOnly)];

    private bool queryOnCommandLine;

    protected override void BeginProcessing()
    {
        // Only command-line arguments are bound before the first record.
        queryOnCommandLine = QueryParameters.Any(MyInvocation.BoundParameters.ContainsKey);
        if (queryOnCommandLine && MyInvocation.BoundParameters.ContainsKey(nameof(CorrelationId)))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ParameterBindingException("-CorrelationId names one request; it cannot be combined with -Identity, -StartTime, -EndTime, -State, -MigrationType, -TriggeredBy or -SummaryOnly."),
                "AmbiguousParameterSet", ErrorCategory.InvalidArgument, CorrelationId));
        }

        base.BeginProcessing();
    }

    private protected override object? ErrorTarget => CorrelationId != Guid.Empty ? CorrelationId : Identity;

    private protected override void ProcessItem()
    {
        if (ParameterSetName == CorrelationIdSet || (CorrelationId != Guid.Empty && !queryOnCommandLine))
        {
            WriteObject(Store.GetStatus(TenantArgument, CorrelationId));
            return;
        }

        if (MyInvocation.ExpectingInput && !queryOnCommandLine && Identity is null)
        {
            // A piped object that named neither a user nor a request (a CSV row with an Email and a TenantId column,
            // say) would otherwise list every request of the tenant: a wrong answer.
            WriteError(new ErrorRecord(
                new ArgumentException("The piped object names no user or request: it has no Identity, UserPrincipalName, SipAddress or CorrelationId property."),
                "MeetingMigration.PipedObjectNamesNoUser", ErrorCategory.InvalidArgument, null));
            return;
        }

        var query = new StatusQuery(TenantArgument, Identity, StartTime?.ToUniversalTime(), EndTime?.ToUniversalTime(), State, MigrationType, TriggeredBy);
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
