//! Identity resolution (every form of src/identity.rs), tenants, and user listing
//! (Get-CsOnlineUser's pages) on real stores.

mod support;

use meeting_migration::directory::sample::SampleOptions;
use meeting_migration::directory::UserQuery;
use meeting_migration::model::NewTenant;
use meeting_migration::model::TenantDomain;
use meeting_migration::{ErrorCode, Service};
use support::*;

/// The sample tenant plus users that exercise the harder forms.
fn directory() -> (TestStore, Service) {
    let (store, svc) = sample(40, 0);
    import_text(
        &store,
        &svc,
        None,
        "extra.json",
        r#"{"Users": [
          {"UserPrincipalName": "aerger.oez@contoso.com", "DisplayName": "Ärger Öz",
           "SipAddress": "sip:Ärger.Öz@contoso.com", "SamAccountName": "aoez",
           "DistinguishedName": "CN=Ärger Öz,OU=Zürich,DC=contoso,DC=com"},
          {"UserPrincipalName": "ken.myer2@contoso.com", "DisplayName": "Ken Myer",
           "SamAccountName": "kenmyer2"},
          {"UserPrincipalName": "myer.k@litwareinc.com", "DisplayName": "K. Myer (Sales)",
           "SipAddress": "sip:kmyer@litwareinc.com", "SamAccountName": "kmyer",
           "DistinguishedName": "CN=Myer\\, Ken,OU=Sales,DC=litwareinc,DC=com",
           "Identity": "2f1d5c1e-4c5a-4f8e-9a0b-0c1d2e3f4a5b"}
        ]}"#,
    )
    .expect("import extra users");
    (store, svc)
}

fn upn_of(svc: &Service, identity: &str) -> String {
    svc.resolve(None, identity)
        .unwrap_or_else(|e| panic!("{identity:?}: {}", e.message))
        .user_principal_name
}

#[test]
fn every_identity_form_resolves_ken_myer() {
    let (_s, svc) = sample(5, 0);
    let ken = svc.resolve(None, "kenmyer@litwareinc.com").unwrap();
    for identity in [
        "sip:kenmyer@litwareinc.com",
        "SIP:KenMyer@LitwareInc.COM",
        "Sip:kenmyer@litwareinc.com",
        "kenmyer@litwareinc.com",
        "KENMYER@LITWAREINC.COM",
        "litwareinc\\kenmyer",
        "LITWAREINC\\KenMyer",
        "Ken Myer",
        "ken myer",
        "CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com",
        "cn=ken myer, ou=redmond, dc=litwareinc, dc=com",
        "  CN = Ken Myer , OU=REDMOND,DC=LitwareInc,DC=Com  ",
        &ken.identity.to_string(),
        &ken.identity.to_string().to_uppercase(),
        &format!("{{{}}}", ken.identity),
        &format!("  {{{}}}\t", ken.identity.to_string().to_uppercase()),
        "\t kenmyer@litwareinc.com \n",
        // The alias, as Microsoft's -Identity takes it.
        "kenmyer",
        "KenMyer",
    ] {
        assert_eq!(
            upn_of(&svc, identity),
            "kenmyer@litwareinc.com",
            "{identity:?}"
        );
    }
}

#[test]
fn upn_falls_back_to_sip_address() {
    let (_s, svc) = directory();
    // No UPN kmyer@litwareinc.com; the SIP address sip:kmyer@litwareinc.com matches.
    assert_eq!(
        upn_of(&svc, "KMyer@litwareinc.com"),
        "myer.k@litwareinc.com"
    );
    assert_eq!(
        upn_of(&svc, "myer.k@litwareinc.com"),
        "myer.k@litwareinc.com"
    );
}

#[test]
fn dn_escapes_spacing_and_case_compare_attribute_by_attribute() {
    let (_s, svc) = directory();
    for dn in [
        "CN=Myer\\, Ken,OU=Sales,DC=litwareinc,DC=com",
        "cn = myer\\2C ken , ou=SALES,dc=LitwareInc,dc=COM",
        "CN=MYER\\, KEN, OU=Sales, DC=litwareinc, DC=com",
    ] {
        assert_eq!(upn_of(&svc, dn), "myer.k@litwareinc.com", "{dn:?}");
    }
    // A different OU is another entry.
    let e = svc
        .resolve(None, "CN=Myer\\, Ken,OU=Redmond,DC=litwareinc,DC=com")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::IdentityNotFound);
}

