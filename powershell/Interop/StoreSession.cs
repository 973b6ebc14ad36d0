using System;
using System.IO;

namespace MeetingMigration.PowerShell.Interop;

/// <summary>
/// The process-wide store, opened lazily on first use at the path pwsh sees in
/// <c>$env:MEETING_MIGRATION_STORE</c> (read here: on Linux and macOS the library's <c>getenv</c> does not
/// see pwsh's changes) or else the platform data directory. When the variable changes between
/// commands the next command reopens on the new path.
/// </summary>
internal static class StoreSession
{
    internal const string StoreVariable = "MEETING_MIGRATION_STORE";

    private static readonly object Gate = new();
    private static MmsStore? current;

    /// <summary>The current store with a lease the caller must release.</summary>
    internal static MmsStore Lease()
    {
        string path = CurrentPath();
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

    internal static string CurrentPath()
    {
        string? configured = Environment.GetEnvironmentVariable(StoreVariable);
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? DefaultPath() : configured.Trim());
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
