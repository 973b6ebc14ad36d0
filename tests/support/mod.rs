//! Shared helpers of the integration tests: real store files in temp directories, the real
//! library, no mocks. Files are hashed by a separate process (`sha256sum`), never opened
//! outside SQLite from inside the test process: closing any descriptor of a SQLite file
//! drops the POSIX locks SQLite holds on it in this process. Time moves through the
//! store's [`ManualClock`], never by editing rows.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use meeting_migration::directory::sample::SampleOptions;
use meeting_migration::migration::request::StartRequest;
use meeting_migration::migration::worker::{run_once, StopSignal, WorkerOptions};
use meeting_migration::model::MigrationStatus;
use meeting_migration::store::Store;
use meeting_migration::time::{Clock, ManualClock, Timestamp};
use meeting_migration::Service;
use tempfile::TempDir;

pub mod faulty;
pub mod org;
pub mod postgres;

pub const SAMPLE_TENANT: &str = "38aad667-af54-4397-aaa7-e94c79ec2308";

/// A temp directory holding `mms.db`, and the clock of the services opened on it.
pub struct TestStore {
    pub dir: TempDir,
    pub path: PathBuf,
    pub clock: Arc<ManualClock>,
}

impl TestStore {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("mms-test-")
            .tempdir()
            .expect("temp dir");
        let path = dir.path().join("mms.db");
        TestStore {
            dir,
            path,
            clock: Arc::new(ManualClock::new()),
        }
    }

    /// A service on the store, on this store's clock.
    pub fn open(&self) -> Service {
        let store = meeting_migration::store::open(&self.path).expect("open store");
        Service::with_clock(store, self.clock.clone())
    }

    /// A file next to the store.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A read/write SQLite connection to the store, for checks the API does not expose.
    pub fn sql(&self) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(&self.path).expect("sqlite");
        c.busy_timeout(Duration::from_secs(30)).unwrap();
        c
    }

    /// sha256 of the store file and its WAL (when present), computed by `sha256sum`.
    pub fn hashes(&self) -> Vec<String> {
        let mut files = vec![self.path.clone()];
        let wal = PathBuf::from(format!("{}-wal", self.path.display()));
        if wal.exists() {
            files.push(wal);
        }
        sha256sum(&files)
    }
}

/// Hashes files in a separate process.
pub fn sha256sum(files: &[PathBuf]) -> Vec<String> {
    let out = Command::new("sha256sum")
        .args(files)
        .output()
        .expect("run sha256sum");
    assert!(out.status.success(), "sha256sum failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// A store with the sample tenant of `users` numbered users and `meetings` each.
pub fn sample(users: usize, meetings: usize) -> (TestStore, Service) {
    let store = TestStore::new();
    let svc = store.open();
    svc.create_sample_tenant(&SampleOptions {
        user_count: users,
        meetings_per_user: meetings,
        ..Default::default()
    })
    .expect("sample tenant");
    (store, svc)
}

/// Writes `text` to `name` in the store's folder and imports it into `tenant`.
pub fn import_text(
    store: &TestStore,
    svc: &Service,
    tenant: Option<&str>,
    name: &str,
    text: &str,
) -> meeting_migration::Result<meeting_migration::model::ImportSummary> {
    let path = store.file(name);
    std::fs::write(&path, text).unwrap();
    svc.import_file(tenant, &path, &mut |_, _| {}, None)
}

/// ISO time `ms` from now (the system's now: stores made by a test start there).
pub fn iso_in(ms: i64) -> String {
    Timestamp::now().plus_ms(ms).to_iso()
}

pub const DAY: i64 = 24 * 3600 * 1000;
pub const HOUR: i64 = 3600 * 1000;

/// Worker options for tests: tiny pauses.
pub fn fast_options() -> WorkerOptions {
    WorkerOptions {
        poll_interval_ms: 5,
        lease_ms: 5_000,
        batch_size: 7,
        backoff_base_ms: 1,
    }
}

/// Runs the worker in this thread until no request of the store is Pending or InProgress
/// (waiting out back-offs).
pub fn drain(svc: &Service, options: &WorkerOptions) {
    drain_store(&**svc.store(), &**svc.clock(), options)
}

/// [`drain`] through any store (a [`FaultyStore`](faulty::FaultyStore) wrapper, say).
pub fn drain_store(store: &dyn Store, clock: &dyn Clock, options: &WorkerOptions) {
    let stop = StopSignal::default();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(Instant::now() < deadline, "the queue did not drain");
        // A failing store call ends one attempt, as it does in the worker's loop.
        if run_once(store, clock, options, "test-worker", &stop).unwrap_or(true) {
            continue;
        }
        let open = store
            .requests(&Default::default())
            .expect("requests")
            .iter()
            .any(|r| r.state.is_open());
        if !open {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The request's status by correlation id.
pub fn status_of(svc: &Service, s: &MigrationStatus) -> MigrationStatus {
    svc.request_detail(
        Some(&s.tenant_id.to_string()),
        &s.correlation_id.to_string(),
    )
    .expect("detail")
    .status
}

/// The work of one child of the overlapping-starts tests: `users / 2` users starting at its
/// own offset, in batches of its own size, every other child in reverse order, so that each
/// user is wanted by several processes at once. Returns how many requests it created.
pub fn start_overlapping_users(
    svc: &Service,
    index: usize,
    users: usize,
    processes: usize,
) -> usize {
    let mut wanted: Vec<usize> = (0..users / 2)
        .map(|i| (index * users / processes + i) % users + 1)
        .collect();
    if index % 2 == 1 {
        wanted.reverse();
    }
    let mut new = 0;
    for chunk in wanted.chunks(25 + index * 5) {
        let batch: Vec<StartRequest> = chunk
            .iter()
            .map(|n| StartRequest::new(&format!("user{n}@contoso.com")))
            .collect();
        for (n, result) in chunk.iter().zip(svc.start_batch(&batch)) {
            match result {
                Ok(started) => {
                    assert_eq!(
                        started.status.user_principal_name,
                        format!("user{n}@contoso.com")
                    );
                    new += usize::from(!started.existing);
                }
                Err(e) => panic!("user{n}: {} ({:?})", e.message, e.code),
            }
        }
    }
    new
}

/// Runs `processes` copies of this test binary's `child_starter_role` test, each told by
/// the variable `child_env` to start its share of users on the store at `location` (see
/// [`start_overlapping_users`]), and returns how many requests they created together.
pub fn run_overlapping_starters(child_env: &str, location: &str, processes: usize) -> usize {
    let exe = std::env::current_exe().unwrap();
    let children: Vec<std::process::Child> = (0..processes)
        .map(|i| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "child_starter_role",
                    "--nocapture",
                    "--test-threads",
                    "1",
                ])
                .env(child_env, format!("{location}|{i}"))
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut new_total = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "a child failed:\n{stdout}");
        let line = stdout
            .lines()
            .find_map(|l| l.split("CHILD-NEW=").nth(1))
            .unwrap_or_else(|| panic!("no child report in:\n{stdout}"));
        new_total += line.trim().parse::<usize>().unwrap();
    }
    new_total
}
