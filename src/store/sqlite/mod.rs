//! The embedded store: one SQLite file (system libsqlite3) in WAL mode, shared by any number
//! of threads and processes. Writers wait on a busy timeout instead of failing with
//! SQLITE_BUSY; readers never wait for writers.

mod backup;
mod check;
mod directory;
mod error;
mod file;
mod queue;
pub mod schema;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use uuid::Uuid;

use super::*;
use crate::error::{Error, ErrorCode, Result};
use crate::model::*;

/// How long a writer waits for another process's write lock before `StoreBusy`.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(60);
/// Read connections kept for reuse; more concurrent readers open short-lived ones.
const READER_POOL: usize = 8;
/// The most each connection's page cache holds, in KiB (SQLite's default is 2 MiB). A
/// lookup reads a few index pages and the row's page; with the default most of a large
/// store's hot pages are read again from the file on each lookup. The cache is the
/// process's own memory (its working set shows it) and fills only as pages are read: a
/// process with the writer, one reader and the worker's reader busy stays within about
/// 3 × 32 MiB, the 8 pooled readers of a very concurrent host within 9 × 32 MiB.
const PAGE_CACHE_KIB: i64 = 32 * 1024;

/// The SQLite implementation of [`Store`].
pub struct SqliteStore {
    /// The path as given: what messages name.
    location: PathBuf,
    /// The file SQLite opens (`location` with a symbolic link resolved).
    file: PathBuf,
    busy_timeout: Duration,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// The first damage this process saw in the file; writes are refused once it is set.
    damage: Mutex<Option<String>>,
}

/// Stores up to this size get SQLite's `quick_check` when they are opened (a few
/// milliseconds); larger ones are checked by [`Store::check`] when asked.
const QUICK_CHECK_MAX_BYTES: u64 = 8 << 20;

impl SqliteStore {
    /// Opens the store at `path`, creating the file (owner-only permissions) and its folder
    /// on first use, and upgrading its schema to the current version. A path that is not a
    /// private regular file of the user is refused first (see [`file`]).
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
        let file = file::prepare(path)?;
        let writer = connect(&file, path, busy_timeout)?;
        // Several processes may create one store at once: setting it up waits on the busy
        // timeout like every write, and each step is idempotent.
        let deadline = Instant::now() + busy_timeout;
        let damage = loop {
            match set_up(&writer, path, &file, version) {
                Err(e) if e.code == ErrorCode::StoreBusy && Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                result => {
                    break result.map_err(|e| match e.target {
                        None if e.code == ErrorCode::StoreCorrupt => unopenable(path, &e.message),
                        _ => e,
                    })?
                }
            }
        };
        Ok(SqliteStore {
            location: path.to_path_buf(),
            file,
            busy_timeout,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            damage: Mutex::new(damage),
        })
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<usize> {
        self.read(schema_version)
    }

    /// Runs `f` on a read connection: each statement sees a consistent state and is never
    /// blocked by writers.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.reader()?;
        let result = f(&conn);
        self.release(conn);
        self.noticing_damage(result)
    }

    fn reader(&self) -> Result<Connection> {
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match pooled {
            Some(c) => Ok(c),
            None => connect(&self.file, &self.location, self.busy_timeout),
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
        self.write_if(|tx| f(tx).map(Some))
            .map(|v| v.expect("committed"))
    }

    /// Like [`write`](Self::write), but `f` may ask for a rollback by returning `Ok(None)`.
    /// Refused while the file is known to be damaged, so the damage does not spread.
    fn write_if<T>(&self, f: impl FnOnce(&Transaction) -> Result<Option<T>>) -> Result<Option<T>> {
        if let Some(damage) = self
            .damage
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            return Err(damaged(&self.location, &damage));
        }
        let result = (|| {
            let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            match f(&tx)? {
                Some(v) => {
                    tx.commit()?;
                    Ok(Some(v))
                }
                None => Ok(None), // dropping the transaction rolls it back
            }
        })();
        self.noticing_damage(result)
    }

    /// Remembers a `StoreCorrupt` failure (later writes are refused) and names the file
    /// and the way out in its message.
    fn noticing_damage<T>(&self, result: Result<T>) -> Result<T> {
        result.map_err(|e| {
            if e.code != ErrorCode::StoreCorrupt {
                return e;
            }
            self.damage
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert_with(|| e.message.clone());
            match e.target {
                Some(_) => e, // names its file already
                None => damaged(&self.location, &e.message),
            }
        })
    }
}

/// `StoreCorrupt` for a store too damaged to open.
fn unopenable(location: &Path, detail: &str) -> Error {
    Error::new(
        ErrorCode::StoreCorrupt,
        format!(
            "The store '{}' is damaged ({detail}) and cannot be opened. Restore a copy of the store or point MEETING_MIGRATION_STORE at another file.",
            location.display()
        ),
    )
    .with_target(location.display().to_string())
}

