using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Rollouts;

/// <summary>Everything the planner reads about one rollout at one instant (loaded from storage by the evaluator).</summary>
/// <param name="Id">Rollout id.</param>
/// <param name="Request">What was asked.</param>
/// <param name="State">A RolloutStates name.</param>
/// <param name="CurrentStage">Index of the stage being executed (Stages.Count once all succeeded).</param>
/// <param name="Stages">Each stage's devices, state and actions.</param>
public sealed record RolloutSnapshot(string Id, RolloutRequest Request, string State, int CurrentStage, IReadOnlyList<StageSnapshot> Stages);

/// <summary>One stage of a rollout as stored.</summary>
/// <param name="State">A StageStates name.</param>
/// <param name="Devices">The devices the split put in this stage.</param>
/// <param name="StartedAt">When its assignments were made (bake time counts from here); null while waiting.</param>
/// <param name="Actions">The stage's forward actions (toVersion), one per assigned device.</param>
/// <param name="Health">The stage's devices' metrics for toVersion, if any were reported.</param>
public sealed record StageSnapshot(string State, IReadOnlyList<string> Devices, DateTimeOffset? StartedAt, IReadOnlyList<ActionSnapshot> Actions, VersionHealth? Health);

/// <summary>One action as the planner needs it.</summary>
/// <param name="ActionId">Id.</param>
/// <param name="DeviceId">Device.</param>
/// <param name="Status">Latest status (queued until the device says more).</param>
/// <param name="AssignedAt">Server clock at assignment (the in-progress timeout counts from here).</param>
public sealed record ActionSnapshot(string ActionId, string DeviceId, ActionStatus Status, DateTimeOffset AssignedAt);

/// <summary>Merged metric windows of a set of devices for one model version.</summary>
/// <param name="Inferences">Inferences.</param>
/// <param name="Errors">Inference errors.</param>
/// <param name="P95LatencyMs">95th percentile latency from the merged histograms; null without inferences.</param>
public sealed record VersionHealth(long Inferences, long Errors, double? P95LatencyMs)
{
    /// <summary>Errors / inferences; 0 without inferences.</summary>
    public double ErrorRate => Inferences == 0 ? 0 : (double)Errors / Inferences;
}
