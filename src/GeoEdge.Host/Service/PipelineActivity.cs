using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace GeoEdge.Host.Service;

/// <summary>When each pipeline last took an input through, and how many inferences in a row have failed since its last
/// success: what readiness and status read (counts live in the metrics).</summary>
public sealed class PipelineActivity
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _lastTick = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FailureRun> _failures = new(StringComparer.Ordinal);

    public void Tick(string pipeline, DateTimeOffset now) =>
        Volatile.Write(ref _lastTick.GetOrAdd(pipeline, static _ => new StrongBox<long>()).Value, now.UtcTicks);

    /// <summary>The last tick, or null before the pipeline's first input.</summary>
    public DateTimeOffset? LastTick(string pipeline) =>
        _lastTick.TryGetValue(pipeline, out StrongBox<long>? box) && Volatile.Read(ref box.Value) is > 0 and long ticks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    /// <summary>An inference produced a result (or a rejection): the run of failures, if any, ends.</summary>
    public void Succeeded(string pipeline)
    {
        if (_failures.TryGetValue(pipeline, out FailureRun? run))
        {
            run.End();
        }
    }

    /// <summary>An inference threw: the run of failures grows and <paramref name="error"/> becomes its last error.</summary>
    public void Failed(string pipeline, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _failures.GetOrAdd(pipeline, static _ => new FailureRun()).Add($"{error.GetType().Name}: {error.Message}");
    }

    /// <summary>Inferences that failed in a row since the pipeline's last success (0 when the last one succeeded).</summary>
    public int FailedInARow(string pipeline) => _failures.TryGetValue(pipeline, out FailureRun? run) ? run.Count : 0;

    /// <summary>The last error of the current run of failures ("Type: message"), or null when the last inference succeeded.</summary>
    public string? LastError(string pipeline) => _failures.TryGetValue(pipeline, out FailureRun? run) ? run.LastError : null;

    /// <summary>Written by the pipeline's loop, read by request threads: a count and a reference, each read atomically.</summary>
    private sealed class FailureRun
    {
        private int _count;
        private string? _lastError;

        public int Count => Volatile.Read(ref _count);

        public string? LastError => Count == 0 ? null : Volatile.Read(ref _lastError);

        public void Add(string error)
        {
            Volatile.Write(ref _lastError, error);
            Interlocked.Increment(ref _count);
        }

        public void End()
        {
            if (Volatile.Read(ref _count) != 0)
            {
                Volatile.Write(ref _count, 0);
            }
        }
    }
}
