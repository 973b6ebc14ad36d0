//! Data in: JSON and CSV imports (Import-MmsTenantData), all or nothing.

mod support;

use meeting_migration::{ErrorCode, Service};
use support::*;

fn meeting_json(organizer: &str, subject: &str) -> String {
    format!(
        r#"{{"Organizer": "{organizer}", "Subject": "{subject}", "StartTime": "{}", "EndTime": "{}",
            "MeetingType": "SfbOnPrem", "Attendees": ["a@contoso.com", "b@contoso.com"]}}"#,
        iso_in(DAY),
        iso_in(DAY + HOUR)
    )
}

#[test]
fn json_users_and_meetings_import() {
    let (store, svc) = sample(2, 0);
    let text = format!(
        r#"{{"Users": [
              {{"UserPrincipalName": "ada@contoso.com", "DisplayName": "Ada Lovelace", "SipAddress": "sip:ada@contoso.com",
                "SamAccountName": "ada", "DistinguishedName": "CN=Ada Lovelace,OU=Eng,DC=contoso,DC=com",
                "TeamsUpgradeEffectiveMode": "teamsonly", "AudioConferencingTollNumber": "+1 206 555 0199"}},
              {{"userprincipalname": "grace@contoso.com"}}
            ],
            "Meetings": [{}, {}]}}"#,
        meeting_json("ada@contoso.com", "Ada's review"),
        meeting_json("Grace@Contoso.com", "Grace's sync")
    );
    let summary = import_text(&store, &svc, None, "data.json", &text).unwrap();
    assert_eq!((summary.users, summary.meetings), (2, 2));
    let ada = svc.resolve(None, "CONTOSO\\ada").unwrap();
    assert_eq!(ada.teams_upgrade_effective_mode, "TeamsOnly");
    assert_eq!(
        ada.audio_conferencing_toll_number.as_deref(),
        Some("+1 206 555 0199")
    );
    assert_eq!(ada.windows_domain_logon.as_deref(), Some("CONTOSO\\ada"));
    let grace = svc.resolve(None, "grace@contoso.com").unwrap();
    assert_eq!(grace.display_name, "grace");
    let meetings = svc.meetings(None, "Ada Lovelace").unwrap();
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0].row.subject, "Ada's review");
    assert_eq!(meetings[0].row.attendee_count, 2);
    assert!(meetings[0].online_meeting_block.is_some());
    assert_eq!(svc.meetings(None, "grace@contoso.com").unwrap().len(), 1);
}

#[test]
fn json_array_of_users_imports() {
    let (store, svc) = sample(0, 0);
    let summary = import_text(
        &store,
        &svc,
        None,
        "users.json",
        r#"[{"UserPrincipalName": "x1@contoso.com"}, {"UserPrincipalName": "x2@contoso.com"}]"#,
    )
    .unwrap();
    assert_eq!(summary.users, 2);
    assert!(svc.resolve(None, "x2@contoso.com").is_ok());
}

#[test]
fn csv_users_import() {
    let (store, svc) = sample(0, 0);
    let text =
        "UserPrincipalName,DisplayName,SipAddress,SamAccountName,TeamsUpgradeEffectiveMode\n\
                csv1@contoso.com,Csv One,sip:csv1@contoso.com,csv1,Islands\n\
                \"csv2@litwareinc.com\",\"Two, Csv\",,csv2,SfBOnly\n";
    let summary = import_text(&store, &svc, None, "users.csv", text).unwrap();
    assert_eq!(summary.users, 2);
    assert_eq!(
        svc.resolve(None, "Two, Csv").unwrap().user_principal_name,
        "csv2@litwareinc.com"
    );
    assert_eq!(
        svc.resolve(None, "litwareinc\\CSV2")
            .unwrap()
            .teams_upgrade_effective_mode,
        "SfBOnly"
    );
    assert_eq!(
        svc.resolve(None, "sip:CSV1@contoso.com")
            .unwrap()
            .display_name,
        "Csv One"
    );
}

