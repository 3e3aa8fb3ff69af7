using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Rollouts;
using Microsoft.Extensions.Time.Testing;
using static GeoEdge.FleetServer.Tests.Rollouts.RolloutFixture;
using S = GeoEdge.Fleet.Contracts.ActionStatus;

namespace GeoEdge.FleetServer.Tests.Rollouts;

[Trait("Category", "Unit")]
public sealed class RolloutPlannerTests
{
    private readonly FakeTimeProvider _clock = new(T0);

    private static RolloutSnapshot Rollout(RolloutRequest request, int current, params StageSnapshot[] stages) =>
        new("r1", request, RolloutStates.Running, current, stages);

    [Fact]
    public void A_new_rollout_assigns_the_canary_only()
    {
        RolloutDecision d = RolloutPlanner.Evaluate(Rollout(Request(), 0, Waiting(Canary), Waiting(Middle), Waiting(Rest)), _clock.GetUtcNow());

        Assert.Equal([new StageAssignment("d04", 0)], d.Assign);
        Assert.Equal([new StageChange(0, StageStates.Running)], d.StageStates);
        Assert.Equal(RolloutStates.Running, d.State);
        Assert.Equal(0, d.CurrentStage);
    }

    [Fact]
    public void Active_canary_bakes_then_the_next_stage_is_assigned()
    {
        _clock.Advance(TimeSpan.FromMinutes(5));
        RolloutSnapshot r = Rollout(Request(), 0, Assigned(Canary, T0, StageStates.Running, [S.Active]), Waiting(Middle), Waiting(Rest));

        RolloutDecision baking = RolloutPlanner.Evaluate(r, _clock.GetUtcNow());
        Assert.Equal([new StageChange(0, StageStates.Baking)], baking.StageStates);
        Assert.Empty(baking.Assign);

        _clock.Advance(TimeSpan.FromMinutes(5)); // exactly bakeMinutes after the assignment
        RolloutDecision next = RolloutPlanner.Evaluate(r, _clock.GetUtcNow());
        Assert.Equal([new StageChange(0, StageStates.Succeeded), new StageChange(1, StageStates.Running)], next.StageStates);
        Assert.Equal(Middle, next.Assign.Select(a => a.DeviceId));
        Assert.All(next.Assign, a => Assert.Equal(1, a.Index));
        Assert.Equal(1, next.CurrentStage);
    }

    [Fact]
    public void An_open_action_is_still_running_after_the_bake()
    {
        _clock.Advance(TimeSpan.FromMinutes(12));
        RolloutSnapshot r = Rollout(Request(), 0, Assigned(Canary, T0, StageStates.Running, [S.Downloading]), Waiting(Middle), Waiting(Rest));

        RolloutDecision d = RolloutPlanner.Evaluate(r, _clock.GetUtcNow());

        Assert.True(d.IsEmpty(r));
    }

    [Fact]
    public void Canary_below_min_devices_never_halts_on_errors_but_fails_its_success_pct()
    {
        _clock.Advance(TimeSpan.FromMinutes(10));
        RolloutSnapshot r = Rollout(Request(), 0, Assigned(Canary, T0, StageStates.Baking, [S.Failed]), Waiting(Middle), Waiting(Rest));

        RolloutDecision d = RolloutPlanner.Evaluate(r, _clock.GetUtcNow());

        Assert.Equal(RolloutStates.Halted, d.State);
        Assert.Equal("stage 'canary': 0 of 1 devices active (0%) < successPct 80 after a 10 min bake", d.HaltReason);
        Assert.Equal([new StageChange(0, StageStates.Halted)], d.StageStates);
    }

