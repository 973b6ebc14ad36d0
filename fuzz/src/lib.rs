//! libFuzzer entry points. One staticlib serves every target: `build.ps1 Fuzz` links it into
//! `mms-fuzz-<target>` binaries, and each binary runs the target its own file name names
//! (or `MMS_FUZZ_TARGET`). The targets themselves live in `targets.rs`, which the root
//! crate's `tests/fuzz_corpus.rs` also compiles to replay the committed corpus.

#![allow(clippy::missing_safety_doc)]

mod targets;

use std::path::PathBuf;
use std::sync::Mutex;

type Target = fn(&[u8]);

static TARGET: Mutex<Option<Target>> = Mutex::new(None);
static ABI: Mutex<Option<targets::Abi>> = Mutex::new(None);

fn abi(data: &[u8]) {
    let mut abi = ABI.lock().unwrap_or_else(|p| p.into_inner());
    let abi = abi.get_or_insert_with(|| {
        // A fresh store per process, under the system temp folder (a tmpfs makes it fast).
        let dir = PathBuf::from(std::env::var_os("MMS_FUZZ_STORE_DIR").unwrap_or_else(|| {
            std::env::temp_dir()
                .join(format!("mms-fuzz-{}", std::process::id()))
                .into_os_string()
        }));
        targets::Abi::open(&dir)
    });
    abi.call(data);
}

fn pick(name: &str) -> Option<Target> {
    Some(match name {
        "identity" => targets::identity,
        "filter" => targets::filter,
        "json" => targets::json_import,
        "csv" => targets::csv_import,
        "abi" => abi,
        _ => return None,
    })
}

/// Picks the target from the program name (`mms-fuzz-<target>`) or `MMS_FUZZ_TARGET`.
#[no_mangle]
pub unsafe extern "C" fn LLVMFuzzerInitialize(
    argc: *mut libc::c_int,
    argv: *mut *mut *mut libc::c_char,
) -> libc::c_int {
    let mut name = std::env::var("MMS_FUZZ_TARGET").unwrap_or_default();
    if name.is_empty() && !argc.is_null() && *argc > 0 && !argv.is_null() {
        let program = std::ffi::CStr::from_ptr(**argv)
            .to_string_lossy()
            .into_owned();
        let file = program.rsplit('/').next().unwrap_or_default();
        name = file.strip_prefix("mms-fuzz-").unwrap_or(file).to_string();
    }
    match pick(&name) {
        Some(target) => *TARGET.lock().unwrap_or_else(|p| p.into_inner()) = Some(target),
        None => {
            eprintln!("mms-fuzz: unknown target '{name}' (identity, filter, json, csv, abi)");
            std::process::exit(2);
        }
    }
    0
}

#[no_mangle]
pub unsafe extern "C" fn LLVMFuzzerTestOneInput(data: *const u8, size: usize) -> libc::c_int {
    let data = if size == 0 {
        &[][..]
    } else {
        std::slice::from_raw_parts(data, size)
    };
    let target = TARGET
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .expect("LLVMFuzzerInitialize picked a target");
    target(data);
    0
}
