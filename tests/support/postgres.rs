//! Throwaway PostgreSQL clusters for the tests: `initdb` into a temp folder (run as the
//! `postgres` user when the tests run as root, as PostgreSQL refuses root), a free
//! loopback port, and `pg_ctl stop` when done, also when a test fails.
//!
//! One cluster per test binary is shared by its tests, each test in a database of its own;
//! a test that restarts its server starts a cluster of its own. With `MMS_TEST_POSTGRES` set
//! to a superuser's `postgresql://user@host:port` (`build.ps1 Test` sets it to the cluster it
//! starts), the tests use that server instead of starting one per binary; its `pg_hba.conf`
//! must ask [`PASSWORD_ROLE`] for a password on loopback, as [`HBA`] does. Without that
//! variable and without PostgreSQL binaries the PostgreSQL tests print a loud SKIPPED line
//! and return, so a plain `cargo test` passes on a machine without PostgreSQL; with
//! `MMS_REQUIRE_POSTGRES=1` (CI) they fail instead.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The role with a password that tests of the login use.
pub const PASSWORD_ROLE: &str = "mms_pw";
pub const PASSWORD: &str = "Pw-5ecret-never-shown";

/// Trust on loopback for the tests' superuser, a password for the login tests.
pub const HBA: &str = "local all all trust\nhost all mms_pw 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n";

/// The variable naming a running server for the tests to use (see the module comment).
pub const SERVER_VARIABLE: &str = "MMS_TEST_POSTGRES";

/// A running cluster.
pub struct Cluster {
    /// `postgresql://postgres@127.0.0.1:port`: append `/database`.
    pub base: String,
    pub port: u16,
    /// Set for a cluster this process started: its folder and binaries.
    own: Option<Own>,
}

struct Own {
    _dir: tempfile::TempDir,
    data: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
}

/// The folder of PostgreSQL's server binaries (15 preferred), if installed.
pub fn binaries() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = vec![PathBuf::from("/usr/lib/postgresql/15/bin")];
    if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut others: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("bin")).collect();
        others.sort();
        others.reverse();
        candidates.extend(others);
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path));
    }
    candidates.into_iter().find(|d| {
        d.join("initdb").is_file() && d.join("pg_ctl").is_file() && d.join("postgres").is_file()
    })
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Runs a PostgreSQL binary, as the `postgres` user when `as_postgres`.
fn run(bin: &Path, tool: &str, args: &[&str], as_postgres: bool) -> std::process::Output {
    let program = bin.join(tool);
    let mut command = if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&program);
        c
    } else {
        Command::new(&program)
    };
    command.args(args).current_dir("/");
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()))
}

impl Cluster {
    /// Starts a new cluster of this process's own; `None` without PostgreSQL binaries.
    pub fn start() -> Option<Cluster> {
        let bin = binaries()?;
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("mms-pg-")
            .tempdir()
            .expect("temp dir");
        let data = dir.path().join("data");
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .expect("chown");
            assert!(
                status.success(),
                "cannot give {} to the postgres user",
                dir.path().display()
            );
        }
        let data_str = data.to_str().unwrap().to_string();
        let out = run(
            &bin,
            "initdb",
            &[
                "-D",
                &data_str,
                "-U",
                "postgres",
                "--auth=trust",
                "--locale=C.UTF-8",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            as_postgres,
        );
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::write(data.join("pg_hba.conf"), HBA).expect("pg_hba.conf");
        let port = free_port();
        let cluster = Cluster {
            base: format!("postgresql://postgres@127.0.0.1:{port}"),
            port,
            own: Some(Own {
                _dir: dir,
                data,
                bin,
                as_postgres,
            }),
        };
        cluster.pg_ctl_start();
        cluster.create_password_role();
        Some(cluster)
    }

    /// The server at `base` (a superuser's `postgresql://user@host:port`), started by
    /// someone else and left running.
    pub fn external(base: &str) -> Cluster {
        let base = base.trim_end_matches('/').to_string();
        let port = base
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{SERVER_VARIABLE}={base} does not end in :port"));
        let cluster = Cluster {
            base,
            port,
            own: None,
        };
        cluster.create_password_role();
        cluster
    }

