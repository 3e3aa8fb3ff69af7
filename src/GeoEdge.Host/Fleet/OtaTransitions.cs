using System.Collections.Frozen;
using GeoEdge.Fleet.Contracts;

namespace GeoEdge.Host.Fleet;

/// <summary>One row of the OTA flow: in <paramref name="From"/>, <paramref name="Event"/> leads to <paramref name="To"/>
/// and posts <paramref name="Status"/> (none for a retry or an internal step).</summary>
public sealed record OtaTransition(OtaState From, OtaEvent Event, OtaState To, ActionStatus? Status, string? Code = null);

/// <summary>The whole OTA flow as one table (Mender's state_machine.cpp): every (state, event) pair the agent can meet,
/// and nothing else; a pair missing from the table is a bug, thrown as such.</summary>
public static class OtaTransitions
{
    public static IReadOnlyList<OtaTransition> Rows { get; } =
    [
        new(OtaState.Idle, OtaEvent.Assigned, OtaState.Download, ActionStatus.Downloading),
        new(OtaState.Idle, OtaEvent.AlreadyActive, OtaState.Done, ActionStatus.AlreadyActive),
        new(OtaState.Idle, OtaEvent.Rejected, OtaState.Failure, ActionStatus.Rejected, "unknown_model"),
        new(OtaState.Idle, OtaEvent.WindowMalformed, OtaState.Failure, ActionStatus.Rejected, "maintenance_window"),
        new(OtaState.Idle, OtaEvent.Error, OtaState.Idle, null),

        new(OtaState.Download, OtaEvent.Succeeded, OtaState.Verify, ActionStatus.Downloaded),
        new(OtaState.Download, OtaEvent.Error, OtaState.Download, null),
        new(OtaState.Download, OtaEvent.Failed, OtaState.Failure, ActionStatus.Failed, "download"),

        new(OtaState.Verify, OtaEvent.Succeeded, OtaState.Install, ActionStatus.Verifying),
        new(OtaState.Verify, OtaEvent.Error, OtaState.Verify, null),
        new(OtaState.Verify, OtaEvent.Rejected, OtaState.Failure, ActionStatus.Rejected, "sha256"),

        new(OtaState.Install, OtaEvent.Succeeded, OtaState.Activate, ActionStatus.Installed),
        new(OtaState.Install, OtaEvent.Error, OtaState.Install, null),
        new(OtaState.Install, OtaEvent.Rejected, OtaState.Failure, ActionStatus.Rejected, "signature"),

        new(OtaState.Activate, OtaEvent.Succeeded, OtaState.Commit, null),
        new(OtaState.Activate, OtaEvent.Error, OtaState.Activate, null),
        new(OtaState.Activate, OtaEvent.Failed, OtaState.Failure, ActionStatus.Failed, "activation"),
        new(OtaState.Activate, OtaEvent.RolledBack, OtaState.Failure, ActionStatus.RolledBack, "self_test"),
        new(OtaState.Activate, OtaEvent.WindowMalformed, OtaState.Failure, ActionStatus.Rejected, "maintenance_window"),

        new(OtaState.Commit, OtaEvent.Succeeded, OtaState.Done, ActionStatus.Active),
        new(OtaState.Commit, OtaEvent.Error, OtaState.Commit, null),
        new(OtaState.Commit, OtaEvent.Failed, OtaState.Rollback, null),

        new(OtaState.Rollback, OtaEvent.Succeeded, OtaState.Failure, ActionStatus.RolledBack, "commit"),
        new(OtaState.Rollback, OtaEvent.Error, OtaState.Rollback, null),
        new(OtaState.Rollback, OtaEvent.Failed, OtaState.Failure, ActionStatus.Failed, "rollback"),

        new(OtaState.Idle, OtaEvent.LoopExceeded, OtaState.Failure, ActionStatus.Failed, "loop"),
        new(OtaState.Download, OtaEvent.LoopExceeded, OtaState.Failure, ActionStatus.Failed, "loop"),
        new(OtaState.Verify, OtaEvent.LoopExceeded, OtaState.Failure, ActionStatus.Failed, "loop"),
        new(OtaState.Install, OtaEvent.LoopExceeded, OtaState.Failure, ActionStatus.Failed, "loop"),
        new(OtaState.Activate, OtaEvent.LoopExceeded, OtaState.Failure, ActionStatus.Failed, "loop"),
        new(OtaState.Commit, OtaEvent.LoopExceeded, OtaState.Rollback, null),
        new(OtaState.Rollback, OtaEvent.LoopExceeded, OtaState.Failure, ActionStatus.Failed, "loop"),
    ];

    private static readonly FrozenDictionary<(OtaState, OtaEvent), OtaTransition> Table = Rows.ToFrozenDictionary(r => (r.From, r.Event));

    public static bool IsTerminal(OtaState state) => state is OtaState.Done or OtaState.Failure;

    /// <summary>The row for (state, event).</summary>
    /// <exception cref="InvalidOperationException">The table has no such row (a state posted an event it must not).</exception>
    public static OtaTransition Next(OtaState state, OtaEvent outcome) =>
        Table.TryGetValue((state, outcome), out OtaTransition? row) ? row : throw new InvalidOperationException($"the OTA table has no transition from {state} on {outcome}");
}
