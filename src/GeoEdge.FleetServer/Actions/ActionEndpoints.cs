using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Http;
using GeoEdge.FleetServer.Identity;
using GeoEdge.FleetServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GeoEdge.FleetServer.Actions;

/// <summary>POST /v1/devices/{id}/actions/{actionId}/status: a device's progress on an action, once per Idempotency-Key.</summary>
public static class ActionEndpoints
{
    /// <summary>A status report is small; anything larger is not one.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/v1/devices/{id}/actions/{actionId}/status", ReportAsync).RequireDevice();
    }

    private static async Task<IResult> ReportAsync(string id, string actionId, HttpContext context, FleetStore store)
    {
        string? key = context.Request.Headers["Idempotency-Key"];
        if (string.IsNullOrWhiteSpace(key) || key.Length > IdempotencyRecord.MaxKeyLength)
        {
            return FleetProblems.BadRequest($"header Idempotency-Key: required, 1 to {IdempotencyRecord.MaxKeyLength} characters");
        }

        if (context.Request.ContentType is null || !context.Request.HasJsonContentType())
        {
            return FleetProblems.Result(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "JSON expected",
                $"Content-Type '{context.Request.ContentType}' is not application/json");
        }

        byte[]? body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            return FleetProblems.Result(StatusCodes.Status413PayloadTooLarge, "too-large", "Body too large", $"a status report may be at most {MaxBodyBytes} bytes");
        }

        ActionStatusReport? report;
        try
        {
            report = JsonSerializer.Deserialize(body, FleetJsonContext.Default.ActionStatusReport);
        }
        catch (JsonException e)
        {
            return FleetProblems.BadRequest($"body is not a valid ActionStatusReport at {e.Path ?? "$"}: {e.Message}");
        }

        if (report is null)
        {
            return FleetProblems.BadRequest("body: ActionStatusReport expected, got null");
        }

        int status = await new ActionStore(store).ReportAsync(id, actionId, key, IdempotencyRecord.Hash(body), report, context.RequestAborted).ConfigureAwait(false);
        return status switch
        {
            StatusCodes.Status204NoContent => TypedResults.NoContent(),
            StatusCodes.Status410Gone => FleetProblems.Result(status, "gone", "Action no longer current", $"action '{actionId}' was canceled or superseded; drop it"),
            StatusCodes.Status404NotFound => FleetProblems.NotFound($"device '{id}' has no action '{actionId}'"),
            StatusCodes.Status422UnprocessableEntity => FleetProblems.Result(status, "idempotency-key-reused", "Idempotency-Key reused",
                $"Idempotency-Key '{key}' was first used with another body"),
            _ => FleetProblems.BadRequest($"body.status: a device may not report '{report.Status}'"),
        };
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }
}
