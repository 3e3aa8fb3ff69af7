using System.Globalization;
using System.Text.Json;
using GeoEdge.Geometry;
using GeoEdge.Geometry.IO;
using GeoEdge.Host.Events;
using GeoEdge.Host.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Maps the diagnostics routes (health, readiness, metrics, status, models, infer, events, dashboard) onto an app.</summary>
public static class DiagnosticsEndpoints
{
    /// <summary>Maps every route; handlers close over <paramref name="services"/>, so nothing is resolved from DI per request.</summary>
    public static IEndpointRouteBuilder MapGeoEdgeDiagnostics(this IEndpointRouteBuilder app, DiagnosticsServices services)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(services);
        DiagnosticsServices s = services;

        app.MapGet("/", () => Results.Text(DashboardPage.Html, "text/html; charset=utf-8"));
        app.MapGet("/healthz", () => TypedResults.Json(new HealthResponse("alive", Uptime(s, s.State.Snapshot())), DiagnosticsJsonContext.Default.HealthResponse));
        app.MapGet("/readyz", () => ReadyZ(s));
        app.MapGet("/metrics", () => Results.Text(s.Metrics.ToText(), PrometheusTextWriter.ContentType));
        app.MapGet("/api/v1/status", () => TypedResults.Json(Status(s), DiagnosticsJsonContext.Default.StatusResponse));
        app.MapGet("/api/v1/models", async (CancellationToken ct) =>
            TypedResults.Json(await s.Models.ListAsync(ct).ConfigureAwait(false), DiagnosticsJsonContext.Default.IReadOnlyListModelSummary));
        app.MapPost("/api/v1/models/install", (HttpRequest request) => InstallAsync(s, request.HttpContext));
        app.MapPost("/api/v1/models/{name}/activate", (string name, HttpContext context) => ActivateAsync(s, name, context));
        app.MapPost("/api/v1/models/{name}/rollback", (string name, HttpContext context) => RollbackAsync(s, name, context));
        app.MapPost("/api/v1/infer", (HttpRequest request) => InferAsync(s, request.HttpContext));
        app.MapGet("/api/v1/events", (HttpRequest request) => EventsAsync(s, request.HttpContext));
        return app;
    }

    internal static StatusResponse Status(DiagnosticsServices s)
    {
        DeviceSnapshot snapshot = s.State.Snapshot();
        DateTimeOffset now = s.Time.GetUtcNow();
        var pipelines = new List<PipelineStatus>(snapshot.Pipelines.Count);
        foreach (PipelineHeartbeat p in snapshot.Pipelines)
        {
            PipelineMetrics? m = null;
            if (p.Version is { } version)
            {
                s.Metrics.TryGet(p.Name, p.Model, version, out m);
            }

            double? mean = null;
            if (m?.Histogram(PipelineStage.Total) is { } total)
            {
                long[] counts = new long[total.BucketCount];
                double sum = total.Snapshot(counts);
                long n = 0;
                foreach (long c in counts)
                {
                    n += c;
                }

                mean = n > 0 ? sum * 1e6 / n : null;
            }

            pipelines.Add(new PipelineStatus(
                p.Name,
                p.Model,
                p.Version,
                p.LastTick,
                p.ExpectedPeriod.TotalMilliseconds,
                Readiness.IsLate(p, now, s.Options.ReadinessPeriods) is not null,
                Readiness.IsFailing(p) is not null,
                m?.Inferences ?? 0,
                m?.Errors ?? 0,
                m?.TotalRejections ?? 0,
                m?.OutOfDistribution ?? 0,
                m?.Anomalies ?? 0,
                mean));
        }

        bool ready = Readiness.Evaluate(snapshot, now, s.Options.ReadinessPeriods).Ready;
        return new StatusResponse(snapshot.Device, snapshot.Board, snapshot.StartedAt, Uptime(s, snapshot), snapshot.ExecutionProvider, ready, pipelines, snapshot.Models);
    }

    private static IResult ReadyZ(DiagnosticsServices s)
    {
        ReadinessResponse readiness = Readiness.Evaluate(s.State.Snapshot(), s.Time.GetUtcNow(), s.Options.ReadinessPeriods);
        return TypedResults.Json(readiness, DiagnosticsJsonContext.Default.ReadinessResponse, statusCode: readiness.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> ActivateAsync(DiagnosticsServices s, string name, HttpContext context)
    {
        if (!s.Token.Accepts(context.Request.Headers.Authorization))
        {
            return Problems.Unauthorized(context);
        }

        (byte[]? body, IResult? error) = await RequestBody.ReadAsync(context, s.Options.MaxBodyBytes).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        ActivateRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, DiagnosticsJsonContext.Default.ActivateRequest);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest("bad-json", "Malformed JSON", $"the body is not {{\"version\": \"x.y.z\"}}: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(request?.Version))
        {
            return Problems.BadRequest("missing-version", "Missing version", "the body must name the version to activate: {\"version\": \"x.y.z\"}");
        }

        ModelControlResult result = await s.Models.ActivateAsync(name, request.Version, context.RequestAborted).ConfigureAwait(false);
        return ControlResult(result);
    }

    private static async Task<IResult> InstallAsync(DiagnosticsServices s, HttpContext context)
    {
        if (!s.Token.Accepts(context.Request.Headers.Authorization))
        {
            return Problems.Unauthorized(context);
        }

        (byte[]? body, IResult? error) = await RequestBody.ReadAsync(context, s.Options.MaxBodyBytes).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        InstallRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, DiagnosticsJsonContext.Default.InstallRequest);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest("bad-json", "Malformed JSON", $"the body is not {{\"path\": \"/path/to/bundle\"}}: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(request?.Path) || !Path.IsPathFullyQualified(request.Path))
        {
            return Problems.BadRequest("missing-path", "Missing path", "the body must name the bundle by absolute path: {\"path\": \"/path/to/bundle\"}");
        }

        return ControlResult(await s.Models.InstallAsync(request.Path, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> RollbackAsync(DiagnosticsServices s, string name, HttpContext context)
    {
        if (!s.Token.Accepts(context.Request.Headers.Authorization))
        {
            return Problems.Unauthorized(context);
        }

        return ControlResult(await s.Models.RollbackAsync(name, context.RequestAborted).ConfigureAwait(false));
    }

    private static IResult ControlResult(ModelControlResult result) => result.Outcome switch
    {
        ModelControlOutcome.Activated or ModelControlOutcome.RolledBack or ModelControlOutcome.Installed => TypedResults.Json(result, DiagnosticsJsonContext.Default.ModelControlResult),
        ModelControlOutcome.UnknownModel => Problems.Create(StatusCodes.Status404NotFound, "unknown-model", "Unknown model", result.Detail),
        ModelControlOutcome.UnknownVersion => Problems.Create(StatusCodes.Status404NotFound, "unknown-version", "Unknown model version", result.Detail),
        ModelControlOutcome.Refused => Problems.Create(StatusCodes.Status409Conflict, "refused", "The model store refused", result.Detail),
        _ => Problems.Create(StatusCodes.Status500InternalServerError, "activation-failed", "The operation failed; the previous version stays active", result.Detail),
    };

    private static async Task<IResult> InferAsync(DiagnosticsServices s, HttpContext context)
    {
        (byte[]? body, IResult? error) = await RequestBody.ReadAsync(context, s.Options.MaxBodyBytes).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        PointCloud cloud;
        try
        {
            cloud = InferenceRequestReader.Read(body, context.Request.ContentType);
        }
        catch (InferenceRequestException e)
        {
            return Problems.BadRequest("bad-request-body", "Malformed request body", e.Message);
        }
        catch (PointCloudFormatException e)
        {
            return Problems.BadRequest("bad-point-cloud", "Malformed point cloud", e.Message);
        }

        InferenceOutcome? outcome = await s.Inference.ClassifyAsync(cloud, context.RequestAborted).ConfigureAwait(false);
        if (outcome is null)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "no-active-model", "No point-cloud model is active", "no point-cloud pipeline has an active model to classify with");
        }

        if (outcome.Result.Value is not { } value)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "rejected", "The pipeline rejected the cloud", outcome.Result.Rejection!.ToString());
        }

        return TypedResults.Json(InferenceResponse.From(outcome.Model, outcome.Version, value), DiagnosticsJsonContext.Default.InferenceResponse);
    }

    private static async Task<IResult> EventsAsync(DiagnosticsServices s, HttpContext context)
    {
        if (context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            await EventStream.RunAsync(context, s.Events, s.Options.HeartbeatInterval, s.Time).ConfigureAwait(false);
            return Results.Empty;
        }

        int limit = 50;
        string? text = context.Request.Query["limit"];
        if (text is not null && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            return Problems.BadRequest("bad-limit", "Bad limit", $"limit must be a positive integer, got '{text}'");
        }

        return TypedResults.Json(s.Events.Snapshot(limit), EventJsonContext.Default.DeviceEventArray);
    }

    private static double Uptime(DiagnosticsServices s, DeviceSnapshot snapshot) =>
        Math.Max(0, (s.Time.GetUtcNow() - snapshot.StartedAt).TotalSeconds);
}
