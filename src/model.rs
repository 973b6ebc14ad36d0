//! The records of the service. Their JSON (PascalCase) is what crosses the C ABI and what
//! the PowerShell module turns into objects, so field names follow Microsoft's cmdlets.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, ErrorCode, Result};
use crate::time::Timestamp;

/// Parses a GUID the way every id of the service is written: surrounding whitespace
/// ignored, optional braces, the hyphenated 36-character form only (a 32-digit hex string
/// could be a logon name).
pub fn parse_guid(text: &str) -> Option<Uuid> {
    let text = text.trim();
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    if inner.len() != 36 {
        return None;
    }
    Uuid::parse_str(inner).ok()
}

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? } what $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// Parses the name case-insensitively (the cmdlets' parameters are).
            pub fn parse(text: &str) -> Result<Self> {
                let trimmed = text.trim();
                $(if trimmed.eq_ignore_ascii_case($text) { return Ok($name::$variant); })*
                let accepted: Vec<&str> = vec![$($text,)*];
                Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!("'{}' is not a valid {}; use one of: {}.", $crate::error::shorten(text), $what, accepted.join(", ")),
                ).with_target(text))
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse(&text).map_err(serde::de::Error::custom)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum! {
    /// The kind of online meeting an invitation carries.
    MeetingType { Teams = "Teams", SfbOnline = "SfbOnline", SfbOnPrem = "SfbOnPrem" } what "meeting type"
}

named_enum! {
    /// `-SourceMeetingType`: which of the user's meetings are in scope.
    SourceMeetingType { All = "All", SfB = "SfB", Teams = "Teams" } what "SourceMeetingType"
}

named_enum! {
    /// `-TargetMeetingType`: what the in-scope meetings become.
    TargetMeetingType { Current = "Current", Teams = "Teams" } what "TargetMeetingType"
}

named_enum! {
    /// The migration type recorded on a request: which meetings, and what they become.
    MigrationType {
        ToSameType = "ToSameType",
        AllToTeams = "AllToTeams",
        SfbToSfb = "SfbToSfb",
        SfbToTeams = "SfbToTeams",
        TeamsToTeams = "TeamsToTeams",
    } what "MigrationType"
}

named_enum! {
    /// A request's state: `Pending → InProgress → Succeeded | Failed`.
    RequestState { Pending = "Pending", InProgress = "InProgress", Failed = "Failed", Succeeded = "Succeeded" } what "State"
}

named_enum! {
    /// What started a request: an admin's `Start-CsExMeetingMigration`, or a change to the
    /// user the service reacts to on its own.
    TriggeredBy {
        Admin = "Admin",
        UserMove = "UserMove",
        AudioConferencing = "AudioConferencing",
        License = "License",
        UpgradePolicy = "UpgradePolicy",
    } what "TriggeredBy"
}

named_enum! {
    /// A meeting's outcome within one request.
    MeetingOutcomeState { Pending = "Pending", Succeeded = "Succeeded", Failed = "Failed" } what "meeting outcome"
}

impl SourceMeetingType {
    /// Whether a meeting of this type is in scope: `SfB` takes Skype meetings online and
    /// on-premises, `Teams` only Teams meetings.
    pub fn includes(self, meeting: MeetingType) -> bool {
        match self {
            SourceMeetingType::All => true,
            SourceMeetingType::SfB => meeting != MeetingType::Teams,
            SourceMeetingType::Teams => meeting == MeetingType::Teams,
        }
    }
}

impl MigrationType {
    /// The type a request records for its source and target meeting types:
    ///
    /// | Source \\ Target | Current      | Teams        |
    /// |------------------|--------------|--------------|
    /// | All              | ToSameType   | AllToTeams   |
    /// | SfB              | SfbToSfb     | SfbToTeams   |
    /// | Teams            | TeamsToTeams | TeamsToTeams |
    pub fn from_types(source: SourceMeetingType, target: TargetMeetingType) -> Self {
        use SourceMeetingType as S;
        use TargetMeetingType as T;
        match (source, target) {
            (S::All, T::Current) => MigrationType::ToSameType,
            (S::All, T::Teams) => MigrationType::AllToTeams,
            (S::SfB, T::Current) => MigrationType::SfbToSfb,
            (S::SfB, T::Teams) => MigrationType::SfbToTeams,
            (S::Teams, _) => MigrationType::TeamsToTeams,
        }
    }
}

impl TargetMeetingType {
    /// What a meeting of type `current` becomes: Teams targets turn everything into Teams;
    /// `Current` keeps the type but moves on-premises Skype meetings online.
    pub fn apply(self, current: MeetingType) -> MeetingType {
        match (self, current) {
            (TargetMeetingType::Teams, _) => MeetingType::Teams,
            (TargetMeetingType::Current, MeetingType::SfbOnPrem) => MeetingType::SfbOnline,
            (TargetMeetingType::Current, other) => other,
        }
    }
}

impl RequestState {
    pub fn is_open(self) -> bool {
        matches!(self, RequestState::Pending | RequestState::InProgress)
    }
}

/// One of a tenant's domains with its NetBIOS name (for `DOMAIN\logon` identities).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TenantDomain {
    pub name: String,
    pub net_bios_name: String,
}

/// A tenant of the directory.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tenant {
    #[serde(skip)]
    pub key: i64,
    pub tenant_id: Uuid,
    pub name: String,
    pub domains: Vec<TenantDomain>,
    pub is_default: bool,
    pub user_count: i64,
    /// The tenant's migration configuration as read with it (see [`Tenant::migration_configuration`]).
    #[serde(skip)]
    pub meeting_migration_enabled: bool,
    #[serde(skip)]
    pub hold_minutes: i64,
    #[serde(skip)]
    pub time_scale: i64,
    #[serde(skip)]
    pub fault_injection: FaultInjection,
}

impl Tenant {
    /// `Get-CsTenantMigrationConfiguration`'s record, from the tenant's row.
    pub fn migration_configuration(&self) -> MigrationConfiguration {
        MigrationConfiguration {
            identity: "Global",
            tenant_id: self.tenant_id,
            meeting_migration_enabled: self.meeting_migration_enabled,
            hold_minutes: self.hold_minutes,
            time_scale: self.time_scale,
            fault_injection: self.fault_injection.clone(),
        }
    }

    /// A duration of the tenant's rules (hold, back-off, retry window) on its time scale.
    pub fn scaled_ms(&self, ms: i64) -> i64 {
        ms / self.time_scale.max(1)
    }
}

/// Failures the worker makes up for a tenant's requests, to rehearse the retry logic
/// (`Set-MmsFaultInjection`): each batch fails transiently with `transient_rate`, each
/// meeting fails for good with `permanent_rate`, drawn from `seed`. Off when both are 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FaultInjection {
    // Named as Set-MmsFaultInjection's parameters, so that a piped record binds to them.
    #[serde(rename = "TransientFailureRate")]
    pub transient_rate: f64,
    #[serde(rename = "PermanentFailureRate")]
    pub permanent_rate: f64,
    pub seed: i64,
}

/// Changes for `set_fault_injection`; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct FaultInjectionChanges {
    pub transient_failure_rate: Option<f64>,
    pub permanent_failure_rate: Option<f64>,
    pub seed: Option<i64>,
}

impl FaultInjection {
    pub fn enabled(&self) -> bool {
        self.transient_rate > 0.0 || self.permanent_rate > 0.0
    }
}

/// The input of `create_tenant`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct NewTenant {
    #[serde(default)]
    pub tenant_id: Option<Uuid>,
    pub name: String,
    #[serde(default)]
    pub domains: Vec<TenantDomain>,
    #[serde(default)]
    pub default: bool,
}

