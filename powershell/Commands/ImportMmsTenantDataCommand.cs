using System.Management.Automation;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Imports users and meetings (JSON) or users (CSV) into a tenant, all or nothing.</para>
/// Shows progress on large files; an error names the record and field at fault and nothing is imported.
/// </summary>
[Cmdlet(VerbsData.Import, "MmsTenantData", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ImportSummary))]
public sealed class ImportMmsTenantDataCommand : TenantCmdlet
{
    private const int ActivityId = 1;
    private const string Activity = "Importing tenant data";

    /// <summary>The JSON or CSV file.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The largest file read, in bytes (e.g. <c>1GB</c>); by default 256 MiB, about a million users.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long MaximumFileSize { get; set; }

    private protected override object? ErrorTarget => Path;

    private protected override void ProcessItem()
    {
        string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(file, $"Import users and meetings into tenant {TenantArgument ?? "(default)"}"))
        {
            return;
        }

        long? maxBytes = MyInvocation.BoundParameters.ContainsKey(nameof(MaximumFileSize)) ? MaximumFileSize : null;
        ImportSummary? summary = null;
        try
        {
            summary = Store.ImportData(TenantArgument, file, maxBytes, p => WriteProgress(new ProgressRecord(ActivityId, Activity, $"{p.Done} of {p.Total} records")
            {
                PercentComplete = p.Total > 0 ? (int)(p.Done * 100 / p.Total) : 0,
            }));
        }
        finally
        {
            // Ctrl+C during the commit: the import is done, and its summary must still reach the user.
            WriteCommitted(
                [summary],
                s =>
                {
                    WriteProgress(new ProgressRecord(ActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
                    if (s is not null)
                    {
                        WriteObject(s);
                    }
                },
                s => s is null ? null : $"  {s.Users} users and {s.Meetings} meetings from {file}",
                "Import-MmsTenantData was stopped after its import was committed; it imported:");
        }
    }
}
