//! The deterministic sample tenant of `New-MmsSampleTenant`: two named users with every
//! identity form and every kind of meeting, and any number of numbered users.

use serde::Deserialize;
use uuid::Uuid;

use super::validate::UserFields;
use crate::error::{Error, Result};
use crate::identity::fold;
use crate::invitation::{join_domain, sample_invitation, JoinDetails};
use crate::model::*;
use crate::rng::SplitMix64;
use crate::store::Store;
use crate::time::{Timestamp, DAY_MS, HOUR_MS};

/// The sample tenant's id unless another is asked for.
pub const SAMPLE_TENANT_ID: Uuid = Uuid::from_u128(0x38aad667_af54_4397_aaa7_e94c79ec2308);
/// Users written per transaction, so a million-user tenant never sits in memory whole.
const CHUNK: usize = 20_000;

/// `New-MmsSampleTenant`'s options.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", default, deny_unknown_fields)]
pub struct SampleOptions {
    pub tenant_id: Option<Uuid>,
    /// Users besides John and Ken Myer (`user1@contoso.com` …).
    pub user_count: usize,
    /// Meetings organised by each of the numbered users.
    pub meetings_per_user: usize,
    pub seed: u64,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            tenant_id: None,
            user_count: 100,
            meetings_per_user: 4,
            seed: 1,
        }
    }
}

struct MeetingPlan<'a> {
    subject: &'a str,
    meeting_type: MeetingType,
    /// Start relative to now.
    start_ms: i64,
    duration_ms: i64,
    recurrence_end_ms: Option<i64>,
    attendees: usize,
}

const MODES: &[&str] = &[
    "TeamsOnly",
    "Islands",
    "SfBWithTeamsCollab",
    "TeamsOnly",
    "SfBOnly",
];

#[allow(clippy::too_many_arguments)]
fn named_user(
    tenant: &Tenant,
    rng: &mut SplitMix64,
    upn: &str,
    sip: &str,
    display: &str,
    sam: &str,
    dn: &str,
    mode: &str,
    toll: Option<&str>,
    profile: &[(UserField, String)],
) -> Result<NewUser> {
    let id = rng.uuid().to_string();
    let mut fields = UserFields::from([
        (UserField::Identity, id.as_str()),
        (UserField::UserPrincipalName, upn),
        (UserField::SipAddress, sip),
        (UserField::DisplayName, display),
        (UserField::SamAccountName, sam),
        (UserField::DistinguishedName, dn),
        (UserField::TeamsUpgradeEffectiveMode, mode),
    ]);
    if let Some(toll) = toll {
        fields.set(UserField::AudioConferencingTollNumber, toll);
    }
    for (field, value) in profile {
        fields.set(*field, value.as_str());
    }
    NewUser::from_fields(fields, tenant, display)
}

const CITIES: &[(&str, &str, &str)] = &[
    ("Redmond", "US", "United States"),
    ("Seattle", "US", "United States"),
    ("London", "GB", "United Kingdom"),
    ("Paris", "FR", "France"),
    ("Sydney", "AU", "Australia"),
];
const DEPARTMENTS: &[&str] = &[
    "Sales",
    "Engineering",
    "Finance",
    "Marketing",
    "Support",
    "Legal",
];
const TITLES: &[&str] = &[
    "Account Manager",
    "Software Engineer",
    "Analyst",
    "Program Manager",
    "Support Engineer",
];

/// A plan of the sample's licences, with a service plan id derived from its name.
fn plan(capability: &str, assigned: Timestamp) -> String {
    // FNV-1a over the name, twice widened: a fixed id per plan name.
    let hash = capability.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let id = Uuid::from_u128((u128::from(hash) << 64) | u128::from(hash.rotate_left(29)));
    format!(
        r#"{{"Capability":"{capability}","CapabilityStatus":"Enabled","ServicePlanId":"{id}","AssignedTimestamp":"{}"}}"#,
        assigned.to_iso()
    )
}

