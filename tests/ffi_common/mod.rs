//! Helpers of the C ABI tests (tests/ffi_*.rs): calling `mms_` functions from Rust the way
//! a C caller would.
#![allow(dead_code)]

use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::ptr;

use meeting_migration::ffi::*;
use serde_json::Value;
use tempfile::TempDir;

/// A C string for an argument.
pub fn c(text: &str) -> CString {
    CString::new(text).expect("no NUL in test strings")
}

/// Takes ownership of a string the library returned: copies it and frees it.
pub fn take(p: *mut c_char) -> String {
    assert!(!p.is_null(), "the library returned NULL");
    let text = unsafe { CStr::from_ptr(p) }
        .to_str()
        .expect("the library returns UTF-8")
        .to_owned();
    unsafe { mms_string_free(p) };
    text
}

/// A recognisable pointer that a failed call must leave in its outputs.
pub fn sentinel<T>() -> *mut T {
    0x5EA1_5EA1usize as *mut T
}

/// Runs a call with one string output: `Ok(json)` on status 0, else `Err((status, error))`.
/// Checks the conventions on the way: outputs untouched on failure, error JSON present
/// only on failure and shaped `{code,id,category,message,target}` with `code == status`.
pub fn call(
    f: impl FnOnce(*mut *mut c_char, *mut *mut c_char) -> i32,
) -> Result<Value, (i32, Value)> {
    let mut out: *mut c_char = sentinel();
    let mut err: *mut c_char = sentinel();
    let status = f(&mut out, &mut err);
    if status == 0 {
        assert_eq!(err, sentinel(), "out_error written on success");
        if out == sentinel() {
            // A call without a string output (mms_worker_start, ...).
            return Ok(Value::Null);
        }
        let text = take(out);
        Ok(serde_json::from_str(&text).expect("outputs are JSON"))
    } else {
        assert_eq!(
            out,
            sentinel(),
            "output written on failure (status {status})"
        );
        assert_ne!(err, sentinel(), "out_error not written on failure");
        let error: Value = serde_json::from_str(&take(err)).expect("error is JSON");
        check_error_shape(&error);
        assert_eq!(error["code"], status, "code of {error}");
        Err((status, error))
    }
}

/// Like [`call`]; after an argument error (found before any work is done) also calls
/// again with `out_error` NULL and checks the status is the same.
pub fn call_twice(
    f: impl Fn(*mut *mut c_char, *mut *mut c_char) -> i32,
) -> Result<Value, (i32, Value)> {
    let first = call(&f);
    if let Err((status, _)) = &first {
        let argument_errors = [
            ErrorCode::NullArgument,
            ErrorCode::InvalidUtf8,
            ErrorCode::InvalidJson,
        ];
        if argument_errors.iter().any(|a| *a as i32 == *status) {
            let mut out: *mut c_char = sentinel();
            assert_eq!(
                f(&mut out, ptr::null_mut()),
                *status,
                "status with out_error NULL"
            );
            assert_eq!(out, sentinel());
        }
    }
    first
}

/// Unwraps an `Err` with the expected status and returns the error JSON.
#[track_caller]
pub fn expect_err(result: Result<Value, (i32, Value)>, status: ErrorCode) -> Value {
    match result {
        Ok(v) => panic!("expected {status:?}, got success: {v}"),
        Err((s, e)) => {
            assert_eq!(s, status as i32, "expected {status:?}, got {e}");
            e
        }
    }
}

#[track_caller]
pub fn expect_ok(result: Result<Value, (i32, Value)>) -> Value {
    result.unwrap_or_else(|(s, e)| panic!("status {s}: {e}"))
}

pub fn check_error_shape(error: &Value) {
    let object = error.as_object().expect("error JSON is an object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["category", "code", "hint", "id", "message", "target"],
        "{error}"
    );
    assert!(error["code"].is_i64());
    assert!(error["id"].is_string());
    assert!(error["category"].is_string());
    assert!(!error["message"].as_str().unwrap().is_empty());
    assert!(error["target"].is_null() || error["target"].is_string());
    assert!(error["hint"].is_null() || error["hint"].is_string());
}

/// A store in a temp dir, opened through the ABI and freed on drop.
pub struct Store {
    pub handle: *mut MmsStore,
    pub dir: TempDir,
}

unsafe impl Send for Store {}
unsafe impl Sync for Store {}

impl Store {
    pub fn empty() -> Store {
        let dir = tempfile::tempdir().unwrap();
        let path = c(dir.path().join("mms.db").to_str().unwrap());
        let mut handle = ptr::null_mut();
        let mut err = ptr::null_mut();
        let status = unsafe { mms_store_open(path.as_ptr(), &mut handle, &mut err) };
        assert_eq!(
            status,
            0,
            "open: {}",
            if err.is_null() {
                String::new()
            } else {
                take(err)
            }
        );
        Store { handle, dir }
    }

    /// The sample tenant with `users` numbered users and `meetings` meetings each.
    pub fn sample(users: usize, meetings: usize) -> Store {
        let store = Store::empty();
        let options = c(&format!(
            r#"{{"UserCount":{users},"MeetingsPerUser":{meetings}}}"#
        ));
        expect_ok(call(|o, e| unsafe {
            mms_sample_tenant_create(store.handle, options.as_ptr(), o, e)
        }));
        store
    }

    pub fn start(&self, identity: &str) -> Value {
        let request = c(&serde_json::json!({ "Identity": identity }).to_string());
        expect_ok(call(|o, e| unsafe {
            mms_migration_start(self.handle, request.as_ptr(), o, e)
        }))
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        unsafe { mms_store_free(self.handle) };
    }
}

/// Invalid UTF-8 (a lone continuation byte), NUL-terminated.
pub fn bad_utf8() -> CString {
    CString::new(vec![b'a', 0x80, b'b']).unwrap()
}
