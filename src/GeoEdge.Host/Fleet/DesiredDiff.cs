using GeoEdge.Fleet.Contracts;

namespace GeoEdge.Host.Fleet;

/// <summary>Desired state vs what the device is doing → a <see cref="ReconcilePlan"/> (iotedge's Diff + planner). Pure:
/// the store's own view (already active) is the OTA flow's first state, so the plan never guesses about models.</summary>
public static class DesiredDiff
{
    public static ReconcilePlan Plan(DesiredState desired, OtaRecord? current, OtaFlow flow)
    {
        ArgumentNullException.ThrowIfNull(desired);
        Assignment? wanted = desired.Assignment;
        if (current is { IsFinished: false } && (wanted is null || wanted.ActionId == current.ActionId))
        {
            return new ReconcilePlan(desired.DesiredVersion, [new ResumeActionCommand(flow, current.ActionId)]);
        }

        if (wanted is null || (current is not null && current.ActionId == wanted.ActionId))
        {
            return new ReconcilePlan(desired.DesiredVersion, []); // nothing asked, or this action was carried out already
        }

        return new ReconcilePlan(desired.DesiredVersion, [new StartActionCommand(flow, wanted, desired.DesiredVersion)]);
    }

    /// <summary>lastDesiredStatus for the reported state: 200 converged, 102 in progress, 4xx/5xx failed.</summary>
    public static DesiredStatus StatusOf(DesiredState desired, OtaRecord? current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        if (desired.Assignment is not { } a)
        {
            return new DesiredStatus(DesiredStatus.Converged, "converged: nothing assigned");
        }

        if (current is null || current.ActionId != a.ActionId)
        {
            return new DesiredStatus(DesiredStatus.InProgress, $"{a.ActionId}: not started");
        }

        string what = $"{a.ActionId} ({a.ModelName} {a.Version})";
        return current switch
        {
            { Abandoned: true } => new DesiredStatus(410, $"{what}: abandoned, the server says it is no longer current"),
            { State: OtaState.Done } => new DesiredStatus(DesiredStatus.Converged, $"{what}: {(current.Status == ActionStatus.AlreadyActive ? "already active" : "active")}"),
            { State: OtaState.Failure, Status: ActionStatus.Rejected } => new DesiredStatus(422, $"{what}: rejected: {current.Details}"),
            { State: OtaState.Failure, Status: ActionStatus.RolledBack } => new DesiredStatus(409, $"{what}: rolled back: {current.Details}"),
            { State: OtaState.Failure } => new DesiredStatus(500, $"{what}: failed: {current.Details}"),
            _ => new DesiredStatus(DesiredStatus.InProgress, $"{what}: {current.State}"),
        };
    }
}
