using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Turns meeting migration on or off for the tenant (and sets the worker's hold time).</para>
/// Either name the settings to change, or pass an instance from Get-CsTenantMigrationConfiguration
/// (piped or with <c>-Instance</c>) after changing its properties; explicit parameters win over the instance.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CsTenantMigrationConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
    DefaultParameterSetName = IdentitySet,
    HelpUri = "https://learn.microsoft.com/powershell/module/skype/set-cstenantmigrationconfiguration")]
[OutputType(typeof(TenantMigrationConfiguration))]
public sealed class SetCsTenantMigrationConfigurationCommand
    : SetGlobalSettingsCmdlet<TenantMigrationConfiguration>
{
    /// <summary>Whether meeting migrations may be queued for the tenant's users.</summary>
    [Parameter]
    public bool? MeetingMigrationEnabled { get; set; }

    /// <summary>Minutes the worker holds a new request before it starts (the real service holds
    /// about 90). Its range is checked once, by the library.</summary>
    [Parameter]
    public int? HoldMinutes { get; set; }

    /// <summary>Product-only: runs the tenant's hold, back-off and retry window this many times faster than real
    /// time (1 = real time), to rehearse in minutes what takes a day. Status timestamps stay real time.</summary>
    [Parameter]
    public int? TimeScale { get; set; }

    private protected override string SettingsName => "tenant migration configuration";

    private protected override Guid TenantOf(TenantMigrationConfiguration instance) => instance.TenantId;

    private protected override SettingsChange Prepare(TenantMigrationConfiguration? instance)
    {
        var changes = new MigrationConfigChanges(
            MeetingMigrationEnabled ?? instance?.MeetingMigrationEnabled,
            HoldMinutes ?? instance?.HoldMinutes,
            TimeScale ?? instance?.TimeScale);
        return new(
            [
                (nameof(changes.MeetingMigrationEnabled), changes.MeetingMigrationEnabled),
                (nameof(changes.HoldMinutes), changes.HoldMinutes),
                (nameof(changes.TimeScale), changes.TimeScale),
            ],
            tenant => Store.SetMigrationConfiguration(tenant, changes));
    }
}
