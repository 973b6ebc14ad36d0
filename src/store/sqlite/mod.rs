//! The embedded store: one SQLite file (system libsqlite3) in WAL mode, shared by any number
//! of threads and processes. Writers wait on a busy timeout instead of failing with
//! SQLITE_BUSY; readers never wait for writers.

mod directory;
mod error;
mod queue;
pub mod schema;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use uuid::Uuid;

use super::*;
use crate::error::{Error, ErrorCode, Result};

/// How long a writer waits for another process's write lock before `StoreBusy`.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(60);
/// Read connections kept for reuse; more concurrent readers open short-lived ones.
const READER_POOL: usize = 8;

thread_local! {
    /// The read transaction of a [`Store::snapshot`] running on this thread: the store it
    /// belongs to (by address) and its connection. Reads of that store on this thread use it.
    static SNAPSHOT: RefCell<Option<(usize, Connection)>> = const { RefCell::new(None) };
}

/// Ends this thread's snapshot when dropped, also when the snapshot's body panics.
struct SnapshotGuard<'a>(&'a SqliteStore);

impl Drop for SnapshotGuard<'_> {
    fn drop(&mut self) {
        if let Some((_, conn)) = SNAPSHOT.with(|s| s.borrow_mut().take()) {
            // A read-only transaction: ending it cannot lose anything.
            let _ = conn.execute_batch("COMMIT");
            self.0.release(conn);
        }
    }
}

/// The SQLite implementation of [`Store`].
pub struct SqliteStore {
    path: PathBuf,
    busy_timeout: Duration,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl SqliteStore {
    /// Opens the store at `path`, creating the file (owner-only permissions) and its folder
    /// on first use, and upgrading its schema to the current version.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, DEFAULT_BUSY_TIMEOUT, schema::STEPS.len())
    }

    /// Opens the store with another busy timeout: how long a write waits for another
    /// process's lock before it fails with `StoreBusy`.
    pub fn open_with_busy_timeout(path: &Path, busy_timeout: Duration) -> Result<Self> {
        Self::open_with(path, busy_timeout, schema::STEPS.len())
    }

    /// Opens a store upgraded only up to `version` (tests use it to make old stores).
    #[doc(hidden)]
    pub fn open_at_version(path: &Path, version: usize) -> Result<Self> {
        Self::open_with(path, DEFAULT_BUSY_TIMEOUT, version)
    }

    fn open_with(path: &Path, busy_timeout: Duration, version: usize) -> Result<Self> {
        create_file(path)?;
        let writer = connect(path, busy_timeout)?;
        upgrade(&writer, path, version)?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            busy_timeout,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<usize> {
        self.read(schema_version)
    }

    /// Runs `f` on a read connection (a consistent snapshot for the duration of `f`'s
    /// statements, never blocked by writers).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let in_snapshot = SNAPSHOT.with(|s| match &*s.borrow() {
            Some((store, conn)) if *store == self.id() => f.take().map(|f| f(conn)),
            _ => None,
        });
        if let Some(result) = in_snapshot {
            return result;
        }
        let conn = self.reader()?;
        let result = f.take().expect("not consumed")(&conn);
        self.release(conn);
        result
    }

    fn id(&self) -> usize {
        self as *const Self as usize
    }

    fn reader(&self) -> Result<Connection> {
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match pooled {
            Some(c) => Ok(c),
            None => connect(&self.path, self.busy_timeout),
        }
    }

    fn release(&self, conn: Connection) {
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < READER_POOL && conn.is_autocommit() {
            pool.push(conn);
        }
    }

    /// Runs `f` in an immediate write transaction, committed when `f` succeeds.
    fn write<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Like [`write`](Self::write), but `f` may ask for a rollback by returning `Ok(None)`.
    fn write_if<T>(&self, f: impl FnOnce(&Transaction) -> Result<Option<T>>) -> Result<Option<T>> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        match f(&tx)? {
            Some(v) => {
                tx.commit()?;
                Ok(Some(v))
            }
            None => Ok(None), // dropping the transaction rolls it back
        }
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::new(
        ErrorCode::StoreIo,
        format!("Cannot {what} the store '{}': {e}.", path.display()),
    )
    .with_target(path.display().to_string())
}

