using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Actions;
using GeoEdge.FleetServer.Rollouts;
using GeoEdge.FleetServer.Storage;
using GeoEdge.FleetServer.Tests.Rollouts;
using GeoEdge.FleetServer.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.FleetServer.Tests.Actions;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ActionStoreTests(PostgresCluster cluster)
{
    private readonly FakeTimeProvider _time = new(RolloutFixture.T0);

    // One device assigned by a one-stage rollout; returns its action.
    private static async Task<(ActionStore Actions, ActionRecord Action, RolloutStore Rollouts, string RolloutId)> AssignedAsync(FleetStore store)
    {
        await FleetSeed.SeedAsync(store, devices: 1);
        var rollouts = new RolloutStore(store);
        RolloutView r = await rollouts.CreateAsync(FleetSeed.Request() with { Stages = [RolloutFixture.Stage("all", null)] }, CancellationToken.None);
        await new RolloutEvaluation(store).RunAsync(r.Id, CancellationToken.None);
        var actions = new ActionStore(store);
        return (actions, (await actions.ListForRolloutAsync(r.Id, CancellationToken.None)).Single(), rollouts, r.Id);
    }

    private static ActionStatusReport Report(long seq, ActionStatus status) => new(seq, RolloutFixture.T0.AddSeconds(seq), status);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Idempotency_keys_seq_and_terminal_statuses(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        (ActionStore actions, ActionRecord a, _, _) = await AssignedAsync(store);
        CancellationToken ct = CancellationToken.None;

        Assert.Equal(204, await actions.ReportAsync("d00", a.ActionId, "k1", "h1", Report(1, ActionStatus.Downloading), ct));
        Assert.Equal(204, await actions.ReportAsync("d00", a.ActionId, "k1", "h1", Report(1, ActionStatus.Downloading), ct)); // replay
        Assert.Equal(422, await actions.ReportAsync("d00", a.ActionId, "k1", "h-other", Report(2, ActionStatus.Verifying), ct));
        Assert.Equal(204, await actions.ReportAsync("d00", a.ActionId, "k3", "h3", Report(3, ActionStatus.Installed), ct));
        Assert.Equal(204, await actions.ReportAsync("d00", a.ActionId, "k2", "h2", Report(2, ActionStatus.Verifying), ct)); // stale: ignored
        Assert.Equal((ActionStatus.Installed, 3L), ((await actions.GetAsync(a.ActionId, ct))!.Status, (await actions.GetAsync(a.ActionId, ct))!.Seq));
        Assert.Equal(204, await actions.ReportAsync("d00", a.ActionId, "k4", "h4", Report(4, ActionStatus.Active), ct));
        Assert.Equal(204, await actions.ReportAsync("d00", a.ActionId, "k5", "h5", Report(5, ActionStatus.RolledBack), ct)); // terminal is final
        Assert.Equal(ActionStatus.Active, (await actions.GetAsync(a.ActionId, ct))!.Status);
        Assert.Equal(404, await actions.ReportAsync("d00", "a-unknown", "k6", "h6", Report(6, ActionStatus.Active), ct));
        Assert.Equal(404, await actions.ReportAsync("d01", a.ActionId, "k7", "h7", Report(7, ActionStatus.Active), ct)); // not its action
        Assert.Equal(400, await actions.ReportAsync("d00", a.ActionId, "k8", "h8", Report(8, ActionStatus.TimedOut), ct));

        Assert.Equal([ActionStatus.Downloading, ActionStatus.Installed, ActionStatus.Active],
            (await actions.HistoryAsync(a.ActionId, ct)).Select(h => h.Status));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_canceled_action_answers_410_and_a_replay_keeps_the_first_answer(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        (ActionStore actions, ActionRecord a, RolloutStore rollouts, string id) = await AssignedAsync(store);
        CancellationToken ct = CancellationToken.None;
        Assert.Equal(204, await actions.ReportAsync("d00", a.ActionId, "k1", "h1", Report(1, ActionStatus.Downloading), ct));

        await rollouts.TransitionAsync(id, [RolloutStates.Running], RolloutStates.Canceled, ct);

        Assert.Equal(410, await actions.ReportAsync("d00", a.ActionId, "k2", "h2", Report(2, ActionStatus.Downloaded), ct));
        Assert.Equal(204, await actions.ReportAsync("d00", a.ActionId, "k1", "h1", Report(1, ActionStatus.Downloading), ct)); // first answer
        Assert.Equal(410, await actions.ReportAsync("d00", a.ActionId, "k2", "h2", Report(2, ActionStatus.Downloaded), ct));
        Assert.Equal([ActionStatus.Downloading, ActionStatus.Canceled], (await actions.HistoryAsync(a.ActionId, ct)).Select(h => h.Status));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Concurrent_replays_of_one_key_apply_once(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await using FleetStore replica = await test.OpenStoreAsync(_time);
        (ActionStore actions, ActionRecord a, _, _) = await AssignedAsync(store);
        var other = new ActionStore(replica);

        int[] answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? actions : other).ReportAsync("d00", a.ActionId, "same", "h", Report(1, ActionStatus.Downloading), CancellationToken.None))));

        Assert.All(answers, s => Assert.Equal(204, s));
        Assert.Single(await actions.HistoryAsync(a.ActionId, CancellationToken.None));
    }
}
