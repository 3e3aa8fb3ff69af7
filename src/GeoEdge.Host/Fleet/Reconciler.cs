using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Fleet;

/// <summary>One pass of the reconcile loop (iotedge's Agent.ReconcileAsync): GET desired (If-None-Match), ignore an
/// older desired version than the last acted on, diff → plan → run → persist the outcome → PUT reported.</summary>
public sealed class Reconciler(FleetClient client, OtaFlow flow, PlanRunner runner, StateReporter reporter, AgentFiles files, int defaultPollSeconds, ILogger logger)
{
    /// <summary>The persisted memory of the loop, or the empty one before the first desired state.</summary>
    public DesiredRecord Last => File.Exists(files.Desired)
        ? JsonSerializer.Deserialize(File.ReadAllBytes(files.Desired), AgentJsonContext.Default.DesiredRecord)!
        : new DesiredRecord(0, null, DesiredStatus.InProgress, "no desired state yet", Reported: true, defaultPollSeconds);

    /// <summary>Runs one pass; returns the server's suggested polling interval (the caller adds jitter).</summary>
    public async Task<TimeSpan> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        DesiredRecord last = Last;
        if (await client.GetDesiredAsync(last.ETag, cancellationToken).ConfigureAwait(false) is not { } fetched)
        {
            // 304: nothing new. An action a restart interrupted still runs on; a report the server missed is sent again.
            if (flow.Current is { IsFinished: false } unfinished)
            {
                await runner.RunAsync(new ReconcilePlan(last.LastDesiredVersion, [new ResumeActionCommand(flow, unfinished.ActionId)]), cancellationToken).ConfigureAwait(false);
                last = await Settle(last, unfinished.DesiredVersion, last.ETag, cancellationToken).ConfigureAwait(false);
            }
            else if (!last.Reported)
            {
                await reporter.ReportAsync(last.LastDesiredVersion, new DesiredStatus(last.StatusCode, last.StatusDescription), cancellationToken).ConfigureAwait(false);
                Save(last with { Reported = true });
            }

            return TimeSpan.FromSeconds(last.PollAfterSeconds);
        }

        (DesiredState desired, string? etag) = fetched;
        if (desired.DesiredVersion < last.LastDesiredVersion)
        {
            Log.StaleDesired(logger, desired.DesiredVersion, last.LastDesiredVersion);
            return TimeSpan.FromSeconds(last.PollAfterSeconds);
        }

        int poll = desired.PollAfterSeconds > 0 ? desired.PollAfterSeconds : defaultPollSeconds;
        ReconcilePlan plan = DesiredDiff.Plan(desired, flow.Current, flow);
        Log.Desired(logger, desired.DesiredVersion, plan.ToString());

        // Acting on a version is remembered before the plan runs: an older one arriving meanwhile is ignored.
        Save(new DesiredRecord(desired.DesiredVersion, last.ETag, DesiredStatus.InProgress, plan.ToString(), Reported: false, poll));
        await runner.RunAsync(plan, cancellationToken).ConfigureAwait(false);
        DesiredStatus status = DesiredDiff.StatusOf(desired, flow.Current);
        var done = new DesiredRecord(desired.DesiredVersion, status.Code == DesiredStatus.InProgress ? last.ETag : etag, status.Code, status.Description, Reported: false, poll);
        Save(done);
        await reporter.ReportAsync(desired.DesiredVersion, status, cancellationToken).ConfigureAwait(false);
        Save(done with { Reported = true });
        return TimeSpan.FromSeconds(poll);
    }

    private async Task<DesiredRecord> Settle(DesiredRecord last, long desiredVersion, string? etag, CancellationToken cancellationToken)
    {
        OtaRecord? current = flow.Current;
        DesiredStatus status = current is null
            ? new DesiredStatus(DesiredStatus.InProgress, "no action")
            : DesiredDiff.StatusOf(new DesiredState(desiredVersion, last.PollAfterSeconds, current.Assignment), current);
        var done = last with { LastDesiredVersion = Math.Max(last.LastDesiredVersion, desiredVersion), ETag = etag, StatusCode = status.Code, StatusDescription = status.Description, Reported = false };
        Save(done);
        await reporter.ReportAsync(done.LastDesiredVersion, status, cancellationToken).ConfigureAwait(false);
        Save(done with { Reported = true });
        return done;
    }

    private void Save(DesiredRecord record) => DurableFile.Write(files.Desired, JsonSerializer.SerializeToUtf8Bytes(record, AgentJsonContext.Default.DesiredRecord));
}
