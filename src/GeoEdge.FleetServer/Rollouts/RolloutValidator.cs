using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Rollouts;

/// <summary>Checks a RolloutRequest before anything is stored; throws RolloutRequestException naming the field.</summary>
public static class RolloutValidator
{
    /// <summary>Validates <paramref name="request"/>; <paramref name="versionExists"/> answers whether (model, version) is in the registry.</summary>
    public static void Validate(RolloutRequest request, Func<string, string, bool> versionExists)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(versionExists);
        Require(!string.IsNullOrWhiteSpace(request.Model), "model", "is required");
        Require(!string.IsNullOrWhiteSpace(request.ToVersion), "toVersion", "is required");
        Require(versionExists(request.Model, request.ToVersion), "toVersion", $"{request.Model} {request.ToVersion} is not in the registry");
        Require(request.FromVersion != request.ToVersion, "fromVersion", "equals toVersion");
        Require(!request.AutoRevert || request.FromVersion is not null, "fromVersion", "is required when autoRevert is true");
        Require(request.Target is not null, "target", "is required");
        Require(request.Stages is { Count: > 0 }, "stages", "at least one stage is required");
        ValidateStages(request.Stages!);
        if (request.MaintenanceWindow is { } window)
        {
            ValidateWindow(window);
        }

        if (request.HealthGate is { } gate)
        {
            Require(gate.MaxErrorRate is null or (>= 0 and <= 1), "healthGate.maxErrorRate", $"{gate.MaxErrorRate} is outside [0, 1]");
            Require(gate.MaxP95LatencyMs is null or > 0, "healthGate.maxP95LatencyMs", $"{gate.MaxP95LatencyMs} is not positive");
        }
    }

    private static void ValidateStages(IReadOnlyList<StageSpec> stages)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        double percentSum = 0;
        for (int i = 0; i < stages.Count; i++)
        {
            StageSpec s = stages[i];
            string at = $"stages[{i}]";
            Require(s is not null, at, "is null");
            Require(!string.IsNullOrWhiteSpace(s!.Name), $"{at}.name", "is required");
            Require(names.Add(s.Name), $"{at}.name", $"'{s.Name}' is used by an earlier stage");
            bool last = i == stages.Count - 1;
            Require(last || s.Percent is not null || s.Count is not null, at, "percent or count is required (only the last stage may take the rest)");
            Require(s.Percent is null || s.Count is null, at, "give percent or count, not both");
            Require(s.Percent is null or (> 0 and <= 100), $"{at}.percent", $"{s.Percent} is outside (0, 100]");
            Require(s.Count is null or > 0, $"{at}.count", $"{s.Count} is not positive");
            Require(s.MinDevices >= 1, $"{at}.minDevices", $"{s.MinDevices} is below 1");
            Require(s.BakeMinutes >= 0, $"{at}.bakeMinutes", $"{s.BakeMinutes} is negative");
            Require(s.SuccessPct is >= 0 and <= 100, $"{at}.successPct", $"{s.SuccessPct} is outside [0, 100]");
            Require(s.ErrorPct is >= 0 and <= 100, $"{at}.errorPct", $"{s.ErrorPct} is outside [0, 100]");
            Require(s.OnSuccess is StageTransitions.Next or StageTransitions.Pause, $"{at}.onSuccess", $"'{s.OnSuccess}' is not 'next' or 'pause'");
            Require(s.InProgressTimeoutMinutes > 0, $"{at}.inProgressTimeoutMinutes", $"{s.InProgressTimeoutMinutes} is not positive");
            percentSum += s.Percent ?? 0;
            Require(percentSum <= 100 + 1e-9, $"{at}.percent", $"the stages' percents add up to {percentSum} (over 100)");
        }
    }

    // 422, not 400: the JSON is well-formed, but a device could not act on this window (a malformed time would be
    // rejected by every device; Start == End reads as "all day" on a device, which is rarely what an operator means).
    private static void ValidateWindow(MaintenanceWindow window)
    {
        const int Unprocessable = 422;
        Require(MaintenanceWindow.IsTime(window.StartUtc), "maintenanceWindow.startUtc", $"'{window.StartUtc}' is not HH:mm (UTC, 00:00 to 23:59)", Unprocessable);
        Require(MaintenanceWindow.IsTime(window.EndUtc), "maintenanceWindow.endUtc", $"'{window.EndUtc}' is not HH:mm (UTC, 00:00 to 23:59)", Unprocessable);
        Require(window.StartUtc != window.EndUtc, "maintenanceWindow", $"startUtc and endUtc are both {window.StartUtc}: omit the window for \"any time\"", Unprocessable);
    }

    private static void Require(bool condition, string field, string message, int status = 400)
    {
        if (!condition)
        {
            throw new RolloutRequestException(field, message, status);
        }
    }
}

/// <summary>The values of StageSpec.OnSuccess.</summary>
public static class StageTransitions
{
    /// <summary>Start the next stage at once.</summary>
    public const string Next = "next";

    /// <summary>Pause the rollout until POST .../resume.</summary>
    public const string Pause = "pause";
}
