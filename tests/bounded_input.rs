//! Hostile and clumsy input stays bounded: deep or long filters, huge echoed values, odd
//! JSON shapes, files that are not files. Each case is a clear error, never a crash.

mod ffi_common;
mod support;

use ffi_common::{c, call, expect_err, expect_ok, Store};
use meeting_migration::directory::UserQuery;
use meeting_migration::ffi::*;
use meeting_migration::{ErrorCode, Service};
use support::*;

fn list(svc: &Service, filter: &str) -> meeting_migration::Result<usize> {
    svc.list_users(&UserQuery {
        filter: Some(filter.to_string()),
        ..Default::default()
    })
    .map(|page| page.users.len())
}

/// Runs `f` on a thread with a small stack, so unbounded recursion fails here rather than
/// only on a bigger input.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no stack overflow")
}

#[test]
fn deeply_nested_filters_are_a_clear_error() {
    let (_store, svc) = sample(3, 0);
    let comparison = "DisplayName -eq 'x'";
    let cases = [
        format!("{}{comparison}{}", "(".repeat(25_000), ")".repeat(25_000)),
        format!("{}{comparison}", "-not ".repeat(100_000)),
        vec![comparison; 100_000].join(" -and "),
        vec![comparison; 100_000].join(" -or "),
        "(".repeat(1 << 20),
    ];
    for text in cases {
        let e = list(&svc, &text).unwrap_err();
        assert_eq!(e.code, ErrorCode::FilterSyntax, "{}", e.message);
        assert!(e.message.len() < 400, "{}", e.message);
        assert!(
            e.message.contains("nested") || e.message.contains("at most"),
            "{}",
            e.message
        );
    }
}

#[test]
fn filters_within_the_bounds_still_work_on_a_small_stack() {
    let (store, svc) = sample(3, 0);
    drop(svc);
    let path = store.path.clone();
    on_small_stack(move || {
        let svc = Service::open(Some(&path)).unwrap();
        // 64 levels of parentheses and -not, and a -or chain of 600 comparisons (28 KB).
        let nested = format!(
            "{}UserPrincipalName -like 'user*'{}",
            "(-not ".repeat(32),
            ")".repeat(32)
        );
        assert_eq!(list(&svc, &nested).unwrap(), 3);
        let chain = (0..600)
            .map(|i| format!("UserPrincipalName -eq 'user{i}@contoso.com'"))
            .collect::<Vec<_>>()
            .join(" -or ");
        assert_eq!(list(&svc, &chain).unwrap(), 3);
        let e = list(&svc, &format!("({nested})")).unwrap_err();
        assert!(e.message.contains("nested more than 64"), "{}", e.message);
    });
}

#[test]
fn filter_errors_echo_a_short_value() {
    let (_store, svc) = sample(0, 0);
    let long = "x".repeat(10_000);
    for text in [
        format!("{long} -eq 'a'"),
        format!("DisplayName -eq '{long}"),
        format!("DisplayName -gt{long} 'a'"),
        format!("DisplayName -eq 'a' {long}"),
    ] {
        let e = list(&svc, &text).unwrap_err();
        assert_eq!(e.code, ErrorCode::FilterSyntax);
        assert!(
            e.message.len() < 600,
            "{} bytes: {}",
            e.message.len(),
            e.message
        );
        assert!(e.message.contains("xxxx…"), "{}", e.message);
        assert!(e.target.as_ref().unwrap().chars().count() <= 256);
    }
}

#[test]
fn a_dn_with_oid_attribute_types_resolves() {
    let (_store, svc) = sample(0, 0);
    for dn in [
        "2.5.4.3=Ken Myer,2.5.4.11=Redmond,0.9.2342.19200300.100.1.25=litwareinc,0.9.2342.19200300.100.1.25=com",
        "OID.2.5.4.3=Ken Myer,OU=Redmond,DC=litwareinc,DC=com",
    ] {
        let user = svc.resolve(None, dn).unwrap();
        assert_eq!(user.user_principal_name, "kenmyer@litwareinc.com", "{dn}");
    }
}

