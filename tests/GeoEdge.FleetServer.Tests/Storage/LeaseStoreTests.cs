using GeoEdge.FleetServer.Storage;
using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.FleetServer.Tests.Storage;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class LeaseStoreTests(PostgresCluster cluster)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task One_of_two_replicas_holds_a_lease_until_it_expires_or_is_released(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore a = await test.OpenStoreAsync(_time);
        await using FleetStore b = await test.OpenStoreAsync(_time);

        Assert.True(await a.Leases.TryAcquireAsync("rollout/r1", "replica-a", Lease, CancellationToken.None));
        Assert.False(await b.Leases.TryAcquireAsync("rollout/r1", "replica-b", Lease, CancellationToken.None));
        Assert.True(await b.Leases.TryAcquireAsync("rollout/r2", "replica-b", Lease, CancellationToken.None));
        Assert.Equal("replica-a", await b.Leases.HolderAsync("rollout/r1", CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await a.Leases.RenewAsync("rollout/r1", "replica-a", Lease, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await b.Leases.TryAcquireAsync("rollout/r1", "replica-b", Lease, CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(await b.Leases.HolderAsync("rollout/r1", CancellationToken.None));
        Assert.False(await a.Leases.RenewAsync("rollout/r1", "replica-a", Lease, CancellationToken.None));
        Assert.True(await b.Leases.TryAcquireAsync("rollout/r1", "replica-b", Lease, CancellationToken.None));
        Assert.False(await a.Leases.TryAcquireAsync("rollout/r1", "replica-a", Lease, CancellationToken.None));

        await a.Leases.ReleaseAsync("rollout/r1", "replica-a", CancellationToken.None);
        Assert.Equal("replica-b", await a.Leases.HolderAsync("rollout/r1", CancellationToken.None));
        await b.Leases.ReleaseAsync("rollout/r1", "replica-b", CancellationToken.None);
        Assert.True(await a.Leases.TryAcquireAsync("rollout/r1", "replica-a", Lease, CancellationToken.None));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Racing_replicas_never_both_win_a_free_lease(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore a = await test.OpenStoreAsync(_time);
        await using FleetStore b = await test.OpenStoreAsync(_time);

        for (int round = 0; round < 20; round++)
        {
            string name = "race/" + round;
            Task<bool> first = Task.Run(() => a.Leases.TryAcquireAsync(name, "replica-a", Lease, CancellationToken.None));
            Task<bool> second = Task.Run(() => b.Leases.TryAcquireAsync(name, "replica-b", Lease, CancellationToken.None));
            bool[] won = await Task.WhenAll(first, second);

            Assert.True(won[0] ^ won[1], $"round {round}: a={won[0]} b={won[1]}");
            Assert.Equal(won[0] ? "replica-a" : "replica-b", await a.Leases.HolderAsync(name, CancellationToken.None));
        }
    }
}
