//! Tenants, settings, users and meetings in PostgreSQL.

use tokio_postgres::Row;
use uuid::Uuid;

use super::{schema, Db, Fail, R};
use crate::error::{Error, ErrorCode};
use crate::model::*;
use crate::store::{
    dial_in_options_from_json, profile_from_json, profile_to_json, Apply, TenantScope, UserIndex,
};
use crate::time::Timestamp;

// The domains come along as JSON, in the order they were added: a tenant is one statement.
const TENANT_COLUMNS: &str = "key, tenant_id, name, is_default, user_count, meeting_migration_enabled, hold_minutes,
    (SELECT coalesce(json_agg(json_build_object('Name', d.name, 'NetBiosName', d.net_bios_name) ORDER BY d.position), '[]')::text
     FROM tenant_domains d WHERE d.tenant = tenants.key),
    time_scale, fault_transient_rate, fault_permanent_rate, fault_seed";

pub(super) fn parse<T>(
    row: &Row,
    index: usize,
    parse: fn(&str) -> crate::error::Result<T>,
) -> R<T> {
    let text: String = row.try_get(index)?;
    parse(&text).map_err(|e| {
        Fail::App(Error::new(
            ErrorCode::StoreCorrupt,
            format!("a stored value cannot be read ({})", e.message),
        ))
    })
}

fn tenant_from_row(row: &Row) -> R<Tenant> {
    let domains: String = row.try_get(7)?;
    Ok(Tenant {
        key: row.try_get(0)?,
        tenant_id: row.try_get(1)?,
        name: row.try_get(2)?,
        is_default: row.try_get(3)?,
        user_count: row.try_get(4)?,
        meeting_migration_enabled: row.try_get(5)?,
        hold_minutes: row.try_get(6)?,
        domains: serde_json::from_str(&domains)?,
        time_scale: row.try_get(8)?,
        fault_injection: FaultInjection {
            transient_rate: row.try_get(9)?,
            permanent_rate: row.try_get(10)?,
            seed: row.try_get(11)?,
        },
    })
}

pub(super) fn tenants(db: &Db) -> R<Vec<Tenant>> {
    db.query(
        &format!("SELECT {TENANT_COLUMNS} FROM tenants ORDER BY key"),
        &[],
    )?
    .iter()
    .map(tenant_from_row)
    .collect()
}

pub(super) fn tenant_by_id(db: &Db, id: Uuid) -> R<Option<Tenant>> {
    db.query_opt(
        &format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE tenant_id = $1"),
        &[&id],
    )?
    .as_ref()
    .map(tenant_from_row)
    .transpose()
}

pub(super) fn tenant_by_key(db: &Db, key: i64) -> R<Option<Tenant>> {
    db.query_opt(
        &format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE key = $1"),
        &[&key],
    )?
    .as_ref()
    .map(tenant_from_row)
    .transpose()
}

pub(super) fn default_tenant(db: &Db) -> R<Option<Tenant>> {
    db.query_opt(
        &format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE is_default"),
        &[],
    )?
    .as_ref()
    .map(tenant_from_row)
    .transpose()
}

pub(super) fn create_tenant(db: &Db, new: &NewTenant, id: Uuid) -> R<Tenant> {
    // One tenant creation or default change at a time: "one default" is read, then written.
    db.query("SELECT pg_advisory_xact_lock($1)", &[&schema::TENANT_LOCK])?;
    if db
        .query_opt("SELECT 1 FROM tenants WHERE tenant_id = $1", &[&id])?
        .is_some()
    {
        return Err(Fail::App(
            Error::new(
                ErrorCode::AlreadyExists,
                format!("A tenant with id {id} already exists in the store."),
            )
            .with_target(id.to_string()),
        ));
    }
    if new.default {
        db.execute(
            "UPDATE tenants SET is_default = false WHERE is_default",
            &[],
        )?;
    }
    let key: i64 = db
        .query_one(
            "INSERT INTO tenants(tenant_id, name, is_default) VALUES ($1, $2, $3) RETURNING key",
            &[&id, &new.name, &new.default],
        )?
        .try_get(0)?;
    for d in &new.domains {
        let inserted = db.execute(
            "INSERT INTO tenant_domains(tenant, name_key, name, net_bios_name) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant, name_key) DO NOTHING",
            &[&key, &d.name, &d.name, &d.net_bios_name],
        )?;
        if inserted == 0 {
            return Err(Fail::App(
                Error::invalid(format!("The domain '{}' is listed twice.", d.name))
                    .with_target(d.name.clone()),
            ));
        }
    }
    tenant_by_key(db, key)?.ok_or_else(|| Fail::App(Error::internal("the new tenant vanished")))
}

