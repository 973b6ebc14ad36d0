using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace MeetingMigration.PowerShell.Jobs;

/// <summary>
/// Follows every running <see cref="MigrationChildJob"/> of the process from one timer: each tick polls each
/// child's request once (<c>mms_status_get</c>, a short read), so hundreds of jobs need no thread of their own
/// and no pool thread waits in native code. Ticks never overlap: the timer is re-armed after each one.
/// </summary>
internal static class StatusPoller
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly object Gate = new();
    private static readonly HashSet<MigrationChildJob> Active = [];
    private static readonly Timer Ticker = new(_ => Tick());
    private static bool armed;

    internal static void Follow(IEnumerable<MigrationChildJob> jobs)
    {
        lock (Gate)
        {
            Active.UnionWith(jobs);
            Arm();
        }
    }

    internal static void Forget(MigrationChildJob job)
    {
        lock (Gate)
        {
            Active.Remove(job);
        }
    }

    private static void Arm()
    {
        if (!armed && Active.Count > 0)
        {
            armed = true;
            Ticker.Change(Interval, Timeout.InfiniteTimeSpan);
        }
    }

    private static void Tick()
    {
        try
        {
            MigrationChildJob[] due;
            lock (Gate)
            {
                due = Active.ToArray();
            }

            foreach (MigrationChildJob job in due)
            {
                job.Poll();
            }
        }
        catch
        {
            // Poll reports its own failures on its job; nothing may escape a timer thread.
        }
        finally
        {
            lock (Gate)
            {
                armed = false;
                Arm();
            }
        }
    }
}
