//! The migration queue in PostgreSQL: requests, leases and per-meeting outcomes. Claims
//! lock the request row with `FOR UPDATE SKIP LOCKED`, so workers on any number of hosts
//! take different requests without waiting for each other, in the order SQLite uses.

use std::collections::HashMap;

use tokio_postgres::types::ToSql;
use tokio_postgres::Row;
use uuid::Uuid;

use super::directory::parse;
use super::{Db, Fail, R};
use crate::error::Error;
use crate::model::*;
use crate::store::{Claim, FilterValue, MeetingResult, MeetingWork, RequestEnd, StatusFilter};
use crate::time::Timestamp;

const STATUS_COLUMNS: &str = "r.key, r.correlation_id, r.user_id, r.upn, t.tenant_id, r.migration_type, r.source_type,
    r.target_type, r.state, r.retry_count, r.total_meeting, r.succeeded_meeting, r.failed_meeting, r.invites_update,
    r.last_message, r.create_date, r.modified_date, r.triggered_by";
const STATUS_FROM: &str = "requests r JOIN tenants t ON t.key = r.tenant";

fn status_from_row(row: &Row) -> R<MigrationStatus> {
    Ok(MigrationStatus {
        key: row.try_get(0)?,
        correlation_id: row.try_get(1)?,
        user_id: row.try_get(2)?,
        user_principal_name: row.try_get(3)?,
        tenant_id: row.try_get(4)?,
        migration_type: parse(row, 5, MigrationType::parse)?,
        source_meeting_type: parse(row, 6, SourceMeetingType::parse)?,
        target_meeting_type: parse(row, 7, TargetMeetingType::parse)?,
        state: parse(row, 8, RequestState::parse)?,
        retry_count: row.try_get(9)?,
        total_meeting: row.try_get(10)?,
        succeeded_meeting: row.try_get(11)?,
        failed_meeting: row.try_get(12)?,
        invites_update: row.try_get(13)?,
        last_message: row.try_get(14)?,
        create_date: Timestamp(row.try_get(15)?),
        modified_date: Timestamp(row.try_get(16)?),
        triggered_by: parse(row, 17, TriggeredBy::parse)?,
    })
}

pub(super) fn open_request(db: &Db, user: i64) -> R<Option<MigrationStatus>> {
    db.query_opt(
        &format!("SELECT {STATUS_COLUMNS} FROM {STATUS_FROM} WHERE r.user_key = $1 AND r.state IN ('Pending', 'InProgress')"),
        &[&user],
    )?
    .as_ref()
    .map(status_from_row)
    .transpose()
}

pub(super) fn start_requests(db: &Db, requests: &[NewRequest], now: Timestamp) -> R<Vec<Started>> {
    // The setting was checked before this transaction; a Set-CsTenantMigrationConfiguration
    // in between must still win, so read it again and hold it (shared) to the commit.
    let mut enabled: HashMap<i64, bool> = HashMap::new();
    for r in requests {
        let on = match enabled.get(&r.tenant) {
            Some(on) => *on,
            None => {
                let on: bool = db
                    .query_one(
                        "SELECT meeting_migration_enabled FROM tenants WHERE key = $1 FOR SHARE",
                        &[&r.tenant],
                    )?
                    .try_get(0)?;
                enabled.insert(r.tenant, on);
                on
            }
        };
        if !on {
            return Err(Fail::App(
                Error::migration_disabled(r.tenant_id, &r.user.user_principal_name)
                    .with_target(r.user.user_principal_name.clone()),
            ));
        }
    }
    // Users are inserted in one order, whatever the input order (the first of a user's
    // requests first): hosts starting overlapping users in other orders would otherwise
    // each wait for an index entry the other holds, a deadlock PostgreSQL breaks by
    // failing one of them.
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by_key(|&i| requests[i].user.key);
    let mut started: Vec<Option<Started>> = (0..requests.len()).map(|_| None).collect();
    for i in order {
        started[i] = Some(insert_request(db, &requests[i], now)?);
    }
    Ok(started.into_iter().flatten().collect())
}

