using System.Text.Json;
using GeoEdge.Inference.Bundles;

namespace GeoEdge.ModelTool.Tests.Records;

/// <summary>The shipped shapes-dgcnn variants (models/ship-variants.sh): signed, recording how they were made and on which splits, and measuring now what their reports say.</summary>
[Trait("Category", "Integration")]
public sealed class ShippedVariantsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Variant(string name) => Fixtures.Path("shapes-dgcnn", "variants", name, "bundle");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    [Theory]
    [InlineData("fp32", false, false)]
    [InlineData("pruned", true, false)]
    [InlineData("int8", false, true)]
    [InlineData("pruned-int8", true, true)]
    public void Each_variant_is_signed_records_its_pruning_and_quantization_and_is_calibrated_and_evaluated(string name, bool pruned, bool quantized)
    {
        using ModelBundle b = ModelBundle.Open(Variant(name), TrustedKeys.FromPemFiles(Pub));
        BundleManifest m = b.Manifest;

        Assert.Equal(pruned, m.Pruning is { Method: "channel-l1", Structured: true });
        Assert.Equal(quantized, m.Quantization is { Method: "static", PerChannel: true, WeightType: "int8" });
        if (quantized)
        {
            Assert.Equal("validation.npz", m.Quantization!.Extensions!["calibrationSet"].GetProperty("name").GetString());
            Assert.Equal(ModelTool.Datasets.DatasetCardBuilder.FileSha256(Fixtures.Path("shapes-dgcnn", "data", "validation.npz")),
                m.Quantization.Extensions["calibrationSet"].GetProperty("sha256").GetString());
        }

        if (pruned)
        {
            Assert.Equal((46599168L, 20153856L), (m.Pruning!.Extensions!["flopsBefore"].GetInt64(), m.Pruning.Extensions["flopsAfter"].GetInt64()));
        }

        Assert.NotNull(m.Calibration);
        Assert.Equal("mahalanobis", m.Ood!.Score);
        Assert.Equal(("ood-precision.npy", null), (m.Ood.PrecisionFile, m.Ood.Covariance));
        Assert.Contains("ood-precision.npy", m.Files.Keys);
        Assert.Contains("adversarialAccuracy", m.Evaluation!.Metrics.Keys);

        // Calibrated and evaluated on the large splits (not in git): the manifest pins the bytes data-large.json records.
        Assert.Equal(("test-large.npz", (long?)2400), (m.Evaluation.Split, m.Evaluation.Samples));
        Assert.Equal(LargeSplitSha256("test-large"), m.Dataset.Files!["test-large.npz"]);
        Assert.Equal(LargeSplitSha256("validation-large"), m.Dataset.Files["validation-large.npz"]);
    }

    [Fact]
    public void The_pruned_int8_variant_measures_on_the_committed_test_split_what_its_report_240_records()
    {
        string dir = _temp.File("eval");
        CliResult r = CliRunner.Run("evaluate", Variant("pruned-int8"), "--data", Fixtures.Path("shapes-dgcnn", "data", "test.npz"),
            "--ood", Fixtures.Path("shapes-dgcnn", "data", "ood.npz"), "--robustness", "off", "--out", dir, "--trusted", Pub);

        Assert.True(r.ExitCode == 0, r.Stderr);
        using ModelBundle b = ModelBundle.Open(Variant("pruned-int8"), TrustedKeys.FromPemFiles(Pub));
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "evaluation.json")));
        using JsonDocument recorded = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("shapes-dgcnn", "variants", "pruned-int8", "report-240", "evaluation.json")));
        Assert.Equal(b.ManifestSha256, recorded.RootElement.GetProperty("manifestSha256").GetString());
        Assert.Equal(240, json.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal(recorded.RootElement.GetProperty("accuracy").GetDouble(), json.RootElement.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(recorded.RootElement.GetProperty("ood").GetProperty("auroc").GetDouble(), json.RootElement.GetProperty("ood").GetProperty("auroc").GetDouble(), 12);
        Assert.True(new FileInfo(b.ModelPath).Length < new FileInfo(Fixtures.Path("shapes-dgcnn", "bundle", "model.onnx")).Length / 3);
    }

    private static string LargeSplitSha256(string split)
    {
        using JsonDocument record = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("shapes-dgcnn", "data-large.json")));
        return record.RootElement.GetProperty("files").GetProperty($"data-large/{split}.npz").GetProperty("sha256").GetString()!;
    }
}
