using System.Diagnostics;
using GeoEdge.Host.Cli;
using GeoEdge.Host.Models;

using GeoEdge.Host.Tests.Service;

namespace GeoEdge.Host.Tests.Models;

/// <summary>The fault table: a real `geoedge models activate` is stopped right after it persisted each state and killed
/// with SIGKILL; the next start must serve a verified active model that loads, and leave no temp file behind.</summary>
[Trait("Category", "Fault")]
public sealed class ActivationFaultTests
{
    public static TheoryData<ActivationState, string, string> Table => new()
    {
        // state killed in, version activated, version active after the next start
        { ActivationState.Verify, TwoVersionStore.Next, StoreFixtures.ShippedVersion },
        { ActivationState.Load, TwoVersionStore.Next, StoreFixtures.ShippedVersion },
        { ActivationState.WarmUp, TwoVersionStore.Next, StoreFixtures.ShippedVersion },
        { ActivationState.SelfTest, TwoVersionStore.Next, StoreFixtures.ShippedVersion },
        { ActivationState.Swap, TwoVersionStore.Next, StoreFixtures.ShippedVersion },
        { ActivationState.Commit, TwoVersionStore.Next, TwoVersionStore.Next },

        // Rollback is reached only by a failure: the broken version fails at Load.
        { ActivationState.Rollback, BrokenVersion, StoreFixtures.ShippedVersion },
    };

    private const string BrokenVersion = "3.0.0";

    [Fact]
    public void The_table_covers_every_working_state() =>
        Assert.Equal(ActivationTable.WorkingStates, Table.Select(row => (ActivationState)row[0]));

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Killed_after_persisting_a_state_the_next_start_serves_a_verified_model(ActivationState killAt, string target, string expectedActive)
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync();
        using (ModelStore setup = StoreFixtures.NewStore(fixture.StateDirectory))
        {
            await setup.InstallAsync(StoreFixtures.PackBroken(Path.Combine(fixture.Scratch, "broken"), BrokenVersion).Path);
        }

        using (Process child = Geoedge.Start(fixture.StateDirectory, killAt, "activate", StoreFixtures.Shapes, target))
        {
            string? line;
            while ((line = await child.StandardOutput.ReadLineAsync()) is not null && !line.StartsWith(ModelsCommand.PausedMarker, StringComparison.Ordinal))
            {
            }

            if (line is null)
            {
                // Only read stderr once the child is gone: reading it earlier would wait for the paused child forever.
                await child.WaitForExitAsync();
                Assert.Fail($"geoedge exited ({child.ExitCode}) without pausing at {killAt}: {await child.StandardError.ReadToEndAsync()}");
            }

            Assert.Equal($"{ModelsCommand.PausedMarker}{killAt} ({StoreFixtures.Shapes})", line);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            Assert.Equal(137, child.ExitCode); // 128 + SIGKILL
        }

        using (ModelStore beforeRestart = StoreFixtures.NewStore(fixture.StateDirectory))
        {
            Assert.Equal((target, killAt), Assert.Single(beforeRestart.List()).InProgress);
        }

        // The next start, as a real process: `models list` recovers and reports.
        (int code, string listed) = await Geoedge.RunAsync(fixture.StateDirectory, "list");
        Assert.Equal(0, code);
        Assert.Contains($"{StoreFixtures.Shapes}: active {expectedActive}, ", listed, StringComparison.Ordinal);
        Assert.Contains($"serving {expectedActive}, ", listed, StringComparison.Ordinal);
        Assert.Contains("recovered: ", listed, StringComparison.Ordinal);

        // And in process: the active model loads and classifies; nothing temporary is left anywhere.
        using ModelStore restarted = StoreFixtures.NewStore(fixture.StateDirectory);
        RecoveryReport report = Assert.Single(await restarted.RecoverAsync());
        Assert.Equal((expectedActive, true, null, null), (report.Active, report.Loaded, report.Problem, report.Resumed));
        using (ModelLease<ModelPipeline> lease = restarted.Slot(StoreFixtures.Shapes).Acquire())
        {
            Assert.Equal(expectedActive, lease.Version);
            Assert.True(lease.Pipeline.PointCloud!.Classify(PipelineSelfTest.ReferenceSphere(1024)).IsSuccess);
        }

        ModelSummary summary = Assert.Single(restarted.List());
        Assert.Null(summary.InProgress);
        Assert.Equal(expectedActive == TwoVersionStore.Next, summary.LastActivation!.Succeeded);
        Assert.Equal(target, summary.LastActivation.Version);
        Assert.Empty(StoreFixtures.Leftovers(fixture.StateDirectory));
    }

    /// <summary>The built `geoedge` (its dll beside this test assembly, or the Host project's output) run through `dotnet`.</summary>
    private static class Geoedge
    {
        public static Process Start(string stateDirectory, ActivationState? pauseAt, params string[] verb)
        {
            ProcessStartInfo info = ServiceProcess.Command(["models", .. verb, "--state", stateDirectory, "--keys", StoreFixtures.DevPublicKey]);
            info.Environment[ModelsCommand.PauseVariable] = pauseAt?.ToString() ?? string.Empty;
            return Process.Start(info) ?? throw new InvalidOperationException("could not start geoedge");
        }

        public static async Task<(int Code, string Stdout)> RunAsync(string stateDirectory, params string[] verb)
        {
            using Process child = Start(stateDirectory, null, verb);
            Task<string> stderr = child.StandardError.ReadToEndAsync();
            string stdout = await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync();
            return (child.ExitCode, stdout + await stderr);
        }
    }
}
