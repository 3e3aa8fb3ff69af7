using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GeoEdge.Fleet.Contracts;
using GeoEdge.Geometry.IO;
using GeoEdge.Host.Fleet;
using GeoEdge.Host.Metrics;
using GeoEdge.Host.Models;
using GeoEdge.Host.Tests.Metrics;
using GeoEdge.Host.Tests.Models;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;

namespace GeoEdge.Host.Tests.Fleet;

/// <summary>The drift score in the fleet metrics window and on /metrics: taken from the version's DriftMonitor at each close.</summary>
public sealed class WindowDriftTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    // One feature the cloud pipeline computes: extent, reference mean 8, std 2.
    private static readonly DriftReference Extent = new() { Samples = 10, Features = [new FeatureStatistics { Name = "extent", Mean = 8, Std = 2 }] };

    [Fact]
    [Trait("Category", "Unit")]
    public void A_window_carries_the_score_of_its_own_inputs_and_none_without_a_monitor_or_without_inferences()
    {
        var windows = new MetricsWindowAggregator(T0);
        WindowCounters withDrift = windows.For("shapes-dgcnn", "1.1.0");
        WindowCounters without = windows.For("shapes-dgcnn", "1.0.0");
        DriftMonitor monitor = DriftMonitor.Create(Extent, CloudDriftFeatures.Names)!;
        withDrift.Drift = monitor;

        // extents 12 and 16: mean 14 -> (14 - 8) / 2 = 3.
        Record(withDrift, monitor, extent: 12);
        Record(withDrift, monitor, extent: 16);
        without.Record(Classified());
        IReadOnlyList<MetricsWindow> first = windows.Close(T0.AddMinutes(1));

        // The next window only saw rejections; the monitor still got an input (e.g. the diagnostics endpoint's): no score.
        withDrift.RecordRejection(RejectionReason.TooFewPoints);
        Feed(monitor, extent: 100);
        IReadOnlyList<MetricsWindow> second = windows.Close(T0.AddMinutes(2));

        // That input did not leak into the third window: extent 9 alone -> 0.5.
        Record(withDrift, monitor, extent: 9);
        IReadOnlyList<MetricsWindow> third = windows.Close(T0.AddMinutes(3));

        Assert.Equal([("1.0.0", (double?)null), ("1.1.0", 3.0)], first.Select(w => (w.Version, w.DriftScore)));
        Assert.Null(Assert.Single(second).DriftScore);
        Assert.Equal(0.5, Assert.Single(third).DriftScore);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void The_prometheus_gauge_reads_the_running_score_of_the_attached_monitor()
    {
        using var dir = new TempDirectory();
        var registry = new MetricsRegistry(new ProcessSampler(dir.File("no-thermal"), dir.File("no-status")));
        PipelineMetrics shapes = registry.ForPipeline("shapes", "shapes-dgcnn", "1.1.0", PipelineKind.PointCloud);
        registry.ForPipeline("building", "sensor-stgnn", "1.0.0", PipelineKind.SensorGraph);
        DriftMonitor monitor = DriftMonitor.Create(Extent, CloudDriftFeatures.Names)!;
        shapes.Drift = monitor;
        string before = registry.ToText();

        Feed(monitor, extent: 13); // 2.5
        PrometheusText p = PrometheusText.Parse(registry.ToText());

        Assert.DoesNotContain("geoedge_drift_score{", before, StringComparison.Ordinal); // no input yet, no sample
        Assert.Equal("gauge", p.Types["geoedge_drift_score"]);
        Assert.Equal(2.5, p.Value("geoedge_drift_score", [("pipeline", "shapes"), ("model", "shapes-dgcnn"), ("version", "1.1.0")]));
        Assert.Single(p.Samples, s => s.Name == "geoedge_drift_score"); // the sensor pipeline's bundle has no reference
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void A_drift_bundle_loaded_as_the_device_loads_it_scores_classified_clouds_into_the_window()
    {
        using var dir = new TempDirectory();
        float[] sample = PointCloudReader.Read(Path.Combine(StoreFixtures.ModelsDirectory, "shapes-dgcnn", "samples", "02_box.pcd")).Cloud.Positions;
        double extent = CloudDriftFeatures.Measure(1024, 1024, sample).Extent;

        // The reference puts the box's extent exactly 2 std (1.5) above its mean, so the window must score 2.
        var reference = new JsonObject
        {
            ["samples"] = 3,
            ["features"] = new JsonArray(new JsonObject { ["name"] = "extent", ["mean"] = extent - 3, ["std"] = 1.5 }),
        };
        using ModelBundle bundle = ModelBundle.Open(PackWithDrift(dir.File("bundle"), reference), StoreFixtures.Keys);
        using ModelPipeline pipeline = ModelPipeline.Load(bundle, StoreFixtures.Session(1));
        var windows = new MetricsWindowAggregator(T0);
        WindowCounters counters = windows.For(pipeline.Name, pipeline.Version);
        counters.Drift = pipeline.Drift;

        counters.Record(pipeline.PointCloud!.Classify(sample));
        counters.Record(pipeline.PointCloud.Classify(sample));
        MetricsWindow window = Assert.Single(windows.Close(T0.AddMinutes(1)));

        Assert.Equal(2, window.Inferences);
        Assert.Equal(2, window.DriftScore!.Value, 9);
        Assert.Equal(2, pipeline.Drift!.Score!.Value, 9);
    }

    private static string PackWithDrift(string output, JsonObject drift)
    {
        JsonObject spec = JsonNode.Parse(File.ReadAllText(Path.Combine(StoreFixtures.ModelsDirectory, StoreFixtures.Shapes, "manifest-spec.json")))!.AsObject();
        spec["version"] = "1.2.0-drift";
        spec["drift"] = drift;
        using ECDsa key = BundleSigningKey.LoadPem(StoreFixtures.DevPrivateKey);
        BundlePacker.Pack(Path.Combine(StoreFixtures.ShapesBundle, "model.onnx"), System.Text.Encoding.UTF8.GetBytes(spec.ToJsonString()), "spec.json", key, output, null, null);
        return output;
    }

    private static void Record(WindowCounters counters, DriftMonitor monitor, double extent)
    {
        counters.Record(Classified());
        Feed(monitor, extent);
    }

    // What the pipeline records for a cloud of this extent (the other features are not in the reference).
    private static void Feed(DriftMonitor monitor, double extent) => monitor.Record([1024, 0, extent, 10, 0.7]);

    private static PipelineResult<CloudClassification> Classified() =>
        PipelineResult<CloudClassification>.Success(new CloudClassification(
            2, "box", 0.9, [new ClassProbability(2, "box", 0.9)], new OodAssessment("energy", -9, -5, false, -9, null), 1024, 0, 0, [0f, 1f], new PointCloudTimings(1, 1, 1, 1, 1, 1, 1)));
}
