//! The tenant directory: tenants and their settings, users (resolution and listing),
//! meetings, and data in (import files, the sample tenant). Functions over the store's
//! traits; [`Service`](crate::Service) is the facade that calls them.

pub mod dial_in;
pub mod export;
pub mod filter;
pub mod import;
pub mod sample;
pub mod validate;

use std::ops::ControlFlow;
use std::path::Path;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::cancel::CancelToken;
use crate::error::{shorten, Error, ErrorCode, Result};
use crate::identity::{self, IdentityKey};
use crate::invitation::{join_domain, rewrite, JoinDetails, OnlineMeetingBlock};
use crate::model::*;
use crate::store::{Store, StoreReads, TenantScope, UserIndex};
use filter::Filter;

/// Candidates listed in an ambiguity error.
const MAX_CANDIDATES: usize = 20;
/// Largest page `list_users` returns.
pub const MAX_PAGE: usize = 10_000;

/// A page request of `list_users`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UserQuery {
    #[serde(default)]
    pub tenant: Option<String>,
    /// OPath filter text (see [`filter`]).
    #[serde(default)]
    pub filter: Option<String>,
    /// Only users whose UPN starts with this (case-insensitive), in UPN order: completion.
    #[serde(default)]
    pub prefix: Option<String>,
    /// The `Next` cursor of the previous page.
    #[serde(default)]
    pub after: Option<i64>,
    #[serde(default)]
    pub limit: Option<usize>,
    /// `-AccountType`: only users of this type (one of [`ACCOUNT_TYPES`]).
    #[serde(default)]
    pub account_type: Option<String>,
    /// `-SoftDeletedUser`: only users deleted within the last 30 days (restorable).
    #[serde(default)]
    pub soft_deleted_user: bool,
    /// `-SkipUserPolicies`: the policy properties are left empty.
    #[serde(default)]
    pub skip_user_policies: bool,
    /// `-Properties`: property names the caller will show; checked here (an unknown name is
    /// an error with the close matches), the whole users are returned.
    #[serde(default)]
    pub properties: Option<Vec<String>>,
    /// `-Sort` / `-OrderBy`: `"Property"`, `"Property asc"` or `"Property desc"`. Sorted
    /// listings page by position (`After` is the number of users already returned).
    #[serde(default)]
    pub sort: Option<String>,
}

/// Most users a sorted listing orders: sorting holds the selected users in memory.
pub const MAX_SORTED_USERS: usize = 200_000;

/// How long a deleted user can be restored, and is listed by `-SoftDeletedUser`.
pub const SOFT_DELETION_DAYS: i64 = 30;

/// One page of users and the cursor of the next (`None` at the end).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPage {
    pub users: Vec<User>,
    pub next: Option<i64>,
}

/// Parses a tenant id, rejecting anything that is not a GUID before any work is done.
pub fn parse_tenant_id(text: &str) -> Result<Uuid> {
    parse_guid(text).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidTenantId,
            format!("'{}' is not a tenant id: a tenant id is a GUID such as 38aad667-af54-4397-aaa7-e94c79ec2308.", crate::error::shorten(text)),
        )
        .with_target(text)
    })
}

/// The scope a `-Tenant` argument names: `None` or blank = the store's default tenant.
pub fn tenant_scope(tenant: Option<&str>) -> Result<TenantScope> {
    match tenant.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(TenantScope::Default),
        Some(text) => Ok(TenantScope::Id(parse_tenant_id(text)?)),
    }
}

/// The tenant a `-Tenant` argument names: `None` or blank = the store's default tenant;
/// otherwise a GUID that must exist.
pub fn tenant(reads: &dyn StoreReads, tenant: Option<&str>) -> Result<Tenant> {
    match tenant_scope(tenant)? {
        TenantScope::Id(id) => reads.tenant(id)?.ok_or_else(|| {
            Error::new(
                ErrorCode::TenantNotFound,
                format!("The tenant {id} is not in the store. Get-MmsTenant lists the tenants there are."),
            )
            .with_target(tenant.unwrap_or_default())
        }),
        _ => reads.default_tenant()?.ok_or_else(|| {
            Error::new(
                ErrorCode::NoDefaultTenant,
                "The store has no tenant yet. Create one with New-MmsSampleTenant or New-MmsTenant, or import data with Import-MmsTenantData.",
            )
        }),
    }
}

/// Resolves an identity (any form [`IdentityKey`] accepts) to exactly one user of the
/// tenant a `-Tenant` argument names.
pub fn resolve(reads: &dyn StoreReads, tenant: Option<&str>, identity: &str) -> Result<User> {
    let key = IdentityKey::parse(identity)?;
    let scope = tenant_scope(tenant)?;
    resolve_scoped(reads, &scope, identity, &key).map_err(|e| match e.code {
        // Nothing found may mean no such tenant: then that is the error to report. A hint
        // names the tenant searched, so it exists: no second look.
        ErrorCode::IdentityNotFound if e.hint.is_none() => {
            self::tenant(reads, tenant).err().unwrap_or(e)
        }
        _ => e,
    })
}

/// Resolves a parsed identity within a tenant already looked up.
pub fn resolve_in(
    reads: &dyn StoreReads,
    tenant: &Tenant,
    input: &str,
    key: &IdentityKey,
) -> Result<User> {
    resolve_scoped(reads, &TenantScope::Key(tenant.key), input, key)
}

