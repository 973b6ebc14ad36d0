using System.IO;
using System.Management.Automation;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Copies the store to a file, consistently, while it is in use.</para>
/// Uses SQLite's online backup: the copy is one self-contained file, private to you, that any session can open
/// by pointing MEETING_MIGRATION_STORE at it. An existing file is kept unless -Force is given.
/// </summary>
[Cmdlet(VerbsData.Backup, "MmsStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class BackupMmsStoreCommand : MmsCmdlet
{
    /// <summary>The file to write. Its folder must exist.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Replaces the file at -Path when there is one.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private protected override object? ErrorTarget => Path;

    private protected override void ProcessItem()
    {
        string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(file, $"Copy the store {Interop.StoreSession.Shown(Store.Path)}"))
        {
            return;
        }

        WriteProgress(new ProgressRecord(1, "Backing up the store", file) { PercentComplete = -1 });
        var copy = Store.BackupStore(file, Force);
        WriteProgress(new ProgressRecord(1, "Backing up the store", "Done") { RecordType = ProgressRecordType.Completed });
        // As Get-Item returns it: with the provider's properties, so it formats like any file.
        WriteObject(SessionState.InvokeProvider.Item.Get([copy.Path], force: true, literalPath: true), enumerateCollection: true);
    }
}
