using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Metrics;
using GeoEdge.FleetServer.Storage;
using GeoEdge.FleetServer.Tests.Rollouts;
using GeoEdge.FleetServer.Tests.Storage;
using Microsoft.Extensions.Time.Testing;
using static GeoEdge.FleetServer.Tests.Metrics.MetricsFixture;

namespace GeoEdge.FleetServer.Tests.Metrics;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MetricsStoreTests(PostgresCluster cluster)
{
    private readonly FakeTimeProvider _time = new(T0);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Replays_write_nothing_and_ack_the_same_overlaps_write_only_the_new(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await FleetSeed.SeedAsync(store, devices: 2);
        var metrics = new MetricsStore(store);
        CancellationToken ct = CancellationToken.None;

        Assert.Equal(new MetricsAck(4, 5), await metrics.IngestAsync("d00", Batch(1, 0, 4), ct));
        Assert.Equal(new MetricsAck(4, 0), await metrics.IngestAsync("d00", Batch(1, 0, 4), ct));
        Assert.Equal(new MetricsAck(7, 3), await metrics.IngestAsync("d00", Batch(1, 3, 7), ct)); // 3, 4 stored already
        Assert.Equal(new MetricsAck(2, 3), await metrics.IngestAsync("d00", Batch(2, 0, 2), ct)); // a new epoch restarts seqs
        Assert.Equal(new MetricsAck(4, 5), await metrics.IngestAsync("d01", Batch(1, 0, 4), ct)); // another device
        Assert.Equal(16, await metrics.CountAsync(ct));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_malformed_batch_stores_nothing(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await FleetSeed.SeedAsync(store, devices: 1);
        var metrics = new MetricsStore(store);
        MetricsBatch bad = Batch(1, 0, 2);
        bad = bad with { Records = [bad.Records[0], bad.Records[1], bad.Records[2] with { LatencyCounts = [1] }] };

        MetricsBatchException e = await Assert.ThrowsAsync<MetricsBatchException>(() => metrics.IngestAsync("d00", bad, CancellationToken.None));

        Assert.Equal("records[2].latencyCounts", e.Field);
        Assert.Equal(0, await metrics.CountAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Concurrent_overlapping_batches_store_each_window_once(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await using FleetStore replica = await test.OpenStoreAsync(_time);
        await FleetSeed.SeedAsync(store, devices: 1);
        var a = new MetricsStore(store);
        var b = new MetricsStore(replica);

        MetricsAck[] acks = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            (i % 2 == 0 ? a : b).IngestAsync("d00", Batch(1, i, i + 4), CancellationToken.None))));

        Assert.Equal(10, acks.Sum(x => x.Written)); // seqs 0..9, each written by exactly one request
        Assert.Equal(10, await a.CountAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Aggregates_per_version(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await FleetSeed.SeedAsync(store, devices: 2);
        var metrics = new MetricsStore(store);
        await metrics.IngestAsync("d00", Batch(1, 0, 1, "1.0.0"), CancellationToken.None);
        await metrics.IngestAsync("d00", Batch(1, 2, 3), CancellationToken.None);
        await metrics.IngestAsync("d01", new MetricsBatch(1, 0, 0, [Window(0, inferences: 200, errors: 10, ood: 15, latency: [0, 0, 100, 100]) with { DriftScore = 3.5 }]), CancellationToken.None);

        List<VersionAggregate> all = await metrics.AggregateByVersionAsync(CancellationToken.None);

        Assert.Equal(["1.0.0", "1.1.0"], all.Select(x => x.Version));
        VersionAggregate v11 = all[1];
        Assert.Equal((3L, 2, 400L, 14L, 25L), (v11.Windows, v11.Devices, v11.Inferences, v11.Errors, v11.OodCount));
        Assert.Equal([100L, 80, 120, 100], v11.LatencyCounts);
        Assert.Equal(50.0, v11.P95LatencyMs);

        // Drift scores travel in the stored window body: 0.25, 0.25 and 3.5.
        Assert.Equal((3L, 4.0 / 3, 3.5), (v11.DriftWindows, v11.DriftScoreMean!.Value, v11.DriftScoreMax!.Value));
    }
}
