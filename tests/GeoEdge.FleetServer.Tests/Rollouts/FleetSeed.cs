using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Storage;
using GeoEdge.FleetServer.Tests.Storage;

namespace GeoEdge.FleetServer.Tests.Rollouts;

/// <summary>A stored fleet for rollout tests: devices d00..d09 and shapes-dgcnn 1.0.0 / 1.1.0 in the registry.</summary>
internal static class FleetSeed
{
    public static readonly string[] Devices = RolloutFixture.Devices;

    public static async Task SeedAsync(FleetStore store, int devices = 10)
    {
        for (int i = 0; i < devices; i++)
        {
            await DeviceStoreTests.EnrollAsync(store, Devices[i], "hw-" + Devices[i]);
        }

        foreach ((string version, char fill) in new[] { ("1.0.0", 'a'), ("1.1.0", 'b') })
        {
            string sha = new(fill, 64);
            await store.Models.AddAsync(new ModelVersionRecord(
                new ModelVersionInfo("shapes-dgcnn", version, "classification", sha, new string('c', 64), 1000, "dev-key", store.Time.GetUtcNow()), "c2ln"),
                CancellationToken.None);
        }
    }

    /// <summary>The 10/50/rest example with a 10 min bake and a 30 min in-progress timeout.</summary>
    public static RolloutRequest Request(bool autoRevert = false, bool approval = false) =>
        RolloutFixture.Request(autoRevert) with { ApprovalRequired = approval };
}
