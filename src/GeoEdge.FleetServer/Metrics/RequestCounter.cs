using System.Collections.Concurrent;

namespace GeoEdge.FleetServer.Metrics;

/// <summary>HTTP requests of this replica by route template, method and status code (a process counter, as Prometheus
/// expects from each replica it scrapes).</summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<RequestKey, long> _counts = new();

    public void Count(string route, string method, int status) =>
        _counts.AddOrUpdate(new RequestKey(route, method, status), 1, (_, n) => n + 1);

    /// <summary>The counts, ordered by route, method, status (a stable exposition).</summary>
    public IReadOnlyList<KeyValuePair<RequestKey, long>> Snapshot() =>
        [.. _counts.OrderBy(p => p.Key.Route, StringComparer.Ordinal).ThenBy(p => p.Key.Method, StringComparer.Ordinal).ThenBy(p => p.Key.Status)];
}

/// <summary>One series of the request counter.</summary>
/// <param name="Route">Route template ("/v1/rollouts/{id}"), or "unmatched".</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Status">Status code.</param>
public readonly record struct RequestKey(string Route, string Method, int Status);