    public static TheoryData<S[], string?> HalfStageRows => new()
    {
        // two finished, one failed: 50 % > 20 % -> halt at once, before the bake
        { [S.Failed, S.Active, S.Downloading, S.Queued, S.Queued], "stage 'half': 1 of 2 finished devices failed (50%) > errorPct 20 (failed 1, rolled_back 0, timed_out 0, rejected 0)" },
        // one finished (below minDevices 2): not judged yet
        { [S.RolledBack, S.Downloading, S.Downloading, S.Queued, S.Queued], null },
        // one of five failed: 20 % is not above 20 %
        { [S.Rejected, S.Active, S.Active, S.Active, S.Active], null },
        // two of five: 40 %
        { [S.Rejected, S.RolledBack, S.Active, S.Active, S.Active], "stage 'half': 2 of 5 finished devices failed (40%) > errorPct 20 (failed 0, rolled_back 1, timed_out 0, rejected 1)" },
        // canceled actions did not execute: 1 error of 3 executed = 33.3 %
        { [S.Canceled, S.Canceled, S.Failed, S.AlreadyActive, S.Active], "stage 'half': 1 of 3 finished devices failed (33.3%) > errorPct 20 (failed 1, rolled_back 0, timed_out 0, rejected 0)" },
    };

    [Theory]
    [MemberData(nameof(HalfStageRows))]
    public void Error_threshold_on_the_half_stage(S[] statuses, string? haltReason)
    {
        _clock.Advance(TimeSpan.FromMinutes(3));
        RolloutSnapshot r = Rollout(Request(), 1, Assigned(Canary, T0, StageStates.Succeeded, [S.Active]),
            Assigned(Middle, T0, StageStates.Running, statuses), Waiting(Rest));

        RolloutDecision d = RolloutPlanner.Evaluate(r, _clock.GetUtcNow());

        Assert.Equal(haltReason, d.HaltReason);
        Assert.Equal(haltReason is null ? RolloutStates.Running : RolloutStates.Halted, d.State);
        Assert.Empty(d.Assign);
    }

    [Fact]
    public void Four_of_five_active_after_the_bake_succeeds_and_the_rest_is_assigned()
    {
        _clock.Advance(TimeSpan.FromMinutes(10));
        RolloutSnapshot r = Rollout(Request(), 1, Assigned(Canary, T0, StageStates.Succeeded, [S.Active]),
            Assigned(Middle, T0, StageStates.Baking, [S.Rejected, S.Active, S.Active, S.Active, S.Active]), Waiting(Rest));

        RolloutDecision d = RolloutPlanner.Evaluate(r, _clock.GetUtcNow());

        Assert.Equal(Rest, d.Assign.Select(a => a.DeviceId));
        Assert.Equal(2, d.CurrentStage);
    }

    [Fact]
    public void Last_stage_succeeding_finishes_the_rollout()
    {
        _clock.Advance(TimeSpan.FromMinutes(10));
        RolloutSnapshot r = Rollout(Request(), 2, Assigned(Canary, T0, StageStates.Succeeded, [S.Active]),
            Assigned(Middle, T0, StageStates.Succeeded, All(5, S.Active)), Assigned(Rest, T0, StageStates.Baking, All(4, S.Active)));

        RolloutDecision d = RolloutPlanner.Evaluate(r, _clock.GetUtcNow());

        Assert.Equal(RolloutStates.Succeeded, d.State);
        Assert.Equal(3, d.CurrentStage);
        Assert.Empty(d.Assign);
    }

    [Fact]
    public void On_success_pause_pauses_before_the_next_stage()
    {
        _clock.Advance(TimeSpan.FromMinutes(10));
        RolloutSnapshot r = Rollout(Request(canaryOnSuccess: "pause"), 0, Assigned(Canary, T0, StageStates.Baking, [S.Active]), Waiting(Middle), Waiting(Rest));

        RolloutDecision d = RolloutPlanner.Evaluate(r, _clock.GetUtcNow());

        Assert.Equal(RolloutStates.Paused, d.State);
        Assert.Equal(1, d.CurrentStage);
        Assert.Empty(d.Assign);

        // resumed: the next evaluation assigns the half stage
        RolloutDecision resumed = RolloutPlanner.Evaluate(r with { State = RolloutStates.Running, CurrentStage = 1, Stages = [r.Stages[0] with { State = StageStates.Succeeded }, r.Stages[1], r.Stages[2]] }, _clock.GetUtcNow());
        Assert.Equal(Middle, resumed.Assign.Select(a => a.DeviceId));
    }

