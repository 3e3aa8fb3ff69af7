namespace GeoEdge.Host.Models;

/// <summary>How an activation ended; a failed activation is a result (with its reason), never an exception.</summary>
/// <param name="Succeeded">The target version is active.</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">The version the activation targeted.</param>
/// <param name="FinalState">The last state that ran: Commit after a success, Rollback after a failure.</param>
/// <param name="Reason">Why it failed (null after a success).</param>
/// <param name="FailedAt">The state whose failure started the rollback (null after a success).</param>
/// <param name="Active">The version active when the activation ended (the target, or what was kept).</param>
public sealed record ActivationResult(
    bool Succeeded,
    string Model,
    string Version,
    ActivationState FinalState,
    string? Reason,
    ActivationState? FailedAt,
    string? Active)
{
    public override string ToString() => (Succeeded, FinalState) switch
    {
        (true, _) => $"{Model} {Version}: active",
        (false, ActivationState.Done) => $"{Model} {Version}: refused ({Reason}); active: {Active ?? "none"}",
        _ => $"{Model} {Version}: rolled back at {FailedAt} ({Reason}); active: {Active ?? "none"}",
    };
}
