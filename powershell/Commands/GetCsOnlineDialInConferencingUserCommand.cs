using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;
using MeetingMigration.PowerShell.Parameters;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists the users who use Microsoft audio conferencing, with the numbers their invitations carry.</para>
/// Only users with the Audio Conferencing licence and no third-party provider are listed, as Microsoft documents.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CsOnlineDialInConferencingUser",
    HelpUri = "https://learn.microsoft.com/powershell/module/microsoftteams/get-csonlinedialinconferencinguser")]
[OutputType(typeof(DialInConferencingUser))]
public sealed class GetCsOnlineDialInConferencingUserCommand : TenantCmdlet
{
    /// <summary>One user, in any identity form; omitted, every user of Microsoft audio conferencing.</summary>
    [Parameter(Position = 0)]
    [UserIdentityTransformation]
    [ArgumentCompleter(typeof(UserIdentityCompleter))]
    public string? Identity { get; set; }

    /// <summary>Only the tenant's bridge is accepted (the tenant has one).</summary>
    [Parameter]
    public string? BridgeName { get; set; }

    /// <summary>Only the tenant's bridge is accepted (the tenant has one).</summary>
    [Parameter]
    public Guid BridgeId { get; set; }

    /// <summary>Only users whose service number is this one (E.164, +E.164 or tel:).</summary>
    [Parameter]
    public string? ServiceNumber { get; set; }

    /// <summary>attribute=value on one directory attribute (l, st, c, co, department, title, company, displayName, userPrincipalName).</summary>
    [Parameter]
    public string? LdapFilter { get; set; }

    /// <summary>At most this many users (0 to 2147483647).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int ResultSize { get; set; } = int.MaxValue;

    /// <summary>Accepted: reserved for internal Microsoft use.</summary>
    [Parameter]
    public object? TenantDomain { get; set; }

    /// <summary>Accepted: reserved for internal Microsoft use.</summary>
    [Parameter]
    [Alias("DC")]
    public string? DomainController { get; set; }

    /// <summary>Accepted: there are no prompts to suppress.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private protected override object? ErrorTarget => Identity;

    private protected override void ProcessItem()
    {
        var query = new DialInUsersQuery(TenantArgument, Identity, ServiceNumber,
            MyInvocation.BoundParameters.ContainsKey(nameof(BridgeId)) ? BridgeId : null, BridgeName, LdapFilter,
            MyInvocation.BoundParameters.ContainsKey(nameof(ResultSize)) ? ResultSize : null);
        foreach (DialInConferencingUser user in Store.ListDialInUsers(query))
        {
            WriteObject(user);
        }
    }
}
