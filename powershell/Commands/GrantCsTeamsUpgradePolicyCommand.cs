using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Assigns a TeamsUpgradePolicy instance to a user.</para>
/// Sets the user's TeamsUpgradePolicy and TeamsUpgradeEffectiveMode. A mode with Teams meetings (UpgradeToTeams, that
/// is TeamsOnly, or SfBWithTeamsCollabAndMeetings) granted to a user homed online starts a meeting migration of the
/// user's Skype meetings to Teams (TriggeredBy UpgradePolicy), as the Meeting Migration Service does, while the
/// tenant's MeetingMigrationEnabled allows it. -MigrateMeetingsToTeams is no longer supported and only warns.
/// </summary>
[Cmdlet(VerbsSecurity.Grant, "CsTeamsUpgradePolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
    DefaultParameterSetName = IdentitySet, HelpUri = "https://learn.microsoft.com/powershell/module/teams/grant-csteamsupgradepolicy")]
[OutputType(typeof(OnlineUser))]
public sealed class GrantCsTeamsUpgradePolicyCommand : UserSetCmdlet
{
    private const string TenantSet = "GrantToTenant";
    private const string GroupSet = "GrantToGroup";

    /// <summary>Grants the instance tenant-wide: users homed online without an instance of their own take its mode.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TenantSet)]
    public SwitchParameter Global { get; set; }

    /// <summary>Accepted with -Global: there are no prompts besides -Confirm.</summary>
    [Parameter(ParameterSetName = TenantSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>A group's id: this directory has no groups, so the library refuses it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = GroupSet)]
    public string Group { get; set; } = "";

    /// <summary>Accepted with -Group: the rank among group assignments.</summary>
    [Parameter(ParameterSetName = GroupSet)]
    public int Rank { get; set; }

    /// <summary>A built-in instance (UpgradeToTeams, Islands, SfBWithTeamsCollabAndMeetings, ...), with or without its
    /// Tag: prefix; $null removes the user's assignment. Checked by the library.</summary>
    [Parameter(Position = 1)]
    [AllowNull]
    [AllowEmptyString]
    public string? PolicyName { get; set; }

    /// <summary>No longer supported by Microsoft: accepted with a warning; meetings migrate as the mode says.</summary>
    [Parameter]
    public bool MigrateMeetingsToTeams { get; set; }

    /// <summary>Accepted: Microsoft's internal processing mode.</summary>
    [Parameter]
    public string? MsftInternalProcessingMode { get; set; }

    private protected override void ProcessItem()
    {
        if (MyInvocation.BoundParameters.ContainsKey(nameof(MigrateMeetingsToTeams)))
        {
            WriteWarning("-MigrateMeetingsToTeams is no longer supported and is ignored: meetings are not migrated by it. " +
                "Granting a mode with Teams meetings starts the migration on its own; Start-CsExMeetingMigration starts one by hand.");
        }

        string policy = PolicyName ?? "";
        if (ParameterSetName == IdentitySet)
        {
            ChangeUser(Identity, new UserChanges(Identity, TenantArgument, TeamsUpgradePolicy: policy),
                policy.Length == 0 ? "Remove the user's TeamsUpgradePolicy" : $"Grant TeamsUpgradePolicy {policy}", PassThru);
            return;
        }

        string target = ParameterSetName == TenantSet ? "the tenant" : $"the group {Group}";
        if (!ShouldProcess(target, $"Grant TeamsUpgradePolicy {(policy.Length == 0 ? "Global (Islands)" : policy)}"))
        {
            return;
        }

        OnlineUser[] changed = Store.GrantTenantUpgradePolicy(
            new TenantUpgradePolicyGrant(TenantArgument, policy, ParameterSetName == GroupSet ? Group : null));
        WriteVerbose($"{changed.Length} users without a TeamsUpgradePolicy of their own changed mode; " +
            "a tenant-wide grant starts no meeting migration.");
        if (PassThru)
        {
            WriteObject(changed, enumerateCollection: true);
        }
    }

    private protected override object? ErrorTarget => ParameterSetName == GroupSet ? Group : Identity;
}
