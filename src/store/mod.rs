//! Storage behind one trait, [`Store`], so the service code does not know which database
//! holds the directory and the queue. [`sqlite::SqliteStore`] is the embedded default
//! (DESIGN.md §5.1); a PostgreSQL implementation can come later (§5.4) without touching the
//! service.

pub mod sqlite;

use uuid::Uuid;

use crate::directory::import::DirectoryData;
use crate::error::Result;
use crate::identity::IdentityKey;
use crate::model::*;
use crate::time::Timestamp;

/// The tenant a lookup is confined to. Resolution names it this way so the store can find
/// the tenant and the user in one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantScope {
    /// The store's default tenant.
    Default,
    /// A tenant by its id.
    Id(Uuid),
    /// A tenant already looked up ([`Tenant::key`]).
    Key(i64),
}

/// A request to queue, already validated and resolved.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub tenant: i64,
    pub tenant_id: Uuid,
    pub user: User,
    pub source: SourceMeetingType,
    pub target: TargetMeetingType,
    /// Earliest time the worker may take it (creation + the tenant's hold time).
    pub not_before: Timestamp,
}

/// The result of queueing one request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Started {
    pub status: MigrationStatus,
    /// True when the user already had an open request, which is returned instead.
    pub existing: bool,
}

/// Filters of a status query; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct StatusFilter {
    pub tenant: Option<i64>,
    pub user: Option<i64>,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
    pub state: Option<RequestState>,
    pub migration_type: Option<MigrationType>,
}

/// A request claimed by a worker under a lease.
#[derive(Debug, Clone)]
pub struct Claim {
    pub request: i64,
    pub owner: String,
    pub status: MigrationStatus,
    /// When the request first failed transiently, if it has.
    pub first_failure: Option<Timestamp>,
    pub user_toll: Option<String>,
    pub user_toll_free: Option<String>,
    pub bridge_toll: Option<String>,
    pub bridge_toll_free: Option<String>,
    pub tenant_domain: String,
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

/// Everything the service stores. Implementations are shared between threads; each method
/// is atomic (one transaction).
pub trait Store: Send + Sync {
    /// Runs `f` with all of this thread's reads of the store seeing one consistent state,
    /// in one read transaction (cheaper than one per statement). Writes are not part of it.
    fn snapshot(&self, f: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        f()
    }

    // Tenants and settings.
    fn tenants(&self) -> Result<Vec<Tenant>>;
    fn tenant(&self, id: Uuid) -> Result<Option<Tenant>>;
    fn default_tenant(&self) -> Result<Option<Tenant>>;
    /// Creates a tenant; the first tenant of a store (or one asked to be) becomes the default.
    fn create_tenant(&self, tenant: &NewTenant, id: Uuid) -> Result<Tenant>;
    /// Creates a tenant, sets its dial-in settings and adds the data `next_chunk` gives
    /// until it gives `None`, all in one transaction (the sample tenant).
    fn create_filled_tenant(
        &self,
        tenant: &NewTenant,
        id: Uuid,
        dial_in: &DialInSettingsChanges,
        next_chunk: &mut dyn FnMut(&Tenant) -> Result<Option<DirectoryData>>,
    ) -> Result<Tenant>;
    fn set_default_tenant(&self, tenant: i64) -> Result<()>;
    fn set_migration_configuration(
        &self,
        tenant: &Tenant,
        changes: &MigrationConfigurationChanges,
    ) -> Result<MigrationConfiguration>;
    fn dial_in_settings(&self, tenant: &Tenant) -> Result<DialInSettings>;
    fn set_dial_in_settings(
        &self,
        tenant: &Tenant,
        changes: &DialInSettingsChanges,
    ) -> Result<DialInSettings>;

    // Directory.
    /// Users of the tenant matching one key exactly (indexed), at most `limit`. No user and
    /// no such tenant both give an empty list.
    fn find_users(
        &self,
        tenant: &TenantScope,
        key: &IdentityKey,
        limit: usize,
    ) -> Result<Vec<User>>;
    /// Up to `limit` users after the user with key `after`, in key order; with a prefix,
    /// only users whose canonical UPN starts with it.
    fn users_page(
        &self,
        tenant: &Tenant,
        after: Option<i64>,
        upn_prefix: Option<&str>,
        limit: usize,
    ) -> Result<Vec<User>>;
    /// Adds users and meetings in one transaction: all or nothing.
    fn import(&self, tenant: &Tenant, data: &DirectoryData) -> Result<()>;
    fn meetings_of(&self, user: &User) -> Result<Vec<Meeting>>;
    /// How many of the user's meetings a request with this source type would take now.
    fn meetings_in_scope(
        &self,
        user: &User,
        source: SourceMeetingType,
        now: Timestamp,
    ) -> Result<Vec<(Uuid, String, Timestamp, MeetingType)>>;

    // Queue.
    /// Queues the requests in one transaction, in order; a user with an open request gets
    /// that request back instead of a second one.
    fn start_requests(&self, requests: &[NewRequest], now: Timestamp) -> Result<Vec<Started>>;
    fn open_request(&self, user: i64) -> Result<Option<MigrationStatus>>;
    fn request(&self, correlation_id: Uuid) -> Result<Option<MigrationDetail>>;
    /// Many requests' status records with queue positions (no outcomes), in order; `None`
    /// for an unknown id.
    fn request_statuses(&self, correlation_ids: &[Uuid]) -> Result<Vec<Option<QueuedStatus>>>;
    fn requests(&self, filter: &StatusFilter) -> Result<Vec<MigrationStatus>>;
    fn summary(&self, filter: &StatusFilter) -> Result<Vec<StateSummary>>;

    // Worker.
    /// Claims the oldest runnable request (Pending past its hold / back-off time, or
    /// InProgress whose lease expired) and, on its first claim, snapshots the meetings in
    /// scope as its Pending outcomes.
    fn claim(&self, owner: &str, now: Timestamp, lease_ms: i64) -> Result<Option<Claim>>;
    /// Pending meetings of a claimed request with a meeting key above `after`, in key order.
    fn pending_meetings(&self, request: i64, after: i64, limit: usize) -> Result<Vec<MeetingWork>>;
    /// Commits a batch's rewrites, outcomes and counts and renews the lease, in one
    /// transaction; returns false (and changes nothing) when the lease was lost.
    fn commit_batch(
        &self,
        claim: &Claim,
        results: &[MeetingResult],
        now: Timestamp,
        lease_ms: i64,
    ) -> Result<bool>;
    /// Ends or reschedules a claimed request; false when the lease was lost.
    fn end_request(&self, claim: &Claim, end: &RequestEnd, now: Timestamp) -> Result<bool>;
    /// Deletes terminal requests created before `before`; returns how many.
    fn purge(&self, before: Timestamp) -> Result<usize>;
}
