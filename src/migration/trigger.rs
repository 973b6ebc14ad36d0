//! Changes to a user that the Meeting Migration Service reacts to on its own: a move from
//! on-premises, a Teams upgrade policy, the Audio Conferencing licence. Each change is
//! written, then (when the tenant's switches allow it) queues a request that records what
//! started it; a user with an open request gets that request back, as with a second start.
//! Facts that only make a migration fail or succeed (the mailbox's location, a third-party
//! audio-conferencing provider) change without a trigger.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::request::{self, StartRequest};
use crate::directory;
use crate::directory::dial_in::{
    check_bridge, has_audio_conferencing, same_number, uses_microsoft_audio_conferencing,
    AUDIO_CONFERENCING_PLAN,
};
use crate::error::{Error, ErrorCode, Result};
use crate::model::*;
use crate::store::Store;
use crate::time::Timestamp;

/// The provider `Set-MmsUser -AudioConferencingProvider` names to mean no third party.
pub const MICROSOFT_PROVIDER: &str = "Microsoft";
/// Where users homed online are hosted (`Move-CsUser -Target`).
pub const ONLINE_HOSTING_PROVIDER: &str = "sipfed.online.lync.com";

/// The built-in instances of `TeamsUpgradePolicy` and the mode each grants.
pub const UPGRADE_POLICIES: &[(&str, &str)] = &[
    ("Islands", "Islands"),
    ("IslandsWithNotify", "Islands"),
    ("SfBOnly", "SfBOnly"),
    ("SfBOnlyWithNotify", "SfBOnly"),
    ("SfBWithTeamsCollab", "SfBWithTeamsCollab"),
    ("SfBWithTeamsCollabWithNotify", "SfBWithTeamsCollab"),
    (
        "SfBWithTeamsCollabAndMeetings",
        "SfBWithTeamsCollabAndMeetings",
    ),
    (
        "SfBWithTeamsCollabAndMeetingsWithNotify",
        "SfBWithTeamsCollabAndMeetings",
    ),
    ("UpgradeToTeams", "TeamsOnly"),
];

/// One instance of `TeamsUpgradePolicy`, as `Get-CsTeamsUpgradePolicy` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpgradePolicy {
    /// `Tag:<name>`, or `Global` for the tenant's default.
    pub identity: String,
    pub description: String,
    pub mode: &'static str,
    pub notify_sfb_users: bool,
}

/// The built-in instances and `Global` (the tenant default, Islands): those whose identity
/// is `identity` (with or without `Tag:`), or matches the `filter` wildcard, or all.
pub fn upgrade_policies(identity: Option<&str>, filter: Option<&str>) -> Vec<UpgradePolicy> {
    let fold = |t: &str| t.trim().to_lowercase();
    let builtin = UPGRADE_POLICIES.iter().map(|(name, mode)| UpgradePolicy {
        identity: format!("Tag:{name}"),
        description: format!("Sets the user's coexistence mode to {mode}."),
        mode,
        notify_sfb_users: name.ends_with("WithNotify"),
    });
    let global = UpgradePolicy {
        identity: "Global".into(),
        description: "The tenant's default: Islands.".into(),
        mode: "Islands",
        notify_sfb_users: false,
    };
    std::iter::once(global)
        .chain(builtin)
        .filter(|p| {
            let id = fold(&p.identity);
            let short = id.strip_prefix("tag:").unwrap_or(&id).to_string();
            identity.filter(|i| !i.trim().is_empty()).map_or(true, |i| {
                let i = fold(i);
                i == id || i == short
            }) && filter.filter(|f| !f.trim().is_empty()).map_or(true, |f| {
                let f = fold(f);
                directory::filter::wildcard_match(&f, &id)
                    || directory::filter::wildcard_match(&f, &short)
            })
        })
        .collect()
}

/// The built-in instance named `name` (without `Tag:`) and its mode.
fn upgrade_policy(name: &str) -> Result<(&'static str, &'static str)> {
    UPGRADE_POLICIES
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(name))
        .copied()
        .ok_or_else(|| {
            let names: Vec<&str> = UPGRADE_POLICIES.iter().map(|(p, _)| *p).collect();
            Error::invalid(format!(
                "'{}' is not a TeamsUpgradePolicy instance; use one of: {}.",
                crate::error::shorten(name),
                names.join(", ")
            ))
            .with_target(name.to_string())
        })
}

