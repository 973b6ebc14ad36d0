//! Starting migrations: the rules in front of the queue (which meetings a request takes,
//! its migration type, the tenant switch, the hold time) and the read-only preview.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::directory;
use crate::error::{Error, Result};
use crate::identity::IdentityKey;
use crate::model::*;
use crate::store::{Store, StoreReads};
use crate::time::{Timestamp, MINUTE_MS};

/// What `Start-CsExMeetingMigration` asks for, for one user.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StartRequest {
    pub identity: String,
    #[serde(default)]
    pub tenant: Option<String>,
    #[serde(default = "default_source")]
    pub source_meeting_type: SourceMeetingType,
    #[serde(default = "default_target")]
    pub target_meeting_type: TargetMeetingType,
    /// What starts it: an admin through the C ABI, a trigger inside the service.
    #[serde(skip, default = "admin")]
    pub triggered_by: TriggeredBy,
}

fn admin() -> TriggeredBy {
    TriggeredBy::Admin
}

fn default_source() -> SourceMeetingType {
    SourceMeetingType::All
}

fn default_target() -> TargetMeetingType {
    TargetMeetingType::Current
}

impl StartRequest {
    pub fn new(identity: &str) -> Self {
        StartRequest {
            identity: identity.into(),
            tenant: None,
            source_meeting_type: default_source(),
            target_meeting_type: default_target(),
            triggered_by: admin(),
        }
    }
}

/// A meeting a request would touch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PreviewMeeting {
    pub meeting_id: Uuid,
    pub subject: String,
    pub start_time: Timestamp,
    pub meeting_type: MeetingType,
}

/// The read-only answer to "what would starting this migration do?" (for `-WhatIf`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Preview {
    pub user: User,
    pub tenant_id: Uuid,
    pub migration_type: MigrationType,
    pub meeting_count: usize,
    pub meetings: Vec<PreviewMeeting>,
    /// The user's open request, which a start would return instead of queueing.
    pub existing_request: Option<MigrationStatus>,
    pub migration_enabled: bool,
}

/// What a pipeline of starts needs of each item before it asks whether to go on: who, the
/// migration type, how many meetings, the open request a start would return. A [`Preview`]
/// without the user's profile and the meeting list, so that a batch of them stays small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PreviewSummary {
    pub user_id: Uuid,
    pub user_principal_name: String,
    pub tenant_id: Uuid,
    pub migration_type: MigrationType,
    pub meeting_count: usize,
    pub existing_request: Option<MigrationStatus>,
    pub migration_enabled: bool,
}

impl From<Preview> for PreviewSummary {
    fn from(preview: Preview) -> Self {
        PreviewSummary {
            user_id: preview.user.identity,
            user_principal_name: preview.user.user_principal_name,
            tenant_id: preview.tenant_id,
            migration_type: preview.migration_type,
            meeting_count: preview.meeting_count,
            existing_request: preview.existing_request,
            migration_enabled: preview.migration_enabled,
        }
    }
}

/// Whether a meeting is in scope of a request with this source type at `now`: organised
/// by the user (the store lists only those), not ended (a series while it has an occurrence
/// to come), and of a type the source takes.
pub fn in_scope(meeting: &MeetingSchedule, source: SourceMeetingType, now: Timestamp) -> bool {
    meeting.last_end() > now && source.includes(meeting.meeting_type)
}

/// The meetings of the user with key `user` a request with this source type would take at `now`, by key.
pub fn meetings_in_scope(
    reads: &dyn StoreReads,
    user: i64,
    source: SourceMeetingType,
    now: Timestamp,
) -> Result<Vec<MeetingSchedule>> {
    let mut meetings: Vec<MeetingSchedule> = reads
        .meeting_schedules_of(user)?
        .into_iter()
        .filter(|m| in_scope(m, source, now))
        .collect();
    meetings.sort_by_key(|m| m.key);
    Ok(meetings)
}

/// What starting `request` would do at `now`, changing nothing. Call it within one read
/// scope so its answers agree with each other.
pub fn preview(reads: &dyn StoreReads, request: &StartRequest, now: Timestamp) -> Result<Preview> {
    let tenant = directory::tenant(reads, request.tenant.as_deref())?;
    preview_in(reads, request, &tenant, now)
}

/// [`preview`] for each request, in order, looking each tenant up once; a request that
/// fails (an unknown identity, say) gets its error and does not stop the others.
pub fn preview_batch(
    reads: &dyn StoreReads,
    requests: &[StartRequest],
    now: Timestamp,
) -> Vec<Result<PreviewSummary>> {
    with_tenants(reads, requests, |request, tenant| {
        preview_in(reads, request, tenant, now).map(PreviewSummary::from)
    })
}