pub(super) fn set_default_tenant(db: &Db, key: i64) -> R<()> {
    db.query("SELECT pg_advisory_xact_lock($1)", &[&schema::TENANT_LOCK])?;
    db.execute(
        "UPDATE tenants SET is_default = false WHERE is_default AND key <> $1",
        &[&key],
    )?;
    db.execute(
        "UPDATE tenants SET is_default = true WHERE key = $1",
        &[&key],
    )?;
    Ok(())
}

pub(super) fn update_migration_configuration(
    db: &Db,
    tenant: &Tenant,
    apply: &mut Apply<MigrationConfiguration>,
) -> R<MigrationConfiguration> {
    let row = db
        .query_opt(
            &format!("SELECT {TENANT_COLUMNS} FROM tenants WHERE key = $1 FOR UPDATE"),
            &[&tenant.key],
        )?
        .ok_or_else(|| Fail::App(Error::internal("the tenant vanished")))?;
    let mut c = tenant_from_row(&row)?.migration_configuration();
    apply(&mut c)?;
    db.execute(
        "UPDATE tenants SET meeting_migration_enabled = $2, hold_minutes = $3, time_scale = $4,
             fault_transient_rate = $5, fault_permanent_rate = $6, fault_seed = $7 WHERE key = $1",
        &[
            &tenant.key,
            &c.meeting_migration_enabled,
            &c.hold_minutes,
            &c.time_scale,
            &c.fault_injection.transient_rate,
            &c.fault_injection.permanent_rate,
            &c.fault_injection.seed,
        ],
    )?;
    Ok(c)
}

/// The tenant's dial-in settings; `lock` holds its row for an update.
pub(super) fn dial_in_settings(db: &Db, tenant: &Tenant, lock: bool) -> R<DialInSettings> {
    let sql = if lock {
        "SELECT auto_migrate_user_meetings, auto_replace_acp_provider, auto_send_emails, pin_length,
                bridge_toll_number, bridge_toll_free_number, dial_in_options FROM tenants WHERE key = $1 FOR UPDATE"
    } else {
        "SELECT auto_migrate_user_meetings, auto_replace_acp_provider, auto_send_emails, pin_length,
                bridge_toll_number, bridge_toll_free_number, dial_in_options FROM tenants WHERE key = $1"
    };
    let r = db.query_one(sql, &[&tenant.key])?;
    Ok(DialInSettings {
        identity: "Global",
        tenant_id: tenant.tenant_id,
        automatically_migrate_user_meetings: r.try_get(0)?,
        automatically_replace_acp_provider: r.try_get(1)?,
        automatically_send_emails_to_users: r.try_get(2)?,
        pin_length: r.try_get(3)?,
        default_toll_number: r.try_get(4)?,
        default_toll_free_number: r.try_get(5)?,
        options: dial_in_options_from_json(r.try_get(6)?)?,
    })
}

