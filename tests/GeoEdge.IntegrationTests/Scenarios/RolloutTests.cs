using System.Text.Json.Nodes;
using GeoEdge.Fleet.Contracts;
using GeoEdge.FleetServer.Actions;
using GeoEdge.FleetServer.Storage;
using GeoEdge.Inference.Bundles;
using GeoEdge.IntegrationTests.Support;

namespace GeoEdge.IntegrationTests.Scenarios;

/// <summary>A real geoedge enrolled in the real fleet server takes a new model version through a rollout: download
/// (resumed after a SIGKILL mid-body), verify, install and activate through its model store, report, converge.</summary>
[Trait("Category", "Integration")]
public sealed class RolloutTests
{
    private static readonly ActionStatus[] StatusesToActive =
        [ActionStatus.Downloading, ActionStatus.Downloaded, ActionStatus.Verifying, ActionStatus.Installed, ActionStatus.Activating, ActionStatus.Active];

    [Fact]
    public async Task Enrolled_device_downloads_installs_and_activates_the_rolled_out_version_and_converges()
    {
        await using FleetScenario fleet = await FleetScenario.StartAsync();
        ModelVersionInfo v100 = await fleet.Server.UploadAsync(Bundles.Shipped(fleet.Scratch));
        PackedBundle packed = Bundles.Pack(fleet.Scratch, "1.1.0");
        ModelVersionInfo v110 = await fleet.Server.UploadAsync(packed.Path);
        Assert.Equal(("1.0.0", "1.1.0"), (v100.Version, v110.Version));
        Assert.Equal(packed.ManifestSha256, v110.ManifestSha256);

        await fleet.StartDeviceAsync();
        string deviceId = await fleet.WaitForEnrollmentAsync();
        await fleet.WaitForReportedActiveAsync(deviceId, "1.0.0");

        RolloutView created = await fleet.Server.CreateRolloutAsync(FleetScenario.OneStage(deviceId, "1.1.0"));
        RolloutView done = await fleet.WaitForRolloutAsync(created.Id, "succeeded");

        // One action, its statuses posted in order (each seq once), ending active.
        ActionRecord action = Assert.Single(await fleet.Server.ActionsAsync(created.Id));
        Assert.Equal((deviceId, "1.1.0", ActionStatus.Active), (action.DeviceId, action.Version, action.Status));
        List<ActionStatusReport> history = await fleet.Server.ActionHistoryAsync(action.ActionId);
        Assert.Equal(StatusesToActive, history.Select(h => h.Status));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), history.Select(h => h.Seq));
        Assert.Equal(new ActionProgress(0, v110.Size), history[0].Progress);
        Assert.Equal(1, done.Stages[0].Assigned);
        Assert.Equal(1, done.Stages[0].ByStatus["active"]);

        // Converged: the device acted on the current desired version with code 200, and reports 1.1.0 active, 1.0.0 previous.
        DeviceRecord device = await fleet.WaitForReportedActiveAsync(deviceId, "1.1.0", d => d.IsConverged);
        Assert.Equal(device.DesiredVersion, device.Reported!.LastDesiredVersion);
        Assert.Equal(DesiredStatus.Converged, device.Reported.LastDesiredStatus.Code);
        ReportedModel shapes = Assert.Single(device.Reported.Models, m => m.Model == FleetScenario.Model);
        Assert.Equal(new ModelVersionReference("1.1.0", v110.ManifestSha256), shapes.Active);
        Assert.Equal("1.0.0", shapes.Previous!.Version);
        Assert.True((await fleet.Server.DeviceByHwIdAsync(fleet.Config!.HwId))!.Converged);

        // The device's own diagnostics say the same: 1.1.0 is active and its pipeline runs it.
        (string? active, string? serving) = await Eventually.ValueAsync("pipeline serves 1.1.0", async () =>
        {
            (string? a, string? s) = await fleet.DeviceServesAsync();
            return (s == "1.1.0", (a, s), $"active {a}, serving {s}");
        });
        Assert.Equal(("1.1.0", "1.1.0"), (active, serving));
        Assert.True(Directory.Exists(Path.Combine(fleet.Config.StateDirectory, "models", FleetScenario.Model, "1.1.0")));
    }

    [Theory]
    [InlineData(true)] // the device is SIGKILLed mid-body and restarted
    [InlineData(false)] // the connection is cut mid-body; the device lives on
    public async Task A_cut_download_resumes_with_a_range_request(bool killDevice)
    {
        await using FleetScenario fleet = await FleetScenario.StartAsync();
        await fleet.Server.UploadAsync(Bundles.Shipped(fleet.Scratch));
        // 3 MiB of incompressible padding: the body is long enough to be cut well inside it.
        ModelVersionInfo v110 = await fleet.Server.UploadAsync(Bundles.Pack(fleet.Scratch, "1.1.0", paddingBytes: 3 << 20).Path);
        const long CutAt = 1 << 20;
        Assert.True(v110.Size > 3 * CutAt, $"bundle of {v110.Size} bytes");

        await fleet.StartDeviceAsync();
        string deviceId = await fleet.WaitForEnrollmentAsync();
        await fleet.WaitForReportedActiveAsync(deviceId, "1.0.0");

        // The first bundle GET hangs after 1 MiB; once the device holds what arrived, it is killed or the link is cut.
        Fault stall = fleet.Proxy.Arm("GET", "/v1/bundles/", FaultKind.StallAfterBytes, CutAt);
        RolloutView created = await fleet.Server.CreateRolloutAsync(FleetScenario.OneStage(deviceId, "1.1.0"));
        await Eventually.TrueAsync("the bundle download stalls", () => stall.Triggered.Task.IsCompleted, fleet.DeviceOutput);
        string part = fleet.Config!.FleetState("downloads", v110.BundleSha256 + ".geob.part");
        // Everything the proxy sent reaches the device; at most its 64 KiB file buffer is still in the process.
        await Eventually.TrueAsync("the partial file holds the first MiB", () => File.Exists(part) && new FileInfo(part).Length >= CutAt - (128 << 10),
            () => File.Exists(part) ? $"{new FileInfo(part).Length} bytes" : "no .part file");
        long? keptAtKill = null;
        if (killDevice)
        {
            fleet.Device!.Kill();
            keptAtKill = new FileInfo(part).Length;
            stall.Release();
            fleet.RestartDevice();
        }
        else
        {
            stall.Release(); // the proxy resets the connection
        }

        await fleet.WaitForRolloutAsync(created.Id, "succeeded");
        await fleet.WaitForReportedActiveAsync(deviceId, "1.1.0", d => d.IsConverged);

        // It resumed: a 206 from the server for the rest of the file from the first byte the device did not hold, and
        // far fewer bytes than two downloads.
        List<ProxiedExchange> gets = fleet.Proxy.Matching("GET", "/v1/bundles/" + v110.BundleSha256);
        Assert.Equal(2, gets.Count);
        Assert.Equal((200, (string?)null, CutAt), (gets[0].Status, gets[0].Range, gets[0].BodyBytes));
        Assert.Equal(206, gets[1].Status);
        Assert.StartsWith("bytes=", gets[1].Range, StringComparison.Ordinal);
        Assert.EndsWith("-", gets[1].Range, StringComparison.Ordinal);
        long kept = long.Parse(gets[1].Range!["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(kept, CutAt - (128 << 10), CutAt);
        Assert.Equal(keptAtKill ?? kept, kept);
        Assert.Equal(v110.Size - kept, gets[1].BodyBytes);
        Assert.True(gets.Sum(g => g.BodyBytes) < 2 * v110.Size);
        Assert.Equal(1, fleet.Server.Requests("/v1/bundles/{sha256}", "GET", 206));

        // The OTA flow ran Download again (after the restart or the failed try), not from the start; each status went out once.
        ActionRecord action = Assert.Single(await fleet.Server.ActionsAsync(created.Id));
        Assert.Equal(StatusesToActive, (await fleet.Server.ActionHistoryAsync(action.ActionId)).Select(h => h.Status));
        JsonNode ota = JsonNode.Parse(await File.ReadAllTextAsync(fleet.Config.FleetState("ota.json")))!;
        Assert.Equal(["Idle", "Download", "Download", "Verify", "Install", "Activate", "Commit", "Done"],
            ota["path"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.False(File.Exists(part));
        Assert.Equal("1.1.0", (await fleet.DeviceServesAsync()).Active);
    }
}
