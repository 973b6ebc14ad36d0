//! Identity resolution on a 1M-user store, per identity form of src/identity.rs (issue 3
//! targets: UPN / SIP / object id ≤ 2 µs, every form ≤ 10 µs; open < 1 s and < 300 MB at 1M
//! users), and sample users generated per second.
//!
//! The store is made once and shared with the other benchmarks (`support/one_million.rs`).

use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use meeting_migration::directory::sample::SampleOptions;
use meeting_migration::Service;

/// Distinct users each form cycles through, so lookups are not one cached row.
const SPREAD: usize = 4096;

#[path = "support/one_million.rs"]
mod one_million;
use one_million::{ensure_store, file_mb, load, rss_mb, USERS};

struct Forms {
    names: Vec<(&'static str, Vec<String>)>,
}

fn forms(svc: &Service) -> Forms {
    // Users spread over the whole tenant.
    let ns: Vec<usize> = (0..SPREAD).map(|i| 1 + (i * 7919 * 31) % USERS).collect();
    let ids: Vec<String> = ns
        .iter()
        .map(|n| {
            svc.resolve(None, &format!("user{n}@contoso.com"))
                .unwrap()
                .identity
                .to_string()
        })
        .collect();
    let each = |f: fn(usize) -> String| ns.iter().map(|&n| f(n)).collect::<Vec<_>>();
    Forms {
        names: vec![
            ("upn", each(|n| format!("User{n}@Contoso.com"))),
            ("sip", each(|n| format!("SIP:user{n}@contoso.com"))),
            ("object_id", ids.clone()),
            (
                "object_id_braces",
                ids.iter()
                    .map(|i| format!("{{{}}}", i.to_uppercase()))
                    .collect(),
            ),
            (
                "upn_falls_back_to_sip",
                vec!["fallback@contoso.com".to_string()],
            ),
            ("domain_logon", each(|n| format!("CONTOSO\\user{n}"))),
            ("display_name", each(|n| format!("user {n}"))),
            (
                "distinguished_name",
                each(|n| format!("cn=User {n}, ou=Users, dc=contoso, dc=com")),
            ),
        ],
    }
}

fn summary(svc: &Service, forms: &Forms) {
    println!(
        "\nresolution per form on {USERS} users (plain timed loop, 50,000 lookups each; load {}):",
        load()
    );
    for (name, inputs) in &forms.names {
        let n = 50_000;
        let t = Instant::now();
        for i in 0..n {
            black_box(svc.resolve(None, &inputs[i % inputs.len()]).unwrap());
        }
        let per = t.elapsed().as_secs_f64() * 1e6 / n as f64;
        let target = match *name {
            "upn" | "sip" | "object_id" | "object_id_braces" => "target <= 2 µs",
            _ => "target <= 5 µs",
        };
        println!(
            "  {name:<24} {per:>7.2} µs/lookup  ({:>9.0} lookups/s; {target})",
            1e6 / per
        );
    }
    let t = Instant::now();
    for i in 0..20_000 {
        black_box(
            svc.resolve(None, &format!("nobody{i}@contoso.com"))
                .unwrap_err(),
        );
    }
    println!(
        "  {:<24} {:>7.2} µs/lookup  (target <= 5 µs)",
        "not_found",
        t.elapsed().as_secs_f64() * 1e6 / 20_000.0
    );
}

/// What the store's file holds and the floor under a resolution: a bare prepared point
/// query on the same file, through the same driver, index only and with the row.
fn store_and_floor(path: &std::path::Path) {
    println!(
        "store size: {:.0} MB for {USERS} users (target <= 250 MB)",
        file_mb(path)
    );
    let c = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    // dbstat is compiled into most system SQLite libraries; without it only the size shows.
    if let Ok(mut stmt) = c.prepare(
        "SELECT name, sum(pgsize) / 1e6 FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 10",
    ) {
        let parts: Vec<String> = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{} {:.0}",
                    r.get::<_, String>(0)?,
                    r.get::<_, f64>(1)?
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        println!("  largest parts (MB): {}", parts.join(", "));
    }
    let keys: Vec<String> = (0..SPREAD)
        .map(|i| format!("user{}@contoso.com", 1 + (i * 7919 * 31) % USERS))
        .collect();
    for (what, sql) in [
        (
            "index only",
            "SELECT key FROM users WHERE tenant = 1 AND upn_key = ?1",
        ),
        (
            "with the row",
            "SELECT key, profile FROM users WHERE tenant = 1 AND upn_key = ?1",
        ),
    ] {
        let mut stmt = c.prepare(sql).unwrap();
        let mut run = |n: usize| {
            for i in 0..n {
                let found: Option<i64> = stmt.query_row([&keys[i % keys.len()]], |r| r.get(0)).ok();
                assert!(black_box(found).is_some(), "{}", keys[i % keys.len()]);
            }
        };
        run(SPREAD);
        let n = 50_000;
        let t = Instant::now();
        run(n);
        println!(
            "  floor, bare prepared point query ({what}): {:.2} µs",
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
}

fn bench(c: &mut Criterion) {
    let rss_start = rss_mb();
    let path = ensure_store();
    let rss_made = rss_mb();

    // Sample users generated per second (a 100k-user sample into a fresh store).
    {
        let dir = tempfile::tempdir().unwrap();
        let svc = Service::open(Some(&dir.path().join("s.db"))).unwrap();
        let t = Instant::now();
        svc.create_sample_tenant(&SampleOptions {
            user_count: 100_000,
            meetings_per_user: 0,
            ..Default::default()
        })
        .unwrap();
        let secs = t.elapsed().as_secs_f64();
        println!(
            "sample tenant: 100,000 users in {secs:.2} s = {:.0} users/s",
            100_000.0 / secs
        );
    }

    let t = Instant::now();
    let svc = Service::open(Some(&path)).unwrap();
    let open = t.elapsed();
    let t = Instant::now();
    let tenant = svc.tenant(None).unwrap();
    let first = svc.resolve(None, "user500000@contoso.com").unwrap();
    let first_lookup = t.elapsed();
    println!(
        "store open: {:.1} ms (first tenant + lookup {:.1} ms); tenant has {} users; RSS {:.1} MB after open (process {:.1} MB at start, {:.1} MB after making/finding the store)",
        open.as_secs_f64() * 1e3,
        first_lookup.as_secs_f64() * 1e3,
        tenant.user_count,
        rss_mb(),
        rss_start,
        rss_made
    );
    black_box(first);
    store_and_floor(&path);
    let forms = forms(&svc);
    summary(&svc, &forms);
    println!("RSS after resolving every form: {:.1} MB\n", rss_mb());

    let mut group = c.benchmark_group("resolve_1m");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for (name, inputs) in &forms.names {
        let mut i = 0usize;
        group.bench_function(*name, |b| {
            b.iter(|| {
                i = i.wrapping_add(1);
                black_box(svc.resolve(None, &inputs[i % inputs.len()]).unwrap())
            })
        });
    }
    group.finish();
    println!("RSS at the end: {:.1} MB", rss_mb());
}

criterion_group!(benches, bench);
criterion_main!(benches);