pub(super) fn update_dial_in_settings(
    db: &Db,
    tenant: &Tenant,
    apply: &mut Apply<DialInSettings>,
) -> R<DialInSettings> {
    let mut s = dial_in_settings(db, tenant, true)?;
    apply(&mut s)?;
    db.execute(
        "UPDATE tenants SET auto_migrate_user_meetings = $2, auto_replace_acp_provider = $3, auto_send_emails = $4,
            pin_length = $5, bridge_toll_number = $6, bridge_toll_free_number = $7, dial_in_options = $8
         WHERE key = $1",
        &[
            &tenant.key,
            &s.automatically_migrate_user_meetings,
            &s.automatically_replace_acp_provider,
            &s.automatically_send_emails_to_users,
            &s.pin_length,
            &s.default_toll_number,
            &s.default_toll_free_number,
            &serde_json::to_string(&s.options).map_err(Error::from)?,
        ],
    )?;
    Ok(s)
}

const USER_COLUMNS: &str = "u.key, u.object_id, u.upn, u.sip, u.display_name, u.sam, u.windows_logon, u.dn, u.mode, u.toll, u.toll_free, u.profile";

fn user_from_row(row: &Row, tenant_id: Uuid) -> R<User> {
    Ok(User {
        key: row.try_get(0)?,
        identity: row.try_get(1)?,
        user_principal_name: row.try_get(2)?,
        sip_address: row.try_get(3)?,
        display_name: row.try_get(4)?,
        sam_account_name: row.try_get(5)?,
        windows_domain_logon: row.try_get(6)?,
        distinguished_name: row.try_get(7)?,
        teams_upgrade_effective_mode: row.try_get(8)?,
        audio_conferencing_toll_number: row.try_get(9)?,
        audio_conferencing_toll_free_number: row.try_get(10)?,
        tenant_id,
        profile: profile_from_json(row.try_get(11)?)?,
    })
}

pub(super) fn update_user(db: &Db, user: i64, apply: &mut Apply<User>) -> R<User> {
    let row = db
        .query_opt(
            &format!(
                "SELECT {USER_COLUMNS}, t.tenant_id FROM users u JOIN tenants t ON t.key = u.tenant
                 WHERE u.key = $1 FOR UPDATE OF u"
            ),
            &[&user],
        )?
        .ok_or_else(|| Fail::App(Error::internal("the user vanished")))?;
    let mut current = user_from_row(&row, row.try_get(12)?)?;
    apply(&mut current)?;
    db.execute(
        "UPDATE users SET mode = $2, toll = $3, toll_free = $4, profile = $5 WHERE key = $1",
        &[
            &user,
            &current.teams_upgrade_effective_mode,
            &current.audio_conferencing_toll_number,
            &current.audio_conferencing_toll_free_number,
            &profile_to_json(&current.profile)?,
        ],
    )?;
    Ok(current)
}

pub(super) fn find_users(
    db: &Db,
    scope: &TenantScope,
    index: UserIndex,
    key: &str,
    limit: usize,
) -> R<Vec<User>> {
    let column = match index {
        UserIndex::ObjectId => "object_id::text",
        UserIndex::Upn => "upn_key",
        UserIndex::Sip => "sip_key",
        UserIndex::DomainLogon => "logon_key",
        UserIndex::DisplayName => "display_key",
        UserIndex::DistinguishedName => "dn_key",
    };
    // An object id that is not a GUID matches no user (the column holds GUIDs only).
    let object_id = match index {
        UserIndex::ObjectId => match Uuid::parse_str(key) {
            Ok(id) => Some(id),
            Err(_) => return Ok(Vec::new()),
        },
        _ => None,
    };
    let condition = match object_id {
        Some(_) => "u.object_id = $2::uuid".to_string(),
        None => format!("u.{column} = $2"),
    };
    // The tenant is looked up inside the user's statement: one round trip per resolution.
    let limit = limit as i64;
    let rows = match scope {
        TenantScope::Key(tenant) => {
            let sql = format!(
                "SELECT {USER_COLUMNS}, t.tenant_id FROM users u JOIN tenants t ON t.key = u.tenant
                 WHERE u.tenant = $1 AND {condition} ORDER BY u.key LIMIT $3"
            );
            match object_id {
                Some(id) => db.query(&sql, &[tenant, &id, &limit])?,
                None => db.query(&sql, &[tenant, &key, &limit])?,
            }
        }
        TenantScope::Id(tenant) => {
            let sql = format!(
                "SELECT {USER_COLUMNS}, t.tenant_id FROM users u JOIN tenants t ON t.key = u.tenant
                 WHERE t.tenant_id = $1 AND {condition} ORDER BY u.key LIMIT $3"
            );
            match object_id {
                Some(id) => db.query(&sql, &[tenant, &id, &limit])?,
                None => db.query(&sql, &[tenant, &key, &limit])?,
            }
        }
        TenantScope::Default => {
            let sql = format!(
                "SELECT {USER_COLUMNS}, t.tenant_id FROM users u JOIN tenants t ON t.key = u.tenant
                 WHERE t.is_default AND {} ORDER BY u.key LIMIT $2",
                condition.replace("$2", "$1")
            );
            match object_id {
                Some(id) => db.query(&sql, &[&id, &limit])?,
                None => db.query(&sql, &[&key, &limit])?,
            }
        }
    };
    rows.iter()
        .map(|r| user_from_row(r, r.try_get(12)?))
        .collect()
}

