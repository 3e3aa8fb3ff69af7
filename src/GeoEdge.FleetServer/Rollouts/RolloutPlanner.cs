using System.Globalization;
using GeoEdge.Fleet.Contracts;

namespace GeoEdge.FleetServer.Rollouts;

/// <summary>The rollout state machine: from a snapshot and the clock to a decision (assign, time out, advance, pause,
/// succeed, halt, revert). Pure: no storage, no transport, so every replica that owns the lease decides the same.</summary>
/// <remarks>A stage is waiting until its devices are assigned, running while any of its actions is open, baking once all
/// are terminal and its bake time (from the assignment) has not passed. After the bake it succeeds when active/total ≥
/// successPct; if it cannot (all terminal, too few active) the rollout halts. The rollout halts at once when the error
/// share of finished actions passes errorPct (once minDevices have finished) or when the health gate is exceeded.</remarks>
public static class RolloutPlanner
{
    /// <summary>Decides what to do with <paramref name="rollout"/> at <paramref name="now"/>.</summary>
    public static RolloutDecision Evaluate(RolloutSnapshot rollout, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var work = new Work(rollout);
        if (rollout.State != RolloutStates.Running)
        {
            return work.ToDecision();
        }

        // One evaluation may finish a stage and start the next ("next"), so walk until nothing more happens now.
        while (work.State == RolloutStates.Running && work.Stage < rollout.Stages.Count)
        {
            if (!Step(rollout, work, now))
            {
                break;
            }
        }

        return work.ToDecision();
    }

    // One stage's step; true when the rollout moved to the next stage and that stage should be looked at now.
    private static bool Step(RolloutSnapshot rollout, Work work, DateTimeOffset now)
    {
        int index = work.Stage;
        StageSpec spec = rollout.Request.Stages[index];
        StageSnapshot stage = rollout.Stages[index];
        if (work.StageState(index) == StageStates.Waiting)
        {
            foreach (string device in stage.Devices)
            {
                work.Assign.Add(new StageAssignment(device, index));
            }

            work.SetStage(index, StageStates.Running);
            if (stage.Devices.Count > 0)
            {
                return false; // bake time counts from this assignment, which the evaluator stamps
            }
        }

        var counts = new StageCounts();
        bool allTerminal = stage.Actions.Count >= stage.Devices.Count;
        foreach (ActionSnapshot action in stage.Actions)
        {
            ActionStatus status = action.Status;
            if (!ActionStatuses.IsTerminal(status) && now >= action.AssignedAt.AddMinutes(spec.InProgressTimeoutMinutes))
            {
                work.TimedOut.Add(action.ActionId);
                status = ActionStatus.TimedOut;
            }

            allTerminal &= ActionStatuses.IsTerminal(status);
            counts.Add(status);
        }

        if (ErrorHalt(spec, counts) is { } errorReason)
        {
            work.Halt(index, errorReason, rollout);
            return false;
        }

        if (HealthHalt(spec, rollout.Request.HealthGate, stage.Health) is { } healthReason)
        {
            work.Halt(index, healthReason, rollout);
            return false;
        }

        DateTimeOffset bakeEnd = (stage.StartedAt ?? now).AddMinutes(spec.BakeMinutes);
        int total = stage.Devices.Count;
        if (now < bakeEnd)
        {
            work.SetStage(index, allTerminal ? StageStates.Baking : StageStates.Running);
            return false;
        }

        if (counts.Success * 100.0 >= spec.SuccessPct * total)
        {
            return work.Succeed(index, spec, rollout.Stages.Count);
        }

        if (allTerminal)
        {
            work.Halt(index, string.Create(CultureInfo.InvariantCulture,
                $"stage '{spec.Name}': {counts.Success} of {total} devices active ({Percent(counts.Success, total)}%) < successPct {spec.SuccessPct} after a {spec.BakeMinutes} min bake"), rollout);
            return false;
        }

        work.SetStage(index, StageStates.Running);
        return false;
    }

