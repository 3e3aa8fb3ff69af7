namespace GeoEdge.Host.Models;

/// <summary>The one transition table of an activation: (state, outcome) → next state.</summary>
/// <remarks>Mender's rule: every path is in this table and nowhere else, so the fault tests can enumerate it.
/// Any failure goes to Rollback; Rollback always ends in Done, even when it fails, because the device must
/// never loop on a broken model.</remarks>
public static class ActivationTable
{
    /// <summary>The states that do work, in order (Done excluded).</summary>
    public static IReadOnlyList<ActivationState> WorkingStates { get; } =
    [
        ActivationState.Verify, ActivationState.Load, ActivationState.WarmUp, ActivationState.SelfTest,
        ActivationState.Swap, ActivationState.Commit, ActivationState.Rollback,
    ];

    public static ActivationState Next(ActivationState state, ActivationOutcome outcome) => (state, outcome) switch
    {
        (ActivationState.Verify, ActivationOutcome.Succeeded) => ActivationState.Load,
        (ActivationState.Load, ActivationOutcome.Succeeded) => ActivationState.WarmUp,
        (ActivationState.WarmUp, ActivationOutcome.Succeeded) => ActivationState.SelfTest,
        (ActivationState.SelfTest, ActivationOutcome.Succeeded) => ActivationState.Swap,
        (ActivationState.Swap, ActivationOutcome.Succeeded) => ActivationState.Commit,
        (ActivationState.Commit, ActivationOutcome.Succeeded) => ActivationState.Done,
        (ActivationState.Rollback, _) => ActivationState.Done,
        (ActivationState.Done, _) => throw new InvalidOperationException("Done is terminal; nothing follows it"),
        (_, ActivationOutcome.Failed) => ActivationState.Rollback,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not an activation state"),
    };

    /// <summary>Where a process that died after persisting <paramref name="state"/> continues on restart.</summary>
    /// <remarks>Up to Swap nothing durable has changed (the slot was in memory), so the activation is rolled back;
    /// once Commit was persisted the target passed every check, so the commit is completed.</remarks>
    public static ActivationState ResumeAfterCrash(ActivationState state) => state switch
    {
        ActivationState.Commit => ActivationState.Commit,
        ActivationState.Done => ActivationState.Done,
        _ => ActivationState.Rollback,
    };
}
