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

/// Declares [`UserField`]: one line per field of a user.
macro_rules! user_fields {
    ($($(#[$doc:meta])* $name:ident => $get:expr, $importable:literal;)*) => {
        /// A user's fields by the names Microsoft's `Get-CsOnlineUser` gives them: the one
        /// table behind import files' columns (JSON and CSV) and `-Filter`'s properties. A new
        /// property of [`User`] is one line here.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum UserField { $($(#[$doc])* $name,)* }

        impl UserField {
            pub const ALL: &'static [UserField] = &[$(UserField::$name,)*];

            pub fn name(self) -> &'static str {
                match self { $(UserField::$name => stringify!($name),)* }
            }

            /// Whether an import file may set it (the others are derived).
            pub fn importable(self) -> bool {
                match self { $(UserField::$name => $importable,)* }
            }

            /// The field's value on `user` as text (`None` when it has none).
            pub fn value(self, user: &User) -> Option<String> {
                let value: fn(&User) -> Option<String> = match self { $(UserField::$name => $get,)* };
                value(user)
            }
        }
    };
}

user_fields! {
    /// The object id.
    Identity => |u| Some(u.identity.to_string()), true;
    UserPrincipalName => |u| Some(u.user_principal_name.clone()), true;
    SipAddress => |u| u.sip_address.clone(), true;
    DisplayName => |u| Some(u.display_name.clone()), true;
    SamAccountName => |u| u.sam_account_name.clone(), true;
    /// `NETBIOS\logon`, from the UPN's domain and the SamAccountName.
    WindowsDomainLogon => |u| u.windows_domain_logon.clone(), false;
    DistinguishedName => |u| u.distinguished_name.clone(), true;
    TeamsUpgradeEffectiveMode => |u| Some(u.teams_upgrade_effective_mode.clone()), true;
    AudioConferencingTollNumber => |u| u.audio_conferencing_toll_number.clone(), true;
    AudioConferencingTollFreeNumber => |u| u.audio_conferencing_toll_free_number.clone(), true;
}

impl UserField {
    /// The field named `name`, case-insensitively.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
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
        self.recurrence_end
            .map_or(self.end_time, |r| r.max(self.end_time))
    }
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

/// Users and meetings to add to a tenant in one transaction.
#[derive(Debug, Clone, Default)]
pub struct DirectoryData {
    pub users: Vec<NewUser>,
    pub meetings: Vec<NewMeeting>,
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
}

/// The result of queueing one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Started {
    pub status: MigrationStatus,
    /// True when the user already had an open request, which is returned instead.
    pub existing: bool,
}
