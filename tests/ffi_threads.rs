//! The C ABI under concurrency and over time: many threads on one store handle; waiting
//! with a timeout, a progress callback and a cancel flag raised from another thread; the
//! in-process worker; the calls' output shapes.

mod ffi_common;

use std::collections::HashMap;
use std::ffi::CStr;
use std::os::raw::{c_char, c_void};
use std::ptr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ffi_common::*;
use meeting_migration::ffi::*;
use serde_json::Value;

/// Collects the JSON texts a progress callback receives (`user_data` = `&Mutex<Vec<Value>>`).
unsafe extern "C" fn collect(user_data: *mut c_void, json: *const c_char) {
    let seen = &*(user_data as *const Mutex<Vec<Value>>);
    let text = CStr::from_ptr(json).to_str().expect("UTF-8");
    seen.lock()
        .unwrap()
        .push(serde_json::from_str(text).expect("JSON"));
}

fn user_data(seen: &Mutex<Vec<Value>>) -> *mut c_void {
    seen as *const Mutex<Vec<Value>> as *mut c_void
}

#[test]
fn eight_threads_resolve_and_start_on_one_handle() {
    let store = Store::sample(64, 1);
    let results: Vec<Vec<(String, bool)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let store = &store;
                scope.spawn(move || {
                    let mut started = Vec::new();
                    for i in 0..64 {
                        let upn = format!("user{}@contoso.com", (i + t * 8) % 64 + 1);
                        let identity = c(&upn);
                        let user = expect_ok(call(|o, e| unsafe {
                            mms_identity_resolve(store.handle, ptr::null(), identity.as_ptr(), o, e)
                        }));
                        assert_eq!(user["UserPrincipalName"], upn.as_str());
                        let john = expect_ok(call(|o, e| unsafe {
                            mms_identity_resolve(
                                store.handle,
                                ptr::null(),
                                c("CONTOSO\\john").as_ptr(),
                                o,
                                e,
                            )
                        }));
                        assert_eq!(john["UserPrincipalName"], "John@contoso.com");
                        let s = store.start(&upn);
                        assert_eq!(s["Status"]["UserPrincipalName"], upn.as_str());
                        started.push((
                            s["Status"]["CorrelationId"].as_str().unwrap().to_owned(),
                            s["Existing"].as_bool().unwrap(),
                        ));
                    }
                    started
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // Every user was started by several threads: one request each, the others got it back.
    let all: Vec<&(String, bool)> = results.iter().flatten().collect();
    assert_eq!(all.len(), 8 * 64);
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (id, _) in &all {
        *by_id.entry(id.as_str()).or_default() += 1;
    }
    assert_eq!(by_id.len(), 64, "one request per user");
    assert_eq!(
        all.iter().filter(|(_, existing)| !existing).count(),
        64,
        "each queued once"
    );
    let summary = expect_ok(call(|o, e| unsafe {
        mms_status_summary(store.handle, ptr::null(), o, e)
    }));
    assert_eq!(summary[0]["State"], "Pending");
    assert_eq!(summary[0]["UserCount"], 64);
    assert_eq!(summary.as_array().unwrap().len(), 4);
}

#[test]
fn wait_times_out_and_reports_progress() {
    let store = Store::sample(2, 1);
    let s = store.start("John@contoso.com");
    let id = c(s["Status"]["CorrelationId"].as_str().unwrap());
    let seen = Mutex::new(Vec::new());
    let begun = Instant::now();
    let error = expect_err(
        call(|o, e| unsafe {
            mms_migration_wait(
                store.handle,
                ptr::null(),
                id.as_ptr(),
                150,
                Some(collect),
                user_data(&seen),
                ptr::null(),
                o,
                e,
            )
        }),
        ErrorCode::Timeout,
    );
    let took = begun.elapsed();
    assert!(
        took >= Duration::from_millis(150) && took < Duration::from_secs(5),
        "{took:?}"
    );
    assert_eq!(error["category"], "OperationTimeout");
    assert_eq!(error["target"], s["Status"]["CorrelationId"]);
    let seen = seen.into_inner().unwrap();
    assert_eq!(
        seen.len(),
        1,
        "progress once: nothing changed after the first look"
    );
    assert_eq!(seen[0]["State"], "Pending");
}

#[test]
fn wait_is_cancelled_from_another_thread() {
    let store = Store::sample(2, 1);
    let s = store.start("John@contoso.com");
    let id = c(s["Status"]["CorrelationId"].as_str().unwrap());
    let cancel = mms_cancel_new();
    assert!(!cancel.is_null());
    struct SendPtr(*mut MmsCancel);
    unsafe impl Send for SendPtr {}
    let flag = SendPtr(cancel);
    let begun = Instant::now();
    let canceller = std::thread::spawn(move || {
        let flag = flag;
        std::thread::sleep(Duration::from_millis(100));
        unsafe { mms_cancel_cancel(flag.0) };
    });
    let error = expect_err(
        call(|o, e| unsafe {
            mms_migration_wait(
                store.handle,
                ptr::null(),
                id.as_ptr(),
                60_000,
                None,
                ptr::null_mut(),
                cancel,
                o,
                e,
            )
        }),
        ErrorCode::Cancelled,
    );
    canceller.join().unwrap();
    let took = begun.elapsed();
    assert!(
        took >= Duration::from_millis(100) && took < Duration::from_secs(5),
        "{took:?}"
    );
    assert_eq!(error["category"], "OperationStopped");
    unsafe { mms_cancel_free(cancel) };
}

#[test]
fn worker_runs_a_migration_to_the_end() {
    let store = Store::sample(4, 3);
    let options = c(r#"{"PollIntervalMs":10,"BatchSize":1}"#);
    expect_ok(call(|_o, e| unsafe {
        mms_worker_start(store.handle, options.as_ptr(), e)
    }));
    expect_ok(call(|_o, e| unsafe {
        mms_worker_start(store.handle, ptr::null(), e)
    }));
    let preview_request = c(r#"{"Identity":"kenmyer@litwareinc.com","TargetMeetingType":"Teams"}"#);
    let preview = expect_ok(call(|o, e| unsafe {
        mms_migration_preview(store.handle, preview_request.as_ptr(), o, e)
    }));
    assert_eq!(preview["MigrationType"], "AllToTeams");
    assert!(preview["ExistingRequest"].is_null());
    assert_eq!(preview["MigrationEnabled"], true);
    let started = expect_ok(call(|o, e| unsafe {
        mms_migration_start(store.handle, preview_request.as_ptr(), o, e)
    }));
    assert_eq!(started["Existing"], false);
    let id = c(started["Status"]["CorrelationId"].as_str().unwrap());
    let seen = Mutex::new(Vec::new());
    let status = expect_ok(call(|o, e| unsafe {
        mms_migration_wait(
            store.handle,
            ptr::null(),
            id.as_ptr(),
            30_000,
            Some(collect),
            user_data(&seen),
            ptr::null(),
            o,
            e,
        )
    }));
    assert!(
        ["Succeeded", "Failed"].contains(&status["State"].as_str().unwrap()),
        "{status}"
    );
    assert_eq!(status["TotalMeeting"], preview["MeetingCount"]);
    let seen = seen.into_inner().unwrap();
    assert!(!seen.is_empty());
    assert_eq!(seen.last().unwrap()["State"], status["State"]);
    let detail = expect_ok(call(|o, e| unsafe {
        mms_status_get(store.handle, ptr::null(), id.as_ptr(), o, e)
    }));
    assert!(detail["QueuePosition"].is_null());
    assert_eq!(
        detail["Meetings"].as_array().unwrap().len(),
        preview["MeetingCount"].as_u64().unwrap() as usize
    );
    expect_ok(call(|_o, e| unsafe { mms_worker_stop(store.handle, e) }));
    expect_ok(call(|_o, e| unsafe { mms_worker_stop(store.handle, e) }));
    // Freed with the worker running: mms_store_free stops it.
    expect_ok(call(|_o, e| unsafe {
        mms_worker_start(store.handle, ptr::null(), e)
    }));
}

#[test]
fn batch_start_reports_each_request() {
    let store = Store::sample(3, 1);
    let requests = c(
        r#"[{"Identity":"user1@contoso.com"},{"Identity":"nobody@contoso.com"},{"Identity":"user1@contoso.com"},{"Identity":"user2@contoso.com","SourceMeetingType":"SfB"}]"#,
    );
    let results = expect_ok(call(|o, e| unsafe {
        mms_migration_start_batch(store.handle, requests.as_ptr(), o, e)
    }));
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0]["Existing"], false);
    check_error_shape(&results[1]["Error"]);
    assert_eq!(results[1]["Error"]["id"], "IdentityNotFound");
    assert_eq!(
        results[2]["Status"]["CorrelationId"],
        results[0]["Status"]["CorrelationId"]
    );
    assert_eq!(results[3]["Status"]["MigrationType"], "SfbToSfb");
    let empty = expect_ok(call(|o, e| unsafe {
        mms_migration_start_batch(store.handle, c("[]").as_ptr(), o, e)
    }));
    assert_eq!(empty, serde_json::json!([]));
    let query = c(r#"{"Identity":"user1@contoso.com"}"#);
    let rows = expect_ok(call(|o, e| unsafe {
        mms_status_query(store.handle, query.as_ptr(), o, e)
    }));
    assert_eq!(rows.as_array().unwrap().len(), 1);
}

#[test]
fn settings_tenants_users_meetings_and_import() {
    let store = Store::sample(25, 2);
    let h = store.handle;
    // Migration configuration and dial-in settings.
    let config = expect_ok(call(|o, e| unsafe {
        mms_migration_config_get(h, ptr::null(), o, e)
    }));
    assert_eq!(config["Identity"], "Global");
    let changes = c(r#"{"MeetingMigrationEnabled":false}"#);
    let config = expect_ok(call(|o, e| unsafe {
        mms_migration_config_set(h, ptr::null(), changes.as_ptr(), o, e)
    }));
    assert_eq!(config["MeetingMigrationEnabled"], false);
    let request = c(r#"{"Identity":"John@contoso.com"}"#);
    expect_err(
        call(|o, e| unsafe { mms_migration_start(h, request.as_ptr(), o, e) }),
        ErrorCode::MigrationDisabled,
    );
    let bad_hold = c(r#"{"HoldMinutes":-1}"#);
    expect_err(
        call(|o, e| unsafe { mms_migration_config_set(h, ptr::null(), bad_hold.as_ptr(), o, e) }),
        ErrorCode::InvalidArgument,
    );
    let dial = expect_ok(call(|o, e| unsafe {
        mms_dialin_settings_get(h, ptr::null(), o, e)
    }));
    assert_eq!(dial["DefaultTollNumber"], "+1 425 555 0100");
    let pin = c(r#"{"PinLength":7}"#);
    let dial = expect_ok(call(|o, e| unsafe {
        mms_dialin_settings_set(h, c("").as_ptr(), pin.as_ptr(), o, e)
    }));
    assert_eq!(dial["PinLength"], 7);

    // Tenants.
    let fabrikam =
        c(r#"{"Name":"Fabrikam","Domains":[{"Name":"fabrikam.com","NetBiosName":"FABRIKAM"}]}"#);
    let created = expect_ok(call(|o, e| unsafe {
        mms_tenant_create(h, fabrikam.as_ptr(), o, e)
    }));
    assert_eq!(created["IsDefault"], false);
    let tenants = expect_ok(call(|o, e| unsafe { mms_tenants_list(h, o, e) }));
    assert_eq!(tenants.as_array().unwrap().len(), 2);
    let id = c(created["TenantId"].as_str().unwrap());
    let now_default = expect_ok(call(|o, e| unsafe {
        mms_tenant_set_default(h, id.as_ptr(), o, e)
    }));
    assert_eq!(now_default["IsDefault"], true);
    let default = expect_ok(call(|o, e| unsafe { mms_tenant_get_default(h, o, e) }));
    assert_eq!(default["TenantId"], created["TenantId"]);

    // Import into the new default tenant, with progress.
    let path = store.dir.path().join("fabrikam.csv");
    std::fs::write(
        &path,
        "UserPrincipalName,DisplayName\na@fabrikam.com,A\nb@fabrikam.com,B\nc@fabrikam.com,C\n",
    )
    .unwrap();
    let path = c(path.to_str().unwrap());
    let seen = Mutex::new(Vec::new());
    let summary = expect_ok(call(|o, e| unsafe {
        mms_data_import(
            h,
            ptr::null(),
            path.as_ptr(),
            Some(collect),
            user_data(&seen),
            ptr::null(),
            o,
            e,
        )
    }));
    assert_eq!(summary, serde_json::json!({"Users": 3, "Meetings": 0}));
    let seen = seen.into_inner().unwrap();
    assert!(!seen.is_empty());
    assert_eq!(seen.last().unwrap()["Done"], seen.last().unwrap()["Total"]);
    let import_error = expect_err(
        call(|o, e| unsafe {
            mms_data_import(
                h,
                ptr::null(),
                c("/nonexistent/x.csv").as_ptr(),
                None,
                ptr::null_mut(),
                ptr::null(),
                o,
                e,
            )
        }),
        ErrorCode::ImportFailed,
    );
    assert_eq!(import_error["category"], "InvalidData");

    // Users of the sample tenant page by page.
    let contoso = c("38aad667-af54-4397-aaa7-e94c79ec2308");
    let mut after = Value::Null;
    let mut upns = Vec::new();
    loop {
        let query = c(&serde_json::json!({"Tenant": "38aad667-af54-4397-aaa7-e94c79ec2308", "Limit": 10, "After": after}).to_string());
        let page = expect_ok(call(|o, e| unsafe {
            mms_users_list(h, query.as_ptr(), o, e)
        }));
        upns.extend(
            page["Users"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["UserPrincipalName"].clone()),
        );
        after = page["Next"].clone();
        if after.is_null() {
            break;
        }
    }
    assert_eq!(upns.len(), 27);
    let bad_filter = c(r#"{"Filter":"DisplayName -eq"}"#);
    expect_err(
        call(|o, e| unsafe { mms_users_list(h, bad_filter.as_ptr(), o, e) }),
        ErrorCode::FilterSyntax,
    );
    let meetings = expect_ok(call(|o, e| unsafe {
        mms_meetings_list(
            h,
            contoso.as_ptr(),
            c("sip:kenmyer@litwareinc.com").as_ptr(),
            o,
            e,
        )
    }));
    assert!(meetings.as_array().unwrap().len() >= 5);
    assert!(meetings[0]["JoinUrl"].is_string());
}
