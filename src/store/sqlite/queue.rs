//! The migration queue in SQLite: requests, leases and per-meeting outcomes.

use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, Transaction};
use uuid::Uuid;

use super::directory::{parse_column, uuid_column};
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::{Claim, FilterValue, MeetingResult, MeetingWork, RequestEnd, StatusFilter};
use crate::time::Timestamp;

const STATUS_COLUMNS: &str = "r.key, r.correlation_id, r.user_id, r.upn, t.tenant_id, r.migration_type, r.source_type,
    r.target_type, r.state, r.retry_count, r.total_meeting, r.succeeded_meeting, r.failed_meeting, r.invites_update,
    r.last_message, r.create_date, r.modified_date, r.triggered_by";
const STATUS_FROM: &str = "requests r JOIN tenants t ON t.key = r.tenant";

fn status_from_row(row: &Row) -> rusqlite::Result<MigrationStatus> {
    Ok(MigrationStatus {
        key: row.get(0)?,
        correlation_id: uuid_column(row, 1)?,
        user_id: uuid_column(row, 2)?,
        user_principal_name: row.get(3)?,
        tenant_id: uuid_column(row, 4)?,
        migration_type: parse_column(row, 5, MigrationType::parse)?,
        source_meeting_type: parse_column(row, 6, SourceMeetingType::parse)?,
        target_meeting_type: parse_column(row, 7, TargetMeetingType::parse)?,
        state: parse_column(row, 8, RequestState::parse)?,
        retry_count: row.get(9)?,
        total_meeting: row.get(10)?,
        succeeded_meeting: row.get(11)?,
        failed_meeting: row.get(12)?,
        invites_update: row.get(13)?,
        last_message: row.get(14)?,
        create_date: Timestamp(row.get(15)?),
        modified_date: Timestamp(row.get(16)?),
        triggered_by: parse_column(row, 17, TriggeredBy::parse)?,
    })
}

fn status_by_key(conn: &Connection, key: i64) -> Result<MigrationStatus> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {STATUS_COLUMNS} FROM {STATUS_FROM} WHERE r.key = ?1"
    ))?;
    Ok(stmt.query_row([key], status_from_row)?)
}

pub(super) fn open_request(conn: &Connection, user: i64) -> Result<Option<MigrationStatus>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {STATUS_COLUMNS} FROM {STATUS_FROM} WHERE r.user_key = ?1 AND r.state IN ('Pending', 'InProgress')"
    ))?;
    Ok(stmt.query_row([user], status_from_row).optional()?)
}

pub(super) fn start_requests(
    tx: &Transaction,
    requests: &[NewRequest],
    now: Timestamp,
) -> Result<Vec<Started>> {
    let mut started = Vec::with_capacity(requests.len());
    // The setting was checked before this transaction; a Set-CsTenantMigrationConfiguration
    // in between must still win, so check it again under the write lock.
    let mut enabled =
        tx.prepare_cached("SELECT meeting_migration_enabled FROM tenants WHERE key = ?1")?;
    for r in requests {
        if !enabled.query_row([r.tenant], |row| row.get::<_, bool>(0))? {
            return Err(
                Error::migration_disabled(r.tenant_id, &r.user.user_principal_name)
                    .with_target(r.user.user_principal_name.clone()),
            );
        }
        let correlation_id = Uuid::new_v4();
        // The one-open-request-per-user index refuses a second open request; the user's
        // open request is then looked up and returned. No lookup in the common case.
        let mut stmt = tx.prepare_cached(
            "INSERT OR IGNORE INTO requests(correlation_id, tenant, user_key, user_id, upn, source_type, target_type, migration_type,
                                  state, create_date, modified_date, not_before, triggered_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'Pending', ?9, ?9, ?10, ?11)",
        )?;
        let inserted = stmt.execute(params![
            correlation_id.to_string(),
            r.tenant,
            r.user.key,
            r.user.identity.to_string(),
            r.user.user_principal_name,
            r.source.as_str(),
            r.target.as_str(),
            r.migration_type.as_str(),
            now.millis(),
            r.not_before.millis(),
            r.triggered_by.as_str()
        ])?;
        if inserted == 0 {
            let open = open_request(tx, r.user.key)?.ok_or_else(|| {
                Error::internal(format!(
                    "the request for {} was refused but the user has no open request",
                    r.user.user_principal_name
                ))
            })?;
            started.push(Started {
                status: open,
                existing: true,
            });
            continue;
        }
        let status = r.queued_status(tx.last_insert_rowid(), correlation_id, now);
        started.push(Started {
            status,
            existing: false,
        });
    }
    Ok(started)
}

