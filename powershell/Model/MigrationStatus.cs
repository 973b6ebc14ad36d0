using System;

namespace MeetingMigration.PowerShell.Model;

/// <summary>
/// One meeting migration request, with the real service's field names (DESIGN.md §4).
/// <see cref="QueuePosition"/> and <see cref="Meetings"/> are filled only for a single request
/// fetched with <c>Get-CsMeetingMigrationStatus -CorrelationId</c> (and by -AsJob children).
/// </summary>
public sealed class MigrationStatus
{
    public Guid CorrelationId { get; init; }
    public Guid UserId { get; init; }
    public string UserPrincipalName { get; init; } = "";
    public Guid TenantId { get; init; }
    public string MigrationType { get; init; } = "";
    public string SourceMeetingType { get; init; } = "";
    public string TargetMeetingType { get; init; } = "";
    public string State { get; init; } = "";
    public int RetryCount { get; init; }
    public int TotalMeeting { get; init; }
    public int SucceededMeeting { get; init; }
    public int FailedMeeting { get; init; }
    public int InvitesUpdate { get; init; }
    public string? LastMessage { get; init; }
    /// <summary>UTC.</summary>
    public DateTime CreateDate { get; init; }
    /// <summary>UTC.</summary>
    public DateTime ModifiedDate { get; init; }
    /// <summary>1 = the next request the worker will take; null when not pending or not fetched singly.</summary>
    public int? QueuePosition { get; init; }
    /// <summary>Per-meeting outcomes; null when not fetched singly.</summary>
    public MeetingOutcome[]? Meetings { get; init; }
}

/// <summary>What happened to one meeting of a migration request.</summary>
public sealed class MeetingOutcome
{
    public string MeetingId { get; init; } = "";
    public string Subject { get; init; } = "";
    /// <summary>Pending, Succeeded or Failed.</summary>
    public string Outcome { get; init; } = "";
    public string? Message { get; init; }
    public int InvitesUpdate { get; init; }
}

/// <summary>One row of <c>Get-CsMeetingMigrationStatus -SummaryOnly</c>: how many users are in a state.</summary>
public sealed class MigrationSummary
{
    public string State { get; init; } = "";
    public long UserCount { get; init; }
}
