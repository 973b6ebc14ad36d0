using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;
using MeetingMigration.PowerShell.Parameters;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets users of the tenant's directory, one user by identity or all users in a stable order.</para>
/// Users are streamed page by page: each page is written before the next is fetched, so any directory size
/// runs in flat memory. <c>-Filter</c> takes OPath text or a script block such as
/// <c>{TeamsUpgradePolicy -eq $null}</c>; the library parses and applies it (and checks every other parameter).
/// </summary>
[Cmdlet(VerbsCommon.Get, "CsOnlineUser",
    HelpUri = "https://learn.microsoft.com/powershell/module/skype/get-csonlineuser")]
[OutputType(typeof(OnlineUser))]
public sealed class GetCsOnlineUserCommand : TenantCmdlet
{
    private const int PageSize = 1000;

    /// <summary>Always in a -Properties selection, as in Microsoft's module.</summary>
    private static readonly string[] AlwaysShown = ["Identity", "UserPrincipalName", "Alias", "AccountEnabled", "DisplayName"];

    /// <summary>One user, in any identity form.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [UserIdentityTransformation]
    [ArgumentCompleter(typeof(UserIdentityCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Identity { get; set; }

    /// <summary>Only users of this type.</summary>
    [Parameter]
    [ValidateSet("User", "ResourceAccount", "Guest", "SfBOnPremUser", "IneligibleUser", "Unknown")]
    public string? AccountType { get; set; }

    /// <summary>An OPath filter on the user properties.</summary>
    [Parameter]
    [FilterTextTransformation]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Only these properties (and Identity, UserPrincipalName, Alias, AccountEnabled, DisplayName).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Properties { get; set; }

    /// <summary>At most this many users: a whole number, or Unlimited.</summary>
    [Parameter]
    public ResultSize? ResultSize { get; set; }

    /// <summary>Leaves the policy properties empty.</summary>
    [Parameter]
    public SwitchParameter SkipUserPolicies { get; set; }

    /// <summary>Only the users deleted within the last 30 days.</summary>
    [Parameter]
    public SwitchParameter SoftDeletedUser { get; set; }

    /// <summary>"Property", "Property asc" or "Property desc".</summary>
    [Parameter]
    [Alias("OrderBy")]
    [FilterTextTransformation]
    [ValidateNotNullOrEmpty]
    public string? Sort { get; set; }

    private protected override object? ErrorTarget => Identity ?? Filter;

    /// <summary>The -Properties names, each comma-separated item on its own.</summary>
    private string[]? PropertyNames => Properties?
        .SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .ToArray();

    private protected override void ProcessItem()
    {
        string[]? names = PropertyNames;
        if (Identity is not null)
        {
            OnlineUser user = Store.ResolveIdentity(TenantArgument, Identity);
            if (names is not null || SkipUserPolicies)
            {
                // The resolved user through the listing, which checks -Properties and applies -SkipUserPolicies.
                string byId = $"Identity -eq '{user.Identity}'";
                user = Store.ListUsers(Query(names, after: null, limit: 1) with { Filter = byId }).Users.Single();
            }

            WriteObject(Shown(user, names));
            return;
        }

        long remaining = ResultSize?.Value ?? long.MaxValue;
        long? after = null;
        while (remaining > 0)
        {
            UsersPage page = Store.ListUsers(Query(names, after, (int)Math.Min(PageSize, remaining)));
            foreach (OnlineUser user in page.Users)
            {
                WriteObject(Shown(user, names));
            }

            remaining -= page.Users.Length;
            after = page.Next;
            if (after is null)
            {
                break;
            }
        }
    }

    private UsersQuery Query(string[]? names, long? after, int limit) =>
        new(TenantArgument, Filter, null, after, limit, AccountType, SoftDeletedUser, SkipUserPolicies, names, Sort);

    /// <summary>The user, or with -Properties only the named properties after the ones always shown.</summary>
    private static object Shown(OnlineUser user, string[]? names)
    {
        if (names is null)
        {
            return user;
        }

        var all = PSObject.AsPSObject(user);
        var shown = new PSObject();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in AlwaysShown.Concat(names))
        {
            PSPropertyInfo? property = all.Properties[name];
            if (property is not null && seen.Add(property.Name))
            {
                shown.Properties.Add(new PSNoteProperty(property.Name, property.Value));
            }
        }

        return shown;
    }
}
