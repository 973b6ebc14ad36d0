//! Migration requests and the worker (docs/architecture.md, "One migration, end to end")
//! on real stores: start rules, selection, rewrites, counts, retries, purge, queue
//! position, summary and waits.

mod support;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use meeting_migration::migration::request::StartRequest;
use meeting_migration::migration::rewrite::{JoinDetails, OnlineMeetingBlock};
use meeting_migration::migration::status::{CancelToken, StatusQuery};
use meeting_migration::migration::worker::{run_once, StopSignal, WorkerOptions};
use meeting_migration::model::*;
use meeting_migration::time::Timestamp;
use meeting_migration::{ErrorCode, Service};
use serde_json::json;
use support::*;
use uuid::Uuid;

const PREFIX: &str = "Привет 👋 — agenda: café ☕\r\n\r\n";
const SUFFIX: &str = "\r\n\r\nTschüß ✓ 会议\r\n";

fn meeting(
    subject: &str,
    kind: &str,
    start: i64,
    end: i64,
    recur: Option<i64>,
    attendees: usize,
) -> serde_json::Value {
    let mut m = json!({
        "Organizer": "org@contoso.com",
        "Subject": subject,
        "StartTime": iso_in(start),
        "EndTime": iso_in(end),
        "MeetingType": kind,
        "Attendees": (0..attendees).map(|i| format!("att{i}@fabrikam.com")).collect::<Vec<_>>(),
    });
    if let Some(r) = recur {
        m["RecurrenceEnd"] = json!(iso_in(r));
    }
    m
}