/// Applies `f` to each request with its tenant (with its settings), looking each tenant up
/// once: the requests of a batch mostly share one.
fn with_tenants<T>(
    reads: &dyn StoreReads,
    requests: &[StartRequest],
    mut f: impl FnMut(&StartRequest, &Tenant) -> Result<T>,
) -> Vec<Result<T>> {
    let mut tenants: HashMap<Option<&str>, Result<Tenant>> = HashMap::new();
    requests
        .iter()
        .map(|request| {
            let tenant = tenants
                .entry(request.tenant.as_deref())
                .or_insert_with(|| directory::tenant(reads, request.tenant.as_deref()));
            match tenant {
                Ok(tenant) => f(request, tenant),
                Err(e) => Err(e.clone()),
            }
        })
        .collect()
}

fn preview_in(
    reads: &dyn StoreReads,
    request: &StartRequest,
    tenant: &Tenant,
    now: Timestamp,
) -> Result<Preview> {
    let key = IdentityKey::parse(&request.identity)?;
    let user = directory::resolve_in(reads, tenant, &request.identity, &key)?;
    let meetings: Vec<PreviewMeeting> =
        meetings_in_scope(reads, user.key, request.source_meeting_type, now)?
            .into_iter()
            .map(|m| PreviewMeeting {
                meeting_id: m.meeting_id,
                subject: m.subject,
                start_time: m.start_time,
                meeting_type: m.meeting_type,
            })
            .collect();
    Ok(Preview {
        existing_request: reads.open_request(user.key)?,
        tenant_id: tenant.tenant_id,
        migration_type: MigrationType::from_types(
            request.source_meeting_type,
            request.target_meeting_type,
        ),
        meeting_count: meetings.len(),
        meetings,
        migration_enabled: tenant.meeting_migration_enabled,
        user,
    })
}

/// Queues many requests in one transaction; one result per request, in order. Requests
/// that fail a rule get their error and do not stop the others.
pub fn start_batch(
    store: &dyn Store,
    requests: &[StartRequest],
    now: Timestamp,
) -> Vec<Result<Started>> {
    let mut results: Vec<Option<Result<Started>>> = Vec::with_capacity(requests.len());
    let mut valid: Vec<(usize, NewRequest)> = Vec::new();
    // The rules read the directory; one read scope serves the whole batch.
    let mut validated = Vec::new();
    let scoped = store.read_scope(&mut |reads| {
        validated = with_tenants(reads, requests, |request, tenant| {
            new_request(reads, request, tenant, now)
        });
        Ok(())
    });
    if let Err(e) = scoped {
        return requests.iter().map(|_| Err(e.clone())).collect();
    }
    for (i, new) in validated.into_iter().enumerate() {
        match new {
            Ok(r) => {
                results.push(None);
                valid.push((i, r));
            }
            Err(e) => results.push(Some(Err(e))),
        }
    }
    let batch: Vec<NewRequest> = valid.iter().map(|(_, r)| r.clone()).collect();
    match store.start_requests(&batch, now) {
        Ok(started) => {
            for ((i, _), s) in valid.iter().zip(started) {
                results[*i] = Some(Ok(s));
            }
        }
        Err(e) => {
            for (i, _) in &valid {
                results[*i] = Some(Err(e.clone()));
            }
        }
    }
    results
        .into_iter()
        .map(|r| r.expect("every request has a result"))
        .collect()
}

fn new_request(
    reads: &dyn StoreReads,
    request: &StartRequest,
    tenant: &Tenant,
    now: Timestamp,
) -> Result<NewRequest> {
    let key = IdentityKey::parse(&request.identity)?;
    let user = directory::resolve_in(reads, tenant, &request.identity, &key)?;
    if !tenant.meeting_migration_enabled {
        return Err(
            Error::migration_disabled(tenant.tenant_id, &user.user_principal_name)
                .with_target(request.identity.clone()),
        );
    }
    Ok(NewRequest {
        tenant: tenant.key,
        tenant_id: tenant.tenant_id,
        user,
        source: request.source_meeting_type,
        target: request.target_meeting_type,
        migration_type: MigrationType::from_types(
            request.source_meeting_type,
            request.target_meeting_type,
        ),
        not_before: now.plus_ms(tenant.scaled_ms(tenant.hold_minutes * MINUTE_MS)),
        triggered_by: request.triggered_by,
    })
}
