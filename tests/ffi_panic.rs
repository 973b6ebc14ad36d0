//! A panic inside an `mms_` call comes back as status 1 (`Panic`) with its message, and
//! prints nothing; panics elsewhere are still reported by the previous hook.
//! `mms_test_panic` exists only with the `ffi-test-hooks` feature (on for the crate's tests).

mod ffi_common;

use std::process::Command;
use std::ptr;

use ffi_common::*;
use meeting_migration::ffi::test_hooks::mms_test_panic;
use meeting_migration::ffi::*;

#[test]
fn a_panic_is_status_1_with_its_message() {
    let message = c("boom: the invariant broke");
    let error = expect_err(
        call(|_o, e| unsafe { mms_test_panic(message.as_ptr(), e) }),
        ErrorCode::Panic,
    );
    assert_eq!(error["id"], "Panic");
    assert_eq!(error["category"], "NotSpecified");
    assert!(error["target"].is_null());
    let text = error["message"].as_str().unwrap();
    assert!(text.contains("boom: the invariant broke"), "{text}");
    assert!(text.contains("mms_test_panic"), "{text}");
    assert!(
        text.contains("test_hooks.rs"),
        "the location is included: {text}"
    );

    // Without out_error, and with the default message.
    assert_eq!(unsafe { mms_test_panic(ptr::null(), ptr::null_mut()) }, 1);
    // The argument checks still run first.
    let bad = bad_utf8();
    expect_err(
        call(|_o, e| unsafe { mms_test_panic(bad.as_ptr(), e) }),
        ErrorCode::InvalidUtf8,
    );
}

#[test]
fn panics_on_many_threads_at_once() {
    let threads: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                for j in 0..50 {
                    let message = c(&format!("thread {i} panic {j}"));
                    let error = expect_err(
                        call(|_o, e| unsafe { mms_test_panic(message.as_ptr(), e) }),
                        ErrorCode::Panic,
                    );
                    // Each thread gets its own panic's message, never another's.
                    assert!(
                        error["message"]
                            .as_str()
                            .unwrap()
                            .contains(&format!("thread {i} panic {j}")),
                        "{error}"
                    );
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

const CHILD: &str = "MMS_FFI_PANIC_CHILD";

/// Run by `nothing_is_printed_for_a_caught_panic` in a child process.
#[test]
fn child_panics_inside_and_outside() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let message = c("inside-the-boundary");
    for _ in 0..3 {
        assert_eq!(
            unsafe { mms_test_panic(message.as_ptr(), ptr::null_mut()) },
            1
        );
    }
    eprintln!("CHILD-MARKER");
    // A panic outside any mms_ call still reaches the previous (default) hook.
    let outside = std::panic::catch_unwind(|| panic!("outside-the-boundary"));
    assert!(outside.is_err());
}

#[test]
fn nothing_is_printed_for_a_caught_panic() {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_panics_inside_and_outside",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "child failed: {stderr}");
    assert!(stderr.contains("CHILD-MARKER"), "the child ran: {stderr}");
    assert!(
        !stderr.contains("inside-the-boundary"),
        "a caught panic was printed: {stderr}"
    );
    assert!(
        stderr.contains("outside-the-boundary"),
        "other panics are still reported: {stderr}"
    );
}
