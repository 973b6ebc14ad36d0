//! The shared store: one PostgreSQL database used by any number of processes on any number
//! of hosts. The client is `tokio-postgres` on a small current-thread runtime owned by the
//! store; every statement is run to its end with `block_on`, so nothing async leaks into
//! the [`Store`] trait. Connections are pooled per store (at most [`POOL_SIZE`]); a
//! connection the server dropped is discarded and a new one opened on next use.
//!
//! What is retried, and where (the rest fails with the error as it came):
//! - Reads are retried on a new connection when the connection was lost, for up to
//!   [`RETRY_WINDOW`]: they change nothing, so running them again is harmless.
//! - Writes that take no caller callback (`create_tenant`, `set_default_tenant`, `import`,
//!   `start_requests`, `claim`, `scope_request`, `commit_batch`, `end_request`, `purge`)
//!   are run again from the start when PostgreSQL rolled them back: a deadlock or
//!   serialization failure, or the connection lost before `COMMIT` was sent (the server
//!   rolls back a transaction whose connection is gone). A connection lost while `COMMIT`
//!   was on its way is never retried: the change may or may not have been made, and the
//!   error (`StoreIo`) says so. The queue stays exactly-once either way: a batch's
//!   rewrites and outcomes commit together or not at all.
//! - The queue's one-statement writes (`claim`, `scope_request`, `end_request`, see
//!   [`Tx::Statement`]) are also run again after a connection lost while they ran: each
//!   checks the lease in the statement, so a repeat of one that was made does nothing.
//! - Writes that run a caller's callback (`create_filled_tenant`, the settings updates)
//!   and read scopes are not retried: the callback cannot be asked to run twice.
//!
//! Errors: the server unreachable, gone or refusing the login is `StoreIo`; a lock or
//! deadlock that outlasted the retries is `StoreBusy`; damaged data PostgreSQL reports is
//! `StoreCorrupt`; a schema newer than this library is `StoreTooNew`. Messages name the
//! store as `postgresql://user@host:port/db`, never with its password.

mod directory;
pub mod location;
mod queue;
pub mod schema;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::task::Poll;
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row, Statement};
use uuid::Uuid;

use super::*;
use crate::error::{Error, ErrorCode, Result};
use crate::model::*;

/// Connections one store keeps open at most; more concurrent callers wait for one.
pub const POOL_SIZE: usize = 8;
/// How long an operation retries after a lost connection or a deadlock (see the module
/// documentation for which), and how long a caller waits for a pooled connection.
pub const RETRY_WINDOW: Duration = Duration::from_secs(10);

/// The PostgreSQL implementation of [`Store`].
pub struct PostgresStore {
    location: location::Location,
    runtime: Runtime,
    pool: Mutex<Pool>,
    returned: Condvar,
}

struct Pool {
    idle: Vec<Conn>,
    /// Connections open or being opened, idle or not.
    open: usize,
}

/// One connection with its prepared statements.
struct Conn {
    client: Client,
    statements: RefCell<HashMap<String, Statement>>,
    /// Set when the connection's state is unknown (a failed rollback): it is not reused.
    broken: std::cell::Cell<bool>,
}

/// A failure inside an operation: PostgreSQL's own (classified when the operation ends)
/// or the service's.
pub(super) enum Fail {
    Pg(tokio_postgres::Error),
    App(Error),
}

impl From<tokio_postgres::Error> for Fail {
    fn from(e: tokio_postgres::Error) -> Self {
        Fail::Pg(e)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::App(e)
    }
}

impl From<serde_json::Error> for Fail {
    fn from(e: serde_json::Error) -> Self {
        Fail::App(Error::new(
            ErrorCode::StoreCorrupt,
            format!("a stored JSON value cannot be read ({e})"),
        ))
    }
}

pub(super) type R<T> = std::result::Result<T, Fail>;

/// What kind of failure, for deciding on a retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The server rolled the transaction back because of another one: run it again.
    Conflict,
    /// The connection is gone or the server is not accepting connections.
    Lost,
    Other,
}

