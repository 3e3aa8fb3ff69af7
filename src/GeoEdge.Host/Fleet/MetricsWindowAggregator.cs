using System.Collections.Concurrent;
using GeoEdge.Fleet.Contracts;

namespace GeoEdge.Host.Fleet;

/// <summary>The open metrics windows of every model version the pipelines ran; pipelines keep the
/// <see cref="WindowCounters"/> they get (one lookup per version change), the agent closes the windows on its clock.</summary>
public sealed class MetricsWindowAggregator(DateTimeOffset start)
{
    private readonly ConcurrentDictionary<(string Model, string Version), WindowCounters> _open = new();
    private DateTimeOffset _start = start;

    public WindowCounters For(string model, string version) => For(model, version, []);

    /// <summary>The counters of a sensor-graph version, sized for its <paramref name="sensors"/> (tensor order) when first made.</summary>
    public WindowCounters For(string model, string version, IReadOnlyList<string> sensors) =>
        _open.GetOrAdd((model, version), static (key, names) => new WindowCounters(key.Model, key.Version, names), sensors);

    /// <summary>Closes the window at <paramref name="end"/>: one record per model version that saw anything, by model then version.</summary>
    public IReadOnlyList<MetricsWindow> Close(DateTimeOffset end)
    {
        DateTimeOffset start = _start;
        _start = end;
        var windows = new List<MetricsWindow>();
        foreach (WindowCounters counters in _open.Values)
        {
            if (counters.TakeSnapshot(start, end) is { } window)
            {
                windows.Add(window);
            }
        }

        windows.Sort(static (a, b) => string.CompareOrdinal(a.Model, b.Model) is var c and not 0 ? c : string.CompareOrdinal(a.Version, b.Version));
        return windows;
    }
}
