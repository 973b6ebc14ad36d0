//! What an admin rehearses: the time scale of a tenant's hold, back-off and retry window,
//! fault injection through the worker's retry path, the sample tenant's failures with their
//! causes and fixes, and the changes that start migrations on their own.

mod support;

use meeting_migration::migration::request::StartRequest;
use meeting_migration::migration::status::StatusQuery;
use meeting_migration::migration::trigger::UserChanges;
use meeting_migration::migration::worker::{run_once, StopSignal, WorkerOptions};
use meeting_migration::model::*;
use meeting_migration::Service;
use support::org::*;
use support::*;

fn configure(svc: &Service, changes: MigrationConfigurationChanges) {
    svc.set_migration_configuration(None, &changes).unwrap();
}

fn faults(svc: &Service, transient: f64, permanent: f64, seed: i64) {
    svc.set_fault_injection(
        None,
        &FaultInjectionChanges {
            transient_failure_rate: Some(transient),
            permanent_failure_rate: Some(permanent),
            seed: Some(seed),
        },
    )
    .unwrap();
}

/// `not_before - modified_date` of the one request of the store: its hold or back-off.
fn wait_ms(store: &TestStore) -> i64 {
    store
        .sql()
        .query_row("SELECT not_before - modified_date FROM requests", [], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn the_time_scale_divides_the_hold_the_back_off_and_the_retry_window() {
    let (store, svc) = org_store();
    configure(
        &svc,
        MigrationConfigurationChanges {
            hold_minutes: Some(90),
            time_scale: Some(3600),
            ..Default::default()
        },
    );
    let s = start_org_to_teams(&svc);
    assert_eq!(wait_ms(&store), 90 * 60_000 / 3600, "90 minutes in 1.5 s");
    store.clock.advance(1_500);
    faults(&svc, 1.0, 0.0, 1);
    let options = WorkerOptions {
        backoff_base_ms: 60_000,
        ..fast_options()
    };
    let stop = StopSignal::default();
    assert!(run_once(&**svc.store(), &**svc.clock(), &options, "w", &stop).unwrap());
    let retried = status_of(&svc, &s);
    assert_eq!(
        (retried.state, retried.retry_count),
        (RequestState::Pending, 1)
    );
    assert_eq!(
        wait_ms(&store),
        60_000 / 3600,
        "a minute's back-off in 16 ms"
    );
    let message = retried.last_message.unwrap();
    assert!(
        message.contains("injected by Set-MmsFaultInjection")
            && message.contains("(time scale 3600)"),
        "{message}"
    );
    // The status keeps real time: created and modified 1.5 s (and the test's own time) apart.
    let apart = retried.modified_date.millis() - retried.create_date.millis();
    assert!((1_500..60_000).contains(&apart), "{apart}");
    // 25 hours are 25 seconds at this scale: past the retry window, the next failure ends it.
    store.clock.advance(25_000);
    assert!(run_once(&**svc.store(), &**svc.clock(), &options, "w", &stop).unwrap());
    let done = status_of(&svc, &s);
    assert_eq!((done.state, done.retry_count), (RequestState::Failed, 1));
}

#[test]
fn injected_transient_failures_take_the_retry_path_to_nine_retries() {
    let (_store, svc) = org_store();
    faults(&svc, 1.0, 0.0, 7);
    let s = start_org_to_teams(&svc);
    drain(&svc, &fast_options());
    let done = status_of(&svc, &s);
    assert_eq!((done.state, done.retry_count), (RequestState::Failed, 9));
    let message = done.last_message.unwrap();
    assert!(
        message.starts_with("Failed after 9 retries: injected by Set-MmsFaultInjection"),
        "{message}"
    );
    // Off again, the user's next start succeeds.
    faults(&svc, 0.0, 0.0, 7);
    let again = start_org_to_teams(&svc);
    drain(&svc, &fast_options());
    assert_eq!(status_of(&svc, &again).state, RequestState::Succeeded);
}

#[test]
fn injected_permanent_failures_fail_meetings_the_same_way_for_the_same_seed() {
    let failed_meetings = |seed: i64| {
        let (_store, svc) = sample(40, 4);
        faults(&svc, 0.0, 0.5, seed);
        let started: Vec<_> = (1..=40)
            .map(|n| {
                svc.start(&StartRequest::new(&format!("user{n}@contoso.com")))
                    .unwrap()
                    .status
            })
            .collect();
        drain(&svc, &fast_options());
        let mut failed = Vec::new();
        for s in &started {
            let detail = svc
                .request_detail(None, &s.correlation_id.to_string())
                .unwrap();
            for m in detail.meetings {
                if m.outcome == MeetingOutcomeState::Failed {
                    let message = m.message.unwrap();
                    assert!(message.starts_with("Injected by Set-MmsFaultInjection"));
                    failed.push(m.meeting_id);
                }
            }
        }
        (failed, started.len())
    };
    let (first, requests) = failed_meetings(11);
    assert_eq!(requests, 40);
    // About half of the ~120 meetings in scope fail, and the same ones for the same seed.
    assert!((30..=90).contains(&first.len()), "{}", first.len());
    assert_eq!(failed_meetings(11).0, first);
    assert_ne!(failed_meetings(12).0, first);
}

#[test]
fn the_sample_tenant_fails_with_causes_an_admin_can_fix() {
    let (_store, svc) = sample(100, 2);
    let all: Vec<String> = (1..=100).map(|n| format!("user{n}@contoso.com")).collect();
    for upn in &all {
        svc.start(&StartRequest::new(upn)).unwrap();
    }
    drain(&svc, &fast_options());
    let failed = || {
        svc.status(&StatusQuery {
            state: Some(RequestState::Failed),
            ..Default::default()
        })
        .unwrap()
    };
    let rows = failed();
    let upns: Vec<&str> = rows
        .iter()
        .map(|r| r.user_principal_name.as_str())
        .collect();
    assert_eq!(
        upns,
        [
            "user7@contoso.com",
            "user19@contoso.com",
            "user27@contoso.com",
            "user48@contoso.com",
            "user56@contoso.com",
            "user70@contoso.com",
            "user89@contoso.com",
            "user93@contoso.com"
        ]
    );
    for row in &rows {
        let message = row.last_message.as_deref().unwrap();
        assert!(
            message.contains("Exchange on-premises")
                || message.contains("InterCall")
                || message.contains("pasted from another meeting"),
            "{message}"
        );
        assert!(message.contains("Start-CsExMeetingMigration"), "{message}");
    }
    // The fixes the messages name: the mailboxes move online, the tenant replaces the
    // third-party provider.
    for row in rows
        .iter()
        .filter(|r| r.last_message.as_deref().unwrap().contains("on-premises"))
    {
        svc.update_user(&UserChanges {
            identity: row.user_principal_name.clone(),
            mailbox_location: Some(EXCHANGE_ONLINE.into()),
            ..Default::default()
        })
        .unwrap();
    }
    svc.set_dial_in_settings(
        None,
        &DialInSettingsChanges {
            automatically_replace_acp_provider: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    // The organisers of pasted blocks re-create those meetings' online meetings.
    for row in &rows {
        let detail = svc
            .request_detail(None, &row.correlation_id.to_string())
            .unwrap();
        for pasted in detail.meetings.iter().filter(|m| {
            m.message
                .as_deref()
                .map_or(false, |t| t.starts_with("Pasted online-meeting block"))
        }) {
            svc.update_meeting(&meeting_migration::directory::MeetingChanges {
                identity: row.user_principal_name.clone(),
                meeting_id: pasted.meeting_id,
                new_online_meeting: true,
                ..Default::default()
            })
            .unwrap();
        }
    }
    for row in &rows {
        svc.start(&StartRequest::new(&row.user_principal_name))
            .unwrap();
    }
    drain(&svc, &fast_options());
    for row in &rows {
        let latest = svc
            .status(&StatusQuery {
                identity: Some(row.user_principal_name.clone()),
                ..Default::default()
            })
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(latest.state, RequestState::Succeeded, "{latest:?}");
    }
}

fn change(identity: &str) -> UserChanges {
    UserChanges {
        identity: identity.into(),
        ..Default::default()
    }
}

#[test]
fn the_audio_conferencing_licence_starts_a_migration_unless_the_tenant_says_not_to() {
    let (_store, svc) = sample(10, 2);
    // user1 has the Audio Conferencing licence in the sample: removing it is a change.
    let remove = UserChanges {
        audio_conferencing_license: Some(false),
        ..change("user1@contoso.com")
    };
    let update = svc.update_user(&remove).unwrap();
    let request = update.request.expect("a request");
    assert_eq!(request.triggered_by, TriggeredBy::License);
    assert_eq!(request.migration_type, MigrationType::ToSameType);
    assert!(!update.existing);
    assert!(!update
        .user
        .profile
        .assigned_plan
        .iter()
        .any(|p| p.capability == "MCOMEETADV"));
    // Removing it again changes nothing and starts nothing.
    let again = svc.update_user(&remove).unwrap();
    assert!(again.request.is_none() && again.not_triggered.is_none());
    // Assigning it is a change: with the request still open, that request comes back.
    let assign = UserChanges {
        audio_conferencing_license: Some(true),
        ..change("user1@contoso.com")
    };
    let assigned = svc.update_user(&assign).unwrap();
    assert!(assigned.existing);
    assert_eq!(
        assigned.request.unwrap().correlation_id,
        request.correlation_id
    );
    // With AutomaticallyMigrateUserMeetings off, the licence starts nothing.
    svc.set_dial_in_settings(
        None,
        &DialInSettingsChanges {
            automatically_migrate_user_meetings: Some(false),
            ..Default::default()
        },
    )
    .unwrap();
    let off = svc
        .update_user(&UserChanges {
            audio_conferencing_license: Some(false),
            ..change("user2@contoso.com")
        })
        .unwrap();
    assert!(off.request.is_none());
    assert!(off
        .not_triggered
        .unwrap()
        .contains("AutomaticallyMigrateUserMeetings is False"));
    let by_licence = svc
        .status(&StatusQuery {
            triggered_by: Some(TriggeredBy::License),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(by_licence.len(), 1);
}

#[test]
fn moving_a_user_from_on_premises_migrates_its_skype_meetings_to_teams() {
    let (_store, svc) = sample(40, 4);
    // user17 and user34 are homed on-premises in the sample.
    let moved = svc
        .update_user(&UserChanges {
            move_target: Some("sipfed.online.lync.com".into()),
            ..change("user34@contoso.com")
        })
        .unwrap();
    assert_eq!(moved.user.teams_upgrade_effective_mode, "TeamsOnly");
    assert_eq!(
        moved.user.profile.hosting_provider.as_deref(),
        Some("sipfed.online.lync.com")
    );
    let request = moved.request.unwrap();
    assert_eq!(
        (request.triggered_by, request.migration_type),
        (TriggeredBy::UserMove, MigrationType::SfbToTeams)
    );
    drain(&svc, &fast_options());
    let meetings = svc.meetings(None, "user34@contoso.com").unwrap();
    let now = svc.clock().now();
    assert!(meetings
        .iter()
        .filter(|m| m.row.last_end() > now)
        .all(|m| m.row.meeting_type == MeetingType::Teams));
    // A user already online cannot be moved.
    let e = svc
        .update_user(&UserChanges {
            move_target: Some("sipfed.online.lync.com".into()),
            ..change("user34@contoso.com")
        })
        .unwrap_err();
    assert!(e.message.contains("already homed online"), "{}", e.message);
    // With migration disabled, the move happens and starts nothing.
    configure(
        &svc,
        MigrationConfigurationChanges {
            meeting_migration_enabled: Some(false),
            ..Default::default()
        },
    );
    let quiet = svc
        .update_user(&UserChanges {
            move_target: Some("sipfed.online.lync.com".into()),
            ..change("user17@contoso.com")
        })
        .unwrap();
    assert_eq!(quiet.user.teams_upgrade_effective_mode, "TeamsOnly");
    assert!(quiet.request.is_none());
    assert!(quiet
        .not_triggered
        .unwrap()
        .contains("MeetingMigrationEnabled is False"));
}

#[test]
fn an_upgrade_policy_of_a_meetings_mode_starts_a_migration_and_others_do_not() {
    let (_store, svc) = sample(10, 2);
    let grant = |upn: &str, policy: &str| {
        svc.update_user(&UserChanges {
            teams_upgrade_policy: Some(policy.into()),
            ..change(upn)
        })
        .unwrap()
    };
    // user1 is Islands in the sample.
    let islands = grant("user1@contoso.com", "SfBWithTeamsCollab");
    assert!(islands.request.is_none());
    assert_eq!(
        islands.user.teams_upgrade_effective_mode,
        "SfBWithTeamsCollab"
    );
    let upgraded = grant("user1@contoso.com", "UpgradeToTeams");
    let request = upgraded.request.unwrap();
    assert_eq!(
        (request.triggered_by, request.migration_type),
        (TriggeredBy::UpgradePolicy, MigrationType::SfbToTeams)
    );
    assert_eq!(
        upgraded
            .user
            .profile
            .policies
            .get("TeamsUpgradePolicy")
            .as_deref(),
        Some("UpgradeToTeams")
    );
    let e = svc
        .update_user(&UserChanges {
            teams_upgrade_policy: Some("TeamsOnlyPlease".into()),
            ..change("user2@contoso.com")
        })
        .unwrap_err();
    assert!(e.message.contains("UpgradeToTeams"), "{}", e.message);
}

#[test]
fn a_new_service_number_refreshes_the_meetings_and_the_same_number_does_not() {
    let (_store, svc) = sample(10, 2);
    let number = |n: &str| UserChanges {
        service_number: Some(n.into()),
        ..change("user1@contoso.com")
    };
    let changed = svc.update_user(&number("tel:+1 425 555 0177")).unwrap();
    assert_eq!(
        changed.user.audio_conferencing_toll_number.as_deref(),
        Some("+1 425 555 0177")
    );
    let request = changed.request.unwrap();
    assert_eq!(
        (request.triggered_by, request.migration_type),
        (TriggeredBy::AudioConferencing, MigrationType::ToSameType)
    );
    drain(&svc, &fast_options());
    let meetings = svc.meetings(None, "user1@contoso.com").unwrap();
    let now = svc.clock().now();
    assert!(meetings.iter().filter(|m| m.row.last_end() > now).all(|m| m
        .online_meeting_block
        .as_deref()
        .unwrap()
        .contains("+1 425 555 0177")));
    // The same number again is no change.
    let same = svc.update_user(&number("+1 425 555 0177")).unwrap();
    assert!(same.request.is_none() && same.not_triggered.is_none());
    let e = svc.update_user(&number("call me")).unwrap_err();
    assert!(e.message.starts_with("ServiceNumber:"), "{}", e.message);
    // The numbers of a user on a third-party provider are not Microsoft's to change.
    svc.update_user(&UserChanges {
        audio_conferencing_provider: Some("InterCall".into()),
        ..change("user2@contoso.com")
    })
    .unwrap();
    let e = svc
        .update_user(&UserChanges {
            toll_free_service_number: Some("+1 800 555 0111".into()),
            ..change("user2@contoso.com")
        })
        .unwrap_err();
    assert!(e.message.contains("third-party"), "{}", e.message);
}

#[test]
fn an_idle_worker_wakes_for_a_scaled_back_off_so_a_large_scale_keeps_its_nine_retries() {
    // At scale 86400 the 24-hour window is one second and the nine back-offs together about
    // 350 ms: a worker that slept its whole 200 ms poll between them ran out of window.
    let (store, svc) = org_store();
    configure(
        &svc,
        MigrationConfigurationChanges {
            time_scale: Some(86_400),
            ..Default::default()
        },
    );
    faults(&svc, 1.0, 0.0, 3);
    let s = start_org_to_teams(&svc);
    let real = Service::open(Some(&store.path)).unwrap();
    real.start_worker(WorkerOptions::default()).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let done = loop {
        let now = status_of(&real, &s);
        if !now.state.is_open() || std::time::Instant::now() > deadline {
            break now;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    real.stop_worker();
    assert_eq!(
        (done.state, done.retry_count),
        (RequestState::Failed, 9),
        "{:?}",
        done.last_message
    );
}

#[test]
fn a_meeting_with_a_pasted_block_fails_the_request_until_its_online_meeting_is_re_created() {
    let (_store, svc) = sample(100, 2);
    let upn = "user27@contoso.com";
    let started = svc.start(&StartRequest::new(upn)).unwrap().status;
    drain(&svc, &fast_options());
    let detail = svc
        .request_detail(None, &started.correlation_id.to_string())
        .unwrap();
    assert_eq!(detail.status.state, RequestState::Failed);
    let message = detail.status.last_message.clone().unwrap();
    assert!(
        message.starts_with(
            "1 of 2 meetings have an online-meeting block pasted from another meeting"
        ) && message.contains("'Follow-up (online details pasted)'")
            && message.contains("Set-MmsMeeting -Identity user27@contoso.com")
            && message.ends_with("1 other meetings were migrated."),
        "{message}"
    );
    let pasted = detail
        .meetings
        .iter()
        .find(|m| m.outcome == MeetingOutcomeState::Failed)
        .unwrap();
    assert!(
        pasted
            .message
            .as_deref()
            .unwrap()
            .contains("pasted from the meeting 'Project meeting'"),
        "{:?}",
        pasted.message
    );
    // The organiser re-creates its online meeting: a block of its own, and the next start
    // migrates it.
    let fixed = svc
        .update_meeting(&meeting_migration::directory::MeetingChanges {
            identity: upn.into(),
            meeting_id: pasted.meeting_id,
            new_online_meeting: true,
            ..Default::default()
        })
        .unwrap();
    let others: Vec<_> = svc
        .meetings(None, upn)
        .unwrap()
        .into_iter()
        .filter(|m| m.row.meeting_id != pasted.meeting_id)
        .collect();
    assert!(fixed.join_url.is_some() && fixed.join_url != others[0].join_url);
    let again = svc.start(&StartRequest::new(upn)).unwrap().status;
    drain(&svc, &fast_options());
    let done = status_of(&svc, &again);
    assert_eq!(
        (done.state, done.succeeded_meeting),
        (RequestState::Succeeded, 2),
        "{:?}",
        done.last_message
    );
    // Users without a pasted block are untouched by the rule.
    let plain = svc
        .start(&StartRequest::new("user28@contoso.com"))
        .unwrap()
        .status;
    drain(&svc, &fast_options());
    assert_eq!(status_of(&svc, &plain).state, RequestState::Succeeded);
}

#[test]
fn a_change_of_provider_to_microsoft_triggers_for_a_licensed_user_only() {
    let (_store, svc) = sample(10, 2);
    let provider = |upn: &str, p: &str| UserChanges {
        audio_conferencing_provider: Some(p.into()),
        ..change(upn)
    };
    // To a third-party provider: no trigger (the article lists the change to Microsoft).
    let away = svc
        .update_user(&provider("user1@contoso.com", "InterCall"))
        .unwrap();
    assert!(away.request.is_none() && away.not_triggered.is_none());
    let back = svc
        .update_user(&provider("user1@contoso.com", "Microsoft"))
        .unwrap();
    assert_eq!(back.user.profile.audio_conferencing_provider, None);
    let request = back.request.unwrap();
    assert_eq!(
        (request.triggered_by, request.migration_type),
        (TriggeredBy::AudioConferencing, MigrationType::ToSameType)
    );
    // Unlicensed: the provider changes, nothing starts, and the reason says so.
    svc.update_user(&UserChanges {
        audio_conferencing_license: Some(false),
        ..provider("user2@contoso.com", "InterCall")
    })
    .unwrap();
    let unlicensed = svc.update_user(&provider("user2@contoso.com", "")).unwrap();
    assert!(unlicensed.request.is_none());
    assert!(unlicensed
        .not_triggered
        .unwrap()
        .contains("no Audio Conferencing licence"));
}

#[test]
fn a_bulk_default_number_changes_the_users_of_a_number_and_reschedules_only_when_asked() {
    use meeting_migration::directory::dial_in::{DialInUsersQuery, BRIDGE_NAME};
    use meeting_migration::migration::trigger::DefaultNumberChange;
    let (_store, svc) = sample(10, 2);
    let listed = svc.dial_in_users(&DialInUsersQuery::default()).unwrap();
    let of_bridge: Vec<_> = listed
        .iter()
        .filter(|u| u.service_number.as_deref() == Some("+1 425 555 0100"))
        .collect();
    assert!(of_bridge.len() >= 5, "{}", of_bridge.len());
    let change = |reschedule: bool, from: &str, to: &str| DefaultNumberChange {
        from_number: Some(from.into()),
        to_number: to.into(),
        number_type: "Toll".into(),
        bridge_name: Some(BRIDGE_NAME.into()),
        reschedule_meetings: reschedule,
        ..Default::default()
    };
    let quiet = svc
        .set_default_number(&change(false, "14255550100", "14255550101"))
        .unwrap();
    assert_eq!(quiet.len(), of_bridge.len());
    assert!(quiet.iter().all(|u| u.request.is_none()
        && u.user.audio_conferencing_toll_number.as_deref() == Some("14255550101")));
    let loud = svc
        .set_default_number(&change(true, "+1 (425) 555-0101", "14255550102"))
        .unwrap();
    assert_eq!(loud.len(), of_bridge.len());
    assert!(loud
        .iter()
        .filter(|u| u.user.profile.account_type != "SfBOnPremUser")
        .all(
            |u| u.request.as_ref().map(|r| r.triggered_by) == Some(TriggeredBy::AudioConferencing)
        ));
    let e = svc
        .set_default_number(&DefaultNumberChange {
            bridge_name: Some("Other".into()),
            ..change(true, "14255550102", "14255550103")
        })
        .unwrap_err();
    assert!(e.message.contains(BRIDGE_NAME), "{}", e.message);
}