/// The directory and policy properties of numbered user `n`: a deterministic mix (account
/// types, enabled and not, voice, licences, upgrade policies, a few soft-deleted) so that
/// filters select some users and leave others, derived from `n` alone so that the meetings
/// drawn from the seed stay as they were.
fn numbered_profile(n: usize, mode: &str, now: Timestamp) -> Vec<(UserField, String)> {
    use UserField as F;
    let (city, usage, country) = CITIES[n % CITIES.len()];
    let account_type = match n {
        n if n % 13 == 0 => "ResourceAccount",
        n if n % 11 == 0 => "Guest",
        n if n % 17 == 0 => "SfBOnPremUser",
        n if n % 19 == 0 => "IneligibleUser",
        _ => "User",
    };
    let on_prem = account_type == "SfBOnPremUser";
    let voice = n % 4 == 0 && account_type != "Guest";
    let created = now.plus_ms(-((30 + n % 400) as i64) * DAY_MS);
    let mut features = Vec::new();
    let mut plans = Vec::new();
    if !matches!(account_type, "Guest" | "IneligibleUser") {
        features.extend(["Teams", "AudioConferencing"]);
        plans.extend([plan("TEAMS1", created), plan("MCOMEETADV", created)]);
        if voice {
            features.push("PhoneSystem");
            plans.push(plan("MCOEV", created));
        }
    }
    let mut fields = vec![
        (F::Alias, format!("user{n}")),
        (F::FirstName, "User".to_string()),
        (F::LastName, n.to_string()),
        (F::City, city.to_string()),
        (F::UsageLocation, usage.to_string()),
        (F::Country, country.to_string()),
        (F::CountryAbbreviation, usage.to_string()),
        (
            F::Department,
            DEPARTMENTS[n % DEPARTMENTS.len()].to_string(),
        ),
        (F::Title, TITLES[n % TITLES.len()].to_string()),
        (F::Company, "Contoso".to_string()),
        (F::WindowsEmailAddress, format!("user{n}@contoso.com")),
        (F::AccountType, account_type.to_string()),
        (F::AccountEnabled, (n % 9 != 0).to_string()),
        (F::IsSipEnabled, "True".to_string()),
        (F::Enabled, "True".to_string()),
        (F::EnterpriseVoiceEnabled, voice.to_string()),
        (F::HideFromAddressLists, (n % 7 == 0).to_string()),
        (F::DirSyncEnabled, on_prem.to_string()),
        (
            F::InterpretedUserType,
            interpreted_user_type(account_type, mode).to_string(),
        ),
        (
            F::HostingProvider,
            if on_prem {
                "SRV:"
            } else {
                "sipfed.online.lync.com"
            }
            .to_string(),
        ),
        (F::FeatureTypes, features.join(";")),
        (F::AssignedPlan, format!("[{}]", plans.join(","))),
        (F::ProvisionedPlan, format!("[{}]", plans.join(","))),
        (F::WhenCreated, created.to_iso()),
        (
            F::WhenChanged,
            now.plus_ms(-((n % 60) as i64) * DAY_MS).to_iso(),
        ),
        (
            F::TeamsUpgradePolicyIsReadOnly,
            "ModeAndNotifications".to_string(),
        ),
        (
            F::TeamsUpgradeNotificationsEnabled,
            (n % 6 == 0).to_string(),
        ),
    ];
    fields.push((
        F::ProxyAddresses,
        format!(
            "SMTP:user{n}@contoso.com;smtp:user{n}@contoso.onmicrosoft.com;SIP:user{n}@contoso.com"
        ),
    ));
    if n % 23 == 0 {
        fields.push((
            F::UserValidationErrors,
            format!("ProxyAddressConflict: SIP:user{n}@contoso.com is also the address of another object"),
        ));
    }
    if on_prem {
        fields.push((F::ShadowProxyAddresses, format!("SIP:user{n}@contoso.com")));
        fields.push((F::OnPremHostingProvider, "SRV:".to_string()));
        fields.push((F::OnPremLineURI, format!("tel:+1425555{:04}", n % 10_000)));
        fields.push((F::OnPremSipAddress, format!("sip:user{n}@contoso.com")));
    }
    if voice {
        fields.push((F::LineURI, format!("tel:+1425555{:04}", n % 10_000)));
        fields.push((F::TeamsCallingPolicy, "AllowCalling".to_string()));
        // The line's number is Primary; some users have a private line or an alternate number.
        let mut numbers = vec![format!("+1425555{:04} (Primary)", n % 10_000)];
        if n % 8 == 0 {
            numbers.push(format!("+1425556{:04} (Private)", n % 10_000));
        } else if n % 12 == 0 {
            numbers.push(format!("+1425557{:04} (Alternate)", n % 10_000));
        }
        fields.push((F::TelephoneNumbers, numbers.join(";")));
    }
    if n % 3 == 0 {
        fields.push((F::TeamsUpgradePolicy, "UpgradeToTeams".to_string()));
    }
    if n % 4 == 1 {
        fields.push((
            F::TeamsMeetingPolicy,
            "RestrictedAnonymousAccess".to_string(),
        ));
    }
    if n % 10 == 0 {
        fields.push((F::ArchivingPolicy, "RedmondArchiving".to_string()));
    }
    if n % 20 == 19 {
        // Deleted within the last 30 days: restorable, listed with -SoftDeletedUser.
        fields.push((
            F::SoftDeletionTimestamp,
            now.plus_ms(-((1 + n % 25) as i64) * DAY_MS).to_iso(),
        ));
    }
    fields
}

