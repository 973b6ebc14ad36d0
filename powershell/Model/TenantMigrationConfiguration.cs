using System;

namespace MeetingMigration.PowerShell.Model;

/// <summary>
/// The tenant's meeting migration switch (Get-/Set-CsTenantMigrationConfiguration). Settable so that an
/// instance from the getter can be changed and passed back with <c>-Instance</c>.
/// </summary>
public sealed class TenantMigrationConfiguration
{
    public string Identity { get; set; } = "Global";
    public Guid TenantId { get; set; }
    public bool MeetingMigrationEnabled { get; set; }
    /// <summary>Minutes the worker waits before it takes a new request (the real service holds about 90).</summary>
    public int HoldMinutes { get; set; }
    /// <summary>Product-only: how many times faster than real time the hold, back-off and retry window run.</summary>
    public int TimeScale { get; set; } = 1;
}
