using System;
using System.IO;
using System.Management.Automation;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>
/// The process-wide store, opened lazily on first use at the path pwsh sees in
/// <c>$env:MEETING_MIGRATION_STORE</c> (read here: on Linux and macOS the library's <c>getenv</c> does not
/// see pwsh's changes) or else the platform data directory. The variable is read as a path parameter
/// would be: <c>~</c> is the home folder and a relative path is relative to PowerShell's current location
/// (<c>$PWD</c>, which Set-Location changes but the process's working directory does not follow). When the
/// resolved path changes between commands the next command reopens on the new path.
/// </summary>
internal static class StoreSession
{
    internal const string StoreVariable = "MEETING_MIGRATION_STORE";

    private static readonly object Gate = new();
    private static MmsStore? current;
    private static volatile string? lastLocation;

    /// <summary>
    /// The current store with a lease the caller must release. <paramref name="location"/> is the session's
    /// paths (a cmdlet's <c>SessionState.Path</c>), which a relative store path is resolved against.
    /// </summary>
    internal static MmsStore Lease(PathIntrinsics? location)
    {
        string path = CurrentPath(location);
        lock (Gate)
        {
            if (current is null || !string.Equals(current.Path, path, StringComparison.Ordinal))
            {
                MmsStore opened = MmsStore.Open(path);
                current?.ReleaseLease();
                current = opened;
            }

            return current.AddLease();
        }
    }

    /// <summary>Lets go of the current store (module removal); running jobs keep their own lease.</summary>
    internal static void Close()
    {
        lock (Gate)
        {
            current?.ReleaseLease();
            current = null;
        }
    }

    internal static string CurrentPath(PathIntrinsics? location)
    {
        string? configured = Environment.GetEnvironmentVariable(StoreVariable)?.Trim();
        string folder = CurrentDirectory(location);
        if (string.IsNullOrEmpty(configured))
        {
            return Path.GetFullPath(DefaultPath(), folder);
        }

        // A PostgreSQL URI is a location on a server, not a path: passed on as it is.
        if (IsDatabaseUri(configured))
        {
            return configured;
        }

        // A PowerShell path (TestDrive:\x.db, ~/x.db, ..\x.db) as the FileSystem provider reads it.
        if (location is not null)
        {
            try
            {
                string resolved = location.GetUnresolvedProviderPathFromPSPath(configured, out ProviderInfo provider, out _);
                if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                {
                    return resolved;
                }
            }
            catch (Exception e) when (e is ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or NotSupportedException
                or PSInvalidOperationException or ArgumentException or ItemNotFoundException)
            {
                // Not a path of the FileSystem provider (e.g. the current location is Env:): read it below.
            }
        }

        return Path.GetFullPath(WithHome(configured), folder);
    }

    /// <summary>
    /// The location as messages show it: a database URI without its password (in the user information
    /// or a <c>password=</c> parameter); a path as it is.
    /// </summary>
    internal static string Shown(string location)
    {
        if (!IsDatabaseUri(location))
        {
            return location;
        }

        int start = location.IndexOf("://", StringComparison.Ordinal) + 3;
        int end = location.IndexOfAny(new[] { '/', '?' }, start);
        string authority = end < 0 ? location[start..] : location[start..end];
        string rest = end < 0 ? string.Empty : location[end..];
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            string user = authority[..at];
            int colon = user.IndexOf(':');
            authority = (colon < 0 ? user : user[..colon]) + authority[at..];
        }

        rest = System.Text.RegularExpressions.Regex.Replace(
            rest, "([?&]password=)[^&]*", "$1***", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return location[..start] + authority + rest;
    }

    /// <summary>True for a <c>postgresql://</c> or <c>postgres://</c> store location (a shared store).</summary>
    internal static bool IsDatabaseUri(string location) =>
        location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>~</c> and <c>~/…</c> in the home folder, as the FileSystem provider reads them.</summary>
    private static string WithHome(string path)
    {
        bool home = path == "~" || (path.Length > 1 && path[0] == '~'
            && (path[1] == Path.DirectorySeparatorChar || path[1] == Path.AltDirectorySeparatorChar));
        return home
            ? Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[1..].TrimStart('/', '\\'))
            : path;
    }

    /// <summary>
    /// PowerShell's current file-system location from <paramref name="location"/>; without one (argument
    /// completers have no session state to ask) the location the last command saw, else the process's folder.
    /// </summary>
    private static string CurrentDirectory(PathIntrinsics? location)
    {
        string? current = null;
        try
        {
            current = location?.CurrentFileSystemLocation.ProviderPath;
        }
        catch (PSInvalidOperationException)
        {
            // No file-system location in this runspace.
        }

        if (Path.IsPathFullyQualified(current ?? ""))
        {
            lastLocation = current;
            return current!;
        }

        return lastLocation ?? Environment.CurrentDirectory;
    }

    private static string DefaultPath()
    {
        string dataHome;
        if (OperatingSystem.IsWindows())
        {
            dataHome = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        }
        else
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            dataHome = string.IsNullOrEmpty(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
                : xdg;
        }

        return Path.Combine(dataHome, "MeetingMigration", "mms.db");
    }
}