#[test]
fn json_arguments_are_objects_at_every_depth() {
    let store = Store::sample(1, 0);
    let start = |json: &str| {
        let json = c(json);
        call(|o, e| unsafe { mms_migration_start(store.handle, json.as_ptr(), o, e) })
    };
    let create = |json: &str| {
        let json = c(json);
        call(|o, e| unsafe { mms_tenant_create(store.handle, json.as_ptr(), o, e) })
    };
    for json in [
        r#"["John@contoso.com"]"#,
        r#"["John@contoso.com", null, "SfB", "Teams"]"#,
    ] {
        let e = expect_err(start(json), ErrorCode::InvalidJson);
        assert!(
            e["message"].as_str().unwrap().contains("expected struct"),
            "{e}"
        );
    }
    let batch = c(r#"[["John@contoso.com"]]"#);
    expect_err(
        call(|o, e| unsafe { mms_migration_start_batch(store.handle, batch.as_ptr(), o, e) }),
        ErrorCode::InvalidJson,
    );
    for json in [
        r#"[null,"Positional Inc",[],false]"#,
        r#"{"Name":"Nested Inc","Domains":[["nested.com","NESTED"]]}"#,
        r#"{"Name":"Typo Inc","Domains":[{"Name":"typo.com","NetBiosName":"TYPO","Netbios":"x"}]}"#,
        r#"{"Name":"Extra Inc","Color":"blue"}"#,
    ] {
        expect_err(create(json), ErrorCode::InvalidJson);
    }
    let list = expect_ok(call(|o, e| unsafe { mms_tenants_list(store.handle, o, e) }));
    assert_eq!(list.as_array().unwrap().len(), 1, "no tenant was created");
    // Objects still work.
    expect_ok(start(r#"{"Identity":"John@contoso.com"}"#));
    expect_ok(create(
        r#"{"Name":"Fabrikam","Domains":[{"Name":"fabrikam.com","NetBiosName":"FABRIKAM"}]}"#,
    ));
}

/// Every error message of the C ABI quotes its input shortened: 64 characters and "…".
#[test]
fn errors_echo_huge_values_shortened() {
    let store = Store::sample(1, 0);
    let huge = "z".repeat(1 << 20);
    let check = |what: &str, result: Result<serde_json::Value, (i32, serde_json::Value)>| {
        let (_, e) = result.expect_err(what);
        let message = e["message"].as_str().unwrap();
        assert!(
            message.chars().count() < 600,
            "{what}: {} characters: {}",
            message.chars().count(),
            &message[..200]
        );
        assert!(message.contains("zzz…"), "{what}: {message}");
        let target = e["target"].as_str().unwrap_or_default();
        assert!(target.chars().count() <= 256, "{what}: long target");
    };
    let h = c(&huge);
    let s = store.handle;
    check(
        "tenant",
        call(|o, e| unsafe { mms_migration_config_get(s, h.as_ptr(), o, e) }),
    );
    check(
        "correlation id",
        call(|o, e| unsafe { mms_status_get(s, std::ptr::null(), h.as_ptr(), o, e) }),
    );
    check(
        "identity",
        call(|o, e| unsafe { mms_identity_resolve(s, std::ptr::null(), h.as_ptr(), o, e) }),
    );
    let json = |value: serde_json::Value| c(&value.to_string());
    let request =
        json(serde_json::json!({"Identity": "John@contoso.com", "SourceMeetingType": huge}));
    check(
        "meeting type",
        call(|o, e| unsafe { mms_migration_start(s, request.as_ptr(), o, e) }),
    );
    let request = json(serde_json::json!({"Identity": "John@contoso.com", "Tenant": huge}));
    check(
        "tenant in a request",
        call(|o, e| unsafe { mms_migration_start(s, request.as_ptr(), o, e) }),
    );
    let query = json(serde_json::json!({ "Filter": huge }));
    check(
        "filter",
        call(|o, e| unsafe { mms_users_list(s, query.as_ptr(), o, e) }),
    );
    let tenant =
        json(serde_json::json!({"Name": "X", "Domains": [{"Name": huge, "NetBiosName": "X"}]}));
    check(
        "domain",
        call(|o, e| unsafe { mms_tenant_create(s, tenant.as_ptr(), o, e) }),
    );
    let unknown = c(&format!(r#"{{"Name":"X","{huge}":1}}"#));
    check(
        "unknown field",
        call(|o, e| unsafe { mms_tenant_create(s, unknown.as_ptr(), o, e) }),
    );
}

#[test]
fn import_errors_echo_huge_values_shortened() {
    let (store, svc) = sample(0, 0);
    let huge = "z".repeat(1 << 20);
    for (name, text) in [
        (
            "upn.json",
            serde_json::json!([{ "UserPrincipalName": huge }]).to_string(),
        ),
        (
            "mode.json",
            serde_json::json!([{"UserPrincipalName": "a@contoso.com", "TeamsUpgradeEffectiveMode": huge}]).to_string(),
        ),
        (
            "field.json",
            format!(r#"[{{"UserPrincipalName":"a@contoso.com","{huge}":1}}]"#),
        ),
        (
            "value.json",
            format!(r#"[{{"UserPrincipalName":["{huge}"]}}]"#),
        ),
        ("upn.csv", format!("UserPrincipalName\n{huge}\n")),
    ] {
        let e = import_text(&store, &svc, None, name, &text).unwrap_err();
        assert_eq!(e.code, ErrorCode::ImportFailed, "{name}");
        assert!(
            e.message.chars().count() < 600 && e.message.contains("zzz…"),
            "{name}: {}",
            &e.message[..e.message.len().min(300)]
        );
    }
}

/// Runs an import on another thread and fails the test, instead of hanging, if it does not
/// return within ten seconds.
fn import_within_10s(
    store: &TestStore,
    path: std::path::PathBuf,
    options: meeting_migration::directory::import::ImportOptions,
    cancel: Option<std::sync::Arc<meeting_migration::cancel::CancelToken>>,
) -> meeting_migration::Result<meeting_migration::model::ImportSummary> {
    let db = store.path.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let svc = Service::open(Some(&db)).unwrap();
        let result = svc.import_file_with(None, &path, &options, &mut |_, _| {}, cancel.as_deref());
        let _ = tx.send(result);
    });
    rx.recv_timeout(std::time::Duration::from_secs(10))
        .expect("the import returned within 10 s")
}

#[test]
fn imports_refuse_what_is_not_a_regular_file_before_reading() {
    let (store, _svc) = sample(0, 0);
    let fifo = store.file("users.json");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    let folder = store.file("folder.csv");
    std::fs::create_dir(&folder).unwrap();
    let devices = [
        std::path::PathBuf::from("/dev/urandom"),
        std::path::PathBuf::from("/dev/zero"),
    ];
    for path in [fifo, folder].into_iter().chain(devices) {
        // Devices have no .json/.csv extension: reach them through a symlink that has one.
        let path = if path.starts_with("/dev") {
            let link = store.file(&format!(
                "{}.json",
                path.file_name().unwrap().to_str().unwrap()
            ));
            std::os::unix::fs::symlink(&path, &link).unwrap();
            link
        } else {
            path
        };
        let e = import_within_10s(&store, path.clone(), Default::default(), None).unwrap_err();
        assert_eq!(e.code, ErrorCode::ImportFailed, "{}", e.message);
        assert!(
            e.message.contains("not a regular file") || e.message.contains("a folder"),
            "{}: {}",
            path.display(),
            e.message
        );
    }
}

#[test]
fn import_files_are_capped_and_the_cap_can_be_raised() {
    use meeting_migration::directory::import::{ImportOptions, DEFAULT_MAX_IMPORT_BYTES};
    let (store, svc) = sample(0, 0);
    // A sparse file one byte over the default limit: refused before anything is read.
    let huge = store.file("huge.json");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(DEFAULT_MAX_IMPORT_BYTES + 1).unwrap();
    let e = import_within_10s(&store, huge, Default::default(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::ImportFailed);
    assert!(e.message.contains("over the import limit"), "{}", e.message);
    assert!(e.message.contains("-MaximumFileSize"), "{}", e.message);

    let users = store.file("users.json");
    let text = (0..40)
        .map(|i| format!(r#"{{"UserPrincipalName":"capped{i}@contoso.com"}}"#))
        .collect::<Vec<_>>()
        .join(",");
    std::fs::write(&users, format!("[{text}]")).unwrap();
    let small = ImportOptions {
        max_bytes: Some(1024),
    };
    let e = import_within_10s(&store, users.clone(), small, None).unwrap_err();
    assert!(e.message.contains("limit of 1024 bytes"), "{}", e.message);
    assert!(svc.resolve(None, "capped0@contoso.com").is_err());
    let raised = ImportOptions {
        max_bytes: Some(1 << 20),
    };
    assert_eq!(
        import_within_10s(&store, users, raised, None)
            .unwrap()
            .users,
        40
    );
}

#[test]
fn a_cancelled_import_stops_while_reading_the_file() {
    let (store, svc) = sample(0, 0);
    // 64 MiB that would take a while to read and then fail to parse.
    let path = store.file("zeros.csv");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(64 << 20)
        .unwrap();
    let cancel = std::sync::Arc::new(meeting_migration::cancel::CancelToken::new());
    cancel.cancel();
    let e = import_within_10s(&store, path, Default::default(), Some(cancel)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled, "{}", e.message);
    drop(svc);
}

#[test]
fn json_and_csv_imports_accept_a_utf8_bom() {
    let (store, svc) = sample(0, 0);
    let json = "\u{feff}{\"Users\":[{\"UserPrincipalName\":\"bom-json@contoso.com\"}]}";
    assert_eq!(
        import_text(&store, &svc, None, "bom.json", json)
            .unwrap()
            .users,
        1
    );
    let csv = "\u{feff}UserPrincipalName,DisplayName\nbom-csv@contoso.com,Bom Csv\n";
    assert_eq!(
        import_text(&store, &svc, None, "bom.csv", csv)
            .unwrap()
            .users,
        1
    );
    assert_eq!(
        svc.resolve(None, "Bom Csv").unwrap().user_principal_name,
        "bom-csv@contoso.com"
    );
    assert!(svc.resolve(None, "bom-json@contoso.com").is_ok());
}

#[test]
fn the_c_abi_imports_with_a_raised_limit() {
    let store = Store::sample(0, 0);
    let path = store.dir.path().join("abi.csv");
    std::fs::write(&path, "UserPrincipalName\nabi-import@contoso.com\n").unwrap();
    let p = c(path.to_str().unwrap());
    let import = |options: Option<&str>| {
        let options = options.map(c);
        call(|o, e| unsafe {
            mms_data_import_with_options(
                store.handle,
                std::ptr::null(),
                p.as_ptr(),
                options.as_ref().map_or(std::ptr::null(), |o| o.as_ptr()),
                None,
                std::ptr::null_mut(),
                std::ptr::null(),
                o,
                e,
            )
        })
    };
    let e = expect_err(import(Some(r#"{"MaxBytes":10}"#)), ErrorCode::ImportFailed);
    assert!(e["message"].as_str().unwrap().contains("limit of 10 bytes"));
    expect_err(import(Some(r#"[10]"#)), ErrorCode::InvalidJson);
    assert_eq!(expect_ok(import(None))["Users"], 1);
}

/// A message that quotes an input whole (a store path) is still cut where it crosses the C ABI.
#[test]
fn no_error_crossing_the_c_abi_is_longer_than_2000_characters() {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("x".repeat(1 << 20)).join("mms.db");
    let path = c(long.to_str().unwrap());
    let mut handle = std::ptr::null_mut();
    let (status, e) = call(|_, e| unsafe { mms_store_open(path.as_ptr(), &mut handle, e) })
        .expect_err("a 1 MiB path cannot be opened");
    assert_ne!(status, 0);
    let message = e["message"].as_str().unwrap();
    assert!(
        message.chars().count() <= 2_001,
        "{} characters",
        message.chars().count()
    );
}
