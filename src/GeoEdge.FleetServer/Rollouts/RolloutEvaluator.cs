using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using GeoEdge.FleetServer.Storage;

namespace GeoEdge.FleetServer.Rollouts;

/// <summary>Ticks every few seconds and evaluates each running rollout this replica holds the database lease for
/// ("rollout:{id}"), so several replicas over one PostgreSQL share the work without doing any of it twice.</summary>
public sealed partial class RolloutEvaluator : BackgroundService
{
    private readonly FleetStore _store;
    private readonly RolloutStore _rollouts;
    private readonly RolloutEvaluation _evaluation;
    private readonly TimeProvider _time;
    private readonly ILogger<RolloutEvaluator> _logger;
    private readonly TimeSpan _interval;

    public RolloutEvaluator(FleetStore store, TimeProvider time, ILogger<RolloutEvaluator> logger, string? owner = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _rollouts = new RolloutStore(store);
        _evaluation = new RolloutEvaluation(store);
        _time = time;
        _logger = logger;
        Owner = owner ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
        _interval = interval ?? TimeSpan.FromSeconds(5);
    }

    /// <summary>This replica's lease owner name.</summary>
    public string Owner { get; }

    /// <summary>A lease outlives several ticks, so a replica that stops ticking hands its rollouts over within this time.</summary>
    public static TimeSpan LeaseDuration { get; } = TimeSpan.FromSeconds(30);

    /// <summary>One pass over the running rollouts; returns how many this replica evaluated (held the lease for).</summary>
    public async Task<int> EvaluateOnceAsync(CancellationToken cancellationToken)
    {
        int evaluated = 0;
        foreach (string id in await _rollouts.RunningIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await _store.Leases.TryAcquireAsync("rollout:" + id, Owner, LeaseDuration, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            evaluated++;
            RolloutDecision? decision;
            try
            {
                decision = await _evaluation.RunAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One broken rollout (its bundle gone from the registry, say) must not stop the others.
                LogRolloutFailed(id, e);
                continue;
            }

            if (decision?.HaltReason is { } reason)
            {
                LogHalted(id, reason);
            }
            else if (decision is not null)
            {
                LogEvaluated(id, decision.State, decision.CurrentStage, decision.Assign.Count);
            }
        }

        return evaluated;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        do
        {
            try
            {
                await EvaluateOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database hiccup must not end the loop; the next tick tries again.
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Rollout {Rollout}: {State}, stage {Stage}, {Assigned} devices assigned")]
    private partial void LogEvaluated(string rollout, string state, int stage, int assigned);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Rollout {Rollout} halted: {Reason}")]
    private partial void LogHalted(string rollout, string reason);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Error, Message = "Rollout {Rollout}: evaluation failed")]
    private partial void LogRolloutFailed(string rollout, Exception exception);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Error, Message = "Rollout evaluation failed")]
    private partial void LogFailed(Exception exception);
}
