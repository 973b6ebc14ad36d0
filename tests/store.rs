//! The embedded SQLite store: permissions, schema versions and upgrades, files that are not
//! stores, and two processes writing at once (what it refuses to open: `store_file.rs`).

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use meeting_migration::migration::request::StartRequest;
use meeting_migration::migration::status::StatusQuery;
use meeting_migration::model::TriggeredBy;
use meeting_migration::store::sqlite::{schema, SqliteStore};
use meeting_migration::{ErrorCode, Service};
use support::*;

#[test]
fn a_new_store_file_and_its_folders_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let store = TestStore::new();
    let nested = store.dir.path().join("a/b/mms.db");
    let svc = Service::open(Some(&nested)).unwrap();
    svc.create_sample_tenant(&Default::default()).unwrap();
    let mode = std::fs::metadata(&nested).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    for folder in ["a", "a/b"] {
        let mode = std::fs::metadata(store.dir.path().join(folder))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700, "{folder}: mode {mode:o}");
    }
    let wal = nested.with_file_name("mms.db-wal");
    if wal.exists() {
        let mode = std::fs::metadata(&wal).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "WAL mode {mode:o}");
    }
}

#[test]
fn the_schema_version_table_records_every_step() {
    let store = TestStore::new();
    let s = SqliteStore::open(&store.path).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::STEPS.len());
    drop(s);
    let versions: Vec<i64> = store
        .sql()
        .prepare("SELECT version FROM schema_version ORDER BY version")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        versions,
        (1..=schema::STEPS.len() as i64).collect::<Vec<_>>()
    );
    let app_id: i32 = store
        .sql()
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, schema::APPLICATION_ID);
    let journal: String = store
        .sql()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    // Reopening applies nothing twice.
    let s = SqliteStore::open(&store.path).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::STEPS.len());
}