/// Queues one request, or returns the user's open request.
fn insert_request(db: &Db, r: &NewRequest, now: Timestamp) -> R<Started> {
    let correlation_id = Uuid::new_v4();
    // The one-open-request-per-user index refuses a second open request, also one
    // another host inserts at this moment (the insert waits for it); the user's open
    // request is then looked up and returned.
    let inserted = db.query_opt(
        "INSERT INTO requests(correlation_id, tenant, user_key, user_id, upn, source_type, target_type, migration_type,
                              state, create_date, modified_date, not_before, triggered_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Pending', $9, $9, $10, $11)
         ON CONFLICT (user_key) WHERE state IN ('Pending', 'InProgress') DO NOTHING
         RETURNING key",
        &[
            &correlation_id,
            &r.tenant,
            &r.user.key,
            &r.user.identity,
            &r.user.user_principal_name,
            &r.source.as_str(),
            &r.target.as_str(),
            &r.migration_type.as_str(),
            &now.millis(),
            &r.not_before.millis(),
            &r.triggered_by.as_str(),
        ],
    )?;
    let Some(row) = inserted else {
        let open = open_request(db, r.user.key)?.ok_or_else(|| {
            Fail::App(Error::internal(format!(
                "the request for {} was refused but the user has no open request",
                r.user.user_principal_name
            )))
        })?;
        return Ok(Started {
            status: open,
            existing: true,
        });
    };
    Ok(Started {
        status: r.queued_status(row.try_get(0)?, correlation_id, now),
        existing: false,
    })
}

pub(super) fn request_statuses(db: &Db, ids: &[Uuid]) -> R<Vec<Option<QueuedStatus>>> {
    let ids_param: Vec<Uuid> = ids.to_vec();
    let rows = db.query(
        &format!("SELECT {STATUS_COLUMNS} FROM {STATUS_FROM} WHERE r.correlation_id = ANY($1)"),
        &[&ids_param],
    )?;
    let mut by_id: HashMap<Uuid, MigrationStatus> = HashMap::with_capacity(rows.len());
    for row in &rows {
        let s = status_from_row(row)?;
        by_id.insert(s.correlation_id, s);
    }
    let mut found: Vec<Option<QueuedStatus>> = ids
        .iter()
        .map(|id| {
            by_id.get(id).map(|s| QueuedStatus {
                status: s.clone(),
                queue_position: None,
            })
        })
        .collect();
    // Queue positions of all pending ones in one walk of the pending queue, up to the last
    // of them: O(queue) per call, not per request.
    let mut pending: Vec<&mut QueuedStatus> = found
        .iter_mut()
        .flatten()
        .filter(|s| s.status.state == RequestState::Pending)
        .collect();
    pending.sort_by_key(|s| s.status.key);
    if let Some(last) = pending.last().map(|s| s.status.key) {
        let keys = db.query(
            "SELECT key FROM requests WHERE state = 'Pending' AND key <= $1 ORDER BY key",
            &[&last],
        )?;
        let mut position = 0i64;
        let mut next = pending.into_iter().peekable();
        for row in &keys {
            position += 1;
            let key: i64 = row.try_get(0)?;
            while let Some(s) = next.next_if(|s| s.status.key <= key) {
                if s.status.key == key {
                    s.queue_position = Some(position);
                }
            }
        }
    }
    Ok(found)
}

pub(super) fn request_detail(db: &Db, correlation_id: Uuid) -> R<Option<MigrationDetail>> {
    let Some(row) = db.query_opt(
        &format!("SELECT {STATUS_COLUMNS} FROM {STATUS_FROM} WHERE r.correlation_id = $1"),
        &[&correlation_id],
    )?
    else {
        return Ok(None);
    };
    let status = status_from_row(&row)?;
    let queue_position = if status.state == RequestState::Pending {
        let ahead: i64 = db
            .query_one(
                "SELECT count(*) FROM requests WHERE state = 'Pending' AND key < $1",
                &[&status.key],
            )?
            .try_get(0)?;
        Some(ahead + 1)
    } else {
        None
    };
    let meetings = db
        .query(
            "SELECT m.meeting_id, m.subject, o.outcome, o.message, o.invites_update
             FROM outcomes o JOIN meetings m ON m.key = o.meeting WHERE o.request = $1 ORDER BY o.meeting",
            &[&status.key],
        )?
        .iter()
        .map(|r| {
            Ok(MeetingOutcome {
                meeting_id: r.try_get(0)?,
                subject: r.try_get(1)?,
                outcome: parse(r, 2, MeetingOutcomeState::parse)?,
                message: r.try_get(3)?,
                invites_update: r.try_get(4)?,
            })
        })
        .collect::<R<_>>()?;
    Ok(Some(MigrationDetail {
        status,
        queue_position,
        meetings,
    }))
}