#[test]
fn object_id_with_and_without_braces() {
    let (_s, svc) = directory();
    for id in [
        "2f1d5c1e-4c5a-4f8e-9a0b-0c1d2e3f4a5b",
        "{2F1D5C1E-4C5A-4F8E-9A0B-0C1D2E3F4A5B}",
        " {2f1d5c1e-4c5a-4f8e-9a0b-0c1d2e3f4a5b} ",
    ] {
        assert_eq!(upn_of(&svc, id), "myer.k@litwareinc.com", "{id:?}");
    }
    let e = svc
        .resolve(None, "00000000-0000-4000-8000-000000000001")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::IdentityNotFound);
}

#[test]
fn unicode_names_are_case_insensitive_in_every_form() {
    let (_s, svc) = directory();
    for identity in [
        "Ärger Öz",
        "ärger öz",
        "ÄRGER ÖZ",
        "  ärger öz  ",
        "sip:ärger.öz@contoso.com",
        "SIP:ÄRGER.ÖZ@CONTOSO.COM",
        "contoso\\AOEZ",
        "cn=ärger öz,ou=zürich,dc=contoso,dc=com",
        "CN=ÄRGER ÖZ,OU=ZÜRICH,DC=CONTOSO,DC=COM",
        "CN=\\C3\\84rger \\C3\\96z,OU=Zürich,DC=contoso,DC=com",
    ] {
        assert_eq!(
            upn_of(&svc, identity),
            "aerger.oez@contoso.com",
            "{identity:?}"
        );
    }
}

#[test]
fn bare_logon_name_is_not_a_domain_logon() {
    let (_s, svc) = directory();
    // kmyer is a logon name (LITWAREINC\kmyer), not an alias or a display name.
    let e = svc.resolve(None, "kmyer").unwrap_err();
    assert_eq!(e.code, ErrorCode::IdentityNotFound);
    let e = svc.resolve(None, "fabrikam\\kenmyer").unwrap_err();
    assert_eq!(e.code, ErrorCode::IdentityNotFound);
}

#[test]
fn not_found_message_is_exact_with_doubled_quotes() {
    let (_s, svc) = directory();
    let e = svc.resolve(None, "Ken \"The Boss\" Myer").unwrap_err();
    assert_eq!(e.code, ErrorCode::IdentityNotFound);
    assert_eq!(e.code.category(), "ObjectNotFound");
    assert_eq!(
        e.message,
        "Management object not found for identity \"Ken \"\"The Boss\"\" Myer\"."
    );
    let e = svc.resolve(None, "nobody@contoso.com").unwrap_err();
    assert_eq!(
        e.message,
        "Management object not found for identity \"nobody@contoso.com\"."
    );
}

#[test]
fn two_users_with_one_display_name_are_ambiguous() {
    let (_s, svc) = directory();
    let e = svc.resolve(None, "Ken Myer").unwrap_err();
    assert_eq!(e.code, ErrorCode::IdentityAmbiguous);
    assert_eq!(e.code.category(), "InvalidArgument");
    assert!(
        e.message.contains("kenmyer@litwareinc.com"),
        "{}",
        e.message
    );
    assert!(e.message.contains("ken.myer2@contoso.com"), "{}", e.message);
    // The other forms still pick one user.
    assert_eq!(upn_of(&svc, "contoso\\kenmyer2"), "ken.myer2@contoso.com");
}

#[test]
fn wildcards_are_refused() {
    let (_s, svc) = directory();
    for identity in [
        "ken*",
        "k?n@contoso.com",
        "*",
        "sip:*@contoso.com",
        "CN=K*,DC=x",
    ] {
        let e = svc.resolve(None, identity).unwrap_err();
        assert_eq!(e.code, ErrorCode::WildcardNotAllowed, "{identity:?}");
        assert!(e.message.contains("wildcard"), "{}", e.message);
    }
}

