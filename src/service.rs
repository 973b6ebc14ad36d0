//! [`Service`]: the safe Rust API of the whole product, over a [`Store`] and a [`Clock`].
//! The C ABI, `mms-worker` and the tests call it; its methods live beside the data they
//! serve (`directory`, `migration`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cancel::CancelToken;
use crate::directory::dial_in::{self, DialInConferencingUser, DialInUsersQuery};
use crate::directory::import::ImportOptions;
use crate::directory::sample::{self, SampleOptions};
use crate::directory::{self, UserPage, UserQuery};
use crate::error::{Error, ErrorCode, Result};
use crate::migration::request::{self, Preview, PreviewSummary, StartRequest};
use crate::migration::status::{self, StatusQuery};
use crate::migration::trigger::{
    self, DefaultNumberChange, TenantUpgradePolicy, UserChanges, UserUpdate,
};
use crate::migration::worker::{Worker, WorkerOptions};
use crate::model::*;
use crate::store::{self, Store, StoreReads};
use crate::time::{Clock, SystemClock, Timestamp};

/// An open store, the clock its rules read, and, when started, the worker that runs its
/// queue in this process.
pub struct Service {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    worker: Mutex<Option<Worker>>,
}

impl Service {
    /// Opens (creating on first use) the store at `location`, or the embedded store at
    /// [`default_store_path`] when `None`.
    pub fn open(location: Option<&Path>) -> Result<Self> {
        let location = match location {
            Some(p) => p.to_path_buf(),
            None => default_store_path()?,
        };
        Ok(Self::with_store(store::open(&location)?))
    }

    /// A service over any [`Store`] implementation, on the system clock.
    pub fn with_store(store: Arc<dyn Store>) -> Self {
        Self::with_clock(store, Arc::new(SystemClock))
    }

