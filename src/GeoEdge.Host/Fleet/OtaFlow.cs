using System.Text.Json;
using GeoEdge.Fleet.Contracts;
using Microsoft.Extensions.Logging;

namespace GeoEdge.Host.Fleet;

/// <summary>Runs one action through <see cref="OtaTransitions"/>: the record is persisted before each state's side
/// effect (so a restart resumes there), the loop counter ends a state entered too often, each transition's status goes
/// through the <see cref="StatusOutbox"/>, and a 410 from the server abandons the action.</summary>
/// <remarks>Activate "attempt" with a maintenance window: outside the window the run returns with the record parked at
/// Activate (installed posted, the loop counter untouched, no table row taken) and the next reconcile pass, or a
/// restart, runs it again and re-checks the clock; "forced" or no window activates at once. A window that is not
/// "HH:mm" is rejected by Idle before any download (code maintenance_window), never thrown on every pass. Download
/// "attempt" is treated as "forced": our devices have no metered-link signal to defer on.</remarks>
public sealed class OtaFlow(AgentFiles files, OtaSteps steps, StatusOutbox outbox, TimeProvider time, ILogger logger)
{
    /// <summary>Entries of one state (retries and restarts together) before the flow gives up on it.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How long a state may run before it counts as hung (an Error: it runs again, or the loop counter ends it).</summary>
    public Func<OtaState, TimeSpan> StateTimeout { get; init; } = static s => s == OtaState.Download ? TimeSpan.FromHours(1) : TimeSpan.FromMinutes(10);

    /// <summary>Called after a state's record is persisted and before its side effect (fault injection in tests).</summary>
    public Func<OtaRecord, CancellationToken, ValueTask>? StatePersisted { get; init; }

    /// <summary>The persisted record of the current (or last) action, if any.</summary>
    public OtaRecord? Current => File.Exists(files.Ota) ? JsonSerializer.Deserialize(File.ReadAllBytes(files.Ota), AgentJsonContext.Default.OtaRecord) : null;

    /// <summary>Starts a new action (replacing a finished one) and runs it to its end (or to a deferred activation).</summary>
    public Task<OtaRecord> StartAsync(Assignment assignment, long desiredVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (Current is { IsFinished: false } running && running.ActionId != assignment.ActionId)
        {
            steps.CleanUp(running.Assignment); // a newer desired state replaces an unfinished action
        }

        Persist(new OtaRecord(assignment, desiredVersion, OtaState.Idle, 0, 1, 0, [], null, null));
        return RunAsync(cancellationToken);
    }

    /// <summary>Runs the persisted action from its persisted state to its end or to a deferred activation (a no-op for a finished one).</summary>
    public async Task<OtaRecord> RunAsync(CancellationToken cancellationToken)
    {
        OtaRecord record = Current ?? throw new InvalidOperationException($"{files.Ota}: no action to run");
        if (!record.IsFinished && record.Attempts > 0)
        {
            Log.Resuming(logger, record.ActionId, record.State, record.Attempts + 1);
        }

        while (!record.IsFinished)
        {
            if (record.State == OtaState.Activate && WaitsForWindow(record.Assignment))
            {
                return record; // not an attempt: nothing ran, so nothing is counted or posted
            }

            record = record with { Attempts = record.Attempts + 1, Path = [.. record.Path, record.State] };
            Persist(record);
            OtaEvent outcome;
            string? details;
            if (record.Attempts > MaxAttempts)
            {
                (outcome, details) = (OtaEvent.LoopExceeded, $"{record.State} entered {record.Attempts} times; last: {record.Details}");
            }
            else
            {
                (outcome, details) = await RunStateAsync(record, cancellationToken).ConfigureAwait(false);
            }

            record = await TransitionAsync(record, outcome, details, cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    private bool WaitsForWindow(Assignment assignment)
    {
        // A malformed window does not wait: the Activate step rejects it (Contains would throw on every pass).
        if (assignment.Activate != AssignmentMode.Attempt || assignment.MaintenanceWindow is not { } window || window.Problem() is not null
            || window.Contains(time.GetUtcNow()))
        {
            return false;
        }

        Log.ActivationDeferred(logger, assignment.ActionId, window.StartUtc, window.EndUtc);
        return true;
    }

    private async Task<(OtaEvent, string?)> RunStateAsync(OtaRecord record, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StateTimeout(record.State));
        try
        {
            if (StatePersisted is { } hook)
            {
                await hook(record, timeout.Token).ConfigureAwait(false);
            }

            long seq = record.NextSeq;
            return await steps.RunAsync(record, status =>
            {
                // An in-state status takes a seq of its own; the record keeps the count so a replay reuses it.
                outbox.Enqueue(record.ActionId, new ActionStatusReport(seq, time.GetUtcNow(), status));
                record = record with { NextSeq = seq + 1 };
                Persist(record);
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (OtaEvent.Error, $"{record.State} did not finish within {StateTimeout(record.State)} (hung)");
        }
        catch (IOException e)
        {
            return (OtaEvent.Error, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<OtaRecord> TransitionAsync(OtaRecord record, OtaEvent outcome, string? details, CancellationToken cancellationToken)
    {
        record = Current!; // an in-state status may have advanced NextSeq
        OtaTransition row = OtaTransitions.Next(record.State, outcome);
        Log.Transition(logger, record.ActionId, record.State, outcome, row.To, record.Attempts);
        if (outcome is OtaEvent.Error or OtaEvent.Failed or OtaEvent.Rejected or OtaEvent.RolledBack or OtaEvent.LoopExceeded)
        {
            Log.StateFailed(logger, record.ActionId, record.State, details ?? outcome.ToString());
        }

        long seq = record.NextSeq;
        if (row.Status is { } status)
        {
            bool terminal = ActionStatuses.IsTerminal(status);
            outbox.Enqueue(record.ActionId, new ActionStatusReport(seq, time.GetUtcNow(), status,
                status == ActionStatus.Downloading ? new ActionProgress(0, record.Assignment.Bundle.Size) : null,
                terminal && !ActionStatuses.IsSuccess(status) ? row.Code : null,
                details));
            seq++;
        }

        OtaState to = row.To;
        record = record with
        {
            State = to,
            Attempts = to == record.State ? record.Attempts : 0,
            NextSeq = seq,
            Status = row.Status ?? record.Status,
            Details = details ?? (to == record.State ? record.Details : null),
            Path = OtaTransitions.IsTerminal(to) ? [.. record.Path, to] : record.Path,
        };
        Persist(record);
        if (OtaTransitions.IsTerminal(to))
        {
            steps.CleanUp(record.Assignment);
        }

        if ((await outbox.DrainAsync(cancellationToken).ConfigureAwait(false)).Contains(record.ActionId))
        {
            Log.Abandoned(logger, record.ActionId, record.State);
            steps.CleanUp(record.Assignment);
            record = record with { Abandoned = true };
            Persist(record);
        }

        return record;
    }

    private void Persist(OtaRecord record) => DurableFile.Write(files.Ota, JsonSerializer.SerializeToUtf8Bytes(record, AgentJsonContext.Default.OtaRecord));
}
