//! The worker: claims requests under leases and rewrites their meetings.
//!
//! Exactly once: a request's in-scope meetings are recorded as Pending outcomes when it is
//! first claimed; each batch's rewrites, outcomes and counts commit in one transaction
//! that also checks and renews the lease. A worker that dies leaves its lease to expire and
//! any process resumes from the outcomes still Pending; a worker that lost its lease cannot
//! commit. So no meeting is rewritten twice or skipped.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Deserialize;

use super::request::meetings_in_scope;
use uuid::Uuid;

use crate::error::{Error, ErrorCode, Result};
use crate::invitation::{self, join_domain, JoinDetails};
use crate::model::{
    DialInSettings, FaultInjection, MeetingOutcome, MeetingOutcomeState, MigrationStatus,
    RequestState, Tenant,
};
use crate::rng::SplitMix64;
use crate::store::{Claim, MeetingResult, RequestEnd, Store, TenantScope, UserIndex};
use crate::time::{Clock, Timestamp, DAY_MS, HOUR_MS};

/// Meetings with more attendees than this are not migrated.
pub const MAX_ATTENDEES: i64 = 250;
/// Retries of a transient failure before the request fails.
pub const MAX_RETRIES: i64 = 9;
/// A request still failing this long after it was created fails for good.
pub const RETRY_WINDOW_MS: i64 = DAY_MS;
/// Status records are kept this long.
pub const RETENTION_MS: i64 = 150 * DAY_MS;

/// How a worker runs. JSON names match the C ABI's options object.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", default, deny_unknown_fields)]
pub struct WorkerOptions {
    /// Pause between looks at an idle queue.
    pub poll_interval_ms: u64,
    /// How long a claim lasts without renewal; a dead worker's request resumes after it.
    pub lease_ms: i64,
    /// Meetings committed per transaction.
    pub batch_size: usize,
    /// First retry delay; each retry doubles it (9 retries of 1 min end within 8.5 hours).
    pub backoff_base_ms: i64,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            poll_interval_ms: 200,
            lease_ms: 30_000,
            batch_size: 500,
            backoff_base_ms: 60_000,
        }
    }
}

impl WorkerOptions {
    pub fn validate(&self) -> Result<()> {
        if self.batch_size == 0 || self.batch_size > 100_000 {
            return Err(Error::invalid(format!(
                "BatchSize {} is out of range (1 to 100000).",
                self.batch_size
            )));
        }
        if self.lease_ms < 100 {
            return Err(Error::invalid(format!(
                "LeaseMs {} is too short (at least 100).",
                self.lease_ms
            )));
        }
        if self.backoff_base_ms < 0 {
            return Err(Error::invalid("BackoffBaseMs cannot be negative."));
        }
        Ok(())
    }

    /// Delay before retry number `retry` (1-based).
    pub fn backoff_ms(&self, retry: i64) -> i64 {
        self.backoff_base_ms
            .saturating_mul(1i64 << (retry - 1).clamp(0, 20))
    }
}

