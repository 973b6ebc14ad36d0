//! The C ABI's argument checks, called the way C calls them: NULL in every pointer,
//! invalid UTF-8 in every string, invalid JSON in every JSON argument, a megabyte-long
//! identity; outputs untouched and the error JSON's shape on every failure.

mod ffi_common;

use std::ffi::CString;
use std::os::raw::{c_char, c_void};
use std::ptr;

use ffi_common::*;
use meeting_migration::ffi::*;
use meeting_migration::ErrorCode;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Bad {
    Null,
    Utf8,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Handle,
    /// A string argument; `true` = required.
    Str(bool),
    /// A JSON string argument; `true` = required.
    Json(bool),
    /// A nullable non-string pointer (callback, user data, cancel flag).
    Ptr,
    Out,
}

/// The arguments of one call, with at most one of them replaced by a bad value.
struct Ctx {
    index: usize,
    bad: Option<Bad>,
    utf8: CString,
    json: CString,
}

impl Ctx {
    fn replaced(&self, i: usize) -> Option<Bad> {
        if i == self.index {
            self.bad
        } else {
            None
        }
    }

    fn store(&self, i: usize, f: &Fixture) -> *const MmsStore {
        match self.replaced(i) {
            Some(Bad::Null) => ptr::null(),
            _ => f.store.handle,
        }
    }

    fn s(&self, i: usize, value: &CString) -> *const c_char {
        match self.replaced(i) {
            Some(Bad::Null) => ptr::null(),
            Some(Bad::Utf8) => self.utf8.as_ptr(),
            Some(Bad::Json) => self.json.as_ptr(),
            None => value.as_ptr(),
        }
    }

    fn p<T>(&self, i: usize, value: *const T) -> *const T {
        match self.replaced(i) {
            Some(Bad::Null) => ptr::null(),
            _ => value,
        }
    }

    fn progress(&self, i: usize) -> MmsProgressFn {
        match self.replaced(i) {
            Some(Bad::Null) => None,
            _ => Some(ignore_progress),
        }
    }

    fn out(&self, i: usize, o: *mut *mut c_char) -> *mut *mut c_char {
        match self.replaced(i) {
            Some(Bad::Null) => ptr::null_mut(),
            _ => o,
        }
    }
}

unsafe extern "C" fn ignore_progress(_: *mut c_void, _: *const c_char) {}

struct Fixture {
    store: Store,
    correlation_id: CString,
    tenant: CString,
    import_path: CString,
    cancel: *mut MmsCancel,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        unsafe { mms_cancel_free(self.cancel) };
    }
}

fn fixture() -> Fixture {
    let store = Store::sample(5, 2);
    // Held for hours: the worker the mms_worker_start case starts must not finish it, or
    // the 0 ms wait on it would not time out.
    let hold = c(r#"{"HoldMinutes":600}"#);
    expect_ok(call(|o, e| unsafe {
        mms_migration_config_set(store.handle, ptr::null(), hold.as_ptr(), o, e)
    }));
    let started = store.start("user1@contoso.com");
    let correlation_id = c(started["Status"]["CorrelationId"].as_str().unwrap());
    let tenant = c(started["Status"]["TenantId"].as_str().unwrap());
    let path = store.dir.path().join("users.csv");
    std::fs::write(
        &path,
        "UserPrincipalName,DisplayName\nnew.user@contoso.com,New User\n",
    )
    .unwrap();
    let import_path = c(path.to_str().unwrap());
    Fixture {
        store,
        correlation_id,
        tenant,
        import_path,
        cancel: mms_cancel_new(),
    }
}

type Run = fn(&Ctx, &Fixture, *mut *mut c_char, *mut *mut c_char) -> i32;

struct Case {
    function: &'static str,
    params: &'static [(&'static str, Kind)],
    run: Run,
}

use Kind::*;

