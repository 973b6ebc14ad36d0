using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Jobs;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Queues a meeting migration for a user and returns its status record.</para>
/// Per pipeline item: a read-only preview (resolution, migration type, meetings in scope), then
/// ShouldProcess, then the request joins a batch that is committed in one transaction (at most
/// <see cref="BatchSize"/> items, and at the end); each record is written once its batch is durable.
/// When nobody is asked (-WhatIf, -Confirm:$false, $ConfirmPreference above Medium), the previews are made
/// <see cref="BatchSize"/> items at a time in one read, and ShouldProcess is still called for each item in input order.
/// When ShouldProcess prompts (-Confirm, or $ConfirmPreference at Medium or below), each item is previewed,
/// asked about, committed and written at once, so its record shows right after its answer.
/// A user's open request found by the preview joins the batch too (nothing to commit), so records,
/// warnings and errors come out in input order.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "CsExMeetingMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
    HelpUri = "https://learn.microsoft.com/powershell/module/skype/start-csexmeetingmigration")]
[OutputType(typeof(MigrationStatus), typeof(MigrationJob))]
public sealed class StartCsExMeetingMigrationCommand : UserCmdlet
{
    private const int BatchSize = 500;

    /// <summary>In input order: the items whose preview is still to be made (see <see cref="PreviewPending"/>).</summary>
    private readonly List<(MigrationRequest Request, string Input)> pending = [];

    /// <summary>In input order: a request to commit, or (<c>Request</c> null) the open request the preview found.</summary>
    private readonly List<(MigrationRequest? Request, MigrationStatus? Existing, string Input)> batch = [];
    private MigrationJob? job;
    private bool? prompting;

    /// <summary>Which of the user's meetings are in scope.</summary>
    [Parameter]
    [ValidateSet("All", "SfB", "Teams")]
    public string SourceMeetingType { get; set; } = "All";

    /// <summary>Current keeps each meeting's type and refreshes its join details; Teams makes every meeting a Teams meeting.</summary>
    [Parameter]
    [ValidateSet("Current", "Teams")]
    public string TargetMeetingType { get; set; } = "Current";

    /// <summary>Return one job (a child per user) once the input is queued.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    private protected override void ProcessItem()
    {
        pending.Add((new MigrationRequest(Identity, TenantArgument, SourceMeetingType, TargetMeetingType), Identity));
        // A question needs its item's preview first; when nobody is asked, previews are made a batch at a time.
        if (Prompting || pending.Count >= BatchSize)
        {
            PreviewPending();
        }
    }

    /// <summary>Previews the pending items in one read, then asks ShouldProcess for each, in input order.</summary>
    private void PreviewPending()
    {
        if (pending.Count == 0)
        {
            return;
        }

        var items = pending.ToArray();
        pending.Clear();
        if (Stopping)
        {
            throw new PipelineStoppedException();
        }

        MigrationPreview[] previews;
        try
        {
            previews = Store.PreviewMigrations(items.Select(i => i.Request).ToArray());
        }
        catch (MmsException e)
        {
            Flush();
            foreach (var item in items)
            {
                WriteError(e.ToErrorRecord(item.Input));
            }

            return;
        }

        for (int i = 0; i < items.Length; i++)
        {
            Decide(items[i].Request, items[i].Input, previews[i]);
        }
    }

    private void Decide(MigrationRequest request, string input, MigrationPreview preview)
    {
        if (preview.Error is { } error)
        {
            Flush();
            WriteError(MmsException.FromNative(error.Code, error).ToErrorRecord(input));
            return;
        }

        string upn = preview.UserPrincipalName;
        if (VerboseEnabled)
        {
            WriteVerbose($"Resolved '{input}' to {upn} (object id {preview.UserId}, tenant {preview.TenantId}): {preview.MigrationType}, {preview.MeetingCount} meetings in scope.");
        }

        if (preview.ExistingRequest is { } existing)
        {
            if (ShouldProcess(upn, $"Return the open meeting migration ({existing.State}, {existing.MigrationType}, CorrelationId {existing.CorrelationId}); no new request is queued"))
            {
                // Emitted at the flush, after the confirmed items before it; at once when nothing waits.
                batch.Add((null, existing, input));
                if (batch.Count == 1 || batch.Count >= BatchSize || Prompting)
                {
                    Flush();
                }
            }

            return;
        }

        if (!ShouldProcess(upn, $"Start meeting migration ({preview.MigrationType}, {preview.MeetingCount} meetings)"))
        {
            return;
        }

        batch.Add((request with { Identity = preview.UserId.ToString(), Tenant = preview.TenantId.ToString() }, null, input));
        if (batch.Count >= BatchSize || Prompting)
        {
            Flush();
        }
    }

    /// <summary>
    /// Whether ShouldProcess asks the user for each item: -Confirm, or (without -Confirm and -WhatIf)
    /// $ConfirmPreference at this cmdlet's impact (Medium) or below. Batching only pays when nobody is asked.
    /// </summary>
    private bool Prompting => prompting ??= WillPrompt();