/// `Grant-CsTeamsUpgradePolicy -Global` (the tenant-wide instance) or `-Group`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TenantUpgradePolicy {
    #[serde(default)]
    pub tenant: Option<String>,
    /// A group's id (`-Group`): this directory has no groups, so any group is unknown.
    #[serde(default)]
    pub group: Option<String>,
    /// A built-in instance (with or without `Tag:`); empty for the default, Islands.
    #[serde(default)]
    pub policy_name: Option<String>,
}

/// Grants `grant`'s instance tenant-wide: every user homed online without an instance of
/// their own takes its mode. As the MMS article says, a tenant-wide grant starts no meeting
/// migration, whatever the mode. The users whose mode changed, in key order.
pub fn grant_tenant_upgrade_policy(
    store: &dyn Store,
    grant: &TenantUpgradePolicy,
    now: Timestamp,
) -> Result<Vec<User>> {
    let tenant = directory::tenant(store.reads(), grant.tenant.as_deref())?;
    if let Some(group) = &grant.group {
        return Err(Error::new(
            ErrorCode::IdentityNotFound,
            format!(
                "The group '{}' is not in the directory: this directory has no groups. Grant the policy to the members one by one (Get-CsOnlineUser ... | Grant-CsTeamsUpgradePolicy -PolicyName ...) or to the tenant with -Global.",
                crate::error::shorten(group)
            ),
        )
        .with_target(group.clone()));
    }
    let mode = match grant
        .policy_name
        .as_deref()
        .map(|p| without_prefix(p, "Tag:"))
        .and_then(cleared)
    {
        Some(name) => upgrade_policy(&name)?.1,
        None => "Islands",
    };
    let follows_tenant = |u: &User| {
        u.profile.policies.get("TeamsUpgradePolicy").is_none()
            && !homed_on_premises(u)
            && !u.teams_upgrade_effective_mode.eq_ignore_ascii_case(mode)
    };
    directory::users_where(store.reads(), &tenant, &follows_tenant, usize::MAX)?
        .into_iter()
        .map(|user| {
            store.update_user(user.key, &mut |u| {
                u.teams_upgrade_effective_mode = mode.to_string();
                u.profile.when_changed = Some(now);
                Ok(())
            })
        })
        .collect()
}

/// Changes to one user; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UserChanges {
    pub identity: String,
    #[serde(default)]
    pub tenant: Option<String>,
    /// `ExchangeOnline` or `ExchangeOnPremises`; empty clears it (Exchange Online).
    #[serde(default)]
    pub mailbox_location: Option<String>,
    /// A third-party provider's name; empty clears it (Microsoft).
    #[serde(default)]
    pub audio_conferencing_provider: Option<String>,
    /// Assigns (true) or removes (false) the Audio Conferencing licence.
    #[serde(default)]
    pub audio_conferencing_license: Option<bool>,
    /// `Move-CsUser -Target`: `sipfed.online.lync.com` homes a user of Skype for Business
    /// Server online, as TeamsOnly; moves to on-premises pools are not emulated.
    #[serde(default)]
    pub move_target: Option<String>,
    /// A built-in `TeamsUpgradePolicy` instance; empty removes the user's assignment.
    #[serde(default)]
    pub teams_upgrade_policy: Option<String>,
    /// The user's audio-conferencing (toll) number (`-ServiceNumber`); empty clears it.
    #[serde(default)]
    pub service_number: Option<String>,
    /// The user's toll-free number (`-TollFreeServiceNumber`); empty clears it.
    #[serde(default)]
    pub toll_free_service_number: Option<String>,
}

/// A dial-in number as the cmdlets take it (`+14255550100`, `tel:+1 425 555 0100`),
/// without `tel:`; empty stays empty (it clears the number).
fn dial_in_number(name: &str, number: &str) -> Result<String> {
    let bare = without_prefix(number, "tel:");
    if !bare.is_empty() {
        directory::validate::check_phone_number(bare)
            .map_err(|why| Error::invalid(format!("{name}: {why}.")).with_target(number))?;
    }
    Ok(bare.to_string())
}

