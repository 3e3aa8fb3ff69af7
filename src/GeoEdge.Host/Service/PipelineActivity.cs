using System.Collections.Concurrent;

namespace GeoEdge.Host.Service;

/// <summary>When each pipeline last completed an iteration, and how many results it produced: readiness and status read it.</summary>
public sealed class PipelineActivity
{
    private readonly ConcurrentDictionary<string, Entry> _pipelines = new(StringComparer.Ordinal);

    /// <summary>Declares a pipeline and the longest quiet time that still counts as ticking (a few source periods).</summary>
    public void Declare(string pipeline, string model, TimeSpan expectedPeriod) => _pipelines[pipeline] = new Entry(model, expectedPeriod);

    public void Tick(string pipeline, DateTimeOffset now)
    {
        Entry entry = _pipelines[pipeline];
        Volatile.Write(ref entry.LastTickTicks, now.UtcTicks);
        Interlocked.Increment(ref entry.Results);
    }

    public void Stopped(string pipeline) => _pipelines[pipeline].Running = false;

    public IReadOnlyList<PipelineActivitySnapshot> Snapshot()
    {
        var list = new List<PipelineActivitySnapshot>(_pipelines.Count);
        foreach ((string name, Entry e) in _pipelines)
        {
            long ticks = Volatile.Read(ref e.LastTickTicks);
            list.Add(new PipelineActivitySnapshot(name, e.Model, e.ExpectedPeriod, ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero), Interlocked.Read(ref e.Results), e.Running));
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Pipeline, b.Pipeline));
        return list;
    }

    private sealed class Entry(string model, TimeSpan expectedPeriod)
    {
        public readonly string Model = model;
        public readonly TimeSpan ExpectedPeriod = expectedPeriod;
        public long LastTickTicks;
        public long Results;
        public volatile bool Running = true;
    }
}

/// <summary>One pipeline's activity at a moment.</summary>
public sealed record PipelineActivitySnapshot(string Pipeline, string Model, TimeSpan ExpectedPeriod, DateTimeOffset? LastTick, long Results, bool Running);
