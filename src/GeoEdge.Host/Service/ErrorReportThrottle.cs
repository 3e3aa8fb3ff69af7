namespace GeoEdge.Host.Service;

/// <summary>Decides when a pipeline reports its inference errors (log line and event): the first at once, then at most one
/// report per interval, carrying the number of errors since the previous report.</summary>
/// <remarks>A model that throws on every frame would otherwise write one journal line and one event per frame. Every error
/// is still counted in the metrics; errors after the last report wait for the next one. Used by one pipeline loop only.</remarks>
internal sealed class ErrorReportThrottle(TimeSpan interval)
{
    /// <summary>One report a minute at most: a journal a human reads, not a counter.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    private long _unreported;
    private DateTimeOffset? _lastReport;

    /// <summary>Counts one error; true when it is to be reported now, with <paramref name="errors"/> the errors the report
    /// stands for (this one and those held back since the previous report).</summary>
    public bool Count(DateTimeOffset now, out long errors)
    {
        _unreported++;
        if (_lastReport is { } last && now - last < interval)
        {
            errors = 0;
            return false;
        }

        errors = _unreported;
        _unreported = 0;
        _lastReport = now;
        return true;
    }
}