/// A user after a change, and the migration it started (or why it started none).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserUpdate {
    pub user: User,
    /// The request the change queued, or the user's open request it returned.
    pub request: Option<MigrationStatus>,
    /// True when `request` is the user's open request rather than a new one.
    pub existing: bool,
    /// Why the change started no migration, when it would have started one otherwise.
    pub not_triggered: Option<String>,
}

/// A migration a change calls for.
struct Trigger {
    by: TriggeredBy,
    source: SourceMeetingType,
    target: TargetMeetingType,
    /// Audio-conferencing triggers also obey `AutomaticallyMigrateUserMeetings`.
    audio_conferencing: bool,
}

/// Whether the user is homed in Skype for Business Server (on-premises).
pub fn homed_on_premises(user: &User) -> bool {
    user.profile
        .account_type
        .eq_ignore_ascii_case("SfBOnPremUser")
        || user
            .profile
            .hosting_provider
            .as_deref()
            .map_or(false, |h| h.to_ascii_uppercase().starts_with("SRV:"))
}

/// `text` trimmed, without `prefix` (any case) if it starts with it.
fn without_prefix<'a>(text: &'a str, prefix: &str) -> &'a str {
    let text = text.trim();
    text.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map_or(text, |_| text[prefix.len()..].trim())
}

