using System;
using System.Runtime.InteropServices;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>An owned <c>mms_store*</c>; released with <c>mms_store_free</c>, which also stops the store's worker.</summary>
internal sealed class MmsStoreHandle : SafeHandle
{
    public MmsStoreHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.mms_store_free(handle);
        return true;
    }
}
