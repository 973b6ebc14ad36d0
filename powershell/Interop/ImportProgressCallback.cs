using System;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>
/// Bridges the library's <c>mms_progress_fn</c> to a managed callback for one synchronous call. The library
/// calls it on the calling thread; an exception must not unwind through native frames, so it is caught,
/// the call's <c>mms_cancel</c> flag is raised (the library then ends with status Cancelled and writes
/// nothing), the remaining progress reports are ignored and the exception is rethrown once the native call
/// returns, in place of the library's Cancelled error. That is how Ctrl+C (<c>PipelineStoppedException</c>
/// from <c>WriteProgress</c>) or <c>$ProgressPreference = 'Stop'</c> stops an import.
/// </summary>
internal sealed unsafe class ImportProgressCallback
{
    private readonly Action<ImportProgress> progress;
    private readonly MmsCancelHandle cancel;
    private ExceptionDispatchInfo? failure;

    private ImportProgressCallback(Action<ImportProgress> progress, MmsCancelHandle cancel)
    {
        this.progress = progress;
        this.cancel = cancel;
    }

    /// <summary>
    /// Calls <paramref name="call"/> with the unmanaged callback, its user data and a cancellation flag,
    /// all valid until it returns; the flag is freed afterwards whatever happens.
    /// </summary>
    internal static T Run<T>(Action<ImportProgress> progress, Func<IntPtr, IntPtr, MmsCancelHandle, T> call)
    {
        using MmsCancelHandle cancel = MmsCancelHandle.Create();
        var state = new ImportProgressCallback(progress, cancel);
        GCHandle pin = GCHandle.Alloc(state);
        try
        {
            delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> callback = &OnProgress;
            T result;
            try
            {
                result = call((IntPtr)callback, GCHandle.ToIntPtr(pin), cancel);
            }
            catch (MmsException) when (state.failure is not null)
            {
                // The library's Cancelled error only echoes the callback's failure: report the cause.
                state.failure.Throw();
                throw;
            }

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
                    state.cancel.Cancel();
                }
            }
        }
        catch
        {
            // Nothing may unwind into the library.
        }
    }
}
