using System.Management.Automation;
using MeetingMigration.PowerShell.Parameters;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// A cmdlet about one user per pipeline item: a mandatory, positional <c>-Identity</c> in any identity form,
/// from the pipeline by value (a user or status object stands for its UserPrincipalName) and by property name,
/// so <c>Import-Csv</c> rows, user objects and status records pipe in. Library errors name the identity.
/// </summary>
public abstract class UserCmdlet : TenantCmdlet
{
    /// <summary>The user: SIP address, UPN, domain\logon, display name, distinguished name or object id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("UserPrincipalName", "SipAddress", "UserId")]
    [UserIdentityTransformation]
    [ArgumentCompleter(typeof(UserIdentityCompleter))]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    private protected override object? ErrorTarget => Identity;
}
