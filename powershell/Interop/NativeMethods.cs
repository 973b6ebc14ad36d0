using System;
using System.Runtime.InteropServices;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>
/// P/Invoke declarations for the functions of include/meeting_migration.h that the module uses.
/// Every string the library returns arrives as an <see cref="IntPtr"/> and is decoded and freed by
/// <see cref="NativeCall"/>; JSON inputs are NUL-terminated UTF-8 buffers (<c>byte*</c>) that
/// <see cref="NativeCall"/> writes, other input strings are marshalled as UTF-8. The import name is fixed and
/// mapped to the staged file by the resolver <see cref="ModuleLifecycle"/> registers.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string LibraryName = "meeting_migration";

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mms_version();

    [LibraryImport(LibraryName)]
    internal static partial uint mms_abi_version();

    [LibraryImport(LibraryName)]
    internal static partial void mms_string_free(IntPtr s);

    [LibraryImport(LibraryName)]
    internal static partial int mms_error_codes(out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_upgrade_policies_list(string? identity, string? filter, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_store_open(string? path, out MmsStoreHandle outStore, out IntPtr outError);

    [LibraryImport(LibraryName)]
    internal static partial void mms_store_free(IntPtr store);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_worker_start(MmsStoreHandle store, string? optionsJson, out IntPtr outError);

    [LibraryImport(LibraryName)]
    internal static partial int mms_store_check(MmsStoreHandle store, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_store_backup(MmsStoreHandle store, string path, int replace, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_identity_resolve(MmsStoreHandle store, string? tenant, string identity, out IntPtr outUserJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_users_list(MmsStoreHandle store, byte* queryJson, out IntPtr outPageJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_migration_preview_batch(MmsStoreHandle store, byte* requestsJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_migration_start_batch(MmsStoreHandle store, byte* requestsJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_status_query(MmsStoreHandle store, byte* queryJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_status_summary(MmsStoreHandle store, byte* queryJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_status_get(MmsStoreHandle store, string? tenant, string correlationId, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_status_get_many(MmsStoreHandle store, string? tenant, byte* correlationIdsJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName)]
    internal static partial int mms_tenants_list(MmsStoreHandle store, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_tenant_create(MmsStoreHandle store, byte* tenantJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_tenant_set_default(MmsStoreHandle store, string tenant, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_migration_config_get(MmsStoreHandle store, string? tenant, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_migration_config_set(MmsStoreHandle store, string? tenant, byte* changesJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_fault_injection_get(MmsStoreHandle store, string? tenant, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_fault_injection_set(MmsStoreHandle store, string? tenant, byte* changesJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_user_update(MmsStoreHandle store, byte* changesJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_dialin_users_list(MmsStoreHandle store, byte* queryJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_dialin_default_number_set(MmsStoreHandle store, byte* changeJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_upgrade_policy_grant_tenant(MmsStoreHandle store, byte* grantJson, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_dialin_settings_get(MmsStoreHandle store, string? tenant, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_dialin_settings_set(MmsStoreHandle store, string? tenant, byte* changesJson, out IntPtr outJson, out IntPtr outError);

    /// <param name="optionsJson">NULL, or <c>{"MaxBytes":n}</c>: the largest file accepted (default 256 MiB).</param>
    /// <param name="progress">An unmanaged <c>void (*)(void *user_data, const char *json)</c>, called on the calling thread.</param>
    /// <param name="cancel">Raised (by <paramref name="progress"/> or another thread), the import ends with status Cancelled and writes nothing.</param>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_data_import_with_options(MmsStoreHandle store, string? tenant, string path, string? optionsJson, IntPtr progress, IntPtr userData, MmsCancelHandle cancel, out IntPtr outSummaryJson, out IntPtr outError);

    /// <param name="replace">0 to fail with AlreadyExists when <paramref name="path"/> exists; non-zero to replace it.</param>
    /// <param name="progress">An unmanaged <c>void (*)(void *user_data, const char *json)</c>, called on the calling thread.</param>
    /// <param name="cancel">Raised (by <paramref name="progress"/> or another thread), the export ends with status Cancelled and leaves no file.</param>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_data_export(MmsStoreHandle store, string? tenant, string path, int replace, IntPtr progress, IntPtr userData, MmsCancelHandle cancel, out IntPtr outSummaryJson, out IntPtr outError);

    [LibraryImport(LibraryName)]
    internal static partial MmsCancelHandle mms_cancel_new();

    [LibraryImport(LibraryName)]
    internal static partial void mms_cancel_cancel(MmsCancelHandle cancel);

    [LibraryImport(LibraryName)]
    internal static partial void mms_cancel_free(IntPtr cancel);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_sample_tenant_create(MmsStoreHandle store, byte* optionsJson, out IntPtr outTenantJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_meetings_list(MmsStoreHandle store, string? tenant, string identity, out IntPtr outJson, out IntPtr outError);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mms_meeting_update(MmsStoreHandle store, byte* changesJson, out IntPtr outJson, out IntPtr outError);
}
