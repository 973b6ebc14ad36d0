using System;
using System.Management.Automation;
using System.Threading;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Jobs;

/// <summary>
/// Follows one user's migration request for <c>Start-CsExMeetingMigration -AsJob</c>: progress while it runs,
/// then the final status record, then Completed (Succeeded) or Failed (with the reason as an error record).
/// <c>Stop-Job</c> stops following; the queued migration goes on. Polled by <see cref="StatusPoller"/>.
/// </summary>
public sealed class MigrationChildJob : Job
{
    private static int nextActivityId;

    private readonly object sync = new();
    private readonly MmsStore store;
    private readonly int activityId = Interlocked.Increment(ref nextActivityId) & int.MaxValue;
    private bool finished;
    private string lastProgress;

    internal MigrationChildJob(string command, MigrationStatus queued, MmsStore store)
        : base(command, queued.UserPrincipalName)
    {
        PSJobTypeName = MigrationJob.JobTypeName;
        CorrelationId = queued.CorrelationId;
        TenantId = queued.TenantId;
        UserPrincipalName = queued.UserPrincipalName;
        this.store = store;
        lastProgress = queued.State;
    }

    /// <summary>The request this job follows.</summary>
    public Guid CorrelationId { get; }

    /// <summary>
    /// The request's tenant: every lookup of the request names it, so the job follows the request whichever tenant
    /// is the store's default (now or later).
    /// </summary>
    public Guid TenantId { get; }

    public string UserPrincipalName { get; }

    /// <summary>The last progress this job reported.</summary>
    public override string StatusMessage => lastProgress;

    public override bool HasMoreData =>
        Output.Count > 0 || Error.Count > 0 || Progress.Count > 0 || Warning.Count > 0 || Verbose.Count > 0;

    public override string Location => Environment.MachineName;

    internal void MarkRunning() => SetJobState(JobState.Running);

    public override void StopJob()
    {
        lock (sync)
        {
            if (finished)
            {
                return;
            }

            finished = true;
        }

        StatusPoller.Forget(this);
        SetJobState(JobState.Stopped);
    }

    /// <summary>The store whose request this job follows.</summary>
    internal MmsStore Store => store;

    /// <summary>
    /// Applies one poll's record of the request (null: it is no longer in the store), on the poller's
    /// thread. Never throws.
    /// </summary>
    internal void Apply(MigrationStatus? status)
    {
        if (status is null)
        {
            Fail(new InvalidOperationException(
                $"The migration request {CorrelationId} of {UserPrincipalName} is no longer in the store (purged, or the store file was replaced)."));
            return;
        }

        try
        {
            if (status.State is "Succeeded" or "Failed")
            {
                // The final record Receive-Job returns carries the per-meeting outcomes too.
                status = store.GetStatus(TenantId.ToString(), CorrelationId);
            }

            lock (sync)
            {
                if (finished)
                {
                    return;
                }

                ReportProgress(status);
                switch (status.State)
                {
                    case "Succeeded":
                        Output.Add(PSObject.AsPSObject(status));
                        Finish(JobState.Completed);
                        break;
                    case "Failed":
                        Output.Add(PSObject.AsPSObject(status));
                        Error.Add(new ErrorRecord(
                            new InvalidOperationException($"The meeting migration of {status.UserPrincipalName} failed: {status.LastMessage ?? "no reason recorded"}"),
                            "MeetingMigration.MigrationFailed", ErrorCategory.InvalidResult, status));
                        Finish(JobState.Failed);
                        break;
                }
            }
        }
        catch (MmsException e) when (e.Code == (int)MmsStatusCode.StoreBusy)
        {
            // Another writer holds the store; the next tick looks again.
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private void ReportProgress(MigrationStatus status)
    {
        int done = status.SucceededMeeting + status.FailedMeeting;
        string description = status.State switch
        {
            "Pending" when status.QueuePosition is int position => $"Pending, number {position} in the queue",
            "Pending" => "Pending",
            _ => $"{status.State}: {done} of {status.TotalMeeting} meetings",
        };
        if (description == lastProgress)
        {
            return;
        }

        lastProgress = description;
        bool final = status.State is "Succeeded" or "Failed";
        Progress.Add(new ProgressRecord(activityId, $"Meeting migration of {status.UserPrincipalName}", description)
        {
            PercentComplete = status.TotalMeeting > 0 ? Math.Min(100, done * 100 / status.TotalMeeting) : final ? 100 : 0,
            RecordType = final ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        });
    }

    /// <summary>Ends the job as Failed with <paramref name="error"/> as its reason, unless it already ended. Never throws.</summary>
    internal void Fail(Exception error)
    {
        try
        {
            lock (sync)
            {
                if (finished)
                {
                    return;
                }

                Error.Add(error is MmsException mms
                    ? mms.ToErrorRecord(UserPrincipalName)
                    : new ErrorRecord(error, "MeetingMigration.JobFailed", ErrorCategory.NotSpecified, UserPrincipalName));
                Finish(JobState.Failed);
            }
        }
        catch
        {
            // Nothing may escape the poller's thread.
        }
    }

    /// <summary>Sets the final state (closing the streams) after the output was written. Called under <see cref="sync"/>.</summary>
    private void Finish(JobState state)
    {
        finished = true;
        StatusPoller.Forget(this);
        SetJobState(state);
    }
}
