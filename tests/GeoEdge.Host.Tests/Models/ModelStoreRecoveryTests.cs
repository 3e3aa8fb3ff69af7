using GeoEdge.Host.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.Host.Tests.Models;

/// <summary>Recovery of an activation interrupted in this process (the hook throws right after a state is persisted),
/// the cheap complement of <see cref="ActivationFaultTests"/>, which kills a real process.</summary>
[Trait("Category", "Integration")]
public sealed class ModelStoreRecoveryTests
{
    [Theory]
    [InlineData(ActivationState.Verify, StoreFixtures.ShippedVersion)]
    [InlineData(ActivationState.Swap, StoreFixtures.ShippedVersion)]
    [InlineData(ActivationState.Commit, TwoVersionStore.Next)]
    public async Task An_interrupted_activation_is_rolled_back_or_completed_at_the_next_start(ActivationState interruptAt, string expectedActive)
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync();
        using (ModelStore crashing = Interrupting(fixture.StateDirectory, interruptAt))
        {
            await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.ActivateAsync(StoreFixtures.Shapes, TwoVersionStore.Next));
        }

        using ModelStore restarted = StoreFixtures.NewStore(fixture.StateDirectory);

        Assert.Equal((TwoVersionStore.Next, interruptAt), Assert.Single(restarted.List()).InProgress);

        RecoveryReport report = Assert.Single(await restarted.RecoverAsync());

        Assert.Equal((expectedActive, true, null), (report.Active, report.Loaded, report.Problem));
        Assert.Equal(expectedActive == TwoVersionStore.Next, report.Resumed!.Succeeded);
        Assert.Equal(expectedActive, restarted.Slot(StoreFixtures.Shapes).Version);
        Assert.Null(Assert.Single(restarted.List()).InProgress);
    }

    [Fact]
    public async Task An_activation_that_keeps_crashing_is_abandoned_by_the_loop_counter()
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync();
        using (ModelStore crashing = Interrupting(fixture.StateDirectory, ActivationState.Load))
        {
            await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.ActivateAsync(StoreFixtures.Shapes, TwoVersionStore.Next));
        }

        // Each restart crashes again in Rollback, the state recovery resumes at, until the counter runs out.
        for (int restart = 0; restart < 2; restart++)
        {
            using ModelStore crashingAgain = Interrupting(fixture.StateDirectory, ActivationState.Rollback);
            await Assert.ThrowsAsync<SimulatedCrashException>(() => crashingAgain.RecoverAsync());
        }

        using ModelStore restarted = Interrupting(fixture.StateDirectory, ActivationState.Rollback);
        RecoveryReport report = Assert.Single(await restarted.RecoverAsync());

        Assert.False(report.Resumed!.Succeeded);
        Assert.StartsWith("abandoned after 3 attempts", report.Resumed.Reason, StringComparison.Ordinal);
        Assert.Equal((StoreFixtures.ShippedVersion, true), (report.Active, report.Loaded));
        Assert.Null(Assert.Single(restarted.List()).InProgress);
    }

    [Fact]
    public async Task Recovery_deletes_what_an_interrupted_write_left_and_keeps_the_state()
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync();
        string modelDirectory = Path.GetDirectoryName(fixture.StateFile)!;
        File.WriteAllText(Path.Combine(modelDirectory, ".state.json.4242.0123456789abcdef.tmp"), "{\"active\": \"1.1");
        Directory.CreateDirectory(Path.Combine(modelDirectory, ".tmp-0123456789abcdef"));
        File.WriteAllText(Path.Combine(modelDirectory, ".tmp-0123456789abcdef", "model.onnx"), "half");
        Directory.CreateDirectory(Path.Combine(fixture.StateDirectory, "models", ".staging", "bundle-x"));
        using ModelStore store = StoreFixtures.NewStore(fixture.StateDirectory);

        RecoveryReport report = Assert.Single(await store.RecoverAsync());

        Assert.Empty(StoreFixtures.Leftovers(fixture.StateDirectory));
        Assert.Equal((StoreFixtures.ShippedVersion, true), (report.Active, report.Loaded));
        Assert.Equal([StoreFixtures.ShippedVersion, TwoVersionStore.Next], Assert.Single(store.List()).Installed);
    }

    [Fact]
    public async Task A_damaged_active_version_falls_back_to_the_previous_one()
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync();
        using (ModelStore store = StoreFixtures.NewStore(fixture.StateDirectory))
        {
            Assert.True((await store.ActivateAsync(StoreFixtures.Shapes, TwoVersionStore.Next)).Succeeded);
        }

        string onnx = Path.Combine(fixture.VersionDirectory(TwoVersionStore.Next), "model.onnx");
        byte[] bytes = File.ReadAllBytes(onnx);
        bytes[100] ^= 0x40;
        File.WriteAllBytes(onnx, bytes);
        using ModelStore restarted = StoreFixtures.NewStore(fixture.StateDirectory);

        RecoveryReport report = Assert.Single(await restarted.RecoverAsync());

        Assert.Equal((StoreFixtures.ShippedVersion, true), (report.Active, report.Loaded));
        Assert.Contains("HashMismatch", report.Problem, StringComparison.Ordinal);
        Assert.Equal(StoreFixtures.ShippedVersion, restarted.Slot(StoreFixtures.Shapes).Version);
        Assert.Equal(StoreFixtures.ShippedVersion, Assert.Single(restarted.List()).Active);
    }

    private static ModelStore Interrupting(string stateDirectory, ActivationState at) =>
        new(stateDirectory, StoreFixtures.Keys, StoreFixtures.Session(), NullLogger<ModelStore>.Instance, TimeProvider.System)
        {
            StatePersisted = (_, state, _) => state == at ? throw new SimulatedCrashException() : ValueTask.CompletedTask,
        };

    private sealed class SimulatedCrashException : Exception
    {
        public SimulatedCrashException()
            : base("simulated crash")
        {
        }

        public SimulatedCrashException(string message)
            : base(message)
        {
        }

        public SimulatedCrashException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
