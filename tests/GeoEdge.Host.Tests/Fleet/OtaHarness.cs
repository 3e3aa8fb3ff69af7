using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GeoEdge.Fleet.Contracts;
using GeoEdge.Host.Fleet;
using GeoEdge.Host.Models;
using GeoEdge.Host.Tests.Models;
using GeoEdge.Inference.Bundles;
using Microsoft.Extensions.Logging.Abstractions;

namespace GeoEdge.Host.Tests.Fleet;

/// <summary>An OTA test bench: a fake fleet serving shapes-dgcnn 1.1.0 (packed and signed with the dev key as a .geob),
/// and a real model store running 1.0.0; <see cref="RestartAsync"/> is what a process restart does to the store
/// (dispose, reopen, recover) — the OTA flow is then built again from its files only.</summary>
internal sealed class OtaHarness : IAsyncDisposable
{
    public const string Target = "1.1.0";

    private readonly List<IDisposable> _owned = [];

    private OtaHarness(FleetFixture fleet, ModelStore store)
    {
        Fleet = fleet;
        Store = store;
    }

    public FleetFixture Fleet { get; }

    public ModelStore Store { get; private set; }

    public Assignment Assignment { get; private set; } = null!;

    public static async Task<OtaHarness> CreateAsync(bool untrustedSigner = false)
    {
        FleetFixture fleet = await FleetFixture.StartAsync();
        ModelStore store = StoreFixtures.NewStore(fleet.StateDirectory, StoreFixtures.Session(concurrency: 1));
        await store.InstallAsync(StoreFixtures.ShapesBundle);
        ActivationResult shipped = await store.ActivateAsync(StoreFixtures.Shapes, StoreFixtures.ShippedVersion);
        Assert.True(shipped.Succeeded, shipped.ToString());
        var h = new OtaHarness(fleet, store);
        string geob = Path.Combine(fleet.Scratch, "next.geob");
        if (untrustedSigner)
        {
            PackWithStrangerKey(geob);
        }
        else
        {
            StoreFixtures.PackShapes(geob, Target);
        }

        string sha = FakeFleetServer.Sha256Of(geob);
        fleet.Server.Bundles[sha] = geob;
        h.Assignment = new Assignment("a1", "r1", "canary", StoreFixtures.Shapes, Target,
            new BundleReference(sha, new FileInfo(geob).Length, $"/v1/bundles/{sha}", "", "dev"), AssignmentMode.Forced, AssignmentMode.Forced, null);
        return h;
    }

    public Assignment With(string? version = null, string? sha = null) => Assignment with
    {
        Version = version ?? Assignment.Version,
        Bundle = Assignment.Bundle with { Sha256 = sha ?? Assignment.Bundle.Sha256 },
    };

    /// <param name="willHang">Whether the next run of a state is one the test makes hang: only such a run gets a 1 s
    /// timeout, so a slow but healthy run (a second Download or Activate on a loaded machine) is never cut short.</param>
    /// <param name="time">The flow's clock (status timestamps, the maintenance window); the system clock when null.</param>
    public OtaFlow NewFlow(Func<OtaRecord, CancellationToken, ValueTask>? hook = null, Func<OtaState, bool>? willHang = null, TimeProvider? time = null)
    {
        FleetClient client = Fleet.NewClient(Fleet.Server.Address, maxAttempts: 1);
        var outbox = new StatusOutbox(Fleet.Files.Outbox, client, NullLogger.Instance);
        _owned.Add(client);
        _owned.Add(outbox);
        var steps = new OtaSteps(Store, new BundleDownload(client, NullLogger.Instance), Fleet.Files, [StoreFixtures.Shapes]);
        return new OtaFlow(Fleet.Files, steps, outbox, time ?? TimeProvider.System, NullLogger.Instance)
        {
            StatePersisted = hook,
            StateTimeout = s => willHang?.Invoke(s) == true ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(2),
        };
    }

    /// <summary>What a restarted process finds: the store reopened and recovered from disk.</summary>
    public async Task RestartAsync()
    {
        Store.Dispose();
        Store = StoreFixtures.NewStore(Fleet.StateDirectory, StoreFixtures.Session(concurrency: 1));
        await Store.RecoverAsync();
    }

    public string? Active => Store.List().Single(m => m.Name == StoreFixtures.Shapes).Active;

    public async ValueTask DisposeAsync()
    {
        foreach (IDisposable d in _owned)
        {
            d.Dispose();
        }

        Store.Dispose();
        await Fleet.DisposeAsync();
    }

    private static void PackWithStrangerKey(string output)
    {
        JsonObject spec = JsonNode.Parse(File.ReadAllText(Path.Combine(StoreFixtures.ModelsDirectory, StoreFixtures.Shapes, "manifest-spec.json")))!.AsObject();
        spec["version"] = Target;
        string source = Path.Combine(Path.GetDirectoryName(output)!, "stranger-src");
        Directory.CreateDirectory(source);
        string model = Path.Combine(source, "model.onnx");
        File.Copy(Path.Combine(StoreFixtures.ShapesBundle, "model.onnx"), model);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        BundlePacker.Pack(model, System.Text.Encoding.UTF8.GetBytes(spec.ToJsonString()), "manifest-spec.json", key, output);
    }
}

/// <summary>A fault injected when a state has been persisted, before its side effect: an error (I/O), a crash (the
/// process dies: nothing after it runs) or a hang (until the state's timeout), <paramref name="times"/> times.</summary>
internal sealed class InjectedFault(OtaState state, string kind, int times = 1)
{
    private int _left = times;

    /// <summary>True when the next run of <paramref name="current"/> will hang (read before the hook fires).</summary>
    public bool WillHang(OtaState current) => kind == "hang" && current == state && _left > 0;

    public async ValueTask Hook(OtaRecord record, CancellationToken cancellationToken)
    {
        if (record.State != state || _left <= 0)
        {
            return;
        }

        _left--;
        switch (kind)
        {
            case "error":
                throw new IOException($"injected error in {state}");
            case "crash":
                throw new SimulatedCrash(state);
            case "hang":
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
        }
    }
}

/// <summary>Stands for the process dying at that point: the flow does not catch it, so nothing after it runs.</summary>
internal sealed class SimulatedCrash(OtaState state) : Exception($"simulated crash in {state}");
