//! Tenants, settings, users and meetings in SQLite.

use rusqlite::{params, Connection, OptionalExtension, Params, Row, Transaction};
use uuid::Uuid;

use crate::error::{Error, ErrorCode, Result};
use crate::model::*;
use crate::store::{
    dial_in_options_from_json, profile_from_json, profile_to_json, Apply, TenantScope, UserIndex,
};
use crate::time::Timestamp;

// `user_count` is kept by imports: counting a million users on every tenant lookup (every
// resolution) would be a scan. The domains come along as JSON, so a tenant is one statement.
const TENANT_COLUMNS: &str = "key, tenant_id, name, is_default, user_count, meeting_migration_enabled, hold_minutes,
    (SELECT json_group_array(json_object('Name', d.name, 'NetBiosName', d.net_bios_name))
     FROM (SELECT name, net_bios_name FROM tenant_domains WHERE tenant = tenants.key ORDER BY rowid) d),
    time_scale, fault_transient_rate, fault_permanent_rate, fault_seed";

pub(super) fn uuid_column(row: &Row, index: usize) -> rusqlite::Result<Uuid> {
    let text: String = row.get(index)?;
    Uuid::parse_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(super) fn parse_column<T>(
    row: &Row,
    index: usize,
    parse: fn(&str) -> Result<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn tenant_from_row(row: &Row) -> rusqlite::Result<Tenant> {
    let domains: String = row.get(7)?;
    Ok(Tenant {
        key: row.get(0)?,
        tenant_id: uuid_column(row, 1)?,
        name: row.get(2)?,
        is_default: row.get(3)?,
        user_count: row.get(4)?,
        meeting_migration_enabled: row.get(5)?,
        hold_minutes: row.get(6)?,
        domains: serde_json::from_str(&domains).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, Box::new(e))
        })?,
        time_scale: row.get(8)?,
        fault_injection: FaultInjection {
            transient_rate: row.get(9)?,
            permanent_rate: row.get(10)?,
            seed: row.get(11)?,
        },
    })
}

pub(super) fn tenants(conn: &Connection) -> Result<Vec<Tenant>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TENANT_COLUMNS} FROM tenants ORDER BY key"
    ))?;
    let tenants = stmt.query_map([], tenant_from_row)?;
    Ok(tenants.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn tenant<P: Params>(
    conn: &Connection,
    condition: &str,
    params: P,
) -> Result<Option<Tenant>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TENANT_COLUMNS} FROM tenants WHERE {condition}"
    ))?;
    Ok(stmt.query_row(params, tenant_from_row).optional()?)
}

pub(super) fn create_tenant(tx: &Transaction, new: &NewTenant, id: Uuid) -> Result<Tenant> {
    let exists: bool = tx.query_row(
        "SELECT count(*) FROM tenants WHERE tenant_id = ?1",
        [id.to_string()],
        |r| r.get::<_, i64>(0),
    )? > 0;
    if exists {
        return Err(Error::new(
            ErrorCode::AlreadyExists,
            format!("A tenant with id {id} already exists in the store."),
        )
        .with_target(id.to_string()));
    }
    if new.default {
        tx.execute("UPDATE tenants SET is_default = 0 WHERE is_default = 1", [])?;
    }
    tx.execute(
        "INSERT INTO tenants(tenant_id, name, is_default) VALUES (?1, ?2, ?3)",
        params![id.to_string(), new.name, new.default],
    )?;
    let key = tx.last_insert_rowid();
    for d in &new.domains {
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO tenant_domains(tenant, name_key, name, net_bios_name) VALUES (?1, ?2, ?3, ?4)",
            params![key, d.name, d.name, d.net_bios_name],
        )?;
        if inserted == 0 {
            return Err(
                Error::invalid(format!("The domain '{}' is listed twice.", d.name))
                    .with_target(d.name.clone()),
            );
        }
    }
    tenant(tx, "key = ?1", [key])?.ok_or_else(|| Error::internal("the new tenant vanished"))
}

pub(super) fn set_default_tenant(tx: &Transaction, key: i64) -> Result<()> {
    tx.execute(
        "UPDATE tenants SET is_default = 0 WHERE is_default = 1 AND key <> ?1",
        [key],
    )?;
    tx.execute("UPDATE tenants SET is_default = 1 WHERE key = ?1", [key])?;
    Ok(())
}