/// The users an identity key names: one indexed lookup, and for a UPN that matches no
/// user, a second as the SIP address `sip:<upn>` (Microsoft's resolution does the same).
fn find_users(
    reads: &dyn StoreReads,
    scope: &TenantScope,
    key: &IdentityKey,
    limit: usize,
) -> Result<Vec<User>> {
    let (index, text) = match key {
        IdentityKey::ObjectId(id) => (UserIndex::ObjectId, id.to_string()),
        IdentityKey::Sip(sip) => (UserIndex::Sip, sip.clone()),
        IdentityKey::Upn(upn) => {
            let found = reads.find_users(scope, UserIndex::Upn, upn, limit)?;
            if !found.is_empty() {
                return Ok(found);
            }
            (UserIndex::Sip, format!("sip:{upn}"))
        }
        IdentityKey::DomainLogon(logon) => (UserIndex::DomainLogon, logon.clone()),
        IdentityKey::DisplayName(name) => {
            let found = reads.find_users(scope, UserIndex::DisplayName, name, limit)?;
            // A single word is also an alias (Microsoft's -Identity takes both).
            if !found.is_empty() || name.contains(char::is_whitespace) {
                return Ok(found);
            }
            return find_by_alias(reads, scope, name, limit);
        }
        IdentityKey::DistinguishedName(dn) => (UserIndex::DistinguishedName, dn.clone()),
    };
    reads.find_users(scope, index, &text, limit)
}

/// The tenant a scope names, if it exists.
fn scoped_tenant(reads: &dyn StoreReads, scope: &TenantScope) -> Result<Option<Tenant>> {
    match scope {
        TenantScope::Default => reads.default_tenant(),
        TenantScope::Id(id) => reads.tenant(*id),
        TenantScope::Key(key) => Ok(reads.tenants()?.into_iter().find(|t| t.key == *key)),
    }
}

/// The users whose alias is `alias` (folded). The alias is not a lookup key of its own (it
/// lives in the profile), but it is nearly always the logon name or the UPN's local part:
/// those indexes are tried first, for each domain of the tenant, and only when they find
/// no such user are the tenant's users read, page by page (so a miss reads them all).
fn find_by_alias(
    reads: &dyn StoreReads,
    scope: &TenantScope,
    alias: &str,
    limit: usize,
) -> Result<Vec<User>> {
    let Some(tenant) = scoped_tenant(reads, scope)? else {
        return Ok(Vec::new());
    };
    let has_alias = |u: &User| {
        u.profile
            .alias
            .as_deref()
            .map_or(false, |a| identity::fold(a) == alias)
    };
    let within = TenantScope::Key(tenant.key);
    let mut found: Vec<User> = Vec::new();
    for domain in &tenant.domains {
        let keys = [
            (
                UserIndex::Upn,
                format!("{alias}@{}", identity::fold(&domain.name)),
            ),
            (
                UserIndex::DomainLogon,
                identity::domain_logon_key(&domain.net_bios_name, alias),
            ),
        ];
        for (index, key) in keys {
            for user in reads.find_users(&within, index, &key, limit)? {
                if has_alias(&user) && found.iter().all(|f| f.key != user.key) {
                    found.push(user);
                }
            }
        }
    }
    if !found.is_empty() {
        return Ok(found);
    }
    users_where(reads, &tenant, &has_alias, limit)
}

fn resolve_scoped(
    reads: &dyn StoreReads,
    scope: &TenantScope,
    input: &str,
    key: &IdentityKey,
) -> Result<User> {
    let mut users = find_users(reads, scope, key, MAX_CANDIDATES + 1)?;
    match users.len() {
        0 => Err(not_found(reads, scope, input, key)),
        1 => Ok(users.pop().expect("one user")),
        n => {
            let shown: Vec<&str> = users
                .iter()
                .take(MAX_CANDIDATES)
                .map(|u| u.user_principal_name.as_str())
                .collect();
            let more = if n > MAX_CANDIDATES { " and more" } else { "" };
            Err(Error::new(
                ErrorCode::IdentityAmbiguous,
                format!(
                    "The identity {} matches more than one user ({} by {}): {}{more}. Use one of these user principal names instead.",
                    identity::describe(input),
                    if n > MAX_CANDIDATES { format!("over {MAX_CANDIDATES}") } else { n.to_string() },
                    key.form(),
                    shown.join(", ")
                ),
            )
            .with_target(input))
        }
    }
}

/// Microsoft's not-found error, with a hint (PowerShell's recommended action) that names the
/// tenant searched and where else the user is, or the identity forms to try for a bare logon
/// name. Only the failing path pays for the few indexed lookups.
fn not_found(reads: &dyn StoreReads, scope: &TenantScope, input: &str, key: &IdentityKey) -> Error {
    let error = identity::not_found(input);
    // The hint is a courtesy: if looking for it fails, the plain error stands.
    match not_found_hint(reads, scope, input, key) {
        Ok(Some(hint)) => error.with_hint(hint),
        _ => error,
    }
}

fn not_found_hint(
    reads: &dyn StoreReads,
    scope: &TenantScope,
    input: &str,
    key: &IdentityKey,
) -> Result<Option<String>> {
    let tenants = reads.tenants()?;
    let Some(searched) = tenants.iter().find(|t| match scope {
        TenantScope::Default => t.is_default,
        TenantScope::Id(id) => t.tenant_id == *id,
        TenantScope::Key(k) => t.key == *k,
    }) else {
        // No such tenant: the caller reports that instead.
        return Ok(None);
    };
    let mut hint = format!(
        "No user matches it in tenant '{}' ({}){}.",
        searched.name,
        searched.tenant_id,
        if *scope == TenantScope::Default {
            ", the store's default tenant"
        } else {
            ""
        }
    );
    let mut elsewhere: Vec<&Tenant> = Vec::new();
    for t in tenants.iter().filter(|t| t.key != searched.key) {
        if !find_users(reads, &TenantScope::Key(t.key), key, 1)?.is_empty() {
            elsewhere.push(t);
        }
    }
    if let Some(first) = elsewhere.first() {
        let names: Vec<String> = elsewhere
            .iter()
            .map(|t| format!("'{}' ({})", t.name, t.tenant_id))
            .collect();
        hint.push_str(&format!(
            " The user is in tenant {}: add -Tenant {}.",
            names.join(", "),
            first.tenant_id
        ));
    }
    // A bare logon name reads as a display name; say which forms name that user.
    let word = input.trim();
    if matches!(key, IdentityKey::DisplayName(_)) && !word.contains(char::is_whitespace) {
        let mut forms = Vec::new();
        for domain in &searched.domains {
            let logon = identity::domain_logon_key(&domain.net_bios_name, word);
            let found = reads.find_users(
                &TenantScope::Key(searched.key),
                UserIndex::DomainLogon,
                &logon,
                1,
            )?;
            if let Some(user) = found.first() {
                forms.push(format!(
                    "{}\\{word} or {}",
                    domain.net_bios_name, user.user_principal_name
                ));
            }
        }
        if forms.is_empty() {
            let example = searched
                .domains
                .first()
                .map(|d| {
                    format!(
                        " (for example {}\\{word} or {word}@{})",
                        d.net_bios_name, d.name
                    )
                })
                .unwrap_or_default();
            hint.push_str(&format!(
                " No user has that display name or alias; a logon name alone is not an identity: use DOMAIN\\logon or the user principal name{example}."
            ));
        } else {
            hint.push_str(&format!(
                " No user has that display name or alias; a logon name alone is not an identity: use {}.",
                forms.join(", or ")
            ));
        }
    }
    Ok(Some(hint))
}

