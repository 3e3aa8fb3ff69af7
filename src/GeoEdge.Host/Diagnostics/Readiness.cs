using System.Globalization;

namespace GeoEdge.Host.Diagnostics;

/// <summary>Decides readiness from a snapshot: every model loaded, every pipeline ticked within a few expected periods.</summary>
public static class Readiness
{
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
            if (IsLate(pipeline, now, periods) is { } late)
            {
                reasons.Add(late);
            }
        }

        return new ReadinessResponse(reasons.Count == 0, reasons);
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
