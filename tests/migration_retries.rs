//! Retries and retention on a real store, with time moved by the test clock: back-off, at
//! most nine retries within a day of the first failure, and the 150-day purge.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use meeting_migration::migration::request::StartRequest;
use meeting_migration::migration::status::StatusQuery;
use meeting_migration::migration::worker::{run_once, StopSignal, WorkerOptions};
use meeting_migration::model::*;
use support::faulty::FaultyStore;
use support::org::*;
use support::*;
use uuid::Uuid;

#[test]
fn transient_failures_are_retried_and_each_meeting_rewritten_once() {
    let (store, svc) = org_store();
    let options = WorkerOptions {
        batch_size: 2,
        ..fast_options()
    };
    let s = start_org_to_teams(&svc);
    let faulty = FaultyStore::new(svc.store().clone());
    faulty.fail("commit_batch", 3);
    drain_store(&faulty, &**svc.clock(), &options);
    let done = status_of(&svc, &s);
    assert_eq!(done.state, RequestState::Succeeded);
    assert_eq!(done.retry_count, 3);
    assert_eq!((done.succeeded_meeting, done.failed_meeting), (5, 1));
    let twice: i64 = store
        .sql()
        .query_row(
            "SELECT count(*) FROM meetings WHERE rewrite_count > 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(twice, 0);
    assert_eq!(faulty.remaining("commit_batch"), 0);
}

#[test]
fn retries_back_off_exponentially() {
    let (store, svc) = org_store();
    let options = WorkerOptions {
        backoff_base_ms: 10_000,
        ..fast_options()
    };
    let s = start_org_to_teams(&svc);
    let faulty = FaultyStore::new(svc.store().clone());
    faulty.fail("commit_batch", 2);
    let stop = StopSignal::default();
    let delay = || -> i64 {
        store
            .sql()
            .query_row("SELECT not_before - modified_date FROM requests", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert!(run_once(&faulty, &**svc.clock(), &options, "w", &stop).unwrap());
    let st = status_of(&svc, &s);
    assert_eq!((st.state, st.retry_count), (RequestState::Pending, 1));
    assert!(
        st.last_message.as_deref().unwrap().contains("retry 1 of 9"),
        "{:?}",
        st.last_message
    );
    assert_eq!(delay(), 10_000);
    assert!(
        !run_once(&faulty, &**svc.clock(), &options, "w", &stop).unwrap(),
        "backing off"
    );
    store.clock.advance(10_000);
    assert!(run_once(&faulty, &**svc.clock(), &options, "w", &stop).unwrap());
    assert_eq!(status_of(&svc, &s).retry_count, 2);
    assert_eq!(delay(), 20_000);
    assert_eq!(options.backoff_ms(9), 10_000 << 8);
}

#[test]
fn after_nine_retries_the_request_fails() {
    let (store, svc) = org_store();
    let options = fast_options();
    let s = start_org_to_teams(&svc);
    let faulty = FaultyStore::new(svc.store().clone());
    faulty.fail("commit_batch", 100);
    drain_store(&faulty, &**svc.clock(), &options);
    let done = status_of(&svc, &s);
    assert_eq!(done.state, RequestState::Failed);
    assert_eq!(done.retry_count, 9);
    let msg = done.last_message.unwrap();
    assert!(msg.starts_with("Failed after 9 retries"), "{msg}");
    // Ten attempts: the first and nine retries.
    assert_eq!(faulty.remaining("commit_batch"), 90);
    let rewritten: i64 = store
        .sql()
        .query_row("SELECT sum(rewrite_count) FROM meetings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rewritten, 0);
    // A failed request is not open: the user can start again.
    assert!(
        !svc.start(&StartRequest::new("org@contoso.com"))
            .unwrap()
            .existing
    );
}

#[test]
fn a_request_still_failing_a_day_after_its_first_failure_fails_at_once() {
    let (store, svc) = org_store();
    let options = fast_options();
    let s = start_org_to_teams(&svc);
    let faulty = FaultyStore::new(svc.store().clone());
    faulty.fail("commit_batch", 2);
    let stop = StopSignal::default();
    assert!(run_once(&faulty, &**svc.clock(), &options, "test-worker", &stop).unwrap());
    assert_eq!(status_of(&svc, &s).retry_count, 1);
    // 25 hours after the first failure, the second one ends the request.
    store.clock.advance(25 * HOUR);
    drain_store(&faulty, &**svc.clock(), &options);
    let done = status_of(&svc, &s);
    assert_eq!((done.state, done.retry_count), (RequestState::Failed, 1));
}

#[test]
fn a_request_held_for_more_than_a_day_still_gets_its_retries() {
    let (store, svc) = org_store();
    let options = fast_options();
    let s = start_org_to_teams(&svc);
    // Queued 25 hours before the worker first gets to it.
    store.clock.advance(25 * HOUR);
    let faulty = FaultyStore::new(svc.store().clone());
    faulty.fail("commit_batch", 1);
    drain_store(&faulty, &**svc.clock(), &options);
    let done = status_of(&svc, &s);
    assert_eq!((done.state, done.retry_count), (RequestState::Succeeded, 1));
}

#[test]
fn terminal_records_older_than_150_days_are_purged_by_the_worker() {
    let (store, svc) = sample(4, 1);
    let options = fast_options();
    let queue = |identity: &str| {
        start(
            &svc,
            identity,
            SourceMeetingType::All,
            TargetMeetingType::Current,
        )
    };
    let hold = |minutes: i64| {
        svc.set_migration_configuration(
            None,
            &MigrationConfigurationChanges {
                hold_minutes: Some(minutes),
                ..Default::default()
            },
        )
        .unwrap();
    };
    // Day 0: user1 succeeds, user2 fails (a fault on every commit), user3 is queued with
    // a week's hold.
    queue("user1@contoso.com");
    drain(&svc, &options);
    let failed_old = queue("user2@contoso.com");
    let faulty = FaultyStore::new(svc.store().clone());
    faulty.fail("commit_batch", 100);
    drain_store(&faulty, &**svc.clock(), &options);
    assert_eq!(status_of(&svc, &failed_old).state, RequestState::Failed);
    hold(7 * 24 * 60);
    let pending_old = queue("user3@contoso.com");
    hold(0);
    // Day 2: user4 succeeds; user3 is still held.
    store.clock.advance(2 * DAY);
    let succeeded_recent = queue("user4@contoso.com");
    let stop = StopSignal::default();
    assert!(run_once(&**svc.store(), &**svc.clock(), &options, "w", &stop).unwrap());
    assert_eq!(
        status_of(&svc, &succeeded_recent).state,
        RequestState::Succeeded
    );
    assert_eq!(status_of(&svc, &pending_old).state, RequestState::Pending);
    let left = || -> Vec<Uuid> {
        svc.status(&StatusQuery::default())
            .unwrap()
            .iter()
            .map(|s| s.correlation_id)
            .collect()
    };
    // Day 151: the records of day 0 are 151 days old, those of day 2 are 149. The worker
    // purges when it starts, before it takes user3's request.
    store.clock.advance(149 * DAY);
    let stop = Arc::new(StopSignal::default());
    let worker = {
        let (store, clock, stop) = (svc.store().clone(), svc.clock().clone(), stop.clone());
        std::thread::spawn(move || {
            meeting_migration::migration::worker::run(&*store, &*clock, &fast_options(), &stop)
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while left().len() != 2 {
        assert!(Instant::now() < deadline, "not purged: {:?}", left());
        std::thread::sleep(Duration::from_millis(10));
    }
    stop.raise();
    worker.join().unwrap();
    assert_eq!(
        left(),
        [pending_old.correlation_id, succeeded_recent.correlation_id],
        "the old Pending one is kept, the 149-day-old one too"
    );
    // The store call itself purges only terminal records created before the cut-off.
    let now = svc.clock().now();
    drain(&svc, &options);
    assert_eq!(svc.store().purge(now.plus_ms(-150 * DAY)).unwrap(), 1);
    assert_eq!(svc.store().purge(now).unwrap(), 1);
    assert!(left().is_empty());
}