pub(super) fn update_migration_configuration(
    tx: &Transaction,
    tenant: &Tenant,
    apply: &mut Apply<MigrationConfiguration>,
) -> Result<MigrationConfiguration> {
    let current = self::tenant(tx, "key = ?1", [tenant.key])?
        .ok_or_else(|| Error::internal("the tenant vanished"))?;
    let mut c = current.migration_configuration();
    apply(&mut c)?;
    tx.execute(
        "UPDATE tenants SET meeting_migration_enabled = ?2, hold_minutes = ?3, time_scale = ?4,
             fault_transient_rate = ?5, fault_permanent_rate = ?6, fault_seed = ?7 WHERE key = ?1",
        params![
            tenant.key,
            c.meeting_migration_enabled,
            c.hold_minutes,
            c.time_scale,
            c.fault_injection.transient_rate,
            c.fault_injection.permanent_rate,
            c.fault_injection.seed
        ],
    )?;
    Ok(c)
}

pub(super) fn dial_in_settings(conn: &Connection, tenant: &Tenant) -> Result<DialInSettings> {
    Ok(conn.query_row(
        "SELECT auto_migrate_user_meetings, auto_replace_acp_provider, auto_send_emails, pin_length,
                bridge_toll_number, bridge_toll_free_number, dial_in_options FROM tenants WHERE key = ?1",
        [tenant.key],
        |r| {
            Ok(DialInSettings {
                identity: "Global",
                tenant_id: tenant.tenant_id,
                automatically_migrate_user_meetings: r.get(0)?,
                automatically_replace_acp_provider: r.get(1)?,
                automatically_send_emails_to_users: r.get(2)?,
                pin_length: r.get(3)?,
                default_toll_number: r.get(4)?,
                default_toll_free_number: r.get(5)?,
                options: parse_column(r, 6, dial_in_options_from_json)?,
            })
        },
    )?)
}

pub(super) fn update_dial_in_settings(
    tx: &Transaction,
    tenant: &Tenant,
    apply: &mut Apply<DialInSettings>,
) -> Result<DialInSettings> {
    let mut s = dial_in_settings(tx, tenant)?;
    apply(&mut s)?;
    tx.execute(
        "UPDATE tenants SET auto_migrate_user_meetings = ?2, auto_replace_acp_provider = ?3, auto_send_emails = ?4,
            pin_length = ?5, bridge_toll_number = ?6, bridge_toll_free_number = ?7, dial_in_options = ?8
         WHERE key = ?1",
        params![
            tenant.key,
            s.automatically_migrate_user_meetings,
            s.automatically_replace_acp_provider,
            s.automatically_send_emails_to_users,
            s.pin_length,
            s.default_toll_number,
            s.default_toll_free_number,
            serde_json::to_string(&s.options)?
        ],
    )?;
    Ok(s)
}

const USER_COLUMNS: &str = "u.key, u.object_id, u.upn, u.sip, u.display_name, u.sam, u.windows_logon, u.dn, u.mode, u.toll, u.toll_free, u.profile";

fn user_from_row(row: &Row, tenant_id: Uuid) -> rusqlite::Result<User> {
    Ok(User {
        key: row.get(0)?,
        identity: uuid_column(row, 1)?,
        user_principal_name: row.get(2)?,
        sip_address: row.get(3)?,
        display_name: row.get(4)?,
        sam_account_name: row.get(5)?,
        windows_domain_logon: row.get(6)?,
        distinguished_name: row.get(7)?,
        teams_upgrade_effective_mode: row.get(8)?,
        audio_conferencing_toll_number: row.get(9)?,
        audio_conferencing_toll_free_number: row.get(10)?,
        tenant_id,
        profile: parse_column(row, 11, profile_from_json)?,
    })
}