/// `InterpretedUserType` as the real service derives it from the account and mode (the
/// common values only).
fn interpreted_user_type(account_type: &str, mode: &str) -> &'static str {
    match (account_type, mode) {
        ("SfBOnPremUser", _) => "HybridOnpremSfBUser",
        ("ResourceAccount", _) => "PureOnlineApplicationInstance",
        ("Guest", _) => "PureOnlineGuestUser",
        ("IneligibleUser", _) => "PureOnlineUnlicensedUser",
        (_, "TeamsOnly") => "PureOnlineTeamsOnlyUser",
        _ => "PureOnlineSfBUserWithTeamsLicense",
    }
}

/// The numbered users among whom some fail (the default sample's size): the users after
/// them all migrate, so a large sample stays a tenant whose migrations succeed.
const FAILING_AMONG: usize = 100;

/// Users whose mailbox is in Exchange on-premises: users 7, 48 and 89.
pub fn has_on_premises_mailbox(n: usize) -> bool {
    n <= FAILING_AMONG && n % 41 == 7
}

/// Users on a third-party audio-conferencing provider: users 19, 56 and 93.
pub fn has_third_party_acp(n: usize) -> bool {
    n <= FAILING_AMONG && n % 37 == 19
}

/// Users one of whose meetings carries an online-meeting block pasted from another of their
/// meetings (their second from their first): users 27 and 70.
pub fn has_pasted_block(n: usize) -> bool {
    n <= FAILING_AMONG && n % 43 == 27
}

/// What makes the Meeting Migration Service fail for numbered user `n`, if anything, so
/// that the failure recipe (`Where State -eq Failed`) shows rows with their causes.
fn failure_cause(n: usize) -> Vec<(UserField, String)> {
    if has_on_premises_mailbox(n) {
        vec![(UserField::MailboxLocation, EXCHANGE_ON_PREMISES.to_string())]
    } else if has_third_party_acp(n) {
        vec![(
            UserField::AudioConferencingProvider,
            "InterCall".to_string(),
        )]
    } else {
        Vec::new()
    }
}

enum NamedUser {
    John,
    Ken,
}

