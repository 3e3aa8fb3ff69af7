namespace GeoEdge.Host.Fleet;

/// <summary>Exponential backoff with "equal jitter": attempt n waits between half and all of min(cap, initial·2ⁿ), so a
/// fleet that lost its server does not come back in lockstep.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan cap, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    public static Backoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    public TimeSpan Initial { get; } = initial;

    public TimeSpan Cap { get; } = cap;

    /// <summary>The delay before retry number <paramref name="attempt"/> (0 = the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        double ceiling = Math.Min(Cap.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (_random.NextDouble() * ceiling / 2));
    }

    /// <summary>A jittered polling interval: the server's suggestion ±10 %.</summary>
    public TimeSpan Jitter(TimeSpan interval) => TimeSpan.FromMilliseconds(interval.TotalMilliseconds * (0.9 + (_random.NextDouble() * 0.2)));
}
