using GeoEdge.Geometry;
using GeoEdge.Host.Diagnostics;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Tests.Diagnostics;

/// <summary>Test stand-in for the run loop's device state (the real one is `geoedge run`'s): a snapshot the test sets.</summary>
internal sealed class SettableDeviceState : IDeviceState
{
    public DeviceSnapshot Current { get; set; } = null!;

    public DeviceSnapshot Snapshot() => Current;
}

/// <summary>The shipped shapes-dgcnn bundle, verified with the dev key and loaded into a real pipeline, behind the gateway port.</summary>
public sealed class ShapesGateway : IInferenceGateway, IDisposable
{
    private readonly ModelBundle _bundle;

    public ShapesGateway()
    {
        _bundle = ModelBundle.Open(RepositoryFiles.Models("shapes-dgcnn", "bundle"), TrustedKeys.FromPemFiles(RepositoryFiles.Models("dev-keys", "geoedge-dev.pub.pem")));
        Pipeline = new PointCloudClassification(_bundle, new() { Session = new() { MaxConcurrency = 1, IntraOpThreads = 1 } });
    }

    public PointCloudClassification Pipeline { get; }

    public string Version => _bundle.Manifest.Version;

    public Task<InferenceOutcome?> ClassifyAsync(PointCloud cloud, CancellationToken cancellationToken) =>
        Task.FromResult<InferenceOutcome?>(new InferenceOutcome("shapes-dgcnn", Version, Pipeline.Classify(cloud)));

    public void Dispose()
    {
        Pipeline.Dispose();
        _bundle.Dispose();
    }
}

/// <summary>The gateway when no point-cloud model is active.</summary>
internal sealed class NoModelGateway : IInferenceGateway
{
    public Task<InferenceOutcome?> ClassifyAsync(PointCloud cloud, CancellationToken cancellationToken) => Task.FromResult<InferenceOutcome?>(null);
}

/// <summary>Files of the repository (models/), found by walking up from the test assembly.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "models", "bundle-manifest.schema.json")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no models/ folder above {AppContext.BaseDirectory}");
    });

    public static string Models(params string[] parts) => Path.Combine([Root.Value, "models", .. parts]);
}