pub(super) fn users_page(
    db: &Db,
    tenant: &Tenant,
    after: Option<i64>,
    limit: usize,
) -> R<Vec<User>> {
    db.query(
        &format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.tenant = $1 AND u.key > $2 ORDER BY u.key LIMIT $3"
        ),
        &[&tenant.key, &after.unwrap_or(i64::MIN), &(limit as i64)],
    )?
    .iter()
    .map(|r| user_from_row(r, tenant.tenant_id))
    .collect()
}

/// The lookup indexes follow the database's collation, where a prefix is not a range: the
/// ranges go through the byte-ordered (`COLLATE "C"`) indexes beside them.
pub(super) fn users_by_prefix(
    db: &Db,
    tenant: &Tenant,
    index: UserIndex,
    prefix: &str,
    after: Option<i64>,
    limit: usize,
) -> R<Option<Vec<User>>> {
    // The indexes kept in byte order (schema steps 1 and 5); the object id and the
    // distinguished name have none.
    let column = match index {
        UserIndex::Upn => "upn_key",
        UserIndex::Sip => "sip_key",
        UserIndex::DomainLogon => "logon_key",
        UserIndex::DisplayName => "display_key",
        UserIndex::ObjectId | UserIndex::DistinguishedName => return Ok(None),
    };
    let limit = limit as i64;
    let range = format!(
        "u.tenant = $1 AND u.{column} COLLATE \"C\" >= $2
           AND u.{column} COLLATE \"C\" < ($2 || chr(1114111)) COLLATE \"C\""
    );
    let order = format!("ORDER BY u.{column} COLLATE \"C\", u.key");
    // The range resumes after the user to follow: users with its key up to it (display
    // names repeat) are skipped by the row comparison.
    let rows = match after {
        None => db.query(
            &format!("SELECT {USER_COLUMNS} FROM users u WHERE {range} {order} LIMIT $3"),
            &[&tenant.key, &prefix, &limit],
        )?,
        Some(after) => db.query(
            &format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE {range}
                   AND (u.{column} COLLATE \"C\", u.key)
                       > ((SELECT a.{column} FROM users a WHERE a.key = $3) COLLATE \"C\", $3)
                 {order} LIMIT $4"
            ),
            &[&tenant.key, &prefix, &after, &limit],
        )?,
    };
    rows.iter()
        .map(|r| user_from_row(r, tenant.tenant_id))
        .collect::<R<Vec<_>>>()
        .map(Some)
}

/// The field a unique index guards, for import errors.
fn field_of_constraint(constraint: &str) -> &'static str {
    match constraint {
        "users_by_upn_key" => "UserPrincipalName",
        "users_by_sip_key" => "SipAddress",
        "users_by_logon_key" => "SamAccountName",
        "users_by_dn_key" => "DistinguishedName",
        "users_by_object_id" => "Identity",
        "meetings_meeting_id_key" => "MeetingId",
        _ => "record",
    }
}

