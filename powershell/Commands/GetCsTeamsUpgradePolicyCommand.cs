using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Gets the instances of TeamsUpgradePolicy: the built-in ones and Global.</para>
/// Each instance grants a coexistence mode (Grant-CsTeamsUpgradePolicy); UpgradeToTeams grants TeamsOnly. The
/// instances are the same in every tenant, so the command needs no store.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CsTeamsUpgradePolicy",
    HelpUri = "https://learn.microsoft.com/powershell/module/teams/get-csteamsupgradepolicy")]
[OutputType(typeof(TeamsUpgradePolicy))]
public sealed class GetCsTeamsUpgradePolicyCommand : PSCmdlet
{
    /// <summary>One instance: Tag:UpgradeToTeams (or UpgradeToTeams), Global, ...</summary>
    [Parameter(Position = 0)]
    public string? Identity { get; set; }

    /// <summary>A wildcard the instances' identities match.</summary>
    [Parameter]
    public string? Filter { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            CStringArgument.Other(Identity, "identity");
            CStringArgument.Other(Filter, "filter");
            WriteObject(NativeCall.Invoke((out System.IntPtr r, out System.IntPtr e) =>
                NativeMethods.mms_upgrade_policies_list(Identity, Filter, out r, out e), WireJson.Default.TeamsUpgradePolicyArray),
                enumerateCollection: true);
        }
        catch (MmsException e)
        {
            WriteError(e.ToErrorRecord(Identity ?? Filter));
        }
    }
}