/// A directory user, as `Get-CsOnlineUser` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    #[serde(skip)]
    pub key: i64,
    /// The user's object id.
    pub identity: Uuid,
    pub user_principal_name: String,
    pub sip_address: Option<String>,
    pub display_name: String,
    pub sam_account_name: Option<String>,
    /// `NETBIOS\logon`, derived from the UPN's domain and the SamAccountName.
    pub windows_domain_logon: Option<String>,
    pub distinguished_name: Option<String>,
    pub teams_upgrade_effective_mode: String,
    pub audio_conferencing_toll_number: Option<String>,
    pub audio_conferencing_toll_free_number: Option<String>,
    pub tenant_id: Uuid,
    /// The directory and policy properties that are not lookup keys (stored as one record).
    #[serde(flatten)]
    pub profile: UserProfile,
}

/// `AccountType` values, as Microsoft's `Get-CsOnlineUser -AccountType` takes them.
pub const ACCOUNT_TYPES: &[&str] = &[
    "User",
    "ResourceAccount",
    "Guest",
    "SfBOnPremUser",
    "IneligibleUser",
    "Unknown",
];

/// The per-user policy properties `Get-CsOnlineUser` shows, `null` unless assigned.
pub const POLICY_PROPERTIES: &[&str] = &[
    "TeamsUpgradePolicy",
    "ArchivingPolicy",
    "CallingLineIdentity",
    "ExternalAccessPolicy",
    "OnlineAudioConferencingRoutingPolicy",
    "OnlineVoicemailPolicy",
    "OnlineVoiceRoutingPolicy",
    "TenantDialPlan",
    "TeamsAIPolicy",
    "TeamsAppPermissionPolicy",
    "TeamsAppSetupPolicy",
    "TeamsAudioConferencingPolicy",
    "TeamsBYODAndDesksPolicy",
    "TeamsCallHoldPolicy",
    "TeamsCallingPolicy",
    "TeamsCallParkPolicy",
    "TeamsChannelsPolicy",
    "TeamsComplianceRecordingPolicy",
    "TeamsEmergencyCallingPolicy",
    "TeamsEmergencyCallRoutingPolicy",
    "TeamsEnhancedEncryptionPolicy",
    "TeamsEventsPolicy",
    "TeamsFeedbackPolicy",
    "TeamsFilesPolicy",
    "TeamsIPPhonePolicy",
    "TeamsMediaConnectivityPolicy",
    "TeamsMediaLoggingPolicy",
    "TeamsMeetingBroadcastPolicy",
    "TeamsMeetingPolicy",
    "TeamsMeetingTemplatePermissionPolicy",
    "TeamsMessagingPolicy",
    "TeamsMobilityPolicy",
    "TeamsRoomVideoTeleConferencingPolicy",
    "TeamsSharedCallingRoutingPolicy",
    "TeamsShiftsPolicy",
    "TeamsSurvivableBranchAppliancePolicy",
    "TeamsUpdateManagementPolicy",
    "TeamsVdiPolicy",
    "TeamsVideoInteropServicePolicy",
    "TeamsVirtualAppointmentsPolicy",
    "TeamsWorkLoadPolicy",
    "TeamsWorkLocationDetectionPolicy",
];

/// One licence plan of a user (`AssignedPlan`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AssignedPlan {
    /// The plan's capability, e.g. `MCOMEETADV` (audio conferencing) or `TEAMS1`.
    pub capability: String,
    /// `Enabled`, `Suspended` or `Deleted`.
    pub capability_status: String,
    pub service_plan_id: Uuid,
    pub assigned_timestamp: Timestamp,
}

/// One telephone number of a user (`TelephoneNumbers`, Microsoft's module 6.9.0 and later).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TelephoneNumber {
    /// E.164, e.g. `+14255550100`.
    pub telephone_number: String,
    /// What the number is to the user: `Primary` (its `LineURI`), `Private` or `Alternate`.
    pub assignment_category: String,
}

/// One policy in effect for a user (`EffectivePolicyAssignments`, Microsoft's module 7.1.1
/// and later): derived from the policy properties, never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EffectivePolicyAssignment {
    /// The policy property's name, e.g. `TeamsMeetingPolicy`.
    pub policy_type: String,
    pub policy_assignment: PolicyAssignment,
}

/// How a policy came to be in effect for a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PolicyAssignment {
    /// The policy instance, e.g. `RestrictedAnonymousAccess`.
    pub display_name: String,
    /// `Direct` (the directory has no groups, so no assignment is `Group`).
    pub assignment_type: String,
    /// Not supported by the real service yet (its documentation says so): `null`.
    #[serde(default)]
    pub policy_id: Option<String>,
    /// The group a `Group` assignment comes from; `null` for a direct one.
    #[serde(default)]
    pub group_id: Option<Uuid>,
}

/// `EffectivePolicyAssignments`' name, which policies serialise with but a stored profile
/// leaves out (see [`Policies`]).
pub const EFFECTIVE_POLICY_ASSIGNMENTS: &str = "EffectivePolicyAssignments";

/// The policies assigned to a user by property name ([`POLICY_PROPERTIES`]). Written out
/// with every known name, `null` when not assigned, as Microsoft's module shows them, and
/// with `EffectivePolicyAssignments`, the same policies as a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policies(std::collections::BTreeMap<&'static str, String>);

impl Policies {
    pub fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }

    /// Assigns (or, with `None`, removes) a policy; names outside [`POLICY_PROPERTIES`] are ignored.
    pub fn set(&mut self, name: &str, value: Option<String>) {
        if let Some(known) = POLICY_PROPERTIES
            .iter()
            .find(|p| p.eq_ignore_ascii_case(name))
        {
            match value {
                Some(v) => self.0.insert(known, v),
                None => self.0.remove(known),
            };
        }
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The assigned policies as `EffectivePolicyAssignments` lists them, in the order of
    /// [`POLICY_PROPERTIES`]: each a direct assignment.
    pub fn effective_assignments(&self) -> Vec<EffectivePolicyAssignment> {
        POLICY_PROPERTIES
            .iter()
            .filter_map(|name| {
                Some(EffectivePolicyAssignment {
                    policy_type: name.to_string(),
                    policy_assignment: PolicyAssignment {
                        display_name: self.0.get(name)?.clone(),
                        assignment_type: "Direct".into(),
                        policy_id: None,
                        group_id: None,
                    },
                })
            })
            .collect()
    }
}

impl Serialize for Policies {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(POLICY_PROPERTIES.len() + 1))?;
        for name in POLICY_PROPERTIES {
            map.serialize_entry(name, &self.0.get(name))?;
        }
        // Derived here, where the policies are, so that it always agrees with them.
        map.serialize_entry(EFFECTIVE_POLICY_ASSIGNMENTS, &self.effective_assignments())?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Policies {
    /// Reads the policy names among a record's fields (a flattened record hands over all
    /// its other fields too; they are not policies and are skipped).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let all = std::collections::BTreeMap::<String, serde_json::Value>::deserialize(d)?;
        let mut policies = Policies::default();
        for (name, value) in all {
            if let serde_json::Value::String(v) = value {
                policies.set(&name, Some(v));
            }
        }
        Ok(policies)
    }
}

fn yes() -> bool {
    true
}

fn user_account() -> String {
    "User".into()
}

