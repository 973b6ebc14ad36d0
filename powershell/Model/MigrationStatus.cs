using System;
using System.Collections.Generic;
using System.Linq;

namespace MeetingMigration.PowerShell.Model;

/// <summary>
/// One meeting migration request, with the field names of the real Get-CsMeetingMigrationStatus.
/// <see cref="QueuePosition"/> and <see cref="Meetings"/> are filled only for a single request
/// fetched with <c>Get-CsMeetingMigrationStatus -CorrelationId</c> (and by -AsJob children).
/// </summary>
public sealed class MigrationStatus
{
    public Guid CorrelationId { get; set; }
    public Guid UserId { get; set; }
    public string UserPrincipalName { get; set; } = "";
    public Guid TenantId { get; set; }
    public string MigrationType { get; set; } = "";
    public string SourceMeetingType { get; set; } = "";
    public string TargetMeetingType { get; set; } = "";
    public string State { get; set; } = "";
    public int RetryCount { get; set; }
    public int TotalMeeting { get; set; }
    public int SucceededMeeting { get; set; }
    public int FailedMeeting { get; set; }
    public int InvitesUpdate { get; set; }
    public string? LastMessage { get; set; }
    /// <summary>UTC.</summary>
    public DateTime CreateDate { get; set; }
    /// <summary>UTC.</summary>
    public DateTime ModifiedDate { get; set; }
    /// <summary>What started the request: Admin (Start-CsExMeetingMigration) or a change the service reacts to
    /// (UserMove, AudioConferencing, License, UpgradePolicy). Not a property of Microsoft's record.</summary>
    public string TriggeredBy { get; set; } = "Admin";
    /// <summary>1 = the next request the worker will take; null when not pending or not fetched singly.</summary>
    public int? QueuePosition { get; set; }
    /// <summary>Per-meeting outcomes; null when not fetched singly.</summary>
    public MeetingOutcomeList? Meetings { get; set; }
}

/// <summary>
/// A request's per-meeting outcomes. Its string form counts them ("5 meetings: 4 succeeded, 1 failed, 0 pending"),
/// which is what <c>Export-Csv</c> and string conversion write instead of the type name.
/// </summary>
public sealed class MeetingOutcomeList : List<MeetingOutcome>
{
    public override string ToString() =>
        $"{Count} meeting{(Count == 1 ? "" : "s")}: {this.Count(m => m.Outcome == "Succeeded")} succeeded, " +
        $"{this.Count(m => m.Outcome == "Failed")} failed, {this.Count(m => m.Outcome == "Pending")} pending";
}

/// <summary>What happened to one meeting of a migration request.</summary>
public sealed class MeetingOutcome
{
    public string MeetingId { get; set; } = "";
    public string Subject { get; set; } = "";
    /// <summary>Pending, Succeeded or Failed.</summary>
    public string Outcome { get; set; } = "";
    public string? Message { get; set; }
    public int InvitesUpdate { get; set; }
}

/// <summary>One row of <c>Get-CsMeetingMigrationStatus -SummaryOnly</c>: how many users are in a state.</summary>
public sealed class MigrationSummary
{
    public string State { get; set; } = "";
    public long UserCount { get; set; }
}
