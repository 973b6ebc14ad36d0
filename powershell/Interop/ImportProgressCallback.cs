using System;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>
/// Bridges the library's <c>mms_progress_fn</c> to a managed callback for one synchronous call. The library
/// calls it on the calling thread; an exception must not unwind through native frames, so it is caught,
/// the remaining progress reports are ignored and the exception is rethrown once the native call returns.
/// </summary>
internal sealed unsafe class ImportProgressCallback
{
    private readonly Action<ImportProgress> progress;
    private ExceptionDispatchInfo? failure;

    private ImportProgressCallback(Action<ImportProgress> progress) => this.progress = progress;

    internal static T Run<T>(Action<ImportProgress> progress, Func<IntPtr, IntPtr, T> call)
    {
        var state = new ImportProgressCallback(progress);
        GCHandle pin = GCHandle.Alloc(state);
        try
        {
            delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> callback = &OnProgress;
            T result = call((IntPtr)callback, GCHandle.ToIntPtr(pin));
            state.failure?.Throw();
            return result;
        }
        finally
        {
            pin.Free();
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static void OnProgress(IntPtr userData, IntPtr json)
    {
        try
        {
            var state = (ImportProgressCallback)GCHandle.FromIntPtr(userData).Target!;
            if (state.failure is null && json != IntPtr.Zero)
            {
                try
                {
                    string text = Marshal.PtrToStringUTF8(json)!;
                    state.progress(JsonSerializer.Deserialize(text, WireJson.Default.ImportProgress)!);
                }
                catch (Exception e)
                {
                    state.failure = ExceptionDispatchInfo.Capture(e);
                }
            }
        }
        catch
        {
            // Nothing may unwind into the library.
        }
    }
}
