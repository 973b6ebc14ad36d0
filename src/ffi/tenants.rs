//! Tenants (`mms_tenant*`, `mms_sample_tenant_create`) and their settings: the migration
//! configuration (`mms_migration_config_*`) and the dial-in settings
//! (`mms_dialin_settings_*`).

use libc::c_char;

use crate::directory::sample::SampleOptions;
use crate::model::{
    DialInSettingsChanges, FaultInjectionChanges, MigrationConfigurationChanges, NewTenant,
};

use super::args;
use super::panic::boundary;
use super::store::MmsStore;

/// The store's tenants.
///
/// - `store`: required.
/// - `out_json`: required; on success receives
///   `[{"TenantId","Name","Domains":[{"Name","NetBiosName"}],"IsDefault","UserCount"}...]`
///   (free with `mms_string_free`). Untouched on failure.
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_tenants_list(
    store: *const MmsStore,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_tenants_list", out_error, || {
        let service = MmsStore::service(store)?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.tenants()?)
    })
}

/// Creates a tenant; the store's first tenant becomes its default.
///
/// - `store`: required.
/// - `tenant_json`: required;
///   `{"TenantId":null|"guid","Name":"Contoso","Domains":[{"Name":"contoso.com","NetBiosName":"CONTOSO"}],"Default":false}`.
/// - `out_json`: required; on success receives the Tenant JSON (free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (`MMS_STATUS_ALREADY_EXISTS`, ...).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_tenant_create(
    store: *const MmsStore,
    tenant_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_tenant_create", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant: NewTenant = args::json(tenant_json, "tenant_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.create_tenant(&tenant)?)
    })
}

/// Creates the deterministic sample tenant (John and Ken Myer, `user1..userN@contoso.com`
/// and their meetings). The store's first tenant becomes its default.
///
/// - `store`: required.
/// - `options_json`: NULL for the defaults, or any of
///   `{"TenantId":null|"guid","UserCount":100,"MeetingsPerUser":4,"Seed":1}`.
/// - `out_tenant_json`: required; on success receives the Tenant JSON (free with
///   `mms_string_free`). Untouched on failure.
/// - `out_error`: NULL, or receives the error JSON on failure (`MMS_STATUS_ALREADY_EXISTS`
///   when the tenant exists).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_sample_tenant_create(
    store: *const MmsStore,
    options_json: *const c_char,
    out_tenant_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_sample_tenant_create", out_error, || {
        let service = MmsStore::service(store)?;
        let options: SampleOptions = args::optional_json(options_json, "options_json")?;
        let out = args::out(out_tenant_json, "out_tenant_json")?;
        out.json(&service.create_sample_tenant(&options)?)
    })
}

/// The store's default tenant.
///
/// - `store`: required.
/// - `out_json`: required; on success receives the Tenant JSON (free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (`MMS_STATUS_NO_DEFAULT_TENANT`
///   when the store has no tenant).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_tenant_get_default(
    store: *const MmsStore,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_tenant_get_default", out_error, || {
        let service = MmsStore::service(store)?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.tenant(None)?)
    })
}

/// Makes a tenant the store's default.
///
/// - `store`: required.
/// - `tenant`: required; the tenant id (GUID).
/// - `out_json`: required; on success receives the Tenant JSON (free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_tenant_set_default(
    store: *const MmsStore,
    tenant: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_tenant_set_default", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::string(tenant, "tenant")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.set_default_tenant(tenant)?)
    })
}

/// A tenant's migration configuration.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `out_json`: required; on success receives
///   `{"Identity":"Global","TenantId","MeetingMigrationEnabled","HoldMinutes"}` (free with
///   `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_migration_config_get(
    store: *const MmsStore,
    tenant: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_migration_config_get", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.migration_configuration(tenant)?)
    })
}

/// Changes a tenant's migration configuration.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `changes_json`: required; any subset of
///   `{"MeetingMigrationEnabled":bool,"HoldMinutes":int,"TimeScale":int}`.
/// - `out_json`: required; on success receives the configuration after the change (free
///   with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_migration_config_set(
    store: *const MmsStore,
    tenant: *const c_char,
    changes_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_migration_config_set", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let changes: MigrationConfigurationChanges = args::json(changes_json, "changes_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.set_migration_configuration(tenant, &changes)?)
    })
}

/// A tenant's fault injection.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `out_json`: required; on success receives
///   `{"TransientFailureRate":0.0,"PermanentFailureRate":0.0,"Seed":0}` (free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_fault_injection_get(
    store: *const MmsStore,
    tenant: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_fault_injection_get", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.fault_injection(tenant)?)
    })
}

/// Changes a tenant's fault injection: the worker then fails that fraction of batches
/// transiently (retried with back-off) and of meetings for good, drawn from the seed.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `changes_json`: required; any subset of
///   `{"TransientFailureRate":0..1,"PermanentFailureRate":0..1,"Seed":int}`.
/// - `out_json`: required; on success receives the fault injection after the change (free
///   with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Errors: `MMS_STATUS_INVALID_ARGUMENT` for a rate outside 0..1, tenant errors.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_fault_injection_set(
    store: *const MmsStore,
    tenant: *const c_char,
    changes_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_fault_injection_set", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let changes: FaultInjectionChanges = args::json(changes_json, "changes_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.set_fault_injection(tenant, &changes)?)
    })
}

/// A tenant's dial-in conferencing settings.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `out_json`: required; on success receives
///   `{"Identity":"Global","TenantId","AutomaticallyMigrateUserMeetings","AutomaticallyReplaceAcpProvider","AutomaticallySendEmailsToUsers","PinLength","DefaultTollNumber","DefaultTollFreeNumber"}`
///   (free with `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_dialin_settings_get(
    store: *const MmsStore,
    tenant: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_dialin_settings_get", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.dial_in_settings(tenant)?)
    })
}

/// Changes a tenant's dial-in conferencing settings.
///
/// - `store`: required.
/// - `tenant`: NULL or `""` for the default tenant, else a tenant id (GUID).
/// - `changes_json`: required; any subset of the settings' fields except `Identity` and
///   `TenantId`.
/// - `out_json`: required; on success receives the settings after the change (free with
///   `mms_string_free`).
/// - `out_error`: NULL, or receives the error JSON on failure (free with `mms_string_free`).
///
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn mms_dialin_settings_set(
    store: *const MmsStore,
    tenant: *const c_char,
    changes_json: *const c_char,
    out_json: *mut *mut c_char,
    out_error: *mut *mut c_char,
) -> i32 {
    boundary("mms_dialin_settings_set", out_error, || {
        let service = MmsStore::service(store)?;
        let tenant = args::optional_string(tenant, "tenant")?;
        let changes: DialInSettingsChanges = args::json(changes_json, "changes_json")?;
        let out = args::out(out_json, "out_json")?;
        out.json(&service.set_dial_in_settings(tenant, &changes)?)
    })
}
