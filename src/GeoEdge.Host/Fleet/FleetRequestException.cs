using GeoEdge.Fleet.Contracts;

namespace GeoEdge.Host.Fleet;

/// <summary>A fleet server call failed: the HTTP status (null when no answer came), the server's problem document, and
/// whether trying again later can help (5xx, 429, timeouts, a broken connection) or not (any other 4xx).</summary>
public sealed class FleetRequestException : Exception
{
    public FleetRequestException()
    {
    }

    public FleetRequestException(string message)
        : base(message)
    {
    }

    public FleetRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FleetRequestException(string request, int? status, FleetProblem? problem, bool transient, Exception? innerException = null)
        : base(Describe(request, status, problem, innerException), innerException)
    {
        Request = request;
        Status = status;
        Problem = problem;
        Transient = transient;
    }

    /// <summary>"GET /v1/devices/d1/desired".</summary>
    public string? Request { get; }

    public int? Status { get; }

    public FleetProblem? Problem { get; }

    /// <summary>True when the same request may succeed later (the agent backs off and retries); false for a 4xx other than 429.</summary>
    public bool Transient { get; }

    private static string Describe(string request, int? status, FleetProblem? problem, Exception? inner) =>
        status is null
            ? $"{request}: no answer ({inner?.GetType().Name}: {inner?.Message})"
            : $"{request}: {status} {problem?.Title}{(problem?.Detail is { } d ? $": {d}" : string.Empty)}";
}
