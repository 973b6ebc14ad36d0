//! What only the PostgreSQL store has: its location (libpq's conventions, a password never
//! shown), the schema set up once by racing processes, a newer schema refused, and
//! connections the server drops re-established. Against a real throwaway server.

mod support;

use std::path::Path;
use std::sync::Arc;

use meeting_migration::store::postgres::PostgresStore;
use meeting_migration::store::{Store, StoreReads};
use meeting_migration::ErrorCode;
use support::postgres::{self, Sql, PASSWORD, PASSWORD_ROLE};

fn open(uri: &str) -> meeting_migration::Result<Arc<dyn Store>> {
    meeting_migration::store::open(Path::new(uri))
}

#[test]
fn a_password_never_appears_in_errors_or_locations() {
    let Some(db) = postgres::database() else {
        return;
    };
    let host = format!("127.0.0.1:{}/{}", db.cluster.port, db.name);
    // The right password in the URI: the store opens and names itself without it.
    let good = format!("postgresql://{PASSWORD_ROLE}:{PASSWORD}@{host}");
    let store = open(&good).unwrap();
    let check = store.check().unwrap();
    assert!(check.healthy, "{:?}", check.problems);
    assert_eq!(check.path, format!("postgresql://{PASSWORD_ROLE}@{host}"));
    let refused = store
        .backup(Path::new("/nonexistent/copy"), false)
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidArgument);
    assert!(refused.message.contains("pg_dump"), "{}", refused.message);
    assert!(!refused.message.contains(PASSWORD));

    // A wrong password, in the user information or as a parameter: a clear StoreIo that
    // names the store but not the password.
    for wrong in [
        format!("postgresql://{PASSWORD_ROLE}:Wr0ng-{PASSWORD}@{host}"),
        format!("postgres://{host}?user={PASSWORD_ROLE}&password=Wr0ng-{PASSWORD}"),
    ] {
        let e = match open(&wrong) {
            Err(e) => e,
            Ok(_) => panic!("a wrong password was accepted"),
        };
        assert_eq!(e.code, ErrorCode::StoreIo, "{}", e.message);
        let text = format!("{} {:?} {:?}", e.message, e.target, e.hint);
        assert!(!text.contains(PASSWORD), "the password leaked: {text}");
        assert!(text.contains("password authentication failed"), "{text}");
        assert!(text.contains(&host), "{text}");
    }
}

#[test]
fn an_unreachable_server_is_a_clear_store_io_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let uri = format!("postgresql://someone:Secr3t-x@127.0.0.1:{port}/mms");
    let started = std::time::Instant::now();
    let e = match open(&uri) {
        Err(e) => e,
        Ok(_) => panic!("nothing listens there"),
    };
    assert_eq!(e.code, ErrorCode::StoreIo);
    assert!(
        e.message
            .contains(&format!("postgresql://someone@127.0.0.1:{port}/mms"))
            && e.message.contains("cannot be reached"),
        "{}",
        e.message
    );
    assert!(!e.message.contains("Secr3t-x"));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn processes_opening_an_empty_database_at_once_create_the_schema_once() {
    let Some(db) = postgres::database() else {
        return;
    };
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let uri = db.uri.clone();
            std::thread::spawn(move || PostgresStore::open(&uri).map(|s| s.schema_version()))
        })
        .collect();
    for t in threads {
        let version = t.join().unwrap().unwrap().unwrap();
        assert_eq!(version, postgres_steps());
    }
    let sql = Sql::connect(&db.uri);
    assert_eq!(
        sql.number("SELECT count(*) FROM schema_version"),
        postgres_steps() as i64
    );
}

fn postgres_steps() -> usize {
    meeting_migration::store::postgres::schema::STEPS.len()
}