/// What `Get-CsOnlineUser` shows of a user besides its lookup keys. A store written before
/// these properties existed reads as an enabled `User` with nothing else set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserProfile {
    #[serde(default)]
    pub alias: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub usage_location: Option<String>,
    #[serde(default)]
    pub hosting_provider: Option<String>,
    #[serde(default)]
    pub on_prem_hosting_provider: Option<String>,
    #[serde(rename = "OnPremLineURI")]
    #[serde(default)]
    pub on_prem_line_uri: Option<String>,
    #[serde(rename = "LineURI")]
    #[serde(default)]
    pub line_uri: Option<String>,
    #[serde(default)]
    pub on_prem_sip_address: Option<String>,
    #[serde(default)]
    pub windows_email_address: Option<String>,
    #[serde(default)]
    pub interpreted_user_type: Option<String>,
    #[serde(default)]
    pub teams_upgrade_policy_is_read_only: Option<String>,
    #[serde(default)]
    pub preferred_data_location: Option<String>,
    #[serde(default)]
    pub country_abbreviation: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
    /// No longer populated by Microsoft's module (EnterpriseVoiceEnabled replaces it); kept
    /// for scripts that read it.
    #[serde(default)]
    pub option_flags: Option<String>,
    /// Deprecated by Microsoft and no longer populated (TenantDialPlan is the policy).
    #[serde(default)]
    pub dial_plan: Option<String>,
    /// Deprecated by Microsoft and no longer populated (Get-CsPhoneNumberAssignment gives it).
    #[serde(default)]
    pub location_policy: Option<String>,
    #[serde(default)]
    pub user_validation_errors: Vec<String>,
    /// `SMTP:`, `smtp:` and `SIP:` addresses of the user.
    #[serde(default)]
    pub proxy_addresses: Vec<String>,
    /// The on-premises proxy addresses of a synchronised user (its SIP address there).
    #[serde(default)]
    pub shadow_proxy_addresses: Vec<String>,
    /// The user's numbers with their categories (the `Primary` one is the `LineURI`'s).
    #[serde(default)]
    pub telephone_numbers: Vec<TelephoneNumber>,
    #[serde(default = "yes")]
    pub account_enabled: bool,
    #[serde(default = "yes")]
    pub is_sip_enabled: bool,
    /// The older name of `IsSipEnabled`'s account switch (Skype for Business).
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub enterprise_voice_enabled: bool,
    #[serde(default)]
    pub hide_from_address_lists: bool,
    #[serde(default)]
    pub teams_upgrade_notifications_enabled: bool,
    #[serde(default)]
    pub dir_sync_enabled: bool,
    /// One of [`ACCOUNT_TYPES`].
    #[serde(default = "user_account")]
    pub account_type: String,
    #[serde(default)]
    pub feature_types: Vec<String>,
    #[serde(default)]
    pub assigned_plan: Vec<AssignedPlan>,
    /// The plans provisioned for the user (the same records as `AssignedPlan`).
    #[serde(default)]
    pub provisioned_plan: Vec<AssignedPlan>,
    #[serde(default)]
    pub when_created: Option<Timestamp>,
    #[serde(default)]
    pub when_changed: Option<Timestamp>,
    /// When the user was deleted; a soft-deleted user is listed only with `-SoftDeletedUser`.
    #[serde(default)]
    pub soft_deletion_timestamp: Option<Timestamp>,
    /// Product-only: where the user's mailbox is, `ExchangeOnline` when not set (the
    /// Meeting Migration Service works only on mailboxes in Exchange Online).
    #[serde(default)]
    pub mailbox_location: Option<String>,
    /// Product-only: the user's third-party audio-conferencing provider (ACP); not set
    /// when Microsoft provides the user's audio conferencing.
    #[serde(default)]
    pub audio_conferencing_provider: Option<String>,
    #[serde(flatten)]
    pub policies: Policies,
}

/// `MailboxLocation` of a mailbox in Exchange Online.
pub const EXCHANGE_ONLINE: &str = "ExchangeOnline";
/// `MailboxLocation` of a mailbox in Exchange on-premises.
pub const EXCHANGE_ON_PREMISES: &str = "ExchangeOnPremises";

impl UserProfile {
    /// Whether the user's mailbox is in Exchange Online (where MMS can update meetings).
    pub fn mailbox_in_exchange_online(&self) -> bool {
        self.mailbox_location
            .as_deref()
            .map_or(true, |l| l.eq_ignore_ascii_case(EXCHANGE_ONLINE))
    }
}

impl Default for UserProfile {
    fn default() -> Self {
        serde_json::from_str("{}").expect("every field has a default")
    }
}

/// What a user property holds, for `-Filter` and import files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Bool,
    Time,
    /// Multi-valued text (`FeatureTypes`): `-contains`, `-notcontains`.
    List,
    /// Multi-valued objects of one shape (`AssignedPlan`, `TelephoneNumbers`, ...): a
    /// filter compares each object's key text ([`ObjectItem::key`]).
    Objects(ObjectShape),
}

/// The shape of the objects of a [`FieldKind::Objects`] property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectShape {
    Plan,
    TelephoneNumber,
    PolicyAssignment,
}

/// One object of a multi-valued object property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ObjectItem {
    Plan(AssignedPlan),
    TelephoneNumber(TelephoneNumber),
    PolicyAssignment(EffectivePolicyAssignment),
}

impl ObjectItem {
    /// What a filter compares: a plan's capability, a number, a policy's type.
    pub fn key(&self) -> &str {
        match self {
            ObjectItem::Plan(p) => &p.capability,
            ObjectItem::TelephoneNumber(n) => &n.telephone_number,
            ObjectItem::PolicyAssignment(a) => &a.policy_type,
        }
    }

    /// The object as one line of text, as the module's `ToString` writes it into a CSV
    /// cell (`TEAMS1`, `+14255550100 (Primary)`, `TeamsMeetingPolicy: Kiosk`);
    /// [`ObjectShape::item_from_text`] reads it back.
    pub fn text(&self) -> String {
        match self {
            ObjectItem::Plan(p) => p.capability.clone(),
            ObjectItem::TelephoneNumber(n) => {
                format!("{} ({})", n.telephone_number, n.assignment_category)
            }
            ObjectItem::PolicyAssignment(a) => {
                format!("{}: {}", a.policy_type, a.policy_assignment.display_name)
            }
        }
    }
}

impl ObjectShape {
    /// The JSON fields of one object, for errors.
    fn fields(self) -> &'static str {
        match self {
            ObjectShape::Plan => "Capability, CapabilityStatus, ServicePlanId, AssignedTimestamp",
            ObjectShape::TelephoneNumber => "TelephoneNumber, AssignmentCategory",
            ObjectShape::PolicyAssignment => {
                "PolicyType, PolicyAssignment (DisplayName, AssignmentType, PolicyId, GroupId)"
            }
        }
    }

    /// One object from JSON.
    fn item_from_json(self, value: serde_json::Value) -> serde_json::Result<ObjectItem> {
        Ok(match self {
            ObjectShape::Plan => ObjectItem::Plan(serde_json::from_value(value)?),
            ObjectShape::TelephoneNumber => {
                ObjectItem::TelephoneNumber(serde_json::from_value(value)?)
            }
            ObjectShape::PolicyAssignment => {
                ObjectItem::PolicyAssignment(serde_json::from_value(value)?)
            }
        })
    }

    /// One object from its text ([`ObjectItem::text`]): a plan is enabled, with its id and
    /// assignment time unknown; a number without a category is `Primary`; a policy
    /// without `: name` is an error.
    fn item_from_text(self, text: &str) -> std::result::Result<ObjectItem, String> {
        Ok(match self {
            ObjectShape::Plan => ObjectItem::Plan(AssignedPlan {
                capability: text.to_string(),
                capability_status: "Enabled".into(),
                service_plan_id: Uuid::nil(),
                assigned_timestamp: Timestamp(0),
            }),
            ObjectShape::TelephoneNumber => {
                let (number, category) =
                    match text.strip_suffix(')').and_then(|t| t.split_once('(')) {
                        Some((number, category)) => (number.trim(), category.trim()),
                        None => (text, "Primary"),
                    };
                ObjectItem::TelephoneNumber(TelephoneNumber {
                    telephone_number: number.to_string(),
                    assignment_category: category.to_string(),
                })
            }
            ObjectShape::PolicyAssignment => {
                let (policy_type, name) = text.split_once(':').ok_or_else(|| {
                    format!(
                        "'{}' is not a policy assignment (write PolicyType: Name)",
                        crate::error::shorten(text)
                    )
                })?;
                ObjectItem::PolicyAssignment(EffectivePolicyAssignment {
                    policy_type: policy_type.trim().to_string(),
                    policy_assignment: PolicyAssignment {
                        display_name: name.trim().to_string(),
                        assignment_type: "Direct".into(),
                        policy_id: None,
                        group_id: None,
                    },
                })
            }
        })
    }

    /// Objects from an import's value: one JSON object, a JSON array of them, or texts
    /// separated by `;` (as Export-Csv writes the list).
    fn parse(self, text: &str) -> std::result::Result<Vec<ObjectItem>, String> {
        if text.starts_with('{') || text.starts_with('[') {
            let json_error = |e: serde_json::Error| {
                format!("is not a list of objects with {}: {e}", self.fields())
            };
            let values = match serde_json::from_str(text).map_err(json_error)? {
                serde_json::Value::Array(values) => values,
                one => vec![one],
            };
            return values
                .into_iter()
                .map(|v| self.item_from_json(v).map_err(json_error))
                .collect();
        }
        text.split(';')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| self.item_from_text(t))
            .collect()
    }
}

