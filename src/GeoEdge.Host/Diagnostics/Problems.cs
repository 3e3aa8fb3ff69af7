using Microsoft.AspNetCore.Http;

namespace GeoEdge.Host.Diagnostics;

/// <summary>application/problem+json answers: one factory per kind of error the API reports.</summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json";

    public static IResult Create(int status, string type, string title, string detail, string? instance = null) =>
        TypedResults.Json(new ApiProblem("urn:geoedge:problem:" + type, title, status, detail, instance), DiagnosticsJsonContext.Default.ApiProblem, ContentType, status);

    public static IResult BadRequest(string type, string title, string detail) => Create(StatusCodes.Status400BadRequest, type, title, detail);

    public static IResult Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Create(StatusCodes.Status401Unauthorized, "unauthorized", "Missing or wrong bearer token", "this route needs 'Authorization: Bearer <token>' with the token from the device's diagnostics token file");
    }

    public static IResult TooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Request body too large", $"the body exceeds the limit of {limit} bytes");
}
