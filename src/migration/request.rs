//! Starting migrations: the rules of DESIGN.md §2.1 in front of the queue.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::identity::IdentityKey;
use crate::model::*;
use crate::service::Service;
use crate::store::{NewRequest, Started};
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

impl Service {
    /// What starting `request` would do, changing nothing.
    pub fn preview(&self, request: &StartRequest) -> Result<Preview> {
        self.in_snapshot(|| self.preview_now(request))
    }

    fn preview_now(&self, request: &StartRequest) -> Result<Preview> {
        let key = IdentityKey::parse(&request.identity)?;
        let tenant = self.tenant(request.tenant.as_deref())?;
        let user = self.resolve_in(&tenant, &request.identity, &key)?;
        let meetings: Vec<PreviewMeeting> = self
            .store
            .meetings_in_scope(&user, request.source_meeting_type, Timestamp::now())?
            .into_iter()
            .map(
                |(meeting_id, subject, start_time, meeting_type)| PreviewMeeting {
                    meeting_id,
                    subject,
                    start_time,
                    meeting_type,
                },
            )
            .collect();
        Ok(Preview {
            existing_request: self.store.open_request(user.key)?,
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

    /// Queues a migration for one user (or returns the user's open request). Durable when
    /// it returns.
    pub fn start(&self, request: &StartRequest) -> Result<Started> {
        self.start_batch(std::slice::from_ref(request))
            .pop()
            .expect("one result per request")
    }

    /// Queues many requests in one transaction; one result per request, in order. Requests
    /// that fail a rule get their error and do not stop the others.
    pub fn start_batch(&self, requests: &[StartRequest]) -> Vec<Result<Started>> {
        let now = Timestamp::now();
        // Requests of one batch mostly share a tenant: look it (with its settings) up once.
        let mut tenants: HashMap<Option<&str>, Result<Tenant>> = HashMap::new();
        let mut results: Vec<Option<Result<Started>>> = Vec::with_capacity(requests.len());
        let mut valid: Vec<(usize, NewRequest)> = Vec::new();
        // The rules read the directory; one snapshot serves the whole batch.
        let validated = self.in_snapshot(|| {
            Ok(requests
                .iter()
                .map(|request| {
                    let tenant = tenants
                        .entry(request.tenant.as_deref())
                        .or_insert_with(|| self.tenant(request.tenant.as_deref()));
                    match tenant {
                        Ok(tenant) => self.new_request(request, tenant, now),
                        Err(e) => Err(e.clone()),
                    }
                })
                .collect::<Vec<_>>())
        });
        let validated = match validated {
            Ok(v) => v,
            Err(e) => return requests.iter().map(|_| Err(e.clone())).collect(),
        };
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
        match self.store.start_requests(&batch, now) {
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
        &self,
        request: &StartRequest,
        tenant: &Tenant,
        now: Timestamp,
    ) -> Result<NewRequest> {
        let key = IdentityKey::parse(&request.identity)?;
        let user = self.resolve_in(tenant, &request.identity, &key)?;
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
            not_before: now.plus_ms(tenant.hold_minutes * MINUTE_MS),
        })
    }
}