#[test]
fn empty_nul_huge_and_malformed_input_are_clear_errors() {
    let (_s, svc) = directory();
    for identity in [
        "",
        "   ",
        "\t\n",
        "ken\0myer",
        "sip:",
        "CN=Ken,OU=",
        "CN=Ken,",
        "CN=a\\q,DC=x",
        "CN=Ken<,DC=x",
        "litwareinc\\",
        "\\kenmyer",
    ] {
        let e = svc.resolve(None, identity).unwrap_err();
        assert_eq!(
            e.code,
            ErrorCode::MalformedIdentity,
            "{identity:?}: {}",
            e.message
        );
        assert!(!e.message.is_empty());
    }
    let megabyte = "x".repeat(1 << 20);
    let e = svc.resolve(None, &megabyte).unwrap_err();
    assert_eq!(e.code, ErrorCode::MalformedIdentity);
    assert!(
        e.message.len() < 1000,
        "the message does not echo a megabyte"
    );
    let e = svc.resolve(None, "CN=Ken Myer,OU=").unwrap_err();
    assert!(e.message.contains("distinguished name"), "{}", e.message);
}

#[test]
fn resolution_stays_inside_the_tenant() {
    let (_s, svc) = directory();
    let other = svc
        .create_tenant(&NewTenant {
            tenant_id: None,
            name: "Fabrikam".into(),
            domains: vec![
                TenantDomain {
                    name: "fabrikam.com".into(),
                    net_bios_name: "FABRIKAM".into(),
                },
                TenantDomain {
                    name: "litwareinc.com".into(),
                    net_bios_name: "LITWAREINC".into(),
                },
            ],
            default: false,
        })
        .unwrap();
    let other_id = other.tenant_id.to_string();
    let store_dir = tempfile::tempdir().unwrap();
    let path = store_dir.path().join("f.json");
    // The same UPN as the sample tenant's Ken Myer, and a user only the second tenant has.
    std::fs::write(
        &path,
        r#"[{"UserPrincipalName": "kenmyer@litwareinc.com", "DisplayName": "Ken Myer (Fabrikam)"},
            {"UserPrincipalName": "only@fabrikam.com", "DisplayName": "Only Here", "SamAccountName": "only"}]"#,
    )
    .unwrap();
    svc.import_file(Some(&other_id), &path, &mut |_, _| {}, None)
        .unwrap();

    let ken_here = svc.resolve(None, "kenmyer@litwareinc.com").unwrap();
    let ken_there = svc
        .resolve(Some(&other_id), "kenmyer@litwareinc.com")
        .unwrap();
    assert_ne!(ken_here.identity, ken_there.identity);
    assert_eq!(ken_there.display_name, "Ken Myer (Fabrikam)");
    for identity in [
        "only@fabrikam.com",
        "Only Here",
        "fabrikam\\only",
        "sip:only@fabrikam.com",
    ] {
        let e = svc.resolve(None, identity).unwrap_err();
        assert_eq!(e.code, ErrorCode::IdentityNotFound, "{identity:?}");
    }
    assert_eq!(
        svc.resolve(Some(&other_id), "FABRIKAM\\only")
            .unwrap()
            .user_principal_name,
        "only@fabrikam.com"
    );
    // The second tenant's own object id is not found from the first.
    let e = svc
        .resolve(None, &ken_there.identity.to_string())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::IdentityNotFound);
}

#[test]
fn tenant_argument_errors() {
    let (_s, svc) = directory();
    let e = svc
        .resolve(Some("not-a-guid"), "John@contoso.com")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTenantId);
    let e = svc
        .resolve(
            Some("11111111-2222-4333-8444-555555555555"),
            "John@contoso.com",
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::TenantNotFound);
    assert!(e.message.contains("11111111-2222-4333-8444-555555555555"));
    // Braces and case are accepted for the tenant id.
    let upper = format!("{{{}}}", SAMPLE_TENANT.to_uppercase());
    assert_eq!(
        svc.resolve(Some(&upper), "John@contoso.com")
            .unwrap()
            .user_principal_name,
        "John@contoso.com"
    );
    let empty = TestStore::new();
    let svc = empty.open();
    let e = svc.resolve(None, "John@contoso.com").unwrap_err();
    assert_eq!(e.code, ErrorCode::NoDefaultTenant);
    let e = svc.tenant(None).unwrap_err();
    assert_eq!(e.code, ErrorCode::NoDefaultTenant);
}

