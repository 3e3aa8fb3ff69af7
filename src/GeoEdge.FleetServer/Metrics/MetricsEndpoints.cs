using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Http;
using GeoEdge.FleetServer.Identity;
using GeoEdge.FleetServer.Server;
using GeoEdge.FleetServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GeoEdge.FleetServer.Metrics;

/// <summary>Metric ingest from devices (exactly once), the per-version aggregates for the dashboard, and GET /metrics.</summary>
/// <remarks>GET /metrics needs a viewer token (Prometheus: <c>authorization: { credentials_file: ... }</c>): it names
/// rollouts, stages and fleet sizes, which an anonymous caller on the operator port has no business reading.</remarks>
public static class MetricsEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/v1/devices/{id}/metrics:batch", IngestAsync).RequireDevice();
        routes.MapGet("/v1/metrics/versions", VersionsAsync).RequireOperator(OperatorRole.Viewer);
        routes.MapGet("/metrics", PrometheusAsync).RequireOperator(OperatorRole.Viewer);
    }

    private static async Task<IResult> IngestAsync(string id, HttpContext context, FleetStore store)
    {
        (MetricsBatch? batch, IResult? problem) = await JsonBody.ReadAsync(context.Request, FleetJsonContext.Default.MetricsBatch).ConfigureAwait(false);
        if (batch is null)
        {
            return problem!;
        }

        try
        {
            MetricsAck ack = await new MetricsStore(store).IngestAsync(id, batch, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Json(ack, FleetJsonContext.Default.MetricsAck);
        }
        catch (MetricsBatchException e)
        {
            return FleetProblems.BadRequest("body." + e.Message);
        }
    }

    private static async Task<IResult> VersionsAsync(HttpContext context, FleetStore store) =>
        TypedResults.Json<IReadOnlyList<VersionAggregate>>(await new MetricsStore(store).AggregateByVersionAsync(context.RequestAborted).ConfigureAwait(false),
            MetricsJsonContext.Default.IReadOnlyListVersionAggregate);

    private static async Task<IResult> PrometheusAsync(HttpContext context, FleetStore store, FleetServerOptions options, RequestCounter counter)
    {
        FleetMetricsSnapshot snapshot = await new FleetMetricsReader(store, TimeSpan.FromSeconds(options.OfflineAfterSeconds)).ReadAsync(context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Text(FleetPrometheusText.Write(snapshot, counter.Snapshot()), FleetPrometheusText.ContentType);
    }
}
