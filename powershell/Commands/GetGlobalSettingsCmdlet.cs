using System.Management.Automation;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// A Get- cmdlet of one of the tenant's Global settings objects, with the parameters of Microsoft's cmdlet:
/// <c>-Identity</c> (only Global exists), <c>-Filter</c> (a wildcard over the identities, as on the Skype
/// settings cmdlets) and <c>-LocalStore</c> (the store is always local; accepted for scripts that pass it).
/// </summary>
/// <typeparam name="TSettings">The settings returned.</typeparam>
public abstract class GetGlobalSettingsCmdlet<TSettings> : TenantCmdlet
{
    private const string IdentitySet = "Identity";
    private const string FilterSet = "Filter";

    /// <summary>The settings' identity; the tenant has only Global.</summary>
    [Parameter(Position = 0, ParameterSetName = IdentitySet)]
    [ValidateSet("Global")]
    public string Identity { get; set; } = "Global";

    /// <summary>A wildcard over the settings' identities (only Global exists).</summary>
    [Parameter(ParameterSetName = FilterSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Read the local store: the store always is, so this changes nothing.</summary>
    [Parameter]
    public SwitchParameter LocalStore { get; set; }

    private protected abstract TSettings Read(string? tenant);

    private protected sealed override void ProcessItem()
    {
        if (Filter is not null && !new WildcardPattern(Filter, WildcardOptions.IgnoreCase).IsMatch("Global"))
        {
            return;
        }

        WriteObject(Read(TenantArgument));
    }
}
