namespace GeoEdge.Host.Models;

/// <summary>One model as the store sees it: installed versions, active and previous, what its slot serves, the last activation.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Installed">Installed versions, oldest first (semantic-version order).</param>
/// <param name="Active">The version state.json names active.</param>
/// <param name="Previous">The version a rollback returns to.</param>
/// <param name="Serving">The version in the model's slot in this process (null when nothing is loaded).</param>
/// <param name="InProgress">The activation state.json says is under way (target, state), if any.</param>
/// <param name="LastActivation">How the last activation ended.</param>
public sealed record ModelSummary(
    string Name,
    IReadOnlyList<string> Installed,
    string? Active,
    string? Previous,
    string? Serving,
    (string Target, ActivationState State)? InProgress,
    ActivationResult? LastActivation);

/// <summary>What <see cref="ModelStore.RecoverAsync"/> found and did for one model.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Active">The active version after recovery (null when the model has none that runs).</param>
/// <param name="Loaded">The active version passed verify, load and self-test and is in the model's slot.</param>
/// <param name="Resumed">The interrupted activation that was rolled back or completed, if there was one.</param>
/// <param name="Problem">Why the recorded active version could not run (and what was done), if it could not.</param>
public sealed record RecoveryReport(string Model, string? Active, bool Loaded, ActivationResult? Resumed, string? Problem);