    private static string? ErrorHalt(StageSpec spec, StageCounts counts)
    {
        int executed = counts.Executed;
        if (executed < spec.MinDevices || counts.Errors * 100.0 <= spec.ErrorPct * executed)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"stage '{spec.Name}': {counts.Errors} of {executed} finished devices failed ({Percent(counts.Errors, executed)}%) > errorPct {spec.ErrorPct} " +
            $"(failed {counts.Failed}, rolled_back {counts.RolledBack}, timed_out {counts.TimedOut}, rejected {counts.Rejected})");
    }

    private static string? HealthHalt(StageSpec spec, HealthGate? gate, VersionHealth? health)
    {
        if (gate is null || health is null || health.Inferences == 0)
        {
            return null;
        }

        if (gate.MaxErrorRate is { } maxRate && health.ErrorRate > maxRate)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"stage '{spec.Name}': inference error rate {health.ErrorRate:0.####} ({health.Errors} of {health.Inferences}) > maxErrorRate {maxRate}");
        }

        if (gate.MaxP95LatencyMs is { } maxP95 && health.P95LatencyMs is { } p95 && p95 > maxP95)
        {
            return string.Create(CultureInfo.InvariantCulture, $"stage '{spec.Name}': p95 latency {p95:0.##} ms > maxP95LatencyMs {maxP95}");
        }

        return null;
    }

    private static string Percent(int part, int whole) =>
        whole == 0 ? "0" : (part * 100.0 / whole).ToString("0.#", CultureInfo.InvariantCulture);

    // The decision being built, with the stage states as they change during this evaluation.
    private sealed class Work(RolloutSnapshot rollout)
    {
        private readonly Dictionary<int, string> _changed = [];

        public string State { get; private set; } = rollout.State;

        public int Stage { get; private set; } = rollout.CurrentStage;

        public string? HaltReason { get; private set; }

        public List<string> TimedOut { get; } = [];

        public List<StageAssignment> Assign { get; } = [];

        public List<string> Revert { get; } = [];

        public string StageState(int index) => _changed.TryGetValue(index, out string? s) ? s : rollout.Stages[index].State;

        public void SetStage(int index, string state)
        {
            if (StageState(index) != state)
            {
                _changed[index] = state;
            }
        }

        public bool Succeed(int index, StageSpec spec, int stageCount)
        {
            SetStage(index, StageStates.Succeeded);
            Stage = index + 1;
            if (Stage == stageCount)
            {
                State = RolloutStates.Succeeded;
                return false;
            }

            if (spec.OnSuccess == StageTransitions.Pause)
            {
                State = RolloutStates.Paused;
                return false;
            }

            return true;
        }

        public void Halt(int index, string reason, RolloutSnapshot snapshot)
        {
            SetStage(index, StageStates.Halted);
            State = RolloutStates.Halted;
            HaltReason = reason;
            if (!snapshot.Request.AutoRevert)
            {
                return;
            }

            // Devices already moved (or possibly moving): active, still open, or timed out. Failed, rejected and
            // rolled_back devices still run the old version; already_active ones ran the new version before the rollout.
            var timedOut = new HashSet<string>(TimedOut, StringComparer.Ordinal);
            for (int i = 0; i <= index; i++)
            {
                foreach (ActionSnapshot action in snapshot.Stages[i].Actions)
                {
                    ActionStatus status = timedOut.Contains(action.ActionId) ? ActionStatus.TimedOut : action.Status;
                    if (status is ActionStatus.Active or ActionStatus.TimedOut || !ActionStatuses.IsTerminal(status))
                    {
                        Revert.Add(action.DeviceId);
                    }
                }
            }
        }

        public RolloutDecision ToDecision()
        {
            var changes = new List<StageChange>(_changed.Count);
            foreach (KeyValuePair<int, string> change in _changed.OrderBy(c => c.Key))
            {
                changes.Add(new StageChange(change.Key, change.Value));
            }

            return new RolloutDecision(State, Stage, HaltReason, changes, TimedOut, Assign, Revert);
        }
    }
}
