//! Many processes on one PostgreSQL store, as on many hosts: four `mms-worker` processes
//! SIGKILLed again and again still rewrite every meeting exactly once; eight processes
//! starting overlapping users at once give one request per user and no error; a server
//! restart in the middle of a run is reported, ridden out, and loses or doubles nothing.
//! Against real throwaway clusters (tests/support/postgres.rs).

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use meeting_migration::directory::sample::SampleOptions;
use meeting_migration::migration::request::StartRequest;
use meeting_migration::model::{SourceMeetingType, TargetMeetingType};
use meeting_migration::rng::SplitMix64;
use meeting_migration::{ErrorCode, Service};
use serde_json::json;
use support::postgres::{self, Cluster, Sql};
use support::{iso_in, run_overlapping_starters, start_overlapping_users, DAY, HOUR};

const CHILD_ENV: &str = "MMS_PG_PROCESS_TEST_CHILD";
const USERS: usize = 1000;
const PROCESSES: usize = 8;

fn open(uri: &str) -> Service {
    Service::open(Some(Path::new(uri))).expect("open the PostgreSQL store")
}

fn worker(uri: &str, log: Option<&Path>) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mms-worker"));
    command.args([
        "--store",
        uri,
        "--lease-ms",
        "400",
        "--batch-size",
        "10",
        "--poll-ms",
        "10",
        "--backoff-ms",
        "10",
    ]);
    match log {
        Some(path) => command.stderr(std::fs::File::create(path).unwrap()),
        None => command.stderr(Stdio::null()),
    };
    command.spawn().unwrap()
}

