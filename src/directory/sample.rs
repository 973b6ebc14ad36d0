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
    NewUser::from_fields(fields, tenant, display)
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
        let fields = UserFields::from([
            (UserField::Identity, id.as_str()),
            (UserField::UserPrincipalName, &upn),
            (UserField::SipAddress, &sip),
            (UserField::DisplayName, &name),
            (UserField::SamAccountName, &sam),
            (UserField::DistinguishedName, &dn),
            (UserField::TeamsUpgradeEffectiveMode, MODES[n % MODES.len()]),
        ]);
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
            data.meetings
                .push(meeting(rng, &upn, &plan, self.now, self.user_count));
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
