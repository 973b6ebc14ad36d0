using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using MeetingMigration.PowerShell.Interop;

namespace MeetingMigration.PowerShell;

/// <summary>
/// Loads and checks the native library when the module is imported and lets go of the store when it is removed.
/// </summary>
public sealed class ModuleLifecycle : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    internal const uint SupportedAbiVersion = 2;

    /// <summary>1 once the process-exit handler is registered (imports after the first find it there).</summary>
    private static int closesAtExit;

    /// <summary>
    /// Registers the resolver that maps the import name to the staged library. A module initializer runs once
    /// per load of this assembly, and PowerShell never loads it twice in a process, so <c>Import-Module -Force</c>
    /// and re-imports do not register again (a second registration would throw).
    /// </summary>
#pragma warning disable CA2255 // A module initializer is the documented way to register the resolver once per assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(ModuleLifecycle).Assembly, Resolve);

    /// <summary>Where the staged library must be: bin/&lt;os&gt;-&lt;arch&gt;/ beside this assembly.</summary>
    internal static string LibraryPath
    {
        get
        {
            string os, file;
            if (OperatingSystem.IsWindows())
            {
                (os, file) = ("win", "meeting_migration.dll");
            }
            else if (OperatingSystem.IsMacOS())
            {
                (os, file) = ("osx", "libmeeting_migration.dylib");
            }
            else
            {
                (os, file) = ("linux", "libmeeting_migration.so");
            }

            string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            string directory = Path.GetDirectoryName(typeof(ModuleLifecycle).Assembly.Location)!;
            return Path.Combine(directory, "bin", $"{os}-{arch}", file);
        }
    }

    public void OnImport()
    {
        string path = LibraryPath;
        if (!NativeLibrary.TryLoad(path, out _))
        {
            throw new FileNotFoundException(
                $"MeetingMigration cannot load its native library '{path}' (missing, or not built for this platform). Run './build.ps1 Build' to stage it.",
                path);
        }

        uint abi = NativeMethods.mms_abi_version();
        if (abi != SupportedAbiVersion)
        {
            string version = Marshal.PtrToStringUTF8(NativeMethods.mms_version()) ?? "unknown";
            throw new InvalidOperationException(
                $"MeetingMigration: the native library '{path}' (version {version}) has ABI version {abi}; this module supports ABI version {SupportedAbiVersion}. Rebuild the module and the library together.");
        }

        CheckErrorCodes(path);
        if (Interlocked.Exchange(ref closesAtExit, 1) == 0)
        {
            // Without this the store's data would stay in its -wal file after pwsh exits.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => MmsStore.CloseAll();
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo) => StoreSession.Close();

    private static void CheckErrorCodes(string path)
    {
        ErrorCodeEntry[] codes = NativeCall.Invoke(
            (out IntPtr r, out IntPtr e) => NativeMethods.mms_error_codes(out r, out e), WireJson.Default.ErrorCodeEntryArray);
        List<string> unknown = codes
            .Where(c => !Enum.IsDefined(typeof(MmsStatusCode), c.Code) || ((MmsStatusCode)c.Code).ToString() != c.Id
                || !Enum.TryParse(c.Category, out ErrorCategory _))
            .Select(c => $"{c.Code} {c.Id} ({c.Category})")
            .ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"MeetingMigration: the native library '{path}' reports status codes this module does not know: {string.Join(", ", unknown)}. Rebuild the module and the library together.");
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == NativeMethods.LibraryName && NativeLibrary.TryLoad(LibraryPath, out IntPtr library)
            ? library
            : IntPtr.Zero;
}