/// Runs a failing import and proves the store file is byte-for-byte what it was, hashed by
/// `sha256sum` in another process while this process has the store open (idle, no worker),
/// and again after it is closed.
fn assert_import_fails_unchanged(
    name: &str,
    text: &str,
    expect: &[&str],
) -> meeting_migration::Error {
    let (store, svc) = sample(5, 1);
    drop(svc);
    let closed_before = store.hashes();
    let svc = store.open();
    assert!(!svc.worker_running());
    let before = store.hashes();
    let users_before = svc.tenant(None).unwrap().user_count;
    let e = import_text(&store, &svc, None, name, text).unwrap_err();
    assert_eq!(e.code, ErrorCode::ImportFailed, "{}", e.message);
    for part in expect {
        assert!(e.message.contains(part), "{:?} lacks {part:?}", e.message);
    }
    assert!(
        e.message.contains("Nothing was imported") || e.message.contains("nothing was imported"),
        "{}",
        e.message
    );
    assert_eq!(store.hashes(), before, "the open store changed");
    assert_eq!(svc.tenant(None).unwrap().user_count, users_before);
    drop(svc);
    assert_eq!(store.hashes(), closed_before, "the closed store changed");
    e
}

#[test]
fn bad_json_user_names_index_and_field_and_changes_nothing() {
    assert_import_fails_unchanged(
        "bad.json",
        r#"{"Users": [{"UserPrincipalName": "ok@contoso.com"}, {"DisplayName": "No UPN"}]}"#,
        &["Users[1]", "UserPrincipalName"],
    );
    assert_import_fails_unchanged(
        "bad.json",
        r#"[{"UserPrincipalName": "ok@contoso.com"}, {"UserPrincipalName": "ok2@contoso.com"}, {"UserPrincipalName": "x@contoso.com", "SipAddress": "not an address"}]"#,
        &["Users[2]", "SipAddress"],
    );
    assert_import_fails_unchanged(
        "bad.json",
        r#"[{"UserPrincipalName": "ok@contoso.com", "Shoesize": 4}]"#,
        &["Users[0]", "Shoesize"],
    );
}

#[test]
fn bad_json_meeting_names_index_and_field_and_changes_nothing() {
    let text = format!(
        r#"{{"Users": [{{"UserPrincipalName": "new@contoso.com"}}],
            "Meetings": [{}, {{"Organizer": "new@contoso.com", "StartTime": "{}", "EndTime": "yesterday"}}]}}"#,
        meeting_json("new@contoso.com", "fine"),
        iso_in(DAY)
    );
    assert_import_fails_unchanged("bad.json", &text, &["Meetings[1]", "EndTime"]);
    // A meeting of an organiser the tenant does not have fails in the store's transaction,
    // after the users were inserted: the rollback leaves nothing.
    let text = format!(
        r#"{{"Users": [{{"UserPrincipalName": "new@contoso.com"}}], "Meetings": [{}]}}"#,
        meeting_json("ghost@contoso.com", "orphan")
    );
    assert_import_fails_unchanged("bad.json", &text, &["Meetings[0]", "ghost@contoso.com"]);
}

#[test]
fn bad_csv_line_names_line_and_field_and_changes_nothing() {
    assert_import_fails_unchanged(
        "bad.csv",
        "UserPrincipalName,SipAddress\nok1@contoso.com,sip:ok1@contoso.com\nok2@contoso.com,sip:bad address\n",
        &["line 3", "SipAddress"],
    );
    assert_import_fails_unchanged(
        "bad.csv",
        "UserPrincipalName,Favourite\nok1@contoso.com,blue\n",
        &["line 1", "Favourite"],
    );
    assert_import_fails_unchanged("bad.json", "{\"Users\": [", &["not valid JSON"]);
}

#[test]
fn duplicates_within_a_file_are_refused() {
    let e = assert_import_fails_unchanged(
        "dup.json",
        r#"[{"UserPrincipalName": "twin@contoso.com"}, {"UserPrincipalName": "other@contoso.com"}, {"UserPrincipalName": "TWIN@contoso.com"}]"#,
        &["Users[2]", "UserPrincipalName"],
    );
    assert!(e.message.contains("repeats"), "{}", e.message);
    assert_import_fails_unchanged(
        "dup.csv",
        "UserPrincipalName,SipAddress\na@contoso.com,sip:same@contoso.com\nb@contoso.com,sip:SAME@contoso.com\n",
        &["line 3", "SipAddress"],
    );
}