/// One user property's value.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Null,
    Text(String),
    Bool(bool),
    Time(Timestamp),
    List(Vec<String>),
    Objects(Vec<ObjectItem>),
}

impl FieldValue {
    pub fn text(value: &Option<String>) -> Self {
        value.clone().map_or(FieldValue::Null, FieldValue::Text)
    }

    pub fn time(value: Option<Timestamp>) -> Self {
        value.map_or(FieldValue::Null, FieldValue::Time)
    }

    fn plans(plans: &[AssignedPlan]) -> Self {
        FieldValue::Objects(plans.iter().cloned().map(ObjectItem::Plan).collect())
    }

    /// The value as one text (lists joined with `;`), `None` when null.
    pub fn into_text(self) -> Option<String> {
        match self {
            FieldValue::Null => None,
            FieldValue::Text(t) => Some(t),
            FieldValue::Bool(b) => Some(if b { "True" } else { "False" }.into()),
            FieldValue::Time(t) => Some(t.to_iso()),
            FieldValue::List(l) => Some(l.join(";")),
            FieldValue::Objects(items) => Some(
                items
                    .iter()
                    .map(ObjectItem::text)
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
        }
    }

    fn into_bool(self, default: bool) -> bool {
        match self {
            FieldValue::Bool(b) => b,
            _ => default,
        }
    }

    fn into_time(self) -> Option<Timestamp> {
        match self {
            FieldValue::Time(t) => Some(t),
            _ => None,
        }
    }

    fn into_list(self) -> Vec<String> {
        match self {
            FieldValue::List(l) => l,
            FieldValue::Text(t) => vec![t],
            _ => Vec::new(),
        }
    }

    fn into_objects(self) -> Vec<ObjectItem> {
        match self {
            FieldValue::Objects(items) => items,
            _ => Vec::new(),
        }
    }

    fn into_plans(self) -> Vec<AssignedPlan> {
        self.into_objects()
            .into_iter()
            .filter_map(|item| match item {
                ObjectItem::Plan(p) => Some(p),
                _ => None,
            })
            .collect()
    }

    fn into_telephone_numbers(self) -> Vec<TelephoneNumber> {
        self.into_objects()
            .into_iter()
            .filter_map(|item| match item {
                ObjectItem::TelephoneNumber(n) => Some(n),
                _ => None,
            })
            .collect()
    }
}

impl FieldKind {
    /// Parses a value of this kind from text (an import file's cell, a filter's value).
    /// Empty text is null.
    pub fn parse(self, text: &str) -> std::result::Result<FieldValue, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(FieldValue::Null);
        }
        match self {
            FieldKind::Text => Ok(FieldValue::Text(text.to_string())),
            FieldKind::Bool => match text.trim_start_matches('$').to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(FieldValue::Bool(true)),
                "false" | "0" => Ok(FieldValue::Bool(false)),
                _ => Err(format!("'{}' is not True or False", crate::error::shorten(text))),
            },
            FieldKind::Time => crate::time::Timestamp::parse_loose(text)
                .map(FieldValue::Time)
                .ok_or_else(|| format!("'{}' is not a date and time (use 2026-01-25T23:59:59Z or 1/25/2026 11:59:59 PM)", crate::error::shorten(text))),
            FieldKind::List => {
                if text.starts_with('[') {
                    return serde_json::from_str::<Vec<String>>(text)
                        .map(FieldValue::List)
                        .map_err(|_| format!("'{}' is not a list of names", crate::error::shorten(text)));
                }
                Ok(FieldValue::List(
                    text.split([';', ','])
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(String::from)
                        .collect(),
                ))
            }
            FieldKind::Objects(shape) => shape.parse(text).map(FieldValue::Objects),
        }
    }

    /// Whether the property holds several values (a filter's `-eq` is then `-contains`).
    pub fn is_multi_valued(self) -> bool {
        matches!(self, FieldKind::List | FieldKind::Objects(_))
    }
}