/// A unique name for this worker's leases: host process and a random part.
fn owner_name() -> String {
    format!(
        "pid{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Stop signal shared with the worker thread; `wait` sleeps until it is raised.
#[derive(Default)]
pub struct StopSignal {
    stopped: Mutex<bool>,
    wake: Condvar,
}

impl StopSignal {
    pub fn raise(&self) {
        *self.stopped.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.wake.notify_all();
    }

    pub fn is_raised(&self) -> bool {
        *self.stopped.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sleeps up to `duration`; true when stopped.
    pub fn wait(&self, duration: Duration) -> bool {
        let guard = self.stopped.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = self
            .wake
            .wait_timeout_while(guard, duration, |stopped| !*stopped)
            .unwrap_or_else(|p| p.into_inner());
        *guard
    }
}

/// A worker running on a background thread.
pub struct Worker {
    stop: Arc<StopSignal>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    pub fn spawn(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        options: WorkerOptions,
    ) -> Result<Self> {
        options.validate()?;
        let stop = Arc::new(StopSignal::default());
        let thread_stop = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("mms-worker".into())
            .spawn(move || run(&*store, &*clock, &options, &thread_stop))
            .map_err(|e| Error::internal(format!("cannot start the worker thread: {e}")))?;
        Ok(Worker {
            stop,
            thread: Some(thread),
        })
    }

    pub fn stop(mut self) {
        self.stop.raise();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop.raise();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Runs the queue until `stop` is raised: the loop of the worker thread and `mms-worker`.
pub fn run(store: &dyn Store, clock: &dyn Clock, options: &WorkerOptions, stop: &StopSignal) {
    run_reporting(store, clock, options, stop, &mut |_| {})
}

/// What [`run_reporting`] tells its caller about the store.
#[derive(Debug)]
pub enum WorkerEvent<'a> {
    /// The store failed (unreachable, busy...) where it had worked: said once per outage.
    StoreFailing(&'a Error),
    /// The store works again after [`WorkerEvent::StoreFailing`].
    StoreBack,
}

/// [`run`], telling `report` when the store starts failing and when it works again (once
/// each per outage, not per attempt), so a dedicated worker can log an outage.
pub fn run_reporting(
    store: &dyn Store,
    clock: &dyn Clock,
    options: &WorkerOptions,
    stop: &StopSignal,
    report: &mut dyn FnMut(WorkerEvent),
) {
    let owner = owner_name();
    let mut next_purge = Timestamp(0);
    let mut failing = false;
    // The soonest retry this worker scheduled: a tenant's time scale can make a back-off far
    // shorter than the idle poll, so an idle worker wakes for it instead of a whole poll.
    let mut soonest_retry: Option<Timestamp> = None;
    while !stop.is_raised() {
        let now = clock.now();
        if now >= next_purge {
            let _ = store.purge(Timestamp(now.millis() - RETENTION_MS));
            next_purge = now.plus_ms(HOUR_MS);
        }
        // A bug that panics on one request must not end the worker for the process: the
        // panic is caught, that request's lease expires, and the loop goes on.
        let worked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            look(store, clock, options, &owner, stop)
        }));
        match &worked {
            Ok(Err(e)) if !failing => {
                failing = true;
                report(WorkerEvent::StoreFailing(e));
            }
            Ok(Ok(_)) if failing => {
                failing = false;
                report(WorkerEvent::StoreBack);
            }
            _ => {}
        }
        let idle_ms = match worked {
            Ok(Ok(Look::Worked { retry_at })) => {
                soonest_retry = soonest_retry.into_iter().chain(retry_at).min();
                continue;
            }
            Ok(Ok(Look::Idle)) => {
                let now = clock.now();
                match soonest_retry.filter(|t| *t > now) {
                    Some(t) => (t.millis() - now.millis()).min(options.poll_interval_ms as i64),
                    None => {
                        // Due (or taken by another worker): the next wake is the poll's.
                        soonest_retry = None;
                        options.poll_interval_ms as i64
                    }
                }
            }
            Ok(Err(_)) | Err(_) => options.poll_interval_ms as i64,
        };
        if stop.wait(Duration::from_millis(idle_ms.max(1) as u64)) {
            break;
        }
    }
}

/// What one look at the queue did.
enum Look {
    /// Nothing was runnable.
    Idle,
    /// A request was claimed and worked; `retry_at` when it went back to the queue for a retry.
    Worked { retry_at: Option<Timestamp> },
}

/// Claims and works one request. `Ok(false)` when there was nothing to do.
pub fn run_once(
    store: &dyn Store,
    clock: &dyn Clock,
    options: &WorkerOptions,
    owner: &str,
    stop: &StopSignal,
) -> Result<bool> {
    Ok(matches!(
        look(store, clock, options, owner, stop)?,
        Look::Worked { .. }
    ))
}

/// [`run_once`], saying when a request it worked is due again.
fn look(
    store: &dyn Store,
    clock: &dyn Clock,
    options: &WorkerOptions,
    owner: &str,
    stop: &StopSignal,
) -> Result<Look> {
    let Some(claim) = store.claim(owner, clock.now(), options.lease_ms)? else {
        return Ok(Look::Idle);
    };
    // The tenant's settings (time scale, fault injection, dial-in) as they are now.
    let tenant = store
        .tenant(claim.status.tenant_id)
        .and_then(|t| t.ok_or_else(|| Error::internal("the request's tenant is not in the store")));
    let time_scale = tenant.as_ref().map_or(1, |t| t.time_scale.max(1));
    let outcome = tenant.and_then(|tenant| migrate(store, clock, options, &claim, &tenant, stop));
    // One reading of the clock: a retry's delay is exactly its back-off.
    let now = clock.now();
    let end = match outcome {
        Ok(Some(end)) => end,
        // Lease lost: another worker has the request.
        Ok(None) => return Ok(Look::Worked { retry_at: None }),
        Err(e) => transient_end(options, &claim, &e, now, time_scale),
    };
    store.end_request(&claim, &end, now)?;
    let retry_at = match end {
        RequestEnd::Retry { not_before, .. } => Some(not_before),
        _ => None,
    };
    Ok(Look::Worked { retry_at })
}

/// How a request that failed transiently ends: a retry after the back-off, or Failed after
/// [`MAX_RETRIES`] or the retry window, both divided by the tenant's `time_scale`. The times
/// in the message are real time.
pub fn transient_end(
    options: &WorkerOptions,
    claim: &Claim,
    error: &Error,
    now: Timestamp,
    time_scale: i64,
) -> RequestEnd {
    let retry = claim.status.retry_count + 1;
    // The window opens at the first failure: a request held or queued for long still gets
    // its retries.
    let first_failure = claim.first_failure.unwrap_or(now);
    let window = RETRY_WINDOW_MS / time_scale;
    if retry > MAX_RETRIES || now.millis() - first_failure.millis() > window {
        RequestEnd::Finished {
            state: RequestState::Failed,
            message: format!(
                "Failed after {} retries: {}",
                claim.status.retry_count, error.message
            ),
        }
    } else {
        let not_before = now.plus_ms(options.backoff_ms(retry) / time_scale);
        let scale = if time_scale > 1 {
            format!(" (time scale {time_scale})")
        } else {
            String::new()
        };
        RequestEnd::Retry {
            retry_count: retry,
            not_before,
            message: format!(
                "Transient failure ({}); retry {retry} of {MAX_RETRIES} after {}{scale}.",
                error.message,
                not_before.to_iso()
            ),
        }
    }
}

/// Rewrites the claimed request's pending meetings batch by batch. `Ok(None)` when the
/// lease was lost (another worker has the request); a stopping worker releases its lease.
fn migrate(
    store: &dyn Store,
    clock: &dyn Clock,
    options: &WorkerOptions,
    claim: &Claim,
    tenant: &Tenant,
    stop: &StopSignal,
) -> Result<Option<RequestEnd>> {
    let status = &claim.status;
    // The tenant's dial-in settings decide what the rewritten invitations carry and whether
    // the attendees are counted as sent an update.
    let settings = store.dial_in_settings(tenant)?;
    if let Some(cause) = user_failure(store, tenant, status, &settings)? {
        return Ok(Some(RequestEnd::Finished {
            state: RequestState::Failed,
            message: cause,
        }));
    }
    if !claim.scoped {
        // The first claim fixes which meetings the request takes; later claims resume them.
        let meetings: Vec<i64> = meetings_in_scope(
            store.reads(),
            claim.user,
            status.source_meeting_type,
            clock.now(),
        )?
        .iter()
        .map(|m| m.key)
        .collect();
        if !store.scope_request(claim, &meetings, clock.now(), options.lease_ms)? {
            return Ok(None);
        }
    }
    let domain = join_domain(&status.user_principal_name);
    let toll = claim
        .user_toll
        .clone()
        .or_else(|| claim.bridge_toll.clone());
    let toll_free = claim
        .user_toll_free
        .clone()
        .or_else(|| claim.bridge_toll_free.clone())
        .filter(|_| settings.options.include_toll_free_number_in_meeting_invites);
    let emails_sent = settings.automatically_send_emails_to_users;
    let faults = &tenant.fault_injection;
    // Read from the bodies as they are: a pasted block keeps its text (it is never
    // rewritten), so a resumed request finds the same ones while their originals are not
    // yet migrated.
    // Only the subjects of the meetings blocks were pasted from are kept, not every body.
    let (pasted, original_subjects) = {
        let meetings = store.meetings_of(claim.user)?;
        let pasted = invitation::pasted_blocks(meetings.iter().map(|m| (m.key, m.body.as_str())));
        let subjects: HashMap<i64, String> = meetings
            .into_iter()
            .filter(|m| pasted.values().any(|original| *original == m.key))
            .map(|m| (m.key, m.subject))
            .collect();
        (pasted, subjects)
    };
    let subject_of = |key: i64| original_subjects.get(&key).map_or("", String::as_str);
    let mut after = 0i64;
    loop {
        if stop.is_raised() {
            return Ok(Some(RequestEnd::Release));
        }
        let work = store.pending_meetings(claim.request, after, options.batch_size)?;
        let Some(last) = work.last() else { break };
        if faults.transient_rate > 0.0
            && draw(
                faults,
                &[
                    status.correlation_id,
                    Uuid::from_u64_pair(status.retry_count as u64, last.meeting as u64),
                ],
            ) < faults.transient_rate
        {
            return Err(Error::new(
                ErrorCode::Timeout,
                "injected by Set-MmsFaultInjection: the mailbox did not answer in time",
            ));
        }
        after = last.meeting;
        // A short batch is the last: the outcomes were fixed when the request was scoped,
        // and only the lease holder changes them (one look at the store saved per request).
        let last_batch = work.len() < options.batch_size;
        let results: Vec<MeetingResult> = work
            .into_iter()
            .map(|m| {
                if faults.permanent_rate > 0.0 && draw(faults, &[m.meeting_id]) < faults.permanent_rate {
                    return MeetingResult::Failed {
                        meeting: m.meeting,
                        message: "Injected by Set-MmsFaultInjection: Exchange refused to update this meeting. Update it by hand, or turn fault injection off and start the migration again.".into(),
                    };
                }
                if let Some(original) = pasted.get(&m.meeting) {
                    return MeetingResult::Failed {
                        meeting: m.meeting,
                        message: format!(
                            "{PASTED_BLOCK}: the online-meeting block was pasted from the meeting '{}', so no online meeting of its own backs it. Re-create its online meeting (Set-MmsMeeting -Identity {upn} -MeetingId {} -NewOnlineMeeting), then start the migration again.",
                            subject_of(*original),
                            m.meeting_id,
                            upn = status.user_principal_name
                        ),
                    };
                }
                if m.attendee_count > MAX_ATTENDEES {
                    return MeetingResult::Failed {
                        meeting: m.meeting,
                        message: format!(
                            "The meeting has {} attendees; meetings with more than {MAX_ATTENDEES} attendees are not migrated. Update it by hand.",
                            m.attendee_count
                        ),
                    };
                }
                let meeting_type = status.target_meeting_type.apply(m.meeting_type);
                let details = JoinDetails::generate(m.meeting_id, status.correlation_id, meeting_type, &domain, toll.clone(), toll_free.clone());
                match invitation::rewrite(&m.body, &details) {
                    Some(body) => MeetingResult::Rewritten { meeting: m.meeting, meeting_type, body, invites: if emails_sent { m.attendee_count } else { 0 } },
                    None => MeetingResult::Failed { meeting: m.meeting, message: "The invitation has no online-meeting block to rewrite.".into() },
                }
            })
            .collect();
        if !store.commit_batch(claim, &results, clock.now(), options.lease_ms)? {
            return Ok(None);
        }
        if last_batch {
            break;
        }
    }
    // The counts as committed; the status alone, not every meeting's outcome.
    let done = store
        .request_statuses(&[status.correlation_id])?
        .pop()
        .flatten()
        .map_or_else(|| status.clone(), |found| found.status);
    if !pasted.is_empty() {
        if let Some(message) = pasted_failure(store, status)? {
            return Ok(Some(RequestEnd::Finished {
                state: RequestState::Failed,
                message,
            }));
        }
    }
    let message = if done.total_meeting == 0 {
        "No meetings needed migrating.".to_string()
    } else if done.failed_meeting == 0 {
        format!(
            "Migrated {} of {} meetings; {} attendee updates sent.",
            done.succeeded_meeting, done.total_meeting, done.invites_update
        )
    } else {
        format!(
            "Migrated {} of {} meetings; {} could not be migrated (see the per-meeting outcomes); {} attendee updates sent.",
            done.succeeded_meeting, done.total_meeting, done.failed_meeting, done.invites_update
        )
    };
    Ok(Some(RequestEnd::Finished {
        state: RequestState::Succeeded,
        message,
    }))
}

/// The start of a meeting's outcome message when its block was pasted from another meeting.
const PASTED_BLOCK: &str = "Pasted online-meeting block";

/// The request's message when some of its meetings failed for a pasted block: the request
/// fails (after migrating the others), so Microsoft's failure recipe lists the organiser
/// with the meetings to re-create. `None` when none of its meetings failed so.
fn pasted_failure(store: &dyn Store, status: &MigrationStatus) -> Result<Option<String>> {
    let Some(detail) = store.request(status.correlation_id)? else {
        return Ok(None);
    };
    let pasted: Vec<&MeetingOutcome> = detail
        .meetings
        .iter()
        .filter(|m| {
            m.outcome == MeetingOutcomeState::Failed
                && m.message
                    .as_deref()
                    .map_or(false, |t| t.starts_with(PASTED_BLOCK))
        })
        .collect();
    if pasted.is_empty() {
        return Ok(None);
    }
    let upn = &status.user_principal_name;
    let named: Vec<String> = pasted
        .iter()
        .map(|m| format!("'{}' ({})", m.subject, m.meeting_id))
        .collect();
    Ok(Some(format!(
        "{} of {} meetings have an online-meeting block pasted from another meeting and were not migrated: {}. Re-create the online meeting of each (Set-MmsMeeting -Identity {upn} -MeetingId <MeetingId> -NewOnlineMeeting), then run Start-CsExMeetingMigration -Identity {upn} again. {} other meetings were migrated.",
        pasted.len(),
        detail.status.total_meeting,
        named.join(", "),
        detail.status.succeeded_meeting
    )))
}

/// A number in `[0, 1)` drawn from the tenant's fault seed and `ids`: the same ids and seed
/// always draw the same number, so a rehearsal can be run again (a meeting fails for good
/// by its id alone; a batch fails transiently by request, retry and position).
fn draw(faults: &FaultInjection, ids: &[Uuid]) -> f64 {
    let mut all = vec![Uuid::from_u64_pair(faults.seed as u64, 0)];
    all.extend_from_slice(ids);
    (SplitMix64::digest(&all) >> 11) as f64 / (1u64 << 53) as f64
}

/// Why the user's request cannot be worked, as an admin can act on it: a mailbox outside
/// Exchange Online, or a third-party audio-conferencing provider the tenant does not
/// replace. `None` when nothing stands in the way.
fn user_failure(
    store: &dyn Store,
    tenant: &Tenant,
    status: &MigrationStatus,
    settings: &DialInSettings,
) -> Result<Option<String>> {
    let Some(user) = store
        .find_users(
            &TenantScope::Key(tenant.key),
            UserIndex::ObjectId,
            &status.user_id.to_string(),
            1,
        )?
        .pop()
    else {
        return Ok(None);
    };
    let upn = &user.user_principal_name;
    if !user.profile.mailbox_in_exchange_online() {
        return Ok(Some(format!(
            "The mailbox of {upn} is in Exchange on-premises; the Meeting Migration Service updates meetings only in Exchange Online mailboxes. Move the mailbox to Exchange Online (here: Set-MmsUser -Identity {upn} -MailboxLocation ExchangeOnline), then run Start-CsExMeetingMigration -Identity {upn} again."
        )));
    }
    if let Some(provider) = &user.profile.audio_conferencing_provider {
        if !settings.automatically_replace_acp_provider {
            return Ok(Some(format!(
                "{upn} uses the third-party audio-conferencing provider {provider}, which the tenant does not replace. Run Set-CsOnlineDialInConferencingTenantSettings -AutomaticallyReplaceAcpProvider $true, then Start-CsExMeetingMigration -Identity {upn} again (or switch the user: Set-MmsUser -Identity {upn} -AudioConferencingProvider Microsoft, which starts the migration itself for a licensed user)."
            )));
        }
    }
    Ok(None)
}
