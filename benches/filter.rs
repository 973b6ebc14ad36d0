//! `Get-CsOnlineUser -Filter` on the 1M-user store (issue 12): an indexed equality against
//! the same lookup through `-Identity` (target: at most 2×), a `-like 'prefix*'` on an index
//! against the same selection read by a full scan, and a full scan's cost per user with the
//! memory it holds (target: flat, whatever the tenant's size). Every figure comes from one
//! run and the ratios are printed at the end.

use std::hint::black_box;
use std::time::Instant;

use meeting_migration::directory::UserQuery;
use meeting_migration::Service;

#[path = "support/one_million.rs"]
mod one_million;
use one_million::{ensure_store, rss_mb, status_mb, USERS};

/// The page size the cmdlet asks for.
const PAGE: usize = 1000;

/// Every user a filter selects, page by page as the cmdlet reads them: how many.
fn count(svc: &Service, filter: &str) -> usize {
    let mut query = UserQuery {
        filter: Some(filter.to_string()),
        limit: Some(PAGE),
        ..Default::default()
    };
    let mut n = 0;
    loop {
        let page = svc.list_users(&query).unwrap();
        n += page.users.len();
        match page.next {
            Some(next) => query.after = Some(next),
            None => return n,
        }
    }
}

/// Microseconds per call of `f` over `n` calls.
fn per_call(n: usize, mut f: impl FnMut(usize)) -> f64 {
    let t = Instant::now();
    for i in 0..n {
        f(i);
    }
    t.elapsed().as_secs_f64() * 1e6 / n as f64
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that names another bench skips this one.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"filter".contains(a.as_str()))
    {
        return;
    }
    let path = ensure_store();
    let svc = Service::open(Some(&path)).unwrap();
    let users = svc.tenant(None).unwrap().user_count;
    println!(
        "Get-CsOnlineUser -Filter on {users} users ({})",
        path.display()
    );
    let spread: Vec<usize> = (0..4096).map(|i| 1 + (i * 7919 * 31) % USERS).collect();
    let n = 20_000;

    let identity = per_call(n, |i| {
        black_box(
            svc.resolve(
                None,
                &format!("user{}@contoso.com", spread[i % spread.len()]),
            )
            .unwrap(),
        );
    });
    let equality = per_call(n, |i| {
        let page = svc
            .list_users(&UserQuery {
                filter: Some(format!(
                    "UserPrincipalName -eq 'user{}@contoso.com'",
                    spread[i % spread.len()]
                )),
                limit: Some(PAGE),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(page.users.len(), 1);
    });
    println!("  -Identity UPN                      {identity:>9.2} µs/lookup");
    println!("  -Filter UserPrincipalName -eq      {equality:>9.2} µs/lookup");

    // A prefix selecting 1,111 users (user1234, user12340..user123499, ...): the index's
    // range against the same selection found by reading every user.
    let t = Instant::now();
    let by_range = count(&svc, "UserPrincipalName -like 'user1234*'");
    let range = t.elapsed().as_secs_f64();
    let rss_before_scan = rss_mb();
    let t = Instant::now();
    let by_scan = count(
        &svc,
        "UserPrincipalName -like 'user1234*' -or UserPrincipalName -eq 'none@none.example'",
    );
    let prefix_scan = t.elapsed().as_secs_f64();
    assert_eq!(by_range, by_scan);
    println!(
        "  -like 'user1234*' ({by_range} users)   {:>9.1} ms by the index range, {:>9.1} ms by a full scan",
        range * 1e3,
        prefix_scan * 1e3
    );

    // A full scan that selects about one user in eight.
    let t = Instant::now();
    let selected = count(&svc, "Department -eq 'Sales'");
    let scan = t.elapsed().as_secs_f64();
    println!(
        "  full scan (Department -eq 'Sales', {selected} selected) {:.2} s = {:.2} µs/user",
        scan,
        scan * 1e6 / users as f64
    );
    // The same over a list of objects derived per user (EffectivePolicyAssignments).
    let t = Instant::now();
    let assigned = count(
        &svc,
        "EffectivePolicyAssignments -contains 'TeamsUpgradePolicy'",
    );
    let derived_scan = t.elapsed().as_secs_f64();
    println!(
        "  full scan (EffectivePolicyAssignments -contains, {assigned} selected) {:.2} s = {:.2} µs/user",
        derived_scan,
        derived_scan * 1e6 / users as f64
    );
    println!(
        "  memory: RSS {rss_before_scan:.1} MB before the scans, {:.1} MB after; peak {:.1} MB",
        rss_mb(),
        status_mb("VmHWM:")
    );
    println!("ratios (this run):");
    println!(
        "  indexed -Filter equality / -Identity   {:.2}× (target ≤ 2×)",
        equality / identity
    );
    println!(
        "  full scan / index range, same prefix   {:.0}×",
        prefix_scan / range
    );
    println!(
        "  full scan per user / -Identity lookup  {:.3}×",
        (scan * 1e6 / users as f64) / identity
    );
}