type Values = Vec<Box<dyn ToSql + Sync>>;

/// The WHERE clause and parameters of a status filter.
fn filter_sql(filter: &StatusFilter) -> (String, Values) {
    let conditions = filter.conditions();
    let mut clauses = vec!["true".to_string()];
    clauses.extend(
        (1..)
            .zip(&conditions)
            .map(|(n, (c, _))| format!("{c} ${n}")),
    );
    let values = conditions
        .into_iter()
        .map(|(_, v)| -> Box<dyn ToSql + Sync> {
            match v {
                FilterValue::Integer(i) => Box::new(i),
                FilterValue::Text(t) => Box::new(t),
            }
        })
        .collect();
    (clauses.join(" AND "), values)
}

fn refs(values: &Values) -> Vec<&(dyn ToSql + Sync)> {
    values.iter().map(|v| v.as_ref()).collect()
}

pub(super) fn requests(db: &Db, filter: &StatusFilter) -> R<Vec<MigrationStatus>> {
    let (condition, values) = filter_sql(filter);
    db.query(
        &format!("SELECT {STATUS_COLUMNS} FROM {STATUS_FROM} WHERE {condition} ORDER BY r.key"),
        &refs(&values),
    )?
    .iter()
    .map(status_from_row)
    .collect()
}

pub(super) fn users_per_state(db: &Db, filter: &StatusFilter) -> R<Vec<(RequestState, i64)>> {
    let (condition, values) = filter_sql(filter);
    db.query(
        &format!("SELECT r.state, count(DISTINCT r.user_key) FROM {STATUS_FROM} WHERE {condition} GROUP BY r.state"),
        &refs(&values),
    )?
    .iter()
    .map(|r| Ok((parse(r, 0, RequestState::parse)?, r.try_get(1)?)))
    .collect()
}

/// Each write of the queue below is one statement, its lease check inside it, so that a
/// request costs few round trips (see `Tx::Statement` for why running one again is safe).
pub(super) fn claim(db: &Db, owner: &str, now: Timestamp, lease_ms: i64) -> R<Option<Claim>> {
    // Oldest first: a Pending request past its hold / back-off time, or an InProgress one
    // whose worker stopped renewing its lease. A request another worker is claiming or
    // working on right now is locked: skipped, not waited for. The claimed request comes
    // back with what the worker needs of its user and tenant.
    let Some(row) = db.query_opt(
        &format!(
            "WITH next AS (
                 SELECT key FROM requests
                 WHERE state IN ('Pending', 'InProgress')
                   AND ((state = 'Pending' AND not_before <= $1) OR (state = 'InProgress' AND lease_expires < $1))
                 ORDER BY key LIMIT 1
                 FOR UPDATE SKIP LOCKED),
             r AS (
                 UPDATE requests r SET state = 'InProgress', lease_owner = $2, lease_expires = $3, modified_date = $1
                 FROM next WHERE r.key = next.key
                 RETURNING r.*)
             SELECT {STATUS_COLUMNS}, u.toll, u.toll_free, t.bridge_toll_number, t.bridge_toll_free_number,
                    r.snapshot_taken, r.user_key, r.first_failure_date
             FROM r JOIN tenants t ON t.key = r.tenant JOIN users u ON u.key = r.user_key"
        ),
        &[&now.millis(), &owner, &now.plus_ms(lease_ms).millis()],
    )?
    else {
        return Ok(None);
    };
    // The columns after the status ones by name: they stay right when the status grows.
    let status = status_from_row(&row)?;
    let first_failure: Option<i64> = row.try_get("first_failure_date")?;
    Ok(Some(Claim {
        request: status.key,
        owner: owner.to_string(),
        status,
        user: row.try_get("user_key")?,
        scoped: row.try_get("snapshot_taken")?,
        first_failure: first_failure.map(Timestamp),
        user_toll: row.try_get("toll")?,
        user_toll_free: row.try_get("toll_free")?,
        bridge_toll: row.try_get("bridge_toll_number")?,
        bridge_toll_free: row.try_get("bridge_toll_free_number")?,
    }))
}

