using System;
using System.Collections.Generic;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>
/// An open store and its in-process worker, with one typed method per library call the cmdlets make.
/// Leases keep it open: the session holds one while the store is current, each cmdlet holds one while it
/// runs and each -AsJob job holds one until its children finish; the last release frees the handle.
/// </summary>
internal sealed unsafe class MmsStore
{
    /// <summary>Every store of the process whose handle is not released yet.</summary>
    private static readonly HashSet<MmsStore> OpenStores = [];

    private readonly MmsStoreHandle handle;
    private readonly object gate = new();
    private int leases = 1;

    private MmsStore(string path, MmsStoreHandle handle)
    {
        Path = path;
        this.handle = handle;
    }

    internal string Path { get; }

    /// <summary>Opens (the library creating it and its folder if needed) the store at <paramref name="path"/>
    /// and starts its worker; the caller holds the first lease.</summary>
    internal static MmsStore Open(string path)
    {
        CStringArgument.Other(path, "store path");
        MmsStoreHandle? handle = null;
        NativeCall.Invoke((out IntPtr error) => NativeMethods.mms_store_open(path, out handle, out error));
        var store = new MmsStore(path, handle!);
        try
        {
            NativeCall.Invoke((out IntPtr error) => NativeMethods.mms_worker_start(store.handle, null, out error));
        }
        catch
        {
            store.handle.Dispose();
            throw;
        }

        lock (OpenStores)
        {
            OpenStores.Add(store);
        }

        return store;
    }

    /// <summary>
    /// Closes every store of the process whatever its leases (the process is exiting): each library handle is
    /// released, which stops its worker and lets SQLite fold the write-ahead log back into the store file, so
    /// the file alone holds everything. A call still running in the library keeps its handle until it returns
    /// (<see cref="System.Runtime.InteropServices.SafeHandle"/> counts them).
    /// </summary>
    internal static void CloseAll()
    {
        MmsStore[] open;
        lock (OpenStores)
        {
            open = [.. OpenStores];
            OpenStores.Clear();
        }

        foreach (MmsStore store in open)
        {
            store.handle.Dispose();
        }
    }