#[test]
fn the_first_tenant_is_the_default_until_changed() {
    let (_s, svc) = sample(0, 0);
    let second = svc
        .create_tenant(&NewTenant {
            name: "Second".into(),
            domains: vec![TenantDomain {
                name: "second.com".into(),
                net_bios_name: "SECOND".into(),
            }],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        svc.tenant(None).unwrap().tenant_id.to_string(),
        SAMPLE_TENANT
    );
    svc.set_default_tenant(&second.tenant_id.to_string())
        .unwrap();
    assert_eq!(svc.tenant(None).unwrap().tenant_id, second.tenant_id);
    let defaults = svc
        .tenants()
        .unwrap()
        .iter()
        .filter(|t| t.is_default)
        .count();
    assert_eq!(defaults, 1);
}

fn all_upns(svc: &Service, query: UserQuery) -> Vec<String> {
    let mut query = query;
    let mut upns = Vec::new();
    let mut pages = 0;
    loop {
        let page = svc.list_users(&query).unwrap();
        pages += 1;
        assert!(page.users.len() <= query.limit.unwrap_or(1000));
        upns.extend(page.users.iter().map(|u| u.user_principal_name.clone()));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
        assert!(pages < 10_000);
    }
    upns
}

#[test]
fn paging_covers_every_user_once_in_a_stable_order() {
    let (_s, svc) = directory();
    let whole = svc
        .list_users(&UserQuery {
            limit: Some(10_000),
            ..Default::default()
        })
        .unwrap();
    assert!(whole.next.is_none());
    let expected: Vec<String> = whole
        .users
        .iter()
        .map(|u| u.user_principal_name.clone())
        .collect();
    assert_eq!(expected.len(), 2 + 40 + 3);
    for limit in [1, 7, 44, 45, 1000] {
        let paged = all_upns(
            &svc,
            UserQuery {
                limit: Some(limit),
                ..Default::default()
            },
        );
        assert_eq!(paged, expected, "limit {limit}");
    }
    let mut unique = expected.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), expected.len());
    // Stable: creation order, the same on every call.
    assert_eq!(expected[0], "John@contoso.com");
    assert_eq!(expected[1], "kenmyer@litwareinc.com");
    assert_eq!(expected[2], "user1@contoso.com");
}

fn sorted(mut upns: Vec<String>) -> Vec<String> {
    upns.sort();
    upns
}

#[test]
fn a_prefix_on_an_indexed_property_finds_what_a_full_scan_finds() {
    let (store, svc) = directory();
    // Display names that repeat, so a page can end inside a run of equal keys.
    let twins: Vec<String> = (0..5)
        .map(|n| {
            format!(
                r#"{{"UserPrincipalName": "twin{n}@contoso.com", "DisplayName": "Twin Peaks"}}"#
            )
        })
        .collect();
    import_text(
        &store,
        &svc,
        None,
        "twins.json",
        &format!("[{}]", twins.join(",")),
    )
    .unwrap();
    for (property, prefix) in [
        ("UserPrincipalName", "user1"),
        ("UserPrincipalName", "USER"),
        ("SipAddress", "sip:user2"),
        ("DisplayName", "twin"),
        ("DisplayName", "User 3"),
        ("DisplayName", "Ä"),
        ("WindowsDomainLogon", "contoso\\user"),
        ("UserPrincipalName", "nobody"),
    ] {
        let indexed = format!("{property} -like '{prefix}*'");
        // The same selection that no index answers: every user is read.
        let scanned = format!("({indexed}) -or UserPrincipalName -eq 'none@none.example'");
        let expected = all_upns(
            &svc,
            UserQuery {
                filter: Some(scanned),
                limit: Some(1000),
                ..Default::default()
            },
        );
        for limit in [1, 2, 3, 1000] {
            let got = all_upns(
                &svc,
                UserQuery {
                    filter: Some(indexed.clone()),
                    limit: Some(limit),
                    ..Default::default()
                },
            );
            assert_eq!(
                got.len(),
                expected.len(),
                "{indexed} (limit {limit}): {got:?}"
            );
            assert_eq!(
                sorted(got),
                sorted(expected.clone()),
                "{indexed} (limit {limit})"
            );
        }
    }
}