fn kind(fail: &Fail) -> Kind {
    let Fail::Pg(e) = fail else {
        return Kind::Other;
    };
    match e.code() {
        Some(c)
            if *c == SqlState::T_R_SERIALIZATION_FAILURE
                || *c == SqlState::T_R_DEADLOCK_DETECTED =>
        {
            Kind::Conflict
        }
        Some(c)
            if *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW
                || c.code().starts_with("08") =>
        {
            Kind::Lost
        }
        Some(_) => Kind::Other,
        None if e.is_closed() => Kind::Lost,
        None => {
            // An I/O error under it (refused, reset, timed out) is a lost connection.
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                if s.is::<std::io::Error>() {
                    return Kind::Lost;
                }
                source = s.source();
            }
            if e.to_string().starts_with("error connecting") || e.to_string().contains("timeout") {
                Kind::Lost
            } else {
                Kind::Other
            }
        }
    }
}

/// How a write runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tx {
    /// A read-committed transaction: `BEGIN` (sent with the first statement), the
    /// statements, `COMMIT`.
    Transaction,
    /// One statement on its own, without `BEGIN` / `COMMIT` (PostgreSQL makes it atomic):
    /// one round trip. Only for the queue's statements that check the lease (or claim) in
    /// the statement itself, so that running one again after it did commit is harmless:
    /// a repeated lease check finds the lease changed and does nothing, and a repeated
    /// claim leaves the first claim's lease to expire and be resumed.
    Statement,
}

/// Where an operation failed: before `COMMIT` (rolled back) or while committing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Body,
    Commit,
}

/// The statements of one connection, run to their end on the store's runtime.
pub(super) struct Db<'a> {
    runtime: &'a Runtime,
    conn: &'a Conn,
    /// A `BEGIN ...` not sent yet: it goes out with the transaction's first statement, in
    /// one round trip (a request costs a few round trips; each one is a loopback or
    /// network latency).
    opening: Cell<Option<&'static str>>,
}

type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

impl<'a> Db<'a> {
    fn new(runtime: &'a Runtime, conn: &'a Conn) -> Self {
        Db {
            runtime,
            conn,
            opening: Cell::new(None),
        }
    }

    /// Starts a transaction with `begin`, sent with the next statement.
    fn open(&self, begin: &'static str) {
        self.opening.set(Some(begin));
    }

    /// Ends the transaction with `how` (`COMMIT` / `ROLLBACK`); nothing to send when no
    /// statement ran in it.
    fn close(&self, how: &str) -> R<()> {
        if self.opening.take().is_some() {
            return Ok(());
        }
        self.batch(how)
    }

    /// Runs one statement, preceded by the pending `BEGIN` if any: both requests are
    /// queued on the connection before either answer is awaited (tokio-postgres sends a
    /// request when its future is first polled, and this polls the `BEGIN` first).
    fn run<T>(
        &self,
        statement: impl Future<Output = std::result::Result<T, tokio_postgres::Error>>,
    ) -> R<T> {
        let Some(begin) = self.opening.take() else {
            return Ok(self.runtime.block_on(statement)?);
        };
        let mut opened = std::pin::pin!(self.conn.client.batch_execute(begin));
        let mut statement = std::pin::pin!(statement);
        let (mut begun, mut done) = (None, None);
        self.runtime.block_on(std::future::poll_fn(|cx| {
            if begun.is_none() {
                if let Poll::Ready(r) = opened.as_mut().poll(cx) {
                    begun = Some(r);
                }
            }
            if done.is_none() {
                if let Poll::Ready(r) = statement.as_mut().poll(cx) {
                    done = Some(r);
                }
            }
            if begun.is_some() && done.is_some() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }));
        begun.expect("polled to its end")?;
        Ok(done.expect("polled to its end")?)
    }

