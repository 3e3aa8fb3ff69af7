using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Runtime;

namespace GeoEdge.Host.Models;

/// <summary>A verified bundle and the pipeline its task calls for, loaded and owned together; what a model's slot holds.</summary>
/// <remarks>Exactly one of <see cref="PointCloud"/> and <see cref="SensorGraph"/> is set. Dispose releases the pipeline's
/// session and then the bundle (the slot does it once the last lease is back).</remarks>
public sealed class ModelPipeline : IDisposable
{
    private ModelPipeline(ModelBundle bundle, PointCloudClassification? pointCloud, SensorGraphAnomaly? sensorGraph)
    {
        Bundle = bundle;
        PointCloud = pointCloud;
        SensorGraph = sensorGraph;
        Session = pointCloud?.Session ?? sensorGraph!.Session;
    }

    public ModelBundle Bundle { get; }

    public string Name => Bundle.Manifest.Name;

    public string Version => Bundle.Manifest.Version;

    public PointCloudClassification? PointCloud { get; }

    public SensorGraphAnomaly? SensorGraph { get; }

    /// <summary>The drift monitor of whichever pipeline is set; null when the bundle has no drift reference.</summary>
    public DriftMonitor? Drift => PointCloud?.Drift ?? SensorGraph?.Drift;

    /// <summary>The ONNX Runtime session of whichever pipeline is set.</summary>
    public ModelSession Session { get; }

    /// <summary>Builds the pipeline for the bundle's task; takes ownership of <paramref name="bundle"/> only when it succeeds.</summary>
    /// <exception cref="PipelineConfigurationException">The task has no pipeline, or the bundle does not fit it.</exception>
    public static ModelPipeline Load(ModelBundle bundle, ModelSessionOptions? sessionOptions)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return bundle.Manifest.Task switch
        {
            BundleTasks.PointCloudClassification => new ModelPipeline(bundle, new PointCloudClassification(bundle, new PointCloudClassificationOptions { Session = sessionOptions }), null),
            BundleTasks.SensorGraphAnomaly => new ModelPipeline(bundle, null, new SensorGraphAnomaly(bundle, new SensorGraphAnomalyOptions { Session = sessionOptions })),
            string task => throw new PipelineConfigurationException($"bundle {bundle.Manifest.Name} {bundle.Manifest.Version}: the device has no pipeline for task '{task}'"),
        };
    }

    public void Dispose()
    {
        PointCloud?.Dispose();
        SensorGraph?.Dispose();
        Bundle.Dispose();
    }

    public override string ToString() => $"{Name} {Version}";
}