/// The sample tenant (bridge numbers +1 425 555 0100 / +1 800 555 0100) plus org@contoso.com
/// with every kind of meeting the worker must tell apart.
/// Queues the organiser of [`org_store`]'s meetings for an All→Teams migration.
fn start_org_to_teams(svc: &Service) -> MigrationStatus {
    start(
        svc,
        "org@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    )
}

fn org_store() -> (TestStore, Service) {
    let (store, svc) = sample(6, 0);
    let block =
        JoinDetails::initial(Uuid::from_u128(42), MeetingType::SfbOnline, "contoso.com").render();
    let mut unicode = meeting("future sfb online", "SfbOnline", DAY, DAY + HOUR, None, 3);
    unicode["Body"] = json!(format!("{PREFIX}{block}{SUFFIX}"));
    let mut others = meeting(
        "organised by someone else",
        "SfbOnline",
        DAY,
        DAY + HOUR,
        None,
        2,
    );
    others["Organizer"] = json!("tolluser@contoso.com");
    let data = json!({
        "Users": [
            {"UserPrincipalName": "org@contoso.com", "DisplayName": "Org Aniser"},
            {"UserPrincipalName": "tolluser@contoso.com", "AudioConferencingTollNumber": "+1 206 555 0177"},
        ],
        "Meetings": [
            unicode,
            meeting("future onprem", "SfbOnPrem", 2 * DAY, 2 * DAY + HOUR, None, 4),
            meeting("future teams", "Teams", 3 * DAY, 3 * DAY + HOUR, None, 5),
            meeting("ended", "SfbOnline", -2 * DAY, -2 * DAY + HOUR, None, 2),
            meeting("series live", "SfbOnline", -30 * DAY, -30 * DAY + HOUR, Some(30 * DAY), 6),
            meeting("series over", "Teams", -60 * DAY, -60 * DAY + HOUR, Some(-DAY), 7),
            meeting("big", "SfbOnline", 4 * DAY, 4 * DAY + HOUR, None, 251),
            meeting("exactly 250", "Teams", 5 * DAY, 5 * DAY + HOUR, None, 250),
            others,
        ]
    });
    import_text(&store, &svc, None, "org.json", &data.to_string()).unwrap();
    (store, svc)
}

struct Row {
    body: String,
    kind: String,
    rewrites: i64,
}

fn meeting_row(store: &TestStore, subject: &str) -> Row {
    store
        .sql()
        .query_row(
            "SELECT body, meeting_type, rewrite_count FROM meetings WHERE subject = ?1",
            [subject],
            |r| {
                Ok(Row {
                    body: r.get(0)?,
                    kind: r.get(1)?,
                    rewrites: r.get(2)?,
                })
            },
        )
        .unwrap()
}

fn start(
    svc: &Service,
    identity: &str,
    source: SourceMeetingType,
    target: TargetMeetingType,
) -> MigrationStatus {
    let mut r = StartRequest::new(identity);
    r.source_meeting_type = source;
    r.target_meeting_type = target;
    svc.start(&r).unwrap().status
}

fn migrate(
    svc: &Service,
    identity: &str,
    source: SourceMeetingType,
    target: TargetMeetingType,
) -> MigrationDetail {
    let s = start(svc, identity, source, target);
    drain(svc, &fast_options());
    svc.request_detail(&s.correlation_id.to_string()).unwrap()
}

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
        !run_once(&**svc.store(), &options, "w", &stop).unwrap(),
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
    // Once the hold is over (moved back here rather than waited for), the worker takes it.
    store
        .sql()
        .execute("UPDATE requests SET not_before = create_date", [])
        .unwrap();
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
fn selection_takes_organised_live_meetings_of_the_source_type() {
    for (source, expected) in [
        (
            SourceMeetingType::All,
            vec![
                "future sfb online",
                "future onprem",
                "future teams",
                "series live",
                "big",
                "exactly 250",
            ],
        ),
        (
            SourceMeetingType::SfB,
            vec!["future sfb online", "future onprem", "series live", "big"],
        ),
        (
            SourceMeetingType::Teams,
            vec!["future teams", "exactly 250"],
        ),
    ] {
        let (store, svc) = org_store();
        let d = migrate(&svc, "org@contoso.com", source, TargetMeetingType::Teams);
        let mut subjects: Vec<&str> = d.meetings.iter().map(|m| m.subject.as_str()).collect();
        let mut expected_sorted = expected.clone();
        subjects.sort();
        expected_sorted.sort();
        assert_eq!(subjects, expected_sorted, "{source}");
        assert_eq!(d.status.total_meeting as usize, expected.len());
        for subject in ["ended", "series over", "organised by someone else"] {
            assert_eq!(
                meeting_row(&store, subject).rewrites,
                0,
                "{subject} ({source})"
            );
        }
        for subject in [
            "future sfb online",
            "future onprem",
            "future teams",
            "series live",
            "exactly 250",
        ] {
            let n = meeting_row(&store, subject).rewrites;
            assert_eq!(
                n,
                expected.contains(&subject) as i64,
                "{subject} ({source})"
            );
        }
    }
}

#[test]
fn more_than_250_attendees_fails_that_meeting_with_its_reason() {
    let (store, svc) = org_store();
    let d = migrate(
        &svc,
        "org@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    let big = d.meetings.iter().find(|m| m.subject == "big").unwrap();
    assert_eq!(big.outcome, MeetingOutcomeState::Failed);
    let reason = big.message.as_deref().unwrap();
    assert!(reason.contains("251") && reason.contains("250"), "{reason}");
    assert_eq!(big.invites_update, 0);
    assert_eq!(meeting_row(&store, "big").rewrites, 0);
    assert_eq!(meeting_row(&store, "big").kind, "SfbOnline");
    let edge = d
        .meetings
        .iter()
        .find(|m| m.subject == "exactly 250")
        .unwrap();
    assert_eq!(edge.outcome, MeetingOutcomeState::Succeeded);
    assert_eq!(edge.invites_update, 250);
    let s = &d.status;
    assert_eq!(s.state, RequestState::Succeeded);
    assert_eq!(
        (s.total_meeting, s.succeeded_meeting, s.failed_meeting),
        (6, 5, 1)
    );
    assert_eq!(s.invites_update, 3 + 4 + 5 + 6 + 250);
    let msg = s.last_message.as_deref().unwrap();
    assert!(
        msg.contains("Migrated 5 of 6") && msg.contains("1 could not"),
        "{msg}"
    );
    assert!(s.modified_date >= s.create_date);
    assert_eq!(d.queue_position, None);
}

#[test]
fn teams_target_turns_every_meeting_into_teams_keeping_the_text_around() {
    let (store, svc) = org_store();
    let before = meeting_row(&store, "future sfb online").body;
    let d = migrate(
        &svc,
        "org@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    assert_eq!(d.status.migration_type, MigrationType::AllToTeams);
    for subject in [
        "future sfb online",
        "future onprem",
        "future teams",
        "series live",
        "exactly 250",
    ] {
        let row = meeting_row(&store, subject);
        assert_eq!(row.kind, "Teams", "{subject}");
        assert_eq!(row.rewrites, 1);
        let block = OnlineMeetingBlock::find(&row.body).unwrap();
        assert!(block.text.contains("Microsoft Teams meeting"), "{subject}");
        assert!(block
            .join_url
            .unwrap()
            .starts_with("https://teams.microsoft.com/"));
    }
    let after = meeting_row(&store, "future sfb online").body;
    assert_ne!(after, before);
    assert!(
        after.starts_with(PREFIX) && after.ends_with(SUFFIX),
        "{after:?}"
    );
    let old = OnlineMeetingBlock::find(&before).unwrap();
    let new = OnlineMeetingBlock::find(&after).unwrap();
    assert_eq!(&after[..new.range.start], &before[..old.range.start]);
    assert_eq!(&after[new.range.end..], &before[old.range.end..]);
    assert_ne!(new.conference_id, old.conference_id);
    // What Get-MmsMeeting shows is the new block.
    let shown = svc.meetings(None, "org@contoso.com").unwrap();
    let m = shown.iter().find(|m| m.subject == "future onprem").unwrap();
    assert_eq!(m.meeting_type, MeetingType::Teams);
    assert!(m
        .join_url
        .as_deref()
        .unwrap()
        .contains("teams.microsoft.com"));
}

#[test]
fn current_target_keeps_the_type_but_moves_on_premises_online() {
    let (store, svc) = org_store();
    let d = migrate(
        &svc,
        "org@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Current,
    );
    assert_eq!(d.status.migration_type, MigrationType::ToSameType);
    for (subject, kind, marker) in [
        ("future sfb online", "SfbOnline", "Skype Meeting"),
        ("future onprem", "SfbOnline", "https://meet.lync.com/"),
        ("future teams", "Teams", "Microsoft Teams meeting"),
        ("series live", "SfbOnline", "Skype Meeting"),
    ] {
        let row = meeting_row(&store, subject);
        assert_eq!(row.kind, kind, "{subject}");
        assert_eq!(row.rewrites, 1, "{subject}");
        assert!(
            OnlineMeetingBlock::find(&row.body)
                .unwrap()
                .text
                .contains(marker),
            "{subject}: {}",
            row.body
        );
    }
}

#[test]
fn dial_in_numbers_come_from_the_user_else_the_tenant_bridge() {
    let (store, svc) = org_store();
    // org has no numbers of his own: both come from the bridge.
    migrate(
        &svc,
        "org@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    let block = meeting_row(&store, "future onprem").body;
    assert!(
        block.contains("+1 425 555 0100,,") && block.contains("(Toll)"),
        "{block}"
    );
    assert!(
        block.contains("+1 800 555 0100,,") && block.contains("(Toll-free)"),
        "{block}"
    );
    // tolluser has a toll number: his own, and the bridge's toll-free.
    migrate(
        &svc,
        "tolluser@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    let row = meeting_row(&store, "organised by someone else");
    assert_eq!(row.rewrites, 1);
    assert!(row.body.contains("+1 206 555 0177,,"), "{}", row.body);
    assert!(!row.body.contains("+1 425 555 0100"), "{}", row.body);
    assert!(row.body.contains("+1 800 555 0100,,"), "{}", row.body);
    // Changing the bridge changes what the next rewrite writes.
    svc.set_dial_in_settings(
        None,
        &DialInSettingsChanges {
            default_toll_number: Some("+44 20 7946 0000".into()),
            default_toll_free_number: Some(String::new()),
            ..Default::default()
        },
    )
    .unwrap();
    migrate(
        &svc,
        "org@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Current,
    );
    let row = meeting_row(&store, "future teams");
    assert_eq!(row.rewrites, 2);
    assert!(
        row.body.contains("+44 20 7946 0000,,") && !row.body.contains("Toll-free"),
        "{}",
        row.body
    );
}

#[test]
fn invites_update_counts_attendees_of_changed_meetings() {
    let (_s, svc) = org_store();
    let d = migrate(
        &svc,
        "org@contoso.com",
        SourceMeetingType::SfB,
        TargetMeetingType::Teams,
    );
    // future sfb online 3 + future onprem 4 + series live 6; big (251) fails.
    assert_eq!(d.status.invites_update, 13);
    for m in &d.meetings {
        match m.subject.as_str() {
            "future sfb online" => assert_eq!(m.invites_update, 3),
            "future onprem" => assert_eq!(m.invites_update, 4),
            "series live" => assert_eq!(m.invites_update, 6),
            "big" => assert_eq!(m.invites_update, 0),
            other => panic!("unexpected {other}"),
        }
    }
    let sum: i64 = d.meetings.iter().map(|m| m.invites_update).sum();
    assert_eq!(sum, d.status.invites_update);
}

#[test]
fn a_user_without_meetings_succeeds_with_nothing_to_do() {
    let (_s, svc) = sample(1, 0);
    let d = migrate(
        &svc,
        "user1@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    assert_eq!(d.status.state, RequestState::Succeeded);
    assert_eq!(d.status.total_meeting, 0);
    assert_eq!(
        d.status.last_message.as_deref(),
        Some("No meetings needed migrating.")
    );
}

#[test]
fn transient_failures_are_retried_and_each_meeting_rewritten_once() {
    let (store, svc) = org_store();
    let options = WorkerOptions {
        batch_size: 2,
        ..fast_options()
    };
    options.inject_transient_failures.store(3, Ordering::SeqCst);
    let s = start_org_to_teams(&svc);
    drain(&svc, &options);
    let done = status_of(&svc, &s);
    assert_eq!(done.state, RequestState::Succeeded);
    assert_eq!(done.retry_count, 3);
    assert_eq!((done.succeeded_meeting, done.failed_meeting), (5, 1));
    let twice: i64 = store
        .sql()
        .query_row(
            "SELECT count(*) FROM meetings WHERE rewrite_count > 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(twice, 0);
    assert_eq!(options.inject_transient_failures.load(Ordering::SeqCst), 0);
}

#[test]
fn retries_back_off_exponentially() {
    let (store, svc) = org_store();
    let options = WorkerOptions {
        backoff_base_ms: 10_000,
        ..fast_options()
    };
    options.inject_transient_failures.store(2, Ordering::SeqCst);
    let s = start_org_to_teams(&svc);
    let stop = StopSignal::default();
    let delay = || -> i64 {
        store
            .sql()
            .query_row("SELECT not_before - modified_date FROM requests", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert!(run_once(&**svc.store(), &options, "w", &stop).unwrap());
    let st = status_of(&svc, &s);
    assert_eq!((st.state, st.retry_count), (RequestState::Pending, 1));
    assert!(
        st.last_message.as_deref().unwrap().contains("retry 1 of 9"),
        "{:?}",
        st.last_message
    );
    assert_eq!(delay(), 10_000);
    assert!(
        !run_once(&**svc.store(), &options, "w", &stop).unwrap(),
        "backing off"
    );
    store
        .sql()
        .execute("UPDATE requests SET not_before = 0", [])
        .unwrap();
    assert!(run_once(&**svc.store(), &options, "w", &stop).unwrap());
    assert_eq!(status_of(&svc, &s).retry_count, 2);
    assert_eq!(delay(), 20_000);
    assert_eq!(options.backoff_ms(9), 10_000 << 8);
}

#[test]
fn after_nine_retries_the_request_fails() {
    let (store, svc) = org_store();
    let options = fast_options();
    options
        .inject_transient_failures
        .store(100, Ordering::SeqCst);
    let s = start_org_to_teams(&svc);
    drain(&svc, &options);
    let done = status_of(&svc, &s);
    assert_eq!(done.state, RequestState::Failed);
    assert_eq!(done.retry_count, 9);
    let msg = done.last_message.unwrap();
    assert!(msg.starts_with("Failed after 9 retries"), "{msg}");
    // Ten attempts: the first and nine retries.
    assert_eq!(options.inject_transient_failures.load(Ordering::SeqCst), 90);
    let rewritten: i64 = store
        .sql()
        .query_row("SELECT sum(rewrite_count) FROM meetings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rewritten, 0);
    // A failed request is not open: the user can start again.
    assert!(
        !svc.start(&StartRequest::new("org@contoso.com"))
            .unwrap()
            .existing
    );
}

#[test]
fn a_request_still_failing_a_day_after_its_first_failure_fails_at_once() {
    let (store, svc) = org_store();
    let options = fast_options();
    options.inject_transient_failures.store(2, Ordering::SeqCst);
    let s = start_org_to_teams(&svc);
    let stop = StopSignal::default();
    assert!(run_once(svc.store().as_ref(), &options, "test-worker", &stop).unwrap());
    assert_eq!(status_of(&svc, &s).retry_count, 1);
    // The first failure was 25 hours ago; the retry is due now.
    store
        .sql()
        .execute(
            "UPDATE requests SET first_failure_date = first_failure_date - ?1, not_before = 0",
            [25 * HOUR],
        )
        .unwrap();
    drain(&svc, &options);
    let done = status_of(&svc, &s);
    assert_eq!((done.state, done.retry_count), (RequestState::Failed, 1));
}

#[test]
fn a_request_held_for_more_than_a_day_still_gets_its_retries() {
    let (store, svc) = org_store();
    let options = fast_options();
    options.inject_transient_failures.store(1, Ordering::SeqCst);
    let s = start_org_to_teams(&svc);
    store
        .sql()
        .execute(
            "UPDATE requests SET create_date = create_date - ?1",
            [25 * HOUR],
        )
        .unwrap();
    drain(&svc, &options);
    let done = status_of(&svc, &s);
    assert_eq!((done.state, done.retry_count), (RequestState::Succeeded, 1));
}

#[test]
fn terminal_records_older_than_150_days_are_purged_by_the_worker() {
    let (store, svc) = sample(3, 0);
    let sql = store.sql();
    let (tenant, user): (i64, i64) = sql
        .query_row(
            "SELECT tenant, key FROM users WHERE upn_key = 'user1@contoso.com'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let now = Timestamp::now().millis();
    for (n, age_days, state) in [
        (1, 151, "Succeeded"),
        (2, 200, "Failed"),
        (3, 149, "Succeeded"),
        (4, 151, "Pending"),
    ] {
        sql.execute(
            "INSERT INTO requests(correlation_id, tenant, user_key, user_id, upn, source_type, target_type, migration_type,
                                  state, create_date, modified_date, not_before)
             VALUES (?1, ?2, ?3, ?4, 'user1@contoso.com', 'All', 'Current', 'ToSameType', ?5, ?6, ?6, ?7)",
            rusqlite::params![
                Uuid::from_u128(n).to_string(),
                tenant,
                user,
                Uuid::from_u128(100 + n).to_string(),
                state,
                now - age_days * DAY,
                // The old Pending one is held far in the future so the worker leaves it.
                now + 365 * DAY
            ],
        )
        .unwrap();
    }
    svc.start_worker(fast_options()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let left = || -> Vec<String> {
        store
            .sql()
            .prepare("SELECT correlation_id FROM requests ORDER BY key")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    while left().len() != 2 {
        assert!(Instant::now() < deadline, "not purged: {:?}", left());
        std::thread::sleep(Duration::from_millis(10));
    }
    svc.stop_worker();
    assert_eq!(
        left(),
        [
            Uuid::from_u128(3).to_string(),
            Uuid::from_u128(4).to_string()
        ]
    );
    // The store call itself purges only terminal records before the cut-off.
    assert_eq!(svc.store().purge(Timestamp(now - 150 * DAY)).unwrap(), 0);
    assert_eq!(svc.store().purge(Timestamp(now)).unwrap(), 1);
}

#[test]
fn pending_requests_know_their_queue_position() {
    let (_s, svc) = sample(3, 1);
    let ids: Vec<MigrationStatus> = (1..=3)
        .map(|i| {
            start(
                &svc,
                &format!("user{i}@contoso.com"),
                SourceMeetingType::All,
                TargetMeetingType::Teams,
            )
        })
        .collect();
    let position = |s: &MigrationStatus| {
        svc.request_detail(&s.correlation_id.to_string())
            .unwrap()
            .queue_position
    };
    assert_eq!(
        ids.iter().map(position).collect::<Vec<_>>(),
        [Some(1), Some(2), Some(3)]
    );
    assert!(run_once(&**svc.store(), &fast_options(), "w", &StopSignal::default()).unwrap());
    assert_eq!(
        ids.iter().map(position).collect::<Vec<_>>(),
        [None, Some(1), Some(2)]
    );
    let e = svc.request_detail(&Uuid::new_v4().to_string()).unwrap_err();
    assert_eq!(e.code, ErrorCode::RequestNotFound);
    let e = svc.request_detail("nope").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}

#[test]
fn status_filters_and_summary_counting_users() {
    let (_s, svc) = sample(4, 1);
    // user1: two finished requests; user2: one finished; user3 and user4 pending.
    start(
        &svc,
        "user1@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    start(
        &svc,
        "user2@contoso.com",
        SourceMeetingType::SfB,
        TargetMeetingType::Teams,
    );
    drain(&svc, &fast_options());
    // Millisecond timestamps: keep both sides of `between` clearly apart.
    std::thread::sleep(Duration::from_millis(5));
    let between = Timestamp::now();
    std::thread::sleep(Duration::from_millis(5));
    start(
        &svc,
        "user1@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    drain(&svc, &fast_options());
    start(
        &svc,
        "user3@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Current,
    );
    start(
        &svc,
        "user4@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Current,
    );

    let all = svc.status(&StatusQuery::default()).unwrap();
    assert_eq!(all.len(), 5);
    assert!(
        all.windows(2).all(|w| w[0].create_date <= w[1].create_date),
        "oldest first"
    );
    let q = |f: fn(&mut StatusQuery)| {
        let mut query = StatusQuery::default();
        f(&mut query);
        svc.status(&query).unwrap()
    };
    assert_eq!(
        q(|q| q.identity = Some("USER1@contoso.com".into())).len(),
        2
    );
    assert_eq!(q(|q| q.state = Some(RequestState::Pending)).len(), 2);
    assert_eq!(q(|q| q.state = Some(RequestState::Succeeded)).len(), 3);
    assert_eq!(
        q(|q| q.migration_type = Some(MigrationType::SfbToTeams)).len(),
        1
    );
    assert_eq!(
        q(|q| q.migration_type = Some(MigrationType::ToSameType)).len(),
        2
    );
    let mut recent = StatusQuery {
        start_time: Some(between),
        ..Default::default()
    };
    let created: Vec<_> = all.iter().map(|s| s.create_date.to_iso()).collect();
    assert_eq!(
        svc.status(&recent).unwrap().len(),
        3,
        "created {created:?}, between {}",
        between.to_iso()
    );
    recent.end_time = Some(Timestamp(between.millis() - 1));
    assert_eq!(
        svc.status(&recent).unwrap_err().code,
        ErrorCode::InvalidArgument
    );
    let early = StatusQuery {
        end_time: Some(between),
        ..Default::default()
    };
    assert_eq!(svc.status(&early).unwrap().len(), 2);
    let q: StatusQuery =
        serde_json::from_str(r#"{"State": "pending", "MigrationType": "tosametype"}"#).unwrap();
    assert_eq!(svc.status(&q).unwrap().len(), 2);

    let summary = svc.status_summary(&StatusQuery::default()).unwrap();
    let count = |state: RequestState| {
        summary
            .iter()
            .find(|s| s.state == state)
            .unwrap()
            .user_count
    };
    assert_eq!(summary.len(), 4, "every state is listed");
    assert_eq!(count(RequestState::Succeeded), 2, "users, not requests");
    assert_eq!(count(RequestState::Pending), 2);
    assert_eq!(count(RequestState::InProgress), 0);
    assert_eq!(count(RequestState::Failed), 0);
    let e = svc
        .status(&StatusQuery {
            identity: Some("ghost@contoso.com".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::IdentityNotFound);
}

#[test]
fn wait_times_out_while_nothing_works_the_queue() {
    let (_s, svc) = sample(1, 1);
    let s = start(
        &svc,
        "user1@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    let t = Instant::now();
    let mut seen = 0;
    let e = svc
        .wait(
            &s.correlation_id.to_string(),
            Duration::from_millis(150),
            &mut |_| seen += 1,
            None,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Timeout);
    assert!(t.elapsed() >= Duration::from_millis(150) && t.elapsed() < Duration::from_secs(5));
    assert_eq!(
        seen, 1,
        "one report for the first look, none while nothing changes"
    );
}

#[test]
fn wait_reports_progress_until_the_worker_finishes() {
    let (store, svc) = sample(0, 0);
    let meetings: Vec<serde_json::Value> = (0..3000)
        .map(|i| json!({"Organizer": "kenmyer@litwareinc.com", "Subject": format!("m{i}"), "StartTime": iso_in(DAY), "EndTime": iso_in(DAY + HOUR), "Attendees": ["a@b.com"]}))
        .collect();
    import_text(
        &store,
        &svc,
        None,
        "m.json",
        &json!({"Meetings": meetings}).to_string(),
    )
    .unwrap();
    let s = start(
        &svc,
        "kenmyer@litwareinc.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    svc.start_worker(WorkerOptions {
        batch_size: 1,
        ..fast_options()
    })
    .unwrap();
    let mut reports: Vec<MigrationStatus> = Vec::new();
    let done = svc
        .wait(
            &s.correlation_id.to_string(),
            Duration::from_secs(60),
            &mut |st| reports.push(st.clone()),
            None,
        )
        .unwrap();
    svc.stop_worker();
    assert_eq!(done.state, RequestState::Succeeded);
    assert_eq!(done.total_meeting, 3005);
    assert_eq!(done.failed_meeting, 1);
    assert!(reports.len() >= 3, "{} reports", reports.len());
    assert!(
        reports.iter().any(|r| {
            let done = r.succeeded_meeting + r.failed_meeting;
            r.state == RequestState::InProgress && done > 0 && done < r.total_meeting
        }),
        "a report in the middle of the work"
    );
    assert!(reports
        .windows(2)
        .all(|w| w[0].succeeded_meeting + w[0].failed_meeting
            <= w[1].succeeded_meeting + w[1].failed_meeting));
    assert_eq!(reports.last().unwrap().state, RequestState::Succeeded);
}

#[test]
fn wait_is_cancelled_from_another_thread() {
    let (_s, svc) = sample(1, 1);
    let s = start(
        &svc,
        "user1@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    let token = Arc::new(CancelToken::new());
    let canceller = {
        let token = Arc::clone(&token);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            token.cancel();
        })
    };
    let t = Instant::now();
    let e = svc
        .wait(
            &s.correlation_id.to_string(),
            Duration::from_secs(60),
            &mut |_| {},
            Some(&token),
        )
        .unwrap_err();
    canceller.join().unwrap();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    // Cancelling the wait does not cancel the request.
    assert_eq!(status_of(&svc, &s).state, RequestState::Pending);
}

#[test]
fn the_in_process_worker_starts_once_and_stops() {
    let (_s, svc) = sample(2, 2);
    svc.start_worker(fast_options()).unwrap();
    svc.start_worker(fast_options()).unwrap();
    assert!(svc.worker_running());
    let s = start(
        &svc,
        "user2@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Current,
    );
    let done = svc
        .wait(
            &s.correlation_id.to_string(),
            Duration::from_secs(30),
            &mut |_| {},
            None,
        )
        .unwrap();
    assert_eq!(done.state, RequestState::Succeeded);
    svc.stop_worker();
    assert!(!svc.worker_running());
    let bad = WorkerOptions {
        batch_size: 0,
        ..fast_options()
    };
    assert_eq!(
        svc.start_worker(bad).unwrap_err().code,
        ErrorCode::InvalidArgument
    );
}

#[test]
fn a_stopping_worker_releases_its_lease_so_another_resumes_at_once() {
    let (_store, svc) = org_store();
    let options = fast_options();
    let s = start_org_to_teams(&svc);
    let stopping = StopSignal::default();
    stopping.raise();
    // Claims, sees the stop before its first batch, releases the claim.
    assert!(run_once(svc.store().as_ref(), &options, "stopping-worker", &stopping).unwrap());
    assert_eq!(status_of(&svc, &s).state, RequestState::InProgress);
    // Another worker takes it now, not after the lease would have run out.
    let running = StopSignal::default();
    assert!(run_once(svc.store().as_ref(), &options, "next-worker", &running).unwrap());
    let done = status_of(&svc, &s);
    assert_eq!(done.state, RequestState::Succeeded);
    assert_eq!(
        done.succeeded_meeting + done.failed_meeting,
        done.total_meeting
    );
}

#[test]
fn disabling_migration_while_a_batch_is_being_queued_queues_nothing() {
    let (_store, svc) = sample(3, 0);
    let user = svc.resolve(None, "user1@contoso.com").unwrap();
    let tenant = svc.tenant(None).unwrap();
    let request = meeting_migration::store::NewRequest {
        tenant: tenant.key,
        tenant_id: tenant.tenant_id,
        user,
        source: SourceMeetingType::All,
        target: TargetMeetingType::Current,
        not_before: Timestamp::now(),
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

#[test]
fn many_statuses_in_one_call_agree_with_each_request_detail() {
    let (_store, svc) = sample(6, 0);
    let mut ids = Vec::new();
    for n in [3, 1, 5, 2] {
        let s = start(
            &svc,
            &format!("user{n}@contoso.com"),
            SourceMeetingType::All,
            TargetMeetingType::Current,
        );
        ids.push(s.correlation_id.to_string());
    }
    // One request finishes (the oldest); the others stay pending, queued behind nothing.
    let options = fast_options();
    assert!(run_once(svc.store().as_ref(), &options, "w", &StopSignal::default()).unwrap());
    ids.push(Uuid::new_v4().to_string()); // unknown
    let many = svc.request_statuses(&ids).unwrap();
    assert_eq!(many.len(), 5);
    assert!(many[4].is_none(), "an unknown id is null");
    for (id, found) in ids.iter().zip(&many).take(4) {
        let found = found.as_ref().unwrap();
        let detail = svc.request_detail(id).unwrap();
        assert_eq!(found.status, detail.status);
        assert_eq!(found.queue_position, detail.queue_position, "{id}");
    }
    let positions: Vec<_> = many
        .iter()
        .take(4)
        .map(|s| s.as_ref().unwrap().queue_position)
        .collect();
    assert_eq!(positions, vec![None, Some(1), Some(2), Some(3)]);
    assert_eq!(
        svc.request_statuses(&["not-a-guid".into()])
            .unwrap_err()
            .code,
        ErrorCode::InvalidArgument
    );
}
