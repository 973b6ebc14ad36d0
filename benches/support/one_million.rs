//! The 1M-user store the benchmarks share: made once (`create_sample_tenant`, 1,000,000
//! users, no meetings, and one user whose SIP address differs from the UPN) at
//! `target/bench-stores/1m.db` and reused by later runs.

use std::path::PathBuf;
use std::time::Instant;

use meeting_migration::directory::sample::SampleOptions;
use meeting_migration::Service;

pub const USERS: usize = 1_000_000;

fn store_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-stores").join("1m.db")
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

/// Makes the 1M-user store unless it exists (built under another name, renamed when done).
pub fn ensure_store() -> PathBuf {
    let path = store_path();
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let partial = path.with_extension("partial");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let t = Instant::now();
    {
        let svc = Service::open(Some(&partial)).unwrap();
        svc.create_sample_tenant(&SampleOptions {
            user_count: USERS,
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
        "made {} ({USERS} users) in {:.1} s",
        path.display(),
        t.elapsed().as_secs_f64()
    );
    path
}