    [Fact]
    public void Open_actions_past_the_in_progress_timeout_time_out_and_count_as_errors()
    {
        _clock.Advance(TimeSpan.FromMinutes(30));
        RolloutSnapshot r = Rollout(Request(), 1, Assigned(Canary, T0, StageStates.Succeeded, [S.Active]),
            Assigned(Middle, T0, StageStates.Running, [S.Active, S.Active, S.Active, S.Downloading, S.Verifying]), Waiting(Rest));

        RolloutDecision d = RolloutPlanner.Evaluate(r, _clock.GetUtcNow());

        Assert.Equal(["a-d09", "a-d05"], d.TimedOut);
        Assert.Equal("stage 'half': 2 of 5 finished devices failed (40%) > errorPct 20 (failed 0, rolled_back 0, timed_out 2, rejected 0)", d.HaltReason);
    }

    [Fact]
    public void One_minute_before_the_timeout_nothing_times_out()
    {
        _clock.Advance(TimeSpan.FromMinutes(29));
        RolloutSnapshot r = Rollout(Request(), 1, Assigned(Canary, T0, StageStates.Succeeded, [S.Active]),
            Assigned(Middle, T0, StageStates.Running, [S.Active, S.Active, S.Active, S.Downloading, S.Verifying]), Waiting(Rest));

        Assert.Empty(RolloutPlanner.Evaluate(r, _clock.GetUtcNow()).TimedOut);
    }

    [Fact]
    public void Auto_revert_moves_back_active_open_and_timed_out_devices_of_every_stage_so_far()
    {
        _clock.Advance(TimeSpan.FromMinutes(30));
        RolloutSnapshot r = Rollout(Request(autoRevert: true), 1, Assigned(Canary, T0, StageStates.Succeeded, [S.Active]),
            Assigned(Middle, T0, StageStates.Running, [S.Failed, S.Rejected, S.AlreadyActive, S.Downloading, S.RolledBack]), Waiting(Rest));

        RolloutDecision d = RolloutPlanner.Evaluate(r, _clock.GetUtcNow());

        Assert.Equal(RolloutStates.Halted, d.State);
        Assert.Equal(["d04", "d09"], d.Revert); // d09 timed out (its state is unknown); failed/rejected/rolled_back never moved
    }

    public static TheoryData<VersionHealth, string?> HealthRows => new()
    {
        { new VersionHealth(1000, 60, 80), "stage 'half': inference error rate 0.06 (60 of 1000) > maxErrorRate 0.05" },
        { new VersionHealth(1000, 50, 80), null },
        { new VersionHealth(1000, 0, 120.5), "stage 'half': p95 latency 120.5 ms > maxP95LatencyMs 100" },
        { new VersionHealth(0, 0, null), null },
    };

    [Theory]
    [MemberData(nameof(HealthRows))]
    public void Health_gate_halts_on_error_rate_or_p95(VersionHealth health, string? reason)
    {
        _clock.Advance(TimeSpan.FromMinutes(1));
        RolloutSnapshot r = Rollout(Request(gate: new HealthGate(0.05, 100)), 1, Assigned(Canary, T0, StageStates.Succeeded, [S.Active]),
            Assigned(Middle, T0, StageStates.Running, [S.Active, S.Active, S.Queued, S.Queued, S.Queued], health), Waiting(Rest));

        Assert.Equal(reason, RolloutPlanner.Evaluate(r, _clock.GetUtcNow()).HaltReason);
    }

    [Theory]
    [InlineData(RolloutStates.PendingApproval)]
    [InlineData(RolloutStates.Paused)]
    [InlineData(RolloutStates.Halted)]
    [InlineData(RolloutStates.Canceled)]
    public void Only_running_rollouts_move(string state)
    {
        RolloutSnapshot r = Rollout(Request(), 0, Waiting(Canary), Waiting(Middle), Waiting(Rest)) with { State = state };

        Assert.True(RolloutPlanner.Evaluate(r, _clock.GetUtcNow()).IsEmpty(r));
    }
}
