namespace GeoEdge.FleetServer.Metrics;

/// <summary>A malformed metrics batch; Field names the JSON member at fault (e.g. "records[2].latencyCounts").</summary>
public sealed class MetricsBatchException : Exception
{
    public MetricsBatchException()
    {
        Field = string.Empty;
    }

    public MetricsBatchException(string message)
        : base(message)
    {
        Field = string.Empty;
    }

    public MetricsBatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
    }

    public MetricsBatchException(string field, string message)
        : base($"{field}: {message}")
    {
        Field = field;
    }

    /// <summary>The JSON path of the member at fault.</summary>
    public string Field { get; }
}
