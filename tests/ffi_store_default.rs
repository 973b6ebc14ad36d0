//! `mms_store_open(NULL, ...)` opens the platform data directory's store. Alone in its
//! test binary because it sets `XDG_DATA_HOME` / `HOME` for the process.

mod ffi_common;

use std::ptr;

use ffi_common::*;
use meeting_migration::ffi::*;

#[cfg(unix)]
#[test]
fn a_null_path_opens_the_default_store() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_var("XDG_DATA_HOME", dir.path());
    let mut store = ptr::null_mut();
    let mut err = ptr::null_mut();
    let status = unsafe { mms_store_open(ptr::null(), &mut store, &mut err) };
    assert_eq!(
        status,
        0,
        "{}",
        if err.is_null() {
            String::new()
        } else {
            take(err)
        }
    );
    let tenant = expect_ok(call(|o, e| unsafe {
        mms_sample_tenant_create(store, c(r#"{"UserCount":1}"#).as_ptr(), o, e)
    }));
    assert_eq!(tenant["IsDefault"], true);
    unsafe { mms_store_free(store) };
    assert!(dir.path().join("MeetingMigration").join("mms.db").is_file());

    // Without XDG_DATA_HOME and HOME no default is known: a store error, not a guess.
    std::env::remove_var("XDG_DATA_HOME");
    let home = std::env::var_os("HOME");
    std::env::remove_var("HOME");
    let mut store: *mut MmsStore = sentinel();
    let mut err = ptr::null_mut();
    let status = unsafe { mms_store_open(ptr::null(), &mut store, &mut err) };
    if let Some(h) = home {
        std::env::set_var("HOME", h);
    }
    assert_eq!(status, ErrorCode::StoreIo as i32);
    assert_eq!(store, sentinel());
    check_error_shape(&serde_json::from_str(&take(err)).unwrap());
}
