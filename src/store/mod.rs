//! Storage behind two traits, [`StoreReads`] and [`Store`]: rows in, rows out, no business
//! rule. The service above decides (which meetings a migration takes, which tenant is the
//! default, what an empty setting means); a store keeps rows, keeps them consistent, and
//! answers by keys and ranges. A second backend is written from the contracts on these
//! traits and the conformance suite (`tests/store_conformance.rs`), not from the SQLite code.
//!
//! [`sqlite::SqliteStore`] is the embedded default, [`postgres::PostgresStore`] the one
//! many hosts share; [`open`] chooses the backend from a store location. Errors are the crate's [`Error`](crate::Error): a store maps its own
//! failures to `StoreBusy` (locked past the busy timeout: retry later), `StoreIo` (the file
//! or server cannot be reached or written), `StoreCorrupt` and `StoreTooNew`.

pub mod postgres;
pub mod sqlite;

use std::path::Path;
use std::sync::Arc;

use uuid::Uuid;

use crate::error::{Error, ErrorCode, Result};
use crate::model::*;
use crate::time::Timestamp;

/// Opens the store at `location` (created on first use): a `postgresql://` or `postgres://`
/// URI is a PostgreSQL database (see [`postgres::location`] for how it is completed);
/// anything else is the path of an embedded SQLite store.
pub fn open(location: &Path) -> Result<Arc<dyn Store>> {
    if let Some(uri) = location.to_str().filter(|l| is_shared(l)) {
        return Ok(Arc::new(postgres::PostgresStore::open(uri)?));
    }
    Ok(Arc::new(sqlite::SqliteStore::open(location)?))
}

/// True when `location` names a store on a database server (PostgreSQL) rather than a file.
pub fn is_shared(location: &str) -> bool {
    postgres::location::is_postgres(location)
}

// The records a store keeps as JSON text (every backend the same way): a user's profile and
// a tenant's other dial-in settings.

/// A user's profile as stored: without its null and empty members (most policies are not
/// assigned), which read back as their defaults, and without what is derived from the
/// policies (`EffectivePolicyAssignments`).
pub fn profile_to_json(profile: &UserProfile) -> Result<String> {
    let mut value = serde_json::to_value(profile)?;
    if let serde_json::Value::Object(map) = &mut value {
        map.remove(EFFECTIVE_POLICY_ASSIGNMENTS);
        map.retain(|_, v| !(v.is_null() || v.as_array().map_or(false, Vec::is_empty)));
    }
    Ok(value.to_string())
}

/// A stored profile; text that is not one is `StoreCorrupt`.
pub fn profile_from_json(text: &str) -> Result<UserProfile> {
    serde_json::from_str(text).map_err(|e| {
        Error::new(
            ErrorCode::StoreCorrupt,
            format!("a user's profile is not a profile record: {e}"),
        )
    })
}

/// Stored dial-in options; text that is not a settings record is `StoreCorrupt`.
pub fn dial_in_options_from_json(text: &str) -> Result<DialInOptions> {
    serde_json::from_str(text).map_err(|e| {
        Error::new(
            ErrorCode::StoreCorrupt,
            format!("a tenant's dial-in settings are not a settings record: {e}"),
        )
    })
}

/// The tenant a lookup is confined to, so the store can find the tenant and the user in one
/// statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantScope {
    /// The store's default tenant.
    Default,
    /// A tenant by its id.
    Id(Uuid),
    /// A tenant already looked up ([`Tenant::key`]).
    Key(i64),
}

/// The indexed user columns a lookup goes through. Each holds the canonical key the
/// directory computed on import ([`UserKeys`]); the store compares them byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserIndex {
    ObjectId,
    Upn,
    Sip,
    DomainLogon,
    DisplayName,
    DistinguishedName,
}

/// Filters of a status query; `None` means any. Bounds are inclusive.
#[derive(Debug, Clone, Default)]
pub struct StatusFilter {
    pub tenant: Option<i64>,
    pub user: Option<i64>,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
    pub state: Option<RequestState>,
    pub migration_type: Option<MigrationType>,
    pub triggered_by: Option<TriggeredBy>,
}

