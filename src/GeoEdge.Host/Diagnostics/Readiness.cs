using System.Globalization;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Decides readiness from a snapshot: every model loaded, every pipeline ticked within a few expected periods and
/// not failing every inference.</summary>
/// <remarks>An inference that throws does not stop its pipeline (it is counted and the loop goes on), so a loop can be alive
/// and still give nothing: <see cref="FailedInARowLimit"/> failures in a row, with no result between them, make the pipeline
/// not ready until its next result. One failing input among good ones does not (the error metrics say how many).</remarks>
public static class Readiness
{
    /// <summary>Inferences that must fail in a row before readiness reports the pipeline failing.</summary>
    public const int FailedInARowLimit = 5;

    public static ReadinessResponse Evaluate(DeviceSnapshot snapshot, DateTimeOffset now, double periods)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var reasons = new List<string>();
        foreach (ModelState model in snapshot.Models)
        {
            if (!model.Loaded || model.Active is null)
            {
                reasons.Add($"model '{model.Name}' is not loaded");
            }
        }

        foreach (PipelineHeartbeat pipeline in snapshot.Pipelines)
        {
            if (IsFailing(pipeline) is { } failing)
            {
                reasons.Add(failing);
            }

            if (IsLate(pipeline, now, periods) is { } late)
            {
                reasons.Add(late);
            }
        }

        return new ReadinessResponse(reasons.Count == 0, reasons);
    }

    /// <summary>Why the pipeline counts as failing (its last <see cref="FailedInARowLimit"/> or more inferences threw), or null.</summary>
    public static string? IsFailing(PipelineHeartbeat pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return pipeline.FailedInARow < FailedInARowLimit
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"pipeline '{pipeline.Name}' failed its last {pipeline.FailedInARow} inferences; the last: {pipeline.LastError}");
    }

    /// <summary>Why the pipeline counts as late, or null when it ticked in time.</summary>
    public static string? IsLate(PipelineHeartbeat pipeline, DateTimeOffset now, double periods)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        if (pipeline.LastTick is not { } last)
        {
            return $"pipeline '{pipeline.Name}' has not ticked yet";
        }

        TimeSpan age = now - last;
        TimeSpan allowed = pipeline.ExpectedPeriod * periods;
        return age <= allowed
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"pipeline '{pipeline.Name}' last ticked {age.TotalSeconds:0.###} s ago; allowed {allowed.TotalSeconds:0.###} s ({periods} periods of {pipeline.ExpectedPeriod.TotalSeconds:0.###} s)");
    }
}
