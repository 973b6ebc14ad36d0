using System.IO;
using System.Management.Automation;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Writes a tenant's users, meetings and settings to a JSON file that Import-MmsTenantData reads back.</para>
/// The file is private to you and appears whole or not at all; an existing file is kept unless -Force is given, and a
/// symbolic link at -Path is replaced, never written through.
/// </summary>
[Cmdlet(VerbsData.Export, "MmsTenantData", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class ExportMmsTenantDataCommand : TenantCmdlet
{
    private const int ActivityId = 1;
    private const string Activity = "Exporting tenant data";

    /// <summary>The .json file to write. Its folder must exist.</summary>
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
        if (!ShouldProcess(file, $"Export the users, meetings and settings of tenant {TenantArgument ?? "(default)"}"))
        {
            return;
        }

        var summary = Store.ExportData(TenantArgument, file, Force, p => WriteProgress(new ProgressRecord(ActivityId, Activity, $"{p.Done} of {p.Total} steps")
        {
            PercentComplete = p.Total > 0 ? (int)(p.Done * 100 / p.Total) : 0,
        }));
        WriteProgress(new ProgressRecord(ActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        WriteVerbose($"Exported {summary.Users} users and {summary.Meetings} meetings to {summary.Path}.");
        // As Get-Item returns it: with the provider's properties, so it formats like any file.
        WriteObject(SessionState.InvokeProvider.Item.Get([summary.Path], force: true, literalPath: true), enumerateCollection: true);
    }
}