/// Turns a current store back into what version `version` wrote: the same rows, without
/// the tables and columns later steps added (the code of a version writes only its own
/// columns, so the current code cannot write an old store itself).
fn downgrade(store: &TestStore, version: usize) {
    let conn = store.sql();
    let later: &[(usize, &str)] = &[
        (5, "DROP INDEX tenant_domains_in_order"),
        (4, "ALTER TABLE requests DROP COLUMN triggered_by; ALTER TABLE tenants DROP COLUMN time_scale;
             ALTER TABLE tenants DROP COLUMN fault_transient_rate; ALTER TABLE tenants DROP COLUMN fault_permanent_rate;
             ALTER TABLE tenants DROP COLUMN fault_seed"),
        (3, "ALTER TABLE users DROP COLUMN profile; ALTER TABLE tenants DROP COLUMN dial_in_options"),
        (2, "DROP TABLE outcomes; DROP TABLE requests; ALTER TABLE meetings DROP COLUMN rewrite_count"),
    ];
    for (step, sql) in later {
        if *step > version {
            conn.execute_batch(sql).unwrap();
        }
    }
    conn.execute(
        "DELETE FROM schema_version WHERE version > ?1",
        [version as i64],
    )
    .unwrap();
    assert_eq!(
        schema::STEPS.len(),
        5,
        "a new step needs its line in downgrade()"
    );
}

fn old_sample_store(version: usize) -> TestStore {
    let store = TestStore::new();
    {
        let svc = store.open();
        svc.create_sample_tenant(&meeting_migration::directory::sample::SampleOptions {
            user_count: 20,
            meetings_per_user: 2,
            ..Default::default()
        })
        .unwrap();
    }
    downgrade(&store, version);
    let old = SqliteStore::open_at_version(&store.path, version).unwrap();
    assert_eq!(old.schema_version().unwrap(), version);
    store
}

#[test]
fn a_version_2_store_is_upgraded_and_its_users_read_as_enabled_users() {
    let store = old_sample_store(2);
    let svc = store.open();
    let upgraded = SqliteStore::open(&store.path).unwrap();
    assert_eq!(upgraded.schema_version().unwrap(), schema::STEPS.len());
    drop(upgraded);
    let ken = svc.resolve(None, "LITWAREINC\\kenmyer").unwrap();
    assert_eq!(ken.display_name, "Ken Myer");
    // The properties step 3 added read as their defaults on the old rows.
    assert_eq!(ken.profile.account_type, "User");
    assert!(ken.profile.account_enabled);
    assert_eq!(ken.profile.policies.get("TeamsUpgradePolicy"), None);
    assert!(ken.profile.feature_types.is_empty());
    // Filters on the new properties work on them.
    let page = svc
        .list_users(&meeting_migration::directory::UserQuery {
            filter: Some("TeamsUpgradePolicy -eq $null -and AccountType -eq 'User'".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.users.len(), 22);
    // And new users are written with them next to the old ones.
    svc.create_sample_tenant(&meeting_migration::directory::sample::SampleOptions {
        tenant_id: Some(uuid::Uuid::from_u128(7)),
        user_count: 3,
        meetings_per_user: 1,
        ..Default::default()
    })
    .unwrap();
    let ken = svc
        .resolve(
            Some(&uuid::Uuid::from_u128(7).to_string()),
            "kenmyer@litwareinc.com",
        )
        .unwrap();
    assert_eq!(
        ken.profile.policies.get("ArchivingPolicy").as_deref(),
        Some("RedmondArchiving")
    );
}

#[test]
fn a_version_4_store_is_upgraded_and_reads_its_tenants_domains_in_order_from_the_index() {
    let store = old_sample_store(4);
    let before = store.open().tenant(None).unwrap();
    let svc = store.open();
    let upgraded = SqliteStore::open(&store.path).unwrap();
    assert_eq!(upgraded.schema_version().unwrap(), schema::STEPS.len());
    drop(upgraded);
    // The same tenant, its domains in the order they were added, read without a sort.
    let after = svc.tenant(None).unwrap();
    assert_eq!(after.domains, before.domains);
    let names: Vec<&str> = after.domains.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["contoso.com", "litwareinc.com"]);
    let plan: Vec<String> = store
        .sql()
        .prepare(
            "EXPLAIN QUERY PLAN SELECT name FROM tenant_domains WHERE tenant = 1 ORDER BY rowid",
        )
        .unwrap()
        .query_map([], |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        plan.iter().any(|p| p.contains("tenant_domains_in_order"))
            && !plan.iter().any(|p| p.contains("TEMP B-TREE")),
        "{plan:?}"
    );
    // And the old users resolve, by every index.
    let ken = svc.resolve(None, "LITWAREINC\\kenmyer").unwrap();
    assert_eq!(ken.user_principal_name, "kenmyer@litwareinc.com");
    assert_eq!(svc.resolve(None, "Ken Myer").unwrap().key, ken.key);
}

#[test]
fn a_version_3_store_is_upgraded_and_its_requests_read_as_started_by_an_admin() {
    let store = TestStore::new();
    let queued = {
        let svc = store.open();
        svc.create_sample_tenant(&meeting_migration::directory::sample::SampleOptions {
            user_count: 5,
            meetings_per_user: 2,
            ..Default::default()
        })
        .unwrap();
        svc.start(&StartRequest::new("John@contoso.com")).unwrap()
    };
    downgrade(&store, 3);
    drop(SqliteStore::open_at_version(&store.path, 3).unwrap());

    let svc = store.open();
    let upgraded = SqliteStore::open(&store.path).unwrap();
    assert_eq!(upgraded.schema_version().unwrap(), schema::STEPS.len());
    drop(upgraded);
    // The request step 3 wrote reads as started by an admin, and filters as one.
    let old = status_of(&svc, &queued.status);
    assert_eq!(old.triggered_by, TriggeredBy::Admin);
    let query = |t: TriggeredBy| StatusQuery {
        triggered_by: Some(t),
        ..Default::default()
    };
    assert_eq!(svc.status(&query(TriggeredBy::Admin)).unwrap(), [old]);
    assert!(svc
        .status(&query(TriggeredBy::UserMove))
        .unwrap()
        .is_empty());
    // The tenant runs in real time with no fault injected.
    let c = svc.migration_configuration(None).unwrap();
    assert_eq!((c.time_scale, c.fault_injection.enabled()), (1, false));
    // And the queue works on: the old request finishes.
    drain(&svc, &fast_options());
    assert_eq!(
        status_of(&svc, &queued.status).state,
        meeting_migration::model::RequestState::Succeeded
    );
}

#[test]
fn a_version_1_store_is_upgraded_and_works() {
    let store = old_sample_store(1);
    let has_requests: i64 = store
        .sql()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'requests'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(has_requests, 0, "version 1 has no queue");

    let svc = store.open();
    let upgraded = SqliteStore::open(&store.path).unwrap();
    assert_eq!(upgraded.schema_version().unwrap(), schema::STEPS.len());
    drop(upgraded);
    // The old data is there and the new parts work on it.
    assert_eq!(svc.tenant(None).unwrap().user_count, 22);
    assert_eq!(
        svc.resolve(None, "LITWAREINC\\kenmyer")
            .unwrap()
            .display_name,
        "Ken Myer"
    );
    let started = svc
        .start(&StartRequest::new("kenmyer@litwareinc.com"))
        .unwrap();
    drain(&svc, &fast_options());
    let done = status_of(&svc, &started.status);
    assert_eq!(done.state.as_str(), "Succeeded");
    assert!(done.succeeded_meeting > 0);
    let rewritten: i64 = store
        .sql()
        .query_row(
            "SELECT count(*) FROM meetings WHERE rewrite_count = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rewritten, done.succeeded_meeting);
}

#[test]
fn a_file_that_is_not_sqlite_is_store_corrupt() {
    let store = TestStore::new();
    std::fs::write(
        &store.path,
        "this is a text file, not a database\n".repeat(200),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&store.path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let e = Service::open(Some(&store.path)).err().expect("must fail");
    assert_eq!(e.code, ErrorCode::StoreCorrupt, "{}", e.message);
    assert!(
        e.message.contains("not a MeetingMigration store"),
        "{}",
        e.message
    );
}

#[test]
fn a_store_from_a_newer_library_is_refused() {
    let store = TestStore::new();
    drop(SqliteStore::open(&store.path).unwrap());
    store
        .sql()
        .execute(
            "INSERT INTO schema_version(version, applied_at) VALUES (?1, 0)",
            [schema::STEPS.len() as i64 + 1],
        )
        .unwrap();
    let e = Service::open(Some(&store.path)).err().expect("must fail");
    assert_eq!(e.code, ErrorCode::StoreTooNew);
}

const CHILD_ENV: &str = "MMS_STORE_TEST_CHILD";
const WRITER_USERS: usize = 150;

/// Child role: run by `two_processes_write_one_store_at_once` in another process (this
/// test binary re-executed); a no-op in a normal test run.
#[test]
fn child_writer_role() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (path, name) = spec.split_once('|').unwrap();
    let svc = Service::open(Some(std::path::Path::new(path))).unwrap();
    write_burst(&svc, name, std::path::Path::new(path).parent().unwrap());
}

/// Many small transactions: users imported one file at a time, then started.
fn write_burst(svc: &Service, name: &str, dir: &std::path::Path) {
    for chunk in 0..(WRITER_USERS / 10) {
        let users: Vec<String> = (0..10)
            .map(|i| {
                format!(
                    r#"{{"UserPrincipalName": "{name}-{}@contoso.com"}}"#,
                    chunk * 10 + i
                )
            })
            .collect();
        let file = dir.join(format!("{name}-{chunk}.json"));
        std::fs::write(&file, format!("[{}]", users.join(","))).unwrap();
        svc.import_file(None, &file, &mut |_, _| {}, None).unwrap();
        for i in 0..10 {
            svc.start(&StartRequest::new(&format!(
                "{name}-{}@contoso.com",
                chunk * 10 + i
            )))
            .unwrap();
        }
        svc.set_dial_in_settings(None, &Default::default()).unwrap();
    }
}

#[test]
fn two_processes_write_one_store_at_once() {
    let store = TestStore::new();
    let svc = store.open();
    svc.create_sample_tenant(&meeting_migration::directory::sample::SampleOptions {
        user_count: 0,
        ..Default::default()
    })
    .unwrap();
    let exe = std::env::current_exe().unwrap();
    let child = Command::new(exe)
        .args([
            "--exact",
            "child_writer_role",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(CHILD_ENV, format!("{}|child", store.path.display()))
        // Piped: the child's own test summary must not read as one of this suite's.
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // This process writes at the same time, with its worker running too.
    svc.start_worker(fast_options()).unwrap();
    write_burst(&svc, "parent", store.dir.path());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the child process failed:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let users = svc.tenant(None).unwrap().user_count;
    assert_eq!(users as usize, 2 + 2 * WRITER_USERS);
    for name in ["parent", "child"] {
        for i in [0, WRITER_USERS - 1] {
            svc.resolve(None, &format!("{name}-{i}@contoso.com"))
                .unwrap();
        }
    }
    let requests: i64 = store
        .sql()
        .query_row("SELECT count(*) FROM requests", [], |r| r.get(0))
        .unwrap();
    assert_eq!(requests as usize, 2 * WRITER_USERS);
    // The in-process worker finishes them all.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let open: i64 = store
            .sql()
            .query_row(
                "SELECT count(*) FROM requests WHERE state IN ('Pending', 'InProgress')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if open == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{open} requests still open"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    svc.stop_worker();
}

#[test]
fn a_locked_store_is_a_clear_store_busy_error_that_changes_nothing() {
    let store = TestStore::new();
    drop(store.open()); // create it
    let svc = Service::with_store(Arc::new(
        SqliteStore::open_with_busy_timeout(&store.path, Duration::from_millis(200)).unwrap(),
    ));
    let holder = store.sql();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let tenant = meeting_migration::model::NewTenant {
        name: "Contoso".into(),
        ..Default::default()
    };
    let e = svc.create_tenant(&tenant).unwrap_err();
    assert_eq!(e.code, ErrorCode::StoreBusy, "{}", e.message);
    assert!(
        e.message.contains("locked by another process")
            && e.message.contains("nothing was changed"),
        "{}",
        e.message
    );
    holder.execute_batch("ROLLBACK").unwrap();
    assert!(
        svc.tenants().unwrap().is_empty(),
        "the refused write left nothing"
    );
    svc.create_tenant(&tenant).unwrap();
    assert_eq!(svc.tenants().unwrap().len(), 1);
}
