//! Data out: Export-MmsTenantData's file, read back by the import into an identical tenant.

mod support;

use meeting_migration::directory::UserQuery;
use meeting_migration::model::*;
use meeting_migration::{ErrorCode, Service};
use support::*;
use uuid::Uuid;

/// Every user of the tenant as listed, without what belongs to the store (key, tenant).
fn users_of(svc: &Service, tenant: Uuid) -> Vec<User> {
    let mut users = Vec::new();
    let mut after = None;
    loop {
        let page = svc
            .list_users(&UserQuery {
                tenant: Some(tenant.to_string()),
                after,
                limit: Some(50),
                ..Default::default()
            })
            .unwrap();
        users.extend(page.users.into_iter().map(|mut u| {
            u.key = 0;
            u.tenant_id = Uuid::nil();
            u
        }));
        match page.next {
            Some(next) => after = Some(next),
            None => return users,
        }
    }
}

fn meetings_of(svc: &Service, tenant: Uuid, users: &[User]) -> Vec<MeetingRow> {
    users
        .iter()
        .flat_map(|u| {
            svc.meetings(Some(&tenant.to_string()), &u.identity.to_string())
                .unwrap()
        })
        .map(|m| MeetingRow {
            key: 0,
            tenant_id: Uuid::nil(),
            ..m.row
        })
        .collect()
}

#[test]
fn an_export_imports_into_an_identical_tenant() {
    let (store, svc) = sample(30, 3);
    let source = svc.tenant(None).unwrap();
    // Settings other than the defaults, so that a lost setting shows.
    svc.set_migration_configuration(
        None,
        &MigrationConfigurationChanges {
            meeting_migration_enabled: Some(false),
            hold_minutes: Some(45),
            time_scale: Some(60),
        },
    )
    .unwrap();
    svc.set_dial_in_settings(
        None,
        &DialInSettingsChanges {
            pin_length: Some(7),
            default_toll_free_number: Some(String::new()),
            allowed_dial_out_external_domains: Some(vec!["fabrikam.com".into()]),
            mask_pstn_numbers_type: Some("NoMasking".into()),
            send_email_from_address: Some("Admin@contoso.com".into()),
            include_toll_free_number_in_meeting_invites: Some(false),
            ..Default::default()
        },
    )
    .unwrap();
    svc.set_fault_injection(
        None,
        &FaultInjectionChanges {
            transient_failure_rate: Some(0.25),
            permanent_failure_rate: Some(0.05),
            seed: Some(42),
        },
    )
    .unwrap();
    let path = store.file("tenant.json");
    let summary = svc
        .export_file(None, &path, false, &mut |_, _| {}, None)
        .unwrap();
    let users = users_of(&svc, source.tenant_id);
    let meetings = meetings_of(&svc, source.tenant_id, &users);
    assert_eq!(summary.users, users.len());
    assert_eq!(summary.meetings, meetings.len());
    assert!(summary.meetings > 30, "{summary:?}");
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "private");
        assert_eq!(meta.len(), summary.bytes);
    }

    // Another store, a tenant with the same domains.
    let other = TestStore::new();
    let svc2 = other.open();
    let target = svc2
        .create_tenant(&NewTenant {
            name: "Copy".into(),
            domains: source.domains.clone(),
            ..Default::default()
        })
        .unwrap();
    let imported = svc2
        .import_file(
            Some(&target.tenant_id.to_string()),
            &path,
            &mut |_, _| {},
            None,
        )
        .unwrap();
    assert_eq!(
        (imported.users, imported.meetings),
        (summary.users, summary.meetings)
    );
    let copied = users_of(&svc2, target.tenant_id);
    assert_eq!(copied, users, "users, every property");
    assert_eq!(meetings_of(&svc2, target.tenant_id, &copied), meetings);
    let t = Some(target.tenant_id.to_string());
    assert_eq!(
        svc2.migration_configuration(t.as_deref()).unwrap(),
        svc.migration_configuration(None)
            .unwrap()
            .for_tenant(&svc2.migration_configuration(t.as_deref()).unwrap())
    );
    let dial_in = svc2.dial_in_settings(t.as_deref()).unwrap();
    assert_eq!(
        dial_in,
        svc.dial_in_settings(None).unwrap().for_tenant(&dial_in)
    );
    assert_eq!(dial_in.pin_length, 7);
    assert_eq!(dial_in.default_toll_free_number, None);
    assert_eq!(
        svc2.fault_injection(t.as_deref()).unwrap(),
        FaultInjection {
            transient_rate: 0.25,
            permanent_rate: 0.05,
            seed: 42
        }
    );
}