    fn statement(&self, sql: &str) -> R<Statement> {
        if let Some(s) = self.conn.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = self.runtime.block_on(self.conn.client.prepare(sql))?;
        self.conn
            .statements
            .borrow_mut()
            .insert(sql.to_string(), s.clone());
        Ok(s)
    }
    pub fn query(&self, sql: &str, params: Params) -> R<Vec<Row>> {
        let s = self.statement(sql)?;
        self.run(self.conn.client.query(&s, params))
    }
    pub fn query_opt(&self, sql: &str, params: Params) -> R<Option<Row>> {
        let s = self.statement(sql)?;
        self.run(self.conn.client.query_opt(&s, params))
    }
    pub fn query_one(&self, sql: &str, params: Params) -> R<Row> {
        let s = self.statement(sql)?;
        self.run(self.conn.client.query_one(&s, params))
    }
    pub fn execute(&self, sql: &str, params: Params) -> R<u64> {
        let s = self.statement(sql)?;
        self.run(self.conn.client.execute(&s, params))
    }
    /// Statements without parameters, in one round trip (transaction control, DDL).
    pub fn batch(&self, sql: &str) -> R<()> {
        self.run(self.conn.client.batch_execute(sql))
    }
}

impl PostgresStore {
    /// Connects to the database `uri` names (completed from `PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGPASSWORD`, `PGDATABASE` and the password file) and creates or upgrades the
    /// store's schema in it.
    pub fn open(uri: &str) -> Result<Self> {
        Self::open_at_version(uri, schema::STEPS.len())
    }