/// One condition of a [`StatusFilter`] on the `requests` table (alias `r`): the column and
/// comparison, and the value to bind.
pub type FilterCondition = (&'static str, FilterValue);

/// A value a filter condition compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterValue {
    Integer(i64),
    Text(&'static str),
}

impl StatusFilter {
    /// Its conditions, each a comparison (`"r.tenant ="`) and the value for one parameter;
    /// none for a filter that takes everything. The backends add their own placeholders.
    pub fn conditions(&self) -> Vec<FilterCondition> {
        use FilterValue::*;
        [
            self.tenant.map(|t| ("r.tenant =", Integer(t))),
            self.user.map(|u| ("r.user_key =", Integer(u))),
            self.created_from
                .map(|t| ("r.create_date >=", Integer(t.millis()))),
            self.created_to
                .map(|t| ("r.create_date <=", Integer(t.millis()))),
            self.state.map(|s| ("r.state =", Text(s.as_str()))),
            self.migration_type
                .map(|m| ("r.migration_type =", Text(m.as_str()))),
            self.triggered_by
                .map(|t| ("r.triggered_by =", Text(t.as_str()))),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// A request claimed by a worker under a lease.
#[derive(Debug, Clone)]
pub struct Claim {
    pub request: i64,
    pub owner: String,
    pub status: MigrationStatus,
    /// The requesting user ([`User::key`]).
    pub user: i64,
    /// True once the request's meetings were recorded as its Pending outcomes
    /// ([`Store::scope_request`]); a request is scoped once, at its first claim.
    pub scoped: bool,
    /// When the request first failed transiently, if it has.
    pub first_failure: Option<Timestamp>,
    pub user_toll: Option<String>,
    pub user_toll_free: Option<String>,
    pub bridge_toll: Option<String>,
    pub bridge_toll_free: Option<String>,
}

/// A meeting waiting to be migrated within a claimed request.
#[derive(Debug, Clone)]
pub struct MeetingWork {
    pub meeting: i64,
    pub meeting_id: Uuid,
    pub meeting_type: MeetingType,
    pub attendee_count: i64,
    pub body: String,
}

/// What the worker did with one meeting.
#[derive(Debug, Clone)]
pub enum MeetingResult {
    Rewritten {
        meeting: i64,
        meeting_type: MeetingType,
        body: String,
        invites: i64,
    },
    Failed {
        meeting: i64,
        message: String,
    },
}

/// How a claimed request ends.
#[derive(Debug, Clone)]
pub enum RequestEnd {
    /// The worker is stopping: the lease ends now so any worker can resume at once.
    Release,
    Finished {
        state: RequestState,
        message: String,
    },
    Retry {
        retry_count: i64,
        not_before: Timestamp,
        message: String,
    },
}

/// Changes a tenant's settings record inside the store's write transaction.
pub type Apply<'a, T> = dyn FnMut(&mut T) -> Result<()> + 'a;

/// The store's reads. Each call sees one consistent state of the store; calls made through
/// the view a [`Store::read_scope`] hands out all see the same one. `Ok(None)` and empty
/// lists mean "no such row", never an error.
pub trait StoreReads {
    /// Every tenant, in creation order.
    fn tenants(&self) -> Result<Vec<Tenant>>;
    fn tenant(&self, id: Uuid) -> Result<Option<Tenant>>;
    /// The one tenant marked default, if the store has any tenant.
    fn default_tenant(&self) -> Result<Option<Tenant>>;
    fn dial_in_settings(&self, tenant: &Tenant) -> Result<DialInSettings>;

    /// Users of the tenant whose `index` key equals `key`, at most `limit`, in creation
    /// order. No such user and no such tenant both give an empty list.
    fn find_users(
        &self,
        tenant: &TenantScope,
        index: UserIndex,
        key: &str,
        limit: usize,
    ) -> Result<Vec<User>>;
    /// Up to `limit` users with a key above `after`, in key (creation) order.
    fn users_page(&self, tenant: &Tenant, after: Option<i64>, limit: usize) -> Result<Vec<User>>;
    /// Up to `limit` users of the tenant whose `index` key starts with `prefix` (compared
    /// byte for byte), in the order of that key then the user's key, following the user
    /// with key `after` in that order: a range scan of the index. `None` when the backend
    /// has no byte-ordered index for `index`; the caller then reads every user instead.
    fn users_by_prefix(
        &self,
        tenant: &Tenant,
        index: UserIndex,
        prefix: &str,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Option<Vec<User>>>;
    /// Every meeting the user with key `organizer` organises, ended or not, by start time
    /// then key.
    fn meetings_of(&self, organizer: i64) -> Result<Vec<MeetingRow>>;
    /// [`meetings_of`](StoreReads::meetings_of) without the bodies and attendees, in the
    /// same order.
    fn meeting_schedules_of(&self, organizer: i64) -> Result<Vec<MeetingSchedule>>;

    /// The user's Pending or InProgress request (there is at most one).
    fn open_request(&self, user: i64) -> Result<Option<MigrationStatus>>;
    /// One request with its outcomes (by meeting key) and, when Pending, its queue position:
    /// 1 + the number of Pending requests of the whole store with a lower key. That is the
    /// order in which [`Store::claim`] considers them once due, not a promise of when.
    fn request(&self, correlation_id: Uuid) -> Result<Option<MigrationDetail>>;
    /// Many requests' status records with queue positions (as [`request`](Self::request)),
    /// without outcomes, in the order asked; `None` for an unknown id.
    fn request_statuses(&self, correlation_ids: &[Uuid]) -> Result<Vec<Option<QueuedStatus>>>;
    /// The requests matching the filter, by key (creation order).
    fn requests(&self, filter: &StatusFilter) -> Result<Vec<MigrationStatus>>;
    /// Distinct users per state among the requests matching the filter; states without
    /// a request are left out.
    fn users_per_state(&self, filter: &StatusFilter) -> Result<Vec<(RequestState, i64)>>;
    /// Pending outcomes of a request with a meeting key above `after`, in key order, with
    /// what the worker needs to migrate them.
    fn pending_meetings(&self, request: i64, after: i64, limit: usize) -> Result<Vec<MeetingWork>>;
}

/// Everything the service stores. Implementations are shared between threads and
/// processes; each write method is atomic (one transaction: all of it or nothing).
pub trait Store: StoreReads + Send + Sync {
    /// This store's reads, each in its own snapshot.
    fn reads(&self) -> &dyn StoreReads;
    /// Runs `f` with a view whose reads all see one consistent state of the store (one read
    /// transaction, cheaper than one per call). Writes made meanwhile, by this process or
    /// another, are not seen through it. The view ends when `f` returns or panics.
    fn read_scope(&self, f: &mut dyn FnMut(&dyn StoreReads) -> Result<()>) -> Result<()>;

    // Tenants and settings.
    /// Creates a tenant with id `id`; `AlreadyExists` when the id is taken, `InvalidArgument`
    /// when a domain is listed twice. With `tenant.default` it becomes the store's one
    /// default tenant (the previous default stops being one).
    fn create_tenant(&self, tenant: &NewTenant, id: Uuid) -> Result<Tenant>;
    /// [`create_tenant`](Self::create_tenant), then `dial_in` on its settings, then the data
    /// `next_chunk` gives until it gives `None`, all in one transaction.
    fn create_filled_tenant(
        &self,
        tenant: &NewTenant,
        id: Uuid,
        dial_in: &mut Apply<DialInSettings>,
        next_chunk: &mut dyn FnMut(&Tenant) -> Result<Option<DirectoryData>>,
    ) -> Result<Tenant>;
    fn set_default_tenant(&self, tenant: i64) -> Result<()>;
    /// Reads the tenant's migration configuration, lets `apply` change it and writes it
    /// back, in one transaction; an error from `apply` changes nothing.
    fn update_migration_configuration(
        &self,
        tenant: &Tenant,
        apply: &mut Apply<MigrationConfiguration>,
    ) -> Result<MigrationConfiguration>;
    /// As [`update_migration_configuration`](Self::update_migration_configuration), for
    /// the dial-in conferencing settings.
    fn update_dial_in_settings(
        &self,
        tenant: &Tenant,
        apply: &mut Apply<DialInSettings>,
    ) -> Result<DialInSettings>;

    // Directory.
    /// Reads the user with key `user`, lets `apply` change it and writes back what is not a
    /// lookup key (`TeamsUpgradeEffectiveMode`, the toll numbers, the profile), in one
    /// transaction; an error from `apply` changes nothing. The keys `apply` changes are
    /// not written.
    fn update_user(&self, user: i64, apply: &mut Apply<User>) -> Result<User>;
    /// Replaces a meeting's invitation body (the organiser's own edit: the worker's
    /// rewrites go through `commit_batch`, which counts them); `false` for an unknown key.
    fn set_meeting_body(&self, meeting: i64, body: &str) -> Result<bool>;
    /// Adds users, then meetings, in one transaction: all or nothing. A user whose canonical
    /// key (object id, UPN, SIP, logon, DN) is taken in the tenant, a meeting id taken in the
    /// store, or an organiser who is not a user of the tenant fails it with `ImportFailed`.
    fn import(&self, tenant: &Tenant, data: &DirectoryData) -> Result<()>;

    // Queue.
    /// Queues the requests in one transaction, in order, one [`Started`] each. A user with
    /// an open request gets that request back (`existing`) instead of a second one, even
    /// when another process queues at the same moment. If a request's tenant has meeting
    /// migration disabled when the transaction runs, nothing is queued and the call fails
    /// with `MigrationDisabled`.
    fn start_requests(&self, requests: &[NewRequest], now: Timestamp) -> Result<Vec<Started>>;

    // Worker.
    /// Claims the runnable request with the lowest key, if any: Pending whose `not_before`
    /// has come, or InProgress whose lease expired before `now`. It becomes InProgress,
    /// leased to `owner` until `now + lease_ms`.
    fn claim(&self, owner: &str, now: Timestamp, lease_ms: i64) -> Result<Option<Claim>>;
    /// Records `meetings` (meeting keys) as the claimed request's Pending outcomes and their
    /// number as its total, once: false (and nothing changes) when the lease was lost or
    /// the request is scoped already.
    fn scope_request(
        &self,
        claim: &Claim,
        meetings: &[i64],
        now: Timestamp,
        lease_ms: i64,
    ) -> Result<bool>;
    /// Commits a batch's rewrites, outcomes and counts and renews the lease, in one
    /// transaction; false (and nothing changes) when the lease was lost. An outcome that is
    /// not Pending any more fails the whole batch.
    fn commit_batch(
        &self,
        claim: &Claim,
        results: &[MeetingResult],
        now: Timestamp,
        lease_ms: i64,
    ) -> Result<bool>;
    /// Ends or reschedules a claimed request; false (and nothing changes) when the lease was
    /// lost. `Retry` makes it Pending again and keeps the time of its first failure.
    fn end_request(&self, claim: &Claim, end: &RequestEnd, now: Timestamp) -> Result<bool>;
    /// Deletes Succeeded and Failed requests (with their outcomes) created before `before`;
    /// returns how many requests.
    fn purge(&self, before: Timestamp) -> Result<usize>;

    // The store itself.
    /// Checks everything the store holds for damage (a full scan: slow on a large store).
    /// Damage found makes later writes of this process fail with `StoreCorrupt`.
    fn check(&self) -> Result<StoreCheck>;
    /// Writes a consistent copy of the store to the file `to` (private to the user) while
    /// the store stays in use. An existing `to` is `AlreadyExists` unless `replace`; it is
    /// then replaced as a whole (a symbolic link there is replaced, never written through).
    /// A backend without a file copy fails with `InvalidArgument` naming its own tool.
    fn backup(&self, to: &Path, replace: bool) -> Result<StoreBackup>;
}
