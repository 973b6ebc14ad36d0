using System.Management.Automation;
using MeetingMigration.PowerShell.Parameters;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// A cmdlet whose default parameter set (<see cref="IdentitySet"/>) works on one user per pipeline item, as a
/// <see cref="UserCmdlet"/> does, and whose other sets name their users another way (a file, the tenant, a group).
/// </summary>
public abstract class UserSetCmdlet : TenantCmdlet
{
    /// <summary>The name of the parameter set of <see cref="Identity"/>.</summary>
    private protected const string IdentitySet = "Identity";

    /// <summary>The user: SIP address, UPN, domain\logon, display name, distinguished name or object id.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdentitySet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("UserPrincipalName", "SipAddress", "UserId")]
    [UserIdentityTransformation]
    [ArgumentCompleter(typeof(UserIdentityCompleter))]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    /// <summary>Write the user after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }
}