fn cleared(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// Applies `changes` to the user and starts the migration they call for; see the module.
pub fn update_user(store: &dyn Store, changes: &UserChanges, now: Timestamp) -> Result<UserUpdate> {
    change_user(store, changes, now, None)
}

/// [`update_user`]; `hold_back` (why) keeps a change that would start a migration from
/// starting it.
fn change_user(
    store: &dyn Store,
    changes: &UserChanges,
    now: Timestamp,
    hold_back: Option<&str>,
) -> Result<UserUpdate> {
    let tenant = directory::tenant(store.reads(), changes.tenant.as_deref())?;
    let user = directory::resolve(
        store.reads(),
        Some(&tenant.tenant_id.to_string()),
        &changes.identity,
    )?;
    if let Some(location) = changes.mailbox_location.as_deref().and_then(cleared) {
        if ![EXCHANGE_ONLINE, EXCHANGE_ON_PREMISES]
            .iter()
            .any(|l| l.eq_ignore_ascii_case(&location))
        {
            return Err(Error::invalid(format!(
                "MailboxLocation '{}' is not known; use {EXCHANGE_ONLINE} or {EXCHANGE_ON_PREMISES}.",
                crate::error::shorten(&location)
            ))
            .with_target(location));
        }
    }
    // `Tag:UpgradeToTeams` is how Get-CsTeamsUpgradePolicy names an instance.
    let policy_name = changes
        .teams_upgrade_policy
        .as_deref()
        .map(|p| without_prefix(p, "Tag:"));
    let policy_mode = match policy_name.and_then(cleared) {
        Some(name) => Some(upgrade_policy(&name).map(|(p, mode)| (Some(p.to_string()), mode))?),
        // Removing the assignment leaves the user in the tenant's default mode, Islands.
        None if changes.teams_upgrade_policy.is_some() => Some((None, "Islands")),
        None => None,
    };
    let move_online = match changes.move_target.as_deref().map(str::trim) {
        None => false,
        Some(t) if t.eq_ignore_ascii_case(ONLINE_HOSTING_PROVIDER) => true,
        Some(t) => {
            return Err(Error::invalid(format!(
                "Target '{}' is an on-premises pool; only moves to Microsoft 365 are emulated: use -Target {ONLINE_HOSTING_PROVIDER}.",
                crate::error::shorten(t)
            ))
            .with_target(t.to_string()))
        }
    };
    if move_online && !homed_on_premises(&user) {
        return Err(Error::invalid(format!(
            "{} is already homed online (HostingProvider {}); Move-CsUser moves users of Skype for Business Server only.",
            user.user_principal_name,
            user.profile.hosting_provider.as_deref().unwrap_or("none")
        ))
        .with_target(changes.identity.clone()));
    }

    let service_number = changes
        .service_number
        .as_deref()
        .map(|n| dial_in_number("ServiceNumber", n))
        .transpose()?;
    let toll_free_number = changes
        .toll_free_service_number
        .as_deref()
        .map(|n| dial_in_number("TollFreeServiceNumber", n))
        .transpose()?;
    let dial_in_change = service_number.is_some() || toll_free_number.is_some();
    if let Some(provider) = user
        .profile
        .audio_conferencing_provider
        .as_ref()
        .filter(|_| dial_in_change)
    {
        return Err(Error::invalid(format!(
            "{} uses the third-party audio-conferencing provider {provider}; Set-CsOnlineDialInConferencingUser changes Microsoft audio conferencing only.",
            user.user_principal_name
        ))
        .with_target(changes.identity.clone()));
    }

    let mut trigger: Option<Trigger> = None;
    let mut not_triggered: Option<String> = None;
    let settings = store.dial_in_settings(&tenant)?;
    let user = store.update_user(user.key, &mut |u| {
        (trigger, not_triggered) = (None, None);
        if let Some(location) = &changes.mailbox_location {
            u.profile.mailbox_location = cleared(location);
        }
        if let Some(provider) = &changes.audio_conferencing_provider {
            let before = u.profile.audio_conferencing_provider.take();
            // Microsoft is the provider of users without a third-party one.
            u.profile.audio_conferencing_provider =
                cleared(provider).filter(|p| !p.eq_ignore_ascii_case(MICROSOFT_PROVIDER));
            if before.is_some() && u.profile.audio_conferencing_provider.is_none() {
                // The MMS article: a change from any other provider to Microsoft updates the
                // meetings, provided the user has the Microsoft Audio Conferencing licence.
                if homed_on_premises(u) {
                    not_triggered = Some(format!("{} is homed on-premises: its meetings are not in the online service until Move-CsUser.", u.user_principal_name));
                } else if !has_audio_conferencing(u) {
                    not_triggered = Some(format!("{} has no Audio Conferencing licence: a change of provider to Microsoft updates meetings only for licensed users (Set-MmsUserLicense -AudioConferencing $true).", u.user_principal_name));
                } else {
                    trigger = Some(Trigger {
                        by: TriggeredBy::AudioConferencing,
                        source: SourceMeetingType::All,
                        target: TargetMeetingType::Current,
                        audio_conferencing: true,
                    });
                }
            }
        }
        if move_online {
            u.profile.hosting_provider = Some(ONLINE_HOSTING_PROVIDER.into());
            u.profile.account_type = "User".into();
            u.profile.interpreted_user_type = Some("PureOnlineTeamsOnlyUser".into());
            u.profile
                .policies
                .set("TeamsUpgradePolicy", Some("UpgradeToTeams".into()));
            u.teams_upgrade_effective_mode = "TeamsOnly".into();
            trigger = Some(Trigger {
                by: TriggeredBy::UserMove,
                source: SourceMeetingType::SfB,
                target: TargetMeetingType::Teams,
                audio_conferencing: false,
            });
        }
        if let Some((policy, mode)) = &policy_mode {
            let before = std::mem::replace(&mut u.teams_upgrade_effective_mode, mode.to_string());
            u.profile.policies.set("TeamsUpgradePolicy", policy.clone());
            let meetings_mode = matches!(*mode, "TeamsOnly" | "SfBWithTeamsCollabAndMeetings");
            if homed_on_premises(u) {
                not_triggered = Some(format!("{} is homed on-premises: the policy takes effect online only; Move-CsUser moves the user and the meetings.", u.user_principal_name));
            } else if meetings_mode && !before.eq_ignore_ascii_case(mode) {
                trigger = Some(Trigger {
                    by: TriggeredBy::UpgradePolicy,
                    source: SourceMeetingType::SfB,
                    target: TargetMeetingType::Teams,
                    audio_conferencing: false,
                });
            }
        }
        let before = (
            u.audio_conferencing_toll_number.clone(),
            u.audio_conferencing_toll_free_number.clone(),
        );
        if let Some(number) = &service_number {
            u.audio_conferencing_toll_number = cleared(number);
        }
        if let Some(number) = &toll_free_number {
            u.audio_conferencing_toll_free_number = cleared(number);
        }
        let numbers_changed = before
            != (
                u.audio_conferencing_toll_number.clone(),
                u.audio_conferencing_toll_free_number.clone(),
            );
        if numbers_changed && homed_on_premises(u) {
            not_triggered = Some(format!("{} is homed on-premises: its meetings are not in the online service until Move-CsUser.", u.user_principal_name));
        } else if numbers_changed && trigger.is_none() {
            // New coordinates for the invitations: the meetings stay what they are.
            trigger = Some(Trigger {
                by: TriggeredBy::AudioConferencing,
                source: SourceMeetingType::All,
                target: TargetMeetingType::Current,
                audio_conferencing: true,
            });
        }
        if let Some(assign) = changes.audio_conferencing_license {
            if assign != has_audio_conferencing(u) {
                set_audio_conferencing(u, assign, now);
                if homed_on_premises(u) {
                    not_triggered = Some(format!("{} is homed on-premises: its meetings are not in the online service until Move-CsUser.", u.user_principal_name));
                } else if assign
                    && u.profile.audio_conferencing_provider.is_some()
                    && !settings.automatically_replace_acp_provider
                {
                    not_triggered = Some(format!("{} keeps the third-party provider {}: AutomaticallyReplaceAcpProvider is False.", u.user_principal_name, u.profile.audio_conferencing_provider.as_deref().unwrap_or_default()));
                } else if trigger.is_none() {
                    if assign {
                        // The licence replaces a third-party provider when the tenant says so.
                        u.profile.audio_conferencing_provider = None;
                    }
                    trigger = Some(Trigger {
                        by: TriggeredBy::License,
                        source: SourceMeetingType::All,
                        target: TargetMeetingType::Current,
                        audio_conferencing: true,
                    });
                }
            }
        }
        Ok(())
    })?;

    let Some(trigger) = trigger else {
        return Ok(UserUpdate {
            user,
            request: None,
            existing: false,
            not_triggered,
        });
    };
    let blocked = if let Some(reason) = hold_back {
        Some(reason)
    } else if !tenant.meeting_migration_enabled {
        Some(
            "MeetingMigrationEnabled is False for the tenant (Set-CsTenantMigrationConfiguration).",
        )
    } else if trigger.audio_conferencing && !settings.automatically_migrate_user_meetings {
        Some("AutomaticallyMigrateUserMeetings is False for the tenant (Set-CsOnlineDialInConferencingTenantSettings).")
    } else {
        None
    };
    if let Some(reason) = blocked {
        return Ok(UserUpdate {
            user,
            request: None,
            existing: false,
            not_triggered: Some(format!(
                "No meeting migration was started: {reason} Start-CsExMeetingMigration starts one by hand."
            )),
        });
    }
    let start = StartRequest {
        identity: user.identity.to_string(),
        tenant: Some(tenant.tenant_id.to_string()),
        source_meeting_type: trigger.source,
        target_meeting_type: trigger.target,
        triggered_by: trigger.by,
    };
    let started = request::start_batch(store, &[start], now)
        .pop()
        .expect("one result per request")?;
    Ok(UserUpdate {
        user,
        request: Some(started.status),
        existing: started.existing,
        not_triggered: None,
    })
}

/// `Set-CsOnlineDialInConferencingUserDefaultNumber`: replaces the default toll or toll-free
/// number of many users at once.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DefaultNumberChange {
    #[serde(default)]
    pub tenant: Option<String>,
    /// The users' current default number (their own, else the bridge's); absent, the users
    /// are chosen by `country_or_region`, or else they are those with no number of the type.
    #[serde(default)]
    pub from_number: Option<String>,
    pub to_number: String,
    /// `Toll` or `TollFree`.
    pub number_type: String,
    #[serde(default)]
    pub bridge_id: Option<Uuid>,
    #[serde(default)]
    pub bridge_name: Option<String>,
    /// Without `from_number`: the users whose usage location is this country (two letters).
    #[serde(default)]
    pub country_or_region: Option<String>,
    /// Where the new number is (recorded by the real service; not a user filter).
    #[serde(default)]
    pub area_or_state: Option<String>,
    #[serde(default)]
    pub capital_or_major_city: Option<String>,
    /// Updates the users' meetings (a migration each); without it only the numbers change.
    #[serde(default)]
    pub reschedule_meetings: bool,
}