pub(super) fn scope_request(
    db: &Db,
    claim: &Claim,
    meetings: &[i64],
    now: Timestamp,
    lease_ms: i64,
) -> R<Option<()>> {
    // Renews the lease, fixes the count and records the meetings, once: nothing when the
    // lease was lost or the meetings were recorded already.
    let keys: Vec<i64> = meetings.to_vec();
    let scoped: i64 = db
        .query_one(
            "WITH scoped AS (
                 UPDATE requests SET snapshot_taken = true, total_meeting = cardinality($5::bigint[]),
                                     lease_expires = $3, modified_date = $4
                 WHERE key = $1 AND lease_owner = $2 AND state = 'InProgress' AND NOT snapshot_taken
                 RETURNING key),
             recorded AS (
                 INSERT INTO outcomes(request, meeting, outcome)
                 SELECT $1, m, 'Pending' FROM unnest($5::bigint[]) AS m WHERE EXISTS (SELECT FROM scoped))
             SELECT count(*) FROM scoped",
            &[
                &claim.request,
                &claim.owner,
                &now.plus_ms(lease_ms).millis(),
                &now.millis(),
                &keys,
            ],
        )?
        .try_get(0)?;
    Ok((scoped == 1).then_some(()))
}

pub(super) fn pending_meetings(
    db: &Db,
    request: i64,
    after: i64,
    limit: usize,
) -> R<Vec<MeetingWork>> {
    db.query(
        "SELECT m.key, m.meeting_id, m.meeting_type, m.attendee_count, m.body
         FROM outcomes o JOIN meetings m ON m.key = o.meeting
         WHERE o.request = $1 AND o.meeting > $2 AND o.outcome = 'Pending' ORDER BY o.meeting LIMIT $3",
        &[&request, &after, &(limit as i64)],
    )?
    .iter()
    .map(|r| {
        Ok(MeetingWork {
            meeting: r.try_get(0)?,
            meeting_id: r.try_get(1)?,
            meeting_type: parse(r, 2, MeetingType::parse)?,
            attendee_count: r.try_get(3)?,
            body: r.try_get(4)?,
        })
    })
    .collect()
}

