using GeoEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Fleet;

/// <summary>Sends the metrics queue's oldest windows as one metrics:batch and deletes only what the server acknowledged
/// (through AckedThroughSeq); 5xx, 429 and broken links back off with jitter, any other 4xx is logged and retried after
/// a long pause: nothing is ever dropped on the server's word.</summary>
public sealed class MetricsUploader(FleetClient client, MetricsQueue queue, Backoff backoff, ILogger logger)
{
    private int _failures;

    public int BatchSize { get; init; } = 100;

    /// <summary>The pause after a 4xx refusal (a bug on one side; hammering the server helps no one).</summary>
    public TimeSpan RefusedPause { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Sends one batch if any is queued; returns the delay before the next call should be made (zero: more queued).</summary>
    public async Task<TimeSpan?> UploadOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<MetricsWindow> records = queue.Peek(BatchSize);
        if (records.Count == 0)
        {
            return null;
        }

        var batch = new MetricsBatch(queue.Epoch, records[0].Seq, records[^1].Seq, records);
        try
        {
            MetricsAck ack = await client.PostMetricsAsync(batch, cancellationToken).ConfigureAwait(false);
            queue.Ack(Math.Min(ack.AckedThroughSeq, batch.LastSeq));
            _failures = 0;
            return queue.Count > 0 && ack.AckedThroughSeq >= batch.FirstSeq ? TimeSpan.Zero : null;
        }
        catch (FleetRequestException e) when (e.Transient)
        {
            TimeSpan delay = backoff.Delay(_failures++);
            Log.LoopFailed(logger, "metrics upload", delay.TotalSeconds, e.Message);
            return delay;
        }
        catch (FleetRequestException e)
        {
            Log.MetricsRefused(logger, e.Status ?? 0, RefusedPause.TotalSeconds, e.Message);
            return RefusedPause;
        }
    }
}