#[test]
fn duplicates_against_the_store_are_refused() {
    // The sample's Ken Myer exists: his UPN, his SIP address, his DN.
    assert_import_fails_unchanged(
        "dup.json",
        r#"[{"UserPrincipalName": "fresh@contoso.com"}, {"UserPrincipalName": "KenMyer@litwareinc.com"}]"#,
        &["Users[1]", "UserPrincipalName"],
    );
    assert_import_fails_unchanged(
        "dup.csv",
        "UserPrincipalName,SipAddress\nfresh@contoso.com,sip:fresh@contoso.com\nfresh2@contoso.com,sip:kenmyer@litwareinc.com\n",
        &["line 3", "SipAddress"],
    );
    assert_import_fails_unchanged(
        "dup.json",
        r#"[{"UserPrincipalName": "fresh@contoso.com", "DistinguishedName": "cn=ken myer, ou=redmond, dc=litwareinc, dc=com"}]"#,
        &["Users[0]", "DistinguishedName"],
    );
}

#[test]
fn the_same_users_can_live_in_two_tenants() {
    let (store, svc) = sample(0, 0);
    let t = svc
        .create_tenant(&meeting_migration::model::NewTenant {
            name: "Other".into(),
            domains: vec![meeting_migration::model::TenantDomain {
                name: "litwareinc.com".into(),
                net_bios_name: "LITWAREINC".into(),
            }],
            ..Default::default()
        })
        .unwrap();
    let id = t.tenant_id.to_string();
    import_text(
        &store,
        &svc,
        Some(&id),
        "ken.json",
        r#"[{"UserPrincipalName": "kenmyer@litwareinc.com", "SamAccountName": "kenmyer", "SipAddress": "sip:kenmyer@litwareinc.com"}]"#,
    )
    .unwrap();
    assert_eq!(svc.tenant(Some(&id)).unwrap().user_count, 1);
    let _: &Service = &svc;
}

#[test]
fn unknown_extension_is_refused() {
    let (store, svc) = sample(0, 0);
    let e = import_text(&store, &svc, None, "users.txt", "x").unwrap_err();
    assert_eq!(e.code, ErrorCode::ImportFailed);
}

#[test]
fn control_characters_in_names_are_refused_not_a_crash() {
    for (record, field) in [
        (
            r#"{"UserPrincipalName": "nul@contoso.com", "DistinguishedName": "CN=a\u0000,DC=x"}"#,
            "DistinguishedName",
        ),
        (
            r#"{"UserPrincipalName": "nul@contoso.com", "DistinguishedName": "CN=a\u00001,DC=x"}"#,
            "DistinguishedName",
        ),
        (
            r#"{"UserPrincipalName": "nul@contoso.com", "DisplayName": "a\u0000b"}"#,
            "DisplayName",
        ),
        (
            r#"{"UserPrincipalName": "nul@contoso.com", "DistinguishedName": "CN=K\u00e4,OU="}"#,
            "DistinguishedName",
        ),
    ] {
        assert_import_fails_unchanged("nul.json", &format!("[{record}]"), &["Users[0]", field]);
    }
}

#[test]
fn a_cancelled_import_stops_while_reading_and_writes_nothing() {
    let (store, svc) = sample(5, 1);
    let mut text = String::from("UserPrincipalName\n");
    for i in 0..3000 {
        text.push_str(&format!("cancelled{i}@contoso.com\n"));
    }
    let path = store.file("many.csv");
    std::fs::write(&path, text).unwrap();
    let before = store.hashes();
    let cancel = meeting_migration::cancel::CancelToken::new();
    let mut reports = Vec::new();
    let e = svc
        .import_file(
            None,
            &path,
            &mut |done, total| {
                reports.push((done, total));
                cancel.cancel(); // as a pipeline stop does from the progress callback
            },
            Some(&cancel),
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled, "{}", e.message);
    assert!(e.message.contains("nothing was imported"), "{}", e.message);
    assert_eq!(
        reports,
        vec![(1000, 3000)],
        "reading stopped at the first report"
    );
    assert_eq!(store.hashes(), before);
    assert!(svc.resolve(None, "cancelled0@contoso.com").is_err());
}

