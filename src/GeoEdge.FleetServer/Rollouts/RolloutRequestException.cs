namespace GeoEdge.FleetServer.Rollouts;

/// <summary>A rollout request the server refuses; Field names the JSON member at fault (e.g. "stages[1].percent").</summary>
public sealed class RolloutRequestException : Exception
{
    public RolloutRequestException()
    {
        Field = string.Empty;
    }

    public RolloutRequestException(string message)
        : base(message)
    {
        Field = string.Empty;
    }

    public RolloutRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
    }

    public RolloutRequestException(string field, string message)
        : base($"{field}: {message}")
    {
        Field = field;
    }

    /// <summary>The JSON path of the member at fault.</summary>
    public string Field { get; }
}
