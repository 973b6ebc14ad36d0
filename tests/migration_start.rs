//! Starting migrations on a real store: the migration-type table, the tenant switch, one open
//! request per user, the read-only preview, batches, the hold time.

mod support;

use meeting_migration::migration::request::StartRequest;
use meeting_migration::migration::status::StatusQuery;
use meeting_migration::migration::worker::{run_once, StopSignal};
use meeting_migration::model::*;
use meeting_migration::time::Timestamp;
use meeting_migration::ErrorCode;
use support::org::*;
use support::*;

#[test]
fn migration_type_follows_the_table() {
    use SourceMeetingType as S;
    use TargetMeetingType as T;
    let (_s, svc) = sample(6, 0);
    let table = [
        (S::All, T::Current, "ToSameType"),
        (S::All, T::Teams, "AllToTeams"),
        (S::SfB, T::Current, "SfbToSfb"),
        (S::SfB, T::Teams, "SfbToTeams"),
        (S::Teams, T::Current, "TeamsToTeams"),
        (S::Teams, T::Teams, "TeamsToTeams"),
    ];
    for (i, (source, target, expected)) in table.into_iter().enumerate() {
        let s = start(&svc, &format!("user{}@contoso.com", i + 1), source, target);
        assert_eq!(s.migration_type.as_str(), expected);
        assert_eq!(s.state, RequestState::Pending);
        assert_eq!(s.user_principal_name, format!("user{}@contoso.com", i + 1));
        assert_eq!(s.create_date, s.modified_date);
        assert_eq!(s.correlation_id.get_version_num(), 4);
        assert!((Timestamp::now().millis() - s.create_date.millis()).abs() < 60_000);
    }
    // Defaults are All / Current; names parse case-insensitively.
    let r: StartRequest = serde_json::from_str(r#"{"Identity": "John@contoso.com", "SourceMeetingType": "sfb", "TargetMeetingType": "TEAMS"}"#).unwrap();
    assert_eq!(
        svc.start(&r).unwrap().status.migration_type,
        MigrationType::SfbToTeams
    );
    let r: StartRequest = serde_json::from_str(r#"{"Identity": "Ken Myer"}"#).unwrap();
    assert_eq!(
        svc.start(&r).unwrap().status.migration_type,
        MigrationType::ToSameType
    );
    assert!(serde_json::from_str::<StartRequest>(
        r#"{"Identity": "x", "SourceMeetingType": "Zoom"}"#
    )
    .is_err());
}

#[test]
fn a_disabled_tenant_refuses_with_the_command_to_enable_it() {
    let (_s, svc) = sample(2, 0);
    svc.set_migration_configuration(
        None,
        &MigrationConfigurationChanges {
            meeting_migration_enabled: Some(false),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        !svc.migration_configuration(None)
            .unwrap()
            .meeting_migration_enabled
    );
    let e = svc
        .start(&StartRequest::new("user1@contoso.com"))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::MigrationDisabled);
    assert!(
        e.message
            .contains("Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true"),
        "{}",
        e.message
    );
    let preview = svc
        .preview(&StartRequest::new("user1@contoso.com"))
        .unwrap();
    assert!(!preview.migration_enabled);
    assert!(svc.status(&StatusQuery::default()).unwrap().is_empty());
    svc.set_migration_configuration(
        None,
        &MigrationConfigurationChanges {
            meeting_migration_enabled: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(svc.start(&StartRequest::new("user1@contoso.com")).is_ok());
}

#[test]
fn an_open_request_is_returned_instead_of_a_second() {
    let (_s, svc) = sample(1, 1);
    let first = svc.start(&StartRequest::new("user1@contoso.com")).unwrap();
    assert!(!first.existing);
    let mut again = StartRequest::new("sip:USER1@contoso.com");
    again.target_meeting_type = TargetMeetingType::Teams;
    let second = svc.start(&again).unwrap();
    assert!(second.existing);
    assert_eq!(second.status.correlation_id, first.status.correlation_id);
    assert_eq!(second.status.migration_type, MigrationType::ToSameType);
    assert_eq!(svc.status(&StatusQuery::default()).unwrap().len(), 1);
    // Once it is done, a new start queues a new request.
    drain(&svc, &fast_options());
    let third = svc.start(&StartRequest::new("user1@contoso.com")).unwrap();
    assert!(!third.existing);
    assert_ne!(third.status.correlation_id, first.status.correlation_id);
}

#[test]
fn preview_counts_the_meetings_in_scope_and_changes_nothing() {
    let (store, svc) = org_store();
    let before = store.hashes();
    for (source, n) in [
        (SourceMeetingType::All, 6),
        (SourceMeetingType::SfB, 4),
        (SourceMeetingType::Teams, 2),
    ] {
        let mut r = StartRequest::new("Org Aniser");
        r.source_meeting_type = source;
        r.target_meeting_type = TargetMeetingType::Teams;
        let p = svc.preview(&r).unwrap();
        assert_eq!(p.meeting_count, n, "{source}");
        assert_eq!(p.meetings.len(), n);
        assert_eq!(p.user.user_principal_name, "org@contoso.com");
        assert!(p.existing_request.is_none());
        assert!(p.migration_enabled);
    }
    assert_eq!(store.hashes(), before, "preview wrote to the store");
    assert!(svc.status(&StatusQuery::default()).unwrap().is_empty());
    let s = start(
        &svc,
        "org@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Current,
    );
    let p = svc.preview(&StartRequest::new("org@contoso.com")).unwrap();
    assert_eq!(p.existing_request.unwrap().correlation_id, s.correlation_id);
}

#[test]
fn start_batch_answers_each_item_in_order() {
    let (_s, svc) = sample(3, 0);
    let items: Vec<StartRequest> = [
        "user1@contoso.com",
        "nobody@contoso.com",
        "user2@contoso.com",
        "user*",
        "USER1@contoso.com",
        "",
        "Ken Myer",
    ]
    .iter()
    .map(|i| StartRequest::new(i))
    .collect();
    let results = svc.start_batch(&items);
    assert_eq!(results.len(), items.len());
    let ok = |i: usize| results[i].as_ref().unwrap();
    let err = |i: usize| results[i].as_ref().unwrap_err().code;
    assert_eq!(ok(0).status.user_principal_name, "user1@contoso.com");
    assert!(!ok(0).existing);
    assert_eq!(err(1), ErrorCode::IdentityNotFound);
    assert_eq!(ok(2).status.user_principal_name, "user2@contoso.com");
    assert_eq!(err(3), ErrorCode::WildcardNotAllowed);
    assert!(
        ok(4).existing,
        "the same user twice in a batch gets the first request"
    );
    assert_eq!(ok(4).status.correlation_id, ok(0).status.correlation_id);
    assert_eq!(err(5), ErrorCode::MalformedIdentity);
    assert_eq!(ok(6).status.user_principal_name, "kenmyer@litwareinc.com");
    assert_eq!(svc.status(&StatusQuery::default()).unwrap().len(), 3);
    assert!(svc.start_batch(&[]).is_empty());
}

#[test]
fn preview_batch_agrees_with_each_preview_and_changes_nothing() {
    let (store, svc) = org_store();
    let open = start(
        &svc,
        "user1@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Current,
    );
    let before = store.hashes();
    let mut sfb = StartRequest::new("Org Aniser");
    sfb.source_meeting_type = SourceMeetingType::SfB;
    sfb.target_meeting_type = TargetMeetingType::Teams;
    let mut elsewhere = StartRequest::new("user2@contoso.com");
    elsewhere.tenant = Some(uuid::Uuid::new_v4().to_string());
    let items = vec![
        StartRequest::new("org@contoso.com"),
        StartRequest::new("nobody@contoso.com"),
        sfb,
        StartRequest::new("user1@contoso.com"),
        elsewhere,
        StartRequest::new("user*"),
    ];
    let results = svc.preview_batch(&items).unwrap();
    assert_eq!(results.len(), items.len());
    for (item, result) in items.iter().zip(&results) {
        match (svc.preview(item), result) {
            (Ok(one), Ok(summary)) => {
                assert_eq!(summary.user_id, one.user.identity);
                assert_eq!(summary.user_principal_name, one.user.user_principal_name);
                assert_eq!(summary.tenant_id, one.tenant_id);
                assert_eq!(summary.migration_type, one.migration_type);
                assert_eq!(summary.meeting_count, one.meeting_count);
                assert_eq!(summary.existing_request, one.existing_request);
                assert_eq!(summary.migration_enabled, one.migration_enabled);
            }
            (Err(one), Err(batch)) => assert_eq!(batch.to_json(), one.to_json()),
            (one, batch) => panic!("{}: alone {one:?}, in a batch {batch:?}", item.identity),
        }
    }
    let ok = |i: usize| results[i].as_ref().unwrap();
    let err = |i: usize| results[i].as_ref().unwrap_err().code;
    assert_eq!(ok(0).meeting_count, 6);
    assert_eq!(err(1), ErrorCode::IdentityNotFound);
    assert_eq!(
        (ok(2).meeting_count, ok(2).migration_type.as_str()),
        (4, "SfbToTeams")
    );
    assert_eq!(
        ok(3).existing_request.as_ref().unwrap().correlation_id,
        open.correlation_id
    );
    assert_eq!(err(4), ErrorCode::TenantNotFound);
    assert_eq!(err(5), ErrorCode::WildcardNotAllowed);
    assert_eq!(store.hashes(), before, "a preview wrote to the store");
    assert!(svc.preview_batch(&[]).unwrap().is_empty());
}

#[test]
fn the_worker_waits_out_the_hold_time() {
    let (store, svc) = sample(2, 2);
    svc.set_migration_configuration(
        None,
        &MigrationConfigurationChanges {
            hold_minutes: Some(5),
            ..Default::default()
        },
    )
    .unwrap();
    let s = start(
        &svc,
        "user1@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Current,
    );
    let options = fast_options();
    let stop = StopSignal::default();
    assert!(
        !run_once(&**svc.store(), &**svc.clock(), &options, "w", &stop).unwrap(),
        "held requests are not taken"
    );
    assert_eq!(status_of(&svc, &s).state, RequestState::Pending);
    let not_before: i64 = store
        .sql()
        .query_row("SELECT not_before - create_date FROM requests", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(not_before, 5 * 60_000);
    // Once the hold is over, the worker takes it.
    store.clock.advance(5 * 60_000);
    drain(&svc, &options);
    assert_eq!(status_of(&svc, &s).state, RequestState::Succeeded);
    let e = svc
        .set_migration_configuration(
            None,
            &MigrationConfigurationChanges {
                hold_minutes: Some(-1),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}

#[test]
fn disabling_migration_while_a_batch_is_being_queued_queues_nothing() {
    let (_store, svc) = sample(3, 0);
    let user = svc.resolve(None, "user1@contoso.com").unwrap();
    let tenant = svc.tenant(None).unwrap();
    let request = NewRequest {
        tenant: tenant.key,
        tenant_id: tenant.tenant_id,
        user,
        source: SourceMeetingType::All,
        target: TargetMeetingType::Current,
        migration_type: MigrationType::ToSameType,
        not_before: Timestamp::now(),
        triggered_by: TriggeredBy::Admin,
    };
    // The rules were checked with migration enabled; then an admin disables it.
    svc.set_migration_configuration(
        None,
        &MigrationConfigurationChanges {
            meeting_migration_enabled: Some(false),
            ..Default::default()
        },
    )
    .unwrap();
    let e = svc
        .store()
        .start_requests(&[request], Timestamp::now())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::MigrationDisabled);
    assert!(e
        .message
        .contains("Set-CsTenantMigrationConfiguration -MeetingMigrationEnabled $true"));
    assert!(svc.status(&StatusQuery::default()).unwrap().is_empty());
}