#[test]
fn an_export_keeps_an_existing_file_unless_replacing_and_never_writes_through_a_link() {
    let (store, svc) = sample(2, 1);
    let path = store.file("tenant.json");
    std::fs::write(&path, "keep me").unwrap();
    let e = svc
        .export_file(None, &path, false, &mut |_, _| {}, None)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AlreadyExists, "{e}");
    assert!(e.message.contains("-Force"), "{e}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");

    // A link planted at the path: refused without replace, replaced (not followed) with it.
    let victim = store.file("victim.txt");
    std::fs::write(&victim, "not yours").unwrap();
    let link = store.file("link.json");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let e = svc
        .export_file(None, &link, false, &mut |_, _| {}, None)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AlreadyExists);
    svc.export_file(None, &link, true, &mut |_, _| {}, None)
        .unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "not yours");
    assert!(!std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&link)
        .unwrap()
        .contains("\"Users\""));

    let files: Vec<String> = std::fs::read_dir(store.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(files.is_empty(), "no temporary file left: {files:?}");
}

#[test]
fn a_cancelled_export_leaves_no_file() {
    let (store, svc) = sample(1500, 0);
    let path = store.file("tenant.json");
    let cancel = meeting_migration::cancel::CancelToken::new();
    let e = svc
        .export_file(
            None,
            &path,
            false,
            &mut |_, _| cancel.cancel(),
            Some(&cancel),
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled, "{e}");
    assert!(!path.exists());
    assert_eq!(
        std::fs::read_dir(store.dir.path()).unwrap().count(),
        3,
        "the store and its WAL files only"
    );
}

#[test]
fn a_bad_setting_in_an_import_file_names_it_and_imports_nothing() {
    let (store, svc) = sample(0, 0);
    let before = svc.dial_in_settings(None).unwrap();
    let e = import_text(
        &store,
        &svc,
        None,
        "settings.json",
        r#"{"Users": [{"UserPrincipalName": "new@contoso.com"}],
            "Settings": {"DialInConferencing": {"PinLength": 3}}}"#,
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::ImportFailed, "{e}");
    assert!(e.message.contains("PinLength 3"), "{e}");
    assert!(svc.resolve(None, "new@contoso.com").is_err());
    assert_eq!(svc.dial_in_settings(None).unwrap(), before);

    // A misspelt setting and an out-of-range fault rate, each named in the error.
    for (text, named) in [
        (
            r#"{"Settings": {"DialInConferencing": {"PinLenght": 6}}}"#,
            "PinLenght",
        ),
        (
            r#"{"Settings": {"FaultInjection": {"TransientFailureRate": 2}}}"#,
            "TransientFailureRate 2",
        ),
    ] {
        let e = import_text(&store, &svc, None, "settings.json", text).unwrap_err();
        assert_eq!(e.code, ErrorCode::ImportFailed, "{e}");
        assert!(e.message.contains(named), "{e}");
    }
    assert!(!svc.fault_injection(None).unwrap().enabled());

    // A setting left out keeps its value; a null number clears it.
    import_text(
        &store,
        &svc,
        None,
        "settings.json",
        r#"{"Settings": {"DialInConferencing": {"PinLength": 9, "DefaultTollNumber": null},
                         "MigrationConfiguration": {"HoldMinutes": 5}}}"#,
    )
    .unwrap();
    let after = svc.dial_in_settings(None).unwrap();
    assert_eq!((after.pin_length, after.default_toll_number), (9, None));
    assert_eq!(
        after.default_toll_free_number,
        before.default_toll_free_number
    );
    let configuration = svc.migration_configuration(None).unwrap();
    assert_eq!(configuration.hold_minutes, 5);
}