/// John: an enabled Teams user without an upgrade policy; Ken Myer: Enterprise Voice with
/// the number of Microsoft's `LineURI` example, archived, hidden from address lists.
fn named_profile(who: NamedUser, now: Timestamp) -> Vec<(UserField, String)> {
    use UserField as F;
    let created = now.plus_ms(-400 * DAY_MS);
    let common = [
        (F::AccountType, "User".to_string()),
        (F::UsageLocation, "US".to_string()),
        (F::Country, "United States".to_string()),
        (F::CountryAbbreviation, "US".to_string()),
        (F::City, "Redmond".to_string()),
        (F::HostingProvider, "sipfed.online.lync.com".to_string()),
        (F::WhenCreated, created.to_iso()),
        (
            F::TeamsUpgradePolicyIsReadOnly,
            "ModeAndNotifications".to_string(),
        ),
    ];
    let mut fields = common.to_vec();
    match who {
        NamedUser::John => fields.extend([
            (F::Alias, "john".to_string()),
            (F::FirstName, "John".to_string()),
            (F::LastName, "Woods".to_string()),
            (F::Department, "Engineering".to_string()),
            (F::Title, "Software Engineer".to_string()),
            (F::Company, "Contoso".to_string()),
            (F::WindowsEmailAddress, "John@contoso.com".to_string()),
            (
                F::ProxyAddresses,
                "SMTP:John@contoso.com;SIP:John@contoso.com".to_string(),
            ),
            (
                F::InterpretedUserType,
                "PureOnlineSfBUserWithTeamsLicense".to_string(),
            ),
            (F::FeatureTypes, "Teams;AudioConferencing".to_string()),
            (
                F::AssignedPlan,
                format!(
                    "[{},{}]",
                    plan("TEAMS1", created),
                    plan("MCOMEETADV", created)
                ),
            ),
            (F::WhenChanged, now.plus_ms(-2 * DAY_MS).to_iso()),
        ]),
        NamedUser::Ken => fields.extend([
            (F::Alias, "kenmyer".to_string()),
            (F::FirstName, "Ken".to_string()),
            (F::LastName, "Myer".to_string()),
            (F::Department, "Sales".to_string()),
            (F::Title, "Account Manager".to_string()),
            (F::Company, "Litware".to_string()),
            (F::WindowsEmailAddress, "kenmyer@litwareinc.com".to_string()),
            (
                F::ProxyAddresses,
                "SMTP:kenmyer@litwareinc.com;SIP:kenmyer@litwareinc.com".to_string(),
            ),
            (
                F::InterpretedUserType,
                "PureOnlineSfBUserWithTeamsLicense".to_string(),
            ),
            (F::EnterpriseVoiceEnabled, "True".to_string()),
            (F::HideFromAddressLists, "True".to_string()),
            (F::LineURI, "tel:+1234".to_string()),
            (
                F::TelephoneNumbers,
                "+1234 (Primary);+14255550199 (Private)".to_string(),
            ),
            (F::ArchivingPolicy, "RedmondArchiving".to_string()),
            (F::TeamsUpgradePolicy, "Islands".to_string()),
            (
                F::TeamsMeetingPolicy,
                "RestrictedAnonymousAccess".to_string(),
            ),
            (
                F::FeatureTypes,
                "Teams;AudioConferencing;PhoneSystem".to_string(),
            ),
            (
                F::AssignedPlan,
                format!(
                    "[{},{},{}]",
                    plan("TEAMS1", created),
                    plan("MCOMEETADV", created),
                    plan("MCOEV", created)
                ),
            ),
            (F::WhenChanged, now.plus_ms(-40 * DAY_MS).to_iso()),
        ]),
    }
    fields
}

fn meeting(
    rng: &mut SplitMix64,
    organizer: &str,
    plan: &MeetingPlan,
    now: Timestamp,
    user_count: usize,
) -> NewMeeting {
    let meeting_id = rng.uuid();
    let details = JoinDetails::initial(meeting_id, plan.meeting_type, &join_domain(organizer));
    let attendees = (0..plan.attendees)
        .map(|i| {
            if user_count > 0 {
                format!(
                    "user{}@contoso.com",
                    1 + (i + rng.below(user_count as u64) as usize) % user_count
                )
            } else {
                format!("guest{i}@fabrikam.com")
            }
        })
        .collect();
    let start = now.plus_ms(plan.start_ms);
    NewMeeting {
        source: plan.subject.to_string(),
        meeting_id,
        organizer_key: fold(organizer),
        subject: plan.subject.to_string(),
        start,
        end: start.plus_ms(plan.duration_ms),
        recurrence_end: plan.recurrence_end_ms.map(|ms| now.plus_ms(ms)),
        meeting_type: plan.meeting_type,
        attendees,
        body: sample_invitation(plan.subject, plan.meeting_type, &details),
    }
}

