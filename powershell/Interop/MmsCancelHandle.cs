using System;
using System.Runtime.InteropServices;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>
/// An owned <c>mms_cancel*</c> from <c>mms_cancel_new</c>; released with <c>mms_cancel_free</c>. It must
/// outlive every library call that uses it, which the marshaller's reference count on a
/// <see cref="SafeHandle"/> argument guarantees.
/// </summary>
internal sealed class MmsCancelHandle : SafeHandle
{
    public MmsCancelHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>A new, not raised flag.</summary>
    internal static MmsCancelHandle Create()
    {
        MmsCancelHandle cancel = NativeMethods.mms_cancel_new();
        if (cancel.IsInvalid)
        {
            cancel.Dispose();
            throw new InvalidOperationException("The meeting migration library could not create a cancellation flag.");
        }

        return cancel;
    }

    /// <summary>Raises the flag; any thread, any number of times.</summary>
    internal void Cancel() => NativeMethods.mms_cancel_cancel(this);

    protected override bool ReleaseHandle()
    {
        NativeMethods.mms_cancel_free(handle);
        return true;
    }
}
