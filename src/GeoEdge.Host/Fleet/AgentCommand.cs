namespace GeoEdge.Host.Fleet;

/// <summary>One step of a reconcile plan (iotedge's ICommand): it runs, and says what it is.</summary>
public interface IAgentCommand
{
    string Describe();

    Task ExecuteAsync(CancellationToken cancellationToken);
}

/// <summary>The commands that take the device from what it runs to the desired state, in order; empty = converged.</summary>
/// <param name="DesiredVersion">The desired version the plan serves.</param>
/// <param name="Commands">What to run.</param>
public sealed record ReconcilePlan(long DesiredVersion, IReadOnlyList<IAgentCommand> Commands)
{
    public bool IsEmpty => Commands.Count == 0;

    public override string ToString() => IsEmpty ? $"desired {DesiredVersion}: nothing to do" : $"desired {DesiredVersion}: {string.Join(", ", Commands.Select(c => c.Describe()))}";
}

/// <summary>Starts a new action through the OTA flow.</summary>
public sealed class StartActionCommand(OtaFlow flow, GeoEdge.Fleet.Contracts.Assignment assignment, long desiredVersion) : IAgentCommand
{
    public GeoEdge.Fleet.Contracts.Assignment Assignment => assignment;

    public string Describe() => $"start {assignment.ActionId} ({assignment.ModelName} {assignment.Version})";

    public Task ExecuteAsync(CancellationToken cancellationToken) => flow.StartAsync(assignment, desiredVersion, cancellationToken);
}

/// <summary>Runs the persisted, unfinished action on from where it stopped.</summary>
public sealed class ResumeActionCommand(OtaFlow flow, string actionId) : IAgentCommand
{
    public string ActionId => actionId;

    public string Describe() => $"resume {actionId}";

    public Task ExecuteAsync(CancellationToken cancellationToken) => flow.RunAsync(cancellationToken);
}
