using System;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// Base of every cmdlet of the module: leases the process-wide store on first use, releases it when the
/// pipeline ends, and turns library errors of a record into non-terminating <see cref="ErrorRecord"/>s.
/// </summary>
public abstract class MmsCmdlet : PSCmdlet, IDisposable
{
    private MmsStore? store;
    private bool? verboseEnabled;

    /// <summary>The store, opened (or reopened on a new <c>$env:MEETING_MIGRATION_STORE</c>) on first use.</summary>
    private protected MmsStore Store => store ??= StoreSession.Lease();

    /// <summary>The object a library error is about when the cmdlet has no better one (e.g. its -Identity).</summary>
    private protected virtual object? ErrorTarget => null;

    /// <summary>
    /// Whether <see cref="Cmdlet.WriteVerbose"/> would show anything (<c>-Verbose</c>, else <c>$VerbosePreference</c>),
    /// so per-item messages are not built for nobody. Decided once per invocation.
    /// </summary>
    private protected bool VerboseEnabled => verboseEnabled ??= IsVerboseEnabled();

    private bool IsVerboseEnabled()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object? bound))
        {
            return LanguagePrimitives.IsTrue(bound);
        }

        return !LanguagePrimitives.TryConvertTo(GetVariableValue("VerbosePreference"), out ActionPreference preference)
            || preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);
    }

    protected sealed override void ProcessRecord()
    {
        try
        {
            ProcessItem();
        }
        catch (MmsException e)
        {
            WriteError(e.ToErrorRecord(ErrorTarget));
        }
    }

    /// <summary>The cmdlet's work for one pipeline record; library errors become non-terminating errors.</summary>
    private protected abstract void ProcessItem();

    public void Dispose()
    {
        store?.ReleaseLease();
        store = null;
        GC.SuppressFinalize(this);
    }
}
