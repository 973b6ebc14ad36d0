//! Durable starts per second (one by one and batched) and worker meetings per second against
//! a raw SQLite insert of the same rows in the same batch size (issue 4 targets: ≥ 50,000
//! meetings/s and ≥ 0.5× the raw rate).
//!
//! "Durable" is the store's commit: WAL with synchronous=NORMAL, so a start survives the
//! process being killed once it is reported (the raw baseline uses the same settings).

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use meeting_migration::directory::sample::SampleOptions;
use meeting_migration::migration::request::StartRequest;
use meeting_migration::migration::worker::{run_once, StopSignal, WorkerOptions};
use meeting_migration::model::TargetMeetingType;
use meeting_migration::Service;
use rusqlite::{params, Connection};

const START_USERS: usize = 30_000;
const START_BATCH: usize = 500;
const MEETINGS: i64 = 20_000;
const WORKER_BATCH: usize = 500;

fn sql(path: &Path) -> Connection {
    let c = Connection::open(path).unwrap();
    c.busy_timeout(Duration::from_secs(30)).unwrap();
    c
}

/// Starts users from a rotating pool; when the pool is used up, its requests are closed
/// (outside the timing) so the users can be started again.
struct StartPool<'a> {
    svc: &'a Service,
    db: &'a Path,
    next: usize,
}

impl StartPool<'_> {
    fn take(&mut self, n: usize) -> Vec<StartRequest> {
        if self.next + n > START_USERS {
            sql(self.db)
                .execute(
                    "UPDATE requests SET state = 'Succeeded' WHERE state = 'Pending'",
                    [],
                )
                .unwrap();
            self.next = 0;
        }
        let r = (self.next..self.next + n)
            .map(|i| StartRequest::new(&format!("user{}@contoso.com", i + 1)))
            .collect();
        self.next += n;
        r
    }
}

fn time_starts(pool: &mut StartPool, total: usize, batch: usize) -> Duration {
    let mut spent = Duration::ZERO;
    let mut left = total;
    while left > 0 {
        let n = batch.min(left);
        let requests = pool.take(n);
        let t = Instant::now();
        if batch == 1 {
            black_box(pool.svc.start(&requests[0]).unwrap());
        } else {
            for r in pool.svc.start_batch(&requests) {
                assert!(!r.unwrap().existing);
            }
        }
        spent += t.elapsed();
        left -= n;
    }
    spent
}

/// Gives John `MEETINGS` future meetings (copies of one of his sample meetings).
fn seed_meetings(db: &Path) {
    sql(db)
        .execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
             INSERT INTO meetings(meeting_id, tenant, organizer, subject, start_time, end_time, recurrence_end,
                                  meeting_type, attendees, attendee_count, body)
             SELECT lower(hex(randomblob(16))), m.tenant, m.organizer, 'bench ' || n.i, m.start_time, m.end_time, NULL,
                    m.meeting_type, m.attendees, m.attendee_count, m.body
             FROM n, (SELECT * FROM meetings WHERE subject = 'Budget review (Skype online)'
                      AND organizer = (SELECT key FROM users WHERE upn_key = 'john@contoso.com')) m",
            [MEETINGS],
        )
        .unwrap();
}

/// One whole request for John (claim, every batch, end), timed; the start is not.
fn time_worker_request(svc: &Service, options: &WorkerOptions) -> (Duration, i64) {
    let mut r = StartRequest::new("John@contoso.com");
    r.target_meeting_type = TargetMeetingType::Teams;
    let s = svc.start(&r).unwrap();
    assert!(!s.existing);
    let stop = StopSignal::default();
    let t = Instant::now();
    assert!(run_once(&**svc.store(), &**svc.clock(), options, "bench", &stop).unwrap());
    let spent = t.elapsed();
    let done = svc
        .request_detail(None, &s.status.correlation_id.to_string())
        .unwrap()
        .status;
    assert_eq!(done.state.as_str(), "Succeeded");
    (spent, done.total_meeting)
}

