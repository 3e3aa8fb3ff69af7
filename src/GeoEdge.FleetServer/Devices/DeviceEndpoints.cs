using System.Globalization;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Http;
using GeoEdge.FleetServer.Identity;
using GeoEdge.FleetServer.Server;
using GeoEdge.FleetServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GeoEdge.FleetServer.Devices;

/// <summary>Desired state (GET, ETag / If-None-Match, 429 when polled too fast) and reported state (PUT) for devices;
/// the device list and detail for operators.</summary>
public static class DeviceEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/v1/devices/{id}/desired", GetDesiredAsync).RequireDevice();
        routes.MapPut("/v1/devices/{id}/reported", PutReportedAsync).RequireDevice();
        routes.MapGet("/v1/devices", ListAsync).RequireOperator(OperatorRole.Viewer);
        routes.MapGet("/v1/devices/{id}", GetAsync).RequireOperator(OperatorRole.Viewer);
    }

    private static async Task<IResult> GetDesiredAsync(string id, HttpContext context, FleetStore store, PollThrottle throttle, FleetServerOptions options)
    {
        if (throttle.TryPoll(id) is { } wait)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return FleetProblems.Result(StatusCodes.Status429TooManyRequests, "too-many-requests", "Polling too fast",
                $"device '{id}' may poll desired state at most every {options.MinPollIntervalSeconds} s");
        }

        DesiredRecord desired = await store.Devices.GetDesiredAsync(id, context.RequestAborted).ConfigureAwait(false)
            ?? throw new DeviceNotFoundException(id);
        string etag = "\"" + desired.DesiredVersion.ToString(CultureInfo.InvariantCulture) + "\"";
        context.Response.Headers.ETag = etag;
        if (IfNoneMatch(context.Request, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Json(new DesiredState(desired.DesiredVersion, options.PollAfterSeconds, desired.Assignment), FleetJsonContext.Default.DesiredState);
    }

    private static async Task<IResult> PutReportedAsync(string id, HttpContext context, FleetStore store)
    {
        (ReportedState? reported, IResult? problem) = await JsonBody.ReadAsync(context.Request, FleetJsonContext.Default.ReportedState).ConfigureAwait(false);
        if (reported is null)
        {
            return problem!;
        }

        if (reported.LastDesiredStatus is null || reported.Models is null || reported.AgentVersion is null || reported.Board is null)
        {
            return FleetProblems.BadRequest("body: lastDesiredStatus, models, agentVersion and board are required");
        }

        await store.Devices.SaveReportedAsync(id, reported, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ListAsync(HttpContext context, FleetStore store, FleetServerOptions options)
    {
        List<DeviceRecord> devices = await store.Devices.ListAsync(context.RequestAborted).ConfigureAwait(false);
        DateTimeOffset now = store.Time.GetUtcNow();
        TimeSpan offline = TimeSpan.FromSeconds(options.OfflineAfterSeconds);
        return TypedResults.Json<IReadOnlyList<DeviceView>>(devices.ConvertAll(d => DeviceViews.From(d, now, offline)), FleetJsonContext.Default.IReadOnlyListDeviceView);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, FleetStore store, FleetServerOptions options)
    {
        DeviceRecord? device = await store.Devices.GetAsync(id, context.RequestAborted).ConfigureAwait(false);
        return device is null
            ? FleetProblems.NotFound($"device '{id}' is not enrolled")
            : TypedResults.Json(DeviceViews.From(device, store.Time.GetUtcNow(), TimeSpan.FromSeconds(options.OfflineAfterSeconds)), FleetJsonContext.Default.DeviceView);
    }

    private static bool IfNoneMatch(HttpRequest request, string etag)
    {
        foreach (string? value in request.Headers.IfNoneMatch)
        {
            foreach (string candidate in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (candidate == "*" || candidate == etag || candidate == "W/" + etag)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
