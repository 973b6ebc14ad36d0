//! The store contract, written once against `dyn Store` and run for every backend by one
//! line each (at the bottom). A new backend passes this suite before anything else uses it.

mod support;

use std::sync::Arc;

use meeting_migration::directory::validate::UserFields;
use meeting_migration::invitation::{sample_invitation, JoinDetails};
use meeting_migration::model::*;
use meeting_migration::store::*;
use meeting_migration::time::{Timestamp, DAY_MS, HOUR_MS};
use meeting_migration::ErrorCode;
use uuid::Uuid;

const LEASE: i64 = 30_000;

fn t0() -> Timestamp {
    Timestamp(1_800_000_000_000)
}

fn new_tenant(name: &str, default: bool) -> NewTenant {
    NewTenant {
        tenant_id: None,
        name: name.into(),
        domains: vec![TenantDomain {
            name: "contoso.com".into(),
            net_bios_name: "CONTOSO".into(),
        }],
        default,
    }
}

fn tenant(store: &dyn Store, name: &str) -> Tenant {
    store
        .create_tenant(&new_tenant(name, true), Uuid::new_v4())
        .unwrap()
}

fn user(tenant: &Tenant, n: usize) -> NewUser {
    let upn = format!("user{n}@contoso.com");
    let (sip, name, sam) = (
        format!("sip:{upn}"),
        format!("User {n}"),
        format!("user{n}"),
    );
    let dn = format!("CN=User {n},DC=contoso,DC=com");
    let fields = UserFields::from([
        (UserField::UserPrincipalName, upn.as_str()),
        (UserField::SipAddress, &sip),
        (UserField::DisplayName, &name),
        (UserField::SamAccountName, &sam),
        (UserField::DistinguishedName, &dn),
    ]);
    NewUser::from_fields(fields, tenant, &upn).unwrap()
}

fn meeting(organizer: usize, start: Timestamp, kind: MeetingType, attendees: usize) -> NewMeeting {
    let id = Uuid::new_v4();
    NewMeeting {
        source: "test".into(),
        meeting_id: id,
        organizer_key: format!("user{organizer}@contoso.com"),
        subject: format!("meeting of user{organizer}"),
        start,
        end: start.plus_ms(HOUR_MS),
        recurrence_end: None,
        meeting_type: kind,
        attendees: (0..attendees)
            .map(|i| format!("a{i}@fabrikam.com"))
            .collect(),
        body: sample_invitation("s", kind, &JoinDetails::initial(id, kind, "contoso.com")),
    }
}

/// A tenant with `users` users, each organising `meetings` future meetings.
fn directory(store: &dyn Store, users: usize, meetings: usize) -> Tenant {
    let t = tenant(store, "Contoso");
    let data = DirectoryData {
        users: (1..=users).map(|n| user(&t, n)).collect(),
        meetings: (1..=users)
            .flat_map(|n| {
                (0..meetings).map(move |m| {
                    meeting(
                        n,
                        t0().plus_ms((m as i64 + 1) * DAY_MS),
                        MeetingType::Teams,
                        2,
                    )
                })
            })
            .collect(),
        settings: None,
    };
    store.import(&t, &data).unwrap();
    store.tenant(t.tenant_id).unwrap().unwrap()
}

fn find(store: &dyn StoreReads, tenant: &Tenant, index: UserIndex, key: &str) -> Vec<User> {
    store
        .find_users(&TenantScope::Key(tenant.key), index, key, 10)
        .unwrap()
}

fn the_user(store: &dyn Store, tenant: &Tenant, n: usize) -> User {
    find(
        store,
        tenant,
        UserIndex::Upn,
        &format!("user{n}@contoso.com"),
    )
    .pop()
    .unwrap()
}

fn request(tenant: &Tenant, user: User, not_before: Timestamp) -> NewRequest {
    NewRequest {
        tenant: tenant.key,
        tenant_id: tenant.tenant_id,
        user,
        source: SourceMeetingType::All,
        target: TargetMeetingType::Teams,
        migration_type: MigrationType::AllToTeams,
        not_before,
        triggered_by: TriggeredBy::Admin,
    }
}

/// Queues a request for each user number, due at `t0`.
fn queue(store: &dyn Store, tenant: &Tenant, users: &[usize]) -> Vec<Started> {
    let requests: Vec<NewRequest> = users
        .iter()
        .map(|&n| request(tenant, the_user(store, tenant, n), t0()))
        .collect();
    store.start_requests(&requests, t0()).unwrap()
}

fn state_of(store: &dyn Store, s: &Started) -> MigrationDetail {
    store.request(s.status.correlation_id).unwrap().unwrap()
}

// The cases.