/// Declares [`UserField`]: one line per property of a user: its name, kind, whether an
/// import file may set it, how to read it and (for the properties of [`UserProfile`]) how
/// to set it.
macro_rules! user_fields {
    ($($(#[$doc:meta])* $name:ident: $kind:ident $(($shape:ident))?, $importable:literal => $get:expr $(, set $set:expr)?;)*) => {
        /// A user's properties by the names Microsoft's `Get-CsOnlineUser` gives them: the one
        /// table behind import files' columns (JSON and CSV), `-Filter`'s and `-Properties`'
        /// names and `-Sort`. A new property of [`User`] is one line here.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum UserField { $($(#[$doc])* $name,)* }

        impl UserField {
            pub const ALL: &'static [UserField] = &[$(UserField::$name,)*];

            pub fn name(self) -> &'static str {
                match self { $(UserField::$name => stringify!($name),)* }
            }

            pub fn kind(self) -> FieldKind {
                match self { $(UserField::$name => FieldKind::$kind $((ObjectShape::$shape))?,)* }
            }

            /// Whether an import file may set it (the others are derived).
            pub fn importable(self) -> bool {
                match self { $(UserField::$name => $importable,)* }
            }

            /// The field's value on `user`.
            pub fn get(self, user: &User) -> FieldValue {
                let value: fn(&User) -> FieldValue = match self { $(UserField::$name => $get,)* };
                value(user)
            }

            /// Sets a property of [`UserProfile`]; `false` for the lookup keys, which
            /// validation sets (see `NewUser::from_fields`).
            #[allow(unreachable_code)]
            pub fn set_profile(self, profile: &mut UserProfile, value: FieldValue) -> bool {
                match self {
                    $(UserField::$name => {
                        $(let set: fn(&mut UserProfile, FieldValue) = $set; set(profile, value); return true;)?
                        false
                    })*
                }
            }
        }
    };
}

user_fields! {
    /// The object id.
    Identity: Text, true => |u| FieldValue::Text(u.identity.to_string());
    UserPrincipalName: Text, true => |u| FieldValue::Text(u.user_principal_name.clone());
    SipAddress: Text, true => |u| FieldValue::text(&u.sip_address);
    DisplayName: Text, true => |u| FieldValue::Text(u.display_name.clone());
    SamAccountName: Text, true => |u| FieldValue::text(&u.sam_account_name);
    /// `NETBIOS\logon`, from the UPN's domain and the SamAccountName.
    WindowsDomainLogon: Text, false => |u| FieldValue::text(&u.windows_domain_logon);
    DistinguishedName: Text, true => |u| FieldValue::text(&u.distinguished_name);
    TeamsUpgradeEffectiveMode: Text, true => |u| FieldValue::Text(u.teams_upgrade_effective_mode.clone());
    AudioConferencingTollNumber: Text, true => |u| FieldValue::text(&u.audio_conferencing_toll_number);
    AudioConferencingTollFreeNumber: Text, true => |u| FieldValue::text(&u.audio_conferencing_toll_free_number);
    /// The tenant the user belongs to (set by the store).
    TenantId: Text, false => |u| FieldValue::Text(u.tenant_id.to_string());
    /// One of [`ACCOUNT_TYPES`].
    AccountType: Text, true => |u| FieldValue::Text(u.profile.account_type.clone()), set |p, v| p.account_type = v.into_text().unwrap_or_else(user_account);
    AccountEnabled: Bool, true => |u| FieldValue::Bool(u.profile.account_enabled), set |p, v| p.account_enabled = v.into_bool(true);
    IsSipEnabled: Bool, true => |u| FieldValue::Bool(u.profile.is_sip_enabled), set |p, v| p.is_sip_enabled = v.into_bool(true);
    Enabled: Bool, true => |u| FieldValue::Bool(u.profile.enabled), set |p, v| p.enabled = v.into_bool(true);
    EnterpriseVoiceEnabled: Bool, true => |u| FieldValue::Bool(u.profile.enterprise_voice_enabled), set |p, v| p.enterprise_voice_enabled = v.into_bool(false);
    HideFromAddressLists: Bool, true => |u| FieldValue::Bool(u.profile.hide_from_address_lists), set |p, v| p.hide_from_address_lists = v.into_bool(false);
    TeamsUpgradeNotificationsEnabled: Bool, true => |u| FieldValue::Bool(u.profile.teams_upgrade_notifications_enabled), set |p, v| p.teams_upgrade_notifications_enabled = v.into_bool(false);
    DirSyncEnabled: Bool, true => |u| FieldValue::Bool(u.profile.dir_sync_enabled), set |p, v| p.dir_sync_enabled = v.into_bool(false);
    /// Multi-valued: `Teams`, `AudioConferencing`, `PhoneSystem`, ...
    FeatureTypes: List, true => |u| FieldValue::List(u.profile.feature_types.clone()), set |p, v| p.feature_types = v.into_list();
    /// Multi-valued objects; a filter compares their capability names.
    AssignedPlan: Objects(Plan), true => |u| FieldValue::plans(&u.profile.assigned_plan), set |p, v| p.assigned_plan = v.into_plans();
    ProvisionedPlan: Objects(Plan), true => |u| FieldValue::plans(&u.profile.provisioned_plan), set |p, v| p.provisioned_plan = v.into_plans();
    /// Multi-valued objects: each number with its AssignmentCategory; a filter compares the numbers.
    TelephoneNumbers: Objects(TelephoneNumber), true => |u| FieldValue::Objects(u.profile.telephone_numbers.iter().cloned().map(ObjectItem::TelephoneNumber).collect()), set |p, v| p.telephone_numbers = v.into_telephone_numbers();
    /// Multi-valued objects derived from the policy properties (so not imported); a filter compares the policy types.
    EffectivePolicyAssignments: Objects(PolicyAssignment), false => |u| FieldValue::Objects(u.profile.policies.effective_assignments().into_iter().map(ObjectItem::PolicyAssignment).collect());
    WhenCreated: Time, true => |u| FieldValue::time(u.profile.when_created), set |p, v| p.when_created = v.into_time();
    WhenChanged: Time, true => |u| FieldValue::time(u.profile.when_changed), set |p, v| p.when_changed = v.into_time();
    SoftDeletionTimestamp: Time, true => |u| FieldValue::time(u.profile.soft_deletion_timestamp), set |p, v| p.soft_deletion_timestamp = v.into_time();
    Alias: Text, true => |u| FieldValue::text(&u.profile.alias), set |p, v| p.alias = v.into_text();
    FirstName: Text, true => |u| FieldValue::text(&u.profile.first_name), set |p, v| p.first_name = v.into_text();
    LastName: Text, true => |u| FieldValue::text(&u.profile.last_name), set |p, v| p.last_name = v.into_text();
    City: Text, true => |u| FieldValue::text(&u.profile.city), set |p, v| p.city = v.into_text();
    State: Text, true => |u| FieldValue::text(&u.profile.state), set |p, v| p.state = v.into_text();
    Country: Text, true => |u| FieldValue::text(&u.profile.country), set |p, v| p.country = v.into_text();
    Department: Text, true => |u| FieldValue::text(&u.profile.department), set |p, v| p.department = v.into_text();
    Title: Text, true => |u| FieldValue::text(&u.profile.title), set |p, v| p.title = v.into_text();
    Company: Text, true => |u| FieldValue::text(&u.profile.company), set |p, v| p.company = v.into_text();
    UsageLocation: Text, true => |u| FieldValue::text(&u.profile.usage_location), set |p, v| p.usage_location = v.into_text();
    HostingProvider: Text, true => |u| FieldValue::text(&u.profile.hosting_provider), set |p, v| p.hosting_provider = v.into_text();
    OnPremHostingProvider: Text, true => |u| FieldValue::text(&u.profile.on_prem_hosting_provider), set |p, v| p.on_prem_hosting_provider = v.into_text();
    OnPremLineURI: Text, true => |u| FieldValue::text(&u.profile.on_prem_line_uri), set |p, v| p.on_prem_line_uri = v.into_text();
    LineURI: Text, true => |u| FieldValue::text(&u.profile.line_uri), set |p, v| p.line_uri = v.into_text();
    OnPremSipAddress: Text, true => |u| FieldValue::text(&u.profile.on_prem_sip_address), set |p, v| p.on_prem_sip_address = v.into_text();
    WindowsEmailAddress: Text, true => |u| FieldValue::text(&u.profile.windows_email_address), set |p, v| p.windows_email_address = v.into_text();
    InterpretedUserType: Text, true => |u| FieldValue::text(&u.profile.interpreted_user_type), set |p, v| p.interpreted_user_type = v.into_text();
    TeamsUpgradePolicyIsReadOnly: Text, true => |u| FieldValue::text(&u.profile.teams_upgrade_policy_is_read_only), set |p, v| p.teams_upgrade_policy_is_read_only = v.into_text();
    PreferredDataLocation: Text, true => |u| FieldValue::text(&u.profile.preferred_data_location), set |p, v| p.preferred_data_location = v.into_text();
    CountryAbbreviation: Text, true => |u| FieldValue::text(&u.profile.country_abbreviation), set |p, v| p.country_abbreviation = v.into_text();
    PhoneNumber: Text, true => |u| FieldValue::text(&u.profile.phone_number), set |p, v| p.phone_number = v.into_text();
    /// Product-only: `ExchangeOnline` (when not set) or `ExchangeOnPremises`.
    MailboxLocation: Text, true => |u| FieldValue::text(&u.profile.mailbox_location), set |p, v| p.mailbox_location = v.into_text();
    /// Product-only: a third-party audio-conferencing provider, if the user has one.
    AudioConferencingProvider: Text, true => |u| FieldValue::text(&u.profile.audio_conferencing_provider), set |p, v| p.audio_conferencing_provider = v.into_text();
    OptionFlags: Text, true => |u| FieldValue::text(&u.profile.option_flags), set |p, v| p.option_flags = v.into_text();
    DialPlan: Text, true => |u| FieldValue::text(&u.profile.dial_plan), set |p, v| p.dial_plan = v.into_text();
    LocationPolicy: Text, true => |u| FieldValue::text(&u.profile.location_policy), set |p, v| p.location_policy = v.into_text();
    /// FirstName under the name Microsoft's module 3.0.0 and later gives it (derived).
    GivenName: Text, false => |u| FieldValue::text(&u.profile.first_name);
    /// DirSyncEnabled under the name Microsoft's module 3.0.0 and later gives it (derived).
    UserDirSyncEnabled: Bool, false => |u| FieldValue::Bool(u.profile.dir_sync_enabled);
    /// Multi-valued: why the directory could not provision the user, when it could not.
    UserValidationErrors: List, true => |u| FieldValue::List(u.profile.user_validation_errors.clone()), set |p, v| p.user_validation_errors = v.into_list();
    ProxyAddresses: List, true => |u| FieldValue::List(u.profile.proxy_addresses.clone()), set |p, v| p.proxy_addresses = v.into_list();
    ShadowProxyAddresses: List, true => |u| FieldValue::List(u.profile.shadow_proxy_addresses.clone()), set |p, v| p.shadow_proxy_addresses = v.into_list();
    TeamsUpgradePolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsUpgradePolicy")), set |p, v| p.policies.set("TeamsUpgradePolicy", v.into_text());
    ArchivingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("ArchivingPolicy")), set |p, v| p.policies.set("ArchivingPolicy", v.into_text());
    CallingLineIdentity: Text, true => |u| FieldValue::text(&u.profile.policies.get("CallingLineIdentity")), set |p, v| p.policies.set("CallingLineIdentity", v.into_text());
    ExternalAccessPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("ExternalAccessPolicy")), set |p, v| p.policies.set("ExternalAccessPolicy", v.into_text());
    OnlineAudioConferencingRoutingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("OnlineAudioConferencingRoutingPolicy")), set |p, v| p.policies.set("OnlineAudioConferencingRoutingPolicy", v.into_text());
    OnlineVoicemailPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("OnlineVoicemailPolicy")), set |p, v| p.policies.set("OnlineVoicemailPolicy", v.into_text());
    OnlineVoiceRoutingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("OnlineVoiceRoutingPolicy")), set |p, v| p.policies.set("OnlineVoiceRoutingPolicy", v.into_text());
    TenantDialPlan: Text, true => |u| FieldValue::text(&u.profile.policies.get("TenantDialPlan")), set |p, v| p.policies.set("TenantDialPlan", v.into_text());
    TeamsAIPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsAIPolicy")), set |p, v| p.policies.set("TeamsAIPolicy", v.into_text());
    TeamsAppPermissionPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsAppPermissionPolicy")), set |p, v| p.policies.set("TeamsAppPermissionPolicy", v.into_text());
    TeamsAppSetupPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsAppSetupPolicy")), set |p, v| p.policies.set("TeamsAppSetupPolicy", v.into_text());
    TeamsAudioConferencingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsAudioConferencingPolicy")), set |p, v| p.policies.set("TeamsAudioConferencingPolicy", v.into_text());
    TeamsBYODAndDesksPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsBYODAndDesksPolicy")), set |p, v| p.policies.set("TeamsBYODAndDesksPolicy", v.into_text());
    TeamsCallHoldPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsCallHoldPolicy")), set |p, v| p.policies.set("TeamsCallHoldPolicy", v.into_text());
    TeamsCallingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsCallingPolicy")), set |p, v| p.policies.set("TeamsCallingPolicy", v.into_text());
    TeamsCallParkPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsCallParkPolicy")), set |p, v| p.policies.set("TeamsCallParkPolicy", v.into_text());
    TeamsChannelsPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsChannelsPolicy")), set |p, v| p.policies.set("TeamsChannelsPolicy", v.into_text());
    TeamsComplianceRecordingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsComplianceRecordingPolicy")), set |p, v| p.policies.set("TeamsComplianceRecordingPolicy", v.into_text());
    TeamsEmergencyCallingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsEmergencyCallingPolicy")), set |p, v| p.policies.set("TeamsEmergencyCallingPolicy", v.into_text());
    TeamsEmergencyCallRoutingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsEmergencyCallRoutingPolicy")), set |p, v| p.policies.set("TeamsEmergencyCallRoutingPolicy", v.into_text());
    TeamsEnhancedEncryptionPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsEnhancedEncryptionPolicy")), set |p, v| p.policies.set("TeamsEnhancedEncryptionPolicy", v.into_text());
    TeamsEventsPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsEventsPolicy")), set |p, v| p.policies.set("TeamsEventsPolicy", v.into_text());
    TeamsFeedbackPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsFeedbackPolicy")), set |p, v| p.policies.set("TeamsFeedbackPolicy", v.into_text());
    TeamsFilesPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsFilesPolicy")), set |p, v| p.policies.set("TeamsFilesPolicy", v.into_text());
    TeamsIPPhonePolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsIPPhonePolicy")), set |p, v| p.policies.set("TeamsIPPhonePolicy", v.into_text());
    TeamsMediaConnectivityPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsMediaConnectivityPolicy")), set |p, v| p.policies.set("TeamsMediaConnectivityPolicy", v.into_text());
    TeamsMediaLoggingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsMediaLoggingPolicy")), set |p, v| p.policies.set("TeamsMediaLoggingPolicy", v.into_text());
    TeamsMeetingBroadcastPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsMeetingBroadcastPolicy")), set |p, v| p.policies.set("TeamsMeetingBroadcastPolicy", v.into_text());
    TeamsMeetingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsMeetingPolicy")), set |p, v| p.policies.set("TeamsMeetingPolicy", v.into_text());
    TeamsMeetingTemplatePermissionPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsMeetingTemplatePermissionPolicy")), set |p, v| p.policies.set("TeamsMeetingTemplatePermissionPolicy", v.into_text());
    TeamsMessagingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsMessagingPolicy")), set |p, v| p.policies.set("TeamsMessagingPolicy", v.into_text());
    TeamsMobilityPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsMobilityPolicy")), set |p, v| p.policies.set("TeamsMobilityPolicy", v.into_text());
    TeamsRoomVideoTeleConferencingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsRoomVideoTeleConferencingPolicy")), set |p, v| p.policies.set("TeamsRoomVideoTeleConferencingPolicy", v.into_text());
    TeamsSharedCallingRoutingPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsSharedCallingRoutingPolicy")), set |p, v| p.policies.set("TeamsSharedCallingRoutingPolicy", v.into_text());
    TeamsShiftsPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsShiftsPolicy")), set |p, v| p.policies.set("TeamsShiftsPolicy", v.into_text());
    TeamsSurvivableBranchAppliancePolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsSurvivableBranchAppliancePolicy")), set |p, v| p.policies.set("TeamsSurvivableBranchAppliancePolicy", v.into_text());
    TeamsUpdateManagementPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsUpdateManagementPolicy")), set |p, v| p.policies.set("TeamsUpdateManagementPolicy", v.into_text());
    TeamsVdiPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsVdiPolicy")), set |p, v| p.policies.set("TeamsVdiPolicy", v.into_text());
    TeamsVideoInteropServicePolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsVideoInteropServicePolicy")), set |p, v| p.policies.set("TeamsVideoInteropServicePolicy", v.into_text());
    TeamsVirtualAppointmentsPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsVirtualAppointmentsPolicy")), set |p, v| p.policies.set("TeamsVirtualAppointmentsPolicy", v.into_text());
    TeamsWorkLoadPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsWorkLoadPolicy")), set |p, v| p.policies.set("TeamsWorkLoadPolicy", v.into_text());
    TeamsWorkLocationDetectionPolicy: Text, true => |u| FieldValue::text(&u.profile.policies.get("TeamsWorkLocationDetectionPolicy")), set |p, v| p.policies.set("TeamsWorkLocationDetectionPolicy", v.into_text());
}

