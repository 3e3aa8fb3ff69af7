using GeoEdge.Host.Models;
using GeoEdge.Host.Tests.Models;

namespace GeoEdge.Host.Tests.Diagnostics;

/// <summary>A real model store holding shapes-dgcnn 1.0.0 (active, loaded, no previous) and 1.1.0 (installed), shared by a test class that does not change it.</summary>
/// <remarks>Loading a real model is the slow part on a small machine, so one store serves every read-only test of a class.</remarks>
public sealed class InstalledShapesStore : IAsyncLifetime
{
    private TwoVersionStore? _files;

    internal ModelStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _files = await TwoVersionStore.CreateAsync();
        Store = await OpenAsync(_files);
    }

    /// <summary>Opens a store over <paramref name="files"/> the way the service starts: recovery loads the active version.</summary>
    internal static async Task<ModelStore> OpenAsync(TwoVersionStore files)
    {
        ModelStore store = StoreFixtures.NewStore(files.StateDirectory, StoreFixtures.Session(concurrency: 1));
        IReadOnlyList<RecoveryReport> recovered = await store.RecoverAsync();
        Assert.True(recovered.Single().Loaded, recovered.Single().ToString());
        return store;
    }

    public Task DisposeAsync()
    {
        Store?.Dispose();
        _files?.Dispose();
        return Task.CompletedTask;
    }
}
