using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Storage;
using Microsoft.Extensions.Time.Testing;

namespace GeoEdge.FleetServer.Tests.Storage;

[Collection(DatabaseCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeviceStoreTests(PostgresCluster cluster)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    internal static async Task EnrollAsync(FleetStore store, string deviceId, string hwId, Dictionary<string, string>? attributes = null, List<string>? tags = null)
    {
        await store.Database.InTransactionAsync((s, ct) => store.Devices.SaveEnrollmentAsync(s, deviceId, hwId, "fleet-a",
            new DeviceIdentity("raspberry-pi-5", "1.0.0", attributes, tags), "CERT " + deviceId, ct), CancellationToken.None);
    }

    internal static Assignment SampleAssignment(string actionId) => new(actionId, "r1", "canary", "shapes-dgcnn", "1.1.0",
        new BundleReference(new string('a', 64), 1234, "/v1/bundles/" + new string('a', 64), "c2ln", "key1"),
        AssignmentMode.Forced, AssignmentMode.Attempt, new MaintenanceWindow("22:00", "04:00"));

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Assign_and_clear_bump_the_desired_version_and_store_the_assignment(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await EnrollAsync(store, "dev-1", "hw-1");

        DesiredRecord? initial = await store.Devices.GetDesiredAsync("dev-1", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        long v1 = await store.Devices.AssignAsync("dev-1", SampleAssignment("act-1"), CancellationToken.None);
        long v2 = await store.Devices.AssignAsync("dev-1", SampleAssignment("act-2"), CancellationToken.None);
        DesiredRecord? assigned = await store.Devices.GetDesiredAsync("dev-1", CancellationToken.None);
        long v3 = await store.Devices.ClearAssignmentAsync("dev-1", CancellationToken.None);
        DesiredRecord? cleared = await store.Devices.GetDesiredAsync("dev-1", CancellationToken.None);
        DeviceRecord? device = await store.Devices.GetAsync("dev-1", CancellationToken.None);

        Assert.Equal(new DesiredRecord(0, null), initial);
        Assert.Equal((1L, 2L, 3L), (v1, v2, v3));
        Assert.Equal(SampleAssignment("act-2"), assigned!.Assignment);
        Assert.Equal(2, assigned.DesiredVersion);
        Assert.Equal(new DesiredRecord(3, null), cleared);
        Assert.Equal(_time.GetUtcNow(), device!.DesiredChangedAt);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Concurrent_assignments_each_get_their_own_desired_version(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await using FleetStore replica = await test.OpenStoreAsync(_time);
        await EnrollAsync(store, "dev-1", "hw-1");

        Task<long>[] tasks = new Task<long>[20];
        for (int i = 0; i < tasks.Length; i++)
        {
            FleetStore s = i % 2 == 0 ? store : replica;
            string action = "act-" + i;
            tasks[i] = Task.Run(() => s.Devices.AssignAsync("dev-1", SampleAssignment(action), CancellationToken.None));
        }

        long[] versions = await Task.WhenAll(tasks);

        Array.Sort(versions);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), versions);
        Assert.Equal(20, (await store.Devices.GetDesiredAsync("dev-1", CancellationToken.None))!.DesiredVersion);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Assigning_an_unknown_device_names_it(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);

        DeviceNotFoundException error = await Assert.ThrowsAsync<DeviceNotFoundException>(
            () => store.Devices.AssignAsync("dev-x", SampleAssignment("a"), CancellationToken.None));

        Assert.Equal("dev-x", error.DeviceId);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Reported_state_round_trips_and_decides_convergence(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await EnrollAsync(store, "dev-1", "hw-1", new() { ["site"] = "lab" });
        await store.Devices.AssignAsync("dev-1", SampleAssignment("act-1"), CancellationToken.None);
        var reported = new ReportedState(1, new DesiredStatus(200, "converged"),
            [new ReportedModel("shapes-dgcnn", new ModelVersionReference("1.1.0", new string('b', 64)), new ModelVersionReference("1.0.0", new string('c', 64)))],
            "1.0.1", "jetson-orin", new Dictionary<string, string> { ["site"] = "field" });

        _time.Advance(TimeSpan.FromMinutes(1));
        await store.Devices.SaveReportedAsync("dev-1", reported, CancellationToken.None);
        DeviceRecord device = (await store.Devices.GetAsync("dev-1", CancellationToken.None))!;

        Assert.Equal(reported.LastDesiredVersion, device.Reported!.LastDesiredVersion);
        Assert.Equal(reported.Models, device.Reported.Models);
        Assert.Equal("field", device.Attributes["site"]);
        Assert.Equal("jetson-orin", device.Board);
        Assert.Equal(_time.GetUtcNow(), device.ReportedAt);
        Assert.Equal(_time.GetUtcNow(), device.LastSeen);
        Assert.True(device.IsConverged);

        await store.Devices.AssignAsync("dev-1", SampleAssignment("act-2"), CancellationToken.None);
        Assert.False((await store.Devices.GetAsync("dev-1", CancellationToken.None))!.IsConverged);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Select_matches_attributes_tags_and_ids(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await EnrollAsync(store, "dev-1", "hw-1", new() { ["site"] = "lab", ["arch"] = "arm64" }, ["canary"]);
        await EnrollAsync(store, "dev-2", "hw-2", new() { ["site"] = "lab", ["arch"] = "x64" });
        await EnrollAsync(store, "dev-3", "hw-3", new() { ["site"] = "field", ["arch"] = "arm64" }, ["canary", "outdoor"]);

        static string Ids(List<DeviceRecord> devices) => string.Join(",", devices.Select(d => d.DeviceId));

        Assert.Equal("dev-1,dev-2,dev-3", Ids(await store.Devices.SelectAsync(new TargetSelector(), CancellationToken.None)));
        Assert.Equal("dev-1,dev-2", Ids(await store.Devices.SelectAsync(new TargetSelector(new Dictionary<string, string> { ["site"] = "lab" }), CancellationToken.None)));
        Assert.Equal("dev-1,dev-3", Ids(await store.Devices.SelectAsync(new TargetSelector(Tags: ["canary"]), CancellationToken.None)));
        Assert.Equal("dev-3", Ids(await store.Devices.SelectAsync(new TargetSelector(new Dictionary<string, string> { ["arch"] = "arm64" }, ["outdoor"]), CancellationToken.None)));
        Assert.Equal("dev-1", Ids(await store.Devices.SelectAsync(new TargetSelector(Tags: ["canary"], DeviceIds: ["dev-1", "dev-2"]), CancellationToken.None)));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Enrolling_again_keeps_desired_state_and_replaces_the_certificate(Provider provider)
    {
        await using TestDatabase test = await TestDatabase.CreateAsync(provider, cluster);
        await using FleetStore store = await test.OpenStoreAsync(_time);
        await EnrollAsync(store, "dev-1", "hw-1");
        await store.Devices.AssignAsync("dev-1", SampleAssignment("act-1"), CancellationToken.None);

        await store.Database.InTransactionAsync((s, ct) => store.Devices.SaveEnrollmentAsync(s, "dev-1", "hw-1", "fleet-b",
            new DeviceIdentity("rock-5b", "2.0.0"), "CERT 2", ct), CancellationToken.None);
        DeviceRecord device = (await store.Devices.GetAsync("dev-1", CancellationToken.None))!;
        List<string> ids = await store.Database.InTransactionAsync((s, ct) => DeviceStore.FindIdByHwIdAsync(s, "hw-1", ct), CancellationToken.None);

        Assert.Equal(["dev-1"], ids);
        Assert.Equal(("CERT 2", "fleet-b", "rock-5b", 1L), (device.CertificatePem, device.Fleet, device.Board, device.DesiredVersion));
        Assert.Equal("act-1", device.Assignment!.ActionId);
    }
}
