//! Users (`mms_identity_resolve`, `mms_users_list`): resolving an identity, listing users
//! page by page.

use libc::c_char;

use crate::directory::dial_in::DialInUsersQuery;
use crate::directory::UserQuery;
use crate::migration::trigger::{self, DefaultNumberChange, TenantUpgradePolicy, UserChanges};

use super::args;
use super::panic::boundary;
use super::store::MmsStore;

/// Resolves an identity to exactly one user of a tenant.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the store's default tenant, else a tenant id (GUID).
/// - `identity`: required; a UPN, SIP address, `DOMAIN\logon`, display name, distinguished
///   name or object id (at most 4096 bytes).
/// - `out_user_json`: required; on success receives a User JSON object (free with
///   `mms_string_free`). Untouched on failure.
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Errors: `MMS_STATUS_IDENTITY_NOT_FOUND`, `MMS_STATUS_IDENTITY_AMBIGUOUS`,
/// `MMS_STATUS_WILDCARD_NOT_ALLOWED`, `MMS_STATUS_MALFORMED_IDENTITY`, tenant errors.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_identity_resolve(
    store: *const MmsStore,
    tenant: *const c_char,
    identity: *const c_char,
    out_user_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_identity_resolve", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let identity = args::string(identity, "identity")?;
        let out = args::out(out_user_json, "out_user_json")?;
        out.json(&service.resolve(tenant, identity)?)
    })
}

/// Lists one page of a tenant's users in a stable order.
///
/// - `store`: required.
/// - `query_json`: NULL for the first 1000 users of the default tenant, or
///   `{"Tenant":null|"guid","Filter":null|"OPath","Prefix":null|"upn prefix","After":null|cursor,"Limit":1000,
///   "AccountType":null|"User"|..., "SoftDeletedUser":false, "SkipUserPolicies":false,
///   "Properties":null|["name",...] (checked only), "Sort":null|"Property [asc|desc]"}`; every member optional.
/// - `out_page_json`: required; on success receives `{"Users":[User...],"Next":null|cursor}`
///   (pass `Next` back as `After` for the next page; free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_users_list(
    store: *const MmsStore,
    query_json: *const c_char,
    out_page_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_users_list", out_error, || {
        let service = MmsStore::service(store)?;
        let query: UserQuery = args::optional_json(query_json, "query_json")?;
        let out = args::out(out_page_json, "out_page_json")?;
        out.json(&service.list_users(&query)?)
    })
}

/// Changes a user and starts the meeting migration the change calls for, as the service
/// does on its own: a move from on-premises, a Teams upgrade policy of a meetings mode, the
/// Audio Conferencing licence (each only while the tenant's switches allow it).
///
/// - `store`: required.
/// - `changes_json`: required; `{"Identity":"...","Tenant":null|"guid"}` with any of
///   `"MailboxLocation":"ExchangeOnline"|"ExchangeOnPremises"|""`,
///   `"AudioConferencingProvider":"name"|""`, `"AudioConferencingLicense":bool`,
///   `"MoveTarget":"sipfed.online.lync.com"`, `"TeamsUpgradePolicy":"instance"|""`,
///   `"ServiceNumber":"+1 ..."|""`, `"TollFreeServiceNumber":"+1 ..."|""` (empty clears).
/// - `out_json`: required; on success receives
///   `{"User":User,"Request":null|status,"Existing":bool,"NotTriggered":null|"why"}` (free
///   with `mms_string_free`). `Existing` means `Request` is the user's open request.
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Errors: identity and tenant errors, `MMS_STATUS_INVALID_ARGUMENT` (an unknown value, a
/// move of a user already online). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_user_update(
    store: *const MmsStore,
    changes_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_user_update", out_error, || {
        let service = MmsStore::service(store)?;
        let changes: UserChanges = args::json(changes_json, "changes_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.update_user(&changes)?)
    })
}

