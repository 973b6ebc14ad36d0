using System.Management.Automation;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Checks the whole store for damage.</para>
/// Runs SQLite's integrity check and reads every value the store holds. Slow on a large store; the store stays
/// in use meanwhile. When damage is found the store refuses writes from this session on: restore a copy.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "MmsStore")]
[OutputType(typeof(MmsStoreCheck), typeof(bool))]
public sealed class TestMmsStoreCommand : MmsCmdlet
{
    /// <summary>Returns only $true (healthy) or $false, like Test-Connection -Quiet.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    private protected override void ProcessItem()
    {
        WriteProgress(new ProgressRecord(1, "Checking the store", "Reading every page") { PercentComplete = -1 });
        MmsStoreCheck check = Store.CheckStore();
        WriteProgress(new ProgressRecord(1, "Checking the store", "Done") { RecordType = ProgressRecordType.Completed });
        WriteObject(Quiet ? check.Healthy : check);
    }
}