/// Sets `to_number` as the default number of every user of Microsoft audio conferencing
/// that `change` selects, one user at a time (each change is its own transaction); with
/// `reschedule_meetings` each changed user's meetings are refreshed by a migration
/// (TriggeredBy AudioConferencing, under the tenant's switches). The users changed, in key
/// order, each with the request it queued or the open one it returned.
pub fn set_default_number(
    store: &dyn Store,
    change: &DefaultNumberChange,
    now: Timestamp,
) -> Result<Vec<UserUpdate>> {
    let tenant = directory::tenant(store.reads(), change.tenant.as_deref())?;
    check_bridge(&tenant, change.bridge_id, change.bridge_name.as_deref())?;
    let toll = match change.number_type.trim() {
        t if t.eq_ignore_ascii_case("Toll") => true,
        t if t.eq_ignore_ascii_case("TollFree") => false,
        other => {
            return Err(Error::invalid(format!(
                "NumberType '{}' is not known; use Toll or TollFree.",
                crate::error::shorten(other)
            ))
            .with_target(other.to_string()))
        }
    };
    let to_number = dial_in_number("ToNumber", &change.to_number)?;
    if to_number.is_empty() {
        return Err(Error::invalid(
            "ToNumber is empty: give the new number, for example 14255550101.",
        ));
    }
    let from_number = change
        .from_number
        .as_deref()
        .map(|n| dial_in_number("FromNumber", n))
        .transpose()?
        .filter(|n| !n.is_empty());
    let country = change
        .country_or_region
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    // A user's default number is the user's own, else the bridge's (what invitations carry).
    let settings = store.dial_in_settings(&tenant)?;
    let number_of = |u: &User| {
        if toll {
            u.audio_conferencing_toll_number
                .clone()
                .or_else(|| settings.default_toll_number.clone())
        } else {
            u.audio_conferencing_toll_free_number
                .clone()
                .or_else(|| settings.default_toll_free_number.clone())
        }
    };
    let selected = |u: &User| {
        uses_microsoft_audio_conferencing(u)
            && match (&from_number, country) {
                (Some(from), _) => number_of(u).map_or(false, |n| same_number(&n, from)),
                (None, Some(country)) => {
                    [&u.profile.usage_location, &u.profile.country_abbreviation]
                        .iter()
                        .any(|l| {
                            l.as_deref()
                                .map_or(false, |l| l.eq_ignore_ascii_case(country))
                        })
                }
                (None, None) => number_of(u).is_none(),
            }
    };
    // The users are chosen first, then changed: a change never re-selects a user.
    let chosen = directory::users_where(store.reads(), &tenant, &selected, usize::MAX)?;
    let hold_back = (!change.reschedule_meetings).then_some(
        "-RescheduleMeetings was not given: the number changed, the meetings were not updated.",
    );
    chosen
        .into_iter()
        .map(|user| {
            let changes = UserChanges {
                identity: user.identity.to_string(),
                tenant: Some(tenant.tenant_id.to_string()),
                service_number: toll.then(|| to_number.clone()),
                toll_free_service_number: (!toll).then(|| to_number.clone()),
                ..Default::default()
            };
            change_user(store, &changes, now, hold_back)
        })
        .collect()
}

/// Assigns or removes the Audio Conferencing plan and feature.
fn set_audio_conferencing(user: &mut User, assign: bool, now: Timestamp) {
    let profile = &mut user.profile;
    profile
        .assigned_plan
        .retain(|p| !p.capability.eq_ignore_ascii_case(AUDIO_CONFERENCING_PLAN));
    profile
        .feature_types
        .retain(|f| !f.eq_ignore_ascii_case("AudioConferencing"));
    if assign {
        profile.assigned_plan.push(AssignedPlan {
            capability: AUDIO_CONFERENCING_PLAN.into(),
            capability_status: "Enabled".into(),
            // Microsoft's id of the Audio Conferencing service plan.
            service_plan_id: Uuid::from_u128(0x3e26ee1f_8a5f_4d52_aee2_b81ce45c8f40),
            assigned_timestamp: now,
        });
        profile.feature_types.push("AudioConferencing".into());
    }
    profile.when_changed = Some(now);
}
