namespace GeoEdge.Sensors.Sources;

/// <summary>Spaces emissions one period apart on a <see cref="TimeProvider"/>: the first immediately, the rest on an absolute schedule.</summary>
/// <remarks>
/// The schedule is absolute (start + k * period) so slow reads do not accumulate drift; a consumer that falls
/// behind by more than a period restarts the schedule from now instead of bursting to catch up.
/// </remarks>
internal sealed class Pacer
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private DateTimeOffset? _next;

    public Pacer(TimeProvider time, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.Zero);
        _time = time;
        _period = period;
    }

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_next is { } due && due > now)
        {
            await Task.Delay(due - now, _time, cancellationToken).ConfigureAwait(false);
            now = _time.GetUtcNow();
        }

        DateTimeOffset start = _next is { } d && d + _period > now ? d : now;
        _next = start + _period;
    }

    /// <summary>The period for a rate in hertz; rejects rates that are not positive and finite.</summary>
    public static TimeSpan PeriodOf(double rateHz, string parameterName)
    {
        if (!double.IsFinite(rateHz) || rateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, rateHz, "rate must be a positive number of hertz");
        }

        return TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(TimeSpan.TicksPerSecond / rateHz)));
    }
}