/// The user property `name` (case-insensitive), or an error naming it, the parameter and
/// the close matches.
fn property_named(name: &str, parameter: &str) -> Result<UserField> {
    UserField::parse(name).ok_or_else(|| {
        let close = UserField::close_matches(name);
        let hint = if close.is_empty() {
            String::from("see Get-Help Get-CsOnlineUser -Parameter Filter for the properties")
        } else {
            format!("did you mean {}?", close.join(", "))
        };
        Error::invalid(format!(
            "{parameter}: '{}' is not a property of a user; {hint}",
            shorten(name.trim())
        ))
        .with_target(name.to_string())
    })
}

/// `-Sort` text: `Property`, `Property asc` or `Property desc`, a script block's braces
/// accepted around it; blank is no sort.
fn parse_sort(text: &str) -> Result<Option<(UserField, bool)>> {
    let trimmed = text.trim();
    let inner = trimmed
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(trimmed);
    let words: Vec<&str> = inner.split_whitespace().collect();
    let (name, descending) = match words.as_slice() {
        [] => return Ok(None),
        [name] => (*name, false),
        [name, order] if order.eq_ignore_ascii_case("asc") => (*name, false),
        [name, order] if order.eq_ignore_ascii_case("desc") => (*name, true),
        _ => {
            return Err(Error::invalid(format!(
            "-Sort: '{}' is not a sort order; write 'Property', 'Property asc' or 'Property desc'.",
            shorten(text)
        ))
            .with_target(text.to_string()))
        }
    };
    let property = property_named(name, "-Sort")?;
    if matches!(property.kind(), FieldKind::Objects(_)) {
        return Err(Error::invalid(format!(
            "-Sort: {} is a list of objects, which has no order; sort on a property with one value (DisplayName, LineURI, WhenChanged, ...) or sort the output with Sort-Object.",
            property.name()
        ))
        .with_target(text.to_string()));
    }
    Ok(Some((property, descending)))
}

/// Orders two values of one property for `-Sort`: null first, times and numbers by value,
/// text case-insensitively, lists by their text.
fn sort_order(a: &FieldValue, b: &FieldValue) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (FieldValue::Null, FieldValue::Null) => Ordering::Equal,
        (FieldValue::Null, _) => Ordering::Less,
        (_, FieldValue::Null) => Ordering::Greater,
        (FieldValue::Time(x), FieldValue::Time(y)) => x.cmp(y),
        (FieldValue::Bool(x), FieldValue::Bool(y)) => x.cmp(y),
        _ => {
            let (x, y) = (
                a.clone().into_text().unwrap_or_default(),
                b.clone().into_text().unwrap_or_default(),
            );
            match (x.trim().parse::<f64>(), y.trim().parse::<f64>()) {
                (Ok(p), Ok(q)) => p.partial_cmp(&q).unwrap_or(Ordering::Equal),
                _ => identity::fold(&x).cmp(&identity::fold(&y)),
            }
        }
    }
}

/// One page of a sorted listing: every selected user is read (streaming) and ordered, ties
/// in creation order; `after` is the position to go on from.
fn sorted_page(
    reads: &dyn StoreReads,
    tenant: &Tenant,
    selection: &Selection,
    property: UserField,
    descending: bool,
    after: Option<i64>,
    limit: usize,
) -> Result<UserPage> {
    let mut selected = Vec::new();
    for_each_user(reads, tenant, &mut |user| {
        if selection.keeps(&user) {
            if selected.len() == MAX_SORTED_USERS {
                return Err(Error::invalid(format!(
                    "-Sort orders at most {MAX_SORTED_USERS} users at once and more are selected; narrow the selection with -Filter or -AccountType, or sort a part at a time."
                )));
            }
            selected.push(user);
        }
        Ok(ControlFlow::Continue(()))
    })?;
    selected.sort_by(|a, b| {
        let order = sort_order(&property.get(a), &property.get(b));
        (if descending { order.reverse() } else { order }).then(a.key.cmp(&b.key))
    });
    let total = selected.len();
    let start = (after.unwrap_or(0).max(0) as usize).min(total);
    let end = start.saturating_add(limit).min(total);
    let users: Vec<User> = selected
        .drain(start..end)
        .map(|u| selection.shown(u))
        .collect();
    Ok(UserPage {
        users,
        next: (end < total).then_some(end as i64),
    })
}

/// The canonical key of the index that answers `property -eq text`, when there is one.
fn index_for(property: UserField, text: &str) -> Option<(UserIndex, String)> {
    Some(match property {
        UserField::Identity => (UserIndex::ObjectId, parse_guid(text)?.to_string()),
        UserField::UserPrincipalName => (UserIndex::Upn, identity::fold(text)),
        UserField::SipAddress => (UserIndex::Sip, identity::sip_key(text)),
        UserField::DisplayName => (UserIndex::DisplayName, identity::fold(text)),
        UserField::DistinguishedName => (
            UserIndex::DistinguishedName,
            identity::canonical_dn(text).ok()?,
        ),
        UserField::WindowsDomainLogon => {
            let (domain, logon) = text.split_once('\\')?;
            (
                UserIndex::DomainLogon,
                identity::domain_logon_key(domain, logon),
            )
        }
        _ => return None,
    })
}

