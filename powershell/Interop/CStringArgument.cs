using System.Management.Automation;
using System.Text;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>
/// The one check of every string the module passes to the library as a C string (identities, paths,
/// tenant ids): a C string ends at its first NUL, so a value holding one would reach the library cut
/// short and the shortened value would be used (<c>ok.json`0x.csv</c> would import <c>ok.json</c>). Such a
/// value is refused here with the error the library gives for a NUL it can see (JSON arguments carry the
/// NUL through, so <c>Start-CsExMeetingMigration</c> gets that error from the library itself).
/// </summary>
internal static class CStringArgument
{
    /// <summary>Characters of a value an error message quotes, as the library does.</summary>
    private const int ShownChars = 64;

    /// <summary>Returns <paramref name="identity"/>, or throws MalformedIdentity when it holds a NUL.</summary>
    internal static string Identity(string identity) =>
        identity.Contains('\0')
            ? throw Refuse(MmsStatusCode.MalformedIdentity, $"The identity \"{Shorten(identity)}\" contains a NUL character, which no identity can contain.", identity)
            : identity;

    /// <summary>Returns <paramref name="value"/> (null too), or throws InvalidArgument when it holds a NUL.</summary>
    internal static string? Other(string? value, string what) =>
        value is not null && value.Contains('\0')
            ? throw Refuse(MmsStatusCode.InvalidArgument, $"The {what} \"{Shorten(value)}\" contains a NUL character, which no {what} can contain.", value)
            : value;

    private static MmsException Refuse(MmsStatusCode code, string message, string value) =>
        new((int)code, code.ToString(), ErrorCategory.InvalidArgument, message, value.Length > 256 ? value[..256] : value);

    /// <summary>At most 64 characters, then "…"; a NUL shown as <c>\0</c>; quotes doubled.</summary>
    private static string Shorten(string value)
    {
        var shown = new StringBuilder();
        int count = 0;
        foreach (Rune rune in value.EnumerateRunes())
        {
            if (count++ == ShownChars)
            {
                shown.Append('…');
                break;
            }

            shown.Append(rune.Value == 0 ? "\\0" : rune.ToString());
        }

        return shown.Replace("\"", "\"\"").ToString();
    }
}