/// Creates the file with owner-only permissions before SQLite sees it (SQLite gives its
/// -wal and -shm files the same permissions).
fn create_file(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_error(path, "create the folder of", e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map(drop)
        .map_err(|e| io_error(path, "create", e))
}

fn connect(path: &Path, busy_timeout: Duration) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| store_error(path, e))?;
    conn.busy_timeout(busy_timeout)?;
    conn.set_prepared_statement_cache_capacity(64);
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
        .map_err(|e| store_error(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::new(
            ErrorCode::StoreIo,
            format!(
                "The store '{}' cannot use WAL journaling (got '{mode}').",
                path.display()
            ),
        ));
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

fn store_error(path: &Path, e: rusqlite::Error) -> Error {
    let mut error = Error::from(e);
    if error.code == ErrorCode::StoreCorrupt {
        error.message = format!(
            "The file '{}' is not a MeetingMigration store or is damaged. Restore it from a copy or point MEETING_MIGRATION_STORE at another file.",
            path.display()
        );
    }
    error.with_target(path.display().to_string())
}

fn schema_version(conn: &Connection) -> Result<usize> {
    let exists: bool = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
        [],
        |r| r.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !exists {
        return Ok(0);
    }
    let v: i64 = conn.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_version",
        [],
        |r| r.get(0),
    )?;
    Ok(v as usize)
}