impl UserField {
    /// The field named `name`, case-insensitively (`AssignedPlans`, as Microsoft's filter
    /// examples write it, is `AssignedPlan`).
    pub fn parse(name: &str) -> Option<Self> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("AssignedPlans") {
            return Some(UserField::AssignedPlan);
        }
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// Up to five property names close to `name` (a typo, a missing word), closest first.
    pub fn close_matches(name: &str) -> Vec<&'static str> {
        let wanted = name.trim().to_ascii_lowercase();
        let mut scored: Vec<(usize, &'static str)> = Self::ALL
            .iter()
            .map(|f| f.name())
            .filter_map(|candidate| {
                let lower = candidate.to_ascii_lowercase();
                let distance = edit_distance(&wanted, &lower);
                let related =
                    wanted.len() >= 3 && (lower.contains(&wanted) || wanted.contains(&lower));
                (distance <= 1 + wanted.len() / 3 || related)
                    .then_some((if related { 0 } else { distance }, candidate))
            })
            .collect();
        scored.sort();
        scored.into_iter().take(5).map(|(_, n)| n).collect()
    }

    /// The fields an import file may set.
    pub fn importable_names() -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|f| f.importable())
            .map(|f| f.name())
            .collect()
    }
}

/// Levenshtein distance over characters (short names only: property names).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(current)
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// A meeting in a user's calendar, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MeetingRow {
    #[serde(skip)]
    pub key: i64,
    pub meeting_id: Uuid,
    pub tenant_id: Uuid,
    /// The organiser's UPN.
    pub organizer: String,
    pub subject: String,
    pub start_time: Timestamp,
    pub end_time: Timestamp,
    /// The end of a recurring series' last occurrence.
    pub recurrence_end: Option<Timestamp>,
    pub meeting_type: MeetingType,
    pub attendee_count: i64,
    pub attendees: Vec<String>,
    /// The invitation text, with its online-meeting block.
    pub body: String,
}

