using System.Security.Cryptography;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Actions;
using GeoEdge.FleetServer.Storage;
using GeoEdge.IntegrationTests.Support;

namespace GeoEdge.IntegrationTests.Scenarios;

/// <summary>A bundle the device must refuse (signed by a key the server trusts but the device does not; or bytes that
/// changed in the server's blob store): the device reports rejected with a code, installs nothing, keeps serving the old
/// version, and a rollout with errorPct 0 and minDevices 1 halts with its reason recorded.</summary>
[Trait("Category", "Fault")]
public sealed class RejectedBundleTests
{
    [Fact]
    public async Task A_bundle_signed_by_a_key_the_device_does_not_trust_is_rejected_and_the_rollout_halts()
    {
        string keys = Directory.CreateTempSubdirectory("geoedge-e2e-keys-").FullName;
        (ECDsa other, string otherPem) = Bundles.OtherKey(keys);
        using (other)
        {
            await using FleetScenario fleet = await FleetScenario.StartAsync(moreTrustedKeys: otherPem);
            await fleet.Server.UploadAsync(Bundles.Shipped(fleet.Scratch));
            ModelVersionInfo untrusted = await fleet.Server.UploadAsync(Bundles.Pack(fleet.Scratch, "1.1.0", key: other).Path);
            Directory.Delete(keys, recursive: true);

            await RunRejectedRolloutAsync(fleet, untrusted, "signature");
        }
    }

    [Fact]
    public async Task A_bundle_whose_bytes_changed_on_the_server_is_rejected_by_its_hash_and_the_rollout_halts()
    {
        await using FleetScenario fleet = await FleetScenario.StartAsync();
        await fleet.Server.UploadAsync(Bundles.Shipped(fleet.Scratch));
        ModelVersionInfo v110 = await fleet.Server.UploadAsync(Bundles.Pack(fleet.Scratch, "1.1.0").Path);
        // Storage corruption (or an attacker with disk access): one byte of the stored blob flips after the upload check.
        string blob = Assert.Single(Directory.GetFiles(Path.Combine(fleet.Server.DataDirectory, "blobs"), v110.BundleSha256 + "*", SearchOption.AllDirectories));
        byte[] bytes = await File.ReadAllBytesAsync(blob);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(blob, bytes);

        await RunRejectedRolloutAsync(fleet, v110, "sha256");
    }

    private static async Task RunRejectedRolloutAsync(FleetScenario fleet, ModelVersionInfo target, string code)
    {
        await fleet.StartDeviceAsync();
        string deviceId = await fleet.WaitForEnrollmentAsync();
        await fleet.WaitForReportedActiveAsync(deviceId, "1.0.0");

        RolloutView created = await fleet.Server.CreateRolloutAsync(FleetScenario.OneStage(deviceId, target.Version, errorPct: 0));
        RolloutView halted = await fleet.WaitForRolloutAsync(created.Id, "halted");

        ActionRecord action = Assert.Single(await fleet.Server.ActionsAsync(created.Id));
        Assert.Equal(ActionStatus.Rejected, action.Status);
        List<ActionStatusReport> history = await fleet.Server.ActionHistoryAsync(action.ActionId);
        ActionStatusReport last = history[^1];
        Assert.Equal((ActionStatus.Rejected, code), (last.Status, last.Code));
        Assert.False(string.IsNullOrEmpty(last.Details));
        Assert.DoesNotContain(history, h => h.Status is ActionStatus.Installed or ActionStatus.Activating or ActionStatus.Active);

        // The halt is recorded with its reason, and the stage shows the one rejected device.
        Assert.Equal("stage 'all': 1 of 1 finished devices failed (100%) > errorPct 0 (failed 0, rolled_back 0, timed_out 0, rejected 1)", halted.HaltReason);
        Assert.Equal(1, halted.Stages[0].ByStatus["rejected"]);

        // Nothing installed; the device keeps serving 1.0.0 and says why it did not converge.
        DeviceRecord device = await fleet.WaitForReportedActiveAsync(deviceId, "1.0.0",
            d => d.Reported!.LastDesiredVersion == d.DesiredVersion && d.Reported.LastDesiredStatus.Code != DesiredStatus.InProgress);
        Assert.Equal(422, device.Reported!.LastDesiredStatus.Code);
        Assert.False(device.IsConverged);
        Assert.False(Directory.Exists(Path.Combine(fleet.Config!.StateDirectory, "models", FleetScenario.Model, target.Version)));
        Assert.Equal(("1.0.0", "1.0.0"), await fleet.DeviceServesAsync());
    }
}