    /// The role of the login tests; a server shared by several test binaries has it already.
    fn create_password_role(&self) {
        self.admin(&format!(
            "DO $$ BEGIN
                 IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PASSWORD_ROLE}') THEN
                     CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD '{PASSWORD}';
                 END IF;
             END $$"
        ));
    }

    fn own(&self) -> &Own {
        self.own.as_ref().expect("a cluster of this process")
    }

    fn pg_ctl_start(&self) {
        self.pg_ctl_with_server_options(&["start"]);
    }

    /// `pg_ctl restart` (fast shutdown: sessions are ended).
    pub fn restart(&self) {
        self.pg_ctl_with_server_options(&["-m", "fast", "restart"]);
    }

    /// `pg_ctl <action>` for an action that starts the server: with this cluster's server
    /// options, its output in the log (a server holding our pipe would keep `output()`
    /// waiting for ever), waiting up to 60 s for it to accept connections.
    fn pg_ctl_with_server_options(&self, action: &[&str]) {
        let own = self.own();
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c max_connections=200 -c shared_buffers=64MB",
            self.port,
            own.data.display()
        );
        let log = own.data.join("server.log");
        let mut arguments = vec![
            "-D",
            own.data.to_str().unwrap(),
            "-l",
            log.to_str().unwrap(),
            "-o",
            &options,
            "-w",
            "-t",
            "60",
        ];
        arguments.extend_from_slice(action);
        let out = run(&own.bin, "pg_ctl", &arguments, own.as_postgres);
        assert!(
            out.status.success(),
            "pg_ctl {} failed: {}{}{}",
            action.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    /// `pg_ctl stop -m fast`: sessions are ended, the server is down until [`start_again`].
    pub fn stop_fast(&self) {
        let own = self.own();
        let out = run(
            &own.bin,
            "pg_ctl",
            &["-D", own.data.to_str().unwrap(), "-m", "fast", "-w", "stop"],
            own.as_postgres,
        );
        assert!(
            out.status.success(),
            "pg_ctl stop failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn start_again(&self) {
        self.pg_ctl_start();
    }

    /// `pg_ctl stop` (immediate: nothing of a throwaway cluster needs to be kept).
    pub fn stop(&self) {
        if let Some(own) = &self.own {
            let _ = run(
                &own.bin,
                "pg_ctl",
                &[
                    "-D",
                    own.data.to_str().unwrap(),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                own.as_postgres,
            );
        }
    }

    /// Runs SQL as the superuser in the `postgres` database.
    pub fn admin(&self, sql: &str) {
        self.admin_in("postgres", sql)
    }

    pub fn admin_in(&self, database: &str, sql: &str) {
        let uri = format!("{}/{database}", self.base);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let deadline = Instant::now() + Duration::from_secs(30);
        runtime.block_on(async {
            let (client, connection) = loop {
                match tokio_postgres::connect(&uri, tokio_postgres::NoTls).await {
                    Ok(c) => break c,
                    Err(e) if Instant::now() < deadline => {
                        let _ = e;
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    Err(e) => panic!("cannot connect to {uri}: {e}"),
                }
            };
            let task = tokio::spawn(connection);
            client
                .batch_execute(sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            drop(client);
            let _ = task.await;
        });
    }

    /// A new, empty database of its own; dropped with the returned value.
    pub fn database(&'static self) -> TestDb {
        let name = format!("mms_{}", uuid::Uuid::new_v4().simple());
        self.admin(&format!("CREATE DATABASE {name}"));
        self.admin(&format!("GRANT ALL ON DATABASE {name} TO {PASSWORD_ROLE}"));
        TestDb {
            uri: format!("{}/{name}", self.base),
            name,
            cluster: self,
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A database of the shared cluster, dropped when this is.
pub struct TestDb {
    /// `postgresql://postgres@127.0.0.1:port/name`.
    pub uri: String,
    pub name: String,
    pub cluster: &'static Cluster,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.cluster.admin(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The shared cluster once looked for: `Some(None)` when there is no PostgreSQL here.
static SHARED: Mutex<Option<Option<&'static Cluster>>> = Mutex::new(None);

extern "C" fn stop_shared() {
    let shared = *SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(Some(cluster)) = shared {
        cluster.stop();
        // A leaked cluster is never dropped: its folder goes here.
        if let Some(own) = &cluster.own {
            let _ = std::fs::remove_dir_all(own._dir.path());
        }
    }
}

/// The cluster this test binary's PostgreSQL tests share: the server `MMS_TEST_POSTGRES`
/// names, else one started on first use and stopped when the process exits. `None` (after a
/// loud line on stderr) when there is no PostgreSQL here; a failure instead with
/// `MMS_REQUIRE_POSTGRES=1`.
pub fn shared() -> Option<&'static Cluster> {
    let mut shared = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    let cluster = *shared.get_or_insert_with(|| {
        if let Some(base) = std::env::var(SERVER_VARIABLE)
            .ok()
            .filter(|b| !b.is_empty())
        {
            return Some(&*Box::leak(Box::new(Cluster::external(&base))));
        }
        let cluster: &'static Cluster = Box::leak(Box::new(Cluster::start()?));
        // SAFETY: registering a plain extern "C" function; it runs once at exit.
        unsafe { libc::atexit(stop_shared) };
        Some(cluster)
    });
    drop(shared);
    if cluster.is_none() {
        missing();
    }
    cluster
}

/// Says loudly that PostgreSQL tests are not run here, or fails when they must run.
pub fn missing() {
    let required = std::env::var("MMS_REQUIRE_POSTGRES").map_or(false, |v| v == "1");
    assert!(
        !required,
        "MMS_REQUIRE_POSTGRES=1 but no PostgreSQL server binaries (initdb, pg_ctl, postgres) were found; install postgresql-15"
    );
    eprintln!(
        "\n*** SKIPPED: PostgreSQL tests did not run: no PostgreSQL server binaries found (install postgresql-15). ***\n"
    );
}

/// A fresh database on the shared cluster, or `None` (said loudly) without PostgreSQL.
pub fn database() -> Option<TestDb> {
    shared().map(|c| c.database())
}

/// A plain connection for checks the API does not expose, in the store's schema.
pub struct Sql {
    runtime: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
}

impl Sql {
    pub fn connect(uri: &str) -> Sql {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let client = runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(uri, tokio_postgres::NoTls)
                .await
                .unwrap_or_else(|e| panic!("cannot connect to {uri}: {e}"));
            tokio::spawn(connection);
            client
                .batch_execute("SET search_path TO meeting_migration")
                .await
                .unwrap();
            client
        });
        Sql { runtime, client }
    }

    pub fn rows(&self, sql: &str) -> Vec<tokio_postgres::Row> {
        self.runtime
            .block_on(self.client.query(sql, &[]))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The first column of the first row, as a number.
    pub fn number(&self, sql: &str) -> i64 {
        self.rows(sql)[0].get(0)
    }

    pub fn execute(&self, sql: &str) {
        self.runtime
            .block_on(self.client.batch_execute(sql))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}