/// The named users' meetings: every kind a migration must tell apart.
const NAMED_MEETINGS: &[MeetingPlan<'static>] = &[
    MeetingPlan {
        subject: "Weekly team sync (Teams)",
        meeting_type: MeetingType::Teams,
        start_ms: 2 * DAY_MS,
        duration_ms: HOUR_MS,
        recurrence_end_ms: None,
        attendees: 6,
    },
    MeetingPlan {
        subject: "Budget review (Skype online)",
        meeting_type: MeetingType::SfbOnline,
        start_ms: 3 * DAY_MS,
        duration_ms: HOUR_MS,
        recurrence_end_ms: None,
        attendees: 4,
    },
    MeetingPlan {
        subject: "Design review (Skype on-premises)",
        meeting_type: MeetingType::SfbOnPrem,
        start_ms: 5 * DAY_MS,
        duration_ms: HOUR_MS,
        recurrence_end_ms: None,
        attendees: 5,
    },
    MeetingPlan {
        subject: "Monthly all-hands series (Skype)",
        meeting_type: MeetingType::SfbOnline,
        start_ms: -60 * DAY_MS,
        duration_ms: HOUR_MS,
        recurrence_end_ms: Some(90 * DAY_MS),
        attendees: 8,
    },
    MeetingPlan {
        subject: "Quarterly kickoff (300 attendees)",
        meeting_type: MeetingType::SfbOnline,
        start_ms: 7 * DAY_MS,
        duration_ms: 2 * HOUR_MS,
        recurrence_end_ms: None,
        attendees: 300,
    },
    MeetingPlan {
        subject: "Last week's retrospective (ended)",
        meeting_type: MeetingType::SfbOnline,
        start_ms: -7 * DAY_MS,
        duration_ms: HOUR_MS,
        recurrence_end_ms: None,
        attendees: 3,
    },
];

/// Makes the sample tenant's users and meetings, a chunk at a time, so a million-user
/// tenant never sits in memory whole.
struct SampleGenerator {
    rng: SplitMix64,
    now: Timestamp,
    user_count: usize,
    meetings_per_user: usize,
    /// The next numbered user; 0 = John and Ken Myer come first.
    next: usize,
}

impl SampleGenerator {
    fn new(tenant_id: Uuid, options: &SampleOptions, now: Timestamp) -> Self {
        // The tenant id is part of the seed: two sample tenants in one store never share
        // object or meeting ids, and one tenant id and seed always give the same tenant.
        let (high, low) = tenant_id.as_u64_pair();
        SampleGenerator {
            rng: SplitMix64(options.seed ^ high ^ low.rotate_left(17)),
            now,
            user_count: options.user_count,
            meetings_per_user: options.meetings_per_user,
            next: 0,
        }
    }

    fn next_chunk(&mut self, tenant: &Tenant) -> Result<Option<DirectoryData>> {
        if self.next > self.user_count {
            return Ok(None);
        }
        let mut data = DirectoryData::default();
        if self.next == 0 {
            self.named_users(tenant, &mut data)?;
            self.next = 1;
        }
        while self.next <= self.user_count && data.users.len() < CHUNK {
            self.numbered_user(tenant, self.next, &mut data)?;
            self.next += 1;
        }
        Ok(Some(data))
    }

    fn named_users(&mut self, tenant: &Tenant, data: &mut DirectoryData) -> Result<()> {
        let rng = &mut self.rng;
        data.users.push(named_user(
            tenant,
            rng,
            "John@contoso.com",
            "sip:john@contoso.com",
            "John Woods",
            "john",
            "CN=John Woods,OU=Redmond,DC=contoso,DC=com",
            "SfBWithTeamsCollab",
            None,
            &named_profile(NamedUser::John, self.now),
        )?);
        data.users.push(named_user(
            tenant,
            rng,
            "kenmyer@litwareinc.com",
            "sip:kenmyer@litwareinc.com",
            "Ken Myer",
            "kenmyer",
            "CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com",
            "Islands",
            Some("+1 206 555 0142"),
            &named_profile(NamedUser::Ken, self.now),
        )?);
        for organizer in ["John@contoso.com", "kenmyer@litwareinc.com"] {
            for plan in NAMED_MEETINGS {
                data.meetings
                    .push(meeting(rng, organizer, plan, self.now, self.user_count));
            }
        }
        Ok(())
    }