pub fn tenants_keep_one_default(store: &dyn Store) {
    assert!(store.default_tenant().unwrap().is_none());
    let a = store
        .create_tenant(&new_tenant("A", true), Uuid::new_v4())
        .unwrap();
    let b = store
        .create_tenant(&new_tenant("B", false), Uuid::new_v4())
        .unwrap();
    assert!(a.is_default && !b.is_default);
    assert_eq!(store.default_tenant().unwrap().unwrap().key, a.key);
    let c = store
        .create_tenant(&new_tenant("C", true), Uuid::new_v4())
        .unwrap();
    assert_eq!(store.default_tenant().unwrap().unwrap().key, c.key);
    let names: Vec<String> = store
        .tenants()
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["A", "B", "C"], "creation order");
    store.set_default_tenant(b.key).unwrap();
    let defaults: Vec<bool> = store
        .tenants()
        .unwrap()
        .iter()
        .map(|t| t.is_default)
        .collect();
    assert_eq!(defaults, [false, true, false]);
    let e = store
        .create_tenant(&new_tenant("again", false), a.tenant_id)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::AlreadyExists);
    assert_eq!(store.tenants().unwrap().len(), 3);
    assert!(store.tenant(Uuid::new_v4()).unwrap().is_none());
    assert_eq!(
        store.tenant(b.tenant_id).unwrap().unwrap().domains,
        b.domains
    );
}

