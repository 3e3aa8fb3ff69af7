using GeoEdge.Fleet.Contracts;
using Microsoft.AspNetCore.Http;

namespace GeoEdge.FleetServer.Http;

/// <summary>application/problem+json answers (the <see cref="FleetProblem"/> shape) that say what was wrong and where.</summary>
public static class FleetProblems
{
    /// <summary>The media type of every error answer.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>A problem result for a handler.</summary>
    public static IResult Result(int status, string type, string title, string detail) =>
        TypedResults.Json(new FleetProblem("urn:geoedge:fleet:" + type, title, status, detail), FleetJsonContext.Default.FleetProblem, ContentType, status);

    /// <summary>Writes a problem from middleware (no result pipeline there).</summary>
    public static Task WriteAsync(HttpContext context, int status, string type, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new FleetProblem("urn:geoedge:fleet:" + type, title, status, detail),
            FleetJsonContext.Default.FleetProblem, ContentType, context.RequestAborted);
    }

    /// <summary>400 for a body or parameter that is malformed: <paramref name="detail"/> names the field.</summary>
    public static IResult BadRequest(string detail) => Result(StatusCodes.Status400BadRequest, "bad-request", "Malformed request", detail);

    /// <summary>404 for a named thing that does not exist.</summary>
    public static IResult NotFound(string detail) => Result(StatusCodes.Status404NotFound, "not-found", "Not found", detail);
}