/// `StoreCorrupt` for the store at `location`, with what was found and the way out.
fn damaged(location: &Path, detail: &str) -> Error {
    Error::new(
        ErrorCode::StoreCorrupt,
        format!(
            "The store '{}' is damaged ({detail}). Writes to it are refused so that the damage does not spread. Run Test-MmsStore for a full report, then restore a copy of the store or point MEETING_MIGRATION_STORE at another file.",
            location.display()
        ),
    )
    .with_target(location.display().to_string())
}

/// Opens a connection to the vetted store `file` (`location` is what messages name).
fn connect(file: &Path, location: &Path, busy_timeout: Duration) -> Result<Connection> {
    // No SQLITE_OPEN_CREATE: the file exists (see `file::prepare`). No SQLITE_OPEN_URI: a
    // path is a path. NOFOLLOW: a link swapped in after the vetting is refused.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_NOFOLLOW;
    let set_up = || {
        let conn = Connection::open_with_flags(file, flags)?;
        conn.busy_timeout(busy_timeout)?;
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "cache_size", -PAGE_CACHE_KIB)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(conn)
    };
    set_up().map_err(|e| store_error(location, e))
}

/// Makes the opened file a current store: refuses another program's database before
/// changing anything, runs the quick check on a small store, switches to WAL journaling
/// and applies the missing schema steps. Returns the damage the quick check found.
fn set_up(
    conn: &Connection,
    location: &Path,
    file: &Path,
    version: usize,
) -> Result<Option<String>> {
    // Until the file is known to be a store, closing this connection must not checkpoint
    // another program's write-ahead log into its database.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    let (app_id, tables): (i32, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_master)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| store_error(location, e))?;
    if tables > 0 && app_id != schema::APPLICATION_ID {
        return Err(Error::new(
            ErrorCode::StoreCorrupt,
            format!("The file '{}' is an SQLite database of another program, not a MeetingMigration store; it was left as it was.", location.display()),
        )
        .with_target(location.display().to_string()));
    }
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)?;
    let small = std::fs::metadata(file).map_or(false, |m| m.len() <= QUICK_CHECK_MAX_BYTES);
    let damage = if tables > 0 && small {
        check::quick(conn)?
    } else {
        None
    };
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
        .map_err(|e| store_error(location, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::new(
            ErrorCode::StoreIo,
            format!(
                "The store '{}' cannot use WAL journaling (got '{mode}').",
                location.display()
            ),
        ));
    }
    if damage.is_none() {
        upgrade(conn, location, version)?;
    }
    Ok(damage)
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

/// The reads of one connection: autocommit (each call its own snapshot) or inside the read
/// transaction of a [`Store::read_scope`].
struct Reader<'c>(&'c Connection);

/// Runs `f` in one read transaction unless the connection is in one already (a read
/// scope), so reads of several statements agree with each other.
fn consistent<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    if !conn.is_autocommit() {
        return f();
    }
    conn.execute_batch("BEGIN")?;
    let result = f();
    // A read-only transaction: ending it cannot lose anything.
    let _ = conn.execute_batch("COMMIT");
    result
}

impl StoreReads for Reader<'_> {
    fn tenants(&self) -> Result<Vec<Tenant>> {
        directory::tenants(self.0)
    }
    fn tenant(&self, id: Uuid) -> Result<Option<Tenant>> {
        directory::tenant(self.0, "tenant_id = ?1", rusqlite::params![id.to_string()])
    }
    fn default_tenant(&self) -> Result<Option<Tenant>> {
        directory::tenant(self.0, "is_default = 1", [])
    }
    fn dial_in_settings(&self, tenant: &Tenant) -> Result<DialInSettings> {
        directory::dial_in_settings(self.0, tenant)
    }
    fn find_users(
        &self,
        tenant: &TenantScope,
        index: UserIndex,
        key: &str,
        limit: usize,
    ) -> Result<Vec<User>> {
        directory::find_users(self.0, tenant, index, key, limit)
    }
    fn users_page(&self, tenant: &Tenant, after: Option<i64>, limit: usize) -> Result<Vec<User>> {
        directory::users_page(self.0, tenant, after, limit)
    }
    fn users_by_prefix(
        &self,
        tenant: &Tenant,
        index: UserIndex,
        prefix: &str,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Option<Vec<User>>> {
        directory::users_by_prefix(self.0, tenant, index, prefix, after, limit)
    }
    fn meetings_of(&self, organizer: i64) -> Result<Vec<MeetingRow>> {
        directory::meetings_of(self.0, organizer)
    }
    fn meeting_schedules_of(&self, organizer: i64) -> Result<Vec<MeetingSchedule>> {
        directory::meeting_schedules_of(self.0, organizer)
    }
    fn open_request(&self, user: i64) -> Result<Option<MigrationStatus>> {
        queue::open_request(self.0, user)
    }
    fn request(&self, correlation_id: Uuid) -> Result<Option<MigrationDetail>> {
        consistent(self.0, || queue::request_detail(self.0, correlation_id))
    }
    fn request_statuses(&self, correlation_ids: &[Uuid]) -> Result<Vec<Option<QueuedStatus>>> {
        consistent(self.0, || queue::request_statuses(self.0, correlation_ids))
    }
    fn requests(&self, filter: &StatusFilter) -> Result<Vec<MigrationStatus>> {
        queue::requests(self.0, filter)
    }
    fn users_per_state(&self, filter: &StatusFilter) -> Result<Vec<(RequestState, i64)>> {
        queue::users_per_state(self.0, filter)
    }
    fn pending_meetings(&self, request: i64, after: i64, limit: usize) -> Result<Vec<MeetingWork>> {
        queue::pending_meetings(self.0, request, after, limit)
    }
}

