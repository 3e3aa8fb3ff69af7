using System.Text.Json;
using GeoEdge.Host.Models;

namespace GeoEdge.Host.Tests.Models;

[Trait("Category", "Integration")]
public sealed class ModelStoreActivationTests
{
    [Fact]
    public async Task Activating_a_second_version_swaps_the_slot_and_rollback_returns_to_the_first()
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync(activate: false);
        var visited = new List<ActivationState>();
        using ModelStore observed = new(fixture.StateDirectory, StoreFixtures.Keys, StoreFixtures.Session(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelStore>.Instance, TimeProvider.System)
        {
            StatePersisted = (_, state, _) =>
            {
                visited.Add(state);
                return ValueTask.CompletedTask;
            },
        };

        ActivationResult first = await observed.ActivateAsync(StoreFixtures.Shapes, StoreFixtures.ShippedVersion);
        ActivationResult second = await observed.ActivateAsync(StoreFixtures.Shapes, TwoVersionStore.Next);

        Assert.Equal(new ActivationResult(true, StoreFixtures.Shapes, TwoVersionStore.Next, ActivationState.Commit, null, null, TwoVersionStore.Next), second);
        Assert.True(first.Succeeded);
        Assert.Equal(
            [ActivationState.Verify, ActivationState.Load, ActivationState.WarmUp, ActivationState.SelfTest, ActivationState.Swap, ActivationState.Commit],
            visited.Skip(6));
        Assert.Equal(TwoVersionStore.Next, observed.Slot(StoreFixtures.Shapes).Version);
        ModelSummary summary = Assert.Single(observed.List());
        Assert.Equal((TwoVersionStore.Next, StoreFixtures.ShippedVersion), (summary.Active, summary.Previous));
        Assert.Null(summary.InProgress);

        ActivationResult back = await observed.RollbackAsync(StoreFixtures.Shapes);

        Assert.True(back.Succeeded, back.ToString());
        Assert.Equal(StoreFixtures.ShippedVersion, back.Version);
        Assert.Equal(StoreFixtures.ShippedVersion, observed.Slot(StoreFixtures.Shapes).Version);
        summary = Assert.Single(observed.List());
        Assert.Equal((StoreFixtures.ShippedVersion, TwoVersionStore.Next), (summary.Active, summary.Previous));
    }

    [Fact]
    public async Task A_version_that_fails_to_load_is_rolled_back_with_its_reason_and_the_old_one_keeps_serving()
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync();
        string broken = StoreFixtures.PackBroken(Path.Combine(fixture.Scratch, "broken"), "3.0.0").Path;
        using ModelStore store = StoreFixtures.NewStore(fixture.StateDirectory);
        await store.RecoverAsync();
        await store.InstallAsync(broken);

        ActivationResult result = await store.ActivateAsync(StoreFixtures.Shapes, "3.0.0");

        Assert.False(result.Succeeded);
        Assert.Equal((ActivationState.Rollback, ActivationState.Load, StoreFixtures.ShippedVersion), (result.FinalState, result.FailedAt, result.Active));
        Assert.Contains("PipelineConfigurationException", result.Reason, StringComparison.Ordinal);
        Assert.Equal(StoreFixtures.ShippedVersion, store.Slot(StoreFixtures.Shapes).Version);
        ModelSummary summary = Assert.Single(store.List());
        Assert.Equal(StoreFixtures.ShippedVersion, summary.Active);
        Assert.Equal(result.Reason, summary.LastActivation!.Reason);
        Assert.Equal(ActivationState.Load, summary.LastActivation.FailedAt);
    }

    [Fact]
    public async Task Activating_a_version_that_is_not_installed_fails_at_Verify_as_a_result()
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync();
        using ModelStore store = StoreFixtures.NewStore(fixture.StateDirectory);

        ActivationResult result = await store.ActivateAsync(StoreFixtures.Shapes, "9.9.9");
        ActivationResult unknown = await store.ActivateAsync("no-such-model", "1.0.0");

        Assert.Equal((false, ActivationState.Verify, StoreFixtures.ShippedVersion), (result.Succeeded, result.FailedAt, result.Active));
        Assert.Contains("9.9.9", result.Reason, StringComparison.Ordinal);
        Assert.False(unknown.Succeeded);
        Assert.Contains("no model named 'no-such-model'", unknown.Reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(fixture.StateDirectory, "models", "no-such-model")));
    }

    [Fact]
    public async Task Rollback_without_a_previous_version_is_refused()
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync();
        using ModelStore store = StoreFixtures.NewStore(fixture.StateDirectory);

        ActivationResult result = await store.RollbackAsync(StoreFixtures.Shapes);

        Assert.False(result.Succeeded);
        Assert.Equal(StoreFixtures.ShippedVersion, result.Active);
        Assert.Contains("no previous version", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_state_file_is_replaced_by_rename_never_rewritten_in_place()
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync();
        using ModelStore store = StoreFixtures.NewStore(fixture.StateDirectory);
        byte[] before = File.ReadAllBytes(fixture.StateFile);

        // A reader holding the old file keeps reading the whole old document: the new one is a different file.
        using (FileStream reader = File.OpenRead(fixture.StateFile))
        {
            ActivationResult result = await store.ActivateAsync(StoreFixtures.Shapes, TwoVersionStore.Next);
            Assert.True(result.Succeeded, result.ToString());
            var old = new MemoryStream();
            reader.CopyTo(old);
            Assert.Equal(before, old.ToArray());
        }

        using JsonDocument now = JsonDocument.Parse(File.ReadAllBytes(fixture.StateFile));
        Assert.Equal(TwoVersionStore.Next, now.RootElement.GetProperty("active").GetString());
        Assert.Equal(StoreFixtures.ShippedVersion, now.RootElement.GetProperty("previous").GetString());
        Assert.False(now.RootElement.TryGetProperty("activation", out _));
        Assert.Empty(StoreFixtures.Leftovers(fixture.StateDirectory));
    }

    [Fact]
    public async Task A_second_store_over_the_same_directory_is_refused_until_the_first_is_disposed()
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync();
        using ModelStore second = StoreFixtures.NewStore(fixture.StateDirectory);
        using (ModelStore first = StoreFixtures.NewStore(fixture.StateDirectory))
        {
            await first.RecoverAsync();

            ModelStoreException e = await Assert.ThrowsAsync<ModelStoreException>(() => second.ActivateAsync(StoreFixtures.Shapes, TwoVersionStore.Next));

            Assert.Equal(Path.Combine(fixture.StateDirectory, "models", "store.lock"), e.Subject);
            Assert.Equal(StoreFixtures.ShippedVersion, Assert.Single(second.List()).Active);
        }

        Assert.True((await second.ActivateAsync(StoreFixtures.Shapes, TwoVersionStore.Next)).Succeeded);
    }

    [Fact]
    public async Task A_damaged_state_file_is_a_typed_error_naming_it()
    {
        using TwoVersionStore fixture = await TwoVersionStore.CreateAsync();
        File.WriteAllText(fixture.StateFile, "{\"active\": \"1.0.0\", \"activation\": {");
        using ModelStore store = StoreFixtures.NewStore(fixture.StateDirectory);

        ModelStoreException e = Assert.Throws<ModelStoreException>(() => store.List());

        Assert.Equal(fixture.StateFile, e.Subject);
        Assert.Contains("malformed state file", e.Message, StringComparison.Ordinal);
    }
}