#[test]
fn object_list_properties_import_and_effective_assignments_follow_the_policies() {
    use meeting_migration::model::{TelephoneNumber, UserField};
    let (store, svc) = sample(0, 0);
    // ConvertTo-Json's form: TelephoneNumbers as objects; a stale EffectivePolicyAssignments
    // (it is derived, so skipped) that names a policy the user does not have.
    let json = r#"[{"UserPrincipalName": "ada@contoso.com", "TeamsMeetingPolicy": "Kiosk",
        "TelephoneNumbers": [{"TelephoneNumber": "+14255550100", "AssignmentCategory": "Primary"},
                             {"TelephoneNumber": "+14255550101", "AssignmentCategory": "Private"}],
        "EffectivePolicyAssignments": [{"PolicyType": "TeamsCallingPolicy",
            "PolicyAssignment": {"DisplayName": "AllowCalling", "AssignmentType": "Direct", "PolicyId": null, "GroupId": null}}]}]"#;
    import_text(&store, &svc, None, "users.json", json).unwrap();
    let ada = svc.resolve(None, "ada@contoso.com").unwrap();
    let number = |n: &str, c: &str| TelephoneNumber {
        telephone_number: n.into(),
        assignment_category: c.into(),
    };
    assert_eq!(
        ada.profile.telephone_numbers,
        [
            number("+14255550100", "Primary"),
            number("+14255550101", "Private")
        ]
    );
    let effective = ada.profile.policies.effective_assignments();
    assert_eq!(effective.len(), 1);
    assert_eq!(effective[0].policy_type, "TeamsMeetingPolicy");
    assert_eq!(effective[0].policy_assignment.display_name, "Kiosk");
    assert_eq!(effective[0].policy_assignment.assignment_type, "Direct");
    // Shown with the user, never stored: the stored profile leaves it out.
    let shown = serde_json::to_value(&ada).unwrap();
    assert_eq!(
        shown["EffectivePolicyAssignments"][0]["PolicyAssignment"]["DisplayName"],
        "Kiosk"
    );
    let stored = meeting_migration::store::profile_to_json(&ada.profile).unwrap();
    assert!(!stored.contains("EffectivePolicyAssignments"), "{stored}");
    assert!(stored.contains("+14255550101"), "{stored}");

    // Export-Csv's form: each object's text, ';'-separated; a number without a category
    // is the Primary one.
    let csv = "UserPrincipalName,TelephoneNumbers,EffectivePolicyAssignments\n\
               bob@contoso.com,+14255550200;+14255550201 (Alternate),TeamsCallingPolicy: AllowCalling\n";
    import_text(&store, &svc, None, "users.csv", csv).unwrap();
    let bob = svc.resolve(None, "bob@contoso.com").unwrap();
    assert_eq!(
        bob.profile.telephone_numbers,
        [
            number("+14255550200", "Primary"),
            number("+14255550201", "Alternate")
        ]
    );
    assert!(bob.profile.policies.effective_assignments().is_empty());
    assert_eq!(
        UserField::TelephoneNumbers.get(&bob).into_text().as_deref(),
        Some("+14255550200 (Primary);+14255550201 (Alternate)")
    );
}

#[test]
fn a_telephone_number_without_its_fields_is_refused_naming_them() {
    let (store, svc) = sample(0, 0);
    let e = import_text(
        &store,
        &svc,
        None,
        "bad.json",
        r#"[{"UserPrincipalName": "ada@contoso.com", "TelephoneNumbers": [{"Number": "+14255550100"}]}]"#,
    )
    .unwrap_err();
    for part in ["Users[0]", "TelephoneNumbers", "AssignmentCategory"] {
        assert!(e.message.contains(part), "{part}: {}", e.message);
    }
    assert!(svc.resolve(None, "ada@contoso.com").is_err());
}
