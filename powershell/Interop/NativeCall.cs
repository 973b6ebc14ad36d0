using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>
/// The one place that calls a fallible library function: it frees every string the library returned,
/// turns a non-zero status and its error JSON into an <see cref="MmsException"/>, and decodes the result.
/// </summary>
internal static class NativeCall
{
    internal delegate int WithResult(out IntPtr result, out IntPtr error);

    internal delegate int WithoutResult(out IntPtr error);

    /// <summary>Calls <paramref name="call"/> and returns its JSON result deserialised.</summary>
    internal static T Invoke<T>(WithResult call, JsonTypeInfo<T> type)
    {
        string json = Invoke(call);
        try
        {
            return JsonSerializer.Deserialize(json, type)
                ?? throw Malformed($"null where a {typeof(T).Name} was expected");
        }
        catch (JsonException e)
        {
            throw Malformed(e.Message);
        }
    }

    /// <summary>Calls <paramref name="call"/> and returns its result string.</summary>
    internal static string Invoke(WithResult call)
    {
        int status = call(out IntPtr result, out IntPtr error);
        if (status != 0)
        {
            throw Failure(status, error);
        }

        return TakeString(result) ?? throw Malformed("no result");
    }

    internal static void Invoke(WithoutResult call)
    {
        int status = call(out IntPtr error);
        if (status != 0)
        {
            throw Failure(status, error);
        }
    }

    /// <summary>Decodes a UTF-8 string the library allocated and frees it through the library.</summary>
    internal static string? TakeString(IntPtr s)
    {
        if (s == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(s);
        }
        finally
        {
            NativeMethods.mms_string_free(s);
        }
    }

    internal static string Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    private static MmsException Failure(int status, IntPtr error)
    {
        string? json = TakeString(error);
        NativeError? parsed = null;
        if (json is not null)
        {
            try
            {
                parsed = JsonSerializer.Deserialize(json, WireJson.Default.NativeError);
            }
            catch (JsonException)
            {
                // Reported below as a status without details.
            }
        }

        return MmsException.FromNative(status, parsed);
    }

    internal static MmsException Malformed(string detail) =>
        new((int)MmsStatusCode.Internal, nameof(MmsStatusCode.Internal), ErrorCategory.InvalidResult,
            $"The meeting migration library returned an unexpected result: {detail}.", null);
}
