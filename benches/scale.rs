//! The cost curve (issue 17): per-item cost of identity resolution, durable batched starts
//! and the worker's meetings at 10k, 100k and 1M users, and the ratio from 10k to 1M
//! (target: within 1.5×). Each size is a shared sample store (`support/one_million.rs`);
//! starts and the worker run on a copy of it, so the shared store stays unstarted.
//!
//! With `MMS_BENCH_CALLS=n` it only resolves `n` users (`MMS_BENCH_CALLS=missing:n`: `n`
//! unknown identities) on the 10k store and stops: a run short enough for `valgrind --tool=callgrind`, whose
//! instruction counts compare two builds on a loaded machine better than timings do.

use std::path::Path;
use std::time::Instant;

use criterion::black_box;
use meeting_migration::migration::request::StartRequest;
use meeting_migration::migration::worker::{run_once, StopSignal, WorkerOptions};
use meeting_migration::model::{SourceMeetingType, TargetMeetingType};
use meeting_migration::time::Timestamp;
use meeting_migration::Service;
use serde_json::json;

#[path = "support/one_million.rs"]
mod one_million;
use one_million::{ensure_store_of, load, CURVE};

/// Distinct users the resolutions cycle through.
const SPREAD: usize = 4096;
const LOOKUPS: usize = 50_000;
const STARTS: usize = 5_000;
const START_BATCH: usize = 500;
/// The worker's users (numbered 1..=WORKER_USERS) and the meetings each organises.
const WORKER_USERS: usize = 20;
const MEETINGS_PER_WORKER_USER: usize = 500;

struct Point {
    users: usize,
    resolve_us: f64,
    not_found_us: f64,
    start_us: f64,
    meeting_us: f64,
}

fn resolution(svc: &Service, users: usize) -> (f64, f64) {
    let upns: Vec<String> = (0..SPREAD)
        .map(|i| format!("User{}@Contoso.com", 1 + (i * 7919 * 31) % users))
        .collect();
    for upn in &upns {
        black_box(svc.resolve(None, upn).unwrap());
    }
    let t = Instant::now();
    for i in 0..LOOKUPS {
        black_box(svc.resolve(None, &upns[i % SPREAD]).unwrap());
    }
    let found = t.elapsed().as_secs_f64() * 1e6 / LOOKUPS as f64;
    let t = Instant::now();
    for i in 0..LOOKUPS / 5 {
        black_box(
            svc.resolve(None, &format!("nobody{i}@contoso.com"))
                .unwrap_err(),
        );
    }
    (
        found,
        t.elapsed().as_secs_f64() * 1e6 / (LOOKUPS / 5) as f64,
    )
}

/// The worker's users each organise future meetings (all migratable), imported into the
/// tenant they are in.
fn seed_meetings(svc: &Service, dir: &Path) {
    let now = Timestamp::now();
    let meetings: Vec<_> = (0..WORKER_USERS * MEETINGS_PER_WORKER_USER)
        .map(|i| {
            json!({
                "Organizer": format!("user{}@contoso.com", 1 + i % WORKER_USERS),
                "Subject": format!("meeting {i}"),
                "StartTime": now.plus_ms(86_400_000 + i as i64 * 1000).to_iso(),
                "EndTime": now.plus_ms(90_000_000 + i as i64 * 1000).to_iso(),
                "MeetingType": if i % 2 == 0 { "SfbOnline" } else { "SfbOnPrem" },
                "Attendees": (0..1 + i % 4).map(|a| format!("a{a}@fabrikam.com")).collect::<Vec<_>>(),
            })
        })
        .collect();
    let file = dir.join("meetings.json");
    std::fs::write(
        &file,
        json!({ "Users": [], "Meetings": meetings }).to_string(),
    )
    .unwrap();
    svc.import_file(None, &file, &mut |_, _| {}, None).unwrap();
}

