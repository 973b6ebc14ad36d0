using System;
using System.Linq;
using System.Management.Automation;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Jobs;

/// <summary>
/// The one job a <c>Start-CsExMeetingMigration -AsJob</c> invocation returns: a child job per user queued
/// (<see cref="MigrationChildJob"/>). Its state sums its children's: Running until all have ended, then
/// Failed if any failed, else Stopped if any was stopped, else Completed.
/// </summary>
public sealed class MigrationJob : Job
{
    internal const string JobTypeName = "MeetingMigrationJob";

    private readonly object sync = new();
    private readonly MmsStore store;
    private bool ended;

    internal MigrationJob(string command, MmsStore store)
        : base(command)
    {
        PSJobTypeName = JobTypeName;
        this.store = store;
    }

    public override string StatusMessage => $"{ChildJobs.Count(c => IsFinished(c.JobStateInfo.State))} of {ChildJobs.Count} users finished";

    public override bool HasMoreData => ChildJobs.Any(c => c.HasMoreData);

    public override string Location => Environment.MachineName;

    /// <summary>Adds a child that will follow <paramref name="queued"/> once the job starts.</summary>
    internal void Add(MigrationStatus queued) => ChildJobs.Add(new MigrationChildJob(Command, queued, store));

    /// <summary>Starts following every child; holds a lease on the store until all have ended.</summary>
    internal void Start()
    {
        store.AddLease();
        MigrationChildJob[] children = ChildJobs.Cast<MigrationChildJob>().ToArray();
        foreach (MigrationChildJob child in children)
        {
            child.StateChanged += OnChildStateChanged;
            child.MarkRunning();
        }

        SetJobState(JobState.Running);
        StatusPoller.Follow(children);
    }

    public override void StopJob()
    {
        foreach (Job child in ChildJobs)
        {
            child.StopJob();
        }
    }

    private void OnChildStateChanged(object? sender, JobStateEventArgs e)
    {
        try
        {
            JobState final;
            lock (sync)
            {
                if (ended || !ChildJobs.All(c => IsFinished(c.JobStateInfo.State)))
                {
                    return;
                }

                ended = true;
                final = ChildJobs.Any(c => c.JobStateInfo.State == JobState.Failed) ? JobState.Failed
                    : ChildJobs.Any(c => c.JobStateInfo.State == JobState.Stopped) ? JobState.Stopped
                    : JobState.Completed;
            }

            SetJobState(final);
            store.ReleaseLease();
        }
        catch
        {
            // Raised on the poller's thread (or Stop-Job's); nothing may escape it.
        }
    }

    private static bool IsFinished(JobState state) =>
        state is JobState.Completed or JobState.Failed or JobState.Stopped;
}