#[test]
fn an_old_schema_is_upgraded_and_a_newer_one_refused() {
    let Some(db) = postgres::database() else {
        return;
    };
    let old = PostgresStore::open_at_version(&db.uri, 1).unwrap();
    assert_eq!(old.schema_version().unwrap(), 1);
    drop(old);
    let store = PostgresStore::open(&db.uri).unwrap();
    assert_eq!(store.schema_version().unwrap(), postgres_steps());
    drop(store);
    Sql::connect(&db.uri).execute("INSERT INTO schema_version VALUES (99, 0)");
    let e = match PostgresStore::open(&db.uri) {
        Err(e) => e,
        Ok(_) => panic!("a newer schema was accepted"),
    };
    assert_eq!(e.code, ErrorCode::StoreTooNew, "{}", e.message);
}

#[test]
fn a_step_3_database_is_upgraded_and_its_requests_read_as_started_by_an_admin() {
    let Some(db) = postgres::database() else {
        return;
    };
    drop(PostgresStore::open_at_version(&db.uri, 3).unwrap());
    // What the code of step 3 wrote: a tenant, a user and a request, without the columns of
    // step 4.
    let sql = Sql::connect(&db.uri);
    sql.execute(
        "INSERT INTO tenants(tenant_id, name, is_default, user_count)
             VALUES ('38aad667-af54-4397-aaa7-e94c79ec2308', 'Contoso', true, 1);
         INSERT INTO users(tenant, object_id, upn, upn_key, display_name, display_key, mode)
             VALUES (1, '00000000-0000-4000-8000-000000000001', 'a@contoso.com', 'a@contoso.com', 'A', 'a', 'Islands');
         INSERT INTO requests(correlation_id, tenant, user_key, user_id, upn, source_type, target_type,
                              migration_type, state, create_date, modified_date, not_before)
             VALUES ('00000000-0000-4000-8000-000000000002', 1, 1, '00000000-0000-4000-8000-000000000001',
                     'a@contoso.com', 'All', 'Current', 'ToSameType', 'Pending', 1, 1, 1);",
    );
    let store = PostgresStore::open(&db.uri).unwrap();
    assert_eq!(store.schema_version().unwrap(), postgres_steps());
    let requests = store.requests(&Default::default()).unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].triggered_by,
        meeting_migration::model::TriggeredBy::Admin
    );
    let tenant = store.default_tenant().unwrap().unwrap();
    assert_eq!(
        (tenant.time_scale, tenant.fault_injection.enabled()),
        (1, false)
    );
}

#[test]
fn a_step_4_database_is_upgraded_and_ranges_over_its_users_display_names() {
    let Some(db) = postgres::database() else {
        return;
    };
    drop(PostgresStore::open_at_version(&db.uri, 4).unwrap());
    // What the code of step 4 wrote: users whose display names share a prefix, one twice.
    let sql = Sql::connect(&db.uri);
    sql.execute(
        "INSERT INTO tenants(tenant_id, name, is_default, user_count)
             VALUES ('38aad667-af54-4397-aaa7-e94c79ec2308', 'Contoso', true, 3);
         INSERT INTO users(tenant, object_id, upn, upn_key, sip, sip_key, display_name, display_key, mode)
             VALUES (1, '00000000-0000-4000-8000-000000000001', 'b@contoso.com', 'b@contoso.com',
                     'sip:b@contoso.com', 'sip:b@contoso.com', 'Ann B', 'ann b', 'Islands'),
                    (1, '00000000-0000-4000-8000-000000000002', 'a@contoso.com', 'a@contoso.com',
                     'sip:a@contoso.com', 'sip:a@contoso.com', 'Ann', 'ann', 'Islands'),
                    (1, '00000000-0000-4000-8000-000000000003', 'c@contoso.com', 'c@contoso.com',
                     NULL, NULL, 'Ann', 'ann', 'Islands');",
    );
    let store = PostgresStore::open(&db.uri).unwrap();
    assert_eq!(store.schema_version().unwrap(), postgres_steps());
    let tenant = store.default_tenant().unwrap().unwrap();
    let upns = |users: Vec<meeting_migration::model::User>| -> Vec<String> {
        users.into_iter().map(|u| u.user_principal_name).collect()
    };
    let display = |after: Option<i64>| {
        store
            .users_by_prefix(
                &tenant,
                meeting_migration::store::UserIndex::DisplayName,
                "ann",
                after,
                2,
            )
            .unwrap()
            .expect("a range over the display name")
    };
    let first = display(None);
    let after = first.last().map(|u| u.key);
    assert_eq!(upns(first), ["a@contoso.com", "c@contoso.com"]);
    assert_eq!(upns(display(after)), ["b@contoso.com"]);
    let sips = store
        .users_by_prefix(
            &tenant,
            meeting_migration::store::UserIndex::Sip,
            "sip:",
            None,
            10,
        )
        .unwrap()
        .expect("a range over the SIP address");
    assert_eq!(upns(sips), ["a@contoso.com", "b@contoso.com"]);
}

