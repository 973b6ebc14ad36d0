//! Status of migrations on a real store: queue positions, filters and the per-state summary,
//! many records in one call, and waits (timeout, progress, cancel).

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use meeting_migration::cancel::CancelToken;
use meeting_migration::migration::status::StatusQuery;
use meeting_migration::migration::worker::{run_once, StopSignal, WorkerOptions};
use meeting_migration::model::*;
use meeting_migration::time::Timestamp;
use meeting_migration::ErrorCode;
use serde_json::json;
use support::org::*;
use support::*;
use uuid::Uuid;

#[test]
fn pending_requests_know_their_queue_position() {
    let (_s, svc) = sample(3, 1);
    let ids: Vec<MigrationStatus> = (1..=3)
        .map(|i| {
            start(
                &svc,
                &format!("user{i}@contoso.com"),
                SourceMeetingType::All,
                TargetMeetingType::Teams,
            )
        })
        .collect();
    let position = |s: &MigrationStatus| {
        svc.request_detail(None, &s.correlation_id.to_string())
            .unwrap()
            .queue_position
    };
    assert_eq!(
        ids.iter().map(position).collect::<Vec<_>>(),
        [Some(1), Some(2), Some(3)]
    );
    assert!(run_once(
        &**svc.store(),
        &**svc.clock(),
        &fast_options(),
        "w",
        &StopSignal::default()
    )
    .unwrap());
    assert_eq!(
        ids.iter().map(position).collect::<Vec<_>>(),
        [None, Some(1), Some(2)]
    );
    let e = svc
        .request_detail(None, &Uuid::new_v4().to_string())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::RequestNotFound);
    let e = svc.request_detail(None, "nope").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}

