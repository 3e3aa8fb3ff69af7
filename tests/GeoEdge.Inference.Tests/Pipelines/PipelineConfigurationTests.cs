using System.Text.Json.Nodes;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.Inference.Tests.Models;

namespace GeoEdge.Inference.Tests.Pipelines;

/// <summary>A verified bundle a pipeline cannot run fails when the pipeline is built, naming the manifest field.</summary>
[Trait("Category", "Fault")]
public sealed class PipelineConfigurationTests
{
    [Fact]
    public void Each_pipeline_refuses_the_other_task()
    {
        using ModelBundle sensors = PipelineBundles.Shipped(ShippedModels.Sensors);
        using ModelBundle shapes = PipelineBundles.Shipped(ShippedModels.Shapes);

        Assert.Contains("$.task: 'sensor-graph-anomaly' is not point-cloud-classification", Assert.Throws<PipelineConfigurationException>(() => new PointCloudClassification(sensors)).Message, StringComparison.Ordinal);
        Assert.Contains("$.task: 'point-cloud-classification' is not sensor-graph-anomaly", Assert.Throws<PipelineConfigurationException>(() => new SensorGraphAnomaly(shapes)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sampling", "grid", "$.preprocessing.sampling: 'grid' is not supported")]
    [InlineData("normalize", "unit-sphere", "$.preprocessing.normalize: 'unit-sphere' is not supported")]
    [InlineData("samplingStart", 5, "$.preprocessing.samplingStart: only 0")]
    [InlineData("points", 512, "dimension 1 is fixed at 1024, configured 512")]
    public void Point_cloud_preprocessing_the_pipeline_cannot_reproduce_is_refused(string field, object value, string message)
    {
        using var temp = new TempDirectory();
        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Shapes, temp, spec => spec["preprocessing"]![field] = JsonValue.Create(value));

        var e = Assert.Throws<PipelineConfigurationException>(() => new PointCloudClassification(bundle, PipelineBundles.CloudOptions));

        Assert.Contains("bundle shapes-dgcnn 1.0.0", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_must_match_the_model_classes()
    {
        using var temp = new TempDirectory();
        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Shapes, temp, spec => ((JsonArray)spec["labels"]!).RemoveAt(11));

        Assert.Contains("$.labels: 11 labels for 12 model classes", Assert.Throws<PipelineConfigurationException>(() => new PointCloudClassification(bundle, PipelineBundles.CloudOptions)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_sensor_channel_is_refused()
    {
        using var temp = new TempDirectory();
        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Sensors, temp, spec => spec["preprocessing"]!["features"]![1] = "missing_flag");

        Assert.Contains("$.preprocessing.features[1]: unknown channel 'missing_flag'", Assert.Throws<PipelineConfigurationException>(() => new SensorGraphAnomaly(bundle, PipelineBundles.SensorOptions)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sensor_list_that_does_not_fit_the_model_is_refused()
    {
        using var temp = new TempDirectory();
        using ModelBundle bundle = PipelineBundles.Repacked(ShippedModels.Sensors, temp, spec => ((JsonArray)spec["preprocessing"]!["sensors"]!).RemoveAt(21));

        Assert.Contains("dimension 1 is fixed at 22, configured 21", Assert.Throws<PipelineConfigurationException>(() => new SensorGraphAnomaly(bundle, PipelineBundles.SensorOptions)).Message, StringComparison.Ordinal);
    }
}
