namespace GeoEdge.Sensors.Sources;

/// <summary>A stream of point cloud frames (replay, UDP, a depth camera) paced by the source itself.</summary>
public interface IPointCloudSource
{
    /// <summary>What the source has done so far; safe to read from any thread while it runs.</summary>
    SourceCounters Counters { get; }

    /// <summary>Yields frames until the source ends or <paramref name="cancellationToken"/> fires; bad input is counted, never thrown.</summary>
    IAsyncEnumerable<PointCloudFrame> ReadAsync(CancellationToken cancellationToken);
}
