using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Actions;

/// <summary>What a device's status report does to its action: the rules of POST .../actions/{actionId}/status apart from
/// idempotency (which is keyed on the request, see IdempotencyRecord).</summary>
public static class ActionStatusPolicy
{
    public static StatusOutcome Decide(ActionRecord? action, string deviceId, ActionStatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (action is null || action.DeviceId != deviceId)
        {
            return StatusOutcome.NotFound;
        }

        if (report.Status == ActionStatus.TimedOut)
        {
            return StatusOutcome.Invalid; // the server's verdict, never the device's
        }

        // A canceled (or superseded, which cancels) action is no longer the device's business: 410 tells it to drop it.
        if (action.Status == ActionStatus.Canceled)
        {
            return StatusOutcome.Gone;
        }

        if (ActionStatuses.IsTerminal(action.Status))
        {
            return StatusOutcome.Final;
        }

        return report.Seq <= action.Seq ? StatusOutcome.Stale : StatusOutcome.Applied;
    }

    /// <summary>The HTTP status a device gets for <paramref name="outcome"/>.</summary>
    public static int HttpStatus(StatusOutcome outcome) => outcome switch
    {
        StatusOutcome.Applied or StatusOutcome.Stale or StatusOutcome.Final => 204,
        StatusOutcome.Gone => 410,
        StatusOutcome.NotFound => 404,
        _ => 400,
    };
}

/// <summary>What a status report did.</summary>
public enum StatusOutcome
{
    /// <summary>Stored as the action's new status.</summary>
    Applied,

    /// <summary>Older than the newest status held (seq): ignored, acknowledged.</summary>
    Stale,

    /// <summary>The action already has a terminal status, which is final: ignored, acknowledged.</summary>
    Final,

    /// <summary>The action was canceled or superseded (410).</summary>
    Gone,

    /// <summary>No such action for this device (404).</summary>
    NotFound,

    /// <summary>A status a device may not send (400).</summary>
    Invalid,
}