/// The store's own reads: each on a pooled read connection, in its own snapshot.
macro_rules! reads_on_a_pooled_connection {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        impl StoreReads for SqliteStore {
            $(fn $name(&self, $($arg: $ty),*) -> Result<$ret> {
                self.read(|c| Reader(c).$name($($arg),*))
            })*
        }
    };
}

reads_on_a_pooled_connection! {
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

impl Store for SqliteStore {
    fn reads(&self) -> &dyn StoreReads {
        self
    }
    fn read_scope(&self, f: &mut dyn FnMut(&dyn StoreReads) -> Result<()>) -> Result<()> {
        let conn = self.reader()?;
        // Deferred: the WAL read lock is taken at the first read and held to the end.
        conn.execute_batch("BEGIN")?;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&Reader(&conn))));
        // A read-only transaction: ending it cannot lose anything.
        let _ = conn.execute_batch("COMMIT");
        self.release(conn);
        match result {
            Ok(result) => self.noticing_damage(result),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
    fn create_tenant(&self, tenant: &NewTenant, id: Uuid) -> Result<Tenant> {
        self.write(|tx| directory::create_tenant(tx, tenant, id))
    }
    fn create_filled_tenant(
        &self,
        tenant: &NewTenant,
        id: Uuid,
        dial_in: &mut Apply<DialInSettings>,
        next_chunk: &mut dyn FnMut(&Tenant) -> Result<Option<DirectoryData>>,
    ) -> Result<Tenant> {
        self.write(|tx| {
            let created = directory::create_tenant(tx, tenant, id)?;
            directory::update_dial_in_settings(tx, &created, dial_in)?;
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
    fn update_migration_configuration(
        &self,
        tenant: &Tenant,
        apply: &mut Apply<MigrationConfiguration>,
    ) -> Result<MigrationConfiguration> {
        self.write(|tx| directory::update_migration_configuration(tx, tenant, apply))
    }
    fn update_dial_in_settings(
        &self,
        tenant: &Tenant,
        apply: &mut Apply<DialInSettings>,
    ) -> Result<DialInSettings> {
        self.write(|tx| directory::update_dial_in_settings(tx, tenant, apply))
    }
    fn update_user(&self, user: i64, apply: &mut Apply<User>) -> Result<User> {
        self.write(|tx| directory::update_user(tx, user, apply))
    }
    fn set_meeting_body(&self, meeting: i64, body: &str) -> Result<bool> {
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE meetings SET body = ?2 WHERE key = ?1",
                rusqlite::params![meeting, body],
            )? == 1)
        })
    }
    fn import(&self, tenant: &Tenant, data: &DirectoryData) -> Result<()> {
        self.write(|tx| directory::import(tx, tenant, data))
    }
    fn start_requests(&self, requests: &[NewRequest], now: Timestamp) -> Result<Vec<Started>> {
        self.write(|tx| queue::start_requests(tx, requests, now))
    }
    fn claim(&self, owner: &str, now: Timestamp, lease_ms: i64) -> Result<Option<Claim>> {
        self.write(|tx| queue::claim(tx, owner, now, lease_ms))
    }
    fn scope_request(
        &self,
        claim: &Claim,
        meetings: &[i64],
        now: Timestamp,
        lease_ms: i64,
    ) -> Result<bool> {
        self.write_if(|tx| queue::scope_request(tx, claim, meetings, now, lease_ms))
            .map(|done| done.is_some())
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
    fn check(&self) -> Result<StoreCheck> {
        let problems = self.read(|c| Ok(check::full(c)))?;
        if let Some(first) = problems.first() {
            self.damage
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert_with(|| first.clone());
        }
        Ok(StoreCheck {
            path: self.location.display().to_string(),
            healthy: problems.is_empty(),
            problems,
        })
    }
    fn backup(&self, to: &Path, replace: bool) -> Result<StoreBackup> {
        if file::is_part_of(to, &self.file) {
            return Err(Error::invalid(format!(
                "'{}' is the store itself (or its -wal or -shm file); a copy must go elsewhere.",
                to.display()
            ))
            .with_target(to.display().to_string()));
        }
        let conn = self.reader()?;
        let result = backup::copy_to(&conn, to, replace, self.busy_timeout);
        self.release(conn);
        self.noticing_damage(result)
    }
}
