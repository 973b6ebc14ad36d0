//! The records of the service. Their JSON (PascalCase) is what crosses the C ABI and what
//! the PowerShell module turns into objects, so field names follow Microsoft's cmdlets.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, ErrorCode, Result};
use crate::time::Timestamp;

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
    /// The migration type recorded on a request (DESIGN.md §2.1).
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
    /// A meeting's outcome within one request.
    MeetingOutcomeState { Pending = "Pending", Succeeded = "Succeeded", Failed = "Failed" } what "meeting outcome"
}

impl SourceMeetingType {
    pub fn includes(self, meeting: MeetingType) -> bool {
        match self {
            SourceMeetingType::All => true,
            SourceMeetingType::SfB => meeting != MeetingType::Teams,
            SourceMeetingType::Teams => meeting == MeetingType::Teams,
        }
    }
}

impl MigrationType {
    /// The table of DESIGN.md §2.1.
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
}

impl Tenant {
    /// `Get-CsTenantMigrationConfiguration`'s record, from the tenant's row.
    pub fn migration_configuration(&self) -> MigrationConfiguration {
        MigrationConfiguration {
            identity: "Global",
            tenant_id: self.tenant_id,
            meeting_migration_enabled: self.meeting_migration_enabled,
            hold_minutes: self.hold_minutes,
        }
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
}

/// A meeting in a user's calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Meeting {
    #[serde(skip)]
    pub key: i64,
    pub meeting_id: Uuid,
    pub tenant_id: Uuid,
    /// The organiser's UPN.
    pub organizer: String,
    pub subject: String,
    pub start_time: Timestamp,
    pub end_time: Timestamp,
    pub recurrence_end: Option<Timestamp>,
    pub meeting_type: MeetingType,
    pub attendee_count: i64,
    pub attendees: Vec<String>,
    pub join_url: Option<String>,
    pub conference_id: Option<String>,
    pub online_meeting_block: Option<String>,
    pub body: String,
}

/// The tenant's `MigrationConfiguration` (`Get-CsTenantMigrationConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MigrationConfiguration {
    pub identity: &'static str,
    pub tenant_id: Uuid,
    pub meeting_migration_enabled: bool,
    /// Minutes a request waits before the worker takes it (real MMS holds ≥ 90).
    pub hold_minutes: i64,
}

/// Changes for `set_migration_configuration`; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct MigrationConfigurationChanges {
    pub meeting_migration_enabled: Option<bool>,
    pub hold_minutes: Option<i64>,
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