/// The instances of `TeamsUpgradePolicy` (the built-in ones and `Global`), as
/// `Get-CsTeamsUpgradePolicy` lists them; the same in every tenant.
///
/// - `identity`: NULL for all, else one instance (`Tag:UpgradeToTeams`, `UpgradeToTeams`,
///   `Global`); an unknown one gives an empty list.
/// - `filter`: NULL, or a wildcard (`*Teams*`) the identity matches.
/// - `out_json`: required; on success receives
///   `[{"Identity","Description","Mode","NotifySfbUsers"}...]` (free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_upgrade_policies_list(
    identity: *const c_char,
    filter: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_upgrade_policies_list", out_error, || {
        let identity = args::optional_string(identity, "identity")?;
        let filter = args::optional_string(filter, "filter")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&trigger::upgrade_policies(identity, filter))
    })
}

/// Lists the users of a tenant who use Microsoft audio conferencing (licensed, no
/// third-party provider), as `Get-CsOnlineDialInConferencingUser` shows them.
///
/// - `store`: required.
/// - `query_json`: NULL for all users of the default tenant, or `{"Tenant":null|"guid",
///   "Identity":null|"...","ServiceNumber":null|"+1 ...","BridgeId":null|"guid",
///   "BridgeName":null|"name","LdapFilter":null|"attribute=value","ResultSize":null|n}`.
/// - `out_json`: required; on success receives `[{"Identity","DisplayName",
///   "UserPrincipalName","SipAddress","ServiceNumber","TollFreeServiceNumber","BridgeId",
///   "BridgeName","AllowPSTNOnlyMeetings","AllowTollFreeDialIn","TenantId"}...]` (free with
///   `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Errors: identity and tenant errors, `MMS_STATUS_INVALID_ARGUMENT` (another bridge, an
/// LDAP filter this directory cannot read). Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_dialin_users_list(
    store: *const MmsStore,
    query_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_dialin_users_list", out_error, || {
        let service = MmsStore::service(store)?;
        let query: DialInUsersQuery = args::optional_json(query_json, "query_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.dial_in_users(&query)?)
    })
}

/// Replaces the default toll or toll-free number of many users
/// (`Set-CsOnlineDialInConferencingUserDefaultNumber`); with `RescheduleMeetings` each
/// changed user's meetings are refreshed by a migration (TriggeredBy AudioConferencing)
/// while the tenant's switches allow it.
///
/// - `store`: required.
/// - `change_json`: required; `{"Tenant":null|"guid","FromNumber":null|"+1 ...",
///   "ToNumber":"+1 ...","NumberType":"Toll"|"TollFree","BridgeId":null|"guid",
///   "BridgeName":null|"name","CountryOrRegion":null|"US","AreaOrState":null|"...",
///   "CapitalOrMajorCity":null|"...","RescheduleMeetings":bool}`.
/// - `out_json`: required; on success receives one `mms_user_update` result per user changed
///   (free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Each user changes in a transaction of its own: on an error, the users before it keep
/// their change. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_dialin_default_number_set(
    store: *const MmsStore,
    change_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_dialin_default_number_set", out_error, || {
        let service = MmsStore::service(store)?;
        let change: DefaultNumberChange = args::json(change_json, "change_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.set_default_number(&change)?)
    })
}

/// Grants a `TeamsUpgradePolicy` instance tenant-wide (`Grant-CsTeamsUpgradePolicy
/// -Global`): users homed online without an instance of their own take its mode. Starts no
/// meeting migration, as the MMS article says of tenant-wide grants.
///
/// - `store`: required.
/// - `grant_json`: required; `{"Tenant":null|"guid","PolicyName":null|"UpgradeToTeams"}`
///   (null or empty: the default, Islands); with `"Group":"id"` it is a group's grant,
///   refused with `MMS_STATUS_IDENTITY_NOT_FOUND` (the directory has no groups).
/// - `out_json`: required; on success receives the users whose mode changed, as User
///   objects (free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_upgrade_policy_grant_tenant(
    store: *const MmsStore,
    grant_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_upgrade_policy_grant_tenant", out_error, || {
        let service = MmsStore::service(store)?;
        let grant: TenantUpgradePolicy = args::json(grant_json, "grant_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.grant_tenant_upgrade_policy(&grant)?)
    })
}
