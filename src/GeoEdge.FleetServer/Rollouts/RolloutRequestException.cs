namespace GeoEdge.FleetServer.Rollouts;

/// <summary>A rollout request the server refuses; Field names the JSON member at fault (e.g. "stages[1].percent") and
/// Status is the answer (400 malformed, 422 well-formed but unusable, such as a maintenance window).</summary>
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

    public RolloutRequestException(string field, string message, int status = 400)
        : base($"{field}: {message}")
    {
        Field = field;
        Status = status;
    }

    /// <summary>The JSON path of the member at fault.</summary>
    public string Field { get; }

    /// <summary>The HTTP status to answer with (400 unless the thrower says otherwise).</summary>
    public int Status { get; } = 400;
}