fn duplicate(source: &str, fail: Fail) -> Fail {
    if let Fail::Pg(e) = &fail {
        if let Some(db) = e.as_db_error() {
            if *db.code() == tokio_postgres::error::SqlState::UNIQUE_VIOLATION {
                let field = field_of_constraint(db.constraint().unwrap_or(""));
                return Fail::App(Error::new(
                    ErrorCode::ImportFailed,
                    format!("{source}: {field} is already used by another record (users are unique within a tenant, meeting ids within the store); nothing was imported."),
                )
                .with_target(source.to_string()));
            }
        }
    }
    fail
}

fn insert_user(db: &Db, tenant: &Tenant, u: &NewUser) -> R<()> {
    let (user, keys) = (&u.user, &u.keys);
    let profile = profile_to_json(&user.profile)?;
    db.execute(
        "INSERT INTO users(tenant, object_id, upn, upn_key, sip, sip_key, sam, windows_logon, logon_key,
                           display_name, display_key, dn, dn_key, mode, toll, toll_free, profile)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        &[
            &tenant.key,
            &user.identity,
            &user.user_principal_name,
            &keys.upn,
            &user.sip_address,
            &keys.sip,
            &user.sam_account_name,
            &user.windows_domain_logon,
            &keys.logon,
            &user.display_name,
            &keys.display_name,
            &user.distinguished_name,
            &keys.dn,
            &user.teams_upgrade_effective_mode,
            &user.audio_conferencing_toll_number,
            &user.audio_conferencing_toll_free_number,
            &profile,
        ],
    )
    .map_err(|e| duplicate(&u.source, e))?;
    Ok(())
}

fn insert_meeting(db: &Db, tenant: &Tenant, m: &NewMeeting) -> R<()> {
    let organizer: Option<i64> = db
        .query_opt(
            "SELECT key FROM users WHERE tenant = $1 AND upn_key = $2",
            &[&tenant.key, &m.organizer_key],
        )?
        .map(|r| r.try_get(0))
        .transpose()?;
    let organizer = organizer.ok_or_else(|| {
        Fail::App(
            Error::new(
                ErrorCode::ImportFailed,
                format!(
                    "{}: Organizer '{}' is not a user of this tenant; nothing was imported.",
                    m.source, m.organizer_key
                ),
            )
            .with_target(m.source.clone()),
        )
    })?;
    db.execute(
        "INSERT INTO meetings(meeting_id, tenant, organizer, subject, start_time, end_time, recurrence_end,
                              meeting_type, attendees, attendee_count, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &[
            &m.meeting_id,
            &tenant.key,
            &organizer,
            &m.subject,
            &m.start.millis(),
            &m.end.millis(),
            &m.recurrence_end.map(Timestamp::millis),
            &m.meeting_type.as_str(),
            &serde_json::to_string(&m.attendees)?,
            &(m.attendees.len() as i64),
            &m.body,
        ],
    )
    .map_err(|e| duplicate(&m.source, e))?;
    Ok(())
}

pub(super) fn import(db: &Db, tenant: &Tenant, data: &DirectoryData) -> R<()> {
    for u in &data.users {
        insert_user(db, tenant, u)?;
    }
    for m in &data.meetings {
        insert_meeting(db, tenant, m)?;
    }
    db.execute(
        "UPDATE tenants SET user_count = user_count + $2 WHERE key = $1",
        &[&tenant.key, &(data.users.len() as i64)],
    )?;
    if let Some(settings) = &data.settings {
        update_migration_configuration(db, tenant, &mut |c| {
            c.clone_from(&settings.migration.for_tenant(c));
            Ok(())
        })?;
        update_dial_in_settings(db, tenant, &mut |s| {
            s.clone_from(&settings.dial_in.for_tenant(s));
            Ok(())
        })?;
    }
    Ok(())
}