#[test]
fn filters_select_the_matching_users_across_pages() {
    let (_s, svc) = directory();
    let everyone = svc
        .list_users(&UserQuery {
            limit: Some(10_000),
            ..Default::default()
        })
        .unwrap()
        .users;
    type Pred = fn(&meeting_migration::model::User) -> bool;
    let cases: Vec<(&str, Pred)> = vec![
        ("TeamsUpgradeEffectiveMode -eq 'TeamsOnly'", |u| u.teams_upgrade_effective_mode == "TeamsOnly"),
        ("{TeamsUpgradeEffectiveMode -eq 'teamsonly'}", |u| u.teams_upgrade_effective_mode == "TeamsOnly"),
        ("TeamsUpgradeEffectiveMode -ne 'TeamsOnly'", |u| u.teams_upgrade_effective_mode != "TeamsOnly"),
        ("UserPrincipalName -like 'user1*'", |u| u.user_principal_name.starts_with("user1")),
        ("DisplayName -like '*myer*'", |u| u.display_name.to_lowercase().contains("myer")),
        (
            "UserPrincipalName -like 'user2*' -and TeamsUpgradeEffectiveMode -eq 'Islands'",
            |u| u.user_principal_name.starts_with("user2") && u.teams_upgrade_effective_mode == "Islands",
        ),
        (
            "DisplayName -eq 'Ken Myer' -or UserPrincipalName -eq 'john@contoso.com'",
            |u| u.display_name == "Ken Myer" || u.user_principal_name == "John@contoso.com",
        ),
        (
            "(UserPrincipalName -like '*@litwareinc.com' -or DisplayName -eq 'Ärger Öz') -and SipAddress -ne $null",
            |u| (u.user_principal_name.ends_with("@litwareinc.com") || u.display_name == "Ärger Öz") && u.sip_address.is_some(),
        ),
    ];
    for (filter, pred) in cases {
        let expected: Vec<String> = everyone
            .iter()
            .filter(|u| pred(u))
            .map(|u| u.user_principal_name.clone())
            .collect();
        assert!(!expected.is_empty(), "{filter} selects someone");
        for limit in [1, 3, 1000] {
            let got = all_upns(
                &svc,
                UserQuery {
                    filter: Some(filter.into()),
                    limit: Some(limit),
                    ..Default::default()
                },
            );
            // A prefix on an indexed property comes in that index's order.
            assert_eq!(
                sorted(got),
                sorted(expected.clone()),
                "{filter} (limit {limit})"
            );
        }
    }
    let e = svc
        .list_users(&UserQuery {
            filter: Some("DisplayName -eq".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::FilterSyntax);
    let e = svc
        .list_users(&UserQuery {
            filter: Some("Shoe -eq 'x'".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::FilterSyntax);
}

#[test]
fn prefix_completion_lists_upns_in_order() {
    let (_s, svc) = directory();
    let page = svc
        .list_users(&UserQuery {
            prefix: Some("USER3".into()),
            limit: Some(100),
            ..Default::default()
        })
        .unwrap();
    let upns: Vec<&str> = page
        .users
        .iter()
        .map(|u| u.user_principal_name.as_str())
        .collect();
    let mut expected = vec!["user3@contoso.com".to_string()];
    expected.extend((30..=39).map(|n| format!("user{n}@contoso.com")));
    expected.sort();
    assert_eq!(upns, expected);
    let page = svc
        .list_users(&UserQuery {
            prefix: Some("ken".into()),
            limit: Some(10),
            ..Default::default()
        })
        .unwrap();
    let upns: Vec<&str> = page
        .users
        .iter()
        .map(|u| u.user_principal_name.as_str())
        .collect();
    assert_eq!(upns, ["ken.myer2@contoso.com", "kenmyer@litwareinc.com"]);
    let page = svc
        .list_users(&UserQuery {
            prefix: Some("zz".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(page.users.is_empty());
}

#[test]
fn meetings_show_their_online_meeting_block() {
    let (_s, svc) = sample(3, 2);
    let meetings = svc.meetings(None, "Ken Myer").unwrap();
    assert_eq!(meetings.len(), 6);
    for m in &meetings {
        assert!(m.online_meeting_block.is_some(), "{}", m.row.subject);
        assert!(m.join_url.is_some());
        assert!(m.conference_id.is_some());
        assert_eq!(m.row.organizer, "kenmyer@litwareinc.com");
    }
    assert!(meetings.iter().any(|m| m.row.attendee_count > 250));
    assert_eq!(svc.meetings(None, "user1@contoso.com").unwrap().len(), 2);
}

#[test]
fn a_sample_tenant_that_fails_half_way_leaves_nothing() {
    // Sample ids are deterministic: learn the meeting id the sample gives user 24000 (in its
    // second chunk of users) from a scratch store...
    let options = SampleOptions {
        user_count: 24_000,
        meetings_per_user: 1,
        ..Default::default()
    };
    let scratch = TestStore::new();
    let scratch_svc = scratch.open();
    scratch_svc.create_sample_tenant(&options).unwrap();
    let taken = scratch_svc.meetings(None, "user24000@contoso.com").unwrap()[0]
        .row
        .meeting_id;
    drop(scratch_svc);

    // ...and make another tenant hold a meeting with that id first.
    let store = TestStore::new();
    let svc = store.open();
    let fabrikam = svc
        .create_tenant(&NewTenant {
            name: "Fabrikam".into(),
            domains: vec![TenantDomain {
                name: "fabrikam.com".into(),
                net_bios_name: "FABRIKAM".into(),
            }],
            ..Default::default()
        })
        .unwrap();
    let data = format!(
        r#"{{"Users":[{{"UserPrincipalName":"a@fabrikam.com"}}],
            "Meetings":[{{"MeetingId":"{taken}","Organizer":"a@fabrikam.com","Subject":"x",
                          "StartTime":"2030-01-01T10:00:00Z","EndTime":"2030-01-01T11:00:00Z"}}]}}"#
    );
    import_text(
        &store,
        &svc,
        Some(&fabrikam.tenant_id.to_string()),
        "f.json",
        &data,
    )
    .unwrap();
    let before = svc.tenants().unwrap();

    let e = svc.create_sample_tenant(&options).unwrap_err();
    assert_eq!(e.code, ErrorCode::ImportFailed, "{}", e.message);
    assert_eq!(svc.tenants().unwrap(), before, "no half-made sample tenant");
    assert!(svc.resolve(None, "John@contoso.com").is_err());
}

#[test]
fn not_found_keeps_microsofts_text_and_hints_at_the_fix() {
    let (_s, svc) = sample(3, 0);
    let fabrikam = svc
        .create_tenant(&NewTenant {
            name: "Fabrikam".into(),
            domains: vec![TenantDomain {
                name: "fabrikam.com".into(),
                net_bios_name: "FABRIKAM".into(),
            }],
            ..Default::default()
        })
        .unwrap();

    // Plain not found: the message is Microsoft's, the hint names the tenant searched.
    let e = svc.resolve(None, "nobody@contoso.com").unwrap_err();
    assert_eq!(e.code, ErrorCode::IdentityNotFound);
    assert_eq!(
        e.message,
        "Management object not found for identity \"nobody@contoso.com\"."
    );
    assert_eq!(
        e.hint.as_deref(),
        Some(format!("No user matches it in tenant 'Contoso' ({SAMPLE_TENANT}), the store's default tenant.").as_str())
    );

    // A user of another tenant: the hint says which one and the -Tenant to add.
    let e = svc
        .resolve(Some(&fabrikam.tenant_id.to_string()), "John@contoso.com")
        .unwrap_err();
    assert_eq!(
        e.message,
        "Management object not found for identity \"John@contoso.com\"."
    );
    let hint = e.hint.unwrap();
    assert!(
        hint.starts_with(&format!(
            "No user matches it in tenant 'Fabrikam' ({}).",
            fabrikam.tenant_id
        )),
        "{hint}"
    );
    assert!(
        hint.ends_with(&format!(
            "The user is in tenant 'Contoso' ({SAMPLE_TENANT}): add -Tenant {SAMPLE_TENANT}."
        )),
        "{hint}"
    );

    // After the default moves, the default tenant is named as the one searched.
    svc.set_default_tenant(&fabrikam.tenant_id.to_string())
        .unwrap();
    let hint = svc
        .meetings(None, "John@contoso.com")
        .unwrap_err()
        .hint
        .unwrap();
    assert!(
        hint.starts_with("No user matches it in tenant 'Fabrikam'")
            && hint.contains("the store's default tenant")
            && hint.contains(&format!("add -Tenant {SAMPLE_TENANT}")),
        "{hint}"
    );
}

#[test]
fn an_alias_names_its_user_and_a_bare_logon_name_is_told_the_forms_that_work() {
    let (store, svc) = sample(3, 0);
    // Microsoft's -Identity takes the alias: through the UPN's local part or the logon
    // name when the alias is one of them, else by reading the tenant.
    assert_eq!(
        svc.resolve(None, "KenMyer").unwrap().user_principal_name,
        "kenmyer@litwareinc.com"
    );
    assert_eq!(
        svc.resolve(None, "user2").unwrap().user_principal_name,
        "user2@contoso.com"
    );
    import_text(
        &store,
        &svc,
        None,
        "jane.json",
        r#"[{"UserPrincipalName": "jane.doe@contoso.com", "DisplayName": "Jane Doe",
             "SamAccountName": "jdoe", "Alias": "janed"}]"#,
    )
    .unwrap();
    assert_eq!(
        svc.resolve(None, "janed").unwrap().user_principal_name,
        "jane.doe@contoso.com"
    );
    let e = svc.resolve(None, "jdoe").unwrap_err();
    assert_eq!(e.code, ErrorCode::IdentityNotFound);
    assert_eq!(
        e.message,
        "Management object not found for identity \"jdoe\"."
    );
    let hint = e.hint.unwrap();
    assert!(
        hint.ends_with(
            "No user has that display name or alias; a logon name alone is not an identity: use CONTOSO\\jdoe or jane.doe@contoso.com."
        ),
        "{hint}"
    );
    // A word that is no one's logon name still gets the forms, with an example.
    let hint = svc.resolve(None, "nobody").unwrap_err().hint.unwrap();
    assert!(
        hint.ends_with(
            "a logon name alone is not an identity: use DOMAIN\\logon or the user principal name (for example CONTOSO\\nobody or nobody@contoso.com)."
        ),
        "{hint}"
    );
    // A display name with a space is not taken for a logon name.
    let hint = svc.resolve(None, "No Body").unwrap_err().hint.unwrap();
    assert!(!hint.contains("logon"), "{hint}");
}

#[test]
fn every_documented_dial_in_setting_is_checked_and_kept() {
    use meeting_migration::model::DialInSettingsChanges;
    let (_store, svc) = sample(2, 1);
    let defaults = svc.dial_in_settings(None).unwrap();
    assert_eq!(
        defaults.options.mask_pstn_numbers_type,
        "MaskedForExternalUsers"
    );
    assert!(defaults.options.include_toll_free_number_in_meeting_invites);
    for bad in [
        DialInSettingsChanges {
            pin_length: Some(3),
            ..Default::default()
        },
        DialInSettingsChanges {
            pin_length: Some(13),
            ..Default::default()
        },
        DialInSettingsChanges {
            allow_federated_users_to_dial_out_to_self: Some("Maybe".into()),
            ..Default::default()
        },
        DialInSettingsChanges {
            entry_exit_announcements_type: Some("Music".into()),
            ..Default::default()
        },
        DialInSettingsChanges {
            mask_pstn_numbers_type: Some("Masked".into()),
            ..Default::default()
        },
        DialInSettingsChanges {
            send_email_from_address: Some("not an address".into()),
            ..Default::default()
        },
        DialInSettingsChanges {
            allowed_dial_out_external_domains: Some(vec!["fabrikam".into()]),
            ..Default::default()
        },
    ] {
        let e = svc.set_dial_in_settings(None, &bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{bad:?}");
    }
    assert_eq!(
        svc.dial_in_settings(None).unwrap(),
        defaults,
        "a refused change changes nothing"
    );
    let set = svc
        .set_dial_in_settings(
            None,
            &DialInSettingsChanges {
                entry_exit_announcements_type: Some("toneonly".into()),
                send_email_from_address: Some("Admin@Contoso.com".into()),
                allowed_dial_out_external_domains: Some(vec!["fabrikam.com".into()]),
                include_toll_free_number_in_meeting_invites: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(set.options.entry_exit_announcements_type, "ToneOnly");
    assert_eq!(
        set.options.send_email_from_address.as_deref(),
        Some("Admin@Contoso.com")
    );
    assert_eq!(
        set.options.allowed_dial_out_external_domains,
        ["fabrikam.com"]
    );
    assert_eq!(svc.dial_in_settings(None).unwrap(), set);
}
