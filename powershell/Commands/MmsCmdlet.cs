using System;
using System.Collections.Generic;
using System.Linq;
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
    private protected MmsStore Store => store ??= StoreSession.Lease(SessionState.Path);

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

    /// <summary>
    /// Writes, in order, what a change produced once the change is durable. When Ctrl+C lands while the
    /// library commits, PowerShell refuses every later write (<see cref="PipelineStoppedException"/>), so
    /// the outputs not yet written are shown on the host instead, under <paramref name="heading"/>
    /// (each as <paramref name="describe"/> puts it; null leaves one out), and then the stop goes on:
    /// nothing a stopped command did goes unreported.
    /// </summary>
    private protected void WriteCommitted<T>(IReadOnlyList<T> outputs, Action<T> write, Func<T, string?> describe, string heading)
    {
        int next = 0;
        try
        {
            for (; next < outputs.Count; next++)
            {
                write(outputs[next]);
            }
        }
        catch (PipelineStoppedException)
        {
            WriteToHost(heading, outputs.Skip(next).Select(describe).OfType<string>());
            throw;
        }
    }

    /// <summary>Lines for the user when the pipeline can no longer take output (see <see cref="WriteCommitted"/>).</summary>
    private protected void WriteToHost(string heading, IEnumerable<string> lines)
    {
        var shown = lines.ToList();
        if (shown.Count == 0)
        {
            return;
        }

        try
        {
            Host.UI.WriteWarningLine(heading);
            foreach (string line in shown)
            {
                Host.UI.WriteLine(line);
            }
        }
        catch (Exception e) when (e is NotImplementedException or NotSupportedException or InvalidOperationException)
        {
            // A host without a user interface: there is nowhere left to report to.
        }
    }

    public void Dispose()
    {
        store?.ReleaseLease();
        store = null;
        GC.SuppressFinalize(this);
    }
}