    fn numbered_user(&mut self, tenant: &Tenant, n: usize, data: &mut DirectoryData) -> Result<()> {
        let rng = &mut self.rng;
        let upn = format!("user{n}@contoso.com");
        let name = format!("User {n}");
        let (id, sip, sam) = (
            rng.uuid().to_string(),
            format!("sip:{upn}"),
            format!("user{n}"),
        );
        let dn = format!("CN={name},OU=Users,DC=contoso,DC=com");
        let mode = MODES[n % MODES.len()];
        let mut fields = UserFields::from([
            (UserField::Identity, id.as_str()),
            (UserField::UserPrincipalName, &upn),
            (UserField::SipAddress, &sip),
            (UserField::DisplayName, &name),
            (UserField::SamAccountName, &sam),
            (UserField::DistinguishedName, &dn),
            (UserField::TeamsUpgradeEffectiveMode, mode),
        ]);
        for (field, value) in numbered_profile(n, mode, self.now)
            .into_iter()
            .chain(failure_cause(n))
        {
            fields.set(field, value);
        }
        data.users.push(NewUser::from_fields(fields, tenant, &upn)?);
        for m in 0..self.meetings_per_user {
            let kinds = [
                MeetingType::Teams,
                MeetingType::SfbOnline,
                MeetingType::SfbOnPrem,
            ];
            let ended = m % 4 == 3;
            let plan = MeetingPlan {
                subject: if ended {
                    "Catch-up (ended)"
                } else {
                    "Project meeting"
                },
                meeting_type: kinds[rng.below(3) as usize],
                start_ms: if ended {
                    -(1 + rng.below(30) as i64) * DAY_MS
                } else {
                    (1 + rng.below(60) as i64) * DAY_MS
                },
                duration_ms: HOUR_MS / 2,
                recurrence_end_ms: None,
                attendees: 2 + rng.below(4) as usize,
            };
            let mut drawn = meeting(rng, &upn, &plan, self.now, self.user_count);
            if m == 1 && has_pasted_block(n) {
                // The organiser copied the first meeting's online details into this one
                // instead of adding an online meeting (the draws stay as they were).
                let first = &data.meetings[data.meetings.len() - 1];
                drawn.meeting_type = first.meeting_type;
                drawn.subject = "Follow-up (online details pasted)".into();
                drawn.source = drawn.subject.clone();
                drawn.body = first.body.replacen(&first.subject, &drawn.subject, 1);
            }
            data.meetings.push(drawn);
        }
        Ok(())
    }
}

/// The sample tenant's domains: `contoso.com` (`CONTOSO`) and `litwareinc.com` (`LITWAREINC`).
pub fn sample_domains() -> Vec<TenantDomain> {
    [("contoso.com", "CONTOSO"), ("litwareinc.com", "LITWAREINC")]
        .into_iter()
        .map(|(name, net_bios_name)| TenantDomain {
            name: name.into(),
            net_bios_name: net_bios_name.into(),
        })
        .collect()
}

/// Creates the sample tenant: John and Ken Myer with every identity form and every kind of
/// meeting, and `user1..userN@contoso.com`. The first tenant of a store becomes the
/// default. Meetings are placed around `now`.
pub fn create_sample_tenant(
    store: &dyn Store,
    options: &SampleOptions,
    now: Timestamp,
) -> Result<Tenant> {
    let tenant_id = options.tenant_id.unwrap_or(SAMPLE_TENANT_ID);
    if options.user_count > 10_000_000 || options.meetings_per_user > 1000 {
        return Err(Error::invalid(
            "UserCount is at most 10000000 and MeetingsPerUser at most 1000.",
        ));
    }
    let new_tenant = super::checked_tenant(
        store.reads(),
        &NewTenant {
            tenant_id: Some(tenant_id),
            name: "Contoso".into(),
            domains: sample_domains(),
            default: false,
        },
    )?;
    let bridge = DialInSettingsChanges {
        default_toll_number: Some("+1 425 555 0100".into()),
        default_toll_free_number: Some("+1 800 555 0100".into()),
        ..Default::default()
    };
    let mut generator = SampleGenerator::new(tenant_id, options, now);
    // One transaction: a failure or a crash half-way leaves no half-made tenant.
    store.create_filled_tenant(
        &new_tenant,
        tenant_id,
        &mut |settings| {
            super::apply_dial_in_changes(settings, &bridge);
            Ok(())
        },
        &mut |tenant| generator.next_chunk(tenant),
    )
}