/// The same rows (meeting id, type, rewritten body) inserted into a plain table of a fresh
/// SQLite file with the store's settings, `WORKER_BATCH` rows per transaction.
fn time_raw_insert(raw: &Connection, rows: &[(String, String, String)]) -> Duration {
    raw.execute("DELETE FROM raw", []).unwrap();
    let t = Instant::now();
    for chunk in rows.chunks(WORKER_BATCH) {
        let tx = raw.unchecked_transaction().unwrap();
        {
            let mut stmt = tx
                .prepare_cached("INSERT INTO raw(meeting_id, meeting_type, body, rewrite_count) VALUES (?1, ?2, ?3, 1)")
                .unwrap();
            for (id, kind, body) in chunk {
                stmt.execute(params![id, kind, body]).unwrap();
            }
        }
        tx.commit().unwrap();
    }
    t.elapsed()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mms.db");
    let svc = Service::open(Some(&db)).unwrap();
    svc.create_sample_tenant(&SampleOptions {
        user_count: START_USERS,
        meetings_per_user: 0,
        ..Default::default()
    })
    .unwrap();
    let mut pool = StartPool {
        svc: &svc,
        db: &db,
        next: 0,
    };

    // Starts: a plain timed comparison first, then criterion.
    let one = time_starts(&mut pool, 2_000, 1);
    let batched = time_starts(&mut pool, 20_000, START_BATCH);
    let one_rate = 2_000.0 / one.as_secs_f64();
    let batch_rate = 20_000.0 / batched.as_secs_f64();
    println!(
        "durable starts: one by one {one_rate:.0}/s ({:.1} µs each); batched by {START_BATCH} {batch_rate:.0}/s ({:.1} µs each); batched/one-by-one = {:.1}x",
        1e6 / one_rate,
        1e6 / batch_rate,
        batch_rate / one_rate
    );
    {
        let mut group = c.benchmark_group("start");
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(5));
        group.throughput(Throughput::Elements(1));
        group.bench_function("one_by_one", |b| {
            b.iter_custom(|iters| time_starts(&mut pool, iters as usize, 1))
        });
        group.throughput(Throughput::Elements(START_BATCH as u64));
        group.bench_function("batch_of_500", |b| {
            b.iter_custom(|iters| time_starts(&mut pool, iters as usize * START_BATCH, START_BATCH))
        });
        group.finish();
    }

    // Worker against raw inserts; the start benchmark's requests are closed first so the
    // worker's queue holds only John's.
    sql(&db)
        .execute(
            "UPDATE requests SET state = 'Succeeded' WHERE state = 'Pending'",
            [],
        )
        .unwrap();
    seed_meetings(&db);
    let options = WorkerOptions {
        batch_size: WORKER_BATCH,
        ..Default::default()
    };
    let (_, total) = time_worker_request(&svc, &options); // warm-up, and the rows to copy
    let rows: Vec<(String, String, String)> = sql(&db)
        .prepare("SELECT meeting_id, meeting_type, body FROM meetings WHERE rewrite_count > 0 ORDER BY key")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // All but John's 300-attendee meeting, which the worker counts as failed.
    assert_eq!(rows.len() as i64, total - 1);
    let raw_path = dir.path().join("raw.db");
    let raw = sql(&raw_path);
    let _: String = raw
        .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
        .unwrap();
    raw.pragma_update(None, "synchronous", "NORMAL").unwrap();
    raw.execute_batch(
        "CREATE TABLE raw(key INTEGER PRIMARY KEY, meeting_id TEXT NOT NULL UNIQUE, meeting_type TEXT NOT NULL,
                          body TEXT NOT NULL, rewrite_count INTEGER NOT NULL)",
    )
    .unwrap();
    time_raw_insert(&raw, &rows);

    let (mut worker_rates, mut raw_rates) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let (t, n) = time_worker_request(&svc, &options);
        worker_rates.push(n as f64 / t.as_secs_f64());
        let t = time_raw_insert(&raw, &rows);
        raw_rates.push(rows.len() as f64 / t.as_secs_f64());
    }
    let (w, r) = (median(worker_rates), median(raw_rates));
    println!(
        "worker: {w:.0} meetings/s ({total} meetings per request, batches of {WORKER_BATCH}, durable commits); raw SQLite insert of the same rows: {r:.0} rows/s; worker/raw = {:.2} (targets: >= 50000/s, >= 0.5)",
        w / r
    );

    let mut group = c.benchmark_group("worker_vs_raw");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(total as u64));
    group.bench_function("worker_request", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| time_worker_request(&svc, &options).0)
                .sum()
        })
    });
    group.bench_function("raw_insert_same_rows", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| time_raw_insert(&raw, &rows)).sum())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