/// The index whose canonical key is the property's folded value, so that a prefix of the
/// value is a prefix of the key (the distinguished name's key is rewritten: not it).
fn prefix_index_for(property: UserField) -> Option<UserIndex> {
    Some(match property {
        UserField::UserPrincipalName => UserIndex::Upn,
        UserField::SipAddress => UserIndex::Sip,
        UserField::DisplayName => UserIndex::DisplayName,
        UserField::WindowsDomainLogon => UserIndex::DomainLogon,
        _ => return None,
    })
}

/// One page of a listing whose filter requires `-like 'prefix*'` on an indexed property:
/// the users in the index's range, in its order, each still checked against the whole
/// selection; the cursor is the last user looked at. `None` when the store has no such
/// range for the index (the caller scans).
fn prefix_page(
    reads: &dyn StoreReads,
    tenant: &Tenant,
    selection: &Selection,
    index: UserIndex,
    key_prefix: &str,
    after: Option<i64>,
    limit: usize,
) -> Result<Option<UserPage>> {
    selected_page(selection, after, limit, false, &mut |after| {
        reads.users_by_prefix(tenant, index, key_prefix, after, limit)
    })
}

/// One result page of the users the selection keeps, from the store pages `read(after)`
/// gives (at most `limit` users each; `None`: the store cannot answer so). A selective
/// filter may need several store pages to fill one result page; the cursor is the last
/// user looked at, so the next call goes on from there. With `one_page` only the first
/// store page is read.
fn selected_page(
    selection: &Selection,
    mut after: Option<i64>,
    limit: usize,
    one_page: bool,
    read: &mut dyn FnMut(Option<i64>) -> Result<Option<Vec<User>>>,
) -> Result<Option<UserPage>> {
    let mut users = Vec::with_capacity(limit.min(1024));
    loop {
        let Some(page) = read(after)? else {
            return Ok(None);
        };
        let exhausted = page.len() < limit;
        for user in page {
            after = Some(user.key);
            if selection.keeps(&user) {
                users.push(selection.shown(user));
                if users.len() == limit {
                    return Ok(Some(UserPage { users, next: after }));
                }
            }
        }
        if exhausted || one_page {
            return Ok(Some(UserPage { users, next: None }));
        }
    }
}

/// What a listing keeps of a user besides its filter: `-AccountType`, `-SoftDeletedUser`.
struct Selection {
    filter: Option<Filter>,
    account_type: Option<&'static str>,
    /// `Some(cutoff)`: only users soft-deleted at or after it.
    deleted_since: Option<crate::time::Timestamp>,
    skip_user_policies: bool,
}

impl Selection {
    fn new(query: &UserQuery, now: crate::time::Timestamp) -> Result<Self> {
        let filter = query
            .filter
            .as_deref()
            .filter(|f| !f.trim().is_empty())
            .map(Filter::parse)
            .transpose()?;
        let account_type = match query
            .account_type
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            None => None,
            Some(t) => Some(
                *ACCOUNT_TYPES
                    .iter()
                    .find(|known| known.eq_ignore_ascii_case(t))
                    .ok_or_else(|| {
                        Error::invalid(format!(
                            "'{}' is not an AccountType; use one of: {}.",
                            shorten(t),
                            ACCOUNT_TYPES.join(", ")
                        ))
                        .with_target(t.to_string())
                    })?,
            ),
        };
        Ok(Selection {
            filter,
            account_type,
            deleted_since: query
                .soft_deleted_user
                .then(|| now.plus_ms(-SOFT_DELETION_DAYS * crate::time::DAY_MS)),
            skip_user_policies: query.skip_user_policies,
        })
    }

    fn keeps(&self, user: &User) -> bool {
        self.account_type
            .map_or(true, |t| user.profile.account_type == t)
            && self.deleted_since.map_or(true, |since| {
                user.profile
                    .soft_deletion_timestamp
                    .map_or(false, |at| at >= since)
            })
            && self.filter.as_ref().map_or(true, |f| f.matches(user))
    }

    /// The user as listed: without its policies under `-SkipUserPolicies`.
    fn shown(&self, mut user: User) -> User {
        if self.skip_user_policies {
            user.profile.policies.clear();
        }
        user
    }
}

