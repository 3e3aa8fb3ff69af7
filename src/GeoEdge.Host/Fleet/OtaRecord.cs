using GeoEdge.Fleet.Contracts;

namespace GeoEdge.Host.Fleet;

/// <summary>The OTA flow's persisted state and context (ota.json), written before each state's side effect.</summary>
/// <param name="Assignment">The action being carried out.</param>
/// <param name="DesiredVersion">The desired version that carried it.</param>
/// <param name="State">The state to run (or the terminal state reached).</param>
/// <param name="Attempts">Times <paramref name="State"/> was entered for this action (retries and restarts): the loop counter.</param>
/// <param name="NextSeq">The next per-action status seq.</param>
/// <param name="BytesSoFar">Bundle bytes on disk when the state was entered.</param>
/// <param name="Path">States run so far, in order (for status and tests: the exact path taken).</param>
/// <param name="Status">The last status posted.</param>
/// <param name="Details">Why the last failure happened, if one did.</param>
/// <param name="Abandoned">The server answered 410: the action is no longer current, nothing more is done for it.</param>
public sealed record OtaRecord(
    Assignment Assignment,
    long DesiredVersion,
    OtaState State,
    int Attempts,
    long NextSeq,
    long BytesSoFar,
    IReadOnlyList<OtaState> Path,
    ActionStatus? Status,
    string? Details,
    bool Abandoned = false)
{
    public string ActionId => Assignment.ActionId;

    public bool IsFinished => Abandoned || OtaTransitions.IsTerminal(State);
}
