//! Users of Microsoft audio conferencing and the tenant's conference bridge, as
//! `Get-CsOnlineDialInConferencingUser` shows them. A tenant has one bridge: its name is
//! Microsoft's default and its id is derived from the tenant's, so it reads the same in
//! every session and never needs storing.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::filter::wildcard_match;
use crate::error::{shorten, Error, ErrorCode, Result};
use crate::model::*;
use crate::rng::SplitMix64;
use crate::store::StoreReads;

/// The capability of the Audio Conferencing licence plan.
pub const AUDIO_CONFERENCING_PLAN: &str = "MCOMEETADV";
/// The name of a tenant's bridge (Microsoft's default name).
pub const BRIDGE_NAME: &str = "Conference Bridge";

/// The id of the tenant's bridge.
pub fn bridge_id(tenant: Uuid) -> Uuid {
    let salt = Uuid::from_u128(0x00b2_1d9e);
    Uuid::from_u64_pair(
        SplitMix64::digest(&[tenant, salt]),
        SplitMix64::digest(&[salt, tenant]),
    )
}

/// Refuses a bridge other than the tenant's, by id or name (either may be absent).
pub fn check_bridge(tenant: &Tenant, id: Option<Uuid>, name: Option<&str>) -> Result<()> {
    let ours = bridge_id(tenant.tenant_id);
    let wrong_id = id.filter(|id| *id != ours).map(|id| id.to_string());
    let wrong_name = name
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case(BRIDGE_NAME))
        .map(str::to_string);
    match wrong_id.or(wrong_name) {
        None => Ok(()),
        Some(wrong) => Err(Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "The tenant has one audio-conferencing bridge, '{BRIDGE_NAME}' (BridgeId {ours}); '{}' is not it. Get-CsOnlineDialInConferencingUser shows the bridge.",
                shorten(&wrong)
            ),
        )
        .with_target(wrong)),
    }
}

/// Whether the user has the Audio Conferencing licence, enabled.
pub fn has_audio_conferencing(user: &User) -> bool {
    user.profile.assigned_plan.iter().any(|p| {
        p.capability.eq_ignore_ascii_case(AUDIO_CONFERENCING_PLAN)
            && p.capability_status.eq_ignore_ascii_case("Enabled")
    })
}

/// Whether the user dials in through Microsoft: licensed, and no third-party provider.
pub fn uses_microsoft_audio_conferencing(user: &User) -> bool {
    has_audio_conferencing(user) && user.profile.audio_conferencing_provider.is_none()
}

/// Whether two phone numbers are the same number, whatever their punctuation or `tel:`.
pub fn same_number(a: &str, b: &str) -> bool {
    let digits = |n: &str| n.chars().filter(char::is_ascii_digit).collect::<String>();
    let (a, b) = (digits(a), digits(b));
    !a.is_empty() && a == b
}

/// `Get-CsOnlineDialInConferencingUser`'s parameters; absent ones do not filter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DialInUsersQuery {
    #[serde(default)]
    pub tenant: Option<String>,
    #[serde(default)]
    pub identity: Option<String>,
    /// Only users whose service number (theirs, else the bridge's) is this one.
    #[serde(default)]
    pub service_number: Option<String>,
    #[serde(default)]
    pub bridge_id: Option<Uuid>,
    #[serde(default)]
    pub bridge_name: Option<String>,
    /// `attribute=value` (parentheses allowed, `*` a wildcard) on one directory attribute.
    #[serde(default)]
    pub ldap_filter: Option<String>,
    /// At most this many users (0: none).
    #[serde(default)]
    pub result_size: Option<usize>,
}

/// A user of Microsoft audio conferencing, with the numbers invitations carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DialInConferencingUser {
    /// The user's object id.
    pub identity: Uuid,
    pub display_name: String,
    pub user_principal_name: String,
    pub sip_address: Option<String>,
    /// The toll number of the user's invitations: the user's, else the bridge's default.
    pub service_number: Option<String>,
    /// The toll-free number: the user's, else the bridge's default.
    pub toll_free_service_number: Option<String>,
    pub bridge_id: Uuid,
    pub bridge_name: &'static str,
    /// The tenant's `AllowPSTNOnlyMeetingsByDefault` (per-user values are not kept).
    #[serde(rename = "AllowPSTNOnlyMeetings")]
    pub allow_pstn_only_meetings: bool,
    /// Managed by `TeamsAudioConferencingPolicy`, which allows it by default.
    pub allow_toll_free_dial_in: bool,
    pub tenant_id: Uuid,
}