/// One page of the tenant's users in a stable order (creation order, or UPN order with a
/// prefix), selected by the filter, `-AccountType` and `-SoftDeletedUser`. A filter that
/// requires equality on an indexed property (`UserPrincipalName -eq 'x'`, also under
/// `-and`) is answered from that index; one that requires `-like 'prefix*'` on one
/// (UserPrincipalName, SipAddress, DisplayName, WindowsDomainLogon) from a range of it, in
/// that index's order, where the store has a byte-ordered index; any other is applied while
/// streaming the tenant's users page by page, so memory stays bounded by the page size
/// whatever the tenant's size.
pub fn list_users(
    reads: &dyn StoreReads,
    query: &UserQuery,
    now: crate::time::Timestamp,
) -> Result<UserPage> {
    let selection = Selection::new(query, now)?;
    for name in query.properties.iter().flatten() {
        property_named(name, "-Properties")?;
    }
    let sort = query.sort.as_deref().map(parse_sort).transpose()?.flatten();
    let tenant = self::tenant(reads, query.tenant.as_deref())?;
    let limit = query.limit.unwrap_or(1000).clamp(1, MAX_PAGE);
    if let Some((property, descending)) = sort {
        return sorted_page(
            reads,
            &tenant,
            &selection,
            property,
            descending,
            query.after,
            limit,
        );
    }
    let prefix = query.prefix.as_deref().map(identity::fold);
    if prefix.is_none() {
        let indexed = selection
            .filter
            .as_ref()
            .and_then(Filter::required_equality)
            .and_then(|(property, text)| index_for(property, text));
        if let Some((index, key)) = indexed {
            // Every match in one page: the unique indexes give at most one, and display
            // names are shared by few users (more than a page falls back to the scan).
            let found = reads.find_users(&TenantScope::Key(tenant.key), index, &key, MAX_PAGE)?;
            if found.len() < MAX_PAGE {
                let users = found
                    .into_iter()
                    .filter(|u| {
                        query.after.map_or(true, |after| u.key > after) && selection.keeps(u)
                    })
                    .take(limit)
                    .map(|u| selection.shown(u))
                    .collect();
                return Ok(UserPage { users, next: None });
            }
        }
    }
    if prefix.is_none() {
        let prefixed = selection
            .filter
            .as_ref()
            .and_then(Filter::required_prefix)
            .and_then(|(property, text)| Some((prefix_index_for(property)?, text)));
        if let Some((index, key_prefix)) = prefixed {
            if let Some(page) = prefix_page(
                reads,
                &tenant,
                &selection,
                index,
                &key_prefix,
                query.after,
                limit,
            )? {
                return Ok(page);
            }
        }
    }
    let page = match &prefix {
        // Completion: one page of the UPN index's range, which it reads once.
        Some(prefix) => selected_page(&selection, query.after, limit, true, &mut |after| {
            reads.users_by_prefix(&tenant, UserIndex::Upn, prefix, after, limit)
        })?,
        None => selected_page(&selection, query.after, limit, false, &mut |after| {
            reads.users_page(&tenant, after, limit).map(Some)
        })?,
    };
    Ok(page.unwrap_or_default())
}

/// Calls `f` with each of the tenant's users in key order (creation order), read a page at
/// a time so that memory stays flat whatever the tenant's size, until `f` says to stop.
pub fn for_each_user(
    reads: &dyn StoreReads,
    tenant: &Tenant,
    f: &mut dyn FnMut(User) -> Result<ControlFlow<()>>,
) -> Result<()> {
    let mut after = None;
    loop {
        let page = reads.users_page(tenant, after, MAX_PAGE)?;
        let exhausted = page.len() < MAX_PAGE;
        for user in page {
            after = Some(user.key);
            if f(user)?.is_break() {
                return Ok(());
            }
        }
        if exhausted {
            return Ok(());
        }
    }
}

/// The tenant's users that `keep` selects, in key order, at most `limit`, for the
/// operations over a whole tenant.
pub fn users_where(
    reads: &dyn StoreReads,
    tenant: &Tenant,
    keep: &dyn Fn(&User) -> bool,
    limit: usize,
) -> Result<Vec<User>> {
    let mut found = Vec::new();
    if limit == 0 {
        return Ok(found);
    }
    for_each_user(reads, tenant, &mut |user| {
        if keep(&user) {
            found.push(user);
        }
        Ok(if found.len() == limit {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        })
    })?;
    Ok(found)
}

/// A stored meeting with what its online-meeting block says.
pub fn meeting_view(row: MeetingRow) -> Meeting {
    let block = OnlineMeetingBlock::find(&row.body);
    let (join_url, conference_id, online_meeting_block) = match block {
        Some(b) => (b.join_url, b.conference_id, Some(b.text.to_string())),
        None => (None, None, None),
    };
    Meeting {
        row,
        join_url,
        conference_id,
        online_meeting_block,
    }
}

/// The user's meetings with their current online-meeting block.
pub fn meetings(
    reads: &dyn StoreReads,
    tenant: Option<&str>,
    identity: &str,
) -> Result<Vec<Meeting>> {
    let user = resolve(reads, tenant, identity)?;
    Ok(reads
        .meetings_of(user.key)?
        .into_iter()
        .map(meeting_view)
        .collect())
}

/// `Set-MmsMeeting`: what an organiser changes in one of their meetings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct MeetingChanges {
    #[serde(default)]
    pub tenant: Option<String>,
    /// The organiser.
    pub identity: String,
    pub meeting_id: Uuid,
    /// Replaces the online-meeting block (a pasted one, say) with a new online meeting of
    /// the meeting's own, as the organiser's Outlook add-in writes it.
    #[serde(default)]
    pub new_online_meeting: bool,
}

/// Applies `changes` to one of the organiser's meetings and returns it as it is now.
pub fn update_meeting(store: &dyn Store, changes: &MeetingChanges) -> Result<Meeting> {
    let tenant = tenant(store.reads(), changes.tenant.as_deref())?;
    let user = resolve(
        store.reads(),
        Some(&tenant.tenant_id.to_string()),
        &changes.identity,
    )?;
    let mut row = store
        .meetings_of(user.key)?
        .into_iter()
        .find(|m| m.meeting_id == changes.meeting_id)
        .ok_or_else(|| {
            Error::invalid(format!(
                "The meeting {} is not one {} organises; Get-MmsMeeting -Identity {} lists them.",
                changes.meeting_id, user.user_principal_name, user.user_principal_name
            ))
            .with_target(changes.meeting_id.to_string())
        })?;
    if changes.new_online_meeting {
        let settings = store.dial_in_settings(&tenant)?;
        let toll = user
            .audio_conferencing_toll_number
            .clone()
            .or(settings.default_toll_number);
        let toll_free = user
            .audio_conferencing_toll_free_number
            .clone()
            .or(settings.default_toll_free_number)
            .filter(|_| settings.options.include_toll_free_number_in_meeting_invites);
        // Derived from this meeting alone, as a meeting's first online meeting is.
        let details = JoinDetails::generate(
            row.meeting_id,
            Uuid::nil(),
            row.meeting_type,
            &join_domain(&user.user_principal_name),
            toll,
            toll_free,
        );
        let body = rewrite(&row.body, &details)
            .unwrap_or_else(|| format!("{}\r\n\r\n{}\r\n", row.body.trim_end(), details.render()));
        store.set_meeting_body(row.key, &body)?;
        row.body = body;
    }
    Ok(meeting_view(row))
}