    /// Opens a store upgraded only up to `version` (tests use it to make old stores).
    #[doc(hidden)]
    pub fn open_at_version(uri: &str, version: usize) -> Result<Self> {
        let location = location::Location::parse(uri)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::internal(format!("cannot start the PostgreSQL client: {e}")))?;
        let store = PostgresStore {
            location,
            runtime,
            pool: Mutex::new(Pool {
                idle: Vec::new(),
                open: 0,
            }),
            returned: Condvar::new(),
        };
        // Not retried after a lost connection: a wrong location fails at once, clearly.
        store.write(false, |db| upgrade(db, version).map(Some))?;
        Ok(store)
    }

    /// `postgresql://user@host:port/db`: how messages name this store.
    pub fn location(&self) -> &str {
        &self.location.display
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<usize> {
        self.read(schema_version)
    }

    fn connect(&self) -> R<Conn> {
        let (client, connection) = self.runtime.block_on(self.location.config.connect(NoTls))?;
        // The connection's task runs whenever a statement of this store is waited for.
        self.runtime.spawn(async move {
            let _ = connection.await;
        });
        let conn = Conn {
            client,
            statements: RefCell::new(HashMap::new()),
            broken: std::cell::Cell::new(false),
        };
        Db::new(&self.runtime, &conn).batch(&format!(
            "SET search_path TO {}; SET lock_timeout = '{}s'",
            schema::SCHEMA,
            RETRY_WINDOW.as_secs() * 4
        ))?;
        Ok(conn)
    }

    /// A pooled connection, or a new one while the pool is below its size.
    fn take(&self) -> R<Conn> {
        let deadline = Instant::now() + RETRY_WINDOW;
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(conn) = pool.idle.pop() {
                if conn.client.is_closed() {
                    pool.open -= 1;
                    continue;
                }
                return Ok(conn);
            }
            if pool.open < POOL_SIZE {
                pool.open += 1;
                drop(pool);
                let conn = self.connect();
                if conn.is_err() {
                    self.pool.lock().unwrap_or_else(|p| p.into_inner()).open -= 1;
                    self.returned.notify_one();
                }
                return conn;
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Fail::App(Error::new(
                    ErrorCode::StoreBusy,
                    format!(
                        "All {POOL_SIZE} connections of this process to {} stayed busy for {} s; nothing was changed. Retry later.",
                        self.location.display,
                        RETRY_WINDOW.as_secs()
                    ),
                )));
            }
            pool = self
                .returned
                .wait_timeout(pool, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    fn give_back(&self, conn: Conn) {
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if conn.client.is_closed() || conn.broken.get() {
            pool.open -= 1;
        } else {
            pool.idle.push(conn);
        }
        drop(pool);
        self.returned.notify_one();
    }

    /// Runs `f` on a pooled connection, given back afterwards (also when `f` panics).
    fn with_conn<T>(&self, f: impl FnOnce(&Db) -> T) -> R<T> {
        struct Lease<'s>(&'s PostgresStore, Option<Conn>);
        impl Drop for Lease<'_> {
            fn drop(&mut self) {
                if let Some(c) = self.1.take() {
                    self.0.give_back(c);
                }
            }
        }
        let lease = Lease(self, Some(self.take()?));
        let db = Db::new(&self.runtime, lease.1.as_ref().expect("leased"));
        Ok(f(&db))
    }

    /// Runs `f` outside a transaction (one statement: its own snapshot) or, with
    /// `snapshot`, in one read-only repeatable-read transaction; retried after a lost
    /// connection.
    fn read_with<T>(&self, snapshot: bool, mut f: impl FnMut(&Db) -> R<T>) -> Result<T> {
        let deadline = Instant::now() + RETRY_WINDOW;
        let mut attempt = 0;
        loop {
            let result = self
                .with_conn(|db| {
                    if !snapshot {
                        return f(db);
                    }
                    db.open("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
                    let result = f(db);
                    end_transaction(db, "COMMIT");
                    result
                })
                .and_then(|r| r);
            match result {
                Ok(v) => return Ok(v),
                Err(fail) if kind(&fail) == Kind::Lost && Instant::now() < deadline => {
                    pause(attempt);
                    attempt += 1;
                }
                Err(fail) => return Err(self.error(fail, Phase::Body)),
            }
        }
    }

    fn read<T>(&self, f: impl FnMut(&Db) -> R<T>) -> Result<T> {
        self.read_with(false, f)
    }

    /// Runs `f` in a read-committed transaction, committed when it returns `Some`, rolled
    /// back when it returns `None` or fails. With `retry`, runs it again when PostgreSQL
    /// rolled it back (see the module documentation).
    fn write<T>(&self, retry: bool, f: impl FnMut(&Db) -> R<Option<T>>) -> Result<Option<T>> {
        self.write_as(Tx::Transaction, retry, f)
    }

    /// Runs `f`, one statement, on its own (see [`Tx::Statement`]); retried after a
    /// conflict or a lost connection.
    fn write_statement<T>(&self, f: impl FnMut(&Db) -> R<Option<T>>) -> Result<Option<T>> {
        self.write_as(Tx::Statement, true, f)
    }

    fn write_as<T>(
        &self,
        tx: Tx,
        retry: bool,
        mut f: impl FnMut(&Db) -> R<Option<T>>,
    ) -> Result<Option<T>> {
        let deadline = Instant::now() + RETRY_WINDOW;
        let mut attempt = 0;
        loop {
            let result = self
                .with_conn(|db| -> std::result::Result<Option<T>, (Fail, Phase)> {
                    if tx == Tx::Statement {
                        // Its own commit: a failure may come after the change was made.
                        return f(db).map_err(|e| (e, Phase::Commit));
                    }
                    db.open("BEGIN");
                    match f(db) {
                        Ok(Some(v)) => {
                            db.batch("COMMIT").map_err(|e| (e, Phase::Commit))?;
                            Ok(Some(v))
                        }
                        Ok(None) => {
                            end_transaction(db, "ROLLBACK");
                            Ok(None)
                        }
                        Err(e) => {
                            end_transaction(db, "ROLLBACK");
                            Err((e, Phase::Body))
                        }
                    }
                })
                .map_err(|e| (e, Phase::Body))
                .and_then(|r| r);
            let (fail, phase) = match result {
                Ok(v) => return Ok(v),
                Err(failed) => failed,
            };
            let again = match (kind(&fail), phase) {
                // A failed COMMIT that PostgreSQL answered was rolled back; a connection
                // lost while committing leaves the outcome unknown.
                (Kind::Conflict, _) => retry,
                (Kind::Lost, Phase::Body) => retry,
                (Kind::Lost, Phase::Commit) => tx == Tx::Statement,
                _ => false,
            };
            if again && Instant::now() < deadline {
                pause(attempt);
                attempt += 1;
                continue;
            }
            return Err(self.error(fail, phase));
        }
    }

    fn write_all<T>(&self, retry: bool, mut f: impl FnMut(&Db) -> R<T>) -> Result<T> {
        self.write(retry, |db| f(db).map(Some))
            .map(|v| v.expect("committed"))
    }

    /// The service's error for a failure, naming this store without its password.
    fn error(&self, fail: Fail, phase: Phase) -> Error {
        to_error(&self.location.display, fail, phase)
    }
}

