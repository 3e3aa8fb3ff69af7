namespace GeoEdge.Host.Metrics;

/// <summary>Which pipeline family a metrics series belongs to; it decides the stages timed.</summary>
public enum PipelineKind
{
    PointCloud,
    SensorGraph,
}