impl MeetingRow {
    /// When the meeting's last occurrence ends (a series counts while one is to come).
    pub fn last_end(&self) -> Timestamp {
        last_end(self.end_time, self.recurrence_end)
    }
}

/// A meeting's place in the calendar without its invitation text and attendees: what the
/// scope rule of a request reads, so a preview or a scope does not load every body.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingSchedule {
    pub key: i64,
    pub meeting_id: Uuid,
    pub subject: String,
    pub start_time: Timestamp,
    pub end_time: Timestamp,
    pub recurrence_end: Option<Timestamp>,
    pub meeting_type: MeetingType,
}

impl MeetingSchedule {
    /// When the meeting's last occurrence ends (a series counts while one is to come).
    pub fn last_end(&self) -> Timestamp {
        last_end(self.end_time, self.recurrence_end)
    }
}

fn last_end(end_time: Timestamp, recurrence_end: Option<Timestamp>) -> Timestamp {
    recurrence_end.map_or(end_time, |r| r.max(end_time))
}

/// A meeting as `Get-MmsMeeting` shows it: the stored row and what its online-meeting
/// block says.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Meeting {
    #[serde(flatten)]
    pub row: MeetingRow,
    pub join_url: Option<String>,
    pub conference_id: Option<String>,
    pub online_meeting_block: Option<String>,
}

/// The tenant's `MigrationConfiguration` (`Get-CsTenantMigrationConfiguration`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MigrationConfiguration {
    pub identity: &'static str,
    pub tenant_id: Uuid,
    pub meeting_migration_enabled: bool,
    /// Minutes a request waits before the worker takes it (real MMS holds ≥ 90).
    pub hold_minutes: i64,
    /// How many times faster than real time the tenant's hold, back-off and retry window
    /// run (1 = real time; product-only, for rehearsals).
    pub time_scale: i64,
    /// Shown by `Get-MmsFaultInjection`, not by this record.
    #[serde(skip)]
    pub fault_injection: FaultInjection,
}

impl MigrationConfiguration {
    /// These settings as `current`'s tenant's (its id and `Identity`).
    pub fn for_tenant(&self, current: &Self) -> Self {
        Self {
            identity: current.identity,
            tenant_id: current.tenant_id,
            ..self.clone()
        }
    }
}

/// Changes for `set_migration_configuration`; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct MigrationConfigurationChanges {
    pub meeting_migration_enabled: Option<bool>,
    pub hold_minutes: Option<i64>,
    pub time_scale: Option<i64>,
}

/// The dial-in conferencing settings that matter to migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DialInSettings {
    pub identity: &'static str,
    pub tenant_id: Uuid,
    pub automatically_migrate_user_meetings: bool,
    pub automatically_replace_acp_provider: bool,
    pub automatically_send_emails_to_users: bool,
    pub pin_length: i64,
    pub default_toll_number: Option<String>,
    pub default_toll_free_number: Option<String>,
    /// The other settings Microsoft's cmdlet documents (stored as one record).
    #[serde(flatten)]
    pub options: DialInOptions,
}

impl DialInSettings {
    /// These settings as `current`'s tenant's (its id and `Identity`).
    pub fn for_tenant(&self, current: &Self) -> Self {
        Self {
            identity: current.identity,
            tenant_id: current.tenant_id,
            ..self.clone()
        }
    }
}

/// `AllowFederatedUsersToDialOutToSelf` and `...ToThirdParty` values.
pub const DIAL_OUT_PERMISSIONS: &[&str] = &["No", "Yes", "RequireSameEnterpriseUser"];
/// `EntryExitAnnouncementsType` values.
pub const ENTRY_EXIT_ANNOUNCEMENT_TYPES: &[&str] = &["UseNames", "ToneOnly"];
/// `MaskPstnNumbersType` values.
pub const MASK_PSTN_NUMBERS_TYPES: &[&str] =
    &["MaskedForExternalUsers", "MaskedForAllUsers", "NoMasking"];

fn no() -> bool {
    false
}

/// The dial-in settings besides those migration always read, with Microsoft's defaults.
/// Those the documentation calls internal or not applicable to Teams are kept and shown
/// all the same; `IncludeTollFreeNumberInMeetingInvites` and `AutomaticallySendEmailsToUsers`
/// change what the worker writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DialInOptions {
    #[serde(default)]
    pub allowed_dial_out_external_domains: Vec<String>,
    #[serde(default = "require_same_enterprise_user")]
    pub allow_federated_users_to_dial_out_to_self: String,
    #[serde(default = "require_same_enterprise_user")]
    pub allow_federated_users_to_dial_out_to_third_party: String,
    #[serde(default = "no", rename = "AllowPSTNOnlyMeetingsByDefault")]
    pub allow_pstn_only_meetings_by_default: bool,
    #[serde(default = "no")]
    pub enable_dial_out_join_confirmation: bool,
    #[serde(default = "yes")]
    pub enable_entry_exit_notifications: bool,
    #[serde(default = "yes")]
    pub enable_name_recording: bool,
    #[serde(default = "use_names")]
    pub entry_exit_announcements_type: String,
    /// Whether rewritten invitations carry the toll-free number.
    #[serde(default = "yes")]
    pub include_toll_free_number_in_meeting_invites: bool,
    #[serde(default = "masked_for_external_users")]
    pub mask_pstn_numbers_type: String,
    #[serde(default = "no")]
    pub migrate_service_numbers_on_cross_forest_move: bool,
    #[serde(default)]
    pub send_email_from_address: Option<String>,
    #[serde(default)]
    pub send_email_from_display_name: Option<String>,
    #[serde(default = "no")]
    pub send_email_from_override: bool,
    #[serde(default = "yes")]
    pub use_unique_conference_ids: bool,
}