/// Creates a tenant; the store's first tenant becomes its default.
pub fn create_tenant(store: &dyn Store, tenant: &NewTenant) -> Result<Tenant> {
    let tenant = checked_tenant(store, tenant)?;
    store.create_tenant(&tenant, tenant.tenant_id.unwrap_or_else(Uuid::new_v4))
}

/// The tenant as the store takes it: name and domains checked and trimmed, each domain
/// once (case-insensitively), and `default` set when the store has no default tenant yet.
pub fn checked_tenant(reads: &dyn StoreReads, tenant: &NewTenant) -> Result<NewTenant> {
    if tenant.name.trim().is_empty() {
        return Err(Error::invalid("A tenant needs a name."));
    }
    let mut domains: Vec<TenantDomain> = Vec::with_capacity(tenant.domains.len());
    for d in &tenant.domains {
        if d.name.trim().is_empty()
            || !d.name.contains('.')
            || d.net_bios_name.trim().is_empty()
            || d.net_bios_name.contains(['\\', '@'])
        {
            return Err(Error::invalid(format!(
                "The domain '{}' (NetBIOS '{}') is not valid: give a DNS name such as contoso.com and a NetBIOS name such as CONTOSO.",
                shorten(&d.name),
                shorten(&d.net_bios_name)
            ))
            .with_target(d.name.clone()));
        }
        if domains
            .iter()
            .any(|seen| identity::fold(&seen.name) == identity::fold(&d.name))
        {
            return Err(
                Error::invalid(format!("The domain '{}' is listed twice.", d.name))
                    .with_target(d.name.clone()),
            );
        }
        domains.push(TenantDomain {
            name: d.name.trim().to_string(),
            net_bios_name: d.net_bios_name.trim().to_string(),
        });
    }
    Ok(NewTenant {
        tenant_id: tenant.tenant_id,
        name: tenant.name.clone(),
        domains,
        default: tenant.default || reads.default_tenant()?.is_none(),
    })
}

pub fn set_default_tenant(store: &dyn Store, tenant: &str) -> Result<Tenant> {
    let t = self::tenant(store.reads(), Some(tenant))?;
    store.set_default_tenant(t.key)?;
    self::tenant(store.reads(), Some(tenant))
}

/// The range of `HoldMinutes`: up to one week.
pub const HOLD_MINUTES: std::ops::RangeInclusive<i64> = 0..=10_080;
/// The range of `PinLength`: digits of a conference PIN.
pub const PIN_LENGTH: std::ops::RangeInclusive<i64> = 4..=12;

/// A setting's value checked against its range: the one check the cmdlets rely on.
fn check_range(
    setting: &str,
    value: i64,
    range: &std::ops::RangeInclusive<i64>,
    unit: &str,
) -> Result<()> {
    if range.contains(&value) {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "{setting} {value} is out of range: use {} to {} {unit}.",
        range.start(),
        range.end()
    ))
    .with_target(value.to_string()))
}

pub fn set_migration_configuration(
    store: &dyn Store,
    tenant: Option<&str>,
    changes: &MigrationConfigurationChanges,
) -> Result<MigrationConfiguration> {
    check_migration_changes(changes)?;
    let tenant = self::tenant(store.reads(), tenant)?;
    store.update_migration_configuration(&tenant, &mut |c| {
        apply_migration_changes(c, changes);
        Ok(())
    })
}

/// Checks migration configuration changes before they reach the store.
fn check_migration_changes(changes: &MigrationConfigurationChanges) -> Result<()> {
    if let Some(h) = changes.hold_minutes {
        check_range(
            "HoldMinutes",
            h,
            &HOLD_MINUTES,
            "minutes (one week at most)",
        )?;
    }
    if let Some(scale) = changes.time_scale {
        check_range(
            "TimeScale",
            scale,
            &TIME_SCALE,
            "(1 = real time; 86400 runs a day in a second)",
        )?;
    }
    Ok(())
}

/// Applies checked changes: absent fields stay.
fn apply_migration_changes(
    c: &mut MigrationConfiguration,
    changes: &MigrationConfigurationChanges,
) {
    if let Some(enabled) = changes.meeting_migration_enabled {
        c.meeting_migration_enabled = enabled;
    }
    if let Some(hold) = changes.hold_minutes {
        c.hold_minutes = hold;
    }
    if let Some(scale) = changes.time_scale {
        c.time_scale = scale;
    }
}

/// The range of `TimeScale`: how many times faster than real time a tenant's hold,
/// back-off and retry window run.
pub const TIME_SCALE: std::ops::RangeInclusive<i64> = 1..=86_400;

/// The tenant's fault injection (`Get-MmsFaultInjection`).
pub fn fault_injection(reads: &dyn StoreReads, tenant: Option<&str>) -> Result<FaultInjection> {
    Ok(self::tenant(reads, tenant)?.fault_injection)
}

/// Sets the tenant's fault injection (`Set-MmsFaultInjection`); absent values stay.
pub fn set_fault_injection(
    store: &dyn Store,
    tenant: Option<&str>,
    changes: &FaultInjectionChanges,
) -> Result<FaultInjection> {
    check_fault_changes(changes)?;
    let tenant = self::tenant(store.reads(), tenant)?;
    let c = store.update_migration_configuration(&tenant, &mut |c| {
        apply_fault_changes(&mut c.fault_injection, changes);
        Ok(())
    })?;
    Ok(c.fault_injection)
}

/// Checks fault-injection changes: each rate a fraction from 0 to 1.
fn check_fault_changes(changes: &FaultInjectionChanges) -> Result<()> {
    for (name, rate) in [
        ("TransientFailureRate", changes.transient_failure_rate),
        ("PermanentFailureRate", changes.permanent_failure_rate),
    ] {
        if let Some(rate) = rate.filter(|r| !(0.0..=1.0).contains(r)) {
            return Err(Error::invalid(format!(
                "{name} {rate} is out of range: use a fraction from 0 (never) to 1 (always)."
            ))
            .with_target(rate.to_string()));
        }
    }
    Ok(())
}

