using System;
using System.Management.Automation;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>An error reported by the native library: its status code, id, category and target.</summary>
public sealed class MmsException : Exception
{
    internal MmsException(int code, string id, ErrorCategory category, string message, string? target, string? hint = null)
        : base(message)
    {
        Code = code;
        Id = id;
        Category = category;
        Target = target;
        Hint = hint;
    }

    /// <summary>The numeric status the library returned.</summary>
    public int Code { get; }

    /// <summary>The error id, e.g. <c>IdentityNotFound</c>.</summary>
    public string Id { get; }

    /// <summary>The category the library chose.</summary>
    public ErrorCategory Category { get; }

    /// <summary>What the error is about (an identity, a tenant, a file), when the library named it.</summary>
    public string? Target { get; }

    /// <summary>What to try next, when the library or the cmdlet can tell; the error record's recommended action.</summary>
    public string? Hint { get; }

    /// <summary>The same error with another hint (a cmdlet knows its own parameters).</summary>
    internal MmsException WithHint(string hint) => new(Code, Id, Category, Message, Target, hint);

    /// <summary>
    /// The PowerShell error for this failure, with id <c>MeetingMigration.&lt;Id&gt;</c>; the hint, if any, is its
    /// <see cref="ErrorDetails.RecommendedAction"/> (the message stays the library's, e.g. Microsoft's not-found text).
    /// </summary>
    public ErrorRecord ToErrorRecord(object? targetObject)
    {
        var record = new ErrorRecord(this, "MeetingMigration." + Id, Category, targetObject ?? Target);
        if (!string.IsNullOrEmpty(Hint))
        {
            record.ErrorDetails = new ErrorDetails(Message) { RecommendedAction = Hint };
        }

        return record;
    }

    internal static MmsException FromNative(int status, NativeError? error)
    {
        if (error is null)
        {
            string id = Enum.IsDefined(typeof(MmsStatusCode), status) ? ((MmsStatusCode)status).ToString() : "UnknownStatus" + status;
            return new MmsException(status, id, ErrorCategory.NotSpecified,
                $"The meeting migration library failed with status {status} ({id}) and gave no details.", null);
        }

        var category = Enum.TryParse(error.Category, ignoreCase: false, out ErrorCategory parsed) ? parsed : ErrorCategory.NotSpecified;
        return new MmsException(error.Code, error.Id, category, error.Message, error.Target, error.Hint);
    }
}
