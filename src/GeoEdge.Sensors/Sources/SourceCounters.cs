namespace GeoEdge.Sensors.Sources;

/// <summary>Thread-safe running totals of a source: what it emitted, what it lost and the last error it swallowed.</summary>
/// <remarks>
/// Sources keep running on bad input, so these counters (and <see cref="LastError"/>) are how a bad file,
/// a lossy network or a failing sensor becomes visible. Each source documents what its counts mean.
/// </remarks>
public sealed class SourceCounters
{
    private long _frames;
    private long _errors;
    private long _lost;
    private long _dropped;
    private Exception? _lastError;

    /// <summary>Frames (clouds, CSV rows, sensor polls) emitted.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Inputs that failed (unreadable file, malformed row, sensor read that threw).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Units of data that never arrived (incomplete UDP frames, missing samples).</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Inputs thrown away without being an error of ours to report (malformed or late UDP packets).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The most recent error that was counted and skipped, or null.</summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    internal void AddFrame() => Interlocked.Increment(ref _frames);

    internal void AddLost(long count = 1) => Interlocked.Add(ref _lost, count);

    internal void AddDropped(long count = 1) => Interlocked.Add(ref _dropped, count);

    internal void AddError(Exception error)
    {
        Volatile.Write(ref _lastError, error);
        Interlocked.Increment(ref _errors);
    }

    public override string ToString() => $"frames={Frames} errors={Errors} lost={Lost} dropped={Dropped}";
}