/// Microseconds per meeting for one worker draining the queue.
fn worker(svc: &Service) -> f64 {
    let batch: Vec<StartRequest> = (1..=WORKER_USERS)
        .map(|u| {
            let mut r = StartRequest::new(&format!("user{u}@contoso.com"));
            r.source_meeting_type = SourceMeetingType::All;
            r.target_meeting_type = TargetMeetingType::Teams;
            r
        })
        .collect();
    for r in svc.start_batch(&batch) {
        r.unwrap();
    }
    let options = WorkerOptions::default();
    let stop = StopSignal::default();
    let t = Instant::now();
    while run_once(&**svc.store(), &**svc.clock(), &options, "curve", &stop).unwrap() {}
    t.elapsed().as_secs_f64() * 1e6 / (WORKER_USERS * MEETINGS_PER_WORKER_USER) as f64
}

/// Microseconds per durable start, batched, of users spread over the tenant (none of them
/// the worker's).
fn starts(svc: &Service, users: usize) -> f64 {
    let step = (users - WORKER_USERS) / STARTS;
    let requests: Vec<StartRequest> = (0..STARTS)
        .map(|i| StartRequest::new(&format!("user{}@contoso.com", WORKER_USERS + 1 + i * step)))
        .collect();
    let t = Instant::now();
    for chunk in requests.chunks(START_BATCH) {
        for r in svc.start_batch(chunk) {
            assert!(!r.unwrap().existing);
        }
    }
    t.elapsed().as_secs_f64() * 1e6 / STARTS as f64
}

fn point(users: usize) -> Point {
    let shared = ensure_store_of(users);
    let (resolve_us, not_found_us) = resolution(&Service::open(Some(&shared)).unwrap(), users);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    std::fs::copy(&shared, &copy).unwrap();
    let svc = Service::open(Some(&copy)).unwrap();
    seed_meetings(&svc, dir.path());
    let meeting_us = worker(&svc);
    let start_us = starts(&svc, users);
    Point {
        users,
        resolve_us,
        not_found_us,
        start_us,
        meeting_us,
    }
}

/// Resolutions only, for an instruction count: `n` users, or `missing:n` unknown ones.
fn calls(spec: &str) {
    let (missing, n) = match spec.strip_prefix("missing:") {
        Some(n) => (true, n),
        None => (false, spec),
    };
    let n: usize = n
        .parse()
        .expect("MMS_BENCH_CALLS is a number or missing:<number>");
    let svc = Service::open(Some(&ensure_store_of(CURVE[0]))).unwrap();
    for i in 0..n {
        if missing {
            black_box(
                svc.resolve(None, &format!("nobody{i}@contoso.com"))
                    .unwrap_err(),
            );
        } else {
            let upn = format!("User{}@Contoso.com", 1 + (i * 7919 * 31) % CURVE[0]);
            black_box(svc.resolve(None, &upn).unwrap());
        }
    }
}

fn main() {
    if let Ok(spec) = std::env::var("MMS_BENCH_CALLS") {
        return calls(&spec);
    }
    // `cargo bench` passes --bench; a filter argument is not supported (one fixed run).
    println!("cost curve (load before: {})", load());
    let points: Vec<Point> = CURVE.iter().map(|&n| point(n)).collect();
    println!(
        "  {:>9} {:>13} {:>13} {:>14} {:>15}",
        "users", "resolve µs", "not found µs", "batched start", "worker meeting"
    );
    for p in &points {
        println!(
            "  {:>9} {:>13.2} {:>13.2} {:>11.2} µs {:>12.2} µs",
            p.users, p.resolve_us, p.not_found_us, p.start_us, p.meeting_us
        );
    }
    let (first, last) = (&points[0], &points[points.len() - 1]);
    println!(
        "  1M / 10k: resolve {:.2}x, not found {:.2}x, start {:.2}x, meeting {:.2}x (target <= 1.5x); load now: {}",
        last.resolve_us / first.resolve_us,
        last.not_found_us / first.not_found_us,
        last.start_us / first.start_us,
        last.meeting_us / first.meeting_us,
        load()
    );
}