    /// A service whose rules (and worker) read the time from `clock`.
    pub fn with_clock(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Service {
            store,
            clock,
            worker: Mutex::new(None),
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The clock the service's rules and its worker read.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Starts the in-process worker on a background thread; a no-op when it runs already.
    pub fn start_worker(&self, options: WorkerOptions) -> Result<()> {
        let mut worker = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        if worker.is_none() {
            *worker = Some(Worker::spawn(
                Arc::clone(&self.store),
                Arc::clone(&self.clock),
                options,
            )?);
        }
        Ok(())
    }

    /// Stops the in-process worker and waits for its thread; a request it was working on
    /// is released, so any process resumes it at once.
    pub fn stop_worker(&self) {
        let worker = self.worker.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(w) = worker {
            w.stop();
        }
    }

    pub fn worker_running(&self) -> bool {
        self.worker
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// Checks the whole store for damage (see [`Store::check`]).
    pub fn check_store(&self) -> Result<StoreCheck> {
        self.store.check()
    }

    /// Writes a consistent copy of the store to `to` (see [`Store::backup`]).
    pub fn backup_store(&self, to: &Path, replace: bool) -> Result<StoreBackup> {
        self.store.backup(to, replace)
    }

    /// Runs `f` over one consistent view of the store (see [`Store::read_scope`]).
    pub(crate) fn in_read_scope<T>(
        &self,
        f: impl FnOnce(&dyn StoreReads) -> Result<T>,
    ) -> Result<T> {
        let mut f = Some(f);
        let mut value = None;
        // The body's error goes through the store, which notices damage in it.
        self.store.read_scope(&mut |reads| {
            if let Some(f) = f.take() {
                value = Some(f(reads)?);
            }
            Ok(())
        })?;
        value.ok_or_else(|| Error::internal("the read scope did not run its body"))
    }

    // The directory.

    /// The tenant a `-Tenant` argument names: `None` or empty = the store's default tenant;
    /// otherwise a GUID that must exist.
    pub fn tenant(&self, tenant: Option<&str>) -> Result<Tenant> {
        directory::tenant(self.store.reads(), tenant)
    }

    pub fn tenants(&self) -> Result<Vec<Tenant>> {
        self.store.tenants()
    }

    /// Creates a tenant; the store's first tenant becomes its default.
    pub fn create_tenant(&self, tenant: &NewTenant) -> Result<Tenant> {
        directory::create_tenant(&*self.store, tenant)
    }

    /// Creates the sample tenant (see [`sample`]), its meetings placed around now.
    pub fn create_sample_tenant(&self, options: &SampleOptions) -> Result<Tenant> {
        sample::create_sample_tenant(&*self.store, options, self.now())
    }

    pub fn set_default_tenant(&self, tenant: &str) -> Result<Tenant> {
        directory::set_default_tenant(&*self.store, tenant)
    }

    pub fn migration_configuration(&self, tenant: Option<&str>) -> Result<MigrationConfiguration> {
        Ok(self.tenant(tenant)?.migration_configuration())
    }

    pub fn set_migration_configuration(
        &self,
        tenant: Option<&str>,
        changes: &MigrationConfigurationChanges,
    ) -> Result<MigrationConfiguration> {
        directory::set_migration_configuration(&*self.store, tenant, changes)
    }

    /// The tenant's fault injection (off unless set).
    pub fn fault_injection(&self, tenant: Option<&str>) -> Result<FaultInjection> {
        directory::fault_injection(self.store.reads(), tenant)
    }

    /// Sets the tenant's fault injection (see [`directory::set_fault_injection`]).
    pub fn set_fault_injection(
        &self,
        tenant: Option<&str>,
        changes: &FaultInjectionChanges,
    ) -> Result<FaultInjection> {
        directory::set_fault_injection(&*self.store, tenant, changes)
    }

    /// Changes a user and starts the migration the change calls for, if any (see
    /// [`trigger::update_user`]).
    pub fn update_user(&self, changes: &UserChanges) -> Result<UserUpdate> {
        trigger::update_user(&*self.store, changes, self.now())
    }

    /// The users of Microsoft audio conferencing (`Get-CsOnlineDialInConferencingUser`).
    pub fn dial_in_users(&self, query: &DialInUsersQuery) -> Result<Vec<DialInConferencingUser>> {
        dial_in::dial_in_users(self.store.reads(), query)
    }

    /// Replaces many users' default number (see [`trigger::set_default_number`]).
    pub fn set_default_number(&self, change: &DefaultNumberChange) -> Result<Vec<UserUpdate>> {
        trigger::set_default_number(&*self.store, change, self.now())
    }

    /// Grants an upgrade policy tenant-wide (see [`trigger::grant_tenant_upgrade_policy`]).
    pub fn grant_tenant_upgrade_policy(&self, grant: &TenantUpgradePolicy) -> Result<Vec<User>> {
        trigger::grant_tenant_upgrade_policy(&*self.store, grant, self.now())
    }

    pub fn dial_in_settings(&self, tenant: Option<&str>) -> Result<DialInSettings> {
        directory::dial_in_settings(self.store.reads(), tenant)
    }

    pub fn set_dial_in_settings(
        &self,
        tenant: Option<&str>,
        changes: &DialInSettingsChanges,
    ) -> Result<DialInSettings> {
        directory::set_dial_in_settings(&*self.store, tenant, changes)
    }

    /// Resolves an identity (any form `-Identity` takes) to exactly one user of the tenant.
    pub fn resolve(&self, tenant: Option<&str>, identity: &str) -> Result<User> {
        directory::resolve(self.store.reads(), tenant, identity)
    }

    /// One page of the tenant's users (see [`directory::list_users`]).
    pub fn list_users(&self, query: &UserQuery) -> Result<UserPage> {
        directory::list_users(self.store.reads(), query, self.clock.now())
    }

    /// The user's meetings with their current online-meeting block.
    /// Changes one of an organiser's meetings (see [`directory::update_meeting`]).
    pub fn update_meeting(&self, changes: &directory::MeetingChanges) -> Result<Meeting> {
        directory::update_meeting(&*self.store, changes)
    }

    pub fn meetings(&self, tenant: Option<&str>, identity: &str) -> Result<Vec<Meeting>> {
        self.in_read_scope(|reads| directory::meetings(reads, tenant, identity))
    }

    /// Imports a `.json` or `.csv` file into the tenant, all or nothing, with the default
    /// [`ImportOptions`] (see [`directory::import_file`]).
    pub fn import_file(
        &self,
        tenant: Option<&str>,
        path: &Path,
        progress: &mut dyn FnMut(usize, usize),
        cancel: Option<&CancelToken>,
    ) -> Result<ImportSummary> {
        self.import_file_with(tenant, path, &ImportOptions::default(), progress, cancel)
    }

    /// Imports a `.json` or `.csv` file into the tenant, all or nothing, read as `options`
    /// say (see [`directory::import_file`]).
    pub fn import_file_with(
        &self,
        tenant: Option<&str>,
        path: &Path,
        options: &ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
        cancel: Option<&CancelToken>,
    ) -> Result<ImportSummary> {
        directory::import_file(&*self.store, tenant, path, options, progress, cancel)
    }

    /// Writes the tenant to a JSON file that [`import_file`](Self::import_file) reads back
    /// into an identical tenant: one consistent state of it (see [`directory::export_file`]).
    pub fn export_file(
        &self,
        tenant: Option<&str>,
        path: &Path,
        replace: bool,
        progress: &mut dyn FnMut(usize, usize),
        cancel: Option<&CancelToken>,
    ) -> Result<ExportSummary> {
        self.in_read_scope(|reads| {
            directory::export_file(reads, tenant, path, replace, progress, cancel)
        })
    }

    // Migrations.

    /// What starting `request` would do, changing nothing.
    pub fn preview(&self, request: &StartRequest) -> Result<Preview> {
        let now = self.now();
        self.in_read_scope(|reads| request::preview(reads, request, now))
    }

    /// [`Self::preview`] for many requests in one read scope; one result per request, in
    /// order. A request that fails gets its error and does not stop the others.
    pub fn preview_batch(&self, requests: &[StartRequest]) -> Result<Vec<Result<PreviewSummary>>> {
        let now = self.now();
        self.in_read_scope(|reads| Ok(request::preview_batch(reads, requests, now)))
    }

    /// Queues a migration for one user (or returns the user's open request). Durable when
    /// it returns.
    pub fn start(&self, request: &StartRequest) -> Result<Started> {
        self.start_batch(std::slice::from_ref(request))
            .pop()
            .expect("one result per request")
    }

    /// Queues many requests in one transaction; one result per request, in order. Requests
    /// that fail a rule get their error and do not stop the others.
    pub fn start_batch(&self, requests: &[StartRequest]) -> Vec<Result<Started>> {
        request::start_batch(&*self.store, requests, self.now())
    }

    /// The status records matching the query, oldest first.
    pub fn status(&self, query: &StatusQuery) -> Result<Vec<MigrationStatus>> {
        self.in_read_scope(|reads| status::status(reads, query))
    }

    /// Users per state (every state listed, zero included).
    pub fn status_summary(&self, query: &StatusQuery) -> Result<Vec<StateSummary>> {
        self.in_read_scope(|reads| status::status_summary(reads, query))
    }

    /// One request of the tenant a `-Tenant` argument names (`None` = the default tenant)
    /// with its queue position and per-meeting outcomes; another tenant's request is not
    /// found (see [`status::request_detail`]).
    pub fn request_detail(
        &self,
        tenant: Option<&str>,
        correlation_id: &str,
    ) -> Result<MigrationDetail> {
        self.in_read_scope(|reads| status::request_detail(reads, tenant, correlation_id))
    }

    /// Many requests' status records with their queue positions, in order, of the tenant a
    /// `-Tenant` argument names (`None` for an unknown id or another tenant's request): one
    /// call per poll for every job of a process, without outcomes.
    pub fn request_statuses(
        &self,
        tenant: Option<&str>,
        correlation_ids: &[String],
    ) -> Result<Vec<Option<QueuedStatus>>> {
        self.in_read_scope(|reads| status::request_statuses(reads, tenant, correlation_ids))
    }

    /// Waits until the request, of the tenant a `-Tenant` argument names, is Succeeded or
    /// Failed (see [`status::wait`]).
    pub fn wait(
        &self,
        tenant: Option<&str>,
        correlation_id: &str,
        timeout: Duration,
        progress: &mut dyn FnMut(&MigrationStatus),
        cancel: Option<&CancelToken>,
    ) -> Result<MigrationStatus> {
        // Not in a read scope: each poll must see the worker's commits.
        status::wait(
            self.store.reads(),
            tenant,
            correlation_id,
            timeout,
            progress,
            cancel,
        )
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop_worker();
    }
}

/// The platform data directory's store: `$XDG_DATA_HOME` or `~/.local/share` (Unix),
/// `%LOCALAPPDATA%` (Windows), then `MeetingMigration/mms.db`. `MEETING_MIGRATION_STORE`
/// is not read here: the caller (the PowerShell module) reads it and passes the path.
pub fn default_store_path() -> Result<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(windows) {
        var("LOCALAPPDATA")
    } else {
        var("XDG_DATA_HOME").or_else(|| var("HOME").map(|h| h.join(".local/share")))
    };
    base.map(|b| b.join("MeetingMigration").join("mms.db")).ok_or_else(|| {
        Error::new(ErrorCode::StoreIo, "No data directory is known (neither XDG_DATA_HOME nor HOME is set); pass the store path.")
    })
}