pub(super) fn commit_batch(
    db: &Db,
    claim: &Claim,
    results: &[MeetingResult],
    now: Timestamp,
    lease_ms: i64,
) -> R<Option<()>> {
    // The batch as columns: one statement renews the lease and, only if this worker still
    // holds it (a one-time check, so each write keeps its index path), writes the outcomes,
    // the rewritten meetings and the request's counts. A meeting whose outcome was not
    // Pending any more rolls the whole batch back.
    let (mut done, mut invites, mut bodies, mut types) = (vec![], vec![], vec![], vec![]);
    let (mut failed, mut messages) = (vec![], vec![]);
    for result in results {
        match result {
            MeetingResult::Rewritten {
                meeting,
                meeting_type,
                body,
                invites: n,
            } => {
                done.push(*meeting);
                invites.push(*n);
                bodies.push(body.as_str());
                types.push(meeting_type.as_str());
            }
            MeetingResult::Failed { meeting, message } => {
                failed.push(*meeting);
                messages.push(message.as_str());
            }
        }
    }
    let row = db.query_one(
        "WITH lease AS (
             UPDATE requests SET lease_expires = $3, modified_date = $4,
                                 succeeded_meeting = succeeded_meeting + cardinality($5::bigint[]),
                                 failed_meeting = failed_meeting + cardinality($9::bigint[]),
                                 invites_update = invites_update + $11
             WHERE key = $1 AND lease_owner = $2 AND state = 'InProgress'
             RETURNING key),
         succeeded AS (
             UPDATE outcomes o SET outcome = 'Succeeded', message = NULL, invites_update = x.n
             FROM unnest($5::bigint[], $6::bigint[]) AS x(meeting, n)
             WHERE EXISTS (SELECT FROM lease) AND o.request = $1 AND o.meeting = x.meeting AND o.outcome = 'Pending'
             RETURNING o.meeting),
         rewritten AS (
             UPDATE meetings m SET body = x.body, meeting_type = x.kind, rewrite_count = m.rewrite_count + 1
             FROM unnest($5::bigint[], $7::text[], $8::text[]) AS x(key, body, kind)
             WHERE EXISTS (SELECT FROM lease) AND m.key = x.key),
         failed AS (
             UPDATE outcomes o SET outcome = 'Failed', message = x.message, invites_update = 0
             FROM unnest($9::bigint[], $10::text[]) AS x(meeting, message)
             WHERE EXISTS (SELECT FROM lease) AND o.request = $1 AND o.meeting = x.meeting AND o.outcome = 'Pending'
             RETURNING o.meeting)
         SELECT (SELECT count(*) FROM lease), (SELECT count(*) FROM succeeded), (SELECT count(*) FROM failed)",
        &[
            &claim.request,
            &claim.owner,
            &now.plus_ms(lease_ms).millis(),
            &now.millis(),
            &done,
            &invites,
            &bodies,
            &types,
            &failed,
            &messages,
            &invites.iter().sum::<i64>(),
        ],
    )?;
    let (held, succeeded, failed_now): (i64, i64, i64) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    if held == 0 {
        return Ok(None);
    }
    if succeeded as usize != done.len() || failed_now as usize != failed.len() {
        return Err(Fail::App(Error::internal(
            "a meeting of a claimed request was already done: the batch is abandoned",
        )));
    }
    Ok(Some(()))
}

pub(super) fn end_request(
    db: &Db,
    claim: &Claim,
    end: &RequestEnd,
    now: Timestamp,
) -> R<Option<()>> {
    // Ends the lease, only if this worker still holds it.
    const HELD: &str = "key = $1 AND lease_owner = $2 AND state = 'InProgress'";
    let ended = match end {
        RequestEnd::Release => db.execute(
            &format!("UPDATE requests SET lease_owner = NULL, lease_expires = $4, modified_date = $3 WHERE {HELD}"),
            &[&claim.request, &claim.owner, &now.millis(), &(now.millis() - 1)],
        )?,
        RequestEnd::Finished { state, message } => db.execute(
            &format!("UPDATE requests SET state = $3, last_message = $4, modified_date = $5, lease_owner = NULL, lease_expires = NULL WHERE {HELD}"),
            &[&claim.request, &claim.owner, &state.as_str(), message, &now.millis()],
        )?,
        RequestEnd::Retry { retry_count, not_before, message } => db.execute(
            &format!("UPDATE requests SET state = 'Pending', retry_count = $3, not_before = $4, last_message = $5, modified_date = $6,
                                 lease_owner = NULL, lease_expires = NULL, first_failure_date = coalesce(first_failure_date, $6)
             WHERE {HELD}"),
            &[&claim.request, &claim.owner, retry_count, &not_before.millis(), message, &now.millis()],
        )?,
    };
    Ok((ended == 1).then_some(()))
}

pub(super) fn purge(db: &Db, before: Timestamp) -> R<usize> {
    db.execute(
        "DELETE FROM outcomes WHERE request IN (SELECT key FROM requests WHERE create_date < $1 AND state IN ('Succeeded', 'Failed'))",
        &[&before.millis()],
    )?;
    Ok(db.execute(
        "DELETE FROM requests WHERE create_date < $1 AND state IN ('Succeeded', 'Failed')",
        &[&before.millis()],
    )? as usize)
}
