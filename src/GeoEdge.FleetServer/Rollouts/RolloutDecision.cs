namespace GeoEdge.FleetServer.Rollouts;

/// <summary>What one evaluation of a rollout decided; the evaluator applies it to storage in one transaction.</summary>
/// <param name="State">The rollout's state after this evaluation.</param>
/// <param name="CurrentStage">The stage index after this evaluation.</param>
/// <param name="HaltReason">Set when this evaluation halted the rollout.</param>
/// <param name="StageStates">Stages whose state changed (index, new state).</param>
/// <param name="TimedOut">Action ids to mark timed_out.</param>
/// <param name="Assign">Devices to assign toVersion to, with their stage index.</param>
/// <param name="Revert">Devices to assign fromVersion back to (auto-revert of a halted rollout).</param>
public sealed record RolloutDecision(
    string State,
    int CurrentStage,
    string? HaltReason,
    IReadOnlyList<StageChange> StageStates,
    IReadOnlyList<string> TimedOut,
    IReadOnlyList<StageAssignment> Assign,
    IReadOnlyList<string> Revert)
{
    /// <summary>True when applying the decision changes nothing.</summary>
    public bool IsEmpty(RolloutSnapshot before) =>
        State == before.State && CurrentStage == before.CurrentStage && StageStates.Count == 0 && TimedOut.Count == 0
        && Assign.Count == 0 && Revert.Count == 0;
}

/// <summary>A stage entering a new state.</summary>
/// <param name="Index">Stage index.</param>
/// <param name="State">A StageStates name.</param>
public sealed record StageChange(int Index, string State);

/// <summary>A device to move to the rollout's toVersion as part of stage Index.</summary>
/// <param name="DeviceId">Device.</param>
/// <param name="Index">Stage index.</param>
public sealed record StageAssignment(string DeviceId, int Index);
