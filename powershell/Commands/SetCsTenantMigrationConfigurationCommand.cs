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
    DefaultParameterSetName = IdentitySet)]
[OutputType(typeof(TenantMigrationConfiguration))]
public sealed class SetCsTenantMigrationConfigurationCommand : TenantCmdlet
{
    private const string IdentitySet = "Identity";
    private const string InstanceSet = "Instance";

    /// <summary>The configuration's identity; the tenant has only Global.</summary>
    [Parameter(Position = 0, ParameterSetName = IdentitySet)]
    [ValidateSet("Global")]
    public string Identity { get; set; } = "Global";

    /// <summary>A configuration from Get-CsTenantMigrationConfiguration whose values are applied to its tenant.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InstanceSet)]
    [ValidateNotNull]
    public TenantMigrationConfiguration? Instance { get; set; }

    /// <summary>Whether meeting migrations may be queued for the tenant's users.</summary>
    [Parameter]
    public bool? MeetingMigrationEnabled { get; set; }

    /// <summary>Minutes the worker holds a new request before it starts (the real service holds about 90).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? HoldMinutes { get; set; }

    /// <summary>Write the updated configuration.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected override void ProcessItem()
    {
        string? tenant = TenantArgument ?? Instance?.TenantId.ToString();
        var changes = new MigrationConfigChanges(
            MeetingMigrationEnabled ?? Instance?.MeetingMigrationEnabled,
            HoldMinutes ?? Instance?.HoldMinutes);
        if (!ShouldProcess($"Global (tenant {tenant ?? "default"})",
                $"Set tenant migration configuration (MeetingMigrationEnabled={changes.MeetingMigrationEnabled?.ToString() ?? "unchanged"}, HoldMinutes={changes.HoldMinutes?.ToString() ?? "unchanged"})"))
        {
            return;
        }

        TenantMigrationConfiguration updated = Store.SetMigrationConfiguration(tenant, changes);
        if (PassThru)
        {
            WriteObject(updated);
        }
    }
}
