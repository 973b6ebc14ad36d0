using System;
using System.Collections.Generic;

namespace MeetingMigration.PowerShell.Model;

/// <summary>
/// A directory user, as Get-CsOnlineUser returns it (the property names of Microsoft's module). Pipes into
/// Start-CsExMeetingMigration and Get-CsMeetingMigrationStatus by UserPrincipalName. The properties are described
/// once, in the library's <c>UserField</c> table; this class only receives them.
/// </summary>
public sealed class OnlineUser
{
    /// <summary>The user's directory object id.</summary>
    public Guid Identity { get; set; }
    public string UserPrincipalName { get; set; } = "";
    public string? SipAddress { get; set; }
    public string DisplayName { get; set; } = "";
    public string? SamAccountName { get; set; }
    public string? WindowsDomainLogon { get; set; }
    public string? DistinguishedName { get; set; }
    public string? AccountType { get; set; }
    public bool? AccountEnabled { get; set; }
    public bool? IsSipEnabled { get; set; }
    /// <summary>The older Skype for Business name of the account switch.</summary>
    public bool? Enabled { get; set; }
    public bool? EnterpriseVoiceEnabled { get; set; }
    public bool? HideFromAddressLists { get; set; }
    public bool? DirSyncEnabled { get; set; }
    /// <summary>DirSyncEnabled, under the name Microsoft's module 3.0.0 and later gives it.</summary>
    public bool? UserDirSyncEnabled => DirSyncEnabled;
    public string? TeamsUpgradeEffectiveMode { get; set; }
    public bool? TeamsUpgradeNotificationsEnabled { get; set; }
    public ValueList<string>? FeatureTypes { get; set; }
    public ValueList<AssignedPlan>? AssignedPlan { get; set; }
    public ValueList<AssignedPlan>? ProvisionedPlan { get; set; }
    /// <summary>The user's numbers with their categories (Primary is the LineURI's).</summary>
    public ValueList<TelephoneNumberAssignment>? TelephoneNumbers { get; set; }
    /// <summary>UTC.</summary>
    public DateTime? WhenCreated { get; set; }
    /// <summary>UTC.</summary>
    public DateTime? WhenChanged { get; set; }
    /// <summary>UTC; set when the user was deleted (restorable for 30 days).</summary>
    public DateTime? SoftDeletionTimestamp { get; set; }
    public string? AudioConferencingTollNumber { get; set; }
    public string? AudioConferencingTollFreeNumber { get; set; }
    public string? Alias { get; set; }
    public string? FirstName { get; set; }
    /// <summary>FirstName, under the name Microsoft's module 3.0.0 and later gives it.</summary>
    public string? GivenName => FirstName;
    public string? LastName { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? Country { get; set; }
    public string? Department { get; set; }
    public string? Title { get; set; }
    public string? Company { get; set; }
    public string? UsageLocation { get; set; }
    public string? HostingProvider { get; set; }
    public string? OnPremHostingProvider { get; set; }
    public string? OnPremLineURI { get; set; }
    public string? LineURI { get; set; }
    public string? OnPremSipAddress { get; set; }
    public string? WindowsEmailAddress { get; set; }
    public string? InterpretedUserType { get; set; }
    public string? TeamsUpgradePolicyIsReadOnly { get; set; }
    public string? PreferredDataLocation { get; set; }
    public string? CountryAbbreviation { get; set; }
    public string? PhoneNumber { get; set; }
    /// <summary>Product-only: ExchangeOnline (when null) or ExchangeOnPremises; MMS fails on an on-premises mailbox.</summary>
    public string? MailboxLocation { get; set; }
    /// <summary>Product-only: the user's third-party audio-conferencing provider, null when Microsoft provides it.</summary>
    public string? AudioConferencingProvider { get; set; }
    /// <summary>No longer populated by Microsoft's module; EnterpriseVoiceEnabled replaces it.</summary>
    public string? OptionFlags { get; set; }
    /// <summary>Deprecated and no longer populated; TenantDialPlan is the policy.</summary>
    public string? DialPlan { get; set; }
    /// <summary>Deprecated and no longer populated; Get-CsPhoneNumberAssignment gives it.</summary>
    public string? LocationPolicy { get; set; }
    public ValueList<string>? UserValidationErrors { get; set; }
    public ValueList<string>? ProxyAddresses { get; set; }
    public ValueList<string>? ShadowProxyAddresses { get; set; }

    // Per-user policies: null unless assigned (and with -SkipUserPolicies).
    public string? TeamsUpgradePolicy { get; set; }
    public string? ArchivingPolicy { get; set; }
    public string? CallingLineIdentity { get; set; }
    public string? ExternalAccessPolicy { get; set; }
    public string? OnlineAudioConferencingRoutingPolicy { get; set; }
    public string? OnlineVoicemailPolicy { get; set; }
    public string? OnlineVoiceRoutingPolicy { get; set; }
    public string? TenantDialPlan { get; set; }
    public string? TeamsAIPolicy { get; set; }
    public string? TeamsAppPermissionPolicy { get; set; }
    public string? TeamsAppSetupPolicy { get; set; }
    public string? TeamsAudioConferencingPolicy { get; set; }
    public string? TeamsBYODAndDesksPolicy { get; set; }
    public string? TeamsCallHoldPolicy { get; set; }
    public string? TeamsCallingPolicy { get; set; }
    public string? TeamsCallParkPolicy { get; set; }
    public string? TeamsChannelsPolicy { get; set; }
    public string? TeamsComplianceRecordingPolicy { get; set; }
    public string? TeamsEmergencyCallingPolicy { get; set; }
    public string? TeamsEmergencyCallRoutingPolicy { get; set; }
    public string? TeamsEnhancedEncryptionPolicy { get; set; }
    public string? TeamsEventsPolicy { get; set; }
    public string? TeamsFeedbackPolicy { get; set; }
    public string? TeamsFilesPolicy { get; set; }
    public string? TeamsIPPhonePolicy { get; set; }
    public string? TeamsMediaConnectivityPolicy { get; set; }
    public string? TeamsMediaLoggingPolicy { get; set; }
    public string? TeamsMeetingBroadcastPolicy { get; set; }
    public string? TeamsMeetingPolicy { get; set; }
    public string? TeamsMeetingTemplatePermissionPolicy { get; set; }
    public string? TeamsMessagingPolicy { get; set; }
    public string? TeamsMobilityPolicy { get; set; }
    public string? TeamsRoomVideoTeleConferencingPolicy { get; set; }
    public string? TeamsSharedCallingRoutingPolicy { get; set; }
    public string? TeamsShiftsPolicy { get; set; }
    public string? TeamsSurvivableBranchAppliancePolicy { get; set; }
    public string? TeamsUpdateManagementPolicy { get; set; }
    public string? TeamsVdiPolicy { get; set; }
    public string? TeamsVideoInteropServicePolicy { get; set; }
    public string? TeamsVirtualAppointmentsPolicy { get; set; }
    public string? TeamsWorkLoadPolicy { get; set; }
    public string? TeamsWorkLocationDetectionPolicy { get; set; }
    /// <summary>The policy properties above that are assigned, as a list (derived from them).</summary>
    public ValueList<EffectivePolicyAssignment>? EffectivePolicyAssignments { get; set; }
    public Guid TenantId { get; set; }
}

/// <summary>
/// A multi-valued property: names (FeatureTypes) or objects (AssignedPlan, TelephoneNumbers,
/// EffectivePolicyAssignments). Its string form (Export-Csv) joins the values' string forms with ';', which import
/// reads back.
/// </summary>
public sealed class ValueList<T> : List<T>
{
    public override string ToString() => string.Join(";", this);
}

/// <summary>One licence plan of a user.</summary>
public sealed class AssignedPlan
{
    public string Capability { get; set; } = "";
    public string CapabilityStatus { get; set; } = "";
    public Guid ServicePlanId { get; set; }
    /// <summary>UTC.</summary>
    public DateTime AssignedTimestamp { get; set; }

    public override string ToString() => Capability;
}

/// <summary>One telephone number of a user.</summary>
public sealed class TelephoneNumberAssignment
{
    public string TelephoneNumber { get; set; } = "";
    /// <summary>Primary, Private or Alternate.</summary>
    public string AssignmentCategory { get; set; } = "";

    public override string ToString() => $"{TelephoneNumber} ({AssignmentCategory})";
}

/// <summary>One policy in effect for a user.</summary>
public sealed class EffectivePolicyAssignment
{
    public string PolicyType { get; set; } = "";
    public PolicyAssignment PolicyAssignment { get; set; } = new();

    public override string ToString() => $"{PolicyType}: {PolicyAssignment.DisplayName}";
}

/// <summary>How a policy came to be in effect: Direct, or from a group (GroupId).</summary>
public sealed class PolicyAssignment
{
    public string DisplayName { get; set; } = "";
    public string AssignmentType { get; set; } = "";
    /// <summary>Not supported by the service yet: null.</summary>
    public string? PolicyId { get; set; }
    public Guid? GroupId { get; set; }

    public override string ToString() => DisplayName;
}