    private bool WillPrompt()
    {
        var bound = MyInvocation.BoundParameters;
        if (IsOn(bound, "WhatIf") ?? LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")))
        {
            return false;
        }

        if (IsOn(bound, "Confirm") is { } confirm)
        {
            return confirm;
        }

        return LanguagePrimitives.TryConvertTo(GetVariableValue("ConfirmPreference"), out ConfirmImpact preference)
            && preference != ConfirmImpact.None && preference <= ConfirmImpact.Medium;
    }

    private static bool? IsOn(Dictionary<string, object> bound, string name) =>
        bound.TryGetValue(name, out object? value) ? LanguagePrimitives.IsTrue(value) : null;

    protected override void EndProcessing()
    {
        PreviewPending();
        Flush();
        if (job is not null)
        {
            JobRepository.Add(job);
            job.Start();
            WriteObject(job);
        }
    }

    /// <summary>
    /// Commits the batch's requests in one transaction, then writes each item's record, warning or error in input
    /// order. A stop asked for before the commit is honoured at once (nothing of the batch is queued); once the
    /// commit is durable, what it produced is reported even when Ctrl+C landed during it (see <see cref="MmsCmdlet.WriteCommitted"/>).
    /// </summary>
    private void Flush()
    {
        if (batch.Count == 0)
        {
            return;
        }

        var items = batch.ToArray();
        batch.Clear();
        if (Stopping)
        {
            throw new PipelineStoppedException();
        }

        MigrationRequest[] requests = items.Where(i => i.Request is not null).Select(i => i.Request!).ToArray();
        StartResult[] results = [];
        MmsException? failure = null;
        if (requests.Length > 0)
        {
            try
            {
                results = Store.StartMigrations(requests);
            }
            catch (MmsException e)
            {
                failure = e;
            }
        }

        // One outcome per item, in input order.
        var outcomes = new List<(MigrationStatus? Status, bool Existing, MmsException? Error, string Input)>(items.Length);
        int next = 0;
        foreach (var item in items)
        {
            if (item.Existing is { } existing)
            {
                outcomes.Add((existing, true, null, item.Input));
            }
            else if (failure is not null)
            {
                outcomes.Add((null, false, failure, item.Input));
            }
            else
            {
                StartResult result = results[next++];
                outcomes.Add(result.Error is { } error
                    ? (null, false, MmsException.FromNative(error.Code, error), item.Input)
                    : (result.Status!, result.Existing, null, item.Input));
            }
        }

        var emitted = new HashSet<Guid>();
        try
        {
            WriteCommitted(outcomes, o =>
                {
                    Write(o);
                    if (o.Status is { } s)
                    {
                        emitted.Add(s.CorrelationId);
                    }
                },
                Describe,
                $"Start-CsExMeetingMigration was stopped after its batch was committed; these requests are queued{(AsJob ? " and followed by the job below" : "")} (Get-CsMeetingMigrationStatus shows them):");
            if (AsJob && Stopping)
            {
                // Nothing was written to the pipeline, so nothing noticed the stop: the job must be registered now.
                throw new PipelineStoppedException();
            }
        }
        catch (PipelineStoppedException) when (AsJob)
        {
            // The job was to be written at the end: register it now, so Get-Job and Receive-Job find the queued requests.
            foreach (var outcome in outcomes.Where(o => o.Status is not null && !emitted.Contains(o.Status.CorrelationId)))
            {
                Emit(outcome.Status!);
            }

            if (job is not null)
            {
                JobRepository.Add(job);
                job.Start();
                WriteToHost("Start-CsExMeetingMigration was stopped after queueing its requests; their job is registered:", [$"  {job.Name} (Id {job.Id}): Receive-Job -Id {job.Id} -Wait"]);
            }

            throw;
        }
    }

    private void Write((MigrationStatus? Status, bool Existing, MmsException? Error, string Input) outcome)
    {
        if (outcome.Error is { } error)
        {
            WriteError(error.ToErrorRecord(outcome.Input));
            return;
        }

        MigrationStatus status = outcome.Status!;
        if (outcome.Existing)
        {
            WriteWarning(ExistingWarning(status));
        }
        else if (VerboseEnabled)
        {
            WriteVerbose($"Queued {status.MigrationType} meeting migration for {status.UserPrincipalName} (CorrelationId {status.CorrelationId}).");
        }

        Emit(status);
    }

    /// <summary>A queued request as the stop warning lists it; an item that failed queued nothing and is left out.</summary>
    private static string? Describe((MigrationStatus? Status, bool Existing, MmsException? Error, string Input) outcome) =>
        outcome.Status is { } s
            ? $"  {s.UserPrincipalName}  {s.State}  {s.MigrationType}  CorrelationId {s.CorrelationId}{(outcome.Existing ? "  (already open)" : "")}"
            : null;

    private void Emit(MigrationStatus status)
    {
        if (AsJob)
        {
            (job ??= new MigrationJob(MyInvocation.Line.Trim() is { Length: > 0 } line ? line : MyInvocation.InvocationName, Store)).Add(status);
        }
        else
        {
            WriteObject(status);
        }
    }

    private static string ExistingWarning(MigrationStatus existing) =>
        $"{existing.UserPrincipalName} already has a {existing.State} meeting migration ({existing.MigrationType}, CorrelationId {existing.CorrelationId}, created {existing.CreateDate:u}); no new request is queued and that record is returned.";
}
