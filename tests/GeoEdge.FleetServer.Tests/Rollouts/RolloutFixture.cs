using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Rollouts;

namespace GeoEdge.FleetServer.Tests.Rollouts;

/// <summary>The brief's example: 10 devices d00..d09, canary 10 % / 50 % / rest, errorPct 20, minDevices 2, 10 min bake.</summary>
internal static class RolloutFixture
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public static readonly string[] Devices = Enumerable.Range(0, 10).Select(i => $"d{i:00}").ToArray();

    // Computed independently: python3 sorted(devices, key=sha256("r1/" + d).hexdigest()).
    public static readonly string[] Canary = ["d04"];
    public static readonly string[] Middle = ["d03", "d07", "d08", "d09", "d05"];
    public static readonly string[] Rest = ["d02", "d06", "d01", "d00"];

    public static StageSpec Stage(string name, double? percent, string onSuccess = "next") =>
        new(name, percent, null, MinDevices: 2, BakeMinutes: 10, SuccessPct: 80, ErrorPct: 20, onSuccess, InProgressTimeoutMinutes: 30);

    public static RolloutRequest Request(bool autoRevert = false, HealthGate? gate = null, string canaryOnSuccess = "next") =>
        new("shapes-dgcnn", "1.0.0", "1.1.0", new TargetSelector(), [Stage("canary", 10, canaryOnSuccess), Stage("half", 50), Stage("rest", null)],
            AutoRevert: autoRevert, HealthGate: gate);

    public static StageSnapshot Waiting(string[] devices) => new(StageStates.Waiting, devices, null, [], null);

    /// <summary>A stage assigned at <paramref name="at"/> with the given statuses (one per device, in order; null = no action yet).</summary>
    public static StageSnapshot Assigned(string[] devices, DateTimeOffset at, string state, ActionStatus[] statuses, VersionHealth? health = null) =>
        new(state, devices, at, devices.Zip(statuses).Select(p => new ActionSnapshot($"a-{p.First}", p.First, p.Second, at)).ToArray(), health);

    public static ActionStatus[] All(int n, ActionStatus s) => Enumerable.Repeat(s, n).ToArray();
}
