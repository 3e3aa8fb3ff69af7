using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Actions;
using GeoEdge.FleetServer.Rollouts;
using GeoEdge.FleetServer.Storage;
using GeoEdge.FleetServer.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.FleetServer.Tests.Rollouts;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RolloutEvaluationTests(PostgresCluster cluster)
{
    private readonly FakeTimeProvider _time = new(RolloutFixture.T0);

    private static async Task<int> ReportAsync(FleetStore store, ActionRecord action, long seq, ActionStatus status) =>
        await new ActionStore(store).ReportAsync(action.DeviceId, action.ActionId, $"k-{action.ActionId}-{seq}", $"h{seq}{status}",
            new ActionStatusReport(seq, RolloutFixture.T0, status), CancellationToken.None);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Canary_then_half_then_halt_on_two_failures(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await FleetSeed.SeedAsync(store);
        var rollouts = new RolloutStore(store);
        var actions = new ActionStore(store);
        var evaluation = new RolloutEvaluation(store);

        RolloutView created = await rollouts.CreateAsync(FleetSeed.Request(), CancellationToken.None);
        IReadOnlyList<IReadOnlyList<string>> split = StageSplit.Split(created.Id, FleetSeed.Devices, created.Request.Stages);
        Assert.Equal([1, 5, 4], split.Select(s => s.Count));
        Assert.Equal(RolloutStates.Running, created.State);

        await evaluation.RunAsync(created.Id, CancellationToken.None);
        List<ActionRecord> canary = await actions.ListForRolloutAsync(created.Id, CancellationToken.None);
        Assert.Equal(split[0], canary.Select(a => a.DeviceId));
        DesiredRecord? desired = await store.Devices.GetDesiredAsync(split[0][0], CancellationToken.None);
        Assert.Equal(1, desired!.DesiredVersion);
        Assert.Equal(canary[0].ActionId, desired.Assignment!.ActionId);
        Assert.Equal(("1.1.0", "canary", new string('b', 64)), (desired.Assignment.Version, desired.Assignment.Stage, desired.Assignment.Bundle.Sha256));
        Assert.Equal(0, (await store.Devices.GetDesiredAsync(split[1][0], CancellationToken.None))!.DesiredVersion);

        Assert.Equal(204, await ReportAsync(store, canary[0], 1, ActionStatus.Downloading));
        Assert.Equal(204, await ReportAsync(store, canary[0], 2, ActionStatus.Active));
        _time.Advance(TimeSpan.FromMinutes(5));
        await evaluation.RunAsync(created.Id, CancellationToken.None);
        Assert.Equal(StageStates.Baking, (await rollouts.GetAsync(created.Id, CancellationToken.None))!.Stages[0].State);

        _time.Advance(TimeSpan.FromMinutes(5));
        await evaluation.RunAsync(created.Id, CancellationToken.None);
        List<ActionRecord> half = (await actions.ListForRolloutAsync(created.Id, CancellationToken.None)).Where(a => a.Stage == 1).ToList();
        Assert.Equal(split[1].Order(StringComparer.Ordinal), half.Select(a => a.DeviceId));

        await ReportAsync(store, half[0], 1, ActionStatus.Failed);
        await evaluation.RunAsync(created.Id, CancellationToken.None); // one finished < minDevices 2: no verdict yet
        Assert.Equal(RolloutStates.Running, (await rollouts.GetAsync(created.Id, CancellationToken.None))!.State);
        await ReportAsync(store, half[1], 1, ActionStatus.Active);
        await evaluation.RunAsync(created.Id, CancellationToken.None);

        RolloutView view = (await rollouts.GetAsync(created.Id, CancellationToken.None))!;
        Assert.Equal(RolloutStates.Halted, view.State);
        Assert.Equal("stage 'half': 1 of 2 finished devices failed (50%) > errorPct 20 (failed 1, rolled_back 0, timed_out 0, rejected 0)", view.HaltReason);
        Assert.Equal([StageStates.Succeeded, StageStates.Halted, StageStates.Waiting], view.Stages.Select(s => s.State));
        Assert.Equal(new Dictionary<string, int> { ["active"] = 1 }, view.Stages[0].ByStatus);
        Assert.Equal(new Dictionary<string, int> { ["active"] = 1, ["failed"] = 1, ["queued"] = 3 }, view.Stages[1].ByStatus);
        Assert.Equal(5, view.Stages[1].Assigned);

        // halted: later evaluations assign nothing more
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Null(await evaluation.RunAsync(created.Id, CancellationToken.None));
        Assert.Equal(6, (await actions.ListForRolloutAsync(created.Id, CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Timeouts_halt_and_auto_revert_assigns_the_from_version(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await FleetSeed.SeedAsync(store);
        var rollouts = new RolloutStore(store);
        var actions = new ActionStore(store);
        var evaluation = new RolloutEvaluation(store);
        RolloutView created = await rollouts.CreateAsync(FleetSeed.Request(autoRevert: true) with
        {
            Stages = [RolloutFixture.Stage("first", 50), RolloutFixture.Stage("rest", null)],
        }, CancellationToken.None);
        await evaluation.RunAsync(created.Id, CancellationToken.None);
        List<ActionRecord> first = await actions.ListForRolloutAsync(created.Id, CancellationToken.None);
        Assert.Equal(5, first.Count);
        await ReportAsync(store, first[0], 1, ActionStatus.Active);
        await ReportAsync(store, first[1], 1, ActionStatus.Active);
        await ReportAsync(store, first[2], 1, ActionStatus.Failed);
        await ReportAsync(store, first[3], 1, ActionStatus.Downloading);

        _time.Advance(TimeSpan.FromMinutes(30));
        await evaluation.RunAsync(created.Id, CancellationToken.None);

        RolloutView view = (await rollouts.GetAsync(created.Id, CancellationToken.None))!;
        Assert.Equal("stage 'first': 3 of 5 finished devices failed (60%) > errorPct 20 (failed 1, rolled_back 0, timed_out 2, rejected 0)", view.HaltReason);
        List<ActionRecord> all = await actions.ListForRolloutAsync(created.Id, CancellationToken.None);
        Assert.Equal(ActionStatus.TimedOut, all.Single(a => a.ActionId == first[3].ActionId).Status);
        string[] reverted = all.Where(a => a.IsRevert).Select(a => a.DeviceId).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { first[0], first[1], first[3], first[4] }.Select(a => a.DeviceId).Order(StringComparer.Ordinal), reverted);
        DesiredRecord? back = await store.Devices.GetDesiredAsync(first[0].DeviceId, CancellationToken.None);
        Assert.Equal(("1.0.0", 2L), (back!.Assignment!.Version, back.DesiredVersion));
        Assert.Equal(ActionStatus.TimedOut, (await actions.HistoryAsync(first[3].ActionId, CancellationToken.None))[^1].Status);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Cancel_cancels_open_actions_and_clears_assignments(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await FleetSeed.SeedAsync(store);
        var rollouts = new RolloutStore(store);
        var actions = new ActionStore(store);
        RolloutView created = await rollouts.CreateAsync(FleetSeed.Request() with { Stages = [RolloutFixture.Stage("all", null)] }, CancellationToken.None);
        await new RolloutEvaluation(store).RunAsync(created.Id, CancellationToken.None);
        List<ActionRecord> all = await actions.ListForRolloutAsync(created.Id, CancellationToken.None);
        await ReportAsync(store, all[0], 1, ActionStatus.Active);

        Assert.Equal(TransitionOutcome.Done, await rollouts.TransitionAsync(created.Id, [RolloutStates.Running, RolloutStates.Paused], RolloutStates.Canceled, CancellationToken.None));

        List<ActionRecord> after = await actions.ListForRolloutAsync(created.Id, CancellationToken.None);
        Assert.Equal(ActionStatus.Active, after.Single(a => a.ActionId == all[0].ActionId).Status);
        Assert.Equal(9, after.Count(a => a.Status == ActionStatus.Canceled));
        Assert.Equal(new DesiredRecord(2, null), await store.Devices.GetDesiredAsync(all[1].DeviceId, CancellationToken.None));
        Assert.Equal(1, (await store.Devices.GetDesiredAsync(all[0].DeviceId, CancellationToken.None))!.DesiredVersion);
        Assert.Equal(410, await ReportAsync(store, all[1], 5, ActionStatus.Active));
        Assert.Equal(TransitionOutcome.Conflict, await rollouts.TransitionAsync(created.Id, [RolloutStates.Paused], RolloutStates.Running, CancellationToken.None));
        Assert.Equal(TransitionOutcome.NotFound, await rollouts.TransitionAsync("r-none", [RolloutStates.Paused], RolloutStates.Running, CancellationToken.None));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Approval_holds_assignments_until_approved(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await FleetSeed.SeedAsync(store);
        var rollouts = new RolloutStore(store);
        RolloutView created = await rollouts.CreateAsync(FleetSeed.Request(approval: true), CancellationToken.None);
        var evaluator = new RolloutEvaluator(store, _time, NullLogger<RolloutEvaluator>.Instance, "one");

        Assert.Equal(RolloutStates.PendingApproval, created.State);
        Assert.Equal(0, await evaluator.EvaluateOnceAsync(CancellationToken.None));
        Assert.Equal(TransitionOutcome.Done, await rollouts.TransitionAsync(created.Id, [RolloutStates.PendingApproval], RolloutStates.Running, CancellationToken.None));
        Assert.Equal(1, await evaluator.EvaluateOnceAsync(CancellationToken.None));
        Assert.Single(await new ActionStore(store).ListForRolloutAsync(created.Id, CancellationToken.None));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Two_evaluators_on_one_database_assign_each_device_exactly_once(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore replicaA = await test.OpenStoreAsync(_time);
        await using FleetStore replicaB = await test.OpenStoreAsync(_time);
        await FleetSeed.SeedAsync(replicaA);
        var rollouts = new RolloutStore(replicaA);
        // one stage of everything, no bake: the whole fleet is assigned by whichever replica wins
        RolloutView created = await rollouts.CreateAsync(FleetSeed.Request() with { Stages = [RolloutFixture.Stage("all", null)] }, CancellationToken.None);
        var a = new RolloutEvaluator(replicaA, _time, NullLogger<RolloutEvaluator>.Instance, "replica-a");
        var b = new RolloutEvaluator(replicaB, _time, NullLogger<RolloutEvaluator>.Instance, "replica-b");

        for (int round = 0; round < 5; round++)
        {
            await Task.WhenAll(Task.Run(() => a.EvaluateOnceAsync(CancellationToken.None)), Task.Run(() => b.EvaluateOnceAsync(CancellationToken.None)));
            // the lease expires between rounds, so the other replica may take over
            _time.Advance(RolloutEvaluator.LeaseDuration);
        }

        List<ActionRecord> actions = await new ActionStore(replicaB).ListForRolloutAsync(created.Id, CancellationToken.None);
        Assert.Equal(FleetSeed.Devices, actions.Select(x => x.DeviceId).Order(StringComparer.Ordinal));
        foreach (string device in FleetSeed.Devices)
        {
            Assert.Equal(1, (await replicaB.Devices.GetDesiredAsync(device, CancellationToken.None))!.DesiredVersion);
        }
    }
}

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HealthGateStorageTests(PostgresCluster cluster)
{
    private readonly FakeTimeProvider _time = new(RolloutFixture.T0);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Windows_of_the_stage_devices_for_the_new_version_halt_on_the_error_rate(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await FleetSeed.SeedAsync(store);
        var rollouts = new RolloutStore(store);
        var metrics = new GeoEdge.FleetServer.Metrics.MetricsStore(store);
        RolloutView created = await rollouts.CreateAsync(FleetSeed.Request() with { HealthGate = new HealthGate(0.05, null) }, CancellationToken.None);
        var evaluation = new RolloutEvaluation(store);
        await evaluation.RunAsync(created.Id, CancellationToken.None);
        string canary = StageSplit.Split(created.Id, FleetSeed.Devices, created.Request.Stages)[0][0];
        string outside = StageSplit.Split(created.Id, FleetSeed.Devices, created.Request.Stages)[2][0];

        // the old version's windows and a device outside the stage do not count
        await metrics.IngestAsync(canary, Metrics.MetricsFixture.Batch(1, 0, 0, "1.0.0") with
        {
            Records = [Metrics.MetricsFixture.Window(0, "1.0.0", inferences: 100, errors: 90)],
        }, CancellationToken.None);
        await metrics.IngestAsync(outside, new MetricsBatch(1, 0, 0, [Metrics.MetricsFixture.Window(0, "1.1.0", inferences: 100, errors: 90)]), CancellationToken.None);
        await metrics.IngestAsync(canary, new MetricsBatch(1, 1, 1, [Metrics.MetricsFixture.Window(1, "1.1.0", inferences: 100, errors: 5)]), CancellationToken.None);
        Assert.Null(await evaluation.RunAsync(created.Id, CancellationToken.None));

        await metrics.IngestAsync(canary, new MetricsBatch(1, 2, 2, [Metrics.MetricsFixture.Window(2, "1.1.0", inferences: 100, errors: 7)]), CancellationToken.None);
        await evaluation.RunAsync(created.Id, CancellationToken.None);

        RolloutView view = (await rollouts.GetAsync(created.Id, CancellationToken.None))!;
        Assert.Equal(RolloutStates.Halted, view.State);
        Assert.Equal("stage 'canary': inference error rate 0.06 (12 of 200) > maxErrorRate 0.05", view.HaltReason);
    }
}