/// The service's error for a failure of the store at `at` (shown without a password).
fn to_error(at: &str, fail: Fail, phase: Phase) -> Error {
    {
        let e = match fail {
            Fail::App(e) => return e,
            Fail::Pg(e) => e,
        };
        let what = describe(&e);
        let code = e.code().cloned();
        let code = code.as_ref();
        let (code, message) = match kind(&Fail::Pg(e)) {
            Kind::Lost if phase == Phase::Commit => (
                ErrorCode::StoreIo,
                format!("The connection to the PostgreSQL store {at} was lost while a change was being committed ({what}); the change may or may not have been made. Check the state before repeating it."),
            ),
            Kind::Lost => (
                ErrorCode::StoreIo,
                format!("The PostgreSQL store {at} cannot be reached ({what}); nothing was changed. Check that the server is running and reachable, then retry."),
            ),
            Kind::Conflict => (
                ErrorCode::StoreBusy,
                format!("The PostgreSQL store {at} kept refusing the change because of concurrent changes ({what}); nothing was changed. Retry later."),
            ),
            Kind::Other => match code {
                Some(c) if *c == SqlState::INVALID_PASSWORD || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => (
                    ErrorCode::StoreIo,
                    format!("The PostgreSQL server refused the login to {at} ({what}). Give the password through PGPASSWORD or a ~/.pgpass line, or ask the database's administrator for access."),
                ),
                Some(c) if *c == SqlState::INVALID_CATALOG_NAME => (
                    ErrorCode::StoreIo,
                    format!("The database of the PostgreSQL store {at} does not exist ({what}). Create it (createdb) or correct the location."),
                ),
                Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => (
                    ErrorCode::StoreIo,
                    format!("The PostgreSQL store {at} refused an operation for lack of privileges ({what}); nothing was changed."),
                ),
                Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE || *c == SqlState::QUERY_CANCELED => (
                    ErrorCode::StoreBusy,
                    format!("The PostgreSQL store {at} stayed locked by another session ({what}); nothing was changed. Retry later."),
                ),
                Some(c) if *c == SqlState::DISK_FULL || *c == SqlState::OUT_OF_MEMORY => (
                    ErrorCode::StoreIo,
                    format!("The PostgreSQL store {at} cannot write ({what}); nothing was changed."),
                ),
                Some(c) if *c == SqlState::DATA_CORRUPTED || *c == SqlState::INDEX_CORRUPTED => (
                    ErrorCode::StoreCorrupt,
                    format!("The PostgreSQL store {at} reports damaged data ({what})."),
                ),
                _ => (ErrorCode::Internal, format!("PostgreSQL store {at}: {what}")),
            },
        };
        Error::new(code, message).with_target(at.to_string())
    }
}

/// PostgreSQL's message for an error (the server's own text for a server error); libpq
/// and the server never put the password in it.
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => e.to_string(),
    }
}

/// Ends a transaction; a connection where that fails is not reused.
fn end_transaction(db: &Db, how: &str) {
    if db.close(how).is_err() {
        db.conn.broken.set(true);
    }
}

/// A short, growing, jittered pause between attempts.
fn pause(attempt: u32) {
    let base = 10u64 << attempt.min(6);
    let jitter = (Uuid::new_v4().as_u128() as u64 % base) / 2;
    std::thread::sleep(Duration::from_millis(base.min(500) + jitter));
}

fn schema_version(db: &Db) -> R<usize> {
    let exists: bool = db
        .query_one(
            "SELECT to_regclass($1) IS NOT NULL",
            &[&format!("{}.schema_version", schema::SCHEMA)],
        )?
        .try_get(0)?;
    if !exists {
        return Ok(0);
    }
    let v: Option<i64> = db
        .query_one("SELECT max(version) FROM schema_version", &[])?
        .try_get(0)?;
    Ok(v.unwrap_or(0) as usize)
}