fn require_same_enterprise_user() -> String {
    "RequireSameEnterpriseUser".into()
}

fn use_names() -> String {
    "UseNames".into()
}

fn masked_for_external_users() -> String {
    "MaskedForExternalUsers".into()
}

impl Default for DialInOptions {
    fn default() -> Self {
        serde_json::from_str("{}").expect("every field has a default")
    }
}

/// Changes for `set_dial_in_settings`; absent fields stay as they are. A number set to
/// the empty string is cleared.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DialInSettingsChanges {
    pub automatically_migrate_user_meetings: Option<bool>,
    pub automatically_replace_acp_provider: Option<bool>,
    pub automatically_send_emails_to_users: Option<bool>,
    pub pin_length: Option<i64>,
    pub default_toll_number: Option<String>,
    pub default_toll_free_number: Option<String>,
    pub allowed_dial_out_external_domains: Option<Vec<String>>,
    pub allow_federated_users_to_dial_out_to_self: Option<String>,
    pub allow_federated_users_to_dial_out_to_third_party: Option<String>,
    #[serde(rename = "AllowPSTNOnlyMeetingsByDefault")]
    pub allow_pstn_only_meetings_by_default: Option<bool>,
    pub enable_dial_out_join_confirmation: Option<bool>,
    pub enable_entry_exit_notifications: Option<bool>,
    pub enable_name_recording: Option<bool>,
    pub entry_exit_announcements_type: Option<String>,
    pub include_toll_free_number_in_meeting_invites: Option<bool>,
    pub mask_pstn_numbers_type: Option<String>,
    pub migrate_service_numbers_on_cross_forest_move: Option<bool>,
    /// An empty address clears it.
    pub send_email_from_address: Option<String>,
    /// An empty name clears it.
    pub send_email_from_display_name: Option<String>,
    pub send_email_from_override: Option<bool>,
    pub use_unique_conference_ids: Option<bool>,
}

/// A migration request's status record, with the real service's field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MigrationStatus {
    #[serde(skip)]
    pub key: i64,
    pub correlation_id: Uuid,
    /// The user's object id.
    pub user_id: Uuid,
    pub user_principal_name: String,
    pub tenant_id: Uuid,
    pub migration_type: MigrationType,
    pub source_meeting_type: SourceMeetingType,
    pub target_meeting_type: TargetMeetingType,
    pub state: RequestState,
    pub retry_count: i64,
    pub total_meeting: i64,
    pub succeeded_meeting: i64,
    pub failed_meeting: i64,
    pub invites_update: i64,
    pub last_message: Option<String>,
    pub create_date: Timestamp,
    pub modified_date: Timestamp,
    /// What started the request (not a property of Microsoft's record).
    pub triggered_by: TriggeredBy,
}

/// One meeting's outcome within a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MeetingOutcome {
    pub meeting_id: Uuid,
    pub subject: String,
    pub outcome: MeetingOutcomeState,
    pub message: Option<String>,
    pub invites_update: i64,
}

/// A status record with what the real service does not show: the queue position of a
/// pending request and the per-meeting outcomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MigrationDetail {
    #[serde(flatten)]
    pub status: MigrationStatus,
    /// 1 = the next request the worker takes; `None` unless Pending.
    pub queue_position: Option<i64>,
    pub meetings: Vec<MeetingOutcome>,
}

/// A status record with the queue position of a pending request: what a job following
/// its request needs on every poll, without the per-meeting outcomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueuedStatus {
    #[serde(flatten)]
    pub status: MigrationStatus,
    /// 1 = the next request the worker takes; `None` unless Pending.
    pub queue_position: Option<i64>,
}

/// One row of `Get-CsMeetingMigrationStatus -SummaryOnly`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StateSummary {
    pub state: RequestState,
    /// Distinct users with a request in this state.
    pub user_count: i64,
}

// Directory data on its way into the store: validated users and meetings of one import.

/// The canonical lookup keys of a user (see [`crate::identity`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserKeys {
    pub upn: String,
    pub sip: Option<String>,
    pub logon: Option<String>,
    pub display_name: String,
    pub dn: Option<String>,
}

/// A validated user ready to store: the record as it will read back (its `key` and
/// `tenant_id` are the store's to set) and its canonical lookup keys.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Where the record came from, for errors (`Users[3]`, `line 7`).
    pub source: String,
    pub user: User,
    pub keys: UserKeys,
}

/// A validated meeting ready to store.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub source: String,
    pub meeting_id: Uuid,
    /// The organiser's canonical UPN.
    pub organizer_key: String,
    pub subject: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub recurrence_end: Option<Timestamp>,
    pub meeting_type: MeetingType,
    pub attendees: Vec<String>,
    pub body: String,
}

/// Users and meetings to add to a tenant in one transaction, and the settings that
/// replace the tenant's in it (an export read back).
#[derive(Debug, Clone, Default)]
pub struct DirectoryData {
    pub users: Vec<NewUser>,
    pub meetings: Vec<NewMeeting>,
    pub settings: Option<TenantSettings>,
}

/// A tenant's settings as they will read back: what `Export-MmsTenantData` writes and an
/// import puts in place (the tenant's id and `Identity` stay the target tenant's).
#[derive(Debug, Clone, PartialEq)]
pub struct TenantSettings {
    pub migration: MigrationConfiguration,
    pub dial_in: DialInSettings,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExportSummary {
    /// The file written.
    pub path: String,
    pub users: usize,
    pub meetings: usize,
    /// Its size in bytes.
    pub bytes: u64,
}

/// What an import added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportSummary {
    pub users: usize,
    pub meetings: usize,
}

// The store file itself.

/// A full check of the store (`Test-MmsStore`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StoreCheck {
    /// The store's location.
    pub path: String,
    pub healthy: bool,
    /// What is wrong, one line each (at most [`StoreCheck::MAX_PROBLEMS`]); empty when healthy.
    pub problems: Vec<String>,
}

impl StoreCheck {
    /// Problems a check lists before it stops looking: a badly damaged file has thousands.
    pub const MAX_PROBLEMS: usize = 100;
}

/// A copy of the store made by `Backup-MmsStore`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StoreBackup {
    /// Where the copy is.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
}

// The queue's input and answer.

/// A request to queue, already validated and resolved.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub tenant: i64,
    pub tenant_id: Uuid,
    pub user: User,
    pub source: SourceMeetingType,
    pub target: TargetMeetingType,
    pub migration_type: MigrationType,
    /// Earliest time the worker may take it (creation + the tenant's hold time).
    pub not_before: Timestamp,
    pub triggered_by: TriggeredBy,
}

impl NewRequest {
    /// Its status record once a store has queued it as row `key` at `now`: Pending, nothing
    /// counted yet.
    pub fn queued_status(&self, key: i64, correlation_id: Uuid, now: Timestamp) -> MigrationStatus {
        MigrationStatus {
            key,
            correlation_id,
            user_id: self.user.identity,
            user_principal_name: self.user.user_principal_name.clone(),
            tenant_id: self.tenant_id,
            migration_type: self.migration_type,
            source_meeting_type: self.source,
            target_meeting_type: self.target,
            state: RequestState::Pending,
            retry_count: 0,
            total_meeting: 0,
            succeeded_meeting: 0,
            failed_meeting: 0,
            invites_update: 0,
            last_message: None,
            create_date: now,
            modified_date: now,
            triggered_by: self.triggered_by,
        }
    }
}

/// The result of queueing one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Started {
    pub status: MigrationStatus,
    /// True when the user already had an open request, which is returned instead.
    pub existing: bool,
}