#[test]
fn status_filters_and_summary_counting_users() {
    let (_s, svc) = sample(4, 1);
    // user1: two finished requests; user2: one finished; user3 and user4 pending.
    start(
        &svc,
        "user1@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    start(
        &svc,
        "user2@contoso.com",
        SourceMeetingType::SfB,
        TargetMeetingType::Teams,
    );
    drain(&svc, &fast_options());
    // Millisecond timestamps: keep both sides of `between` clearly apart.
    std::thread::sleep(Duration::from_millis(5));
    let between = Timestamp::now();
    std::thread::sleep(Duration::from_millis(5));
    start(
        &svc,
        "user1@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    drain(&svc, &fast_options());
    start(
        &svc,
        "user3@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Current,
    );
    start(
        &svc,
        "user4@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Current,
    );

    let all = svc.status(&StatusQuery::default()).unwrap();
    assert_eq!(all.len(), 5);
    assert!(
        all.windows(2).all(|w| w[0].create_date <= w[1].create_date),
        "oldest first"
    );
    let q = |f: fn(&mut StatusQuery)| {
        let mut query = StatusQuery::default();
        f(&mut query);
        svc.status(&query).unwrap()
    };
    assert_eq!(
        q(|q| q.identity = Some("USER1@contoso.com".into())).len(),
        2
    );
    assert_eq!(q(|q| q.state = Some(RequestState::Pending)).len(), 2);
    assert_eq!(q(|q| q.state = Some(RequestState::Succeeded)).len(), 3);
    assert_eq!(
        q(|q| q.migration_type = Some(MigrationType::SfbToTeams)).len(),
        1
    );
    assert_eq!(
        q(|q| q.migration_type = Some(MigrationType::ToSameType)).len(),
        2
    );
    let mut recent = StatusQuery {
        start_time: Some(between),
        ..Default::default()
    };
    let created: Vec<_> = all.iter().map(|s| s.create_date.to_iso()).collect();
    assert_eq!(
        svc.status(&recent).unwrap().len(),
        3,
        "created {created:?}, between {}",
        between.to_iso()
    );
    recent.end_time = Some(Timestamp(between.millis() - 1));
    assert_eq!(
        svc.status(&recent).unwrap_err().code,
        ErrorCode::InvalidArgument
    );
    let early = StatusQuery {
        end_time: Some(between),
        ..Default::default()
    };
    assert_eq!(svc.status(&early).unwrap().len(), 2);
    let q: StatusQuery =
        serde_json::from_str(r#"{"State": "pending", "MigrationType": "tosametype"}"#).unwrap();
    assert_eq!(svc.status(&q).unwrap().len(), 2);

    let summary = svc.status_summary(&StatusQuery::default()).unwrap();
    let count = |state: RequestState| {
        summary
            .iter()
            .find(|s| s.state == state)
            .unwrap()
            .user_count
    };
    assert_eq!(summary.len(), 4, "every state is listed");
    assert_eq!(count(RequestState::Succeeded), 2, "users, not requests");
    assert_eq!(count(RequestState::Pending), 2);
    assert_eq!(count(RequestState::InProgress), 0);
    assert_eq!(count(RequestState::Failed), 0);
    let e = svc
        .status(&StatusQuery {
            identity: Some("ghost@contoso.com".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::IdentityNotFound);
}

#[test]
fn wait_times_out_while_nothing_works_the_queue() {
    let (_s, svc) = sample(1, 1);
    let s = start(
        &svc,
        "user1@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    let t = Instant::now();
    let mut seen = 0;
    let e = svc
        .wait(
            None,
            &s.correlation_id.to_string(),
            Duration::from_millis(150),
            &mut |_| seen += 1,
            None,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Timeout);
    assert!(t.elapsed() >= Duration::from_millis(150) && t.elapsed() < Duration::from_secs(5));
    assert_eq!(
        seen, 1,
        "one report for the first look, none while nothing changes"
    );
}

#[test]
fn wait_reports_progress_until_the_worker_finishes() {
    let (store, svc) = sample(0, 0);
    let meetings: Vec<serde_json::Value> = (0..3000)
        .map(|i| json!({"Organizer": "kenmyer@litwareinc.com", "Subject": format!("m{i}"), "StartTime": iso_in(DAY), "EndTime": iso_in(DAY + HOUR), "Attendees": ["a@b.com"]}))
        .collect();
    import_text(
        &store,
        &svc,
        None,
        "m.json",
        &json!({"Meetings": meetings}).to_string(),
    )
    .unwrap();
    let s = start(
        &svc,
        "kenmyer@litwareinc.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    svc.start_worker(WorkerOptions {
        batch_size: 1,
        ..fast_options()
    })
    .unwrap();
    let mut reports: Vec<MigrationStatus> = Vec::new();
    let done = svc
        .wait(
            None,
            &s.correlation_id.to_string(),
            Duration::from_secs(60),
            &mut |st| reports.push(st.clone()),
            None,
        )
        .unwrap();
    svc.stop_worker();
    assert_eq!(done.state, RequestState::Succeeded);
    assert_eq!(done.total_meeting, 3005);
    assert_eq!(done.failed_meeting, 1);
    assert!(reports.len() >= 3, "{} reports", reports.len());
    assert!(
        reports.iter().any(|r| {
            let done = r.succeeded_meeting + r.failed_meeting;
            r.state == RequestState::InProgress && done > 0 && done < r.total_meeting
        }),
        "a report in the middle of the work"
    );
    assert!(reports
        .windows(2)
        .all(|w| w[0].succeeded_meeting + w[0].failed_meeting
            <= w[1].succeeded_meeting + w[1].failed_meeting));
    assert_eq!(reports.last().unwrap().state, RequestState::Succeeded);
}

#[test]
fn wait_is_cancelled_from_another_thread() {
    let (_s, svc) = sample(1, 1);
    let s = start(
        &svc,
        "user1@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    let token = Arc::new(CancelToken::new());
    let canceller = {
        let token = Arc::clone(&token);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            token.cancel();
        })
    };
    let t = Instant::now();
    let e = svc
        .wait(
            None,
            &s.correlation_id.to_string(),
            Duration::from_secs(60),
            &mut |_| {},
            Some(&token),
        )
        .unwrap_err();
    canceller.join().unwrap();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    // Cancelling the wait does not cancel the request.
    assert_eq!(status_of(&svc, &s).state, RequestState::Pending);
}

#[test]
fn many_statuses_in_one_call_agree_with_each_request_detail() {
    let (_store, svc) = sample(6, 0);
    let mut ids = Vec::new();
    for n in [3, 1, 5, 2] {
        let s = start(
            &svc,
            &format!("user{n}@contoso.com"),
            SourceMeetingType::All,
            TargetMeetingType::Current,
        );
        ids.push(s.correlation_id.to_string());
    }
    // One request finishes (the oldest); the others stay pending, queued behind nothing.
    let options = fast_options();
    assert!(run_once(
        &**svc.store(),
        &**svc.clock(),
        &options,
        "w",
        &StopSignal::default()
    )
    .unwrap());
    ids.push(Uuid::new_v4().to_string()); // unknown
    let many = svc.request_statuses(None, &ids).unwrap();
    assert_eq!(many.len(), 5);
    assert!(many[4].is_none(), "an unknown id is null");
    for (id, found) in ids.iter().zip(&many).take(4) {
        let found = found.as_ref().unwrap();
        let detail = svc.request_detail(None, id).unwrap();
        assert_eq!(found.status, detail.status);
        assert_eq!(found.queue_position, detail.queue_position, "{id}");
    }
    let positions: Vec<_> = many
        .iter()
        .take(4)
        .map(|s| s.as_ref().unwrap().queue_position)
        .collect();
    assert_eq!(positions, vec![None, Some(1), Some(2), Some(3)]);
    assert_eq!(
        svc.request_statuses(None, &["not-a-guid".into()])
            .unwrap_err()
            .code,
        ErrorCode::InvalidArgument
    );
}

/// An error with the correlation id it names replaced by `<id>`: a request of another
/// tenant must fail exactly as an unknown id does.
fn masked(e: &meeting_migration::Error, id: &str) -> (ErrorCode, String, Option<String>, bool) {
    (
        e.code,
        e.message.replace(id, "<id>"),
        e.target.as_ref().map(|t| t.replace(id, "<id>")),
        e.hint.is_some(),
    )
}

#[test]
fn request_detail_finds_a_request_only_in_its_own_tenant() {
    let (_s, svc, default, other) = two_tenants();
    let (a, b) = (
        default.correlation_id.to_string(),
        other.correlation_id.to_string(),
    );
    let unknown = Uuid::new_v4().to_string();
    let not_found = masked(
        &svc.request_detail(Some(OTHER_TENANT), &unknown)
            .unwrap_err(),
        &unknown,
    );
    assert_eq!(not_found.0, ErrorCode::RequestNotFound);

    // Each request in its own tenant, the default tenant's also without a tenant.
    assert_eq!(svc.request_detail(None, &a).unwrap().status, default);
    assert_eq!(
        svc.request_detail(Some(&default.tenant_id.to_string()), &a)
            .unwrap()
            .status,
        default
    );
    let detail = svc.request_detail(Some(OTHER_TENANT), &b).unwrap();
    assert_eq!(detail.status, other);

    // Another tenant's request: not found, as an unknown id, whichever way round.
    let e = svc.request_detail(Some(OTHER_TENANT), &a).unwrap_err();
    assert_eq!(masked(&e, &a), not_found, "{e:?}");
    let e = svc.request_detail(None, &b).unwrap_err();
    assert_eq!(masked(&e, &b), not_found, "{e:?}");
    let e = svc.request_detail(Some(""), &b).unwrap_err();
    assert_eq!(masked(&e, &b), not_found, "{e:?}");

    // The tenant argument's own errors.
    let e = svc
        .request_detail(Some("11111111-2222-3333-4444-555555555555"), &a)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::TenantNotFound);
    let e = svc.request_detail(Some("contoso"), &a).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTenantId);
}

#[test]
fn many_statuses_leave_out_the_requests_of_other_tenants() {
    let (_s, svc, default, other) = two_tenants();
    let ids = [
        default.correlation_id.to_string(),
        other.correlation_id.to_string(),
        Uuid::new_v4().to_string(),
    ];
    let found = |tenant: Option<&str>| -> Vec<Option<Uuid>> {
        svc.request_statuses(tenant, &ids)
            .unwrap()
            .into_iter()
            .map(|s| s.map(|s| s.status.correlation_id))
            .collect()
    };
    assert_eq!(found(None), [Some(default.correlation_id), None, None]);
    assert_eq!(
        found(Some(&default.tenant_id.to_string())),
        [Some(default.correlation_id), None, None]
    );
    assert_eq!(
        found(Some(OTHER_TENANT)),
        [None, Some(other.correlation_id), None]
    );
    // The queue position is still the store's (both tenants share the queue).
    let others = svc.request_statuses(Some(OTHER_TENANT), &ids).unwrap();
    assert_eq!(others[1].as_ref().unwrap().queue_position, Some(2));
    assert_eq!(
        svc.request_statuses(Some("11111111-2222-3333-4444-555555555555"), &[])
            .unwrap_err()
            .code,
        ErrorCode::TenantNotFound
    );
}

#[test]
fn wait_does_not_follow_a_request_of_another_tenant() {
    let (_s, svc, default, other) = two_tenants();
    let (a, b) = (
        default.correlation_id.to_string(),
        other.correlation_id.to_string(),
    );
    let unknown = Uuid::new_v4().to_string();
    let mut reports = 0;
    let not_found = masked(
        &svc.wait(
            Some(OTHER_TENANT),
            &unknown,
            Duration::from_millis(50),
            &mut |_| reports += 1,
            None,
        )
        .unwrap_err(),
        &unknown,
    );
    assert_eq!(not_found.0, ErrorCode::RequestNotFound);
    for (tenant, id) in [(Some(OTHER_TENANT), &a), (None, &b)] {
        let e = svc
            .wait(
                tenant,
                id,
                Duration::from_millis(50),
                &mut |_| reports += 1,
                None,
            )
            .unwrap_err();
        assert_eq!(masked(&e, id), not_found, "{tenant:?} {id}: {e:?}");
    }
    assert_eq!(
        reports, 0,
        "nothing of another tenant's request is reported"
    );
    // In its own tenant the wait follows it (and times out: nothing works the queue).
    let e = svc
        .wait(
            Some(OTHER_TENANT),
            &b,
            Duration::ZERO,
            &mut |s| {
                assert_eq!(s.correlation_id, other.correlation_id);
                reports += 1
            },
            None,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Timeout);
    assert_eq!(reports, 1);
}