/// Imports `users` users each organising `meetings` future meetings (all migratable) and
/// starts one request per user (all meeting types to Teams).
fn queue_meetings(svc: &Service, users: usize, meetings: usize, start: bool) -> Vec<String> {
    svc.create_sample_tenant(&SampleOptions {
        user_count: 0,
        ..Default::default()
    })
    .unwrap();
    let kinds = ["Teams", "SfbOnline", "SfbOnPrem"];
    let upns: Vec<String> = (1..=users)
        .map(|u| format!("worker{u}@contoso.com"))
        .collect();
    let data = json!({
        "Users": upns.iter().map(|u| json!({"UserPrincipalName": u})).collect::<Vec<_>>(),
        "Meetings": (0..users * meetings).map(|i| json!({
            "Organizer": upns[i % users],
            "Subject": format!("meeting {i}"),
            "StartTime": iso_in(DAY + i as i64 * 1000),
            "EndTime": iso_in(DAY + HOUR + i as i64 * 1000),
            "MeetingType": kinds[i % 3],
            "Attendees": (0..1 + i % 4).map(|a| format!("a{a}@fabrikam.com")).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("meetings.json");
    std::fs::write(&file, data.to_string()).unwrap();
    svc.import_file(None, &file, &mut |_, _| {}, None).unwrap();
    if start {
        start_all(svc, &upns);
    }
    upns
}

fn start_all(svc: &Service, upns: &[String]) {
    let batch: Vec<StartRequest> = upns
        .iter()
        .map(|u| {
            let mut r = StartRequest::new(u);
            r.source_meeting_type = SourceMeetingType::All;
            r.target_meeting_type = TargetMeetingType::Teams;
            r
        })
        .collect();
    for result in svc.start_batch(&batch) {
        result.unwrap();
    }
}

/// Requests not yet Succeeded or Failed.
fn open_requests(sql: &Sql) -> i64 {
    sql.number("SELECT count(*) FROM requests WHERE state IN ('Pending', 'InProgress')")
}

/// Every meeting of the `worker…` users rewritten exactly once, each of their requests
/// Succeeded with all its meetings (the sample tenant's own users are left alone).
fn assert_exactly_once(sql: &Sql, requests: i64, meetings: i64) {
    const MINE: &str = "(SELECT key FROM users WHERE upn LIKE 'worker%')";
    assert_eq!(
        sql.number(&format!(
            "SELECT count(*) FROM meetings WHERE organizer IN {MINE}"
        )),
        meetings
    );
    let wrong = sql.rows(&format!(
        "SELECT subject, rewrite_count FROM meetings WHERE organizer IN {MINE} AND (rewrite_count <> 1 OR meeting_type <> 'Teams') ORDER BY key LIMIT 10"
    ));
    let wrong: Vec<(String, i64)> = wrong.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert!(
        wrong.is_empty(),
        "meetings not rewritten exactly once: {wrong:?}"
    );
    assert_eq!(
        sql.number(&format!("SELECT count(*) FROM requests WHERE user_key IN {MINE} AND state = 'Succeeded' AND succeeded_meeting = total_meeting AND failed_meeting = 0")),
        requests
    );
    assert_eq!(sql.number("SELECT count(*) FROM requests"), requests);
    assert_eq!(
        sql.number("SELECT count(*) FROM outcomes WHERE outcome <> 'Succeeded'"),
        0
    );
}

#[test]
fn four_workers_killed_again_and_again_rewrite_every_meeting_exactly_once() {
    let Some(db) = postgres::database() else {
        return;
    };
    let (users, per_user) = (60, 150);
    let svc = open(&db.uri);
    queue_meetings(&svc, users, per_user, true);
    drop(svc);
    let sql = Sql::connect(&db.uri);

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    println!("kill seed {seed}");
    let mut rng = SplitMix64(seed);
    let mut workers: Vec<Child> = (0..4).map(|_| worker(&db.uri, None)).collect();
    let mut kills = 0;
    let mut done_at_kills = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    // At least ten SIGKILLs while work remains, each of a random worker at a random moment,
    // the killed one restarted at once.
    while kills < 10 || open_requests(&sql) > 0 {
        assert!(Instant::now() < deadline, "the queue did not drain");
        std::thread::sleep(Duration::from_millis(20 + rng.below(150)));
        if kills >= 10 {
            continue;
        }
        let done = sql.number("SELECT count(*) FROM outcomes WHERE outcome <> 'Pending'");
        let open = open_requests(&sql);
        if open == 0 {
            break;
        }
        let victim = rng.below(4) as usize;
        workers[victim].kill().unwrap(); // SIGKILL
        workers[victim].wait().unwrap();
        kills += 1;
        done_at_kills.push(done);
        workers[victim] = worker(&db.uri, None);
    }
    println!("killed {kills} times, at {done_at_kills:?} meetings done");
    assert!(
        kills >= 10,
        "only {kills} kills landed before the queue drained: {done_at_kills:?}"
    );
    for mut w in workers {
        unsafe {
            libc::kill(w.id() as i32, libc::SIGTERM);
        }
        assert!(
            w.wait().unwrap().success(),
            "a worker did not stop on SIGTERM"
        );
    }
    assert_exactly_once(&sql, users as i64, (users * per_user) as i64);
}

/// Child role of `eight_processes_start_overlapping_users_at_once` (this test binary
/// re-executed): starts its share of users in chunks and prints how many were new.
#[test]
fn child_starter_role() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (uri, index) = spec.split_once('|').unwrap();
    let index: usize = index.parse().unwrap();
    let svc = open(uri);
    let new = start_overlapping_users(&svc, index, USERS, PROCESSES);
    println!("CHILD-NEW={new}");
}

#[test]
fn eight_processes_start_overlapping_users_at_once() {
    let Some(db) = postgres::database() else {
        return;
    };
    open(&db.uri)
        .create_sample_tenant(&SampleOptions {
            user_count: USERS,
            meetings_per_user: 0,
            ..Default::default()
        })
        .unwrap();
    let new_total = run_overlapping_starters(CHILD_ENV, &db.uri, PROCESSES);
    assert_eq!(
        new_total, USERS,
        "exactly one process created each user's request"
    );
    let sql = Sql::connect(&db.uri);
    assert_eq!(
        sql.number("SELECT count(*) FROM requests WHERE state IN ('Pending', 'InProgress')"),
        USERS as i64
    );
    assert_eq!(
        sql.number("SELECT count(DISTINCT user_key) FROM requests"),
        USERS as i64
    );
    assert_eq!(
        sql.number("SELECT count(*) FROM requests WHERE upn NOT LIKE 'user%@contoso.com'"),
        0
    );
}

#[test]
fn a_server_restart_mid_run_is_reported_and_ridden_out() {
    // A cluster of its own: restarting the shared one would disturb the other tests.
    let Some(cluster) = Cluster::start() else {
        postgres::missing();
        return;
    };
    cluster.admin("CREATE DATABASE restart");
    let uri = format!("{}/restart", cluster.base);
    let (users, per_user) = (40, 100);
    let svc = open(&uri);
    let upns = queue_meetings(&svc, users, per_user, false);
    // A third before the restart, a third during it, a third after a longer outage.
    let (first, rest) = upns.split_at(users / 3);
    let (second, third) = rest.split_at(users / 3);
    start_all(&svc, first);
    let logs = tempfile::tempdir().unwrap();
    let log_paths: Vec<_> = (0..2)
        .map(|i| logs.path().join(format!("w{i}.log")))
        .collect();
    let mut workers: Vec<Child> = log_paths.iter().map(|p| worker(&uri, Some(p))).collect();
    let sql = Sql::connect(&uri);
    let deadline = Instant::now() + Duration::from_secs(300);
    while sql.number("SELECT count(*) FROM outcomes WHERE outcome <> 'Pending'") < 200 {
        assert!(Instant::now() < deadline, "no progress before the restart");
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(sql);

    // The restart runs while this process keeps starting the second half one by one: a
    // start either goes through (retried over the outage) or fails clearly, and is
    // repeated until it goes through.
    let restart = std::thread::spawn({
        let cluster = &cluster as *const Cluster as usize;
        move || {
            // SAFETY: the cluster outlives this thread (joined below).
            let cluster = unsafe { &*(cluster as *const Cluster) };
            std::thread::sleep(Duration::from_millis(50));
            cluster.restart();
        }
    });
    let mut refused = Vec::new();
    for upn in second {
        loop {
            assert!(Instant::now() < deadline, "starts never went through");
            let mut r = StartRequest::new(upn);
            r.source_meeting_type = SourceMeetingType::All;
            r.target_meeting_type = TargetMeetingType::Teams;
            match svc.start(&r) {
                Ok(_) => break,
                Err(e) => {
                    assert!(
                        matches!(e.code, ErrorCode::StoreIo | ErrorCode::StoreBusy),
                        "{:?}: {}",
                        e.code,
                        e.message
                    );
                    assert!(
                        e.message.contains("postgresql://postgres@127.0.0.1"),
                        "{}",
                        e.message
                    );
                    refused.push(e.message);
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
    }
    restart.join().unwrap();
    println!("starts refused during the restart: {refused:?}");

    // A longer outage than the store rides out (its retry window): the server stopped,
    // a start fails with a clear StoreIo, the workers say the store is failing; then the
    // server is back, the workers say so and the queue drains.
    // The workers are idle when it starts, so that they meet it on their next look at the
    // queue (an outage in the middle of a request is that request's retry instead).
    {
        let sql = Sql::connect(&uri);
        while open_requests(&sql) > 0 {
            assert!(
                Instant::now() < deadline,
                "the queue did not drain after the restart"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    cluster.stop_fast();
    let stopped = Instant::now();
    let mut r = StartRequest::new(&upns[0]);
    r.source_meeting_type = SourceMeetingType::All;
    let e = svc.start(&r).unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreIo, "{}", e.message);
    assert!(
        e.message.contains("cannot be reached") && !e.message.contains("password"),
        "{}",
        e.message
    );
    // Down longer than the workers' retry window, so that each of them gives up once.
    std::thread::sleep(
        (meeting_migration::store::postgres::RETRY_WINDOW + Duration::from_secs(4))
            .saturating_sub(stopped.elapsed()),
    );
    cluster.start_again();
    start_all(&svc, third);

    let sql = Sql::connect(&uri);
    while open_requests(&sql) > 0 {
        assert!(
            Instant::now() < deadline,
            "the queue did not drain after the restart"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    for w in &mut workers {
        unsafe {
            libc::kill(w.id() as i32, libc::SIGTERM);
        }
        assert!(w.wait().unwrap().success());
    }
    assert_exactly_once(&sql, users as i64, (users * per_user) as i64);
    // The workers said that the store failed and that it came back.
    let said: String = log_paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    println!("{said}");
    assert!(said.contains("the store is failing"), "{said}");
    assert!(said.contains("the store works again"), "{said}");
    drop(sql);
    drop(svc);
}