pub fn settings_change_in_one_transaction(store: &dyn Store) {
    let t = tenant(store, "Contoso");
    let changed = store
        .update_migration_configuration(&t, &mut |c| {
            assert_eq!((c.time_scale, c.fault_injection.enabled()), (1, false));
            c.hold_minutes = 90;
            c.meeting_migration_enabled = false;
            c.time_scale = 3600;
            c.fault_injection = FaultInjection {
                transient_rate: 0.25,
                permanent_rate: 0.125,
                seed: -7,
            };
            Ok(())
        })
        .unwrap();
    assert_eq!(
        (changed.hold_minutes, changed.meeting_migration_enabled),
        (90, false)
    );
    let t = store.tenant(t.tenant_id).unwrap().unwrap();
    assert_eq!(t.migration_configuration(), changed);
    assert_eq!((t.time_scale, t.fault_injection.seed), (3600, -7));
    // An error from the closure changes nothing.
    let e = store
        .update_dial_in_settings(&t, &mut |s| {
            s.pin_length = 9;
            Err(meeting_migration::Error::invalid("no"))
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    let before = store.dial_in_settings(&t).unwrap();
    assert_ne!(before.pin_length, 9);
    let after = store
        .update_dial_in_settings(&t, &mut |s| {
            s.default_toll_number = Some("+1 425 555 0100".into());
            s.default_toll_free_number = None;
            Ok(())
        })
        .unwrap();
    assert_eq!(store.dial_in_settings(&t).unwrap(), after);
    assert_eq!(
        after.default_toll_number.as_deref(),
        Some("+1 425 555 0100")
    );
}

pub fn users_are_found_by_each_index_within_their_tenant(store: &dyn Store) {
    let t = directory(store, 3, 0);
    let u2 = the_user(store, &t, 2);
    for (index, key) in [
        (UserIndex::ObjectId, u2.identity.to_string()),
        (UserIndex::Upn, "user2@contoso.com".into()),
        (UserIndex::Sip, "sip:user2@contoso.com".into()),
        (UserIndex::DomainLogon, "contoso\\user2".into()),
        (UserIndex::DisplayName, "user 2".into()),
        (
            UserIndex::DistinguishedName,
            "cn=user 2,dc=contoso,dc=com".into(),
        ),
    ] {
        assert_eq!(
            find(store, &t, index, &key),
            std::slice::from_ref(&u2),
            "{index:?}"
        );
    }
    assert!(find(store, &t, UserIndex::Upn, "ghost@contoso.com").is_empty());
    assert!(
        find(store, &t, UserIndex::Upn, "USER2@contoso.com").is_empty(),
        "keys are compared as given"
    );
    let other = store
        .create_tenant(&new_tenant("Other", false), Uuid::new_v4())
        .unwrap();
    let scoped = |scope: TenantScope| {
        store
            .find_users(&scope, UserIndex::Upn, "user2@contoso.com", 10)
            .unwrap()
    };
    assert!(
        scoped(TenantScope::Key(other.key)).is_empty(),
        "never another tenant's user"
    );
    assert!(scoped(TenantScope::Id(other.tenant_id)).is_empty());
    assert_eq!(
        scoped(TenantScope::Id(t.tenant_id)),
        std::slice::from_ref(&u2)
    );
    assert_eq!(scoped(TenantScope::Default), [u2], "the default tenant");
    assert!(
        scoped(TenantScope::Id(Uuid::new_v4())).is_empty(),
        "no such tenant"
    );
    assert_eq!(t.user_count, 3);
}

pub fn a_user_update_writes_what_is_not_a_key_in_one_transaction(store: &dyn Store) {
    let t = directory(store, 2, 0);
    let before = the_user(store, &t, 1);
    let after = store
        .update_user(before.key, &mut |u| {
            u.teams_upgrade_effective_mode = "TeamsOnly".into();
            u.audio_conferencing_toll_number = Some("+1 425 555 0199".into());
            u.profile.mailbox_location = Some(EXCHANGE_ON_PREMISES.into());
            u.profile
                .policies
                .set("TeamsUpgradePolicy", Some("UpgradeToTeams".into()));
            // A key is not written.
            u.display_name = "Renamed".into();
            Ok(())
        })
        .unwrap();
    let read = the_user(store, &t, 1);
    assert_eq!(read.teams_upgrade_effective_mode, "TeamsOnly");
    assert_eq!(
        read.audio_conferencing_toll_number,
        after.audio_conferencing_toll_number
    );
    assert_eq!(read.profile, after.profile);
    assert_eq!(read.display_name, before.display_name);
    // An error from the closure changes nothing; the other user is untouched.
    let e = store
        .update_user(read.key, &mut |u| {
            u.teams_upgrade_effective_mode = "Islands".into();
            Err(meeting_migration::Error::invalid("no"))
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert_eq!(the_user(store, &t, 1), read);
    assert_eq!(
        the_user(store, &t, 2).teams_upgrade_effective_mode,
        before.teams_upgrade_effective_mode
    );
}

pub fn users_page_in_key_order(store: &dyn Store) {
    let t = directory(store, 12, 0);
    let first = store.users_page(&t, None, 5).unwrap();
    let rest = store.users_page(&t, Some(first[4].key), 100).unwrap();
    assert_eq!((first.len(), rest.len()), (5, 7));
    let keys: Vec<i64> = first.iter().chain(&rest).map(|u| u.key).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "key order");
}

pub fn an_import_is_all_or_nothing(store: &dyn Store) {
    let t = directory(store, 2, 1);
    let mut duplicate = DirectoryData {
        users: vec![user(&t, 3), user(&t, 2)],
        meetings: vec![],
        settings: None,
    };
    let e = store.import(&t, &duplicate).unwrap_err();
    assert_eq!(e.code, ErrorCode::ImportFailed);
    assert!(find(store, &t, UserIndex::Upn, "user3@contoso.com").is_empty());
    duplicate.users.pop();
    duplicate.meetings = vec![meeting(9, t0(), MeetingType::Teams, 1)];
    let e = store.import(&t, &duplicate).unwrap_err();
    assert_eq!(
        e.code,
        ErrorCode::ImportFailed,
        "an organiser who is not a user"
    );
    assert!(find(store, &t, UserIndex::Upn, "user3@contoso.com").is_empty());
    assert_eq!(store.tenant(t.tenant_id).unwrap().unwrap().user_count, 2);
    duplicate.meetings.clear();
    store.import(&t, &duplicate).unwrap();
    assert_eq!(store.tenant(t.tenant_id).unwrap().unwrap().user_count, 3);
}

pub fn meetings_of_a_user_are_rows_as_stored(store: &dyn Store) {
    let t = tenant(store, "Contoso");
    let series = NewMeeting {
        recurrence_end: Some(t0().plus_ms(30 * DAY_MS)),
        ..meeting(1, t0().plus_ms(-DAY_MS), MeetingType::SfbOnPrem, 3)
    };
    let later = meeting(1, t0().plus_ms(DAY_MS), MeetingType::Teams, 1);
    let data = DirectoryData {
        users: vec![user(&t, 1), user(&t, 2)],
        meetings: vec![
            later.clone(),
            series.clone(),
            meeting(2, t0(), MeetingType::Teams, 1),
        ],
        settings: None,
    };
    store.import(&t, &data).unwrap();
    let rows = store.meetings_of(the_user(store, &t, 1).key).unwrap();
    let ids: Vec<Uuid> = rows.iter().map(|m| m.meeting_id).collect();
    assert_eq!(ids, [series.meeting_id, later.meeting_id], "by start time");
    let s = &rows[0];
    assert_eq!(s.body, series.body, "bodies byte for byte");
    assert_eq!(
        (s.meeting_type, s.attendee_count),
        (MeetingType::SfbOnPrem, 3)
    );
    assert_eq!(s.attendees, series.attendees);
    assert_eq!(s.recurrence_end, series.recurrence_end);
    assert_eq!(s.organizer, "user1@contoso.com");
    assert_eq!(s.tenant_id, t.tenant_id);
    // The schedules are the same meetings, in the same order, without bodies and attendees.
    let schedules = store
        .meeting_schedules_of(the_user(store, &t, 1).key)
        .unwrap();
    let projected: Vec<MeetingSchedule> = rows
        .iter()
        .map(|m| MeetingSchedule {
            key: m.key,
            meeting_id: m.meeting_id,
            subject: m.subject.clone(),
            start_time: m.start_time,
            end_time: m.end_time,
            recurrence_end: m.recurrence_end,
            meeting_type: m.meeting_type,
        })
        .collect();
    assert_eq!(schedules, projected);
    assert_eq!(
        schedules[0].last_end(),
        rows[0].last_end(),
        "a series ends with its last occurrence"
    );
}

pub fn one_open_request_per_user_and_queue_positions(store: &dyn Store) {
    let t = directory(store, 3, 1);
    let started = queue(store, &t, &[1, 2, 3, 1]);
    assert_eq!(
        started.iter().map(|s| s.existing).collect::<Vec<_>>(),
        [false, false, false, true]
    );
    assert_eq!(
        started[3].status, started[0].status,
        "the open request comes back"
    );
    let positions: Vec<Option<i64>> = started[..3]
        .iter()
        .map(|s| state_of(store, s).queue_position)
        .collect();
    assert_eq!(positions, [Some(1), Some(2), Some(3)]);
    let again = queue(store, &t, &[2]);
    assert!(again[0].existing);
    let ids: Vec<Uuid> = started.iter().map(|s| s.status.correlation_id).collect();
    let many = store
        .request_statuses(&[ids[2], Uuid::new_v4(), ids[0]])
        .unwrap();
    assert_eq!(many[0].as_ref().unwrap().queue_position, Some(3));
    assert!(many[1].is_none());
    assert_eq!(many[2].as_ref().unwrap().status, started[0].status);
    let open = store
        .open_request(the_user(store, &t, 2).key)
        .unwrap()
        .unwrap();
    assert_eq!(open, started[1].status);
    let s = &started[0].status;
    assert_eq!(
        (s.state, s.retry_count, s.total_meeting),
        (RequestState::Pending, 0, 0)
    );
    assert_eq!(s.migration_type, MigrationType::AllToTeams);
    assert_eq!(s.create_date, t0());
}

pub fn a_disabled_tenant_queues_nothing(store: &dyn Store) {
    let t = directory(store, 2, 0);
    store
        .update_migration_configuration(&t, &mut |c| {
            c.meeting_migration_enabled = false;
            Ok(())
        })
        .unwrap();
    let requests = vec![
        request(&t, the_user(store, &t, 1), t0()),
        request(&t, the_user(store, &t, 2), t0()),
    ];
    let e = store.start_requests(&requests, t0()).unwrap_err();
    assert_eq!(e.code, ErrorCode::MigrationDisabled);
    assert!(store.requests(&StatusFilter::default()).unwrap().is_empty());
}

pub fn claims_take_due_requests_in_key_order_under_leases(store: &dyn Store) {
    let t = directory(store, 3, 2);
    let held = request(&t, the_user(store, &t, 1), t0().plus_ms(HOUR_MS));
    let due = request(&t, the_user(store, &t, 2), t0());
    let started = store.start_requests(&[held, due], t0()).unwrap();
    let claim = store.claim("w1", t0(), LEASE).unwrap().unwrap();
    assert_eq!(
        claim.status.correlation_id, started[1].status.correlation_id,
        "the held one waits"
    );
    assert_eq!(claim.status.state, RequestState::InProgress);
    assert!(!claim.scoped);
    assert!(
        store.claim("w2", t0(), LEASE).unwrap().is_none(),
        "a live lease is kept"
    );
    // The lease runs out: another worker takes the request over, and the held one is due.
    let later = t0().plus_ms(HOUR_MS);
    let taken = store.claim("w2", later, LEASE).unwrap().unwrap();
    assert_eq!(taken.request, started[0].status.key, "lower key first");
    let resumed = store.claim("w2", later, LEASE).unwrap().unwrap();
    assert_eq!(resumed.request, claim.request);
    // The old holder lost it: its writes change nothing.
    assert!(!store.scope_request(&claim, &[], later, LEASE).unwrap());
    assert!(!store
        .end_request(
            &claim,
            &RequestEnd::Finished {
                state: RequestState::Succeeded,
                message: "stale".into()
            },
            later
        )
        .unwrap());
    assert_eq!(
        state_of(store, &started[1]).status.state,
        RequestState::InProgress
    );
    // Release ends a lease at once.
    assert!(store
        .end_request(&resumed, &RequestEnd::Release, later)
        .unwrap());
    let again = store.claim("w3", later, LEASE).unwrap().unwrap();
    assert_eq!(again.request, claim.request);
}

pub fn a_request_is_scoped_once_and_its_batches_commit_with_counts(store: &dyn Store) {
    let t = directory(store, 1, 5);
    let started = queue(store, &t, &[1]);
    let claim = store.claim("w", t0(), LEASE).unwrap().unwrap();
    let meetings: Vec<i64> = store
        .meetings_of(claim.user)
        .unwrap()
        .iter()
        .map(|m| m.key)
        .collect();
    assert!(store
        .scope_request(&claim, &meetings[..4], t0(), LEASE)
        .unwrap());
    assert!(
        !store.scope_request(&claim, &meetings, t0(), LEASE).unwrap(),
        "once"
    );
    assert_eq!(state_of(store, &started[0]).status.total_meeting, 4);
    let first = store.pending_meetings(claim.request, 0, 3).unwrap();
    let keys: Vec<i64> = first.iter().map(|m| m.meeting).collect();
    assert_eq!(keys, meetings[..3], "key order, up to the limit");
    let results = vec![
        MeetingResult::Rewritten {
            meeting: keys[0],
            meeting_type: MeetingType::SfbOnline,
            body: "new body".into(),
            invites: 2,
        },
        MeetingResult::Failed {
            meeting: keys[1],
            message: "why".into(),
        },
    ];
    assert!(store.commit_batch(&claim, &results, t0(), LEASE).unwrap());
    let rest = store.pending_meetings(claim.request, 0, 10).unwrap();
    assert_eq!(
        rest.iter().map(|m| m.meeting).collect::<Vec<_>>(),
        [keys[2], meetings[3]]
    );
    let d = state_of(store, &started[0]);
    assert_eq!(
        (
            d.status.succeeded_meeting,
            d.status.failed_meeting,
            d.status.invites_update
        ),
        (1, 1, 2)
    );
    let outcomes: Vec<(MeetingOutcomeState, Option<String>)> = d
        .meetings
        .iter()
        .map(|m| (m.outcome, m.message.clone()))
        .collect();
    assert_eq!(outcomes[0], (MeetingOutcomeState::Succeeded, None));
    assert_eq!(
        outcomes[1],
        (MeetingOutcomeState::Failed, Some("why".into()))
    );
    let row = store
        .meetings_of(claim.user)
        .unwrap()
        .into_iter()
        .find(|m| m.key == keys[0])
        .unwrap();
    assert_eq!(
        (row.body.as_str(), row.meeting_type),
        ("new body", MeetingType::SfbOnline)
    );
    // A meeting already done fails the whole batch, which changes nothing.
    let again = vec![
        MeetingResult::Failed {
            meeting: keys[2],
            message: "x".into(),
        },
        results[0].clone(),
    ];
    assert!(store.commit_batch(&claim, &again, t0(), LEASE).is_err());
    assert_eq!(
        store.pending_meetings(claim.request, 0, 10).unwrap().len(),
        2
    );
    let ended = RequestEnd::Finished {
        state: RequestState::Succeeded,
        message: "done".into(),
    };
    assert!(store.end_request(&claim, &ended, t0().plus_ms(5)).unwrap());
    let s = state_of(store, &started[0]).status;
    assert_eq!(
        (s.state, s.last_message.as_deref()),
        (RequestState::Succeeded, Some("done"))
    );
    assert_eq!(s.modified_date, t0().plus_ms(5));
    assert!(store.open_request(claim.user).unwrap().is_none());
}

pub fn a_retry_waits_and_keeps_its_first_failure(store: &dyn Store) {
    let t = directory(store, 1, 1);
    let started = queue(store, &t, &[1]);
    let claim = store.claim("w", t0(), LEASE).unwrap().unwrap();
    assert_eq!(claim.first_failure, None);
    let retry = |claim: &Claim, n: i64, at: Timestamp| {
        let end = RequestEnd::Retry {
            retry_count: n,
            not_before: at.plus_ms(1000),
            message: format!("retry {n}"),
        };
        assert!(store.end_request(claim, &end, at).unwrap());
    };
    retry(&claim, 1, t0());
    let s = state_of(store, &started[0]).status;
    assert_eq!((s.state, s.retry_count), (RequestState::Pending, 1));
    assert!(
        store
            .claim("w", t0().plus_ms(999), LEASE)
            .unwrap()
            .is_none(),
        "backing off"
    );
    let second = store
        .claim("w", t0().plus_ms(1000), LEASE)
        .unwrap()
        .unwrap();
    assert_eq!(second.first_failure, Some(t0()));
    assert_eq!(second.status.retry_count, 1);
    retry(&second, 2, t0().plus_ms(1000));
    let third = store
        .claim("w", t0().plus_ms(5000), LEASE)
        .unwrap()
        .unwrap();
    assert_eq!(third.first_failure, Some(t0()), "the first failure is kept");
}

pub fn purge_deletes_only_old_terminal_requests(store: &dyn Store) {
    let t = directory(store, 2, 0);
    let started = queue(store, &t, &[1, 2]);
    let claim = store.claim("w", t0(), LEASE).unwrap().unwrap();
    let ended = RequestEnd::Finished {
        state: RequestState::Failed,
        message: "x".into(),
    };
    assert!(store.end_request(&claim, &ended, t0()).unwrap());
    assert_eq!(
        store.purge(t0()).unwrap(),
        0,
        "created at the cut-off, not before"
    );
    assert_eq!(
        store.purge(t0().plus_ms(1)).unwrap(),
        1,
        "the pending one stays"
    );
    assert!(store
        .request(started[0].status.correlation_id)
        .unwrap()
        .is_none());
    assert!(store
        .request(started[1].status.correlation_id)
        .unwrap()
        .is_some());
}

pub fn status_filters_and_users_per_state(store: &dyn Store) {
    let t = directory(store, 3, 0);
    queue(store, &t, &[1, 2]);
    let claim = store.claim("w", t0(), LEASE).unwrap().unwrap();
    let done = RequestEnd::Finished {
        state: RequestState::Succeeded,
        message: "ok".into(),
    };
    store.end_request(&claim, &done, t0()).unwrap();
    let later = t0().plus_ms(DAY_MS);
    store
        .start_requests(&[request(&t, the_user(store, &t, 1), later)], later)
        .unwrap();
    let all = store.requests(&StatusFilter::default()).unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.windows(2).all(|w| w[0].key < w[1].key));
    let filter = |f: StatusFilter| store.requests(&f).unwrap().len();
    let user1 = the_user(store, &t, 1).key;
    assert_eq!(
        filter(StatusFilter {
            user: Some(user1),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        filter(StatusFilter {
            created_from: Some(later),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        filter(StatusFilter {
            created_to: Some(t0()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        filter(StatusFilter {
            state: Some(RequestState::Pending),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        filter(StatusFilter {
            migration_type: Some(MigrationType::SfbToSfb),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        filter(StatusFilter {
            tenant: Some(t.key + 1000),
            ..Default::default()
        }),
        0
    );
    // What started a request is kept and filtered on.
    let mut moved = request(&t, the_user(store, &t, 3), later);
    moved.triggered_by = TriggeredBy::UserMove;
    let queued = store.start_requests(&[moved], later).unwrap();
    assert_eq!(queued[0].status.triggered_by, TriggeredBy::UserMove);
    let by_trigger = |t: TriggeredBy| {
        store
            .requests(&StatusFilter {
                triggered_by: Some(t),
                ..Default::default()
            })
            .unwrap()
    };
    let triggered = by_trigger(TriggeredBy::UserMove);
    assert_eq!(triggered.len(), 1);
    assert_eq!(triggered[0], queued[0].status);
    assert_eq!(by_trigger(TriggeredBy::Admin).len(), 3);
    assert_eq!(
        store
            .request(queued[0].status.correlation_id)
            .unwrap()
            .unwrap()
            .status
            .triggered_by,
        TriggeredBy::UserMove
    );
    let mut per_state = store.users_per_state(&StatusFilter::default()).unwrap();
    per_state.sort_by_key(|(s, _)| s.as_str());
    assert_eq!(
        per_state,
        [(RequestState::Pending, 3), (RequestState::Succeeded, 1)],
        "distinct users, states without requests left out"
    );
}

pub fn a_read_scope_sees_one_state_and_ends_when_its_body_panics(store: &dyn Store) {
    tenant(store, "A");
    let mut seen = (0, 0);
    store
        .read_scope(&mut |reads| {
            let before = reads.tenants()?.len();
            // A write meanwhile is not seen through the scope.
            store.create_tenant(&new_tenant("B", false), Uuid::new_v4())?;
            seen = (before, reads.tenants()?.len());
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, (1, 1));
    assert_eq!(
        store.tenants().unwrap().len(),
        2,
        "after the scope, reads are current"
    );
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = store.read_scope(&mut |reads| {
            reads.tenants()?;
            panic!("a bug inside a read scope");
        });
    }));
    assert!(panicked.is_err());
    store
        .create_tenant(&new_tenant("C", false), Uuid::new_v4())
        .unwrap();
    assert_eq!(
        store.tenants().unwrap().len(),
        3,
        "the panicked scope was ended"
    );
}

fn a_sound_store_checks_healthy_and_a_backup_is_refused_or_complete(store: &dyn Store) {
    let t = directory(store, 3, 2);
    let check = store.check().unwrap();
    assert!(check.healthy, "{:?}", check.problems);
    assert!(check.problems.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("copy");
    match store.backup(&to, false) {
        // A backend with its own backup tool says so and writes nothing.
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidArgument, "{}", e.message);
            assert!(!to.exists());
        }
        Ok(copy) => {
            assert_eq!(copy.bytes, std::fs::metadata(&to).unwrap().len());
            let copied = meeting_migration::store::open(&to).unwrap();
            assert_eq!(copied.tenants().unwrap(), store.tenants().unwrap());
            assert_eq!(copied.users_page(&t, None, 10).unwrap().len(), 3);
            assert_eq!(
                store.backup(&to, false).unwrap_err().code,
                ErrorCode::AlreadyExists
            );
        }
    }
}

fn a_prefix_range_pages_in_index_order_or_is_not_offered(store: &dyn Store) {
    let t = directory(store, 25, 0);
    let other = directory(store, 3, 0);
    let upns = |users: &[User]| -> Vec<String> {
        users
            .iter()
            .map(|u| u.user_principal_name.clone())
            .collect()
    };
    // user1, user10..user19 (byte order), three at a time, each page after the last.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .users_by_prefix(&t, UserIndex::Upn, "user1", after, 3)
            .unwrap()
            .expect("every backend ranges over the UPN");
        assert!(page.iter().all(|u| u.tenant_id == t.tenant_id));
        seen.extend(upns(&page));
        match page.last() {
            Some(last) if page.len() == 3 => after = Some(last.key),
            _ => break,
        }
    }
    let mut expected: Vec<String> = std::iter::once(1)
        .chain(10..=19)
        .map(|n| format!("user{n}@contoso.com"))
        .collect();
    expected.sort();
    assert_eq!(seen, expected);
    assert_eq!(
        store
            .users_by_prefix(&other, UserIndex::Upn, "user2", None, 10)
            .unwrap()
            .map(|u| upns(&u)),
        Some(vec!["user2@contoso.com".to_string()])
    );
    assert_eq!(
        store
            .users_by_prefix(&t, UserIndex::Upn, "nobody", None, 10)
            .unwrap(),
        Some(vec![])
    );
    // The SIP address, the domain logon and the display name range the same way on every
    // backend; a display name repeats (a twin of User 2): its users follow in key order,
    // and paging resumes after the user given, not after every user with that name.
    let twin = NewUser::from_fields(
        UserFields::from([
            (UserField::UserPrincipalName, "twin@contoso.com"),
            (UserField::DisplayName, "User 2"),
        ]),
        &t,
        "twin",
    )
    .unwrap();
    store
        .import(
            &t,
            &DirectoryData {
                users: vec![twin],
                meetings: vec![],
                settings: None,
            },
        )
        .unwrap();
    let all_pages = |index: UserIndex, prefix: &str, size: usize| -> Vec<User> {
        let mut seen: Vec<User> = Vec::new();
        loop {
            let page = store
                .users_by_prefix(&t, index, prefix, seen.last().map(|u| u.key), size)
                .unwrap()
                .unwrap_or_else(|| panic!("no range over {index:?}"));
            let full = page.len() == size;
            seen.extend(page);
            if !full {
                return seen;
            }
        }
    };
    let names: Vec<String> = all_pages(UserIndex::DisplayName, "user 2", 2)
        .iter()
        .map(|u| format!("{} {}", u.display_name, u.user_principal_name))
        .collect();
    assert_eq!(
        names,
        [
            "User 2 user2@contoso.com",
            "User 2 twin@contoso.com",
            "User 20 user20@contoso.com",
            "User 21 user21@contoso.com",
            "User 22 user22@contoso.com",
            "User 23 user23@contoso.com",
            "User 24 user24@contoso.com",
            "User 25 user25@contoso.com",
        ]
    );
    let sips: Vec<String> = all_pages(UserIndex::Sip, "sip:user2", 3)
        .into_iter()
        .filter_map(|u| u.sip_address)
        .collect();
    // Byte order: "user2@" sorts after "user25".
    let mut expected: Vec<String> = (std::iter::once(2).chain(20..=25))
        .map(|n| format!("sip:user{n}@contoso.com"))
        .collect();
    expected.sort();
    assert_eq!(sips, expected);
    let logons: Vec<String> = all_pages(UserIndex::DomainLogon, "contoso\\user1", 4)
        .into_iter()
        .filter_map(|u| u.windows_domain_logon)
        .collect();
    let mut expected: Vec<String> = (std::iter::once(1).chain(10..=19))
        .map(|n| format!("CONTOSO\\user{n}"))
        .collect();
    expected.sort();
    assert_eq!(logons, expected);
}

fn an_import_with_settings_replaces_them_in_its_transaction(store: &dyn Store) {
    let t = tenant(store, "Contoso");
    let mut dial_in = store.dial_in_settings(&t).unwrap();
    dial_in.pin_length = 9;
    dial_in.default_toll_number = Some("+1 425 555 0100".into());
    dial_in.options.mask_pstn_numbers_type = "NoMasking".into();
    let mut migration = t.migration_configuration();
    migration.hold_minutes = 42;
    migration.meeting_migration_enabled = false;
    let settings = TenantSettings {
        migration: migration.clone(),
        dial_in: dial_in.clone(),
    };
    // A failing import changes no setting.
    let mut duplicate = DirectoryData {
        users: vec![user(&t, 1), user(&t, 1)],
        meetings: vec![],
        settings: Some(settings.clone()),
    };
    assert!(store.import(&t, &duplicate).is_err());
    assert_ne!(store.dial_in_settings(&t).unwrap(), dial_in);
    duplicate.users.pop();
    store.import(&t, &duplicate).unwrap();
    assert_eq!(store.dial_in_settings(&t).unwrap(), dial_in);
    let after = store.tenant(t.tenant_id).unwrap().unwrap();
    assert_eq!(after.migration_configuration(), migration);
    assert_eq!(after.user_count, 1);
}

/// Runs every case of the contract against a fresh store from `$open` each.
pub fn a_meeting_body_is_replaced_alone(store: &dyn Store) {
    let t = tenant(store, "Contoso");
    let first = meeting(1, t0().plus_ms(DAY_MS), MeetingType::Teams, 2);
    let second = meeting(1, t0().plus_ms(2 * DAY_MS), MeetingType::SfbOnline, 1);
    let data = DirectoryData {
        users: vec![user(&t, 1)],
        meetings: vec![first.clone(), second.clone()],
        settings: None,
    };
    store.import(&t, &data).unwrap();
    let organizer = the_user(store, &t, 1).key;
    let rows = store.meetings_of(organizer).unwrap();
    assert!(store
        .set_meeting_body(rows[0].key, "Über ✓ new body")
        .unwrap());
    assert!(
        !store.set_meeting_body(i64::MAX, "nobody's").unwrap(),
        "unknown key"
    );
    let after = store.meetings_of(organizer).unwrap();
    assert_eq!(after[0].body, "Über ✓ new body");
    assert_eq!(
        (after[0].meeting_type, after[0].attendee_count),
        (MeetingType::Teams, 2),
        "the rest of the row stays"
    );
    assert_eq!(after[1].body, second.body, "other meetings stay");
}

macro_rules! conformance {
    ($backend:ident => $open:expr) => {
        mod $backend {
            use super::*;
            conformance!(@cases $open;
                tenants_keep_one_default,
                settings_change_in_one_transaction,
                users_are_found_by_each_index_within_their_tenant,
                users_page_in_key_order,
                a_user_update_writes_what_is_not_a_key_in_one_transaction,
                an_import_is_all_or_nothing,
                meetings_of_a_user_are_rows_as_stored,
                one_open_request_per_user_and_queue_positions,
                a_disabled_tenant_queues_nothing,
                claims_take_due_requests_in_key_order_under_leases,
                a_request_is_scoped_once_and_its_batches_commit_with_counts,
                a_retry_waits_and_keeps_its_first_failure,
                purge_deletes_only_old_terminal_requests,
                status_filters_and_users_per_state,
                a_read_scope_sees_one_state_and_ends_when_its_body_panics,
                a_sound_store_checks_healthy_and_a_backup_is_refused_or_complete,
                a_prefix_range_pages_in_index_order_or_is_not_offered,
                an_import_with_settings_replaces_them_in_its_transaction,
                a_meeting_body_is_replaced_alone,
            );
        }
    };
    (@cases $open:expr; $($case:ident,)*) => {
        $(#[test]
        fn $case() {
            // `None`: the backend's server is not installed here (said loudly by `$open`).
            let opened: Option<(_, Arc<dyn Store>)> = $open;
            let Some((_keep, store)) = opened else { return };
            super::$case(&*store);
        })*
    };
}

conformance!(sqlite => {
    let dir = support::TestStore::new();
    let store = meeting_migration::store::open(&dir.path).unwrap();
    Some((dir, store))
});
conformance!(postgres => support::postgres::database().map(|db| {
    let store = meeting_migration::store::open(std::path::Path::new(&db.uri)).unwrap();
    (db, store)
}));
