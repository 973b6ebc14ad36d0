//! One identity resolution through the C ABI (`mms_identity_resolve`: argument checks,
//! panic boundary, JSON out, `mms_string_free`) against the same resolution through
//! `Service::resolve`, on a store with 1M users. Target (issue 5): the ABI adds ≤ 300 ns.
//!
//! The store is the 1M-user store the benchmarks share (`support/one_million.rs`).
//!
//! Run: cargo bench --bench ffi_resolve

use std::ffi::CString;
use std::path::Path;
use std::ptr;
use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use meeting_migration::ffi::{
    mms_identity_resolve, mms_store_free, mms_store_open, mms_string_free, MmsStore,
};
use meeting_migration::Service;

#[path = "support/one_million.rs"]
mod one_million;
use one_million::{ensure_store, USERS};
const IDENTITY: &str = "user654321@contoso.com";

struct Abi(*mut MmsStore);

impl Abi {
    fn open(path: &Path) -> Abi {
        let path = CString::new(path.to_str().unwrap()).unwrap();
        let mut store = ptr::null_mut();
        let status = unsafe { mms_store_open(path.as_ptr(), &mut store, ptr::null_mut()) };
        assert_eq!(status, 0);
        Abi(store)
    }

    fn resolve(&self, identity: &CString) {
        let mut out = ptr::null_mut();
        let status = unsafe {
            mms_identity_resolve(
                self.0,
                ptr::null(),
                identity.as_ptr(),
                &mut out,
                ptr::null_mut(),
            )
        };
        assert_eq!(status, 0);
        unsafe { mms_string_free(black_box(out)) };
    }
}

impl Drop for Abi {
    fn drop(&mut self) {
        unsafe { mms_store_free(self.0) };
    }
}

/// Median per-call time of `f` over `rounds` rounds of about 2 ms each (at least one call).
fn median_ns(rounds: usize, mut f: impl FnMut()) -> f64 {
    let begun = Instant::now();
    f();
    let once = begun.elapsed().as_nanos().max(1);
    let per_round = (2_000_000 / once).clamp(1, 100_000) as u32;
    let mut samples: Vec<f64> = (0..rounds)
        .map(|_| {
            let begun = Instant::now();
            for _ in 0..per_round {
                f();
            }
            begun.elapsed().as_nanos() as f64 / per_round as f64
        })
        .collect();
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    samples[rounds / 2]
}

fn bench(c: &mut Criterion) {
    let path = ensure_store();
    let svc = Service::open(Some(&path)).unwrap();
    let abi = Abi::open(&path);
    let identity = CString::new(IDENTITY).unwrap();

    let mut group = c.benchmark_group("resolve_1m_users");
    group
        .measurement_time(Duration::from_secs(5))
        .sample_size(30);
    group.bench_function("rust_service_resolve", |b| {
        b.iter(|| black_box(svc.resolve(None, black_box(IDENTITY)).unwrap()))
    });
    group.bench_function("rust_resolve_plus_json", |b| {
        b.iter(|| {
            let user = svc.resolve(None, black_box(IDENTITY)).unwrap();
            black_box(serde_json::to_string(&user).unwrap())
        })
    });
    group.bench_function("c_abi_mms_identity_resolve", |b| {
        b.iter(|| abi.resolve(black_box(&identity)))
    });
    group.finish();

    // The per-call difference, measured interleaved so both see the same machine state.
    let (mut rust, mut rust_json, mut ffi) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        rust.push(median_ns(11, || {
            black_box(svc.resolve(None, black_box(IDENTITY)).unwrap());
        }));
        rust_json.push(median_ns(11, || {
            let user = svc.resolve(None, black_box(IDENTITY)).unwrap();
            black_box(serde_json::to_string(&user).unwrap());
        }));
        ffi.push(median_ns(11, || abi.resolve(black_box(&identity))));
    }
    let min = |v: &[f64]| v.iter().cloned().fold(f64::INFINITY, f64::min);
    let (rust, rust_json, ffi) = (min(&rust), min(&rust_json), min(&ffi));
    println!();
    println!("per call on {USERS} users (best of 5 medians):");
    println!("  Service::resolve                 {rust:>9.0} ns");
    println!("  Service::resolve + JSON          {rust_json:>9.0} ns");
    println!("  mms_identity_resolve (C ABI)     {ffi:>9.0} ns");
    println!(
        "  ABI - Service::resolve           {:>9.0} ns  (target <= 300 ns)",
        ffi - rust
    );
    println!(
        "  ABI - (resolve + JSON)           {:>9.0} ns  (the boundary itself)",
        ffi - rust_json
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
