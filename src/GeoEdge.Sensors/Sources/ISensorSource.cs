namespace GeoEdge.Sensors.Sources;

/// <summary>A stream of sensor readings (CSV replay, polled I2C sensors) paced by the source itself.</summary>
public interface ISensorSource
{
    /// <summary>What the source has done so far; safe to read from any thread while it runs.</summary>
    SourceCounters Counters { get; }

    /// <summary>Yields readings until the source ends or <paramref name="cancellationToken"/> fires; bad input is counted, never thrown.</summary>
    IAsyncEnumerable<SensorReading> ReadAsync(CancellationToken cancellationToken);
}