fn cases() -> Vec<Case> {
    vec![
        Case {
            function: "mms_store_open",
            params: &[("path", Str(false)), ("out_store", Out)],
            run: |x, f, _o, e| unsafe {
                // A NULL path opens the default store: not run here (see ffi_store_default.rs).
                let path = c(f.store.dir.path().join("other.db").to_str().unwrap());
                let path = if x.replaced(0) == Some(Bad::Null) {
                    path.as_ptr()
                } else {
                    x.s(0, &path)
                };
                let mut store: *mut MmsStore = sentinel();
                let out = if x.replaced(1) == Some(Bad::Null) {
                    ptr::null_mut()
                } else {
                    &mut store as *mut _
                };
                let status = mms_store_open(path, out, e);
                if status == 0 {
                    mms_store_free(store);
                } else {
                    assert_eq!(store, sentinel(), "out_store written on failure");
                }
                status
            },
        },
        Case {
            function: "mms_worker_start",
            params: &[("store", Handle), ("options_json", Json(false))],
            run: |x, f, _o, e| unsafe {
                let options = c(r#"{"PollIntervalMs":10}"#);
                let status = mms_worker_start(x.store(0, f), x.s(1, &options), e);
                mms_worker_stop(f.store.handle, ptr::null_mut());
                status
            },
        },
        Case {
            function: "mms_worker_stop",
            params: &[("store", Handle)],
            run: |x, f, _o, e| unsafe { mms_worker_stop(x.store(0, f), e) },
        },
        Case {
            function: "mms_store_check",
            params: &[("store", Handle), ("out_json", Out)],
            run: |x, f, o, e| unsafe { mms_store_check(x.store(0, f), x.out(1, o), e) },
        },
        Case {
            function: "mms_store_backup",
            params: &[("store", Handle), ("path", Str(true)), ("out_json", Out)],
            run: |x, f, o, e| unsafe {
                let path = c(f.store.dir.path().join("backup.db").to_str().unwrap());
                mms_store_backup(x.store(0, f), x.s(1, &path), 1, x.out(2, o), e)
            },
        },
        Case {
            function: "mms_identity_resolve",
            params: &[
                ("store", Handle),
                ("tenant", Str(false)),
                ("identity", Str(true)),
                ("out_user_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_identity_resolve(
                    x.store(0, f),
                    x.s(1, &f.tenant),
                    x.s(2, &c("John@contoso.com")),
                    x.out(3, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_users_list",
            params: &[
                ("store", Handle),
                ("query_json", Json(false)),
                ("out_page_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_users_list(x.store(0, f), x.s(1, &c(r#"{"Limit":2}"#)), x.out(2, o), e)
            },
        },
        Case {
            function: "mms_migration_preview",
            params: &[
                ("store", Handle),
                ("request_json", Json(true)),
                ("out_preview_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_migration_preview(
                    x.store(0, f),
                    x.s(1, &c(r#"{"Identity":"John@contoso.com"}"#)),
                    x.out(2, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_migration_start",
            params: &[
                ("store", Handle),
                ("request_json", Json(true)),
                ("out_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_migration_start(
                    x.store(0, f),
                    x.s(1, &c(r#"{"Identity":"user2@contoso.com"}"#)),
                    x.out(2, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_migration_start_batch",
            params: &[
                ("store", Handle),
                ("requests_json", Json(true)),
                ("out_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_migration_start_batch(
                    x.store(0, f),
                    x.s(1, &c(r#"[{"Identity":"user3@contoso.com"}]"#)),
                    x.out(2, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_migration_preview_batch",
            params: &[
                ("store", Handle),
                ("requests_json", Json(true)),
                ("out_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_migration_preview_batch(
                    x.store(0, f),
                    x.s(1, &c(r#"[{"Identity":"John@contoso.com"}]"#)),
                    x.out(2, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_status_get_many",
            params: &[
                ("store", Handle),
                ("tenant", Str(false)),
                ("correlation_ids_json", Json(true)),
                ("out_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                let ids = c(&format!("[{:?}]", f.correlation_id.to_str().unwrap()));
                mms_status_get_many(
                    x.store(0, f),
                    x.s(1, &f.tenant),
                    x.s(2, &ids),
                    x.out(3, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_status_query",
            params: &[
                ("store", Handle),
                ("query_json", Json(false)),
                ("out_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_status_query(
                    x.store(0, f),
                    x.s(1, &c(r#"{"State":"Pending"}"#)),
                    x.out(2, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_status_summary",
            params: &[
                ("store", Handle),
                ("query_json", Json(false)),
                ("out_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_status_summary(x.store(0, f), x.s(1, &c("{}")), x.out(2, o), e)
            },
        },
        Case {
            function: "mms_status_get",
            params: &[
                ("store", Handle),
                ("tenant", Str(false)),
                ("correlation_id", Str(true)),
                ("out_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_status_get(
                    x.store(0, f),
                    x.s(1, &f.tenant),
                    x.s(2, &f.correlation_id),
                    x.out(3, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_migration_wait",
            params: &[
                ("store", Handle),
                ("tenant", Str(false)),
                ("correlation_id", Str(true)),
                ("progress", Ptr),
                ("user_data", Ptr),
                ("cancel", Ptr),
                ("out_status_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                let mut data = 0u8;
                mms_migration_wait(
                    x.store(0, f),
                    x.s(1, &f.tenant),
                    x.s(2, &f.correlation_id),
                    0,
                    x.progress(3),
                    x.p(4, &mut data as *mut u8 as *const c_void) as *mut c_void,
                    x.p(5, f.cancel),
                    x.out(6, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_tenants_list",
            params: &[("store", Handle), ("out_json", Out)],
            run: |x, f, o, e| unsafe { mms_tenants_list(x.store(0, f), x.out(1, o), e) },
        },
        Case {
            function: "mms_tenant_create",
            params: &[
                ("store", Handle),
                ("tenant_json", Json(true)),
                ("out_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_tenant_create(
                    x.store(0, f),
                    x.s(1, &c(r#"{"Name":"Fabrikam"}"#)),
                    x.out(2, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_tenant_get_default",
            params: &[("store", Handle), ("out_json", Out)],
            run: |x, f, o, e| unsafe { mms_tenant_get_default(x.store(0, f), x.out(1, o), e) },
        },
        Case {
            function: "mms_tenant_set_default",
            params: &[("store", Handle), ("tenant", Str(true)), ("out_json", Out)],
            run: |x, f, o, e| unsafe {
                mms_tenant_set_default(x.store(0, f), x.s(1, &f.tenant), x.out(2, o), e)
            },
        },
        Case {
            function: "mms_migration_config_get",
            params: &[("store", Handle), ("tenant", Str(false)), ("out_json", Out)],
            run: |x, f, o, e| unsafe {
                mms_migration_config_get(x.store(0, f), x.s(1, &f.tenant), x.out(2, o), e)
            },
        },
        Case {
            function: "mms_migration_config_set",
            params: &[
                ("store", Handle),
                ("tenant", Str(false)),
                ("changes_json", Json(true)),
                ("out_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_migration_config_set(
                    x.store(0, f),
                    x.s(1, &f.tenant),
                    x.s(2, &c(r#"{"HoldMinutes":0}"#)),
                    x.out(3, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_dialin_settings_get",
            params: &[("store", Handle), ("tenant", Str(false)), ("out_json", Out)],
            run: |x, f, o, e| unsafe {
                mms_dialin_settings_get(x.store(0, f), x.s(1, &f.tenant), x.out(2, o), e)
            },
        },
        Case {
            function: "mms_dialin_settings_set",
            params: &[
                ("store", Handle),
                ("tenant", Str(false)),
                ("changes_json", Json(true)),
                ("out_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_dialin_settings_set(
                    x.store(0, f),
                    x.s(1, &f.tenant),
                    x.s(2, &c(r#"{"PinLength":6}"#)),
                    x.out(3, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_data_import",
            params: &[
                ("store", Handle),
                ("tenant", Str(false)),
                ("path", Str(true)),
                ("progress", Ptr),
                ("user_data", Ptr),
                ("cancel", Ptr),
                ("out_summary_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                let mut data = 0u8;
                mms_data_import(
                    x.store(0, f),
                    x.s(1, &f.tenant),
                    x.s(2, &f.import_path),
                    x.progress(3),
                    x.p(4, &mut data as *mut u8 as *const c_void) as *mut c_void,
                    x.p(5, f.cancel),
                    x.out(6, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_sample_tenant_create",
            params: &[
                ("store", Handle),
                ("options_json", Json(false)),
                ("out_tenant_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                let options = c(
                    r#"{"TenantId":"00000000-0000-0000-0000-00000000000a","UserCount":1,"MeetingsPerUser":0,"Seed":7}"#,
                );
                mms_sample_tenant_create(x.store(0, f), x.s(1, &options), x.out(2, o), e)
            },
        },
        Case {
            function: "mms_meetings_list",
            params: &[
                ("store", Handle),
                ("tenant", Str(false)),
                ("identity", Str(true)),
                ("out_json", Out),
            ],
            run: |x, f, o, e| unsafe {
                mms_meetings_list(
                    x.store(0, f),
                    x.s(1, &f.tenant),
                    x.s(2, &c("kenmyer@litwareinc.com")),
                    x.out(3, o),
                    e,
                )
            },
        },
        Case {
            function: "mms_error_codes",
            params: &[("out_json", Out)],
            run: |x, _f, o, e| unsafe { mms_error_codes(x.out(0, o), e) },
        },
    ]
}

fn run(
    case: &Case,
    f: &Fixture,
    index: usize,
    bad: Option<Bad>,
) -> Result<serde_json::Value, (i32, serde_json::Value)> {
    let ctx = Ctx {
        index,
        bad,
        utf8: bad_utf8(),
        json: c(r#"{"Identity": "#),
    };
    call_twice(|o, e| (case.run)(&ctx, f, o, e))
}

#[test]
fn every_call_succeeds_with_good_arguments() {
    let f = fixture();
    for case in cases() {
        let result = run(&case, &f, usize::MAX, None);
        match case.function {
            // Waiting 0 ms on a request no worker runs.
            "mms_migration_wait" => {
                expect_err(result, ErrorCode::Timeout);
            }
            _ => {
                result.unwrap_or_else(|(s, e)| panic!("{}: status {s}: {e}", case.function));
            }
        }
    }
}

#[test]
fn null_in_every_pointer_argument() {
    let f = fixture();
    let mut checked = 0;
    for case in cases() {
        for (i, &(name, kind)) in case.params.iter().enumerate() {
            let result = run(&case, &f, i, Some(Bad::Null));
            let required = matches!(kind, Handle | Out | Str(true) | Json(true));
            if required {
                let error = expect_err(result, ErrorCode::NullArgument);
                assert_eq!(error["target"], name, "{}: {error}", case.function);
                assert_eq!(error["id"], "NullArgument");
                assert_eq!(error["category"], "InvalidArgument");
                assert!(error["message"].as_str().unwrap().contains(name), "{error}");
            } else if let Err((status, error)) = result {
                // NULL is the default here: the call may fail for another reason (the sample
                // tenant exists, the wait times out), never for NULL.
                assert!(
                    status != ErrorCode::NullArgument as i32 && status != ErrorCode::Panic as i32,
                    "{} with {name} NULL: {error}",
                    case.function
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 60, "{checked} arguments checked");
}

#[test]
fn invalid_utf8_in_every_string_argument() {
    let f = fixture();
    for case in cases() {
        for (i, &(name, kind)) in case.params.iter().enumerate() {
            if matches!(kind, Str(_) | Json(_)) {
                let error = expect_err(run(&case, &f, i, Some(Bad::Utf8)), ErrorCode::InvalidUtf8);
                assert_eq!(error["target"], name, "{}: {error}", case.function);
                assert_eq!(error["category"], "InvalidArgument");
            }
        }
    }
}

#[test]
fn invalid_json_in_every_json_argument() {
    let f = fixture();
    for case in cases() {
        for (i, &(name, kind)) in case.params.iter().enumerate() {
            if matches!(kind, Json(_)) {
                let error = expect_err(run(&case, &f, i, Some(Bad::Json)), ErrorCode::InvalidJson);
                assert_eq!(error["target"], name, "{}: {error}", case.function);
                assert!(error["message"].as_str().unwrap().contains(name), "{error}");
            }
        }
    }
}

#[test]
fn json_of_the_wrong_shape_is_invalid_json() {
    let store = Store::sample(2, 0);
    for request in [
        r#"{"Identity":"John@contoso.com","Bogus":1}"#,
        r#"{"identity":"John@contoso.com"}"#,
        r#"{"Identity":42}"#,
        "",
    ] {
        let json = c(request);
        expect_err(
            call(|o, e| unsafe { mms_migration_start(store.handle, json.as_ptr(), o, e) }),
            ErrorCode::InvalidJson,
        );
    }
    // Case-insensitive meeting types parse; a wrong one is refused before anything is queued.
    let ok = c(
        r#"{"Identity":"John@contoso.com","SourceMeetingType":"sfb","TargetMeetingType":"teams"}"#,
    );
    let preview = expect_ok(call(|o, e| unsafe {
        mms_migration_preview(store.handle, ok.as_ptr(), o, e)
    }));
    assert_eq!(preview["MigrationType"], "SfbToTeams");
    let wrong = c(r#"{"Identity":"John@contoso.com","SourceMeetingType":"Zoom"}"#);
    let error = call(|o, e| unsafe { mms_migration_start(store.handle, wrong.as_ptr(), o, e) })
        .unwrap_err()
        .1;
    assert!(
        error["message"].as_str().unwrap().contains("Zoom"),
        "{error}"
    );
    let none = expect_ok(call(|o, e| unsafe {
        mms_status_query(store.handle, ptr::null(), o, e)
    }));
    assert_eq!(none.as_array().unwrap().len(), 0);
}

#[test]
fn a_megabyte_identity_is_malformed_not_a_crash() {
    let store = Store::sample(2, 0);
    let huge = "a".repeat(1 << 20);
    let identity = c(&huge);
    let error = expect_err(
        call(|o, e| unsafe {
            mms_identity_resolve(store.handle, ptr::null(), identity.as_ptr(), o, e)
        }),
        ErrorCode::MalformedIdentity,
    );
    assert!(
        error["message"].as_str().unwrap().len() < 2048,
        "the message does not echo a megabyte"
    );
    expect_err(
        call(|o, e| unsafe {
            mms_meetings_list(store.handle, ptr::null(), identity.as_ptr(), o, e)
        }),
        ErrorCode::MalformedIdentity,
    );
    let request = c(&serde_json::json!({ "Identity": huge }).to_string());
    expect_err(
        call(|o, e| unsafe { mms_migration_start(store.handle, request.as_ptr(), o, e) }),
        ErrorCode::MalformedIdentity,
    );
    // A megabyte of tenant text is an invalid tenant id.
    expect_err(
        call(|o, e| unsafe {
            mms_identity_resolve(
                store.handle,
                identity.as_ptr(),
                c("John@contoso.com").as_ptr(),
                o,
                e,
            )
        }),
        ErrorCode::InvalidTenantId,
    );
}

#[test]
fn tenant_argument_rules() {
    let store = Store::sample(2, 0);
    let john = c("John@contoso.com");
    let resolve = |tenant: *const c_char| {
        call(|o, e| unsafe { mms_identity_resolve(store.handle, tenant, john.as_ptr(), o, e) })
    };
    let by_default = expect_ok(resolve(ptr::null()));
    assert_eq!(expect_ok(resolve(c("").as_ptr())), by_default);
    let tenant = c(by_default["TenantId"].as_str().unwrap());
    assert_eq!(expect_ok(resolve(tenant.as_ptr())), by_default);
    let braced = c(&format!("{{{}}}", by_default["TenantId"].as_str().unwrap()));
    assert_eq!(expect_ok(resolve(braced.as_ptr())), by_default);
    let error = expect_err(resolve(c("contoso").as_ptr()), ErrorCode::InvalidTenantId);
    assert_eq!(error["target"], "contoso");
    expect_err(
        resolve(c("11111111-2222-3333-4444-555555555555").as_ptr()),
        ErrorCode::TenantNotFound,
    );

    let empty = Store::empty();
    expect_err(
        call(|o, e| unsafe {
            mms_identity_resolve(empty.handle, ptr::null(), john.as_ptr(), o, e)
        }),
        ErrorCode::NoDefaultTenant,
    );
    expect_err(
        call(|o, e| unsafe { mms_tenant_get_default(empty.handle, o, e) }),
        ErrorCode::NoDefaultTenant,
    );
}

#[test]
fn lookups_by_correlation_id_stay_in_their_tenant() {
    let store = Store::sample(2, 0);
    let other_id = "5f0c7e2a-91d4-4b36-a8e1-3c9d2b6f4a17";
    let options = c(&format!(
        r#"{{"TenantId":"{other_id}","UserCount":2,"MeetingsPerUser":0}}"#
    ));
    expect_ok(call(|o, e| unsafe {
        mms_sample_tenant_create(store.handle, options.as_ptr(), o, e)
    }));
    let a = store.start("John@contoso.com")["Status"]["CorrelationId"]
        .as_str()
        .unwrap()
        .to_string();
    let request = c(&format!(
        r#"{{"Identity":"John@contoso.com","Tenant":"{other_id}"}}"#
    ));
    let b = expect_ok(call(|o, e| unsafe {
        mms_migration_start(store.handle, request.as_ptr(), o, e)
    }))["Status"]["CorrelationId"]
        .as_str()
        .unwrap()
        .to_string();
    let other = c(other_id);
    let get = |tenant: *const c_char, id: &str| {
        let id = c(id);
        call(|o, e| unsafe { mms_status_get(store.handle, tenant, id.as_ptr(), o, e) })
    };
    let wait = |tenant: *const c_char, id: &str| {
        let id = c(id);
        call(|o, e| unsafe {
            mms_migration_wait(
                store.handle,
                tenant,
                id.as_ptr(),
                0,
                None,
                ptr::null_mut(),
                ptr::null(),
                o,
                e,
            )
        })
    };
    let many = |tenant: *const c_char| {
        let ids = c(&serde_json::json!([a, b]).to_string());
        let found = expect_ok(call(|o, e| unsafe {
            mms_status_get_many(store.handle, tenant, ids.as_ptr(), o, e)
        }));
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["CorrelationId"].as_str().map(str::to_string))
            .collect::<Vec<_>>()
    };
    // An error with the id it names masked: another tenant's request fails as an unknown one.
    let masked = |error: serde_json::Value, id: &str| {
        serde_json::from_str::<serde_json::Value>(&error.to_string().replace(id, "<id>")).unwrap()
    };
    let unknown = "8a1f3c56-0000-4000-8000-000000000000";
    let not_found = masked(
        expect_err(get(other.as_ptr(), unknown), ErrorCode::RequestNotFound),
        unknown,
    );

    // Each request in its own tenant.
    assert_eq!(expect_ok(get(ptr::null(), &a))["CorrelationId"], a.as_str());
    assert_eq!(
        expect_ok(get(c("").as_ptr(), &a))["CorrelationId"],
        a.as_str()
    );
    assert_eq!(
        expect_ok(get(other.as_ptr(), &b))["CorrelationId"],
        b.as_str()
    );
    expect_err(wait(other.as_ptr(), &b), ErrorCode::Timeout);
    assert_eq!(many(ptr::null()), [Some(a.clone()), None]);
    assert_eq!(many(other.as_ptr()), [None, Some(b.clone())]);

    // Not in the other.
    for (tenant, id) in [(other.as_ptr(), &a), (ptr::null(), &b)] {
        let error = expect_err(get(tenant, id), ErrorCode::RequestNotFound);
        assert_eq!(masked(error, id), not_found);
        let error = expect_err(wait(tenant, id), ErrorCode::RequestNotFound);
        assert_eq!(masked(error, id), not_found);
    }

    // The tenant argument's own rules.
    let nowhere = c("11111111-2222-3333-4444-555555555555");
    expect_err(get(nowhere.as_ptr(), &a), ErrorCode::TenantNotFound);
    expect_err(wait(nowhere.as_ptr(), &a), ErrorCode::TenantNotFound);
    expect_err(get(c("contoso").as_ptr(), &a), ErrorCode::InvalidTenantId);
    let none = c("[]");
    expect_err(
        call(|o, e| unsafe {
            mms_status_get_many(store.handle, nowhere.as_ptr(), none.as_ptr(), o, e)
        }),
        ErrorCode::TenantNotFound,
    );
}

#[test]
fn error_json_carries_code_id_category_message_target() {
    let store = Store::sample(2, 0);
    let error = expect_err(
        call(|o, e| unsafe {
            mms_identity_resolve(
                store.handle,
                ptr::null(),
                c("nobody@contoso.com").as_ptr(),
                o,
                e,
            )
        }),
        ErrorCode::IdentityNotFound,
    );
    assert_eq!(error["code"], 6);
    assert_eq!(error["id"], "IdentityNotFound");
    assert_eq!(error["category"], "ObjectNotFound");
    assert_eq!(error["target"], "nobody@contoso.com");
    let error = expect_err(
        call(|o, e| unsafe {
            mms_identity_resolve(store.handle, ptr::null(), c("user*").as_ptr(), o, e)
        }),
        ErrorCode::WildcardNotAllowed,
    );
    assert_eq!(error["id"], "WildcardNotAllowed");
    let error = expect_err(
        call(|o, e| unsafe {
            mms_status_get(
                store.handle,
                ptr::null(),
                c("8a1f3c56-0000-4000-8000-000000000000").as_ptr(),
                o,
                e,
            )
        }),
        ErrorCode::RequestNotFound,
    );
    assert_eq!(error["category"], "ObjectNotFound");
}

#[test]
fn error_codes_table_matches_the_status_enum() {
    let table = expect_ok(call(|o, e| unsafe { mms_error_codes(o, e) }));
    let table = table.as_array().unwrap();
    assert_eq!(table.len(), ErrorCode::ALL.len());
    for (i, (row, &code)) in table.iter().zip(ErrorCode::ALL).enumerate() {
        assert_eq!(row["code"], i as i64, "codes are 0..n without gaps");
        assert_eq!(row["code"], code as i32);
        assert_eq!(row["id"], code.id());
        assert_eq!(row["category"], code.category());
        assert_eq!(row.as_object().unwrap().len(), 3);
    }
    assert_eq!(table[1]["id"], "Panic");
    assert_eq!(table[25]["id"], "NoDefaultTenant");
    assert_eq!(ErrorCode::NoDefaultTenant as i32, 25);
}

#[test]
fn version_strings_and_frees() {
    let version = unsafe { std::ffi::CStr::from_ptr(mms_version()) };
    assert_eq!(version.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    assert_eq!(mms_version(), mms_version(), "static");
    assert_eq!(mms_abi_version(), 2);
    assert_eq!(mms_abi_version(), MMS_ABI_VERSION);
    unsafe {
        mms_string_free(ptr::null_mut());
        mms_store_free(ptr::null_mut());
        mms_cancel_free(ptr::null_mut());
        mms_cancel_cancel(ptr::null());
    }
}

#[test]
fn an_empty_store_path_is_an_invalid_argument() {
    let mut store: *mut MmsStore = sentinel();
    let mut err = ptr::null_mut();
    let status = unsafe { mms_store_open(c("").as_ptr(), &mut store, &mut err) };
    assert_eq!(status, ErrorCode::InvalidArgument as i32);
    assert_eq!(store, sentinel());
    check_error_shape(&serde_json::from_str(&take(err)).unwrap());
}

#[test]
fn a_store_that_cannot_be_opened_is_a_store_error() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_db = dir.path().join("junk.db");
    std::fs::write(&not_a_db, vec![0x42u8; 8192]).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&not_a_db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let path = c(not_a_db.to_str().unwrap());
    let mut store: *mut MmsStore = sentinel();
    let mut err = ptr::null_mut();
    let status = unsafe { mms_store_open(path.as_ptr(), &mut store, &mut err) };
    assert_eq!(status, ErrorCode::StoreCorrupt as i32, "{}", take(err));
    assert_eq!(store, sentinel());
}

#[test]
fn negative_timeout_is_an_invalid_argument() {
    let store = Store::sample(2, 0);
    let started = store.start("John@contoso.com");
    let id = c(started["Status"]["CorrelationId"].as_str().unwrap());
    let error = expect_err(
        call(|o, e| unsafe {
            mms_migration_wait(
                store.handle,
                ptr::null(),
                id.as_ptr(),
                -1,
                None,
                ptr::null_mut(),
                ptr::null(),
                o,
                e,
            )
        }),
        ErrorCode::InvalidArgument,
    );
    assert_eq!(error["target"], "timeout_ms");
}
