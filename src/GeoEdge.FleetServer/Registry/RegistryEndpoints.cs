using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Http;
using GeoEdge.FleetServer.Identity;
using GeoEdge.FleetServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace GeoEdge.FleetServer.Registry;

/// <summary>The model registry's routes (operator) and the content-addressed bundle download (devices, RFC 7233 ranges).</summary>
public static class RegistryEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/v1/models", UploadAsync).RequireOperator(OperatorRole.Operator);
        routes.MapGet("/v1/models", ListAsync).RequireOperator(OperatorRole.Viewer);
        routes.MapGet("/v1/models/{name}/versions", VersionsAsync).RequireOperator(OperatorRole.Viewer);
        routes.MapGet("/v1/bundles/{sha256}", Download).RequireDevice(ownRouteOnly: false);
    }

    private static async Task<IResult> UploadAsync(HttpContext context, ModelRegistry registry)
    {
        ModelUploadOutcome outcome = await registry.UploadAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        if (outcome.Version is null)
        {
            return FleetProblems.Result(outcome.Status, outcome.Problem!, "Bundle refused", outcome.Detail!);
        }

        return TypedResults.Json(outcome.Version.Info, FleetJsonContext.Default.ModelVersionInfo, statusCode: outcome.Status);
    }

    private static async Task<IResult> ListAsync(HttpContext context, FleetStore store)
    {
        List<ModelVersionRecord> versions = await store.Models.ListAsync(context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json<IReadOnlyList<ModelVersionInfo>>(versions.ConvertAll(v => v.Info), FleetJsonContext.Default.IReadOnlyListModelVersionInfo);
    }

    private static async Task<IResult> VersionsAsync(string name, HttpContext context, FleetStore store)
    {
        List<ModelVersionRecord> versions = await store.Models.ListVersionsAsync(name, context.RequestAborted).ConfigureAwait(false);
        return versions.Count == 0
            ? FleetProblems.NotFound($"model '{name}' has no registered versions")
            : TypedResults.Json<IReadOnlyList<ModelVersionInfo>>(versions.ConvertAll(v => v.Info), FleetJsonContext.Default.IReadOnlyListModelVersionInfo);
    }

    private static IResult Download(string sha256, IBlobStore blobs)
    {
        // The address is the content: the strong ETag is the hash itself, so a resumed download can check with If-Range
        // that the bytes it already has belong to the same file (ASP.NET's range processing answers 200 when it does not).
        Stream? stream = blobs.OpenRead(sha256);
        if (stream is null)
        {
            return FleetProblems.NotFound($"no bundle with sha256 '{sha256}'");
        }

        return TypedResults.Stream(stream, "application/octet-stream", fileDownloadName: null, lastModified: null,
            entityTag: new EntityTagHeaderValue("\"" + sha256 + "\""), enableRangeProcessing: true);
    }
}
