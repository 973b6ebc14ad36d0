//! [`Service`]: the safe Rust API of the whole product. The C ABI and the tests call it;
//! its methods live beside the data they serve (`directory`, `migration`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use uuid::Uuid;

use crate::error::{Error, ErrorCode, Result};
use crate::migration::worker::{Worker, WorkerOptions};
use crate::model::Tenant;
use crate::store::sqlite::SqliteStore;
use crate::store::Store;

/// An open store plus, when started, the worker that runs its queue in this process.
pub struct Service {
    pub(crate) store: Arc<dyn Store>,
    worker: Mutex<Option<Worker>>,
}

impl Service {
    /// Opens (creating on first use) the embedded store at `path`, or at
    /// [`default_store_path`] when `None`.
    pub fn open(path: Option<&Path>) -> Result<Self> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => default_store_path()?,
        };
        Ok(Self::with_store(Arc::new(SqliteStore::open(&path)?)))
    }

    /// A service over any [`Store`] implementation.
    pub fn with_store(store: Arc<dyn Store>) -> Self {
        Service {
            store,
            worker: Mutex::new(None),
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Starts the in-process worker on a background thread; a no-op when it runs already.
    pub fn start_worker(&self, options: WorkerOptions) -> Result<()> {
        let mut worker = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        if worker.is_none() {
            *worker = Some(Worker::spawn(Arc::clone(&self.store), options)?);
        }
        Ok(())
    }

    /// Stops the in-process worker and waits for its thread; the request it was working on
    /// stays claimed until its lease expires, then any process resumes it.
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

    /// Runs `f` with its reads in one store snapshot (see [`Store::snapshot`]).
    pub(crate) fn in_snapshot<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut value = None;
        self.store.snapshot(&mut || {
            value = f.take().map(|f| f());
            Ok(())
        })?;
        value.expect("the snapshot ran its body")
    }

    /// The tenant a `-Tenant` argument names: `None` or empty = the store's default tenant;
    /// otherwise a GUID that must exist.
    pub fn tenant(&self, tenant: Option<&str>) -> Result<Tenant> {
        match tenant.map(str::trim).filter(|t| !t.is_empty()) {
            None => self.store.default_tenant()?.ok_or_else(|| {
                Error::new(
                    ErrorCode::NoDefaultTenant,
                    "The store has no tenant yet. Create one with New-MmsSampleTenant or New-MmsTenant, or import data with Import-MmsTenantData.",
                )
            }),
            Some(text) => {
                let id = parse_tenant_id(text)?;
                self.store.tenant(id)?.ok_or_else(|| {
                    Error::new(
                        ErrorCode::TenantNotFound,
                        format!("The tenant {id} is not in the store. Get-MmsTenant lists the tenants there are."),
                    )
                    .with_target(text)
                })
            }
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop_worker();
    }
}

/// Parses a tenant id, rejecting anything that is not a GUID before any work is done.
pub fn parse_tenant_id(text: &str) -> Result<Uuid> {
    let trimmed = text.trim();
    let inner = trimmed
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(trimmed);
    Uuid::parse_str(inner).map_err(|_| {
        Error::new(
            ErrorCode::InvalidTenantId,
            format!("'{}' is not a tenant id: a tenant id is a GUID such as 38aad667-af54-4397-aaa7-e94c79ec2308.", crate::error::shorten(text)),
        )
        .with_target(text)
    })
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