    internal MmsStore AddLease()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(leases == 0, this);
            leases++;
        }

        return this;
    }

    internal void ReleaseLease()
    {
        bool last;
        lock (gate)
        {
            last = --leases == 0;
        }

        if (last)
        {
            lock (OpenStores)
            {
                OpenStores.Remove(this);
            }

            handle.Dispose();
        }
    }

    /// <summary>Checks the whole store for damage (slow on a large store: it reads all of it).</summary>
    internal MmsStoreCheck CheckStore() =>
        NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_store_check(handle, out r, out e),
            WireJson.Default.MmsStoreCheck);

    /// <summary>Writes a consistent copy of the store to <paramref name="path"/> (replacing a file there only when asked).</summary>
    internal StoreBackup BackupStore(string path, bool replace)
    {
        CStringArgument.Other(path, "path");
        return NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_store_backup(handle, path, replace ? 1 : 0, out r, out e),
            WireJson.Default.StoreBackup);
    }

    internal OnlineUser ResolveIdentity(string? tenant, string identity)
    {
        CStringArgument.Other(tenant, "tenant");
        CStringArgument.Identity(identity);
        return NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_identity_resolve(handle, tenant, identity, out r, out e),
            WireJson.Default.OnlineUser);
    }

    internal UsersPage ListUsers(UsersQuery query) =>
        NativeCall.Invoke(query, WireJson.Default.UsersQuery,
            (json, out r, out e) => NativeMethods.mms_users_list(handle, json, out r, out e), WireJson.Default.UsersPage);

    /// <summary>What starting each request would do, changing nothing, in one read; one preview per request, in input order.</summary>
    internal MigrationPreview[] PreviewMigrations(MigrationRequest[] requests)
    {
        MigrationPreview[] previews = NativeCall.Invoke(requests, WireJson.Default.MigrationRequestArray,
            (json, out r, out e) => NativeMethods.mms_migration_preview_batch(handle, json, out r, out e), WireJson.Default.MigrationPreviewArray);
        return previews.Length == requests.Length
            ? previews
            : throw NativeCall.Malformed($"{previews.Length} previews for {requests.Length} requests");
    }

    /// <summary>Queues the requests in one transaction; one result per request, in input order.</summary>
    internal StartResult[] StartMigrations(MigrationRequest[] requests)
    {
        StartResult[] results = NativeCall.Invoke(requests, WireJson.Default.MigrationRequestArray,
            (json, out r, out e) => NativeMethods.mms_migration_start_batch(handle, json, out r, out e), WireJson.Default.StartResultArray);
        return results.Length == requests.Length && Array.TrueForAll(results, r => r.Status is not null || r.Error is not null)
            ? results
            : throw NativeCall.Malformed($"{results.Length} batch results for {requests.Length} requests");
    }

    internal MigrationStatus[] QueryStatus(StatusQuery query) =>
        NativeCall.Invoke(query, WireJson.Default.StatusQuery,
            (json, out r, out e) => NativeMethods.mms_status_query(handle, json, out r, out e), WireJson.Default.MigrationStatusArray);

    internal MigrationSummary[] SummarizeStatus(StatusQuery query) =>
        NativeCall.Invoke(query, WireJson.Default.StatusQuery,
            (json, out r, out e) => NativeMethods.mms_status_summary(handle, json, out r, out e), WireJson.Default.MigrationSummaryArray);

    /// <summary>
    /// One request of the tenant (null: the store's default tenant) with its queue position and per-meeting
    /// outcomes; a request of another tenant is not found.
    /// </summary>
    internal MigrationStatus GetStatus(string? tenant, Guid correlationId)
    {
        CStringArgument.Other(tenant, "tenant");
        string id = correlationId.ToString();
        return NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_status_get(handle, tenant, id, out r, out e),
            WireJson.Default.MigrationStatus);
    }

    /// <summary>
    /// Many requests' records of the tenant (null: the store's default tenant) with their queue positions (no
    /// per-meeting outcomes), in order; null for a request that is not in the store or is another tenant's. One
    /// call serves every job the process follows in that tenant.
    /// </summary>
    internal MigrationStatus?[] GetStatuses(string? tenant, string[] correlationIds)
    {
        CStringArgument.Other(tenant, "tenant");
        return NativeCall.Invoke(correlationIds, WireJson.Default.StringArray,
            (json, out r, out e) => NativeMethods.mms_status_get_many(handle, tenant, json, out r, out e), WireJson.Default.MigrationStatusArray);
    }

    internal MmsTenant[] ListTenants() =>
        NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_tenants_list(handle, out r, out e),
            WireJson.Default.MmsTenantArray);

    internal MmsTenant CreateTenant(NewTenantRequest request) =>
        NativeCall.Invoke(request, WireJson.Default.NewTenantRequest,
            (json, out r, out e) => NativeMethods.mms_tenant_create(handle, json, out r, out e), WireJson.Default.MmsTenant);

    internal MmsTenant SetDefaultTenant(string tenant)
    {
        CStringArgument.Other(tenant, "tenant");
        return NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_tenant_set_default(handle, tenant, out r, out e),
            WireJson.Default.MmsTenant);
    }

    internal MmsTenant CreateSampleTenant(SampleTenantOptions options) =>
        NativeCall.Invoke(options, WireJson.Default.SampleTenantOptions,
            (json, out r, out e) => NativeMethods.mms_sample_tenant_create(handle, json, out r, out e), WireJson.Default.MmsTenant);

    internal TenantMigrationConfiguration GetMigrationConfiguration(string? tenant)
    {
        CStringArgument.Other(tenant, "tenant");
        return NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_migration_config_get(handle, tenant, out r, out e),
            WireJson.Default.TenantMigrationConfiguration);
    }

    internal TenantMigrationConfiguration SetMigrationConfiguration(string? tenant, MigrationConfigChanges changes)
    {
        CStringArgument.Other(tenant, "tenant");
        return NativeCall.Invoke(changes, WireJson.Default.MigrationConfigChanges,
            (json, out r, out e) => NativeMethods.mms_migration_config_set(handle, tenant, json, out r, out e), WireJson.Default.TenantMigrationConfiguration);
    }

    internal FaultInjection GetFaultInjection(string? tenant)
    {
        CStringArgument.Other(tenant, "tenant");
        return NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_fault_injection_get(handle, tenant, out r, out e),
            WireJson.Default.FaultInjection);
    }

    internal FaultInjection SetFaultInjection(string? tenant, FaultInjectionChanges changes)
    {
        CStringArgument.Other(tenant, "tenant");
        return NativeCall.Invoke(changes, WireJson.Default.FaultInjectionChanges,
            (json, out r, out e) => NativeMethods.mms_fault_injection_set(handle, tenant, json, out r, out e), WireJson.Default.FaultInjection);
    }

    /// <summary>Changes a user; the library queues the migration the change calls for (see <see cref="UserUpdate"/>).</summary>
    internal UserUpdate UpdateUser(UserChanges changes) =>
        NativeCall.Invoke(changes, WireJson.Default.UserChanges,
            (json, out r, out e) => NativeMethods.mms_user_update(handle, json, out r, out e), WireJson.Default.UserUpdate);

    /// <summary>The users of Microsoft audio conferencing that the query selects.</summary>
    internal DialInConferencingUser[] ListDialInUsers(DialInUsersQuery query) =>
        NativeCall.Invoke(query, WireJson.Default.DialInUsersQuery,
            (json, out r, out e) => NativeMethods.mms_dialin_users_list(handle, json, out r, out e), WireJson.Default.DialInConferencingUserArray);

    /// <summary>Replaces many users' default number; one update per user changed.</summary>
    internal UserUpdate[] SetDefaultNumber(DefaultNumberChange change) =>
        NativeCall.Invoke(change, WireJson.Default.DefaultNumberChange,
            (json, out r, out e) => NativeMethods.mms_dialin_default_number_set(handle, json, out r, out e), WireJson.Default.UserUpdateArray);

    /// <summary>Grants an upgrade policy tenant-wide (or to a group, which the library refuses); the users whose mode changed.</summary>
    internal OnlineUser[] GrantTenantUpgradePolicy(TenantUpgradePolicyGrant grant) =>
        NativeCall.Invoke(grant, WireJson.Default.TenantUpgradePolicyGrant,
            (json, out r, out e) => NativeMethods.mms_upgrade_policy_grant_tenant(handle, json, out r, out e), WireJson.Default.OnlineUserArray);

    /// <summary>Changes one of an organiser's meetings; the meeting as it is now.</summary>
    internal MmsMeeting UpdateMeeting(MeetingChanges changes) =>
        NativeCall.Invoke(changes, WireJson.Default.MeetingChanges,
            (json, out r, out e) => NativeMethods.mms_meeting_update(handle, json, out r, out e), WireJson.Default.MmsMeeting);

    internal DialInConferencingTenantSettings GetDialInSettings(string? tenant)
    {
        CStringArgument.Other(tenant, "tenant");
        return NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_dialin_settings_get(handle, tenant, out r, out e),
            WireJson.Default.DialInConferencingTenantSettings);
    }

    internal DialInConferencingTenantSettings SetDialInSettings(string? tenant, DialInSettingsChanges changes)
    {
        CStringArgument.Other(tenant, "tenant");
        return NativeCall.Invoke(changes, WireJson.Default.DialInSettingsChanges,
            (json, out r, out e) => NativeMethods.mms_dialin_settings_set(handle, tenant, json, out r, out e), WireJson.Default.DialInConferencingTenantSettings);
    }

    /// <summary>
    /// Imports users and meetings from a file of at most <paramref name="maxBytes"/> bytes (null: the library's default);
    /// <paramref name="progress"/> is called on this thread (see <see cref="ImportProgressCallback"/>).
    /// </summary>
    internal ImportSummary ImportData(string? tenant, string path, long? maxBytes, Action<ImportProgress> progress)
    {
        CStringArgument.Other(tenant, "tenant");
        CStringArgument.Other(path, "path");
        string? options = maxBytes is { } max ? $"{{\"MaxBytes\":{max.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}" : null;
        return ImportProgressCallback.Run(progress, (callback, userData, cancel) =>
            NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_data_import_with_options(handle, tenant, path, options, callback, userData, cancel, out r, out e),
                WireJson.Default.ImportSummary));
    }

    internal ExportSummary ExportData(string? tenant, string path, bool replace, Action<ImportProgress> progress)
    {
        CStringArgument.Other(tenant, "tenant");
        CStringArgument.Other(path, "path");
        return ImportProgressCallback.Run(progress, (callback, userData, cancel) =>
            NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_data_export(handle, tenant, path, replace ? 1 : 0, callback, userData, cancel, out r, out e),
                WireJson.Default.ExportSummary));
    }

    internal MmsMeeting[] ListMeetings(string? tenant, string identity)
    {
        CStringArgument.Other(tenant, "tenant");
        CStringArgument.Identity(identity);
        return NativeCall.Invoke((out IntPtr r, out IntPtr e) => NativeMethods.mms_meetings_list(handle, tenant, identity, out r, out e),
            WireJson.Default.MmsMeetingArray);
    }
}
