//! Helpers of the migration tests: `org@contoso.com` with every kind of meeting the worker
//! must tell apart, and shortcuts to start and migrate.

use meeting_migration::invitation::JoinDetails;
use meeting_migration::migration::request::StartRequest;
use meeting_migration::model::*;
use meeting_migration::Service;
use serde_json::json;
use uuid::Uuid;

use super::*;

pub const PREFIX: &str = "Привет 👋 — agenda: café ☕\r\n\r\n";
pub const SUFFIX: &str = "\r\n\r\nTschüß ✓ 会议\r\n";

pub fn meeting(
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

/// Queues the organiser of [`org_store`]'s meetings for an All→Teams migration.
pub fn start_org_to_teams(svc: &Service) -> MigrationStatus {
    start(
        svc,
        "org@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    )
}

/// The sample tenant (bridge numbers +1 425 555 0100 / +1 800 555 0100) plus org@contoso.com
/// with every kind of meeting the worker must tell apart.
pub fn org_store() -> (TestStore, Service) {
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

pub struct Row {
    pub body: String,
    pub kind: String,
    pub rewrites: i64,
}

pub fn meeting_row(store: &TestStore, subject: &str) -> Row {
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

pub fn start(
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

pub fn migrate(
    svc: &Service,
    identity: &str,
    source: SourceMeetingType,
    target: TargetMeetingType,
) -> MigrationDetail {
    let s = start(svc, identity, source, target);
    drain(svc, &fast_options());
    svc.request_detail(None, &s.correlation_id.to_string())
        .unwrap()
}

/// The second tenant of [`two_tenants`]: a sample tenant of its own, not the default.
pub const OTHER_TENANT: &str = "5f0c7e2a-91d4-4b36-a8e1-3c9d2b6f4a17";

/// One store with two tenants of the same user names (the default sample tenant and
/// [`OTHER_TENANT`]) and one Pending request in each, both for John@contoso.com: the
/// default tenant's first, then the other's.
pub fn two_tenants() -> (TestStore, Service, MigrationStatus, MigrationStatus) {
    let (store, svc) = sample(2, 1);
    svc.create_sample_tenant(&meeting_migration::directory::sample::SampleOptions {
        tenant_id: Some(OTHER_TENANT.parse().unwrap()),
        user_count: 2,
        meetings_per_user: 1,
        ..Default::default()
    })
    .unwrap();
    let default = start(
        &svc,
        "John@contoso.com",
        SourceMeetingType::All,
        TargetMeetingType::Teams,
    );
    let mut r = StartRequest::new("John@contoso.com");
    r.tenant = Some(OTHER_TENANT.into());
    r.target_meeting_type = TargetMeetingType::Teams;
    let other = svc.start(&r).unwrap().status;
    assert_eq!(other.tenant_id.to_string(), OTHER_TENANT);
    assert_ne!(default.tenant_id, other.tenant_id);
    (store, svc, default, other)
}
