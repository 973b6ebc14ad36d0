//! [`FaultyStore`]: a real store behind a wrapper that fails chosen calls, so the service's
//! and the worker's error paths are tested without damaging a database file.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use meeting_migration::model::*;
use meeting_migration::store::*;
use meeting_migration::time::Timestamp;
use meeting_migration::{Error, ErrorCode, Result};
use uuid::Uuid;

/// Wraps a store; a method set to fail returns `StoreBusy` (a transient fault) for its next
/// N calls and changes nothing, then works again.
pub struct FaultyStore {
    inner: Arc<dyn Store>,
    failures: Mutex<HashMap<&'static str, u32>>,
}

impl FaultyStore {
    pub fn new(inner: Arc<dyn Store>) -> Self {
        FaultyStore {
            inner,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// The next `times` calls of `method` (its name in the traits) fail.
    pub fn fail(&self, method: &'static str, times: u32) -> &Self {
        self.failures.lock().unwrap().insert(method, times);
        self
    }

    /// Failures of `method` still to come.
    pub fn remaining(&self, method: &'static str) -> u32 {
        *self.failures.lock().unwrap().get(method).unwrap_or(&0)
    }

    fn maybe_fail(&self, method: &'static str) -> Result<()> {
        let mut failures = self.failures.lock().unwrap();
        match failures.get_mut(method) {
            Some(n) if *n > 0 => {
                *n -= 1;
                Err(Error::new(
                    ErrorCode::StoreBusy,
                    format!("injected fault in {method}"),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// Delegates each call to the inner store after [`FaultyStore::maybe_fail`].
macro_rules! faulty_calls {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        $(fn $name(&self, $($arg: $ty),*) -> Result<$ret> {
            self.maybe_fail(stringify!($name))?;
            self.inner.$name($($arg),*)
        })*
    };
}

impl StoreReads for FaultyStore {
    faulty_calls! {
        tenants() -> Vec<Tenant>;
        tenant(id: Uuid) -> Option<Tenant>;
        default_tenant() -> Option<Tenant>;
        dial_in_settings(tenant: &Tenant) -> DialInSettings;
        find_users(tenant: &TenantScope, index: UserIndex, key: &str, limit: usize) -> Vec<User>;
        users_page(tenant: &Tenant, after: Option<i64>, limit: usize) -> Vec<User>;
        users_by_prefix(tenant: &Tenant, index: UserIndex, prefix: &str, after: Option<i64>, limit: usize) -> Option<Vec<User>>;
        meetings_of(organizer: i64) -> Vec<MeetingRow>;
        meeting_schedules_of(organizer: i64) -> Vec<MeetingSchedule>;
        open_request(user: i64) -> Option<MigrationStatus>;
        request(correlation_id: Uuid) -> Option<MigrationDetail>;
        request_statuses(correlation_ids: &[Uuid]) -> Vec<Option<QueuedStatus>>;
        requests(filter: &StatusFilter) -> Vec<MigrationStatus>;
        users_per_state(filter: &StatusFilter) -> Vec<(RequestState, i64)>;
        pending_meetings(request: i64, after: i64, limit: usize) -> Vec<MeetingWork>;
    }
}

impl Store for FaultyStore {
    fn reads(&self) -> &dyn StoreReads {
        self
    }
    fn read_scope(&self, f: &mut dyn FnMut(&dyn StoreReads) -> Result<()>) -> Result<()> {
        self.maybe_fail("read_scope")?;
        // The scope's reads go through this wrapper too, so their faults apply inside it.
        f(self)
    }
    fn create_filled_tenant(
        &self,
        tenant: &NewTenant,
        id: Uuid,
        dial_in: &mut Apply<DialInSettings>,
        next_chunk: &mut dyn FnMut(&Tenant) -> Result<Option<DirectoryData>>,
    ) -> Result<Tenant> {
        self.maybe_fail("create_filled_tenant")?;
        self.inner
            .create_filled_tenant(tenant, id, dial_in, next_chunk)
    }
    fn update_migration_configuration(
        &self,
        tenant: &Tenant,
        apply: &mut Apply<MigrationConfiguration>,
    ) -> Result<MigrationConfiguration> {
        self.maybe_fail("update_migration_configuration")?;
        self.inner.update_migration_configuration(tenant, apply)
    }
    fn update_dial_in_settings(
        &self,
        tenant: &Tenant,
        apply: &mut Apply<DialInSettings>,
    ) -> Result<DialInSettings> {
        self.maybe_fail("update_dial_in_settings")?;
        self.inner.update_dial_in_settings(tenant, apply)
    }
    fn update_user(&self, user: i64, apply: &mut Apply<User>) -> Result<User> {
        self.maybe_fail("update_user")?;
        self.inner.update_user(user, apply)
    }
    fn set_meeting_body(&self, meeting: i64, body: &str) -> Result<bool> {
        self.maybe_fail("set_meeting_body")?;
        self.inner.set_meeting_body(meeting, body)
    }
    faulty_calls! {
        create_tenant(tenant: &NewTenant, id: Uuid) -> Tenant;
        set_default_tenant(tenant: i64) -> ();
        import(tenant: &Tenant, data: &DirectoryData) -> ();
        start_requests(requests: &[NewRequest], now: Timestamp) -> Vec<Started>;
        claim(owner: &str, now: Timestamp, lease_ms: i64) -> Option<Claim>;
        scope_request(claim: &Claim, meetings: &[i64], now: Timestamp, lease_ms: i64) -> bool;
        commit_batch(claim: &Claim, results: &[MeetingResult], now: Timestamp, lease_ms: i64) -> bool;
        end_request(claim: &Claim, end: &RequestEnd, now: Timestamp) -> bool;
        purge(before: Timestamp) -> usize;
        check() -> StoreCheck;
        backup(to: &std::path::Path, replace: bool) -> StoreBackup;
    }
}