/// Creates the schema in an empty database and applies the missing steps, under an
/// advisory lock so that processes opening it at once do it once. Runs in one transaction.
fn upgrade(db: &Db, target: usize) -> R<()> {
    db.query("SELECT pg_advisory_xact_lock($1)", &[&schema::SETUP_LOCK])?;
    let exists = db
        .query_opt(
            "SELECT 1 FROM pg_namespace WHERE nspname = $1",
            &[&schema::SCHEMA],
        )?
        .is_some();
    if !exists {
        db.batch(&format!("CREATE SCHEMA {}", schema::SCHEMA))?;
    }
    db.batch("CREATE TABLE IF NOT EXISTS schema_version(version bigint PRIMARY KEY, applied_at bigint NOT NULL)")?;
    let current = schema_version(db)?;
    if current > schema::STEPS.len() {
        return Err(Fail::App(Error::new(
            ErrorCode::StoreTooNew,
            format!(
                "The PostgreSQL store has schema version {current}, newer than this library's {}. Use a newer MeetingMigration.",
                schema::STEPS.len()
            ),
        )));
    }
    for (step, sql) in schema::STEPS.iter().enumerate().take(target).skip(current) {
        db.batch(sql)?;
        db.execute(
            "INSERT INTO schema_version(version, applied_at) VALUES ($1, $2)",
            &[&(step as i64 + 1), &Timestamp::now().millis()],
        )?;
    }
    Ok(())
}

/// The reads of one connection: autocommit or inside the transaction of a read scope.
struct Reader<'a> {
    db: &'a Db<'a>,
    location: &'a str,
}

impl Reader<'_> {
    fn done<T>(&self, r: R<T>) -> Result<T> {
        r.map_err(|fail| to_error(self.location, fail, Phase::Body))
    }
}

impl StoreReads for Reader<'_> {
    fn tenants(&self) -> Result<Vec<Tenant>> {
        self.done(directory::tenants(self.db))
    }
    fn tenant(&self, id: Uuid) -> Result<Option<Tenant>> {
        self.done(directory::tenant_by_id(self.db, id))
    }
    fn default_tenant(&self) -> Result<Option<Tenant>> {
        self.done(directory::default_tenant(self.db))
    }
    fn dial_in_settings(&self, tenant: &Tenant) -> Result<DialInSettings> {
        self.done(directory::dial_in_settings(self.db, tenant, false))
    }
    fn find_users(
        &self,
        tenant: &TenantScope,
        index: UserIndex,
        key: &str,
        limit: usize,
    ) -> Result<Vec<User>> {
        self.done(directory::find_users(self.db, tenant, index, key, limit))
    }
    fn users_page(&self, tenant: &Tenant, after: Option<i64>, limit: usize) -> Result<Vec<User>> {
        self.done(directory::users_page(self.db, tenant, after, limit))
    }
    fn users_by_prefix(
        &self,
        tenant: &Tenant,
        index: UserIndex,
        prefix: &str,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Option<Vec<User>>> {
        self.done(directory::users_by_prefix(
            self.db, tenant, index, prefix, after, limit,
        ))
    }
    fn meetings_of(&self, organizer: i64) -> Result<Vec<MeetingRow>> {
        self.done(directory::meetings_of(self.db, organizer))
    }
    fn meeting_schedules_of(&self, organizer: i64) -> Result<Vec<MeetingSchedule>> {
        self.done(directory::meeting_schedules_of(self.db, organizer))
    }
    fn open_request(&self, user: i64) -> Result<Option<MigrationStatus>> {
        self.done(queue::open_request(self.db, user))
    }
    fn request(&self, correlation_id: Uuid) -> Result<Option<MigrationDetail>> {
        self.done(queue::request_detail(self.db, correlation_id))
    }
    fn request_statuses(&self, correlation_ids: &[Uuid]) -> Result<Vec<Option<QueuedStatus>>> {
        self.done(queue::request_statuses(self.db, correlation_ids))
    }
    fn requests(&self, filter: &StatusFilter) -> Result<Vec<MigrationStatus>> {
        self.done(queue::requests(self.db, filter))
    }
    fn users_per_state(&self, filter: &StatusFilter) -> Result<Vec<(RequestState, i64)>> {
        self.done(queue::users_per_state(self.db, filter))
    }
    fn pending_meetings(&self, request: i64, after: i64, limit: usize) -> Result<Vec<MeetingWork>> {
        self.done(queue::pending_meetings(self.db, request, after, limit))
    }
}