fn upgrade(conn: &Connection, path: &Path, target: usize) -> Result<()> {
    let (app_id, tables): (i32, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_master)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| store_error(path, e))?;
    if tables > 0 && app_id != schema::APPLICATION_ID {
        return Err(Error::new(
            ErrorCode::StoreCorrupt,
            format!("The file '{}' is an SQLite database of another program, not a MeetingMigration store.", path.display()),
        )
        .with_target(path.display().to_string()));
    }
    loop {
        // Each step runs in its own immediate transaction; another process upgrading at
        // the same moment is waited for and its work re-checked.
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = (|| -> Result<bool> {
            let current = schema_version(conn)?;
            if current > schema::STEPS.len() {
                return Err(Error::new(
                    ErrorCode::StoreTooNew,
                    format!(
                        "The store '{}' has schema version {current}, newer than this library's {}. Use a newer MeetingMigration.",
                        path.display(),
                        schema::STEPS.len()
                    ),
                ));
            }
            if current >= target {
                return Ok(false);
            }
            if current == 0 {
                conn.execute_batch(&format!(
                    "PRAGMA application_id = {};
                     CREATE TABLE schema_version(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);",
                    schema::APPLICATION_ID
                ))?;
            }
            conn.execute_batch(schema::STEPS[current])?;
            conn.execute(
                "INSERT INTO schema_version(version, applied_at) VALUES (?1, ?2)",
                rusqlite::params![current as i64 + 1, crate::time::Timestamp::now().millis()],
            )?;
            Ok(true)
        })();
        match result {
            Ok(true) => conn.execute_batch("COMMIT")?,
            Ok(false) => {
                conn.execute_batch("COMMIT")?;
                return Ok(());
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
    }
}

impl Store for SqliteStore {
    fn snapshot(&self, f: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        if SNAPSHOT.with(|s| s.borrow().is_some()) {
            return f(); // nested: part of the snapshot already open
        }
        let conn = self.reader()?;
        // Deferred: the WAL read lock is taken at the first read and held to the end.
        conn.execute_batch("BEGIN")?;
        SNAPSHOT.with(|s| *s.borrow_mut() = Some((self.id(), conn)));
        let _guard = SnapshotGuard(self);
        f()
    }
    fn tenants(&self) -> Result<Vec<Tenant>> {
        self.read(directory::tenants)
    }
    fn tenant(&self, id: Uuid) -> Result<Option<Tenant>> {
        self.read(|c| directory::tenant(c, "tenant_id = ?1", rusqlite::params![id.to_string()]))
    }
    fn default_tenant(&self) -> Result<Option<Tenant>> {
        self.read(|c| directory::tenant(c, "is_default = 1", []))
    }
    fn create_tenant(&self, tenant: &NewTenant, id: Uuid) -> Result<Tenant> {
        self.write(|tx| directory::create_tenant(tx, tenant, id))
    }
    fn create_filled_tenant(
        &self,
        tenant: &NewTenant,
        id: Uuid,
        dial_in: &DialInSettingsChanges,
        next_chunk: &mut dyn FnMut(&Tenant) -> Result<Option<DirectoryData>>,
    ) -> Result<Tenant> {
        self.write(|tx| {
            let created = directory::create_tenant(tx, tenant, id)?;
            directory::set_dial_in_settings(tx, &created, dial_in)?;
            while let Some(data) = next_chunk(&created)? {
                directory::import(tx, &created, &data)?;
            }
            directory::tenant(tx, "key = ?1", [created.key])?
                .ok_or_else(|| Error::internal("the new tenant vanished"))
        })
    }
    fn set_default_tenant(&self, tenant: i64) -> Result<()> {
        self.write(|tx| directory::set_default_tenant(tx, tenant))
    }
    fn set_migration_configuration(
        &self,
        tenant: &Tenant,
        changes: &MigrationConfigurationChanges,
    ) -> Result<MigrationConfiguration> {
        self.write(|tx| directory::set_migration_configuration(tx, tenant, changes))
    }
    fn dial_in_settings(&self, tenant: &Tenant) -> Result<DialInSettings> {
        self.read(|c| directory::dial_in_settings(c, tenant))
    }
    fn set_dial_in_settings(
        &self,
        tenant: &Tenant,
        changes: &DialInSettingsChanges,
    ) -> Result<DialInSettings> {
        self.write(|tx| directory::set_dial_in_settings(tx, tenant, changes))
    }
    fn find_users(
        &self,
        tenant: &TenantScope,
        key: &IdentityKey,
        limit: usize,
    ) -> Result<Vec<User>> {
        self.read(|c| directory::find_users(c, tenant, key, limit))
    }
    fn users_page(
        &self,
        tenant: &Tenant,
        after: Option<i64>,
        upn_prefix: Option<&str>,
        limit: usize,
    ) -> Result<Vec<User>> {
        self.read(|c| directory::users_page(c, tenant, after, upn_prefix, limit))
    }
    fn import(&self, tenant: &Tenant, data: &DirectoryData) -> Result<()> {
        self.write(|tx| directory::import(tx, tenant, data))
    }
    fn meetings_of(&self, user: &User) -> Result<Vec<Meeting>> {
        self.read(|c| directory::meetings_of(c, user))
    }
    fn meetings_in_scope(
        &self,
        user: &User,
        source: SourceMeetingType,
        now: Timestamp,
    ) -> Result<Vec<(Uuid, String, Timestamp, MeetingType)>> {
        self.read(|c| queue::meetings_in_scope(c, user.key, source, now))
    }
    fn start_requests(&self, requests: &[NewRequest], now: Timestamp) -> Result<Vec<Started>> {
        self.write(|tx| queue::start_requests(tx, requests, now))
    }
    fn open_request(&self, user: i64) -> Result<Option<MigrationStatus>> {
        self.read(|c| queue::open_request(c, user))
    }
    fn request(&self, correlation_id: Uuid) -> Result<Option<MigrationDetail>> {
        self.read(|c| queue::request_detail(c, correlation_id))
    }
    fn request_statuses(&self, correlation_ids: &[Uuid]) -> Result<Vec<Option<QueuedStatus>>> {
        // One snapshot: the records and the positions agree with each other.
        let mut found = Vec::new();
        self.snapshot(&mut || {
            found = self.read(|c| queue::request_statuses(c, correlation_ids))?;
            Ok(())
        })?;
        Ok(found)
    }
    fn requests(&self, filter: &StatusFilter) -> Result<Vec<MigrationStatus>> {
        self.read(|c| queue::requests(c, filter))
    }
    fn summary(&self, filter: &StatusFilter) -> Result<Vec<StateSummary>> {
        self.read(|c| queue::summary(c, filter))
    }
    fn claim(&self, owner: &str, now: Timestamp, lease_ms: i64) -> Result<Option<Claim>> {
        self.write(|tx| queue::claim(tx, owner, now, lease_ms))
    }
    fn pending_meetings(&self, request: i64, after: i64, limit: usize) -> Result<Vec<MeetingWork>> {
        self.read(|c| queue::pending_meetings(c, request, after, limit))
    }
    fn commit_batch(
        &self,
        claim: &Claim,
        results: &[MeetingResult],
        now: Timestamp,
        lease_ms: i64,
    ) -> Result<bool> {
        self.write_if(|tx| queue::commit_batch(tx, claim, results, now, lease_ms))
            .map(|done| done.is_some())
    }
    fn end_request(&self, claim: &Claim, end: &RequestEnd, now: Timestamp) -> Result<bool> {
        self.write_if(|tx| queue::end_request(tx, claim, end, now))
            .map(|done| done.is_some())
    }
    fn purge(&self, before: Timestamp) -> Result<usize> {
        self.write(|tx| queue::purge(tx, before))
    }
}