fn apply_fault_changes(f: &mut FaultInjection, changes: &FaultInjectionChanges) {
    f.transient_rate = changes.transient_failure_rate.unwrap_or(f.transient_rate);
    f.permanent_rate = changes.permanent_failure_rate.unwrap_or(f.permanent_rate);
    f.seed = changes.seed.unwrap_or(f.seed);
}

pub fn dial_in_settings(reads: &dyn StoreReads, tenant: Option<&str>) -> Result<DialInSettings> {
    reads.dial_in_settings(&self::tenant(reads, tenant)?)
}

/// Checks dial-in changes (PIN length, number shapes) before they reach the store.
fn check_dial_in_changes(changes: &DialInSettingsChanges) -> Result<()> {
    if let Some(p) = changes.pin_length {
        check_range("PinLength", p, &PIN_LENGTH, "digits")?;
    }
    for number in [
        &changes.default_toll_number,
        &changes.default_toll_free_number,
    ]
    .into_iter()
    .flatten()
    // An empty number clears the setting; only others are checked.
    .filter(|n| !n.trim().is_empty())
    {
        validate::check_phone_number(number)
            .map_err(|why| Error::invalid(why).with_target(number.clone()))?;
    }
    for (name, value, accepted) in [
        (
            "AllowFederatedUsersToDialOutToSelf",
            &changes.allow_federated_users_to_dial_out_to_self,
            DIAL_OUT_PERMISSIONS,
        ),
        (
            "AllowFederatedUsersToDialOutToThirdParty",
            &changes.allow_federated_users_to_dial_out_to_third_party,
            DIAL_OUT_PERMISSIONS,
        ),
        (
            "EntryExitAnnouncementsType",
            &changes.entry_exit_announcements_type,
            ENTRY_EXIT_ANNOUNCEMENT_TYPES,
        ),
        (
            "MaskPstnNumbersType",
            &changes.mask_pstn_numbers_type,
            MASK_PSTN_NUMBERS_TYPES,
        ),
    ] {
        if let Some(v) = value {
            one_of(name, v, accepted)?;
        }
    }
    if let Some(address) = changes
        .send_email_from_address
        .as_deref()
        .filter(|a| !a.trim().is_empty())
    {
        if !validate::check_address(address.trim()) {
            return Err(Error::invalid(format!(
                "SendEmailFromAddress: '{}' is not an email address (alias@domain, e.g. Admin@Contoso.com).",
                shorten(address)
            ))
            .with_target(address.to_string()));
        }
    }
    for domain in changes.allowed_dial_out_external_domains.iter().flatten() {
        let d = domain.trim();
        if d.is_empty()
            || !d.contains('.')
            || d.contains(|c: char| c.is_whitespace() || c == '@' || c == '/')
        {
            return Err(Error::invalid(format!(
                "AllowedDialOutExternalDomains: '{}' is not a domain name (e.g. fabrikam.com).",
                shorten(domain)
            ))
            .with_target(domain.clone()));
        }
    }
    Ok(())
}

