using System;
using System.Buffers;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>
/// The one place that calls a fallible library function: it frees every string the library returned,
/// turns a non-zero status and its error JSON into an <see cref="MmsException"/>, and decodes the result.
/// JSON crosses as UTF-8 both ways without a UTF-16 copy: inputs are written into a reused, NUL-terminated
/// buffer and results are read straight from the library's memory before it is freed (a batch of status
/// records would otherwise be a large-object-heap string per call).
/// </summary>
internal static unsafe class NativeCall
{
    internal delegate int WithResult(out IntPtr result, out IntPtr error);

    internal delegate int WithoutResult(out IntPtr error);

    /// <summary>A library call that takes one NUL-terminated UTF-8 JSON argument.</summary>
    internal delegate int WithJson(byte* json, out IntPtr result, out IntPtr error);

    /// <summary>Per thread, so job pollers and the pipeline thread never share one.</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? jsonBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? jsonWriter;

    /// <summary>Calls <paramref name="call"/> and returns its JSON result deserialised.</summary>
    internal static T Invoke<T>(WithResult call, JsonTypeInfo<T> type)
    {
        int status = call(out IntPtr result, out IntPtr error);
        if (status != 0)
        {
            throw Failure(status, error);
        }

        return Take(result, type);
    }

    /// <summary>Serialises <paramref name="argument"/>, calls <paramref name="call"/> with it and returns its JSON result deserialised.</summary>
    internal static TResult Invoke<TArgument, TResult>(TArgument argument, JsonTypeInfo<TArgument> argumentType, WithJson call, JsonTypeInfo<TResult> resultType)
    {
        ArrayBufferWriter<byte> buffer = jsonBuffer ??= new ArrayBufferWriter<byte>(1024);
        Utf8JsonWriter writer = jsonWriter ??= new Utf8JsonWriter(buffer);
        try
        {
            writer.Reset(buffer);
            JsonSerializer.Serialize(writer, argument, argumentType);
            writer.Flush();
            buffer.GetSpan(1)[0] = 0;
            buffer.Advance(1);
            int status;
            IntPtr result, error;
            fixed (byte* json = buffer.WrittenSpan)
            {
                status = call(json, out result, out error);
            }

            if (status != 0)
            {
                throw Failure(status, error);
            }

            return Take(result, resultType);
        }
        finally
        {
            buffer.ResetWrittenCount();
        }
    }

    internal static void Invoke(WithoutResult call)
    {
        int status = call(out IntPtr error);
        if (status != 0)
        {
            throw Failure(status, error);
        }
    }

    /// <summary>Deserialises the UTF-8 JSON the library allocated at <paramref name="s"/>, then frees it through the library.</summary>
    private static T Take<T>(IntPtr s, JsonTypeInfo<T> type)
    {
        if (s == IntPtr.Zero)
        {
            throw Malformed("no result");
        }

        try
        {
            return JsonSerializer.Deserialize(MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)s), type)
                ?? throw Malformed($"null where a {typeof(T).Name} was expected");
        }
        catch (JsonException e)
        {
            throw Malformed(e.Message);
        }
        finally
        {
            NativeMethods.mms_string_free(s);
        }
    }

    private static MmsException Failure(int status, IntPtr error)
    {
        NativeError? parsed = null;
        if (error != IntPtr.Zero)
        {
            try
            {
                parsed = Take(error, WireJson.Default.NativeError);
            }
            catch (MmsException)
            {
                // Malformed error JSON: reported below as a status without details.
            }
        }

        return MmsException.FromNative(status, parsed);
    }

    internal static MmsException Malformed(string detail) =>
        new((int)MmsStatusCode.Internal, nameof(MmsStatusCode.Internal), ErrorCategory.InvalidResult,
            $"The meeting migration library returned an unexpected result: {detail}.", null);
}
