using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Replaces the default toll or toll-free number of many users at once.</para>
/// With -RescheduleMeetings each changed user's meetings are refreshed with the new number by a meeting migration
/// (TriggeredBy AudioConferencing) while the tenant's MeetingMigrationEnabled and AutomaticallyMigrateUserMeetings
/// allow it; without it only the numbers change. Microsoft retired the cmdlet after July 7, 2024; it is kept for
/// rehearsing scripts written for it.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CsOnlineDialInConferencingUserDefaultNumber", SupportsShouldProcess = true,
    ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = BridgeNameParams,
    HelpUri = "https://learn.microsoft.com/powershell/module/skype/set-csonlinedialinconferencinguserdefaultnumber")]
[OutputType(typeof(OnlineUser))]
public sealed class SetCsOnlineDialInConferencingUserDefaultNumberCommand : TenantCmdlet
{
    private const string BridgeNameParams = "BridgeNameParams";
    private const string FilterByUsageLocation = "FilterByUsageLocation";
    private const string UniqueBridgeParams = "UniqueBridgeParams";

    /// <summary>The tenant's bridge, by name (Conference Bridge).</summary>
    [Parameter(Mandatory = true, ParameterSetName = BridgeNameParams)]
    [Parameter(ParameterSetName = FilterByUsageLocation)]
    public string? BridgeName { get; set; }

    /// <summary>The tenant's bridge, by id (Get-CsOnlineDialInConferencingUser shows it).</summary>
    [Parameter(Mandatory = true, ParameterSetName = FilterByUsageLocation)]
    [Parameter(Mandatory = true, ParameterSetName = UniqueBridgeParams)]
    public Guid BridgeId { get; set; }

    /// <summary>The users' current default number; omitted (with -BridgeName), the users who have none.</summary>
    [Parameter(ParameterSetName = BridgeNameParams)]
    [Parameter(Mandatory = true, ParameterSetName = UniqueBridgeParams)]
    [AllowNull]
    [AllowEmptyString]
    public string? FromNumber { get; set; }

    /// <summary>The new default number, for example 14255550101.</summary>
    [Parameter(Mandatory = true)]
    public string ToNumber { get; set; } = "";

    /// <summary>Toll or TollFree.</summary>
    [Parameter(Mandatory = true)]
    [ValidateSet("Toll", "TollFree")]
    public string NumberType { get; set; } = "";

    /// <summary>Without -FromNumber: the users whose usage location is this country or region (two letters).</summary>
    [Parameter(ParameterSetName = BridgeNameParams)]
    [Parameter(Mandatory = true, ParameterSetName = FilterByUsageLocation)]
    public string? CountryOrRegion { get; set; }

    /// <summary>Accepted: where the new number is.</summary>
    [Parameter(ParameterSetName = BridgeNameParams)]
    [Parameter(ParameterSetName = FilterByUsageLocation)]
    public string? AreaOrState { get; set; }

    /// <summary>Accepted: where the new number is.</summary>
    [Parameter(ParameterSetName = BridgeNameParams)]
    [Parameter(ParameterSetName = FilterByUsageLocation)]
    public string? CapitalOrMajorCity { get; set; }

    /// <summary>Updates the changed users' meetings with the new number (a meeting migration each).</summary>
    [Parameter]
    public SwitchParameter RescheduleMeetings { get; set; }

    /// <summary>Write each changed user (not a parameter of Microsoft's cmdlet, which documents no output).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Accepted: reserved for internal Microsoft use.</summary>
    [Parameter]
    public string? TenantDomain { get; set; }

    /// <summary>Accepted: reserved for internal Microsoft use.</summary>
    [Parameter]
    [Alias("DC")]
    public string? DomainController { get; set; }

    /// <summary>Accepted: suppresses prompts (there are none besides -Confirm).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private protected override void ProcessItem()
    {
        string users = FromNumber is { Length: > 0 } from ? $"the users whose {NumberType} number is {from}"
            : CountryOrRegion is { Length: > 0 } country ? $"the users in {country}"
            : $"the users without a {NumberType} number";
        string meetings = RescheduleMeetings ? ", and update their meetings" : "";
        if (!ShouldProcess(users, $"Set the default {NumberType} number to {ToNumber}{meetings}"))
        {
            return;
        }

        var change = new DefaultNumberChange(TenantArgument, FromNumber, ToNumber, NumberType,
            MyInvocation.BoundParameters.ContainsKey(nameof(BridgeId)) ? BridgeId : null, BridgeName,
            CountryOrRegion, AreaOrState, CapitalOrMajorCity, RescheduleMeetings);
        UserUpdate[] updates = Store.SetDefaultNumber(change);
        foreach (UserUpdate update in updates)
        {
            ReportUpdate(update);
            if (PassThru)
            {
                WriteObject(update.User);
            }
        }

        WriteVerbose($"Set the default {NumberType} number of {updates.Length} users to {ToNumber}.");
    }
}