#[test]
fn connections_the_server_drops_are_opened_again() {
    let Some(db) = postgres::database() else {
        return;
    };
    let store = open(&db.uri).unwrap();
    let tenant = store
        .create_tenant(
            &meeting_migration::model::NewTenant {
                tenant_id: None,
                name: "Contoso".into(),
                domains: vec![],
                default: true,
            },
            uuid::Uuid::new_v4(),
        )
        .unwrap();
    for _ in 0..3 {
        // Every session of the store ended by the server (as an administrator or a failover
        // would): the next read and the next write go through on new connections.
        Sql::connect(&format!("{}/postgres", db.cluster.base))
            .execute(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}' AND pid <> pg_backend_pid()",
                db.name
            ));
        assert_eq!(store.tenants().unwrap().len(), 1);
        store.set_default_tenant(tenant.key).unwrap();
    }
    assert_eq!(store.default_tenant().unwrap().unwrap().key, tenant.key);
}

#[test]
fn the_location_is_completed_from_libpq_variables_in_a_child_process() {
    // The variables are read by a child process (this binary, re-run) so that setting them
    // never races with the other tests of this process.
    if let Ok(expected) = std::env::var("MMS_PG_CHILD") {
        let store = open("postgresql://").unwrap();
        assert_eq!(store.check().unwrap().path, expected);
        println!("CHILD-OK");
        return;
    }
    let Some(db) = postgres::database() else {
        return;
    };
    let exe = std::env::current_exe().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pgpass = dir.path().join("pgpass");
    std::fs::write(
        &pgpass,
        format!("127.0.0.1:*:*:{PASSWORD_ROLE}:{PASSWORD}\n"),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = std::process::Command::new(exe)
        .args([
            "--exact",
            "the_location_is_completed_from_libpq_variables_in_a_child_process",
            "--nocapture",
        ])
        .env(
            "MMS_PG_CHILD",
            format!(
                "postgresql://{PASSWORD_ROLE}@127.0.0.1:{}/{}",
                db.cluster.port, db.name
            ),
        )
        .env("PGHOST", "127.0.0.1")
        .env("PGPORT", db.cluster.port.to_string())
        .env("PGUSER", PASSWORD_ROLE)
        .env("PGDATABASE", &db.name)
        .env("PGPASSFILE", &pgpass)
        .env_remove("PGPASSWORD")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("CHILD-OK"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn reads_see_a_store_written_by_another_connection() {
    let Some(db) = postgres::database() else {
        return;
    };
    let a = open(&db.uri).unwrap();
    let b = open(&db.uri).unwrap();
    a.create_tenant(
        &meeting_migration::model::NewTenant {
            tenant_id: None,
            name: "Shared".into(),
            domains: vec![],
            default: true,
        },
        uuid::Uuid::new_v4(),
    )
    .unwrap();
    assert_eq!(b.reads().tenants().unwrap()[0].name, "Shared");
}
