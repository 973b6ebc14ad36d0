//! The sample stores the benchmarks share: made once (`create_sample_tenant`, no meetings,
//! and one user whose SIP address differs from the UPN) at `target/bench-stores/<size>.db`
//! and reused by later runs while the file has the library's schema version; a store
//! written by other code (another version) is made again, so a run never measures an old
//! layout.

#![allow(dead_code)] // each benchmark uses its own part of this

use std::path::{Path, PathBuf};
use std::time::Instant;

use meeting_migration::directory::sample::SampleOptions;
use meeting_migration::store::sqlite::schema;
use meeting_migration::Service;

pub const USERS: usize = 1_000_000;

/// The sizes of the cost curve: 10k, 100k and 1M users.
pub const CURVE: [usize; 3] = [10_000, 100_000, USERS];

fn store_path(users: usize) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let name = match users {
        n if n % 1_000_000 == 0 => format!("{}m", n / 1_000_000),
        n if n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    };
    target.join("bench-stores").join(format!("{name}.db"))
}

/// Resident memory of this process, in MB.
pub fn rss_mb() -> f64 {
    status_mb("VmRSS:")
}

/// A memory figure of this process from /proc/self/status (`VmRSS:`, `VmHWM:` for the
/// peak), in MB.
pub fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The schema version recorded in the store file at `path` (0 when unreadable), read
/// without upgrading it.
fn file_schema_version(path: &Path) -> usize {
    let read = || -> rusqlite::Result<i64> {
        let c = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        c.query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))
    };
    read().map_or(0, |v| v as usize)
}

/// The 1M-user store.
pub fn ensure_store() -> PathBuf {
    ensure_store_of(USERS)
}

/// The store of `users` sample users, made unless a file of this schema version exists
/// (built under another name, renamed when done).
pub fn ensure_store_of(users: usize) -> PathBuf {
    let path = store_path(users);
    if path.exists() && file_schema_version(&path) == schema::STEPS.len() {
        return path;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    for p in [path.clone(), path.with_extension("partial")] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
        }
    }
    let partial = path.with_extension("partial");
    let t = Instant::now();
    {
        let svc = Service::open(Some(&partial)).unwrap();
        svc.create_sample_tenant(&SampleOptions {
            user_count: users,
            meetings_per_user: 0,
            ..Default::default()
        })
        .unwrap();
        // One user whose SIP address differs from the UPN, for the UPN → SIP fallback.
        let extra = partial.with_extension("extra.json");
        std::fs::write(
            &extra,
            r#"[{"UserPrincipalName": "upn.only@contoso.com", "SipAddress": "sip:fallback@contoso.com"}]"#,
        )
        .unwrap();
        svc.import_file(None, &extra, &mut |_, _| {}, None).unwrap();
        let _ = std::fs::remove_file(extra);
    }
    std::fs::rename(&partial, &path).unwrap();
    println!(
        "made {} ({users} users) in {:.1} s",
        path.display(),
        t.elapsed().as_secs_f64()
    );
    path
}

/// The machine's load averages (1, 5 and 15 minutes): figures vary with it.
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The size of the store file at `path`, in MB.
pub fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(f64::NAN, |m| m.len() as f64 / 1e6)
}