fn users_where(
    conn: &Connection,
    scope: &TenantScope,
    column: &str,
    value: &str,
    limit: usize,
) -> Result<Vec<User>> {
    // The tenant is looked up inside the user's statement: one read per resolution.
    let (tenant_sql, tenant_param): (&str, rusqlite::types::Value) = match scope {
        TenantScope::Key(key) => ("?1", (*key).into()),
        TenantScope::Id(id) => (
            "(SELECT key FROM tenants WHERE tenant_id = ?1)",
            id.to_string().into(),
        ),
        TenantScope::Default => (
            "(SELECT key FROM tenants WHERE is_default = 1 AND ?1 IS NULL)",
            rusqlite::types::Value::Null,
        ),
    };
    let sql = format!(
        "SELECT {USER_COLUMNS}, t.tenant_id FROM users u JOIN tenants t ON t.key = u.tenant
         WHERE u.tenant = {tenant_sql} AND u.{column} = ?2 LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![tenant_param, value, limit as i64], |r| {
        user_from_row(r, uuid_column(r, 12)?)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn update_user(tx: &Transaction, user: i64, apply: &mut Apply<User>) -> Result<User> {
    let mut current = tx
        .query_row(
            &format!(
                "SELECT {USER_COLUMNS}, t.tenant_id FROM users u JOIN tenants t ON t.key = u.tenant WHERE u.key = ?1"
            ),
            [user],
            |r| user_from_row(r, uuid_column(r, 12)?),
        )
        .optional()?
        .ok_or_else(|| Error::internal("the user vanished"))?;
    apply(&mut current)?;
    tx.execute(
        "UPDATE users SET mode = ?2, toll = ?3, toll_free = ?4, profile = ?5 WHERE key = ?1",
        params![
            user,
            current.teams_upgrade_effective_mode,
            current.audio_conferencing_toll_number,
            current.audio_conferencing_toll_free_number,
            profile_to_json(&current.profile)?
        ],
    )?;
    Ok(current)
}

pub(super) fn find_users(
    conn: &Connection,
    scope: &TenantScope,
    index: UserIndex,
    key: &str,
    limit: usize,
) -> Result<Vec<User>> {
    let column = match index {
        UserIndex::ObjectId => "object_id",
        UserIndex::Upn => "upn_key",
        UserIndex::Sip => "sip_key",
        UserIndex::DomainLogon => "logon_key",
        UserIndex::DisplayName => "display_key",
        UserIndex::DistinguishedName => "dn_key",
    };
    users_where(conn, scope, column, key, limit)
}

pub(super) fn users_by_prefix(
    conn: &Connection,
    tenant: &Tenant,
    index: UserIndex,
    prefix: &str,
    after: Option<i64>,
    limit: usize,
) -> Result<Option<Vec<User>>> {
    let (column, index_name) = match index {
        UserIndex::Upn => ("upn_key", "users_by_upn"),
        UserIndex::Sip => ("sip_key", "users_by_sip"),
        UserIndex::DomainLogon => ("logon_key", "users_by_logon"),
        UserIndex::DisplayName => ("display_key", "users_by_display_name"),
        UserIndex::DistinguishedName => ("dn_key", "users_by_dn"),
        // Object ids are stored as text but not ordered as the filter compares them.
        UserIndex::ObjectId => return Ok(None),
    };
    // The range starts at the prefix, or at the key of the user to follow; users with that
    // same key up to it (display names repeat) are skipped by the row comparison.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {USER_COLUMNS} FROM users u INDEXED BY {index_name}
         WHERE u.tenant = ?1
           AND u.{column} >= coalesce((SELECT a.{column} FROM users a WHERE a.key = ?3), ?2)
           AND u.{column} < ?2 || char(1114111)
           AND (?3 IS NULL OR (u.{column}, u.key) > ((SELECT a.{column} FROM users a WHERE a.key = ?3), ?3))
         ORDER BY u.{column}, u.key LIMIT ?4"
    ))?;
    let rows = stmt.query_map(params![tenant.key, prefix, after, limit as i64], |r| {
        user_from_row(r, tenant.tenant_id)
    })?;
    Ok(Some(rows.collect::<rusqlite::Result<Vec<_>>>()?))
}

pub(super) fn users_page(
    conn: &Connection,
    tenant: &Tenant,
    after: Option<i64>,
    limit: usize,
) -> Result<Vec<User>> {
    // `+u.tenant` keeps SQLite off the (tenant, ...) indexes: through one of them it read
    // every user of the tenant and sorted them for each page (a full listing quadratic:
    // 1.4 ms per user at 1M users); the rowid range reads each page in key order, so a full
    // listing reads each row once. A small tenant among many rows reads past the others'.
    let mut stmt = conn.prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users u WHERE +u.tenant = ?1 AND u.key > ?2 ORDER BY u.key LIMIT ?3"))?;
    let rows = stmt.query_map(
        params![tenant.key, after.unwrap_or(i64::MIN), limit as i64],
        |r| user_from_row(r, tenant.tenant_id),
    )?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The field a unique index guards, for import errors.
fn field_of_constraint(message: &str) -> &'static str {
    if message.contains("upn_key") {
        "UserPrincipalName"
    } else if message.contains("sip_key") {
        "SipAddress"
    } else if message.contains("logon_key") {
        "SamAccountName"
    } else if message.contains("dn_key") {
        "DistinguishedName"
    } else if message.contains("object_id") {
        "Identity"
    } else if message.contains("meeting_id") {
        "MeetingId"
    } else {
        "record"
    }
}

fn duplicate(source: &str, e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, Some(message)) = &e {
        if f.code == rusqlite::ErrorCode::ConstraintViolation {
            let field = field_of_constraint(message);
            return Error::new(
                ErrorCode::ImportFailed,
                format!("{source}: {field} is already used by another record (users are unique within a tenant, meeting ids within the store); nothing was imported."),
            )
            .with_target(source.to_string());
        }
    }
    Error::from(e)
}

