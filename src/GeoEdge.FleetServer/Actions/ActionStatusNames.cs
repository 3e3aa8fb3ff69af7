using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Actions;

/// <summary>ActionStatus as stored and as RolloutView counts it: the wire's snake_case names.</summary>
public static class ActionStatusNames
{
    private static readonly Dictionary<string, ActionStatus> ByName = Enum.GetValues<ActionStatus>().ToDictionary(Name, s => s, StringComparer.Ordinal);

    public static string Name(ActionStatus status) => status switch
    {
        ActionStatus.Queued => "queued",
        ActionStatus.Downloading => "downloading",
        ActionStatus.Downloaded => "downloaded",
        ActionStatus.Verifying => "verifying",
        ActionStatus.Installed => "installed",
        ActionStatus.Activating => "activating",
        ActionStatus.Active => "active",
        ActionStatus.Failed => "failed",
        ActionStatus.RolledBack => "rolled_back",
        ActionStatus.Rejected => "rejected",
        ActionStatus.Canceled => "canceled",
        ActionStatus.AlreadyActive => "already_active",
        ActionStatus.TimedOut => "timed_out",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown action status"),
    };

    /// <summary>Parses a stored name; throws naming it when the database holds something this code does not know.</summary>
    public static ActionStatus Parse(string name) =>
        ByName.TryGetValue(name, out ActionStatus s) ? s : throw new InvalidOperationException($"unknown stored action status '{name}'");

    /// <summary>The non-terminal names, for SQL "status IN (...)" lists.</summary>
    public static string OpenList { get; } = string.Join(", ",
        Enum.GetValues<ActionStatus>().Where(s => !ActionStatuses.IsTerminal(s)).Select(s => $"'{Name(s)}'"));
}
