using System;
using System.Linq;
using System.Management.Automation;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// A Set- cmdlet of one of the tenant's Global settings objects. Either name the settings to change
/// (<c>-Identity Global</c>), or pass an instance from the matching Get- cmdlet (piped or with <c>-Instance</c>)
/// after changing its properties: the instance's tenant is changed and explicit parameters win over its values.
/// One ShouldProcess per call names every setting that changes; <c>-PassThru</c> writes the updated settings.
/// </summary>
/// <typeparam name="TSettings">The settings the Get- cmdlet returns.</typeparam>
public abstract class SetGlobalSettingsCmdlet<TSettings> : TenantCmdlet
    where TSettings : class
{
    private protected const string IdentitySet = "Identity";
    private protected const string InstanceSet = "Instance";

    /// <summary>The settings' identity; the tenant has only Global.</summary>
    [Parameter(Position = 0, ParameterSetName = IdentitySet)]
    [ValidateSet("Global")]
    public string Identity { get; set; } = "Global";

    /// <summary>Settings from the Get- cmdlet whose values are applied to their tenant.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InstanceSet)]
    [ValidateNotNull]
    public TSettings? Instance { get; set; }

    /// <summary>Change without asking, even with <c>-Confirm</c> (<c>-WhatIf</c> still only tells).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the updated settings.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>What the settings are called in the ShouldProcess action, e.g. <c>tenant migration configuration</c>.</summary>
    private protected abstract string SettingsName { get; }

    private protected abstract Guid TenantOf(TSettings instance);

    /// <summary>
    /// The change: each bound parameter, else the instance's value, else null (unchanged); its settings by name
    /// (for the ShouldProcess action) and how the library applies it to a tenant.
    /// </summary>
    private protected abstract SettingsChange Prepare(TSettings? instance);

    private protected sealed override void ProcessItem()
    {
        string? tenant = TenantArgument ?? (Instance is { } instance ? TenantOf(instance).ToString() : null);
        SettingsChange change = Prepare(Instance);
        string named = string.Join(", ", change.Settings.Where(c => c.Value is not null).Select(c => $"{c.Name}={c.Value}"));
        bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) && LanguagePrimitives.IsTrue(w);
        if ((whatIf || !Force) && !ShouldProcess($"Global (tenant {tenant ?? "default"})", $"Set {SettingsName} ({(named.Length > 0 ? named : "no changes")})"))
        {
            return;
        }

        TSettings updated = change.Apply(tenant);
        if (PassThru)
        {
            WriteObject(updated);
        }
    }

    private protected readonly record struct SettingsChange((string Name, object? Value)[] Settings, Func<string?, TSettings> Apply);
}
