//! Status of migration requests: queries, the per-state summary, one request's detail, and
//! waiting for a request to finish.

use std::time::{Duration, Instant};

use serde::Deserialize;
use uuid::Uuid;

use crate::cancel::CancelToken;
use crate::directory;
use crate::error::{Error, ErrorCode, Result};
use crate::identity::IdentityKey;
use crate::model::*;
use crate::store::{StatusFilter, StoreReads};
use crate::time::Timestamp;

/// `Get-CsMeetingMigrationStatus`'s filters.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StatusQuery {
    #[serde(default)]
    pub tenant: Option<String>,
    #[serde(default)]
    pub identity: Option<String>,
    #[serde(default)]
    pub start_time: Option<Timestamp>,
    #[serde(default)]
    pub end_time: Option<Timestamp>,
    #[serde(default)]
    pub state: Option<RequestState>,
    #[serde(default)]
    pub migration_type: Option<MigrationType>,
    #[serde(default)]
    pub triggered_by: Option<TriggeredBy>,
}

fn request_not_found(correlation_id: &str) -> Error {
    Error::new(
        ErrorCode::RequestNotFound,
        format!(
            "No migration request has correlation id {}.",
            correlation_id.trim()
        ),
    )
    .with_target(correlation_id)
}

fn parse_correlation_id(text: &str) -> Result<Uuid> {
    parse_guid(text).ok_or_else(|| {
        Error::invalid(format!(
            "'{}' is not a correlation id (a GUID).",
            crate::error::shorten(text)
        ))
        .with_target(text)
    })
}

/// How often a wait looks at the store.
const WAIT_POLL: Duration = Duration::from_millis(20);

fn status_filter(reads: &dyn StoreReads, query: &StatusQuery) -> Result<StatusFilter> {
    let tenant = directory::tenant(reads, query.tenant.as_deref())?;
    let user = match query
        .identity
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        Some(identity) => {
            let key = IdentityKey::parse(identity)?;
            Some(directory::resolve_in(reads, &tenant, identity, &key)?.key)
        }
        None => None,
    };
    if let (Some(from), Some(to)) = (query.start_time, query.end_time) {
        if from > to {
            return Err(Error::invalid(format!(
                "StartTime {} is after EndTime {}.",
                from.to_iso(),
                to.to_iso()
            )));
        }
    }
    Ok(StatusFilter {
        tenant: Some(tenant.key),
        user,
        created_from: query.start_time,
        created_to: query.end_time,
        state: query.state,
        migration_type: query.migration_type,
        triggered_by: query.triggered_by,
    })
}

/// The status records matching the query, oldest first.
pub fn status(reads: &dyn StoreReads, query: &StatusQuery) -> Result<Vec<MigrationStatus>> {
    reads.requests(&status_filter(reads, query)?)
}

/// Users per state (every state listed, zero included).
pub fn status_summary(reads: &dyn StoreReads, query: &StatusQuery) -> Result<Vec<StateSummary>> {
    let counts = reads.users_per_state(&status_filter(reads, query)?)?;
    Ok(RequestState::ALL
        .iter()
        .map(|&state| StateSummary {
            state,
            user_count: counts
                .iter()
                .find(|(s, _)| *s == state)
                .map_or(0, |(_, n)| *n),
        })
        .collect())
}

/// One request of the tenant a `-Tenant` argument names (see [`directory::tenant`]) with its
/// queue position and per-meeting outcomes. A request of another tenant is not found, with
/// the message of an unknown id.
pub fn request_detail(
    reads: &dyn StoreReads,
    tenant: Option<&str>,
    correlation_id: &str,
) -> Result<MigrationDetail> {
    let id = parse_correlation_id(correlation_id)?;
    let tenant = directory::tenant(reads, tenant)?;
    reads
        .request(id)?
        .filter(|found| found.status.tenant_id == tenant.tenant_id)
        .ok_or_else(|| request_not_found(correlation_id))
}

/// One request's status record alone (no outcomes, no queue position), of the tenant a
/// `-Tenant` argument names: what a wait polls. A request of another tenant is not found.
pub fn request_status(
    reads: &dyn StoreReads,
    tenant: Option<&str>,
    correlation_id: &str,
) -> Result<MigrationStatus> {
    let id = parse_correlation_id(correlation_id)?;
    let tenant = directory::tenant(reads, tenant)?;
    status_in(reads, &tenant, id, correlation_id)
}

/// The status record of request `id` if it belongs to `tenant`.
fn status_in(
    reads: &dyn StoreReads,
    tenant: &Tenant,
    id: Uuid,
    correlation_id: &str,
) -> Result<MigrationStatus> {
    match reads.request_statuses(&[id])?.pop().flatten() {
        Some(found) if found.status.tenant_id == tenant.tenant_id => Ok(found.status),
        _ => Err(request_not_found(correlation_id)),
    }
}

/// Many requests' status records with their queue positions, in order, of the tenant a
/// `-Tenant` argument names: `None` for an unknown id and for a request of another tenant.
/// One call per poll for every job of a process (per tenant), without outcomes.
pub fn request_statuses(
    reads: &dyn StoreReads,
    tenant: Option<&str>,
    correlation_ids: &[String],
) -> Result<Vec<Option<QueuedStatus>>> {
    let ids = correlation_ids
        .iter()
        .map(|id| parse_correlation_id(id))
        .collect::<Result<Vec<_>>>()?;
    let tenant = directory::tenant(reads, tenant)?;
    Ok(reads
        .request_statuses(&ids)?
        .into_iter()
        .map(|found| found.filter(|f| f.status.tenant_id == tenant.tenant_id))
        .collect())
}

/// Waits until the request, of the tenant a `-Tenant` argument names, is Succeeded or
/// Failed, calling `progress` whenever its counts or state change. A request of another
/// tenant is not found. Ends with `Timeout` after `timeout`, or `Cancelled` as soon as
/// `cancel` is set from another thread.
pub fn wait(
    reads: &dyn StoreReads,
    tenant: Option<&str>,
    correlation_id: &str,
    timeout: Duration,
    progress: &mut dyn FnMut(&MigrationStatus),
    cancel: Option<&CancelToken>,
) -> Result<MigrationStatus> {
    let deadline = Instant::now() + timeout;
    let id = parse_correlation_id(correlation_id)?;
    // Looked up once: a tenant is never deleted, and each poll is then one read.
    let tenant = directory::tenant(reads, tenant)?;
    let mut last: Option<MigrationStatus> = None;
    loop {
        let status = status_in(reads, &tenant, id, correlation_id)?;
        let changed = last.as_ref().map_or(true, |l| {
            (
                l.state,
                l.succeeded_meeting,
                l.failed_meeting,
                l.total_meeting,
                l.retry_count,
            ) != (
                status.state,
                status.succeeded_meeting,
                status.failed_meeting,
                status.total_meeting,
                status.retry_count,
            )
        });
        if changed {
            progress(&status);
        }
        if !status.state.is_open() {
            return Ok(status);
        }
        last = Some(status);
        if cancel.map_or(false, CancelToken::is_cancelled) {
            return Err(Error::new(
                ErrorCode::Cancelled,
                format!("The wait for request {correlation_id} was cancelled."),
            )
            .with_target(correlation_id));
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(Error::new(
                ErrorCode::Timeout,
                format!("Request {correlation_id} did not finish within {} ms; it is still queued or running.", timeout.as_millis()),
            )
            .with_target(correlation_id));
        }
        std::thread::sleep(WAIT_POLL.min(deadline - now));
    }
}
