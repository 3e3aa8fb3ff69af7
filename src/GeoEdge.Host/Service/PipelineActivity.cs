using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace GeoEdge.Host.Service;

/// <summary>When each pipeline last took an input through: what readiness and status read (counts live in the metrics).</summary>
public sealed class PipelineActivity
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _lastTick = new(StringComparer.Ordinal);

    public void Tick(string pipeline, DateTimeOffset now) =>
        Volatile.Write(ref _lastTick.GetOrAdd(pipeline, static _ => new StrongBox<long>()).Value, now.UtcTicks);

    /// <summary>The last tick, or null before the pipeline's first input.</summary>
    public DateTimeOffset? LastTick(string pipeline) =>
        _lastTick.TryGetValue(pipeline, out StrongBox<long>? box) && Volatile.Read(ref box.Value) is > 0 and long ticks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;
}