/// How `-LdapFilter` reads one directory attribute of a user.
type AttributeReader = fn(&User) -> Option<&str>;

/// The directory attributes `-LdapFilter` reads, with the property each names.
const LDAP_ATTRIBUTES: &[(&str, AttributeReader)] = &[
    ("l", |u| u.profile.city.as_deref()),
    ("st", |u| u.profile.state.as_deref()),
    ("c", |u| u.profile.country_abbreviation.as_deref()),
    ("co", |u| u.profile.country.as_deref()),
    ("department", |u| u.profile.department.as_deref()),
    ("title", |u| u.profile.title.as_deref()),
    ("company", |u| u.profile.company.as_deref()),
    ("displayName", |u| Some(u.display_name.as_str())),
    ("userPrincipalName", |u| {
        Some(u.user_principal_name.as_str())
    }),
];

type LdapTest = Box<dyn Fn(&User) -> bool>;

/// `attribute=value` as a test on a user; the value may hold `*` wildcards.
fn ldap_filter(text: &str) -> Result<LdapTest> {
    let inner = text.trim();
    let inner = inner
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .unwrap_or(inner);
    let names = || {
        LDAP_ATTRIBUTES
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let bad = |why: String| Error::invalid(why).with_target(text.to_string());
    let (name, value) = inner.split_once('=').ok_or_else(|| {
        bad(format!(
            "LdapFilter '{}' is not attribute=value (for example \"l=Redmond\").",
            shorten(text)
        ))
    })?;
    let (_, read) = LDAP_ATTRIBUTES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            bad(format!(
                "LdapFilter attribute '{}' is not one this directory has; use one of: {}.",
                shorten(name.trim()),
                names()
            ))
        })?;
    let read = *read;
    let pattern = value.trim().to_lowercase();
    Ok(Box::new(move |u: &User| {
        read(u).map_or(false, |v| wildcard_match(&pattern, &v.to_lowercase()))
    }))
}

/// The users of the tenant who use Microsoft audio conferencing, in key order, as `query`
/// selects them; third-party provider users and unlicensed users are never listed.
pub fn dial_in_users(
    reads: &dyn StoreReads,
    query: &DialInUsersQuery,
) -> Result<Vec<DialInConferencingUser>> {
    let tenant = super::tenant(reads, query.tenant.as_deref())?;
    check_bridge(&tenant, query.bridge_id, query.bridge_name.as_deref())?;
    let ldap = query.ldap_filter.as_deref().map(ldap_filter).transpose()?;
    let settings = reads.dial_in_settings(&tenant)?;
    let limit = query.result_size.unwrap_or(usize::MAX);
    let view = |u: &User| DialInConferencingUser {
        identity: u.identity,
        display_name: u.display_name.clone(),
        user_principal_name: u.user_principal_name.clone(),
        sip_address: u.sip_address.clone(),
        service_number: u
            .audio_conferencing_toll_number
            .clone()
            .or_else(|| settings.default_toll_number.clone()),
        toll_free_service_number: u
            .audio_conferencing_toll_free_number
            .clone()
            .or_else(|| settings.default_toll_free_number.clone()),
        bridge_id: bridge_id(tenant.tenant_id),
        bridge_name: BRIDGE_NAME,
        allow_pstn_only_meetings: settings.options.allow_pstn_only_meetings_by_default,
        allow_toll_free_dial_in: true,
        tenant_id: tenant.tenant_id,
    };
    let selected = |u: &User| {
        uses_microsoft_audio_conferencing(u)
            && ldap.as_ref().map_or(true, |test| test(u))
            && query.service_number.as_deref().map_or(true, |n| {
                view(u)
                    .service_number
                    .map_or(false, |ours| same_number(&ours, n))
            })
    };
    let users = match query.identity.as_deref().filter(|i| !i.trim().is_empty()) {
        Some(identity) => {
            let user = super::resolve(reads, Some(&tenant.tenant_id.to_string()), identity)?;
            let mut one = vec![user];
            one.retain(|u| selected(u));
            one.truncate(limit);
            one
        }
        None => super::users_where(reads, &tenant, &selected, limit)?,
    };
    Ok(users.iter().map(view).collect())
}
