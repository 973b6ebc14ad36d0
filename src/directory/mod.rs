//! The tenant directory: tenants and their settings, users (resolution and listing), meetings.

pub mod filter;
pub mod import;
pub mod sample;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{shorten, Error, ErrorCode, Result};
use crate::identity::{self, IdentityKey};
use crate::model::*;
use crate::service::{parse_tenant_id, Service};
use crate::store::TenantScope;
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
}

/// One page of users and the cursor of the next (`None` at the end).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPage {
    pub users: Vec<User>,
    pub next: Option<i64>,
}

impl Service {
    /// Resolves an identity (any §3 form) to exactly one user of the tenant.
    pub fn resolve(&self, tenant: Option<&str>, identity: &str) -> Result<User> {
        let key = IdentityKey::parse(identity)?;
        let scope = match tenant.map(str::trim).filter(|t| !t.is_empty()) {
            None => TenantScope::Default,
            Some(t) => TenantScope::Id(parse_tenant_id(t)?),
        };
        self.resolve_scoped(&scope, identity, &key)
            .map_err(|e| match e.code {
                // Nothing found may mean no such tenant: then that is the error to report.
                ErrorCode::IdentityNotFound => self.tenant(tenant).err().unwrap_or(e),
                _ => e,
            })
    }

    pub(crate) fn resolve_in(
        &self,
        tenant: &Tenant,
        input: &str,
        key: &IdentityKey,
    ) -> Result<User> {
        self.resolve_scoped(&TenantScope::Key(tenant.key), input, key)
    }

    fn resolve_scoped(&self, scope: &TenantScope, input: &str, key: &IdentityKey) -> Result<User> {
        let mut users = self.store.find_users(scope, key, MAX_CANDIDATES + 1)?;
        match users.len() {
            0 => Err(identity::not_found(input)),
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

    /// One page of the tenant's users in a stable order (creation order, or UPN order with
    /// a prefix), filtered. Memory stays bounded by the page size whatever the tenant's size.
    pub fn list_users(&self, query: &UserQuery) -> Result<UserPage> {
        let filter = query
            .filter
            .as_deref()
            .filter(|f| !f.trim().is_empty())
            .map(Filter::parse)
            .transpose()?;
        let tenant = self.tenant(query.tenant.as_deref())?;
        let limit = query.limit.unwrap_or(1000).clamp(1, MAX_PAGE);
        let prefix = query.prefix.as_deref().map(identity::fold);
        let mut users = Vec::with_capacity(limit.min(1024));
        let mut after = query.after;
        // A selective filter may need several store pages to fill one result page; the
        // cursor is the last user looked at, so the next call goes on from there.
        loop {
            let page = self
                .store
                .users_page(&tenant, after, prefix.as_deref(), limit)?;
            let exhausted = page.len() < limit;
            for user in page {
                after = Some(user.key);
                if filter.as_ref().map_or(true, |f| f.matches(&user)) {
                    users.push(user);
                    if users.len() == limit {
                        return Ok(UserPage { users, next: after });
                    }
                }
            }
            if exhausted {
                return Ok(UserPage { users, next: None });
            }
            if prefix.is_some() {
                // UPN-ordered pages cannot resume by key; completion wants one page only.
                return Ok(UserPage { users, next: None });
            }
        }
    }

    /// The user's meetings with their current online-meeting block.
    pub fn meetings(&self, tenant: Option<&str>, identity: &str) -> Result<Vec<Meeting>> {
        let user = self.resolve(tenant, identity)?;
        self.store.meetings_of(&user)
    }

    pub fn tenants(&self) -> Result<Vec<Tenant>> {
        self.store.tenants()
    }

    /// Creates a tenant; the store's first tenant becomes its default.
    pub fn create_tenant(&self, tenant: &NewTenant) -> Result<Tenant> {
        if tenant.name.trim().is_empty() {
            return Err(Error::invalid("A tenant needs a name."));
        }
        for d in &tenant.domains {
            if d.name.trim().is_empty()
                || !d.name.contains('.')
                || d.net_bios_name.trim().is_empty()
                || d.net_bios_name.contains(['\\', '@'])
            {
                return Err(Error::invalid(format!(
                    "The domain '{}' (NetBIOS '{}') is not valid: give a DNS name such as contoso.com and a NetBIOS name such as CONTOSO.",
                    shorten(&d.name), shorten(&d.net_bios_name)
                ))
                .with_target(d.name.clone()));
            }
        }
        self.store
            .create_tenant(tenant, tenant.tenant_id.unwrap_or_else(Uuid::new_v4))
    }

    pub fn set_default_tenant(&self, tenant: &str) -> Result<Tenant> {
        let t = self.tenant(Some(tenant))?;
        self.store.set_default_tenant(t.key)?;
        self.tenant(Some(tenant))
    }

    pub fn migration_configuration(&self, tenant: Option<&str>) -> Result<MigrationConfiguration> {
        Ok(self.tenant(tenant)?.migration_configuration())
    }

    pub fn set_migration_configuration(
        &self,
        tenant: Option<&str>,
        changes: &MigrationConfigurationChanges,
    ) -> Result<MigrationConfiguration> {
        if let Some(h) = changes.hold_minutes {
            if !(0..=10_080).contains(&h) {
                return Err(Error::invalid(format!(
                    "HoldMinutes {h} is out of range: use 0 to 10080 (one week)."
                ))
                .with_target(h.to_string()));
            }
        }
        self.store
            .set_migration_configuration(&self.tenant(tenant)?, changes)
    }

    pub fn dial_in_settings(&self, tenant: Option<&str>) -> Result<DialInSettings> {
        self.store.dial_in_settings(&self.tenant(tenant)?)
    }

    pub fn set_dial_in_settings(
        &self,
        tenant: Option<&str>,
        changes: &DialInSettingsChanges,
    ) -> Result<DialInSettings> {
        if let Some(p) = changes.pin_length {
            if !(4..=12).contains(&p) {
                return Err(Error::invalid(format!(
                    "PinLength {p} is out of range: a PIN has 4 to 12 digits."
                ))
                .with_target(p.to_string()));
            }
        }
        for number in [
            &changes.default_toll_number,
            &changes.default_toll_free_number,
        ]
        .into_iter()
        .flatten()
        // An empty number clears the setting (DialInSettingsChanges); only others are checked.
        .filter(|n| !n.trim().is_empty())
        {
            import::check_phone_number(number)
                .map_err(|why| Error::invalid(why).with_target(number.clone()))?;
        }
        self.store
            .set_dial_in_settings(&self.tenant(tenant)?, changes)
    }
}
