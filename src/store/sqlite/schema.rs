//! The SQLite schema as ordered upgrade steps. A store records the steps it has in
//! `schema_version`; opening applies the missing ones in order, in one transaction each.
//! Never edit a step that has shipped: add a new one.

/// Marks the file as a MeetingMigration store (`PRAGMA application_id`, "MMS1").
pub const APPLICATION_ID: i32 = 0x4D4D_5331;

/// The upgrade steps; step `i` takes a store from version `i` to `i + 1`.
pub const STEPS: &[&str] = &[
    // 1: the directory: tenants with their settings, domains, users, meetings.
    r#"
    CREATE TABLE tenants(
        key INTEGER PRIMARY KEY,
        tenant_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        is_default INTEGER NOT NULL DEFAULT 0,
        meeting_migration_enabled INTEGER NOT NULL DEFAULT 1,
        hold_minutes INTEGER NOT NULL DEFAULT 0,
        auto_migrate_user_meetings INTEGER NOT NULL DEFAULT 1,
        auto_replace_acp_provider INTEGER NOT NULL DEFAULT 0,
        auto_send_emails INTEGER NOT NULL DEFAULT 1,
        pin_length INTEGER NOT NULL DEFAULT 5,
        bridge_toll_number TEXT,
        bridge_toll_free_number TEXT,
        -- Kept by imports, so listing tenants never counts a million users.
        user_count INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX tenants_one_default ON tenants(is_default) WHERE is_default = 1;
    CREATE TABLE tenant_domains(
        tenant INTEGER NOT NULL REFERENCES tenants(key),
        name_key TEXT NOT NULL,
        name TEXT NOT NULL,
        net_bios_name TEXT NOT NULL,
        UNIQUE(tenant, name_key)
    );
    CREATE TABLE users(
        key INTEGER PRIMARY KEY,
        tenant INTEGER NOT NULL REFERENCES tenants(key),
        object_id TEXT NOT NULL,
        upn TEXT NOT NULL,
        upn_key TEXT NOT NULL,
        sip TEXT,
        sip_key TEXT,
        sam TEXT,
        windows_logon TEXT,
        logon_key TEXT,
        display_name TEXT NOT NULL,
        display_key TEXT NOT NULL,
        dn TEXT,
        dn_key TEXT,
        mode TEXT NOT NULL,
        toll TEXT,
        toll_free TEXT
    );
    CREATE UNIQUE INDEX users_by_object_id ON users(tenant, object_id);
    CREATE UNIQUE INDEX users_by_upn ON users(tenant, upn_key);
    CREATE UNIQUE INDEX users_by_sip ON users(tenant, sip_key);
    CREATE UNIQUE INDEX users_by_logon ON users(tenant, logon_key);
    CREATE UNIQUE INDEX users_by_dn ON users(tenant, dn_key);
    CREATE INDEX users_by_display_name ON users(tenant, display_key);
    CREATE TABLE meetings(
        key INTEGER PRIMARY KEY,
        meeting_id TEXT NOT NULL UNIQUE,
        tenant INTEGER NOT NULL REFERENCES tenants(key),
        organizer INTEGER NOT NULL REFERENCES users(key),
        subject TEXT NOT NULL,
        start_time INTEGER NOT NULL,
        end_time INTEGER NOT NULL,
        recurrence_end INTEGER,
        meeting_type TEXT NOT NULL,
        attendees TEXT NOT NULL,
        attendee_count INTEGER NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX meetings_by_organizer ON meetings(organizer);
    "#,
    // 2: the migration queue and per-meeting outcomes; meetings count their rewrites.
    r#"
    ALTER TABLE meetings ADD COLUMN rewrite_count INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE requests(
        key INTEGER PRIMARY KEY,
        correlation_id TEXT NOT NULL UNIQUE,
        tenant INTEGER NOT NULL REFERENCES tenants(key),
        user_key INTEGER NOT NULL REFERENCES users(key),
        user_id TEXT NOT NULL,
        upn TEXT NOT NULL,
        source_type TEXT NOT NULL,
        target_type TEXT NOT NULL,
        migration_type TEXT NOT NULL,
        state TEXT NOT NULL,
        retry_count INTEGER NOT NULL DEFAULT 0,
        total_meeting INTEGER NOT NULL DEFAULT 0,
        succeeded_meeting INTEGER NOT NULL DEFAULT 0,
        failed_meeting INTEGER NOT NULL DEFAULT 0,
        invites_update INTEGER NOT NULL DEFAULT 0,
        last_message TEXT,
        create_date INTEGER NOT NULL,
        modified_date INTEGER NOT NULL,
        not_before INTEGER NOT NULL,
        lease_owner TEXT,
        lease_expires INTEGER,
        snapshot_taken INTEGER NOT NULL DEFAULT 0,
        -- When the first transient failure happened: the retry window starts there.
        first_failure_date INTEGER
    );
    -- At most one open request per user, whatever the number of processes starting them.
    CREATE UNIQUE INDEX requests_one_open_per_user ON requests(user_key)
        WHERE state IN ('Pending', 'InProgress');
    CREATE INDEX requests_by_state ON requests(state, key);
    CREATE INDEX requests_by_user ON requests(user_key, key);
    CREATE INDEX requests_by_creation ON requests(tenant, create_date);
    CREATE TABLE outcomes(
        request INTEGER NOT NULL REFERENCES requests(key),
        meeting INTEGER NOT NULL REFERENCES meetings(key),
        outcome TEXT NOT NULL,
        message TEXT,
        invites_update INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY(request, meeting)
    ) WITHOUT ROWID;
    "#,
    // 3: what Get-CsOnlineUser shows of a user besides its lookup keys, as one JSON
    // record (`UserProfile`); users of older stores read as enabled `User` accounts. The
    // other documented dial-in settings of a tenant, as one JSON record (`DialInOptions`);
    // older tenants read Microsoft's defaults.
    r#"
    ALTER TABLE users ADD COLUMN profile TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE tenants ADD COLUMN dial_in_options TEXT NOT NULL DEFAULT '{}';
    "#,
    // 4: what started each request (rows queued before read `Admin`: only admins started
    // them); a tenant's time scale for its hold, back-off and retry window (1 = real time)
    // and its fault injection (off: both rates 0).
    r#"
    ALTER TABLE requests ADD COLUMN triggered_by TEXT NOT NULL DEFAULT 'Admin';
    ALTER TABLE tenants ADD COLUMN time_scale INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE tenants ADD COLUMN fault_transient_rate REAL NOT NULL DEFAULT 0;
    ALTER TABLE tenants ADD COLUMN fault_permanent_rate REAL NOT NULL DEFAULT 0;
    ALTER TABLE tenants ADD COLUMN fault_seed INTEGER NOT NULL DEFAULT 0;
    "#,
    // 5: a tenant's domains in the order they were added straight from an index (rowid
    // order within a tenant), so reading a tenant (every batch start, every unsuccessful
    // resolution) no longer sorts them in a temporary table.
    r#"
    CREATE INDEX tenant_domains_in_order ON tenant_domains(tenant);
    "#,
];
