//! The service's and the worker's error paths, driven by a real store behind a
//! [`FaultyStore`] that fails chosen calls: a failure is reported to the caller, loses
//! nothing and doubles nothing.

mod support;

use std::sync::Arc;

use meeting_migration::migration::request::StartRequest;
use meeting_migration::migration::worker::{run, run_once, StopSignal};
use meeting_migration::model::*;
use meeting_migration::{ErrorCode, Service};
use support::faulty::FaultyStore;
use support::*;

/// The sample tenant with `users` users of `meetings` meetings each, and a service on the
/// same store and clock that goes through a [`FaultyStore`].
fn faulty_sample(users: usize, meetings: usize) -> (TestStore, Service, Arc<FaultyStore>, Service) {
    let (store, svc) = sample(users, meetings);
    let faulty = Arc::new(FaultyStore::new(svc.store().clone()));
    let through_faults = Service::with_clock(faulty.clone(), store.clock.clone());
    (store, svc, faulty, through_faults)
}

fn requests_in_store(svc: &Service) -> usize {
    svc.status(&Default::default()).unwrap().len()
}

fn rewrites(store: &TestStore) -> Vec<i64> {
    let sql = store.sql();
    let mut stmt = sql
        .prepare("SELECT rewrite_count FROM meetings WHERE rewrite_count > 0 ORDER BY key")
        .unwrap();
    let counts = stmt.query_map([], |r| r.get(0)).unwrap();
    counts.collect::<Result<_, _>>().unwrap()
}

#[test]
fn a_failed_queue_write_answers_every_valid_item_and_queues_nothing() {
    let (_store, svc, faulty, through) = faulty_sample(3, 1);
    faulty.fail("start_requests", 1);
    let results = through.start_batch(&[
        StartRequest::new("user1@contoso.com"),
        StartRequest::new("ghost@contoso.com"),
        StartRequest::new("user2@contoso.com"),
    ]);
    let codes: Vec<ErrorCode> = results
        .iter()
        .map(|r| r.as_ref().unwrap_err().code)
        .collect();
    assert_eq!(
        codes,
        [
            ErrorCode::StoreBusy,
            ErrorCode::IdentityNotFound,
            ErrorCode::StoreBusy
        ],
        "the rule's own error stays with its item"
    );
    assert_eq!(requests_in_store(&svc), 0);
    // The next attempt goes through.
    assert!(through
        .start(&StartRequest::new("user1@contoso.com"))
        .is_ok());
    assert_eq!(requests_in_store(&svc), 1);
}

#[test]
fn a_failed_read_scope_fails_the_preview_and_the_batch_before_any_write() {
    let (_store, svc, faulty, through) = faulty_sample(2, 1);
    faulty.fail("read_scope", 2);
    let e = through
        .preview(&StartRequest::new("user1@contoso.com"))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreBusy);
    let results = through.start_batch(&[StartRequest::new("user1@contoso.com")]);
    assert_eq!(results[0].as_ref().unwrap_err().code, ErrorCode::StoreBusy);
    assert_eq!(requests_in_store(&svc), 0);
    let preview = through
        .preview(&StartRequest::new("user1@contoso.com"))
        .unwrap();
    assert_eq!(preview.user.user_principal_name, "user1@contoso.com");
}

#[test]
fn a_failed_settings_write_changes_nothing() {
    let (_store, svc, faulty, through) = faulty_sample(1, 0);
    let before = svc.dial_in_settings(None).unwrap();
    faulty.fail("update_dial_in_settings", 1);
    let changes = DialInSettingsChanges {
        pin_length: Some(8),
        ..Default::default()
    };
    let e = through.set_dial_in_settings(None, &changes).unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreBusy);
    assert_eq!(svc.dial_in_settings(None).unwrap(), before);
    assert_eq!(
        through
            .set_dial_in_settings(None, &changes)
            .unwrap()
            .pin_length,
        8
    );
}

#[test]
fn the_worker_loop_outlives_failing_claims() {
    let (_store, svc, faulty, through) = faulty_sample(1, 2);
    let s = svc
        .start(&StartRequest::new("user1@contoso.com"))
        .unwrap()
        .status;
    faulty.fail("claim", 5);
    let stop = Arc::new(StopSignal::default());
    let worker = {
        let (store, clock, stop) = (
            through.store().clone(),
            through.clock().clone(),
            stop.clone(),
        );
        std::thread::spawn(move || run(&*store, &*clock, &fast_options(), &stop))
    };
    let done = svc
        .wait(
            None,
            &s.correlation_id.to_string(),
            std::time::Duration::from_secs(30),
            &mut |_| {},
            None,
        )
        .unwrap();
    stop.raise();
    worker.join().unwrap();
    assert_eq!(faulty.remaining("claim"), 0);
    assert_eq!((done.state, done.retry_count), (RequestState::Succeeded, 0));
}

#[test]
fn a_request_whose_end_failed_is_resumed_after_its_lease_and_rewritten_once() {
    let (store, svc, faulty, through) = faulty_sample(1, 0);
    let s = svc
        .start(&StartRequest::new("John@contoso.com"))
        .unwrap()
        .status;
    let options = fast_options();
    faulty.fail("end_request", 1);
    let stop = StopSignal::default();
    // Every batch commits, then the end fails: the request stays claimed.
    assert!(run_once(&*faulty, &**through.clock(), &options, "dying", &stop).is_err());
    let claimed = status_of(&svc, &s);
    assert_eq!(claimed.state, RequestState::InProgress);
    assert_eq!(
        claimed.succeeded_meeting + claimed.failed_meeting,
        claimed.total_meeting
    );
    assert!(
        !run_once(&**svc.store(), &**svc.clock(), &options, "next", &stop).unwrap(),
        "leased"
    );
    store.clock.advance(options.lease_ms + 1);
    assert!(run_once(&**svc.store(), &**svc.clock(), &options, "next", &stop).unwrap());
    let done = status_of(&svc, &s);
    assert_eq!(done.state, RequestState::Succeeded);
    assert_eq!(
        (done.total_meeting, done.retry_count),
        (claimed.total_meeting, 0)
    );
    let counts = rewrites(&store);
    assert_eq!(counts.len() as i64, done.succeeded_meeting);
    assert!(counts.iter().all(|&n| n == 1), "{counts:?}");
}

#[test]
fn failing_scope_and_reads_are_retried_and_scope_the_meetings_once() {
    let (store, svc, faulty, through) = faulty_sample(1, 0);
    let s = svc
        .start(&StartRequest::new("John@contoso.com"))
        .unwrap()
        .status;
    faulty
        .fail("scope_request", 1)
        .fail("pending_meetings", 1)
        .fail("meeting_schedules_of", 1);
    drain_store(&*faulty, &**through.clock(), &fast_options());
    let done = status_of(&svc, &s);
    assert_eq!((done.state, done.retry_count), (RequestState::Succeeded, 3));
    let detail = svc
        .request_detail(None, &s.correlation_id.to_string())
        .unwrap();
    assert_eq!(
        detail.meetings.len() as i64,
        done.total_meeting,
        "scoped once"
    );
    assert!(rewrites(&store).iter().all(|&n| n == 1));
}