pub(super) fn request_statuses(
    conn: &Connection,
    ids: &[Uuid],
) -> Result<Vec<Option<QueuedStatus>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {STATUS_COLUMNS} FROM {STATUS_FROM} WHERE r.correlation_id = ?1"
    ))?;
    let mut found: Vec<Option<QueuedStatus>> = Vec::with_capacity(ids.len());
    for id in ids {
        let status = stmt
            .query_row([id.to_string()], status_from_row)
            .optional()?;
        found.push(status.map(|status| QueuedStatus {
            status,
            queue_position: None,
        }));
    }
    // Queue positions of all pending ones in one walk of the pending queue, up to the last
    // of them: O(queue) per call, not per request.
    let mut pending: Vec<&mut QueuedStatus> = found
        .iter_mut()
        .flatten()
        .filter(|s| s.status.state == RequestState::Pending)
        .collect();
    pending.sort_by_key(|s| s.status.key);
    if let Some(last) = pending.last().map(|s| s.status.key) {
        let mut walk = conn.prepare_cached(
            "SELECT key FROM requests WHERE state = 'Pending' AND key <= ?1 ORDER BY key",
        )?;
        let mut keys = walk.query([last])?;
        let mut position = 0i64;
        let mut next = pending.into_iter().peekable();
        while let Some(row) = keys.next()? {
            position += 1;
            let key: i64 = row.get(0)?;
            while let Some(s) = next.next_if(|s| s.status.key <= key) {
                if s.status.key == key {
                    s.queue_position = Some(position);
                }
            }
        }
    }
    Ok(found)
}