fn insert_user(tx: &Transaction, tenant: &Tenant, u: &NewUser) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO users(tenant, object_id, upn, upn_key, sip, sip_key, sam, windows_logon, logon_key,
                           display_name, display_key, dn, dn_key, mode, toll, toll_free, profile)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?;
    let (user, keys) = (&u.user, &u.keys);
    stmt.execute(params![
        tenant.key,
        user.identity.to_string(),
        user.user_principal_name,
        keys.upn,
        user.sip_address,
        keys.sip,
        user.sam_account_name,
        user.windows_domain_logon,
        keys.logon,
        user.display_name,
        keys.display_name,
        user.distinguished_name,
        keys.dn,
        user.teams_upgrade_effective_mode,
        user.audio_conferencing_toll_number,
        user.audio_conferencing_toll_free_number,
        profile_to_json(&user.profile)?
    ])
    .map_err(|e| duplicate(&u.source, e))?;
    Ok(())
}

fn insert_meeting(tx: &Transaction, tenant: &Tenant, m: &NewMeeting) -> Result<()> {
    let organizer: Option<i64> = tx
        .prepare_cached("SELECT key FROM users WHERE tenant = ?1 AND upn_key = ?2")?
        .query_row(params![tenant.key, m.organizer_key], |r| r.get(0))
        .optional()?;
    let organizer = organizer.ok_or_else(|| {
        Error::new(
            ErrorCode::ImportFailed,
            format!(
                "{}: Organizer '{}' is not a user of this tenant; nothing was imported.",
                m.source, m.organizer_key
            ),
        )
        .with_target(m.source.clone())
    })?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO meetings(meeting_id, tenant, organizer, subject, start_time, end_time, recurrence_end,
                              meeting_type, attendees, attendee_count, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    stmt.execute(params![
        m.meeting_id.to_string(),
        tenant.key,
        organizer,
        m.subject,
        m.start.millis(),
        m.end.millis(),
        m.recurrence_end.map(Timestamp::millis),
        m.meeting_type.as_str(),
        serde_json::to_string(&m.attendees)?,
        m.attendees.len() as i64,
        m.body
    ])
    .map_err(|e| duplicate(&m.source, e))?;
    Ok(())
}

pub(super) fn import(tx: &Transaction, tenant: &Tenant, data: &DirectoryData) -> Result<()> {
    for u in &data.users {
        insert_user(tx, tenant, u)?;
    }
    for m in &data.meetings {
        insert_meeting(tx, tenant, m)?;
    }
    tx.execute(
        "UPDATE tenants SET user_count = user_count + ?2 WHERE key = ?1",
        params![tenant.key, data.users.len() as i64],
    )?;
    if let Some(settings) = &data.settings {
        update_migration_configuration(tx, tenant, &mut |c| {
            c.clone_from(&settings.migration.for_tenant(c));
            Ok(())
        })?;
        update_dial_in_settings(tx, tenant, &mut |s| {
            s.clone_from(&settings.dial_in.for_tenant(s));
            Ok(())
        })?;
    }
    Ok(())
}

pub(super) fn meeting_schedules_of(
    conn: &Connection,
    organizer: i64,
) -> Result<Vec<MeetingSchedule>> {
    let mut stmt = conn.prepare_cached(
        "SELECT key, meeting_id, subject, start_time, end_time, recurrence_end, meeting_type
         FROM meetings WHERE organizer = ?1 ORDER BY start_time, key",
    )?;
    let rows = stmt.query_map([organizer], |r| {
        Ok(MeetingSchedule {
            key: r.get(0)?,
            meeting_id: uuid_column(r, 1)?,
            subject: r.get(2)?,
            start_time: Timestamp(r.get(3)?),
            end_time: Timestamp(r.get(4)?),
            recurrence_end: r.get::<_, Option<i64>>(5)?.map(Timestamp),
            meeting_type: parse_column(r, 6, MeetingType::parse)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn meetings_of(conn: &Connection, organizer: i64) -> Result<Vec<MeetingRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.key, m.meeting_id, m.subject, m.start_time, m.end_time, m.recurrence_end, m.meeting_type, m.attendees,
                m.attendee_count, m.body, u.upn, t.tenant_id
         FROM meetings m JOIN users u ON u.key = m.organizer JOIN tenants t ON t.key = m.tenant
         WHERE m.organizer = ?1 ORDER BY m.start_time, m.key",
    )?;
    let rows = stmt.query_map([organizer], |r| {
        let attendees: String = r.get(7)?;
        Ok(MeetingRow {
            key: r.get(0)?,
            meeting_id: uuid_column(r, 1)?,
            tenant_id: uuid_column(r, 11)?,
            organizer: r.get(10)?,
            subject: r.get(2)?,
            start_time: Timestamp(r.get(3)?),
            end_time: Timestamp(r.get(4)?),
            recurrence_end: r.get::<_, Option<i64>>(5)?.map(Timestamp),
            meeting_type: parse_column(r, 6, MeetingType::parse)?,
            attendees: serde_json::from_str(&attendees).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    7,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?,
            attendee_count: r.get(8)?,
            body: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