/// The accepted spelling of `value` among `accepted` (case-insensitive), or an error naming them.
fn one_of(name: &str, value: &str, accepted: &[&'static str]) -> Result<&'static str> {
    accepted
        .iter()
        .find(|a| a.eq_ignore_ascii_case(value.trim()))
        .copied()
        .ok_or_else(|| {
            Error::invalid(format!(
                "{name}: '{}' is not valid; use one of: {}.",
                shorten(value),
                accepted.join(", ")
            ))
            .with_target(value.to_string())
        })
}

/// Applies checked changes: absent fields stay, a number given empty is cleared.
pub fn apply_dial_in_changes(settings: &mut DialInSettings, changes: &DialInSettingsChanges) {
    let number = |n: &str| Some(n.trim().to_string()).filter(|n| !n.is_empty());
    if let Some(v) = changes.automatically_migrate_user_meetings {
        settings.automatically_migrate_user_meetings = v;
    }
    if let Some(v) = changes.automatically_replace_acp_provider {
        settings.automatically_replace_acp_provider = v;
    }
    if let Some(v) = changes.automatically_send_emails_to_users {
        settings.automatically_send_emails_to_users = v;
    }
    if let Some(v) = changes.pin_length {
        settings.pin_length = v;
    }
    if let Some(n) = &changes.default_toll_number {
        settings.default_toll_number = number(n);
    }
    if let Some(n) = &changes.default_toll_free_number {
        settings.default_toll_free_number = number(n);
    }
    let o = &mut settings.options;
    if let Some(v) = &changes.allowed_dial_out_external_domains {
        o.allowed_dial_out_external_domains = v.iter().map(|d| d.trim().to_string()).collect();
    }
    // The enumerations were checked: the accepted spelling is stored.
    let spelled = |v: &str, accepted: &[&'static str]| {
        one_of("", v, accepted)
            .map(String::from)
            .unwrap_or_else(|_| v.to_string())
    };
    if let Some(v) = &changes.allow_federated_users_to_dial_out_to_self {
        o.allow_federated_users_to_dial_out_to_self = spelled(v, DIAL_OUT_PERMISSIONS);
    }
    if let Some(v) = &changes.allow_federated_users_to_dial_out_to_third_party {
        o.allow_federated_users_to_dial_out_to_third_party = spelled(v, DIAL_OUT_PERMISSIONS);
    }
    if let Some(v) = &changes.entry_exit_announcements_type {
        o.entry_exit_announcements_type = spelled(v, ENTRY_EXIT_ANNOUNCEMENT_TYPES);
    }
    if let Some(v) = &changes.mask_pstn_numbers_type {
        o.mask_pstn_numbers_type = spelled(v, MASK_PSTN_NUMBERS_TYPES);
    }
    for (change, setting) in [
        (
            changes.allow_pstn_only_meetings_by_default,
            &mut o.allow_pstn_only_meetings_by_default,
        ),
        (
            changes.enable_dial_out_join_confirmation,
            &mut o.enable_dial_out_join_confirmation,
        ),
        (
            changes.enable_entry_exit_notifications,
            &mut o.enable_entry_exit_notifications,
        ),
        (changes.enable_name_recording, &mut o.enable_name_recording),
        (
            changes.include_toll_free_number_in_meeting_invites,
            &mut o.include_toll_free_number_in_meeting_invites,
        ),
        (
            changes.migrate_service_numbers_on_cross_forest_move,
            &mut o.migrate_service_numbers_on_cross_forest_move,
        ),
        (
            changes.send_email_from_override,
            &mut o.send_email_from_override,
        ),
        (
            changes.use_unique_conference_ids,
            &mut o.use_unique_conference_ids,
        ),
    ] {
        if let Some(v) = change {
            *setting = v;
        }
    }
    if let Some(v) = &changes.send_email_from_address {
        o.send_email_from_address = number(v);
    }
    if let Some(v) = &changes.send_email_from_display_name {
        o.send_email_from_display_name = number(v);
    }
}

pub fn set_dial_in_settings(
    store: &dyn Store,
    tenant: Option<&str>,
    changes: &DialInSettingsChanges,
) -> Result<DialInSettings> {
    check_dial_in_changes(changes)?;
    let tenant = self::tenant(store.reads(), tenant)?;
    store.update_dial_in_settings(&tenant, &mut |s| {
        apply_dial_in_changes(s, changes);
        Ok(())
    })
}

/// Imports a `.json` (users and meetings) or `.csv` (users) file into the tenant, all or
/// nothing. Only a regular file of at most `options.max_bytes` is read. `progress(done,
/// total)` is called on this thread as records are read; when `cancel` is raised (from
/// `progress` or another thread) the import stops with `Cancelled`, while reading the file
/// or its records, before anything is written.
pub fn import_file(
    store: &dyn Store,
    tenant: Option<&str>,
    path: &Path,
    options: &import::ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    cancel: Option<&CancelToken>,
) -> Result<ImportSummary> {
    let shown = shorten(&path.display().to_string());
    let check = || match cancel {
        Some(c) if c.is_cancelled() => Err(Error::new(
            ErrorCode::Cancelled,
            format!("The import of '{shown}' was cancelled; nothing was imported."),
        )
        .with_target(path.display().to_string())),
        _ => Ok(()),
    };
    let tenant = self::tenant(store.reads(), tenant)?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if extension != "json" && extension != "csv" {
        return Err(Error::new(
            ErrorCode::ImportFailed,
            format!("'{shown}' is neither a .json nor a .csv file."),
        )
        .with_target(path.display().to_string()));
    }
    let max_bytes = options
        .max_bytes
        .unwrap_or(import::DEFAULT_MAX_IMPORT_BYTES);
    let text = import::read_import_file(path, max_bytes, &check)?;
    let progress = &mut |done, total| {
        progress(done, total);
        check()
    };
    let (mut data, settings) = if extension == "json" {
        import::parse_json(&text, &tenant, progress)?
    } else {
        (import::parse_csv(&text, &tenant, progress)?, None)
    };
    drop(text);
    if let Some(section) = settings {
        data.settings = Some(imported_settings(store.reads(), &tenant, &section)?);
    }
    check()?;
    store.import(&tenant, &data)?;
    Ok(ImportSummary {
        users: data.users.len(),
        meetings: data.meetings.len(),
    })
}

/// The tenant's settings once an import file's `Settings` section is applied to them,
/// checked as the `Set-Cs...` cmdlets check them; a bad setting fails the import. They
/// are read here and written in the import's transaction: a settings change made in
/// between is overwritten, as if it had come first.
fn imported_settings(
    reads: &dyn StoreReads,
    tenant: &Tenant,
    section: &import::SettingsSection,
) -> Result<TenantSettings> {
    let failed = |e: Error| {
        Error::new(
            ErrorCode::ImportFailed,
            format!("Settings: {} Nothing was imported.", e.message),
        )
        .with_target("Settings")
    };
    let mut migration = tenant.migration_configuration();
    if let Some(changes) = &section.migration_configuration {
        check_migration_changes(changes).map_err(failed)?;
        apply_migration_changes(&mut migration, changes);
    }
    if let Some(changes) = &section.fault_injection {
        check_fault_changes(changes).map_err(failed)?;
        apply_fault_changes(&mut migration.fault_injection, changes);
    }
    let mut dial_in = reads.dial_in_settings(tenant)?;
    if let Some(changes) = &section.dial_in_conferencing {
        check_dial_in_changes(changes).map_err(failed)?;
        apply_dial_in_changes(&mut dial_in, changes);
    }
    Ok(TenantSettings { migration, dial_in })
}

/// Writes the tenant a `-Tenant` argument names to a JSON file that [`import_file`] reads
/// back into an identical tenant (see [`export`]). `reads` should be one read scope.
/// `progress(done, total)` is called on this thread; when `cancel` is raised the export
/// stops with `Cancelled` and leaves no file.
pub fn export_file(
    reads: &dyn StoreReads,
    tenant: Option<&str>,
    path: &Path,
    replace: bool,
    progress: &mut dyn FnMut(usize, usize),
    cancel: Option<&CancelToken>,
) -> Result<ExportSummary> {
    let tenant = self::tenant(reads, tenant)?;
    export::export_file(reads, &tenant, path, replace, &mut |done, total| {
        progress(done, total);
        match cancel {
            Some(c) if c.is_cancelled() => Err(Error::new(
                ErrorCode::Cancelled,
                format!(
                    "The export to '{}' was cancelled; no file was written.",
                    shorten(&path.display().to_string())
                ),
            )
            .with_target(path.display().to_string())),
            _ => Ok(()),
        }
    })
}
