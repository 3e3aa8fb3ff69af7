using System.Text.Json;
using GeoEdge.Inference.Bundles;
using GeoEdge.Inference.Pipelines;
using GeoEdge.ModelTool.Onnx;
using Google.Protobuf;

namespace GeoEdge.ModelTool.Tests.Calibrate;

/// <summary>calibrate, evaluate and compare on the shipped shapes-dgcnn bundle and its validation, test and OOD splits.</summary>
[Trait("Category", "Integration")]
public sealed class CalibrateVerbsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Bundle => Fixtures.Path("shapes-dgcnn", "bundle");

    private static string Data(string split) => Fixtures.Path("shapes-dgcnn", "data", $"{split}.npz");

    private static string Key => Fixtures.Path("dev-keys", "geoedge-dev.key.pem");

    private static string Pub => Fixtures.Path("dev-keys", "geoedge-dev.pub.pem");

    private static JsonElement Evaluation(string dir) => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "evaluation.json"))).RootElement;

    [Fact]
    public void Calibrate_writes_a_signed_bundle_whose_temperature_lowers_validation_ece_and_the_runtime_loads()
    {
        string output = _temp.File("calibrated");
        CliResult r = CliRunner.Run("calibrate", Bundle, "--validation", Data("validation"), "--ood", Data("ood"), "--out", output, "--key", Key);
        Assert.True(r.ExitCode == 0, r.Stderr);

        using ModelBundle calibrated = ModelBundle.Open(output, TrustedKeys.FromPemFiles(Pub));
        Assert.True(calibrated.IsSigned);
        double t = calibrated.Manifest.Calibration!.Temperature;
        Assert.InRange(t, 0.05, 20);
        OodDetector ood = calibrated.Manifest.Ood!;
        Assert.Equal(ModelTool.Datasets.DatasetCardBuilder.FileSha256(Data("validation")), calibrated.Manifest.Dataset.Files!["validation.npz"]);
        Assert.Equal(ModelTool.Datasets.DatasetCardBuilder.FileSha256(Data("ood")), calibrated.Manifest.Dataset.Files["ood.npz"]);
        Assert.Equal((120L, 100L), (calibrated.Manifest.Dataset.Sizes!["validation"], calibrated.Manifest.Dataset.Sizes["ood"]));
        Assert.Equal(12, ood.ClassMeans!.Count);
        Assert.Null(ood.Covariance);
        Assert.Equal("ood-precision.npy", ood.PrecisionFile);
        Geometry.IO.NpyArray precision = Geometry.IO.NpyFile.Read(calibrated.GetFilePath(ood.PrecisionFile!));
        Assert.Equal(Geometry.IO.NpyDType.Float32, precision.DType);
        Assert.Equal([256, 256], precision.Shape);
        Assert.True(new FileInfo(Path.Combine(output, "manifest.json")).Length < 128 * 1024, "the matrix stays out of the manifest");

        // The drift reference of the validation clouds, as numpy computes it (tests/fixtures/drift/drift_expected.py):
        // every cloud has 1024 points and loses none; extent, centroid range and spread vary.
        DriftReference drift = calibrated.Manifest.Drift!;
        Assert.Equal(120, drift.Samples);
        Assert.Equal(CloudDriftFeatures.Names, drift.Features.Select(f => f.Name));
        Assert.Equal((1024.0, 0.0, 1024.0, 1024.0), (drift.Features[0].Mean, drift.Features[0].Std, drift.Features[0].Min!.Value, drift.Features[0].Max!.Value));
        Assert.Equal((0.0, 0.0), (drift.Features[1].Mean, drift.Features[1].Std));
        AssertFeature(drift.Features[2], 10.771780517752648, 6.289888043669238, 1.0437459662415496, 29.982027338861023);
        AssertFeature(drift.Features[3], 9.974623203597158, 2.9281978866287974, 1.1225303549619590, 15.625958773187431);
        AssertFeature(drift.Features[4], 0.72054375874236987, 0.1070422321241525, 0.50470230566175578, 0.97400775655446659);

        // Independent check through evaluate: validation ECE with the fitted T is not above the uncalibrated one.
        Assert.Equal(0, CliRunner.Run("evaluate", Bundle, "--data", Data("validation"), "--robustness", "off", "--out", _temp.File("before"), "--trusted", Pub).ExitCode);
        Assert.Equal(0, CliRunner.Run("evaluate", output, "--data", Data("validation"), "--robustness", "off", "--out", _temp.File("after"), "--trusted", Pub).ExitCode);
        double before = Evaluation(_temp.File("before")).GetProperty("ece").GetDouble();
        double after = Evaluation(_temp.File("after")).GetProperty("ece").GetDouble();
        Assert.True(after <= before, $"ECE after {after} > before {before}");

        // The device pipeline accepts the new sections and reports softmax(logits / T) as confidence.
        using var pipeline = new PointCloudClassification(calibrated);
        IReadOnlyDictionary<string, Geometry.IO.NpyArray> test = Geometry.IO.NpzFile.Read(Data("test"));
        float[] cloud = test["pos"].AsSpan<float>()[..(1024 * 3)].ToArray();
        CloudClassification c = pipeline.Classify(cloud).Value!;
        double[] z = [.. c.Logits.Select(v => (double)v)];
        Assert.Equal(ModelTool.Calibrate.CalibrationMetrics.Softmax(z, t).Max(), c.Confidence, 1e-12);
        Assert.Equal(ood.Score, c.Ood.Score);
        Assert.Equal(1, pipeline.Drift!.Inputs);
    }

    private static void AssertFeature(FeatureStatistics f, double mean, double std, double min, double max)
    {
        Assert.Equal(mean, f.Mean, mean * 1e-12);
        Assert.Equal(std, f.Std, std * 1e-12);
        Assert.Equal(min, f.Min!.Value, min * 1e-12);
        Assert.Equal(max, f.Max!.Value, max * 1e-12);
    }

    [Fact]
    public void Calibrate_objective_ece_fits_a_temperature_at_least_as_calibrated_on_validation_as_the_nll_one()
    {
        CliResult nll = CliRunner.Run("calibrate", Bundle, "--validation", Data("validation"), "--out", _temp.File("nll"), "--key", Key);
        CliResult ece = CliRunner.Run("calibrate", Bundle, "--validation", Data("validation"), "--objective", "ece", "--out", _temp.File("ece"), "--key", Key);

        Assert.True(nll.ExitCode == 0, nll.Stderr);
        Assert.True(ece.ExitCode == 0, ece.Stderr);
        Assert.Contains("(min NLL)", nll.Stdout, StringComparison.Ordinal);
        Assert.Contains("(min ECE)", ece.Stdout, StringComparison.Ordinal);
        Assert.True(EceAfter(ece.Stdout) <= EceAfter(nll.Stdout), $"ece objective: {EceAfter(ece.Stdout)}, nll objective: {EceAfter(nll.Stdout)}");
        using ModelBundle a = ModelBundle.Open(_temp.File("nll"), TrustedKeys.FromPemFiles(Pub));
        using ModelBundle b = ModelBundle.Open(_temp.File("ece"), TrustedKeys.FromPemFiles(Pub));
        Assert.NotEqual(a.Manifest.Calibration!.Temperature, b.Manifest.Calibration!.Temperature);
    }

    [Fact]
    public void Calibrate_refuses_an_unknown_objective_and_an_objective_for_a_sensor_bundle()
    {
        CliResult unknown = CliRunner.Run("calibrate", Bundle, "--validation", Data("validation"), "--objective", "brier", "--out", _temp.File("x"), "--key", Key);
        CliResult sensor = CliRunner.Run("calibrate", Fixtures.Path("sensor-stgnn", "bundle"), "--validation", Fixtures.Path("sensor-stgnn", "data", "validation.npz"),
            "--objective", "ece", "--out", _temp.File("y"), "--key", Key);

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("unknown --objective 'brier' (nll, ece)", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, sensor.ExitCode);
        Assert.Contains("--objective chooses what a point-cloud classifier's temperature minimises", sensor.Stderr, StringComparison.Ordinal);
    }

    private static double EceAfter(string stdout)
    {
        string line = stdout.Split('\n').Single(static l => l.StartsWith("ece (15):", StringComparison.Ordinal));
        return double.Parse(line[(line.IndexOf("->", StringComparison.Ordinal) + 2)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Evaluate_on_the_shipped_test_split_gives_the_training_report_accuracy_and_writes_the_manifest_section()
    {
        string dir = _temp.File("eval");
        string withEvaluation = _temp.File("with-evaluation");
        CliResult r = CliRunner.Run("evaluate", Bundle, "--data", Data("test"), "--ood", Data("ood"), "--robustness", "quick", "--out", dir,
            "--write-manifest", withEvaluation, "--key", Key);
        Assert.True(r.ExitCode == 0, r.Stderr);

        // models/shapes-dgcnn/training-report.json: shipped_test_accuracy 0.8542 on 240 clouds (205 right).
        JsonElement e = Evaluation(dir);
        Assert.Equal(205.0 / 240, e.GetProperty("accuracy").GetDouble(), 1e-12);
        Assert.Equal(240, e.GetProperty("samples").GetInt32());
        Assert.Equal(12, e.GetProperty("perClassRecall").EnumerateObject().Count());
        Assert.Equal(4, e.GetProperty("robustness").GetArrayLength());
        Assert.Equal(15, e.GetProperty("reliability").GetArrayLength());
        foreach (string file in (string[])["report.md", "reliability.svg", "reliability.png", "robustness-jitter.png", "robustness-jitter.svg", "robustness-dropout.svg", "robustness-rotation.svg", "robustness-outliers.svg"])
        {
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        }

        using ModelBundle written = ModelBundle.Open(withEvaluation, TrustedKeys.FromPemFiles(Pub));
        Assert.Equal(205.0 / 240, written.Manifest.Evaluation!.Metrics["accuracy"], 1e-12);
        Assert.Equal("test.npz", written.Manifest.Evaluation.Split);

        // The dataset card gains the test split: its SHA-256, size, class balance and split -> file.
        DatasetCard card = written.Manifest.Dataset;
        Assert.Equal(ModelTool.Datasets.DatasetCardBuilder.FileSha256(Data("test")), card.Files!["test.npz"]);
        Assert.Equal(240, card.Sizes!["test"]);
        Assert.Equal("test.npz", card.Extensions!["splitFiles"].GetProperty("test").GetString());
        Assert.All(card.Extensions["classBalance"].GetProperty("test").EnumerateObject(), c => Assert.Equal(20, c.Value.GetInt64()));
    }

    [Fact]
    public void Compare_passes_a_bundle_against_itself_and_fails_with_exit_3_on_scrambled_logits()
    {
        string degraded = Degraded();

        // Latency is not under test here (a loaded machine's p99 varies): the ratio limit is set out of reach.
        CliResult same = CliRunner.Run("compare", Bundle, Bundle, "--data", Data("test"), "--max-p99-ratio", "1000", "--trusted", Pub);
        CliResult worse = CliRunner.Run("compare", Bundle, degraded, "--data", Data("test"), "--max-p99-ratio", "1000", "--trusted", Pub);

        Assert.True(same.ExitCode == 0, same.Stdout + same.Stderr);
        Assert.Contains("gate: pass", same.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, worse.ExitCode);
        Assert.Contains("gate: FAIL (accuracy", worse.Stdout, StringComparison.Ordinal);
    }

    // The shipped model with the last Gemm's output rows 0 and 1 (sphere, ellipsoid) swapped, repacked with the dev key.
    private string Degraded()
    {
        OnnxModel model = OnnxModel.Load(Path.Combine(Bundle, "model.onnx"));
        foreach (TensorProto t in model.Graph.Initializer.Where(t => t.Name is "head.4.weight" or "head.4.bias"))
        {
            byte[] raw = t.RawData.ToByteArray();
            int row = raw.Length / 12;
            byte[] first = raw[..row];
            Array.Copy(raw, row, raw, 0, row);
            Array.Copy(first, 0, raw, row, row);
            t.RawData = ByteString.CopyFrom(raw);
        }

        Directory.CreateDirectory(_temp.File("degraded-src"));
        string onnx = _temp.File("degraded-src/model.onnx");
        model.Save(onnx);
        var spec = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Bundle, "manifest.json")))!;
        spec.Remove("created");
        spec.Remove("model");
        spec.Remove("files");
        using var key = BundleSigningKey.LoadPem(Key);
        string output = _temp.File("degraded");
        BundlePacker.Pack(onnx, System.Text.Encoding.UTF8.GetBytes(spec.ToJsonString()), "degraded spec", key, output);
        return output;
    }
}