pub(super) fn request_detail(
    conn: &Connection,
    correlation_id: Uuid,
) -> Result<Option<MigrationDetail>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {STATUS_COLUMNS} FROM {STATUS_FROM} WHERE r.correlation_id = ?1"
    ))?;
    let Some(status) = stmt
        .query_row([correlation_id.to_string()], status_from_row)
        .optional()?
    else {
        return Ok(None);
    };
    let queue_position = if status.state == RequestState::Pending {
        let ahead: i64 = conn
            .prepare_cached("SELECT count(*) FROM requests WHERE state = 'Pending' AND key < ?1")?
            .query_row([status.key], |r| r.get(0))?;
        Some(ahead + 1)
    } else {
        None
    };
    let mut stmt = conn.prepare_cached(
        "SELECT m.meeting_id, m.subject, o.outcome, o.message, o.invites_update
         FROM outcomes o JOIN meetings m ON m.key = o.meeting WHERE o.request = ?1 ORDER BY o.meeting",
    )?;
    let meetings = stmt
        .query_map([status.key], |r| {
            Ok(MeetingOutcome {
                meeting_id: uuid_column(r, 0)?,
                subject: r.get(1)?,
                outcome: parse_column(r, 2, MeetingOutcomeState::parse)?,
                message: r.get(3)?,
                invites_update: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(MigrationDetail {
        status,
        queue_position,
        meetings,
    }))
}

/// The WHERE clause and parameters of a status filter.
fn filter_sql(filter: &StatusFilter) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let conditions = filter.conditions();
    let mut clauses = vec!["1 = 1".to_string()];
    clauses.extend(
        (1..)
            .zip(&conditions)
            .map(|(n, (c, _))| format!("{c} ?{n}")),
    );
    let values = conditions
        .into_iter()
        .map(|(_, v)| match v {
            FilterValue::Integer(i) => Value::Integer(i),
            FilterValue::Text(t) => Value::Text(t.into()),
        })
        .collect();
    (clauses.join(" AND "), values)
}

pub(super) fn requests(conn: &Connection, filter: &StatusFilter) -> Result<Vec<MigrationStatus>> {
    let (condition, values) = filter_sql(filter);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {STATUS_COLUMNS} FROM {STATUS_FROM} WHERE {condition} ORDER BY r.key"
    ))?;
    let rows = stmt.query_map(params_from_iter(values), status_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn users_per_state(
    conn: &Connection,
    filter: &StatusFilter,
) -> Result<Vec<(RequestState, i64)>> {
    let (condition, values) = filter_sql(filter);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.state, count(DISTINCT r.user_key) FROM {STATUS_FROM} WHERE {condition} GROUP BY r.state"
    ))?;
    let rows = stmt.query_map(params_from_iter(values), |r| {
        Ok((parse_column(r, 0, RequestState::parse)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn claim(
    tx: &Transaction,
    owner: &str,
    now: Timestamp,
    lease_ms: i64,
) -> Result<Option<Claim>> {
    // Oldest first: a Pending request past its hold / back-off time, or an InProgress one
    // whose worker stopped renewing its lease.
    let key: Option<i64> = tx
        .prepare_cached(
            "SELECT min(key) FROM (
                 SELECT key FROM (SELECT key FROM requests WHERE state = 'Pending' AND not_before <= ?1 ORDER BY key LIMIT 1)
                 UNION ALL
                 SELECT key FROM (SELECT key FROM requests WHERE state = 'InProgress' AND lease_expires < ?1 ORDER BY key LIMIT 1))",
        )?
        .query_row([now.millis()], |r| r.get(0))?;
    let Some(key) = key else { return Ok(None) };
    tx.execute(
        "UPDATE requests SET state = 'InProgress', lease_owner = ?2, lease_expires = ?3, modified_date = ?4 WHERE key = ?1",
        params![key, owner, now.plus_ms(lease_ms).millis(), now.millis()],
    )?;
    let (scoped, user, first_failure): (bool, i64, Option<i64>) = tx.query_row(
        "SELECT snapshot_taken, user_key, first_failure_date FROM requests WHERE key = ?1",
        [key],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let status = status_by_key(tx, key)?;
    let (user_toll, user_toll_free, bridge_toll, bridge_toll_free): (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = tx.query_row(
        "SELECT u.toll, u.toll_free, t.bridge_toll_number, t.bridge_toll_free_number
         FROM requests r JOIN users u ON u.key = r.user_key JOIN tenants t ON t.key = r.tenant WHERE r.key = ?1",
        [key],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(Some(Claim {
        request: key,
        owner: owner.to_string(),
        status,
        user,
        scoped,
        first_failure: first_failure.map(Timestamp),
        user_toll,
        user_toll_free,
        bridge_toll,
        bridge_toll_free,
    }))
}

pub(super) fn scope_request(
    tx: &Transaction,
    claim: &Claim,
    meetings: &[i64],
    now: Timestamp,
    lease_ms: i64,
) -> Result<Option<()>> {
    if !renew_lease(tx, claim, now, lease_ms)? {
        return Ok(None);
    }
    let scoped = tx.execute(
        "UPDATE requests SET snapshot_taken = 1, total_meeting = ?2 WHERE key = ?1 AND snapshot_taken = 0",
        params![claim.request, meetings.len() as i64],
    )?;
    if scoped == 0 {
        return Ok(None);
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO outcomes(request, meeting, outcome) VALUES (?1, ?2, 'Pending')",
    )?;
    for meeting in meetings {
        insert.execute(params![claim.request, meeting])?;
    }
    Ok(Some(()))
}

pub(super) fn pending_meetings(
    conn: &Connection,
    request: i64,
    after: i64,
    limit: usize,
) -> Result<Vec<MeetingWork>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.key, m.meeting_id, m.meeting_type, m.attendee_count, m.body
         FROM outcomes o JOIN meetings m ON m.key = o.meeting
         WHERE o.request = ?1 AND o.meeting > ?2 AND o.outcome = 'Pending' ORDER BY o.meeting LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![request, after, limit as i64], |r| {
        Ok(MeetingWork {
            meeting: r.get(0)?,
            meeting_id: uuid_column(r, 1)?,
            meeting_type: parse_column(r, 2, MeetingType::parse)?,
            attendee_count: r.get(3)?,
            body: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Renews the lease if this worker still holds it; false when another took the request.
fn renew_lease(tx: &Transaction, claim: &Claim, now: Timestamp, lease_ms: i64) -> Result<bool> {
    let renewed = tx
        .prepare_cached(
            "UPDATE requests SET lease_expires = ?3, modified_date = ?4
             WHERE key = ?1 AND lease_owner = ?2 AND state = 'InProgress'",
        )?
        .execute(params![
            claim.request,
            claim.owner,
            now.plus_ms(lease_ms).millis(),
            now.millis()
        ])?;
    Ok(renewed == 1)
}

pub(super) fn commit_batch(
    tx: &Transaction,
    claim: &Claim,
    results: &[MeetingResult],
    now: Timestamp,
    lease_ms: i64,
) -> Result<Option<()>> {
    if !renew_lease(tx, claim, now, lease_ms)? {
        return Ok(None);
    }
    let (mut succeeded, mut failed, mut invites) = (0i64, 0i64, 0i64);
    let mut rewrite = tx.prepare_cached(
        "UPDATE meetings SET body = ?2, meeting_type = ?3, rewrite_count = rewrite_count + 1 WHERE key = ?1",
    )?;
    let mut outcome = tx.prepare_cached(
        "UPDATE outcomes SET outcome = ?3, message = ?4, invites_update = ?5 WHERE request = ?1 AND meeting = ?2 AND outcome = 'Pending'",
    )?;
    for result in results {
        let changed = match result {
            MeetingResult::Rewritten {
                meeting,
                meeting_type,
                body,
                invites: n,
            } => {
                let changed = outcome.execute(params![
                    claim.request,
                    meeting,
                    "Succeeded",
                    Option::<String>::None,
                    n
                ])?;
                if changed == 1 {
                    rewrite.execute(params![meeting, body, meeting_type.as_str()])?;
                    succeeded += 1;
                    invites += n;
                }
                changed
            }
            MeetingResult::Failed { meeting, message } => {
                let changed =
                    outcome.execute(params![claim.request, meeting, "Failed", message, 0])?;
                failed += changed as i64;
                changed
            }
        };
        if changed != 1 {
            return Err(Error::internal(
                "a meeting of a claimed request was already done: the batch is abandoned",
            ));
        }
    }
    tx.prepare_cached(
        "UPDATE requests SET succeeded_meeting = succeeded_meeting + ?2, failed_meeting = failed_meeting + ?3,
                             invites_update = invites_update + ?4 WHERE key = ?1",
    )?
    .execute(params![claim.request, succeeded, failed, invites])?;
    Ok(Some(()))
}

pub(super) fn end_request(
    tx: &Transaction,
    claim: &Claim,
    end: &RequestEnd,
    now: Timestamp,
) -> Result<Option<()>> {
    if !renew_lease(tx, claim, now, 0)? {
        return Ok(None);
    }
    match end {
        RequestEnd::Release => tx.execute(
            "UPDATE requests SET lease_owner = NULL, lease_expires = ?2 WHERE key = ?1",
            params![claim.request, now.millis() - 1],
        )?,
        RequestEnd::Finished { state, message } => tx.execute(
            "UPDATE requests SET state = ?2, last_message = ?3, modified_date = ?4, lease_owner = NULL, lease_expires = NULL WHERE key = ?1",
            params![claim.request, state.as_str(), message, now.millis()],
        )?,
        RequestEnd::Retry { retry_count, not_before, message } => tx.execute(
            "UPDATE requests SET state = 'Pending', retry_count = ?2, not_before = ?3, last_message = ?4, modified_date = ?5,
                                 lease_owner = NULL, lease_expires = NULL, first_failure_date = coalesce(first_failure_date, ?5)
             WHERE key = ?1",
            params![claim.request, retry_count, not_before.millis(), message, now.millis()],
        )?,
    };
    Ok(Some(()))
}

pub(super) fn purge(tx: &Transaction, before: Timestamp) -> Result<usize> {
    tx.execute(
        "DELETE FROM outcomes WHERE request IN (SELECT key FROM requests WHERE create_date < ?1 AND state IN ('Succeeded', 'Failed'))",
        [before.millis()],
    )?;
    Ok(tx.execute(
        "DELETE FROM requests WHERE create_date < ?1 AND state IN ('Succeeded', 'Failed')",
        [before.millis()],
    )?)
}
