using System.Text.Json;
using GeoEdge.Inference.Bundles;
using GeoEdge.ModelTool.Onnx;
using GeoEdge.ModelTool.Tests.Prune;

namespace GeoEdge.ModelTool.Tests;

/// <summary>prune, quantize, calibrate and evaluate on the shipped sensor-stgnn bundle and its validation split.</summary>
[Trait("Category", "Integration")]
public sealed class SensorModelVerbsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Bundle => Fixtures.Path("sensor-stgnn", "bundle");

    private static string Validation => Fixtures.Path("sensor-stgnn", "data", "validation.npz");

    private static string Key => Fixtures.Path("dev-keys", "geoedge-dev.key.pem");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    private static JsonElement Evaluation(string dir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "evaluation.json"))).RootElement;

    private static JsonElement Preprocessing(ModelBundle b, string field) => b.Manifest.Preprocessing!.Extensions![field];

    [Fact]
    public void Structured_pruning_removes_channels_consistently_through_the_residual_stream_and_the_adjacency_matmul()
    {
        string output = _temp.File("pruned.onnx");
        CliResult r = CliRunner.Run("prune", Path.Combine(Bundle, "model.onnx"), "--out", output, "--structured", "0.5");

        Assert.Equal((0, string.Empty), (r.ExitCode, r.Stderr));
        Assert.Contains("group /inp/Conv + /blocks.0/g_self/Conv + /blocks.0/g_nbr/Conv + /blocks.1/g_self/Conv + /blocks.1/g_nbr/Conv + /blocks.2/g_self/Conv + /blocks.2/g_nbr/Conv + /blocks.3/g_self/Conv + /blocks.3/g_nbr/Conv: channels 16 -> 8", r.Stdout, StringComparison.Ordinal);
        for (int k = 0; k < 4; k++)
        {
            Assert.Contains($"group /blocks.{k}/tconv/Conv: channels 16 -> 8", r.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("group /head1/Conv: channels 16 -> 8", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("group /head2/Conv: kept 1 channels: node '/Squeeze' (Squeeze) uses the pruned channels", r.Stdout, StringComparison.Ordinal);

        // The contractions: inp, tconv and the 1x1 convs shrink on both sides, the adjacency MatMul with the tconv channels.
        Assert.Contains("flops 19983040 -> 6381408 (x [1,22,64,4]); parameters 7461 -> 2565", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("proof: shrunk model = masked original within", r.Stdout, StringComparison.Ordinal);
        ModelProto m = OnnxModel.Load(output).Proto;
        Assert.Equal([8L, 7, 1, 5], PruneGraphs.Dims(m, "inp.weight"));
        Assert.Equal([1L, 8, 22, 1], PruneGraphs.Dims(m, "node_emb"));
        Assert.Equal([8L, 8, 1, 3], PruneGraphs.Dims(m, "onnx::Conv_175"));
        Assert.Equal([8L, 8, 1, 1], PruneGraphs.Dims(m, "blocks.0.g_nbr.weight"));
        Assert.Equal([8L], PruneGraphs.Dims(m, "blocks.3.bn2.running_var"));
        Assert.Equal([8L, 16, 1], PruneGraphs.Dims(m, "head1.weight"));
        Assert.Equal([1L, 8, 1], PruneGraphs.Dims(m, "head2.weight"));
        Assert.Equal([22L, 22], PruneGraphs.Dims(m, "adj"));
    }

    [Fact]
    public void Static_quantization_calibrates_on_the_raw_validation_windows_encoded_as_the_device_encodes_them()
    {
        string output = _temp.File("int8");
        CliResult r = CliRunner.Run("quantize", Bundle, "--out", output, "--key", Key, "--static", "--calibration", Validation, "--per-channel", "--samples", "16");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("on 16 samples (minmax)", r.Stdout, StringComparison.Ordinal);
        using ModelBundle b = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        Assert.Equal(("static", (int?)16), (b.Manifest.Quantization!.Method, b.Manifest.Quantization.CalibrationSamples));
        Assert.Equal("validation.npz", b.Manifest.Quantization.Extensions!["calibrationSet"].GetProperty("name").GetString());
    }

    [Fact]
    public void Calibrate_fits_the_anomaly_probability_and_thresholds_that_evaluate_then_measures_on_the_same_split()
    {
        string output = _temp.File("calibrated");
        CliResult r = CliRunner.Run("calibrate", Bundle, "--validation", Validation, "--out", output, "--key", Key);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("thresholds:  fitted per sensor at false-alarm rate 0.01", r.Stdout, StringComparison.Ordinal);
        using ModelBundle b = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        JsonElement p = Preprocessing(b, "anomalyProbability");
        Assert.Equal(("platt", "validation.npz"), (p.GetProperty("method").GetString(), p.GetProperty("fittedOn").GetString()));
        Assert.True(p.GetProperty("scale").GetDouble() > 0);
        JsonElement thresholds = Preprocessing(b, "thresholds");
        Assert.Equal(0.01, thresholds.GetProperty("targetFalseAlarmRate").GetDouble());
        Assert.Equal(ModelTool.Datasets.DatasetCardBuilder.FileSha256(Validation), b.Manifest.Dataset.Files!["validation.npz"]);
        // The drift reference comes with the fit: per sensor the window mean and std, plus the missing fraction.
        Assert.Equal(2 * 22 + 1, b.Manifest.Drift!.Features.Count);
        Assert.Equal("temp_r1.mean", b.Manifest.Drift.Features[0].Name);

        // Through the device pipeline (float thresholds read back from the manifest) the split's alarms are the ones calibrate counted.
        string dir = _temp.File("eval");
        Assert.Equal(0, CliRunner.Run("evaluate", output, "--data", Validation, "--out", dir, "--trusted", Pub).ExitCode);
        JsonElement e = Evaluation(dir);
        Assert.Equal(thresholds.GetProperty("validationFalseAlarmRate").GetDouble(), e.GetProperty("falseAlarmRate").GetDouble(), 12);
        Assert.Equal(thresholds.GetProperty("validationDetectionRate").GetDouble(), e.GetProperty("detectionRate").GetDouble(), 12);
        Assert.True(e.GetProperty("falseAlarmRate").GetDouble() <= 0.01);

        // The fitted probability is better calibrated on its own split than sigmoid(logit).
        JsonElement probability = e.GetProperty("probability");
        Assert.True(probability.GetProperty("ece").GetDouble() < probability.GetProperty("eceUncalibrated").GetDouble());
    }

    [Fact]
    public void Keep_thresholds_fits_only_the_probability()
    {
        string output = _temp.File("calibrated");
        CliResult r = CliRunner.Run("calibrate", Bundle, "--validation", Validation, "--keep-thresholds", "--out", output, "--key", Key);

        Assert.True(r.ExitCode == 0, r.Stderr);
        using ModelBundle original = ModelBundle.Open(Bundle, TrustedKeys.FromPemFiles(Pub));
        using ModelBundle b = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        double[] Thresholds(ModelBundle x) => [.. Preprocessing(x, "sensors").EnumerateArray().Select(static s => s.GetProperty("threshold").GetDouble())];
        Assert.Equal(Thresholds(original), Thresholds(b));
        Assert.True(b.Manifest.Preprocessing!.Extensions!.ContainsKey("anomalyProbability"));
        Assert.Equal(2, CliRunner.Run("calibrate", Bundle, "--validation", Validation, "--keep-thresholds", "--false-alarm-rate", "0.01", "--out", _temp.File("x"), "--key", Key).ExitCode);
    }
}
