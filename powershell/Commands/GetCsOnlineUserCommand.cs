using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;
using MeetingMigration.PowerShell.Parameters;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets users of the tenant's directory, one user by identity or all users in a stable order.</para>
/// Users are streamed page by page: each page is written before the next is fetched, so any directory size
/// runs in flat memory. <c>-Filter</c> takes OPath text or a script block such as
/// <c>{TeamsUpgradeEffectiveMode -eq 'TeamsOnly'}</c>.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CsOnlineUser",
    HelpUri = "https://learn.microsoft.com/powershell/module/skype/get-csonlineuser")]
[OutputType(typeof(OnlineUser))]
public sealed class GetCsOnlineUserCommand : TenantCmdlet
{
    private const int PageSize = 1000;

    /// <summary>One user, in any identity form.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [UserIdentityTransformation]
    [ArgumentCompleter(typeof(UserIdentityCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Identity { get; set; }

    /// <summary>An OPath filter (-eq, -ne, -like, -and, -or) on the user properties.</summary>
    [Parameter]
    [FilterTextTransformation]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>At most this many users.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? ResultSize { get; set; }

    private protected override object? ErrorTarget => Identity ?? Filter;

    private protected override void ProcessItem()
    {
        if (Identity is not null)
        {
            WriteObject(Store.ResolveIdentity(TenantArgument, Identity));
            return;
        }

        long remaining = ResultSize ?? long.MaxValue;
        long? after = null;
        do
        {
            UsersPage page = Store.ListUsers(new UsersQuery(TenantArgument, Filter, null, after, (int)Math.Min(PageSize, remaining)));
            WriteObject(page.Users, enumerateCollection: true);
            remaining -= page.Users.Length;
            after = page.Next;
        }
        while (after is not null && remaining > 0);
    }
}
