using System;

namespace MeetingMigration.PowerShell.Model;

/// <summary>A meeting in a user's calendar with its current online-meeting block (Get-MmsMeeting).</summary>
public sealed class MmsMeeting
{
    public string MeetingId { get; init; } = "";
    public Guid TenantId { get; init; }
    /// <summary>The organiser's UPN.</summary>
    public string Organizer { get; init; } = "";
    public string Subject { get; init; } = "";
    /// <summary>UTC.</summary>
    public DateTime StartTime { get; init; }
    /// <summary>UTC.</summary>
    public DateTime EndTime { get; init; }
    /// <summary>UTC; null when the meeting does not recur.</summary>
    public DateTime? RecurrenceEnd { get; init; }
    /// <summary>Teams, SfbOnline or SfbOnPrem.</summary>
    public string MeetingType { get; init; } = "";
    public int AttendeeCount { get; init; }
    public string? JoinUrl { get; init; }
    public string? ConferenceId { get; init; }
    public string? OnlineMeetingBlock { get; init; }
    public string? Body { get; init; }
}