pub(super) fn meeting_schedules_of(db: &Db, organizer: i64) -> R<Vec<MeetingSchedule>> {
    let rows = db.query(
        "SELECT key, meeting_id, subject, start_time, end_time, recurrence_end, meeting_type
         FROM meetings WHERE organizer = $1 ORDER BY start_time, key",
        &[&organizer],
    )?;
    rows.iter()
        .map(|r| {
            Ok(MeetingSchedule {
                key: r.try_get(0)?,
                meeting_id: r.try_get(1)?,
                subject: r.try_get(2)?,
                start_time: Timestamp(r.try_get(3)?),
                end_time: Timestamp(r.try_get(4)?),
                recurrence_end: r.try_get::<_, Option<i64>>(5)?.map(Timestamp),
                meeting_type: parse(r, 6, MeetingType::parse)?,
            })
        })
        .collect()
}

pub(super) fn meetings_of(db: &Db, organizer: i64) -> R<Vec<MeetingRow>> {
    let rows = db.query(
        "SELECT m.key, m.meeting_id, m.subject, m.start_time, m.end_time, m.recurrence_end, m.meeting_type, m.attendees,
                m.attendee_count, m.body, u.upn, t.tenant_id
         FROM meetings m JOIN users u ON u.key = m.organizer JOIN tenants t ON t.key = m.tenant
         WHERE m.organizer = $1 ORDER BY m.start_time, m.key",
        &[&organizer],
    )?;
    rows.iter()
        .map(|r| {
            let attendees: String = r.try_get(7)?;
            Ok(MeetingRow {
                key: r.try_get(0)?,
                meeting_id: r.try_get(1)?,
                tenant_id: r.try_get(11)?,
                organizer: r.try_get(10)?,
                subject: r.try_get(2)?,
                start_time: Timestamp(r.try_get(3)?),
                end_time: Timestamp(r.try_get(4)?),
                recurrence_end: r.try_get::<_, Option<i64>>(5)?.map(Timestamp),
                meeting_type: parse(r, 6, MeetingType::parse)?,
                attendees: serde_json::from_str(&attendees)?,
                attendee_count: r.try_get(8)?,
                body: r.try_get(9)?,
            })
        })
        .collect()
}

/// What PostgreSQL's own checks do not see: rows that break the store's own rules, and
/// every table read to its end. PostgreSQL keeps its files sound itself (checksums,
/// `amcheck` for the administrator); a problem found here is a line, not an error.
pub(super) fn check(db: &Db) -> R<Vec<String>> {
    let mut problems = Vec::new();
    let checks: &[(&str, &str)] = &[
        ("SELECT count(*) FROM tenants WHERE is_default", "more than one default tenant"),
        (
            "SELECT count(*) FROM requests WHERE succeeded_meeting + failed_meeting > total_meeting",
            "requests with more meetings done than they hold",
        ),
        (
            "SELECT count(*) FROM requests WHERE state NOT IN ('Pending', 'InProgress', 'Succeeded', 'Failed')",
            "requests in an unknown state",
        ),
        (
            "SELECT count(*) FROM outcomes WHERE outcome NOT IN ('Pending', 'Succeeded', 'Failed')",
            "outcomes in an unknown state",
        ),
        (
            "SELECT count(*) FROM tenants t WHERE user_count <> (SELECT count(*) FROM users u WHERE u.tenant = t.key)",
            "tenants whose user count disagrees with their users",
        ),
    ];
    for (i, (sql, what)) in checks.iter().enumerate() {
        let n: i64 = db.query_one(sql, &[])?.try_get(0)?;
        let bad = if i == 0 { n > 1 } else { n > 0 };
        if bad {
            problems.push(format!("{what} ({n})"));
        }
    }
    // Every row of every table read once: a damaged page fails here rather than later.
    for table in [
        "tenants",
        "tenant_domains",
        "users",
        "meetings",
        "requests",
        "outcomes",
    ] {
        if let Err(e) = db.query(
            &format!("SELECT count(*) FROM (SELECT * FROM {table}) t"),
            &[],
        ) {
            match e {
                Fail::Pg(e) => problems.push(format!("table {table} cannot be read: {e}")),
                other => return Err(other),
            }
        }
    }
    Ok(problems)
}
