//! Replays the fuzz targets' committed seed corpus (`fuzz/corpus/<target>/`) and every input
//! that once crashed a target (`tests/fuzz_regressions/<target>/`) through the same target
//! code `build.ps1 Fuzz` runs under libFuzzer, so what fuzzing found stays fixed.

#[path = "../fuzz/src/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        root.join("fuzz/corpus").join(target),
        root.join("tests/fuzz_regressions").join(target),
    ] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            files.extend(entries.map(|e| e.unwrap().path()));
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no corpus for the {target} target");
    files
}

fn replay(target: &str, run: impl Fn(&[u8])) {
    for file in inputs(target) {
        let data = std::fs::read(&file).unwrap();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&data)));
        assert!(
            result.is_ok(),
            "{} fails the {target} target",
            file.display()
        );
    }
}

#[test]
fn identity_corpus() {
    replay("identity", targets::identity);
}

#[test]
fn filter_corpus() {
    replay("filter", targets::filter);
}

#[test]
fn json_import_corpus() {
    replay("json", targets::json_import);
}

#[test]
fn csv_import_corpus() {
    replay("csv", targets::csv_import);
}

#[test]
fn abi_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let abi = targets::Abi::open(dir.path());
    replay("abi", |data| abi.call(data));
}
