using System;

namespace MeetingMigration.PowerShell.Model;

/// <summary>A meeting in a user's calendar with its current online-meeting block (Get-MmsMeeting).</summary>
public sealed class MmsMeeting
{
    public string MeetingId { get; set; } = "";
    public Guid TenantId { get; set; }
    /// <summary>The organiser's UPN.</summary>
    public string Organizer { get; set; } = "";
    public string Subject { get; set; } = "";
    /// <summary>UTC.</summary>
    public DateTime StartTime { get; set; }
    /// <summary>UTC.</summary>
    public DateTime EndTime { get; set; }
    /// <summary>UTC; null when the meeting does not recur.</summary>
    public DateTime? RecurrenceEnd { get; set; }
    /// <summary>Teams, SfbOnline or SfbOnPrem.</summary>
    public string MeetingType { get; set; } = "";
    public int AttendeeCount { get; set; }
    public string? JoinUrl { get; set; }
    public string? ConferenceId { get; set; }
    public string? OnlineMeetingBlock { get; set; }
    public string? Body { get; set; }
}
