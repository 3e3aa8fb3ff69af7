using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Fleet;

/// <summary>Runs a plan's commands in order; a transient failure (server, connection, disk) is retried with jittered
/// backoff a few times before the plan gives up until the next poll.</summary>
public sealed class PlanRunner(Backoff backoff, TimeProvider time, ILogger logger)
{
    public int MaxAttempts { get; init; } = 3;

    public async Task RunAsync(ReconcilePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (IAgentCommand command in plan.Commands)
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    await command.ExecuteAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (attempt + 1 < MaxAttempts && (e is IOException || (e is FleetRequestException { Transient: true })))
                {
                    TimeSpan delay = backoff.Delay(attempt);
                    Log.LoopFailed(logger, command.Describe(), delay.TotalSeconds, e.Message);
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