impl StoreReads for PostgresStore {
    fn tenants(&self) -> Result<Vec<Tenant>> {
        self.read(directory::tenants)
    }
    fn tenant(&self, id: Uuid) -> Result<Option<Tenant>> {
        self.read(|db| directory::tenant_by_id(db, id))
    }
    fn default_tenant(&self) -> Result<Option<Tenant>> {
        self.read(directory::default_tenant)
    }
    fn dial_in_settings(&self, tenant: &Tenant) -> Result<DialInSettings> {
        self.read(|db| directory::dial_in_settings(db, tenant, false))
    }
    fn find_users(
        &self,
        tenant: &TenantScope,
        index: UserIndex,
        key: &str,
        limit: usize,
    ) -> Result<Vec<User>> {
        self.read(|db| directory::find_users(db, tenant, index, key, limit))
    }
    fn users_page(&self, tenant: &Tenant, after: Option<i64>, limit: usize) -> Result<Vec<User>> {
        self.read(|db| directory::users_page(db, tenant, after, limit))
    }
    fn users_by_prefix(
        &self,
        tenant: &Tenant,
        index: UserIndex,
        prefix: &str,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Option<Vec<User>>> {
        self.read(|db| directory::users_by_prefix(db, tenant, index, prefix, after, limit))
    }
    fn meetings_of(&self, organizer: i64) -> Result<Vec<MeetingRow>> {
        self.read(|db| directory::meetings_of(db, organizer))
    }
    fn meeting_schedules_of(&self, organizer: i64) -> Result<Vec<MeetingSchedule>> {
        self.read(|db| directory::meeting_schedules_of(db, organizer))
    }
    fn open_request(&self, user: i64) -> Result<Option<MigrationStatus>> {
        self.read(|db| queue::open_request(db, user))
    }
    fn request(&self, correlation_id: Uuid) -> Result<Option<MigrationDetail>> {
        self.read_with(true, |db| queue::request_detail(db, correlation_id))
    }
    fn request_statuses(&self, correlation_ids: &[Uuid]) -> Result<Vec<Option<QueuedStatus>>> {
        self.read_with(true, |db| queue::request_statuses(db, correlation_ids))
    }
    fn requests(&self, filter: &StatusFilter) -> Result<Vec<MigrationStatus>> {
        self.read(|db| queue::requests(db, filter))
    }
    fn users_per_state(&self, filter: &StatusFilter) -> Result<Vec<(RequestState, i64)>> {
        self.read(|db| queue::users_per_state(db, filter))
    }
    fn pending_meetings(&self, request: i64, after: i64, limit: usize) -> Result<Vec<MeetingWork>> {
        self.read(|db| queue::pending_meetings(db, request, after, limit))
    }
}

impl Store for PostgresStore {
    fn reads(&self) -> &dyn StoreReads {
        self
    }
    fn read_scope(&self, f: &mut dyn FnMut(&dyn StoreReads) -> Result<()>) -> Result<()> {
        // Opening the transaction and taking its snapshot is retried after a lost
        // connection (nothing has been read yet); what `f` reads is not: it runs once.
        let deadline = Instant::now() + RETRY_WINDOW;
        let mut attempt = 0;
        let mut f = Some(f);
        loop {
            let outcome = self.with_conn(|db| -> std::result::Result<Result<()>, Fail> {
                db.open("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
                // Take the snapshot now, so that writes made from here on are not seen.
                if let Err(e) = db.query("SELECT 1", &[]) {
                    end_transaction(db, "ROLLBACK");
                    return Err(e);
                }
                let f = f.take().expect("runs once");
                let reader = Reader {
                    db,
                    location: &self.location.display,
                };
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&reader)));
                // A read-only transaction: ending it cannot lose anything.
                end_transaction(db, "COMMIT");
                match result {
                    Ok(result) => Ok(result),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            });
            match outcome.and_then(|r| r) {
                Ok(result) => return result,
                Err(fail)
                    if f.is_some() && kind(&fail) == Kind::Lost && Instant::now() < deadline =>
                {
                    pause(attempt);
                    attempt += 1;
                }
                Err(fail) => return Err(self.error(fail, Phase::Body)),
            }
        }
    }
    fn create_tenant(&self, tenant: &NewTenant, id: Uuid) -> Result<Tenant> {
        self.write_all(true, |db| directory::create_tenant(db, tenant, id))
    }
    fn create_filled_tenant(
        &self,
        tenant: &NewTenant,
        id: Uuid,
        dial_in: &mut Apply<DialInSettings>,
        next_chunk: &mut dyn FnMut(&Tenant) -> Result<Option<DirectoryData>>,
    ) -> Result<Tenant> {
        self.write_all(false, |db| {
            let created = directory::create_tenant(db, tenant, id)?;
            directory::update_dial_in_settings(db, &created, dial_in)?;
            while let Some(data) = next_chunk(&created)? {
                directory::import(db, &created, &data)?;
            }
            directory::tenant_by_key(db, created.key)?
                .ok_or_else(|| Fail::App(Error::internal("the new tenant vanished")))
        })
    }
    fn set_default_tenant(&self, tenant: i64) -> Result<()> {
        self.write_all(true, |db| directory::set_default_tenant(db, tenant))
    }
    fn update_migration_configuration(
        &self,
        tenant: &Tenant,
        apply: &mut Apply<MigrationConfiguration>,
    ) -> Result<MigrationConfiguration> {
        self.write_all(false, |db| {
            directory::update_migration_configuration(db, tenant, apply)
        })
    }
    fn update_dial_in_settings(
        &self,
        tenant: &Tenant,
        apply: &mut Apply<DialInSettings>,
    ) -> Result<DialInSettings> {
        self.write_all(false, |db| {
            directory::update_dial_in_settings(db, tenant, apply)
        })
    }
    fn update_user(&self, user: i64, apply: &mut Apply<User>) -> Result<User> {
        self.write_all(false, |db| directory::update_user(db, user, apply))
    }
    fn set_meeting_body(&self, meeting: i64, body: &str) -> Result<bool> {
        self.write_all(true, |db| {
            Ok(db.execute(
                "UPDATE meetings SET body = $2 WHERE key = $1",
                &[&meeting, &body],
            )? == 1)
        })
    }
    fn import(&self, tenant: &Tenant, data: &DirectoryData) -> Result<()> {
        self.write_all(true, |db| directory::import(db, tenant, data))
    }
    fn start_requests(&self, requests: &[NewRequest], now: Timestamp) -> Result<Vec<Started>> {
        self.write_all(true, |db| queue::start_requests(db, requests, now))
    }
    fn claim(&self, owner: &str, now: Timestamp, lease_ms: i64) -> Result<Option<Claim>> {
        self.write_statement(|db| queue::claim(db, owner, now, lease_ms).map(Some))
            .map(|claimed| claimed.flatten())
    }
    fn scope_request(
        &self,
        claim: &Claim,
        meetings: &[i64],
        now: Timestamp,
        lease_ms: i64,
    ) -> Result<bool> {
        self.write_statement(|db| queue::scope_request(db, claim, meetings, now, lease_ms))
            .map(|done| done.is_some())
    }
    fn commit_batch(
        &self,
        claim: &Claim,
        results: &[MeetingResult],
        now: Timestamp,
        lease_ms: i64,
    ) -> Result<bool> {
        self.write(true, |db| {
            queue::commit_batch(db, claim, results, now, lease_ms)
        })
        .map(|done| done.is_some())
    }
    fn end_request(&self, claim: &Claim, end: &RequestEnd, now: Timestamp) -> Result<bool> {
        self.write_statement(|db| queue::end_request(db, claim, end, now))
            .map(|done| done.is_some())
    }
    fn purge(&self, before: Timestamp) -> Result<usize> {
        self.write_all(true, |db| queue::purge(db, before))
    }
    fn check(&self) -> Result<StoreCheck> {
        let problems = self.read_with(true, directory::check)?;
        Ok(StoreCheck {
            path: self.location.display.clone(),
            healthy: problems.is_empty(),
            problems,
        })
    }
    fn backup(&self, to: &Path, _replace: bool) -> Result<StoreBackup> {
        Err(Error::invalid(format!(
            "The store {} is a PostgreSQL database: copy it with PostgreSQL's own tool, e.g. pg_dump --format=custom --file='{}' (with the same connection settings). Nothing was written.",
            self.location.display,
            to.display()
        ))
        .with_target(to.display().to_string()))
    }
}
