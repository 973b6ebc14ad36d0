//! The worker on a real store: which meetings a request takes, how each is rewritten, the
//! 250-attendee rule, dial-in numbers, counts, and the in-process worker's life cycle.

mod support;

use std::time::Duration;

use meeting_migration::invitation::OnlineMeetingBlock;
use meeting_migration::migration::worker::{run_once, StopSignal, WorkerOptions};
use meeting_migration::model::*;
use meeting_migration::ErrorCode;
use support::org::*;
use support::*;

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
    let m = shown
        .iter()
        .find(|m| m.row.subject == "future onprem")
        .unwrap();
    assert_eq!(m.row.meeting_type, MeetingType::Teams);
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
            None,
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
    assert!(run_once(
        &**svc.store(),
        &**svc.clock(),
        &options,
        "stopping-worker",
        &stopping
    )
    .unwrap());
    assert_eq!(status_of(&svc, &s).state, RequestState::InProgress);
    // Another worker takes it now, not after the lease would have run out.
    let running = StopSignal::default();
    assert!(run_once(
        &**svc.store(),
        &**svc.clock(),
        &options,
        "next-worker",
        &running
    )
    .unwrap());
    let done = status_of(&svc, &s);
    assert_eq!(done.state, RequestState::Succeeded);
    assert_eq!(
        done.succeeded_meeting + done.failed_meeting,
        done.total_meeting
    );
}
