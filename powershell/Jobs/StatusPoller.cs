using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MeetingMigration.PowerShell.Interop;
using MeetingMigration.PowerShell.Model;

namespace MeetingMigration.PowerShell.Jobs;

/// <summary>
/// Follows every running <see cref="MigrationChildJob"/> of the process from one timer: each tick reads all
/// their requests in one call per store and tenant (<c>mms_status_get_many</c>, one short read; a lookup sees only
/// its tenant's requests), so hundreds of jobs need no thread of their own and no pool thread waits in native
/// code. Ticks never overlap: the timer is re-armed after each one.
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

    private static void Poll(MmsStore store, Guid tenant, MigrationChildJob[] jobs)
    {
        MigrationStatus?[] statuses;
        try
        {
            statuses = store.GetStatuses(tenant.ToString(), jobs.Select(job => job.CorrelationId.ToString()).ToArray());
            if (statuses.Length != jobs.Length)
            {
                throw NativeCall.Malformed($"{statuses.Length} status records for {jobs.Length} requests");
            }
        }
        catch (MmsException e) when (e.Code == (int)MmsStatusCode.StoreBusy)
        {
            return; // another writer holds the store; look again on the next tick
        }
        catch (Exception e)
        {
            foreach (MigrationChildJob job in jobs)
            {
                job.Fail(e);
            }

            return;
        }

        for (int i = 0; i < jobs.Length; i++)
        {
            jobs[i].Apply(statuses[i]);
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

            foreach (IGrouping<(MmsStore Store, Guid Tenant), MigrationChildJob> group in due.GroupBy(job => (job.Store, job.TenantId)))
            {
                Poll(group.Key.Store, group.Key.Tenant, group.ToArray());
            }
        }
        catch
        {
            // Failures are reported on the jobs; nothing may escape a timer thread.
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
